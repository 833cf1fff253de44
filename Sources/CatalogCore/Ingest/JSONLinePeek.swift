import CKernels

/// Finds a top-level member of a JSONL line by walking the object backwards from its closing
/// brace: member by member, from the last to the first, skipping each value by structure.
///
/// JSONL writers usually put the long `text` first and short fields such as `source` after it,
/// so the walk usually finds the member without touching the text, where a forward walk has to
/// skip the whole text to get there. Backwards, a quote ends a string unless an odd number of
/// backslashes precedes it; that holds in any well-formed line, so on a well-formed line the
/// walk finds exactly the member a forward walk does (the last one, when the key repeats).
///
/// It does not validate what it skips: on a malformed line it may find a member where a strict
/// scan rejects the line. It answers `.unknown` when the line's end does not look like an
/// object, and the caller then walks forwards.
struct JSONLineTailPeek {
    /// What the backward walk found for a key.
    enum Finding: Equatable {
        /// The last top-level member with the key is a string whose opening quote is at this index.
        case string(openingQuote: Int)
        /// The last top-level member with the key is not a string.
        case notString
        /// Every top-level member was walked; none has the key (written without escapes).
        case absent
        /// The walk could not tell (no object at the end of the line, or a broken structure).
        case unknown
    }

    let base: UnsafePointer<UInt8>
    let count: Int

    /// The last top-level member whose key is exactly `key` (keys written with escapes never
    /// match, as in `JSONLineScanner.peekString`: a `key` with a backslash is `.unknown`).
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Finding {
        guard !key.contains(UInt8(ascii: "\\")) else { return .unknown }
        var i = skipWhitespace(before: count)
        guard i >= 0, base[i] == UInt8(ascii: "}") else { return .unknown }
        i = skipWhitespace(before: i)
        if i >= 0, base[i] == UInt8(ascii: "{") { return startsLine(at: i) ? .absent : .unknown }
        while i >= 0 {
            guard let valueStart = valueStart(endingAt: i) else { return .unknown }
            i = skipWhitespace(before: valueStart)
            guard i >= 0, base[i] == UInt8(ascii: ":") else { return .unknown }
            i = skipWhitespace(before: i)
            guard i >= 0, base[i] == UInt8(ascii: "\""), let keyQuote = openingQuote(closingAt: i) else { return .unknown }
            if isKey(key, from: keyQuote &+ 1, to: i) {
                return base[valueStart] == UInt8(ascii: "\"") ? .string(openingQuote: valueStart) : .notString
            }
            i = skipWhitespace(before: keyQuote)
            guard i >= 0 else { return .unknown }
            if base[i] == UInt8(ascii: "{") { return startsLine(at: i) ? .absent : .unknown }
            guard base[i] == UInt8(ascii: ",") else { return .unknown }
            i = skipWhitespace(before: i)
        }
        return .unknown
    }

    /// The index of the last non-whitespace byte before `index`, or -1.
    @inline(__always)
    private func skipWhitespace(before index: Int) -> Int {
        var i = index &- 1
        while i >= 0 {
            let c = base[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i &-= 1
        }
        return i
    }

    /// Whether only whitespace precedes `index` (the object's `{` is the line's first byte).
    private func startsLine(at index: Int) -> Bool { skipWhitespace(before: index) < 0 }

    /// The opening quote of the string whose closing quote is at `index`: the nearest quote
    /// before it preceded by an even number of backslashes.
    private func openingQuote(closingAt index: Int) -> Int? {
        var i = index
        while true {
            let found = catalog_json_last_quote(base, i)
            guard found >= 0 else { return nil }
            var backslashes = 0
            while found &- backslashes &- 1 >= 0 && base[found &- backslashes &- 1] == UInt8(ascii: "\\") {
                backslashes &+= 1
            }
            if backslashes & 1 == 0 { return found }
            i = found
        }
    }

    /// The first index of the value whose last byte is at `index`.
    private func valueStart(endingAt index: Int) -> Int? {
        switch base[index] {
        case UInt8(ascii: "\""):
            return openingQuote(closingAt: index)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            var depth = 0
            var i = index
            while i >= 0 {
                switch base[i] {
                case UInt8(ascii: "\""):
                    guard let quote = openingQuote(closingAt: i) else { return nil }
                    i = quote
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth &+= 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth &-= 1
                    if depth == 0 { return i }
                default:
                    break
                }
                i &-= 1
            }
            return nil
        default:
            // A number or literal: back to the byte that precedes any value.
            var i = index
            while i >= 0 {
                switch base[i] {
                case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
                    UInt8(ascii: "{"), UInt8(ascii: "\""):
                    return i == index ? nil : i &+ 1
                default:
                    i &-= 1
                }
            }
            return nil
        }
    }

    private func isKey(_ key: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard end &- start == key.count else { return false }
        return key.baseAddress.map { bytesEqual($0, base + start, key.count) } ?? true
    }
}
