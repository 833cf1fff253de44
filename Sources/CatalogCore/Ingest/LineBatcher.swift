#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of a `LineBatch`: its bytes are `batch.bytes[start..<end]`, without `\n` or `\r\n`.
public struct LineSpan: Sendable, Equatable {
    /// Offset of the first byte in `LineBatch.bytes`.
    public var start: Int
    /// Offset one past the last byte (the terminator is excluded).
    public var end: Int
    /// 1-based line number in the decompressed file.
    public var lineNumber: Int

    /// Number of bytes in the line.
    public var count: Int { end - start }
}

/// A line longer than the limit; it was skipped while streaming and never held in memory.
public struct OversizedLine: Sendable, Equatable {
    /// 1-based line number in the decompressed file.
    public var lineNumber: Int
    /// Length of the line in bytes, without its `\n`.
    public var byteCount: Int
    /// The limit in force when it was skipped.
    public var limit: Int

    /// The reason for the diagnostics report, to follow `file:line: `, e.g.
    /// `line is 100.0 MiB, over the 64 MiB limit (--max-line-bytes)`.
    public var reason: String {
        "line is \(formatMiB(byteCount)), over the \(formatMiB(limit, decimals: false)) limit (--max-line-bytes)"
    }
}

/// A run of complete lines in one contiguous buffer, ready to hand to a worker.
///
/// The buffer is a class: a batch belongs to one thread at a time (the batcher fills it, then
/// one worker reads it), and `LineBatch()` makes a new one.
public struct LineBatch: @unchecked Sendable {
    /// The input as read: the lines at `lines`, with their terminators (and the bytes of any
    /// oversized line skipped between them).
    let storage = ByteBuilder(capacity: 0)
    /// The lines in file order.
    public internal(set) var lines: [LineSpan] = []
    /// Lines skipped because they exceed the limit, in file order.
    public internal(set) var oversizedLines: [OversizedLine] = []

    /// Creates an empty batch, to be filled by `LineBatcher.next(into:)`.
    public init() {}

    /// Whether the batch carries neither lines nor oversized-line reports.
    public var isEmpty: Bool { lines.isEmpty && oversizedLines.isEmpty }

    /// Bytes of input the batch holds (its lines and their terminators).
    public var byteCount: Int { storage.count }

    /// Bytes the batch's buffer can hold before it grows.
    public var byteCapacity: Int { storage.capacity }

    /// Calls `body` with the batch's bytes, where `lines` point.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(storage.bytes)
    }

    /// Calls `body` with the bytes of `lines[index]`.
    public func withLine<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let span = lines[index]
        return try body(UnsafeRawBufferPointer(rebasing: storage.bytes[span.start..<span.end]))
    }

    mutating func reset() {
        storage.removeAll()
        lines.removeAll(keepingCapacity: true)
        oversizedLines.removeAll(keepingCapacity: true)
    }
}

/// Splits a `ByteSource` into batches of complete lines with bounded memory.
///
/// Lines end at `\n`; a `\r` before it is dropped too; a last line without `\n` counts; empty
/// lines are delivered (as empty spans) so the caller decides about them. A line longer than
/// `maxLineBytes` is not buffered: once the limit is passed, the rest of it is skipped while
/// streaming and it is reported in `LineBatch.oversizedLines`. Memory stays below about
/// `byteBudget + 2 × maxLineBytes` whatever the input.
///
/// The source is read straight into the batch's buffer and lines are found where they lie, so
/// a byte is copied only by the read itself; the unfinished line at the end of a batch moves
/// to the next one.
///
/// When the source fails (a truncated or corrupt compressed file), the lines completed before
/// the failure are returned first and the error is thrown by the following call; the
/// incomplete line at the cut is not returned.
public final class LineBatcher {
    /// Default for `maxLineBytes`: 64 MiB.
    public static let defaultMaxLineBytes = 64 << 20

    /// The source being split.
    public let source: any ByteSource
    /// A batch is closed once its lines take at least this many bytes (may be changed between
    /// batches).
    public var byteBudget: Int {
        didSet { byteBudget = max(1, byteBudget) }
    }
    /// A batch is closed once it holds this many lines (oversized reports included).
    public let maxLinesPerBatch: Int
    /// Longest line delivered; longer ones are skipped and reported.
    public let maxLineBytes: Int
    /// Most bytes asked of the source per read.
    public let readChunkBytes: Int

    /// Input read but not yet delivered (the unfinished line, or lines past a full batch),
    /// moved to the start of the next batch.
    private var carry: [UInt8] = []
    /// The line being skipped, once it is over the limit.
    private var skippedLine: OversizedLine?
    private var nextLineNumber = 1
    private var sourceEnded = false
    private var finished = false
    private var pendingError: InputError?
    /// Lines and their bytes delivered so far, to size reads to what a batch still takes.
    private var linesDelivered = 0
    private var bytesDelivered = 0

    /// Creates a batcher over `source`.
    ///
    /// - Parameters:
    ///   - byteBudget: close a batch once its lines take this many bytes (default 4 MiB).
    ///   - maxLinesPerBatch: close a batch once it holds this many lines (default 65,536).
    ///   - maxLineBytes: longest line delivered (default 64 MiB, `--max-line-bytes`).
    ///   - readChunkBytes: most bytes asked of the source per read (default 4 MiB).
    public init(
        source: any ByteSource,
        byteBudget: Int = 4 << 20,
        maxLinesPerBatch: Int = 65_536,
        maxLineBytes: Int = LineBatcher.defaultMaxLineBytes,
        readChunkBytes: Int = 4 << 20
    ) {
        self.source = source
        self.byteBudget = max(1, byteBudget)
        self.maxLinesPerBatch = max(1, maxLinesPerBatch)
        self.maxLineBytes = max(0, maxLineBytes)
        self.readChunkBytes = max(1, readChunkBytes)
    }

    /// Raw (compressed) bytes read from the file so far, for progress.
    public var bytesConsumed: Int64 { source.bytesConsumed }

    /// Bytes of memory the batcher itself holds between batches (the carried input), for tests.
    var retainedBytes: Int { carry.capacity }

    /// Fills `batch` (reusing its storage) with the next lines; returns false at the end.
    public func next(into batch: inout LineBatch) throws(InputError) -> Bool {
        batch.reset()
        if let error = pendingError {
            pendingError = nil
            finished = true
            throw error
        }
        if finished { return false }
        let buffer = batch.storage
        // Room for the budget and a typical last line: a batch closes once past the budget.
        buffer.reserve(max(byteBudget + min(byteBudget, 64 << 10), carry.count))
        buffer.append(contentsOf: carry)
        carry.removeAll(keepingCapacity: carry.capacity <= 1 << 20)
        var lineStart = 0  // where the next line starts in the buffer
        var searched = 0  // bytes from lineStart known to hold no newline
        while lineStart < byteBudget && batch.lines.count + batch.oversizedLines.count < maxLinesPerBatch {
            let bytes = buffer.bytes
            if let newline = Self.newline(in: bytes, from: lineStart + searched) {
                if var skipped = skippedLine {
                    skipped.byteCount += newline - lineStart
                    batch.oversizedLines.append(skipped)
                    skippedLine = nil
                } else {
                    deliverLine(bytes, from: lineStart, to: newline, into: &batch)
                }
                nextLineNumber += 1
                lineStart = newline + 1
                searched = 0
                continue
            }
            searched = bytes.count - lineStart
            if var skipped = skippedLine {
                // The rest of an oversized line: counted, not kept.
                skipped.byteCount += searched
                skippedLine = skipped
                buffer.truncate(to: lineStart)
                searched = 0
            } else if searched > maxLineBytes {
                skippedLine = OversizedLine(lineNumber: nextLineNumber, byteCount: searched, limit: maxLineBytes)
                buffer.truncate(to: lineStart)
                searched = 0
            }
            if sourceEnded {
                finishLastLine(from: lineStart, into: &batch)
                lineStart = buffer.count
                finished = true
                break
            }
            // More input: into the free space, unless it is used up and the batch has lines
            // (then the unfinished line moves to the next batch); a line longer than the
            // buffer grows it (up to the limit, past which it is skipped).
            var free = buffer.capacity - buffer.count
            if free == 0 {
                if !batch.isEmpty { break }
                buffer.reserve(max(4096, buffer.capacity))
                free = buffer.capacity - buffer.count
            }
            do {
                let read = try buffer.appendWriting(upTo: min(free, readRequest(batch))) { (free) throws(InputError) in
                    try source.read(into: free)
                }
                if read.isEmpty { sourceEnded = true }
            } catch {
                // The unfinished line at the cut is dropped.
                buffer.truncate(to: lineStart)
                guard batch.isEmpty else {
                    pendingError = error
                    break
                }
                finished = true
                throw error
            }
        }
        // Input past the batch's last line goes to the next batch.
        if lineStart < buffer.count {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer.bytes[lineStart...]))
            buffer.truncate(to: lineStart)
        }
        return !batch.isEmpty
    }

    /// Returns the next batch in new storage, or nil at the end.
    public func next() throws(InputError) -> LineBatch? {
        var batch = LineBatch()
        return try next(into: &batch) ? batch : nil
    }

    // MARK: - Internals

    /// Bytes to ask of the source: what the batch still takes up to its byte budget, or up
    /// to its line limit at the average line length so far (so that few complete lines are
    /// read past a full batch and carried), at least 64 KiB and at most `readChunkBytes`.
    private func readRequest(_ batch: LineBatch) -> Int {
        var wanted = byteBudget - batch.byteCount
        if linesDelivered >= 64 {
            let average = bytesDelivered / linesDelivered + 1
            let linesLeft = maxLinesPerBatch - batch.lines.count - batch.oversizedLines.count
            wanted = min(wanted, linesLeft.multipliedReportingOverflow(by: average).partialValue)
        }
        return min(readChunkBytes, max(64 << 10, wanted))
    }

    /// The offset of the first `\n` in `bytes` at or after `offset`.
    private static func newline(in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        guard offset < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + offset, 0x0A, bytes.count - offset)
        else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Adds `bytes[start..<end]` (a line without its `\n`) to the batch, or reports it when it
    /// is over the limit; a `\r` at its end is dropped.
    private func deliverLine(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, into batch: inout LineBatch) {
        guard end - start <= maxLineBytes else {
            batch.oversizedLines.append(OversizedLine(lineNumber: nextLineNumber, byteCount: end - start, limit: maxLineBytes))
            return
        }
        var lineEnd = end
        if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        batch.lines.append(LineSpan(start: start, end: lineEnd, lineNumber: nextLineNumber))
        linesDelivered += 1
        bytesDelivered += end - start + 1
    }

    /// At the end of the source: the last line had no `\n`.
    private func finishLastLine(from lineStart: Int, into batch: inout LineBatch) {
        if let skipped = skippedLine {
            batch.oversizedLines.append(skipped)
            skippedLine = nil
            nextLineNumber += 1
        } else if lineStart < batch.storage.count {
            deliverLine(batch.storage.bytes, from: lineStart, to: batch.storage.count, into: &batch)
            nextLineNumber += 1
        }
    }
}

/// Formats a byte count in MiB: `100.0 MiB`, or `64 MiB` without decimals; under 1 MiB in bytes.
func formatMiB(_ bytes: Int, decimals: Bool = true) -> String {
    guard bytes >= 1_048_576 else { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
    let mib = Double(bytes) / 1_048_576
    guard decimals else {
        return mib == mib.rounded() ? "\(Int(mib)) MiB" : formatMiB(bytes)
    }
    let tenths = (mib * 10).rounded()
    return "\(Int(tenths) / 10).\(Int(tenths) % 10) MiB"
}
