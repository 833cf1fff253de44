/// An fnmatch-style pattern for `--include` / `--exclude`, matched against a relative path.
///
/// - `*` matches any run of characters except `/`; `?` one character except `/`;
///   `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`) one character of a set; `\x` the character x.
/// - `**/` matches zero or more whole directories (`data/**/part-*.jsonl`); a trailing `/**`
///   matches everything below (`tmp/**`); `**` inside a name acts like `*`.
/// - A pattern without `/` is matched against the file name at any depth, as in `.gitignore`:
///   `*.jsonl` is `**/*.jsonl`. A leading `./` is ignored.
public struct GlobPattern: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]

    private enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case set(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)
        case star
        case directories  // "**/"
        case everything  // trailing "/**" or a lone "**"
    }

    /// Parses `pattern`; every string is a valid pattern (an unclosed `[` is a literal).
    public init(_ pattern: String) {
        self.pattern = pattern
        var text = Array(pattern.unicodeScalars)
        if text.starts(with: ["." as Unicode.Scalar, "/"]) { text.removeFirst(2) }
        if !text.contains("/") { text = Array("**/".unicodeScalars) + text }
        tokens = Self.tokenize(text)
    }

    /// The pattern as written.
    public var description: String { pattern }

    /// Whether `path` (relative, `/`-separated) matches the pattern.
    public func matches(_ path: String) -> Bool {
        let subject = Array(path.unicodeScalars)
        var memo = [UInt8](repeating: 0, count: (tokens.count + 1) * (subject.count + 1))
        return match(0, 0, subject, &memo)
    }

    private static func tokenize(_ text: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < text.count {
            let c = text[i]
            switch c {
            case "*":
                var j = i
                while j < text.count, text[j] == "*" { j += 1 }
                let wholeComponent = (i == 0 || text[i - 1] == "/") && j - i >= 2
                if wholeComponent, j < text.count, text[j] == "/" {
                    tokens.append(.directories)
                    j += 1
                } else if wholeComponent, j == text.count {
                    tokens.append(.everything)
                } else {
                    tokens.append(.star)
                }
                i = j
            case "?":
                tokens.append(.anyCharacter)
                i += 1
            case "[":
                if let (token, next) = parseSet(text, from: i) {
                    tokens.append(token)
                    i = next
                } else {
                    tokens.append(.literal(c))
                    i += 1
                }
            case "\\" where i + 1 < text.count:
                tokens.append(.literal(text[i + 1]))
                i += 2
            default:
                tokens.append(.literal(c))
                i += 1
            }
        }
        return tokens
    }

    private static func parseSet(_ text: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < text.count, text[i] == "!" || text[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while i < text.count {
            var c = text[i]
            if c == "]", !first { return (.set(ranges: ranges, negated: negated), i + 1) }
            first = false
            if c == "\\", i + 1 < text.count {
                i += 1
                c = text[i]
            }
            if i + 2 < text.count, text[i + 1] == "-", text[i + 2] != "]" {
                let upper = text[i + 2]
                if c <= upper { ranges.append(c...upper) }
                i += 3
            } else {
                ranges.append(c...c)
                i += 1
            }
        }
        return nil
    }

    /// Memoised backtracking: memo holds 0 unknown, 1 no, 2 yes for (token, position).
    private func match(_ t: Int, _ s: Int, _ subject: [Unicode.Scalar], _ memo: inout [UInt8]) -> Bool {
        let key = t * (subject.count + 1) + s
        if memo[key] != 0 { return memo[key] == 2 }
        let result: Bool
        if t == tokens.count {
            result = s == subject.count
        } else {
            let atEnd = s == subject.count
            switch tokens[t] {
            case .literal(let c):
                result = !atEnd && subject[s] == c && match(t + 1, s + 1, subject, &memo)
            case .anyCharacter:
                result = !atEnd && subject[s] != "/" && match(t + 1, s + 1, subject, &memo)
            case .set(let ranges, let negated):
                result = !atEnd && subject[s] != "/"
                    && ranges.contains { $0.contains(subject[s]) } != negated
                    && match(t + 1, s + 1, subject, &memo)
            case .star:
                result = match(t + 1, s, subject, &memo)
                    || (!atEnd && subject[s] != "/" && match(t, s + 1, subject, &memo))
            case .everything:
                result = match(t + 1, s, subject, &memo) || (!atEnd && match(t, s + 1, subject, &memo))
            case .directories:
                if match(t + 1, s, subject, &memo) {
                    result = true
                } else if let slash = subject[s...].firstIndex(of: "/") {
                    result = match(t, slash + 1, subject, &memo)
                } else {
                    result = false
                }
            }
        }
        memo[key] = result ? 2 : 1
        return result
    }
}
