import Testing
@testable import CatalogCore

/// `NGramCounter`'s two slot layouts against a dictionary and against each other, and the
/// scanner's signals with either layout.
@Suite struct NGramCounterTests {
    /// Hashes that collide on few home slots (long probe runs) with distinct fingerprints,
    /// in a repetitive order.
    static func collidingHashes() -> [UInt64] {
        var state: UInt64 = 5
        var hashes: [UInt64] = []
        for _ in 0..<3000 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            let pick = HashMixing.fmix64(state) % 400
            // 400 distinct fingerprints (high halves, bit 32 set), 7 home slots.
            hashes.append(((pick &* 2 &+ 0x1001) << 33) | 0x1_0000_0000 | (pick % 7))
        }
        return hashes
    }

    @Test(arguments: [1 << 16, 0])
    func countsAndFirstPositionsMatchADictionary(compactLimit: Int) {
        let hashes = Self.collidingHashes()
        var counter = NGramCounter()
        defer { counter.deallocate() }
        counter.compactLimit = compactLimit
        counter.reset(forElements: hashes.count, positions: hashes.count)
        #expect(counter.isCompact == (compactLimit > 0))
        var counts: [UInt64: Int] = [:]
        var firsts: [UInt64: Int32] = [:]
        for (position, hash) in hashes.enumerated() {
            let position = Int32(position)
            counts[hash, default: 0] += 1
            if firsts[hash] == nil { firsts[hash] = position }
            let (count, first) = counter.isCompact
                ? counter.addCompact(hash, position: position) : counter.addWide(hash, position: position)
            #expect(count == counts[hash] && first == firsts[hash], "position \(position)")
        }
    }

    @Test func bothLayoutsMergeTheSameHashes() {
        // Equal high halves but for bit 32 (which the fingerprint sets) and the same home slot:
        // merged by both layouts, exactly as by the 8-byte entries they replace.
        let hashes: [UInt64] = [0xABCD_0000_0000_0003, 0xABCD_0001_0000_0003, 0xABCD_0000_0000_0003, 0x1234_0000_0000_0003]
        var compact = NGramCounter()
        var wide = NGramCounter()
        defer {
            compact.deallocate()
            wide.deallocate()
        }
        wide.compactLimit = 0
        compact.reset(forElements: 4, positions: 4)
        wide.reset(forElements: 4, positions: 4)
        var results: [(Int, Int32)] = []
        for (position, hash) in hashes.enumerated() {
            let a = compact.addCompact(hash, position: Int32(position))
            let b = wide.addWide(hash, position: Int32(position))
            #expect(a == b)
            results.append(a)
        }
        #expect(results.map { $0.0 } == [1, 2, 3, 1])
        #expect(results.map { $0.1 } == [0, 0, 0, 3])
    }

    /// Tricky texts for the line and n-gram passes: CRLF, lone CR, runs of blank lines,
    /// trailing newlines, non-ASCII, CJK, very long lines, heavy repetition.
    static let texts: [String] = [
        "",
        "one",
        "a b a b a b c",
        "line one\r\nline two\r\nline one\r\n",
        "lone\rcarriage\rreturns\r",
        "para one\n\n\n\npara two\n\npara one\n\n\n",
        "\n\n\nstarts and ends with newlines\n\n\n",
        "café naïve résumé, café naïve résumé. “Quoted” text… and more text…",
        "日本語のテキストです。日本語のテキストです。中文文本。",
        String(repeating: "a very long line with many words ", count: 400),
        String(repeating: "the cat sat on the mat. ", count: 300) + "\n" + String(repeating: "x y ", count: 200),
        (0..<2000).map { "w\($0 % 37) w\($0 % 11)" }.joined(separator: " "),
    ]

    @Test func wideLayoutGivesTheSameSignals() {
        let compact = QualitySignalScanner()
        let wide = QualitySignalScanner()
        wide.counter.compactLimit = 0
        for text in Self.texts {
            #expect(wide.signals(of: text) == compact.signals(of: text), "\(text.prefix(40).debugDescription)")
        }
    }
}
