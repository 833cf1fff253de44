import Testing
@testable import CatalogCore

/// The masked-tail and lane-sum forms of the line helpers against their plain forms.
@Suite struct ScanHelpersTests {
    /// 600 bytes mixing ASCII, 2-, 3- and 4-byte scalars, and stray continuation bytes.
    static let bytes: [UInt8] = {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("word ".utf8), Array("é".utf8), Array("日本".utf8), Array("😀".utf8),
            [0x80], [0xBF], [0xFF], Array("\n".utf8),
        ]
        var state: UInt64 = 11
        var bytes: [UInt8] = []
        while bytes.count < 600 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            bytes += pieces[Int(HashMixing.fmix64(state) % UInt64(pieces.count))]
        }
        return Array(bytes.prefix(600))
    }()

    @Test func scalarCountWithReadableTailMatchesAByteCount() {
        Self.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for start in 0..<24 {
                for end in start...(start + 300) {
                    let expected = (start..<end).filter { (buffer[$0] & 0xC0) != 0x80 }.count
                    #expect(UnicodeText.scalarCount(base, start: start, end: end) == expected)
                    #expect(UnicodeText.scalarCount(base, start: start, end: end, readableEnd: buffer.count) == expected)
                }
            }
        }
    }

    @Test func hashWithReadableTailMatchesTheByteLoop() {
        Self.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for start in 0..<16 {
                for count in 0...40 {
                    let expected = SignalHash.bytes(base + start, count: count)
                    #expect(SignalHash.bytes(base + start, count: count, readable: buffer.count - start) == expected)
                }
            }
        }
    }
}
