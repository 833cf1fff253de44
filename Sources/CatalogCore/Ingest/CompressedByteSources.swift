import CZlib
import CZstd

/// Decompresses gzip with zlib (`windowBits` 15+32), member after member.
final class GzipByteSource: ByteSource {
    private let file: RawFile
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var memberEnded = false

    var path: String { file.path }
    var format: CompressionFormat { .gzip }
    var bytesConsumed: Int64 { file.bytesRead }

    init(file: RawFile, inputChunkBytes: Int = 1 << 20) throws(InputError) {
        self.file = file
        input = .allocate(byteCount: inputChunkBytes, alignment: 16)
        let status = catalog_inflate_init2(&stream, 15 + 32)
        guard status == Z_OK else {
            input.deallocate()
            throw .decompressorUnavailable(path: file.path, format: .gzip, reason: "zlib error \(status)")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Compressed offset of the next byte zlib will consume.
    private var inputOffset: Int64 { file.bytesRead - Int64(stream.avail_in) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let out = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let capacity = UInt32(clamping: buffer.count)
        stream.next_out = out.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = capacity
        while true {
            if stream.avail_in == 0, !inputEnded {
                let n = try file.read(into: input)
                if n == 0 { inputEnded = true }
                stream.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.avail_in = UInt32(n)
            }
            if memberEnded {
                guard stream.avail_in > 0 else { return Int(capacity - stream.avail_out) }
                inflateReset(&stream)  // another member follows
                memberEnded = false
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corrupt(path: path, format: .gzip, compressedOffset: inputOffset, reason: reason)
            }
            if stream.avail_out == 0 { return Int(capacity) }
            if !memberEnded, stream.avail_in == 0, inputEnded {
                if file.bytesRead == 0 { return 0 }  // an empty file is an empty stream
                let produced = Int(capacity - stream.avail_out)
                if produced > 0 { return produced }  // hand over what precedes the cut first
                throw .truncated(path: path, format: .gzip, compressedOffset: file.bytesRead)
            }
        }
    }
}

/// Decompresses Zstandard with `ZSTD_decompressStream`, frame after frame.
final class ZstdByteSource: ByteSource {
    private let file: RawFile
    private let context: OpaquePointer
    private let inputStorage: UnsafeMutableRawBufferPointer
    private var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEnded = false
    /// Last `ZSTD_decompressStream` result: 0 when a frame has just been completed.
    private var frameRemainder = 0

    var path: String { file.path }
    var format: CompressionFormat { .zstd }
    var bytesConsumed: Int64 { file.bytesRead }

    init(file: RawFile) throws(InputError) {
        self.file = file
        guard let context = ZSTD_createDCtx() else {
            throw .decompressorUnavailable(path: file.path, format: .zstd, reason: "ZSTD_createDCtx failed")
        }
        self.context = context
        inputStorage = .allocate(byteCount: max(ZSTD_DStreamInSize(), 1 << 20), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        inputStorage.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let out = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        var output = ZSTD_outBuffer(dst: out, size: buffer.count, pos: 0)
        while true {
            if input.pos == input.size, !inputEnded {
                let n = try file.read(into: inputStorage)
                if n == 0 { inputEnded = true }
                input = ZSTD_inBuffer(src: inputStorage.baseAddress, size: n, pos: 0)
            }
            if input.pos == input.size, inputEnded, frameRemainder == 0 {
                return output.pos  // the last frame is complete and flushed (or the file is empty)
            }
            let result = ZSTD_decompressStream(context, &output, &input)
            if ZSTD_isError(result) != 0 {
                let reason = String(cString: ZSTD_getErrorName(result))
                let offset = file.bytesRead - Int64(input.size - input.pos)
                throw .corrupt(path: path, format: .zstd, compressedOffset: offset, reason: reason)
            }
            frameRemainder = result
            if output.pos == output.size { return output.pos }
            // The output has room, so zstd flushed all it could from the input it was given.
            if input.pos == input.size, inputEnded {
                if frameRemainder != 0, output.pos == 0 {
                    throw .truncated(path: path, format: .zstd, compressedOffset: file.bytesRead)
                }
                return output.pos  // a cut frame is reported by the next call
            }
        }
    }
}
