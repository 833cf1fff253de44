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
}
