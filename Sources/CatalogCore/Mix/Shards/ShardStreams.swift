import CZlib
import CZstd
import Foundation

/// A shard file as it was closed: what the manifest records about the file itself.
struct ClosedShardFile: Sendable {
    /// Bytes on disk.
    var bytes: Int64
    /// SHA-256 of the bytes on disk, lowercase hex.
    var sha256: String
    /// Bytes before compression.
    var uncompressedBytes: Int64
}

/// One JSONL shard file being written: records go in uncompressed, the file comes out
/// compressed or not. Records are gathered in a 1 MiB chunk before they reach the compressor.
class JSONLShardStream {
    let file: OutputFile
    private let chunk: ByteBuilder
    private let chunkCapacity = 1 << 20
    /// Uncompressed bytes appended so far.
    private(set) var uncompressedBytes: Int64 = 0

    init(path: String) throws(ShardError) {
        file = try OutputFile(creating: path)
        chunk = ByteBuilder(capacity: chunkCapacity)
    }

    /// Appends one record's bytes.
    final func append(_ record: UnsafeRawBufferPointer) throws(ShardError) {
        uncompressedBytes += Int64(record.count)
        if chunk.count + record.count > chunkCapacity, chunk.count > 0 { try flushChunk() }
        if record.count >= chunkCapacity {
            try consume(record)
        } else {
            chunk.append(bytes: record)
        }
    }

    private func flushChunk() throws(ShardError) {
        try consume(chunk.bytes)
        chunk.removeAll()
    }

    /// Ends the data: everything appended has gone through the compressor into the file.
    /// After it the compressor's context (`ZstdStreamContext`) is free for another shard. May run
    /// on another thread than the appends, once they are done.
    final func endData() throws(ShardError) {
        if chunk.count > 0 { try flushChunk() }
        try drainCompressor()
    }

    /// After `endData`: completes the file, flushes it to disk and closes it. Touches only this
    /// stream's file, so it may run on another thread while the next shard is written.
    final func seal() throws(ShardError) -> ClosedShardFile {
        let (bytes, digest) = try completeFile()
        try file.close()
        return ClosedShardFile(bytes: bytes, sha256: SHA256Hasher.hex(digest), uncompressedBytes: uncompressedBytes)
    }

    /// Takes uncompressed bytes (overridden by the compressing subclasses).
    func consume(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        preconditionFailure("JSONLShardStream.consume is abstract")
    }

    /// Ends the compressed stream (nothing to do for plain JSONL).
    func drainCompressor() throws(ShardError) {}

    /// Finishes the file's bytes; returns its size and SHA-256.
    func completeFile() throws(ShardError) -> (Int64, [UInt8]) {
        preconditionFailure("JSONLShardStream.completeFile is abstract")
    }
}

/// Plain JSONL: bytes go straight to the file, hashed as they pass.
final class PlainShardStream: JSONLShardStream {
    private var hasher = SHA256Hasher()

    override func consume(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        hasher.update(bytes)
        try file.write(bytes)
    }

    override func completeFile() throws(ShardError) -> (Int64, [UInt8]) {
        (file.bytesWritten, hasher.finalize())
    }
}

/// A zstd compression context for a sequence of shard streams: level 3 (or the given one),
/// a content checksum, and zstd's multithreaded mode with `workers` threads of its own. One
/// stream uses it at a time (from one thread at a time); each starts a new frame (a session reset keeps the parameters,
/// the worker threads and their buffers).
final class ZstdStreamContext {
    /// Bytes of input per zstd worker job.
    static let jobSize: Int32 = 4 << 20
    let pointer: OpaquePointer

    init(level: Int32, workers: Int, path: String) throws(ShardError) {
        guard let pointer = ZSTD_createCCtx() else { throw .compression(path: path, reason: "out of memory") }
        self.pointer = pointer
        let settings = [
            ZSTD_CCtx_setParameter(pointer, ZSTD_c_compressionLevel, level),
            ZSTD_CCtx_setParameter(pointer, ZSTD_c_checksumFlag, 1),
            ZSTD_CCtx_setParameter(pointer, ZSTD_c_contentSizeFlag, 1),
        ]
        // nbWorkers fails only when libzstd was built without threads; it then compresses in this thread.
        _ = ZSTD_CCtx_setParameter(pointer, ZSTD_c_nbWorkers, Int32(max(1, workers)))
        // 4 MiB jobs instead of level 3's default 8: the last jobs of a shard, compressed while
        // nothing else is left to do, are shorter (≈ 3% faster end to end, 0.1% larger). Part of
        // the frame's definition: set whatever the worker count.
        _ = ZSTD_CCtx_setParameter(pointer, ZSTD_c_jobSize, Self.jobSize)
        for result in settings { try ZstdShardStream.check(result, path: path) }
    }

    deinit { ZSTD_freeCCtx(pointer) }
}

/// JSONL in ONE zstd frame whose header carries the content size, written as a stream.
///
/// The content size is not known when the frame starts (a shard ends when the next record
/// would not fit), so zstd is driven without a pledged size — its header is then magic,
/// descriptor and window descriptor (6 bytes) — and the frame is written 8 bytes into the
/// file. When the shard ends, the first 14 bytes are rewritten as magic, the descriptor with
/// an 8-byte Frame_Content_Size field, the same window descriptor and the size: a valid frame
/// (RFC 8878 §3.1.1.1) that one-shot readers such as python-zstd accept. Memory stays
/// bounded by zstd's job buffers, whatever the shard size.
///
/// zstd runs in its multithreaded mode (`ZstdStreamContext`), so compression overlaps with
/// the caller producing records; in that mode the frame depends only on the bytes and the
/// level, not on the number of workers (zstd.h, ZSTD_c_nbWorkers), and records are only ever
/// fed with ZSTD_e_continue, so chunking does not matter either. A content checksum closes
/// the frame.
final class ZstdShardStream: JSONLShardStream {
    private static let reserved: Int64 = 8
    private let context: ZstdStreamContext
    private let output: UnsafeMutableRawBufferPointer
    private var header: [UInt8] = []

    init(path: String, context: ZstdStreamContext) throws(ShardError) {
        self.context = context
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: ZSTD_CStreamOutSize() * 4, alignment: 16)
        do {
            try Self.check(ZSTD_CCtx_reset(context.pointer, ZSTD_reset_session_only), path: path)
            try super.init(path: path)
        } catch {
            // Before super.init completes, deinit does not run: release here.
            output.deallocate()
            throw error
        }
        try file.seek(to: Self.reserved)
    }

    deinit {
        output.deallocate()
    }

    static func check(_ result: Int, path: String) throws(ShardError) {
        if ZSTD_isError(result) != 0 {
            throw .compression(path: path, reason: String(cString: ZSTD_getErrorName(result)))
        }
    }

    override func consume(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        try drive(bytes, ZSTD_e_continue)
    }

    private func drive(_ bytes: UnsafeRawBufferPointer, _ operation: ZSTD_EndDirective) throws(ShardError) {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let remaining = ZSTD_compressStream2(context.pointer, &out, &input, operation)
            try Self.check(remaining, path: file.path)
            if out.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<out.pos])) }
            if operation == ZSTD_e_end ? remaining == 0 : input.pos == input.size { return }
        }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        if header.count < 6 { header.append(contentsOf: bytes.prefix(6 - header.count)) }
        try file.write(bytes)
    }

    override func drainCompressor() throws(ShardError) {
        try drive(UnsafeRawBufferPointer(start: nil, count: 0), ZSTD_e_end)
    }

    override func completeFile() throws(ShardError) -> (Int64, [UInt8]) {
        // Expect magic, a descriptor without content size, single-segment or dictionary id, and a window descriptor.
        guard header.count == 6, header[0..<4] == [0x28, 0xB5, 0x2F, 0xFD], header[4] & 0xE3 == 0 else {
            throw .compression(path: file.path, reason: "unexpected zstd frame header \(header)")
        }
        var patched: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, header[4] | 0xC0, header[5]]
        withUnsafeBytes(of: UInt64(uncompressedBytes).littleEndian) { patched.append(contentsOf: $0) }
        try file.write(patched, at: 0)
        let size = file.bytesWritten
        return (size, try file.sha256(length: size))
    }
}

/// JSONL in one gzip member: deflate level 6, header with mtime 0, no name and OS 3 (Unix)
/// whatever the platform, so the bytes are the same everywhere.
final class GzipShardStream: JSONLShardStream {
    private var stream = z_stream()
    private let gzipHeader: UnsafeMutablePointer<gz_header>
    private let output: UnsafeMutableRawBufferPointer
    private var hasher = SHA256Hasher()
    private var ended = false

    init(path: String, level: Int32 = 6) throws(ShardError) {
        let header = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
        header.initialize(to: gz_header())
        header.pointee.os = 3
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        gzipHeader = header
        output = buffer
        do {
            try super.init(path: path)
        } catch {
            header.deallocate()
            buffer.deallocate()
            throw error
        }
        let status = catalog_deflate_init2(&stream, level, 15 + 16, 8)
        if status == Z_OK { deflateSetHeader(&stream, gzipHeader) }
        guard status == Z_OK else {
            ended = true
            throw .compression(path: path, reason: "zlib deflateInit2 returned \(status)")
        }
    }

    deinit {
        deflateEnd(&stream)
        gzipHeader.deallocate()
        output.deallocate()
    }

    override func consume(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        guard let base = bytes.baseAddress else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(bytes.count)
        try drive(Z_NO_FLUSH)
    }

    private func drive(_ flush: Int32) throws(ShardError) {
        while true {
            stream.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(output.count)
            let status = deflate(&stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw .compression(path: file.path, reason: "zlib deflate returned \(status)")
            }
            let produced = output.count - Int(stream.avail_out)
            if produced > 0 {
                let chunk = UnsafeRawBufferPointer(rebasing: output[0..<produced])
                hasher.update(chunk)
                try file.write(chunk)
            }
            if flush == Z_FINISH ? status == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out > 0) { return }
        }
    }

    override func drainCompressor() throws(ShardError) {
        stream.next_in = nil
        stream.avail_in = 0
        try drive(Z_FINISH)
    }

    override func completeFile() throws(ShardError) -> (Int64, [UInt8]) {
        (file.bytesWritten, hasher.finalize())
    }
}

/// Compresses a whole buffer into one zstd frame with its content size (pledged up front),
/// streamed in 1 MiB steps through zstd's multithreaded mode (`workers` ≥ 1), whose output does
/// not depend on the worker count. (One-shot `ZSTD_compress2` measured 3-4× slower here in
/// multithreaded mode.)
func zstdCompressWhole(_ input: [UInt8], level: Int32, workers: Int, path: String) throws(ShardError) -> [UInt8] {
    guard let context = ZSTD_createCCtx() else { throw .compression(path: path, reason: "out of memory") }
    defer { ZSTD_freeCCtx(context) }
    _ = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
    _ = ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
    _ = ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
    _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(max(1, workers)))
    _ = ZSTD_CCtx_setPledgedSrcSize(context, UInt64(input.count))
    var output: [UInt8] = []
    output.reserveCapacity(input.count / 3 + (1 << 16))
    let step = ZSTD_CStreamOutSize() * 4
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: step, alignment: 16)
    defer { buffer.deallocate() }
    var failure: String?
    input.withUnsafeBytes { raw in
        var offset = 0
        while failure == nil {
            let end = min(offset + (1 << 20), raw.count)
            let operation = end == raw.count ? ZSTD_e_end : ZSTD_e_continue
            var inBuffer = ZSTD_inBuffer(src: raw.baseAddress.map { $0 + offset }, size: end - offset, pos: 0)
            while true {
                var outBuffer = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, operation)
                if ZSTD_isError(remaining) != 0 {
                    failure = String(cString: ZSTD_getErrorName(remaining))
                    return
                }
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<outBuffer.pos]))
                if operation == ZSTD_e_end ? remaining == 0 : inBuffer.pos == inBuffer.size { break }
            }
            if operation == ZSTD_e_end { return }
            offset = end
        }
    }
    if let failure { throw .compression(path: path, reason: failure) }
    return output
}
