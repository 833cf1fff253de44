import CKernels

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

/// Where JSON text is written: a byte array, or a `ByteBuilder` on the hot shard paths.
public protocol JSONOutput {
    /// Appends one byte.
    mutating func append(_ byte: UInt8)
    /// Appends `bytes` unchanged.
    mutating func append(bytes: UnsafeRawBufferPointer)
    /// Appends `bytes` escaped as the inside of a JSON string (see `JSONText.appendQuoted`).
    mutating func appendEscapedJSON(_ bytes: UnsafeRawBufferPointer)
}

extension Array: JSONOutput where Element == UInt8 {
    /// Appends `bytes` unchanged.
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// Appends `bytes` escaped, through a 4 KiB scratch block.
    public mutating func appendEscapedJSON(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { scratch in
            var done = 0
            while done < bytes.count {
                var consumed = 0
                let written = catalog_json_escape(source + done, bytes.count - done, scratch.baseAddress, scratch.count, &consumed)
                append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<written]))
                done += consumed
            }
        }
    }
}

extension ByteBuilder: JSONOutput {}

extension JSONText {
    /// Appends the UTF-8 `bytes` to `out` as a JSON string literal (quotes included).
    ///
    /// Works on bytes: `"` and `\` get a backslash, every control character below U+0020 is
    /// escaped (`\n`, `\r`, `\t`, `\b`, `\f` short forms, the rest as `\u00XX`), and U+2028 and
    /// U+2029 become `\u2028`/`\u2029` so the output is also valid JavaScript. Other bytes,
    /// including multi-byte UTF-8 sequences, are copied 16 at a time (`CKernels/json.c`). The
    /// input must be valid UTF-8 (the catalog validates text at ingest); invalid bytes would pass
    /// through unchanged.
    public static func appendQuoted<Output: JSONOutput>(_ bytes: UnsafeRawBufferPointer, to out: inout Output) {
        out.append(0x22)
        out.appendEscapedJSON(bytes)
        out.append(0x22)
    }

    /// Appends `text` as a JSON string literal (see `appendQuoted(_:to:)` for the bytes form).
    public static func appendQuoted<Output: JSONOutput>(_ text: String, to out: inout Output) {
        var text = text
        text.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends `value` as a JSON number: the shortest text that reads back as the same double
    /// (Swift's `description`), `null` for NaN and infinities.
    public static func appendNumber<Output: JSONOutput>(_ value: Double, to out: inout Output) {
        guard value.isFinite else {
            appendNull(to: &out)
            return
        }
        appendASCII(value.description, to: &out)
    }

    /// Appends the decimal text of `value`.
    public static func appendInteger<Output: JSONOutput>(_ value: Int64, to out: inout Output) {
        appendASCII(String(value), to: &out)
    }

    /// Appends `null`.
    public static func appendNull<Output: JSONOutput>(to out: inout Output) {
        appendASCII("null", to: &out)
    }

    private static func appendASCII<Output: JSONOutput>(_ text: String, to out: inout Output) {
        var text = text
        text.withUTF8 { out.append(bytes: UnsafeRawBufferPointer($0)) }
    }
}
