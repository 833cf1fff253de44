/// The hot loops of `JSONLineScanner`: whitespace, strings (16 bytes per step), numbers,
/// literals and structural skipping, over the bytes of one line that is already valid UTF-8.
///
/// Every function takes an index and returns the index after what it consumed, so that the
/// loops keep their state in registers. Columns in errors are 1-based.
struct LineCursor {
    let base: UnsafePointer<UInt8>
    let end: Int

    // MARK: Whitespace and classification

    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < end {
            let c = base[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i &+= 1
        }
        return i
    }

    /// The kind of value starting at `i`, judged by its first byte, or nil when none can start there.
    func kind(at i: Int) -> JSONValueKind? {
        guard i < end else { return nil }
        switch base[i] {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Names what is at `i` for a message: `'x'`, `a space`, `control byte 0x01`, `end of line`.
    func describe(at i: Int) -> String {
        guard i < end else { return "end of line" }
        let c = base[i]
        switch c {
        case 0x20: return "a space"
        case 0x21..<0x7F: return "'\(Character(Unicode.Scalar(c)))'"
        case ..<0x20, 0x7F: return "control byte 0x\(hexByte(c))"
        default:
            if c == 0xEF, i + 2 < end, base[i + 1] == 0xBB, base[i + 2] == 0xBF {
                return "a byte order mark (U+FEFF)"
            }
            let length = max(1, UTF8Validation.sequenceLength(base, count: end, at: i))
            return "'\(String(decoding: UnsafeBufferPointer(start: base + i, count: length), as: UTF8.self))'"
        }
    }

    func malformed(expected: String, at i: Int) -> JSONLineError {
        .malformed(expected: expected, found: describe(at: i), column: i + 1)
    }

    // MARK: Strings

    /// Marks (0x80 in the byte) every `"`, `\\` and control byte of 8 bytes read little-endian.
    /// Bytes above the lowest marked one may be marked spuriously (borrows), so only the lowest
    /// mark is exact, which is all the callers use. Plain integer SWAR: Swift's `SIMD16` compares
    /// are not reliably vectorized in a baseline x86-64 build.
    @inline(__always)
    static func specialBytes(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = x ^ (ones &* 0x22)
        let backslash = x ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        let control = (x &- ones &* 0x20) & ~x
        return (quoteZero | backslashZero | control) & (ones &* 0x80)
    }

    /// Offset of the first `"`, `\\` or control byte among the 16 bytes at `p`, or 16 when none.
    @inline(__always)
    static func firstSpecialByte(_ low: UInt64, _ high: UInt64) -> Int {
        let lowMarks = specialBytes(UInt64(littleEndian: low))
        if lowMarks != 0 { return lowMarks.trailingZeroBitCount &>> 3 }
        let highMarks = specialBytes(UInt64(littleEndian: high))
        if highMarks != 0 { return 8 &+ (highMarks.trailingZeroBitCount &>> 3) }
        return 16
    }

    /// Validates the string whose opening quote is at `start - 1`.
    /// Returns the index after the closing quote and whether the string contains escapes.
    func skipString(from start: Int) throws(JSONLineError) -> (next: Int, escaped: Bool) {
        var i = start
        var escaped = false
        while true {
            while i &+ 16 <= end {
                let p = UnsafeRawPointer(base + i)
                let k = Self.firstSpecialByte(
                    p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                i &+= k
                if k < 16 { break }
            }
            guard i < end else { throw malformed(expected: "'\"' closing the string", at: i) }
            let c = base[i]
            if c == UInt8(ascii: "\"") { return (i &+ 1, escaped) }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i = try validateEscape(at: i)
            } else if c < 0x20 {
                throw .controlCharacterInString(byte: c, column: i + 1)
            } else {
                i &+= 1
            }
        }
    }

    /// Checks the escape whose backslash is at `i`; returns the index after it.
    private func validateEscape(at i: Int) throws(JSONLineError) -> Int {
        guard i &+ 1 < end else { throw malformed(expected: "an escape after '\\'", at: i &+ 1) }
        switch base[i &+ 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i &+ 2
        case UInt8(ascii: "u"):
            _ = try hex4(escapeAt: i)
            return i &+ 6
        default:
            throw badEscape(at: i, length: 2)
        }
    }

    /// Decodes the string whose opening quote is at `start - 1` into `out`, which must have
    /// room for `end - start + 16` bytes (decoded text is never longer than its JSON form).
    /// Returns the index after the closing quote and the number of bytes written.
    @inline(__always)
    func decodeString(
        from start: Int, into out: UnsafeMutablePointer<UInt8>, repairs: inout Int, firstRepair: inout Int
    ) throws(JSONLineError) -> (next: Int, count: Int) {
        var i = start
        var o = 0
        let outRaw = UnsafeMutableRawPointer(out)
        while true {
            while i &+ 16 <= end {
                let p = UnsafeRawPointer(base + i)
                let low = p.loadUnaligned(as: UInt64.self)
                let high = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                outRaw.storeBytes(of: low, toByteOffset: o, as: UInt64.self)
                outRaw.storeBytes(of: high, toByteOffset: o &+ 8, as: UInt64.self)
                let k = Self.firstSpecialByte(low, high)
                i &+= k
                o &+= k
                if k < 16 { break }
            }
            guard i < end else { throw malformed(expected: "'\"' closing the string", at: i) }
            let c = base[i]
            if c == UInt8(ascii: "\"") { return (i &+ 1, o) }
            if c < 0x20 { throw .controlCharacterInString(byte: c, column: i + 1) }
            if c != UInt8(ascii: "\\") {
                out[o] = c
                i &+= 1
                o &+= 1
                continue
            }
            guard i &+ 1 < end else { throw malformed(expected: "an escape after '\\'", at: i &+ 1) }
            let simple: UInt8
            switch base[i &+ 1] {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "u"):
                var scalar = try hex4(escapeAt: i)
                var consumed = 6
                var repaired = false
                if (0xD800...0xDBFF).contains(scalar) {
                    if i &+ 12 <= end, base[i &+ 6] == UInt8(ascii: "\\"), base[i &+ 7] == UInt8(ascii: "u"),
                        let low = hex4IfValid(at: i &+ 8), (0xDC00...0xDFFF).contains(low)
                    {
                        scalar = 0x10000 &+ ((scalar &- 0xD800) &<< 10) &+ (low &- 0xDC00)
                        consumed = 12
                    } else {
                        scalar = 0xFFFD
                        repaired = true
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                    repaired = true
                }
                if repaired {
                    if repairs == 0 { firstRepair = i + 1 }
                    repairs += 1
                }
                o &+= Self.encodeUTF8(scalar, into: out + o)
                i &+= consumed
                continue
            default:
                throw badEscape(at: i, length: 2)
            }
            out[o] = simple
            o &+= 1
            i &+= 2
        }
    }

    @inline(__always)
    private static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case ..<0x80:
            out[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case ..<0x800:
            out[0] = UInt8(truncatingIfNeeded: 0xC0 | (scalar >> 6))
            out[1] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
            return 2
        case ..<0x10000:
            out[0] = UInt8(truncatingIfNeeded: 0xE0 | (scalar >> 12))
            out[1] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
            out[2] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
            return 3
        default:
            out[0] = UInt8(truncatingIfNeeded: 0xF0 | (scalar >> 18))
            out[1] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 12) & 0x3F))
            out[2] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
            out[3] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
            return 4
        }
    }

    /// The value of the four hex digits after the `\u` whose backslash is at `i`.
    private func hex4(escapeAt i: Int) throws(JSONLineError) -> UInt32 {
        guard let value = hex4IfValid(at: i &+ 2) else {
            throw badEscape(at: i, length: 6)
        }
        return value
    }

    @inline(__always)
    private func hex4IfValid(at i: Int) -> UInt32? {
        guard i &+ 4 <= end else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = base[i &+ k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value &<< 4 | UInt32(digit)
        }
        return value
    }

    private func badEscape(at i: Int, length: Int) -> JSONLineError {
        var stop = min(end, i + length)
        // Never cut a multi-byte character in the message; stop before a quote.
        while stop > i + 1, stop < end, base[stop] & 0xC0 == 0x80 { stop += 1 }
        if let quote = (i + 1..<stop).first(where: { base[$0] == UInt8(ascii: "\"") }) { stop = quote }
        let text = String(decoding: UnsafeBufferPointer(start: base + i, count: stop - i), as: UTF8.self)
        return .badEscape(sequence: "'\(text)'", column: i + 1)
    }

    // MARK: Numbers, literals, containers

    /// Validates the number at `start` (RFC 8259 grammar); returns its end and whether it is an integer.
    func skipNumber(at start: Int) throws(JSONLineError) -> (next: Int, isInteger: Bool) {
        var i = start
        @inline(__always) func isDigit(_ j: Int) -> Bool {
            j < end && base[j] &- UInt8(ascii: "0") < 10
        }
        if i < end, base[i] == UInt8(ascii: "-") { i &+= 1 }
        if i < end, base[i] == UInt8(ascii: "0") {
            i &+= 1
        } else if isDigit(i) {
            while isDigit(i) { i &+= 1 }
        } else {
            throw malformed(expected: "a digit", at: i)
        }
        var isInteger = true
        if i < end, base[i] == UInt8(ascii: ".") {
            i &+= 1
            guard isDigit(i) else { throw malformed(expected: "a digit after '.'", at: i) }
            while isDigit(i) { i &+= 1 }
            isInteger = false
        }
        if i < end, base[i] | 0x20 == UInt8(ascii: "e") {
            i &+= 1
            if i < end, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i &+= 1 }
            guard isDigit(i) else { throw malformed(expected: "a digit in the exponent", at: i) }
            while isDigit(i) { i &+= 1 }
            isInteger = false
        }
        return (i, isInteger)
    }

    /// Checks that `literal` (true, false, null) is spelled out at `start`; returns its end.
    func skipLiteral(_ literal: StaticString, at start: Int) throws(JSONLineError) -> Int {
        let count = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        for k in 0..<count where start + k >= end || base[start + k] != expected[k] {
            throw malformed(expected: "'\(literal)'", at: start + k)
        }
        return start + count
    }

    /// Validates the value at `start` by structure; `depth` counts the containers around it.
    func skipValue(at start: Int, depth: Int) throws(JSONLineError) -> Int {
        guard start < end else { throw malformed(expected: "a value", at: start) }
        switch base[start] {
        case UInt8(ascii: "\""):
            return try skipString(from: start &+ 1).next
        case UInt8(ascii: "{"):
            guard depth < JSONLineScanner.maximumDepth else {
                throw .nestingTooDeep(limit: JSONLineScanner.maximumDepth, column: start + 1)
            }
            var i = skipWhitespace(start &+ 1)
            if i < end, base[i] == UInt8(ascii: "}") { return i &+ 1 }
            while true {
                guard i < end, base[i] == UInt8(ascii: "\"") else { throw malformed(expected: "a string key", at: i) }
                i = skipWhitespace(try skipString(from: i &+ 1).next)
                guard i < end, base[i] == UInt8(ascii: ":") else {
                    throw malformed(expected: "':' after the key", at: i)
                }
                i = skipWhitespace(try skipValue(at: skipWhitespace(i &+ 1), depth: depth &+ 1))
                guard i < end else { throw malformed(expected: "',' or '}'", at: i) }
                if base[i] == UInt8(ascii: ",") {
                    i = skipWhitespace(i &+ 1)
                    continue
                }
                guard base[i] == UInt8(ascii: "}") else { throw malformed(expected: "',' or '}'", at: i) }
                return i &+ 1
            }
        case UInt8(ascii: "["):
            guard depth < JSONLineScanner.maximumDepth else {
                throw .nestingTooDeep(limit: JSONLineScanner.maximumDepth, column: start + 1)
            }
            var i = skipWhitespace(start &+ 1)
            if i < end, base[i] == UInt8(ascii: "]") { return i &+ 1 }
            while true {
                i = skipWhitespace(try skipValue(at: i, depth: depth &+ 1))
                guard i < end else { throw malformed(expected: "',' or ']'", at: i) }
                if base[i] == UInt8(ascii: ",") {
                    i = skipWhitespace(i &+ 1)
                    continue
                }
                guard base[i] == UInt8(ascii: "]") else { throw malformed(expected: "',' or ']'", at: i) }
                return i &+ 1
            }
        case UInt8(ascii: "t"):
            return try skipLiteral("true", at: start)
        case UInt8(ascii: "f"):
            return try skipLiteral("false", at: start)
        case UInt8(ascii: "n"):
            return try skipLiteral("null", at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try skipNumber(at: start).next
        default:
            throw malformed(expected: "a value", at: start)
        }
    }
}
