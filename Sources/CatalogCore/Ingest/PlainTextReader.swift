#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of reading a plain-text input file: its text, or why it is not ingested.
public enum PlainTextContent: Sendable, Equatable {
    /// The whole file, valid UTF-8, without a leading byte order mark.
    case text([UInt8])
    /// The file is left out; `reason` is the message after `file: `, e.g.
    /// `binary file (NUL byte at offset 12)`.
    case skipped(reason: String)
}

/// Reads a plain-text file (possibly `.gz`/`.zst`) as one document, with bounded memory.
public enum PlainTextReader {
    /// How far into the file a NUL byte marks it as binary.
    public static let binaryProbeBytes = 8192

    /// Reads `path` whole, or says why it is skipped: larger than `maxBytes` once
    /// decompressed, binary (a NUL in the first 8 KiB), not UTF-8, or empty.
    ///
    /// Never holds more than `maxBytes` plus one read chunk, whatever the file's size.
    public static func read(path: String, maxBytes: Int = LineBatcher.defaultMaxLineBytes) throws(InputError) -> PlainTextContent {
        let source = try openByteSource(path: path)
        var info = stat()
        if source.format == .none, stat(path, &info) == 0, Int64(info.st_size) > Int64(maxBytes) {
            return .skipped(reason: tooLarge(Int(info.st_size), limit: maxBytes))
        }
        let chunkBytes = 1 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { chunk.deallocate() }
        var text: [UInt8] = []
        var total = 0
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { break }
            total += n
            if total > maxBytes {
                text = []  // keep counting for the message, not storing
            } else {
                text.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
            }
        }
        if total > maxBytes { return .skipped(reason: tooLarge(total, limit: maxBytes)) }
        if let reason = text.withUnsafeBytes({ classify($0) }) { return .skipped(reason: reason) }
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        return .text(text)
    }

    /// Returns why `bytes` are not ingestible text, or nil when they are: a NUL byte in the
    /// first 8 KiB (binary), invalid UTF-8, or nothing but whitespace.
    public static func classify(_ bytes: UnsafeRawBufferPointer) -> String? {
        if let nul = bytes.prefix(binaryProbeBytes).firstIndex(of: 0) {
            return "binary file (NUL byte at offset \(nul))"
        }
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            return "not UTF-8 text (invalid byte at offset \(bad)); convert it to UTF-8 (iconv)"
        }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.allSatisfy(blank) { return "empty file (no text, or only whitespace)" }
        return nil
    }

    private static func tooLarge(_ bytes: Int, limit: Int) -> String {
        "file is \(formatMiB(bytes)), over the \(formatMiB(limit, decimals: false)) limit (--max-line-bytes)"
    }
}
