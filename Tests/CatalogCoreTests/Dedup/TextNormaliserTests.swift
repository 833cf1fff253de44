import Foundation
import Testing

@testable import CatalogCore

/// The documented `norm_v1` rules applied plainly: Foundation's NFKD on the whole text, then
/// Unicode properties scalar by scalar.
func referenceTokens(_ text: String) -> [String] {
    let scalars = text.decomposedStringWithCompatibilityMapping.unicodeScalars.filter {
        $0.properties.generalCategory != .nonspacingMark
    }.map { $0 }
    func isWord(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .spacingMark, .enclosingMark, .letterNumber, .otherNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }
    func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.generalCategory == .decimalNumber }
    var tokens: [String] = []
    var current = ""
    func flush() {
        if !current.isEmpty { tokens.append(current) }
        current = ""
    }
    var position = 0
    while position < scalars.count {
        let scalar = scalars[position]
        if isDigit(scalar) {
            current += "0"
            position += 1
            while position < scalars.count {
                if isDigit(scalars[position]) {
                    position += 1
                } else if ".,،٫⎖⎗⎘".unicodeScalars.contains(scalars[position]), position + 1 < scalars.count,
                    isDigit(scalars[position + 1])
                {
                    position += 2
                } else {
                    break
                }
            }
        } else if isWord(scalar) {
            let lowered = scalar.properties.lowercaseMapping.unicodeScalars.filter {
                $0.properties.generalCategory != .nonspacingMark
            }
            if TextNormaliser.isInScriptWithoutSpaces(scalar) {
                flush()
                current = String(String.UnicodeScalarView(lowered))
                flush()
            } else {
                current += String(String.UnicodeScalarView(lowered))
            }
            position += 1
        } else {
            flush()
            position += 1
        }
    }
    flush()
    return tokens
}

@Suite struct DedupTextNormaliserTests {
    let normaliser = TextNormaliser()

    /// Tokens through the fast path (hashes) must equal the Unicode path's tokens, hashed.
    func expectPathsAgree(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = normaliser.tokenHashes(of: text)
        let unicode = normaliser.tokens(of: text).map { TextNormaliser.tokenHash(of: $0.utf8) }
        #expect(fast == unicode, "\(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func lowercasesAndSplitsOnPunctuation() {
        #expect(normaliser.tokens(of: "Hello, WORLD! It's snake_case (x+y)") == ["hello", "world", "it", "s", "snake_case", "x", "y"])
        #expect(normaliser.tokenHashes(of: "HELLO world") == normaliser.tokenHashes(of: "hello WORLD"))
    }

    @Test func collapsesNumbersToZero() {
        #expect(normaliser.tokens(of: "12.5 1,000 1,000,000 abc123def 2024-01-01 .5 7.") == ["0", "0", "0", "abc0def", "0", "0", "0", "0", "0"])
        #expect(normaliser.tokens(of: "٣٫٥ and ５ and ²") == ["0", "and", "0", "and", "0"])
        expectPathsAgree("12.5 1,000 1,000,000 abc123def 2024-01-01 .5 7. 1.٥ ٣٫٥")
    }

    @Test func foldsAccentsAndCompatibilityForms() {
        let cafe = normaliser.tokenHashes(of: "cafe")
        #expect(normaliser.tokenHashes(of: "Café") == cafe)
        #expect(normaliser.tokenHashes(of: "Cafe\u{301}") == cafe)
        #expect(normaliser.tokenHashes(of: "ＣＡＦＥ") == cafe)
        #expect(normaliser.tokens(of: "ﬁne naïve Ångström ™") == ["fine", "naive", "angstrom", "tm"])
        #expect(normaliser.tokens(of: "ＦＵＬＬ　ｗｉｄｔｈ") == ["full", "width"])
    }

    @Test func splitsScriptsWithoutSpacesIntoCharacters() {
        #expect(normaliser.tokens(of: "東京タワーは2024年") == ["東", "京", "タ", "ワ", "ー", "は", "0", "年"])
        // Thai: vowel signs and tone marks are nonspacing marks and are dropped.
        #expect(normaliser.tokens(of: "สวัสดีครับ") == ["ส", "ว", "ส", "ด", "ค", "ร", "บ"])
        #expect(normaliser.tokens(of: "한국어 텍스트").count == 2)  // Hangul keeps words
        expectPathsAgree("東京タワーは2024年 สวัสดีครับ 한국어")
    }

    @Test func textWithoutTokensHasNoSignature() {
        let hasher = MinHasher(scheme: .standard)
        for text in ["", "   \n\t  ", "😀🎉 👍🏽 ❤️", "... --- !!! ¿¡ «»", "\u{200B}\u{FEFF}"] {
            #expect(normaliser.tokenHashes(of: text).isEmpty, "\(text.debugDescription)")
            #expect(hasher.signature(of: text) == nil)
            #expect(hasher.tokenCount == 0)
        }
    }

    @Test func unicodePathMatchesFoundationReference() {
        let samples = [
            "Café naïve Ångström İstanbul ΣΊΣΥΦΟΣ σίσυφος Straße ǅungla ﬁne ﬀ ™ ℌ 𝐀𝐁𝐂 Ⅻ ½ x² ①②",
            "ＦＵＬＬ　ｗｉｄｔｈ　１２３，４５６ ｶﾞｷﾞ ㍿ ㈱ ㎏",
            "東京タワーは2024年に 中文，测试。 한국어 텍스트 สวัสดีครับ ພາສາລາວ ភាសាខ្មែរ မြန်မာ",
            "مرحبا بالعالم ١٢٣٫٤٥ שָׁלוֹם हिन्दी नमस्ते ਪੰਜਾਬੀ தமிழ்",
            "x\u{1D16D}\u{1D165}y a\u{301}\u{327}b q\u{323}\u{307} e\u{0301}\u{0316} 1.٥ ٣,٥ 1⎖5 snake‿case x\u{200D}y soft\u{AD}hyphen",
            "emoji 😀👍🏽 ❤️ flags 🇫🇷 math ∑∫ arrows → ⇒ box ┌─┐ ¿Qué? «Ça» „Hallo“",
        ]
        for sample in samples {
            #expect(normaliser.tokens(of: sample) == referenceTokens(sample), "\(sample)")
            expectPathsAgree(sample)
        }
    }

    @Test func keepsInvalidUTF8AsSeparator() {
        let bytes: [UInt8] = [0x61, 0x62, 0xFF, 0x63, 0x20, 0xE2, 0x80, 0x64]
        let hashes = bytes.withUnsafeBufferPointer { buffer in
            normaliser.scanTokenHashes(buffer, from: 0).hashes.map { $0 }
        }
        #expect(hashes == normaliser.tokenHashes(of: "ab c d"))
    }

    @Test func tokenHashFollowsItsDefinition() {
        for token in ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "東京"] {
            #expect(TextNormaliser.tokenHash(of: token.utf8) == NaiveMinHash.tokenHash(Array(token.utf8)), "\(token)")
        }
        #expect(normaliser.tokenHashes(of: "Incomprehensibilities") == [NaiveMinHash.tokenHash(Array("incomprehensibilities".utf8))])
    }

    @Test func fastPathAgreesWithUnicodePathOnMixedText() {
        var generator = SeededGenerator(seed: 314)
        let extraPieces = [
            "Café", "naïve", "Ångström", "東京", "タワー", "“quoted”", "don’t", "— dash —", "…", "½", "x²",
            "ＦＵＬＬ", "١٢٣", "1.٥", "1.’", "Straße", "İstanbul", "ΣΊΣΥΦΟΣ", "שלום", "مرحبا", "😀", "a\u{301}b",
            "\u{FEFF}", "\u{00A0}", "tab\u{2003}space", "١,٢", "x\u{2024}5", "1\u{2024}5",
        ]
        for round in 0..<200 {
            var text = GeneratedText.document(pieceCount: generator.below(40), using: &generator)
            for _ in 0..<generator.below(8) {
                let position = text.index(text.startIndex, offsetBy: generator.below(text.count + 1))
                text.insert(contentsOf: " " + extraPieces[generator.below(extraPieces.count)] + (round % 2 == 0 ? " " : ""), at: position)
            }
            expectPathsAgree(text)
        }
    }

    /// Every character the fast path treats as a separator must separate on the Unicode path too.
    @Test func knownSeparatorsAgreeWithUnicodePath() {
        var scalars: [Unicode.Scalar] = []
        for value in Array(0xA0...0xBF) + [0xD7, 0xF7] + Array(0x2000...0x206F) + Array(0x3000...0x3003) + [0xFEFF] {
            if let scalar = Unicode.Scalar(UInt32(value)) { scalars.append(scalar) }
        }
        var knownCount = 0
        for scalar in scalars {
            let utf8 = Array(String(scalar).utf8)
            let isKnown = utf8.withUnsafeBufferPointer { buffer in
                TextNormaliser.knownSeparatorLength(buffer.baseAddress!, count: buffer.count, at: 0) == utf8.count
            }
            if isKnown {
                knownCount += 1
                expectPathsAgree("ab\(scalar)cd 12\(scalar)5 x\(scalar)")
                #expect(normaliser.tokens(of: "ab\(scalar)cd") == ["ab", "cd"], "U+\(String(scalar.value, radix: 16))")
            }
        }
        // U+00A0–U+00BF minus 9 word characters, × ÷, U+2000–U+206F minus U+2024 and 3 connectors, …
        #expect(knownCount == 23 + 2 + 108 + 4 + 1)
    }
}
