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
public struct LineBatch: Sendable {
    /// The bytes of the lines, back to back, terminators removed.
    public internal(set) var bytes: [UInt8] = []
    /// The lines in file order.
    public internal(set) var lines: [LineSpan] = []
    /// Lines skipped because they exceed the limit, in file order.
    public internal(set) var oversizedLines: [OversizedLine] = []

    /// Creates an empty batch, to be filled by `LineBatcher.next(into:)`.
    public init() {}

    /// Whether the batch carries neither lines nor oversized-line reports.
    public var isEmpty: Bool { lines.isEmpty && oversizedLines.isEmpty }

    /// Calls `body` with the bytes of `lines[index]`.
    public func withLine<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let span = lines[index]
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[span.start..<span.end]))
        }
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
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
/// `readChunkBytes + byteBudget + 2 × maxLineBytes` whatever the input.
///
/// When the source fails (a truncated or corrupt compressed file), the lines completed before
/// the failure are returned first and the error is thrown by the following call; the
/// incomplete line at the cut is not returned.
public final class LineBatcher {
    /// Default for `maxLineBytes`: 64 MiB.
    public static let defaultMaxLineBytes = 64 << 20

    /// The source being split.
    public let source: any ByteSource
    /// A batch is closed once it holds at least this many bytes (may be changed between batches).
    public var byteBudget: Int {
        didSet { byteBudget = max(1, byteBudget) }
    }
    /// A batch is closed once it holds this many lines (oversized reports included).
    public let maxLinesPerBatch: Int
    /// Longest line delivered; longer ones are skipped and reported.
    public let maxLineBytes: Int

    private let staging: UnsafeMutableRawBufferPointer
    private var stagingStart = 0
    private var stagingEnd = 0
    private var carry: [UInt8] = []
    private var skippedLine: OversizedLine?
    private var nextLineNumber = 1
    private var sourceEnded = false
    private var finished = false
    private var pendingError: InputError?

    /// Creates a batcher over `source`.
    ///
    /// - Parameters:
    ///   - byteBudget: close a batch once it holds this many bytes (default 4 MiB).
    ///   - maxLinesPerBatch: close a batch once it holds this many lines (default 65,536).
    ///   - maxLineBytes: longest line delivered (default 64 MiB, `--max-line-bytes`).
    ///   - readChunkBytes: bytes asked of the source per read (default 4 MiB).
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
        staging = .allocate(byteCount: max(16, readChunkBytes), alignment: 16)
    }

    deinit {
        staging.deallocate()
    }

    /// Raw (compressed) bytes read from the file so far, for progress.
    public var bytesConsumed: Int64 { source.bytesConsumed }

    /// Bytes of memory the batcher itself holds (staging buffer and partial line), for tests.
    var retainedBytes: Int { staging.count + carry.capacity }

    /// Fills `batch` (reusing its storage) with the next lines; returns false at the end.
    public func next(into batch: inout LineBatch) throws(InputError) -> Bool {
        batch.reset()
        // A batch closes once past the budget: room for it and a typical last line saves the
        // copies of growing a fresh batch's buffer by doubling.
        if batch.bytes.capacity < byteBudget { batch.bytes.reserveCapacity(byteBudget + min(byteBudget, 64 << 10)) }
        if let error = pendingError {
            pendingError = nil
            finished = true
            throw error
        }
        if finished { return false }
        while !isFull(batch) {
            if stagingStart == stagingEnd {
                if sourceEnded {
                    finishLastLine(into: &batch)
                    finished = true
                    break
                }
                let n: Int
                do {
                    n = try source.read(into: staging)
                } catch {
                    guard batch.isEmpty else {
                        pendingError = error
                        break
                    }
                    finished = true
                    throw error
                }
                if n == 0 { sourceEnded = true }
                stagingStart = 0
                stagingEnd = n
                continue
            }
            if skippedLine != nil {
                skipOversizedLine(into: &batch)
            } else {
                splitStagedLines(into: &batch)
            }
        }
        return !batch.isEmpty
    }

    /// Returns the next batch in new storage, or nil at the end.
    public func next() throws(InputError) -> LineBatch? {
        var batch = LineBatch()
        return try next(into: &batch) ? batch : nil
    }

    // MARK: - Internals

    private func isFull(_ batch: LineBatch) -> Bool {
        batch.bytes.count >= byteBudget || batch.lines.count + batch.oversizedLines.count >= maxLinesPerBatch
    }

    private var stagedBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: staging[stagingStart..<stagingEnd])
    }

    private func newlineOffset() -> Int? {
        let staged = stagedBytes
        guard let base = staged.baseAddress, let found = memchr(base, 0x0A, staged.count) else { return nil }
        return stagingStart + (UnsafeRawPointer(found) - base)
    }

    /// Emits the complete lines in the staging buffer; keeps a trailing partial line in `carry`.
    private func splitStagedLines(into batch: inout LineBatch) {
        while !isFull(batch) {
            guard let newline = newlineOffset() else {
                let rest = stagingEnd - stagingStart
                if carry.count + rest > maxLineBytes {
                    skippedLine = OversizedLine(lineNumber: nextLineNumber, byteCount: carry.count + rest, limit: maxLineBytes)
                    carry = []  // release the memory, not just the count
                } else {
                    carry.append(contentsOf: stagedBytes)
                }
                stagingStart = stagingEnd
                return
            }
            let piece = UnsafeRawBufferPointer(rebasing: staging[stagingStart..<newline])
            emitLine(piece, into: &batch)
            stagingStart = newline + 1
            if stagingStart == stagingEnd { return }
        }
    }

    /// Adds `carry + piece` as the next line, or reports it when it is over the limit.
    private func emitLine(_ piece: UnsafeRawBufferPointer, into batch: inout LineBatch) {
        let length = carry.count + piece.count
        defer {
            carry.removeAll(keepingCapacity: carry.capacity <= byteBudget)
            nextLineNumber += 1
        }
        guard length <= maxLineBytes else {
            batch.oversizedLines.append(OversizedLine(lineNumber: nextLineNumber, byteCount: length, limit: maxLineBytes))
            return
        }
        let start = batch.bytes.count
        batch.bytes.append(contentsOf: carry)
        batch.bytes.append(contentsOf: piece)
        var end = batch.bytes.count
        if end > start, batch.bytes[end - 1] == 0x0D { end -= 1 }
        batch.lines.append(LineSpan(start: start, end: end, lineNumber: nextLineNumber))
    }

    /// Counts and drops bytes of the oversized line until its `\n`.
    private func skipOversizedLine(into batch: inout LineBatch) {
        guard var skipped = skippedLine else { return }
        if let newline = newlineOffset() {
            skipped.byteCount += newline - stagingStart
            batch.oversizedLines.append(skipped)
            skippedLine = nil
            nextLineNumber += 1
            stagingStart = newline + 1
        } else {
            skipped.byteCount += stagingEnd - stagingStart
            skippedLine = skipped
            stagingStart = stagingEnd
        }
    }

    /// At the end of the source: the last line had no `\n`.
    private func finishLastLine(into batch: inout LineBatch) {
        if let skipped = skippedLine {
            batch.oversizedLines.append(skipped)
            skippedLine = nil
            nextLineNumber += 1
        } else if !carry.isEmpty {
            emitLine(UnsafeRawBufferPointer(start: nil, count: 0), into: &batch)
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
