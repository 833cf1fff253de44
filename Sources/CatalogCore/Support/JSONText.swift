/// Writing JSON text: string quoting and number formatting shared by printers and records.
public enum JSONText {
    /// `value` as a JSON string literal.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A finite double as JSON (NaN and infinities become null).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension JSONText {
    /// What each byte needs when written inside a JSON string: 0 = copy, 1 = short escape or
    /// `\u00XX`, 2 = a possible U+2028/U+2029 lead byte (0xE2).
    private static let escapeClass: [UInt8] = (0..<256).map { byte in
        if byte < 0x20 || byte == 0x22 || byte == 0x5C { return 1 }
        return byte == 0xE2 ? 2 : 0
    }

    /// Whether any of the eight bytes of `word` is below 0x20, `"`, `\` or 0xE2 (SWAR: exact
    /// for each byte, no false negatives).
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & high }
        // Bytes below 0x20: subtracting 0x20 borrows into the high bit only for those (and for
        // bytes ≥ 0xA0 whose high bit is already set; masking with ~word drops them).
        let control = (word &- ones &* 0x20) & ~word & high
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let lineSeparatorLead = hasZeroByte(word ^ (ones &* 0xE2))
        return (control | quote | backslash | lineSeparatorLead) != 0
    }

    /// Appends the UTF-8 `bytes` to `out` as a JSON string literal (quotes included).
    ///
    /// Works on bytes: `"` and `\` get a backslash, every control character below U+0020 is
    /// escaped (`\n`, `\r`, `\t`, `\b`, `\f` short forms, the rest as `\u00XX`), and U+2028 and
    /// U+2029 become `\u2028`/`\u2029` so the output is also valid JavaScript. Other bytes,
    /// including multi-byte UTF-8 sequences, are copied in runs. The input must be valid UTF-8
    /// (the catalog validates text at ingest); invalid bytes would pass through unchanged.
    public static func appendQuoted(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(0x22)
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            out.append(0x22)
            return
        }
        escapeClass.withUnsafeBufferPointer { table in
            var runStart = 0
            var index = 0
            while index < count {
                // Eight bytes at a time while none of them needs a look (most text).
                while index &+ 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    if mayNeedEscape(word) { break }
                    index &+= 8
                }
                guard index < count else { break }
                let byte = base[index]
                let kind = table[Int(byte)]
                if kind == 0 {
                    index &+= 1
                    continue
                }
                if kind == 2 {
                    // E2 80 A8 = U+2028, E2 80 A9 = U+2029; any other E2 sequence is copied.
                    guard index + 2 < count, base[index + 1] == 0x80, base[index + 2] & 0xFE == 0xA8 else {
                        index &+= 1
                        continue
                    }
                }
                if index > runStart {
                    out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                }
                if kind == 2 {
                    out.append(contentsOf: base[index + 2] == 0xA8 ? escaped2028 : escaped2029)
                    index &+= 3
                } else {
                    appendEscape(byte, to: &out)
                    index &+= 1
                }
                runStart = index
            }
            if count > runStart {
                out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
            }
        }
        out.append(0x22)
    }

    /// Appends `text` as a JSON string literal (see `appendQuoted(_:to:)` for the bytes form).
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), to: &out) }
    }

    private static let escaped2028: [UInt8] = Array("\\u2028".utf8)
    private static let escaped2029: [UInt8] = Array("\\u2029".utf8)

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(0x5C)
        switch byte {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(0x6E)  // n
        case 0x0D: out.append(0x72)  // r
        case 0x09: out.append(0x74)  // t
        case 0x08: out.append(0x62)  // b
        case 0x0C: out.append(0x66)  // f
        default:
            let digits: StaticString = "0123456789abcdef"
            out.append(contentsOf: [0x75, 0x30, 0x30])  // u00
            out.append(digits.utf8Start[Int(byte >> 4)])
            out.append(digits.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// Appends `value` as a JSON number: the shortest text that reads back as the same double
    /// (Swift's `description`), `null` for NaN and infinities.
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends the decimal text of `value`.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }
}
