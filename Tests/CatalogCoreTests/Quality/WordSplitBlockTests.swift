import Testing
@testable import CatalogCore

/// The word splitter's ASCII block path (CKernels/words.c) against its byte loop alone.
@Suite struct WordSplitBlockTests {
    /// Texts mixing ASCII words of every length (up to 70 bytes), digits, `_`, punctuation runs,
    /// dot runs across 64-byte boundaries, `#`, controls, spaces and newlines with non-ASCII
    /// letters, marks, format characters, spaces, CJK and invalid bytes.
    static func texts() -> [[UInt8]] {
        let pieces: [String] = [
            "the", "The", "be", "to", "of", "and", "that", "have", "with", "a", "I", "x1", "42", "_", "__init__",
            "snake_case", "word", "abcdefgh", "abcdefghi", "supercalifragilistic", ".", "..", "...", "....", "......",
            ",", "),", "#", "##", "!?", "\"", "'", "-", " ", "  ", "   ", "\n", "\n\n", "\t", "\r", "\u{7F}", "\u{1}",
            "café", "naïve", "e\u{301}", "\u{200D}", "\u{AD}", "\u{A0}", "\u{3000}", "日本語", "ไทย", "😀", "…",
            "Ünïcödé", "x\u{2026}y",
        ]
        let long = String(repeating: "y", count: 70)
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return Int(HashMixing.fmix64(state) % UInt64(bound))
        }
        var texts: [[UInt8]] = []
        for round in 0..<600 {
            var text: [UInt8] = []
            let asciiOnly = round % 3 == 0
            for _ in 0..<next(300) {
                switch next(40) {
                case 0: text += Array(long.utf8)
                case 1 where !asciiOnly: text.append([0xC3, 0x80, 0xFF][next(3)])
                default:
                    var piece = pieces[next(pieces.count)]
                    while asciiOnly && !piece.utf8.allSatisfy({ $0 < 0x80 }) { piece = pieces[next(pieces.count)] }
                    text += Array(piece.utf8)
                }
                if next(3) != 0 { text.append(0x20) }
            }
            texts.append(text)
        }
        return texts
    }

    @Test func blocksMatchTheByteLoop() {
        let blocks = QualitySignalScanner()
        let bytes = QualitySignalScanner()
        bytes.asciiWordBlocks = false
        for text in Self.texts() {
            text.withUnsafeBufferPointer { buffer in
                let expected = bytes.signals(of: buffer)
                let actual = blocks.signals(of: buffer)
                #expect(actual == expected, "\(String(decoding: text, as: UTF8.self).debugDescription)")
                let expectedWords = (0..<bytes.wordHashes.count).map { bytes.wordHashes[$0] }
                let actualWords = (0..<blocks.wordHashes.count).map { blocks.wordHashes[$0] }
                #expect(actualWords == expectedWords)
                let expectedLengths = (0..<bytes.wordLengths.count).map { bytes.wordLengths[$0] }
                let actualLengths = (0..<blocks.wordLengths.count).map { blocks.wordLengths[$0] }
                #expect(actualLengths == expectedLengths)
            }
        }
    }
}
