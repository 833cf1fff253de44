/// Random well-formed JSON objects for testing the JSONL scanner's peeks: members named
/// `source` (sometimes repeated, sometimes written with an escape), strings with escaped quotes
/// and runs of backslashes, nested objects and arrays holding quotes and brackets, numbers and
/// literals, with random whitespace around every token.
enum RandomJSONLine {
    static func object(using generator: inout SeededGenerator, depth: Int = 0) -> String {
        let members = generator.below(5)
        var parts: [String] = []
        for _ in 0..<members {
            parts.append(space(&generator) + key(&generator) + space(&generator) + ":" + space(&generator)
                + value(&generator, depth: depth) + space(&generator))
        }
        return space(&generator) + "{" + (parts.isEmpty ? space(&generator) : parts.joined(separator: ",")) + "}"
            + (depth == 0 ? space(&generator) : "")
    }

    private static func key(_ generator: inout SeededGenerator) -> String {
        switch generator.below(10) {
        case 0..<4: return #""source""#
        case 4: return #""sour\u0063e""#  // the same name, escaped: never matches
        case 5: return #""sourc""#
        default: return string(&generator)
        }
    }

    private static func value(_ generator: inout SeededGenerator, depth: Int) -> String {
        switch generator.below(10) {
        case 0..<5: return string(&generator)
        case 5: return pick(["true", "false", "null"], &generator)
        case 6: return pick(["0", "-12", "3.5e-7", "1E400"], &generator)
        case 7 where depth < 3: return object(using: &generator, depth: depth + 1)
        case 8 where depth < 3:
            let items = (0..<generator.below(4)).map { _ in value(&generator, depth: depth + 1) }
            return "[" + items.joined(separator: "," + space(&generator)) + "]"
        default: return string(&generator)
        }
    }

    private static func string(_ generator: inout SeededGenerator) -> String {
        let pieces = [
            "a", "web", " ", "}", "]", "{", "[", ":", ",", #"\""#, #"\\"#, #"\\\""#, #"\\\\"#, #"\n"#, #"\u00e9"#,
            "é", #"\"source\": "#, #"\"source\": \"x\""#,
        ]
        let count = generator.below(7)
        return "\"" + (0..<count).map { _ in pick(pieces, &generator) }.joined() + "\""
    }

    private static func space(_ generator: inout SeededGenerator) -> String {
        pick(["", "", " ", "  ", "\t", "\r"], &generator)
    }

    private static func pick(_ choices: [String], _ generator: inout SeededGenerator) -> String {
        choices[generator.below(choices.count)]
    }
}
