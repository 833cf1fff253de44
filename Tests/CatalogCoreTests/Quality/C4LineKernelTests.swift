import CKernels
import Testing
@testable import CatalogCore

/// The C line scans (CKernels/c4line.c) against the Swift reference functions of C4LineKernel.swift.
@Suite struct C4LineKernelTests {
    /// Lines built from pieces that exercise every branch: the phrases in both cases and cut short,
    /// sentence marks, closers, abbreviations and initials, ASCII and Unicode spaces, non-ASCII
    /// letters and invalid UTF-8 bytes, at every offset of the 16-byte blocks.
    static func lines() -> [[UInt8]] {
        let pieces: [[UInt8]] = [
            "lorem ipsum", "LOREM IpSuM", "lorem ipsu", "javascript", "JavaScript", "javascrip", "terms of use",
            "Terms Of Use", "terms of us", "privacy policy", "Privacy Policy", "cookie policy", "uses cookies",
            "use of cookies", "use cookies", "use cookie", "{", "[", "Mr.", "e.g.", "i.e.", "approx.", "Sept.",
            "A.", "x.", " ", "  ", "\t", "\r", "\u{1C}", "\u{A0}", "\u{2003}", "\u{3000}", "\u{85}", "\u{2028}",
            ". ", "! ", "? ", "...", "?!", "\"", "'", ")", "]", "word", "Word", "the", "é", "日本", "😀", "ps",
            "ki", "va", "ja", "f u", "of u", "a", "Z", ".", "\u{200B}",
        ].map { (piece: String) in Array(piece.utf8) }
        let invalid: [[UInt8]] = [[0xC3], [0x80], [0xF0, 0x9F], [0xE2, 0x80], [0xFF], [0xC2]]
        var state: UInt64 = 0x1234_5678
        func next(_ bound: Int) -> Int {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return Int(HashMixing.fmix64(state) % UInt64(bound))
        }
        var lines: [[UInt8]] = [[], Array(" ".utf8), Array("a".utf8)]
        for _ in 0..<4000 {
            var line: [UInt8] = []
            for _ in 0..<next(40) {
                if next(30) == 0 {
                    line += invalid[next(invalid.count)]
                } else {
                    line += pieces[next(pieces.count)]
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Bytes placed after a line, as the rest of a document would be: they must change nothing.
    static let trailer: [UInt8] = Array("ps ja f u va ki { . ! ? \u{A0} lorem ipsum javascript".utf8)

    /// Runs `body` with the line alone (`readable == count`) and followed by `trailer`.
    static func withLayouts(_ line: [UInt8], _ body: (UnsafePointer<UInt8>, Int, Int) -> Void) {
        line.withUnsafeBufferPointer { buffer in
            body(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count, buffer.count)
        }
        (line + trailer).withUnsafeBufferPointer { buffer in
            body(buffer.baseAddress!, line.count, buffer.count)
        }
    }

    @Test func wordCountMatchesSwift() {
        for line in Self.lines() {
            Self.withLayouts(line) { base, count, readable in
                for limit in [1, 3, 5, 1000] {
                    let expected = QualitySignalScanner.wordCount(base, start: 0, end: count, upTo: limit)
                    #expect(catalog_c4_word_count(base, count, readable, limit) == expected, "\(line) limit \(limit)")
                }
            }
        }
    }

    @Test func phrasesMatchSwift() {
        var found = 0
        for line in Self.lines() {
            Self.withLayouts(line) { base, count, readable in
                let expected = QualitySignalScanner.scanPhrases(base, start: 0, end: count)
                let actual = QualitySignalScanner.phrases(fromFlags: catalog_c4_phrases(base, count, readable))
                #expect(actual.loremIpsum == expected.loremIpsum, "\(line)")
                #expect(actual.javascript == expected.javascript, "\(line)")
                #expect(actual.curlyBracket == expected.curlyBracket, "\(line)")
                #expect(actual.policy == expected.policy, "\(line)")
                if expected.loremIpsum || expected.policy { found += 1 }
            }
        }
        #expect(found > 2000)  // the pieces do produce phrases
    }

    @Test func sentenceCountMatchesSwift() {
        var multiple = 0
        for line in Self.lines() {
            Self.withLayouts(line) { base, count, readable in
                let expected = QualitySignalScanner.sentenceCount(base, start: 0, end: count)
                #expect(catalog_c4_sentence_count(base, count, readable) == expected, "\(line)")
                if expected > 2 { multiple += 1 }
            }
        }
        #expect(multiple > 600)
    }
}
