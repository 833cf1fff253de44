@testable import CatalogCore

/// A seeded generator for test inputs (SplitMix64), independent of the library's code.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`, drawn without the standard library's sampling algorithms.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

/// A plain, slow implementation of the `norm_v1` + MinHash pipeline for ASCII text, written
/// from the documented rules without sharing code with the library.
enum NaiveMinHash {
    static let tokenSeed: UInt64 = 0x243F_6A88_85A3_08D3
    static let blockMultiplier: UInt64 = 0xA076_1D64_78BD_642F
    static let finalSalt: UInt64 = 0xE703_7ED1_A0B4_28DB
    static let lengthSalt: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    static let polynomialBase: UInt64 = 0x9E37_79B9_7F4A_7C15

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    /// Tokens of ASCII text: numbers → "0", then split on non-word bytes, then lowercase.
    static func asciiTokens(_ text: [UInt8]) -> [[UInt8]] {
        var replaced: [UInt8] = []
        var i = 0
        while i < text.count {
            if isDigit(text[i]) {
                var j = i
                while j < text.count && isDigit(text[j]) { j += 1 }
                while j + 1 < text.count && (text[j] == 0x2E || text[j] == 0x2C) && isDigit(text[j + 1]) {
                    j += 1
                    while j < text.count && isDigit(text[j]) { j += 1 }
                }
                replaced.append(0x30)
                i = j
            } else {
                replaced.append(text[i])
                i += 1
            }
        }
        var tokens: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in replaced {
            if isWordByte(byte) {
                current.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            } else if !current.isEmpty {
                tokens.append(current)
                current = []
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The documented token hash: 8-byte little-endian blocks, all but the last absorbed.
    static func tokenHash(_ token: [UInt8]) -> UInt64 {
        var blocks: [UInt64] = []
        var start = 0
        while start < token.count {
            var block: UInt64 = 0
            for (offset, byte) in token[start..<min(start + 8, token.count)].enumerated() {
                block |= UInt64(byte) << (8 * UInt64(offset))
            }
            blocks.append(block)
            start += 8
        }
        var h = tokenSeed
        for block in blocks.dropLast() {
            h = mum(h ^ block, blockMultiplier)
        }
        return mum(h ^ (blocks.last ?? 0) ^ finalSalt, UInt64(token.count) ^ lengthSalt)
    }

    static func fmix64(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k &*= 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k &*= 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    /// Shingle hashes: every window of `size` token hashes (or all of them when fewer).
    static func shingleHashes(_ tokenHashes: [UInt64], size: Int) -> [UInt64] {
        guard !tokenHashes.isEmpty else { return [] }
        func combine(_ window: ArraySlice<UInt64>) -> UInt64 {
            var value: UInt64 = 0
            for hash in window { value = value &* polynomialBase &+ hash }
            return fmix64(value)
        }
        if tokenHashes.count < size { return [combine(tokenHashes[...])] }
        return (0...(tokenHashes.count - size)).map { combine(tokenHashes[$0..<($0 + size)]) }
    }

    static func signature(shingles: [UInt64], multipliers: [UInt64], offsets: [UInt64]) -> [UInt32] {
        var result: [UInt32] = []
        for (a, b) in zip(multipliers, offsets) {
            var lowest = UInt32.max
            for x in shingles {
                lowest = min(lowest, UInt32((a &* x &+ b) >> 32))
            }
            result.append(lowest)
        }
        return result
    }

    static func signature(ofASCII text: String, scheme: MinHashScheme) -> [UInt32]? {
        let tokens = asciiTokens(Array(text.utf8))
        let shingles = shingleHashes(tokens.map(tokenHash), size: scheme.shingleSize)
        guard !shingles.isEmpty else { return nil }
        let (multipliers, offsets) = scheme.permutationParameters()
        return signature(shingles: shingles, multipliers: multipliers, offsets: offsets)
    }
}

/// Random ASCII documents that exercise every rule of the fast path.
enum GeneratedText {
    static let pieces = [
        "the", "The", "QUICK", "brown", "fox", "jumps", "over", "lazy", "dog", "a", "I",
        "extraordinarily", "Incomprehensibilities", "pneumonoultramicroscopicsilicovolcanoconiosis",
        "snake_case", "_private", "__init__", "x1", "abc123def", "B2B", "mp3",
        "12", "007", "3.14", "1,000", "1,000,000", "1.2.3", "12.", ".5", "1..5", "4,", "2024-01-01",
        "don't", "e.g.", "U.S.A.", "co-operate", "(see", "below)", "[1]", "{x}", "<tag>", "a/b", "C++",
        "foo.bar(baz)", "$HOME", "50%", "#42", "@user", "user@example.com", "http://x.y/z?q=1",
    ]
    static let separators = [" ", " ", " ", "  ", "\n", "\n\n", "\t", ", ", ". ", "; ", " - ", "!", "?", "\r\n", "\u{0}", "\u{7F}"]

    static func document(pieceCount: Int, using generator: inout SeededGenerator) -> String {
        var text = ""
        for index in 0..<pieceCount {
            if index > 0 { text += separators[generator.below(separators.count)] }
            text += pieces[generator.below(pieces.count)]
        }
        return text
    }

    /// Arbitrary ASCII bytes (0–127), as a string.
    static func asciiNoise(length: Int, using generator: inout SeededGenerator) -> String {
        String(decoding: (0..<length).map { _ in UInt8(generator.below(128)) }, as: UTF8.self)
    }
}
