import Foundation
import Testing
@testable import CatalogCore

@Suite struct JSONTextTests {
    /// The escaping rules one byte at a time: the oracle for the word-at-a-time scanner.
    private func reference(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += Array(#"\""#.utf8)
            case 0x5C: out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case 0..<0x20: out += Array(String(format: "\\u%04x", scalar.value).utf8)
            case 0x2028: out += Array(#"\u2028"#.utf8)
            case 0x2029: out += Array(#"\u2029"#.utf8)
            default: out += Array(String(scalar).utf8)
            }
        }
        return out + [0x22]
    }

    @Test func escapingMatchesTheBytewiseRulesOnRandomText() throws {
        let pieces = ["a", "bc", "defgh ", "\"", "\\", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "\u{2028}",
                      "\u{2029}", "\u{2027}", "\u{202A}", "€", "漢", "🙂", " ", "0123456789abcdef"]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let text = (0..<generator.below(40)).map { _ in pieces[generator.below(pieces.count)] }.joined()
            var out: [UInt8] = []
            JSONText.appendQuoted(text, to: &out)
            #expect(out == reference(text), "\(text.debugDescription)")
            let decoded = try JSONSerialization.jsonObject(with: Data(out), options: .fragmentsAllowed) as? String
            #expect(decoded == text)
        }
    }

    /// The kernel stops when its output space runs low and is called again: a builder that
    /// starts small and texts dense in 6-byte escapes cross those stops everywhere.
    @Test func builderMatchesTheRulesAcrossOutputRefills() throws {
        let pieces = ["abcdefghijklmnopqrstuvwxyz0123", "\u{1}", "\u{1F}", "\"", "\\", "\n", "\u{2028}", "\u{2029}",
                      "\u{2027}", "€", "é", "x"]
        var generator = SeededGenerator(seed: 7)
        for round in 0..<300 {
            let count = round < 10 ? 5_000 : generator.below(300)
            let text = (0..<count).map { _ in pieces[generator.below(pieces.count)] }.joined()
            var builder = ByteBuilder(capacity: 64)
            builder.append(0x5B)
            JSONText.appendQuoted(text, to: &builder)
            #expect(Array(builder.bytes) == [0x5B] + reference(text), "\(text.prefix(80).debugDescription)")
            var array: [UInt8] = []
            JSONText.appendQuoted(text, to: &array)
            #expect(array == reference(text))
        }
    }

    /// Bytes the escaper only looks at: 0xE2 not followed by 80 A8/A9, also at the very end
    /// (where a three-byte check would read past the text), is copied unchanged.
    @Test func leadByteWithoutLineSeparatorIsCopied() {
        let cases: [[UInt8]] = [[0xE2], [0x61, 0xE2, 0x80], [0xE2, 0x80, 0xA7], Array(repeating: 0x61, count: 15) + [0xE2, 0x80]]
        for bytes in cases {
            var builder = ByteBuilder(capacity: 64)
            bytes.withUnsafeBytes { JSONText.appendQuoted($0, to: &builder) }
            #expect(Array(builder.bytes) == [0x22] + bytes + [0x22])
        }
    }
}
