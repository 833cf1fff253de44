import CZstd

/// Errors of the zstd codec.
public enum ZstdError: Error, Equatable, CustomStringConvertible {
    /// libzstd reported an error.
    case library(operation: String, message: String)
    /// A frame needs a dictionary that is not in the catalog.
    case missingDictionary(id: Int64)

    public var description: String {
        switch self {
        case let .library(operation, message): return "zstd \(operation) failed: \(message)"
        case let .missingDictionary(id): return "zstd frame needs dictionary \(id), which the catalog does not have"
        }
    }
}

func zstdCheck(_ result: Int, _ operation: String) throws(ZstdError) -> Int {
    if ZSTD_isError(result) != 0 {
        throw .library(operation: operation, message: String(cString: ZSTD_getErrorName(result)))
    }
    return result
}

/// A trained zstd dictionary, digested once for compression and decompression.
///
/// Digested dictionaries are read-only after creation, so one instance is shared by all workers.
public final class ZstdDictionary: @unchecked Sendable {
    /// The raw dictionary bytes (as stored in the catalog).
    public let bytes: [UInt8]
    /// The dictionary id written in frame headers.
    public let frameDictionaryID: UInt32
    let compressionDictionary: OpaquePointer
    let decompressionDictionary: OpaquePointer

    /// Digests `bytes` for compression at `level`.
    public init(bytes: [UInt8], level: Int32) throws(ZstdError) {
        self.bytes = bytes
        let pair: (OpaquePointer?, OpaquePointer?) = bytes.withUnsafeBytes { raw in
            (ZSTD_createCDict(raw.baseAddress, raw.count, level), ZSTD_createDDict(raw.baseAddress, raw.count))
        }
        guard let cdict = pair.0, let ddict = pair.1 else {
            if let cdict = pair.0 { ZSTD_freeCDict(cdict) }
            if let ddict = pair.1 { ZSTD_freeDDict(ddict) }
            throw .library(operation: "loading a dictionary", message: "invalid dictionary")
        }
        self.compressionDictionary = cdict
        self.decompressionDictionary = ddict
        self.frameDictionaryID = bytes.withUnsafeBytes { ZSTD_getDictID_fromDict($0.baseAddress, $0.count) }
    }

    deinit {
        ZSTD_freeCDict(compressionDictionary)
        ZSTD_freeDDict(decompressionDictionary)
    }

    /// Trains a dictionary of at most `capacity` bytes from concatenated `samples`, its entropy
    /// tables fitted to compression at `level`; nil when zstd finds the samples too few or too
    /// uniform to train on.
    public static func train(samples: [UInt8], sampleSizes: [Int], capacity: Int, level: Int32 = 3) -> [UInt8]? {
        guard !sampleSizes.isEmpty, capacity > 0 else { return nil }
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let sizes = sampleSizes.map { Int($0) }
        var parameters = ZDICT_fastCover_params_t()
        // Fixed k and d (no parameter search). f = 17 (a 512 KiB frequency table instead of
        // the default 4 MiB) and accel = 8 cut the training time by more than half: on the dev
        // corpus' 13 sources the texts come out 0.17% larger than with f = 18, accel = 4 (and
        // those 0.07% larger than with the defaults), and the default ingest, which waits for
        // the last dictionary before its workers start, took 3% less wall time (19 of 24
        // alternating pairs).
        parameters.k = 400
        parameters.d = 8
        parameters.f = 17
        parameters.accel = 8
        // The entropy tables come from compressing the samples at this level: at the level the
        // texts will be compressed with (on the dev corpus, level 2 texts 2.889× instead of
        // 2.882× with tables fitted at level 3).
        parameters.zParams.compressionLevel = level
        let written = dictionary.withUnsafeMutableBytes { out in
            samples.withUnsafeBytes { input in
                sizes.withUnsafeBufferPointer { sizePointer in
                    ZDICT_trainFromBuffer_fastCover(
                        out.baseAddress, out.count, input.baseAddress, sizePointer.baseAddress,
                        UInt32(sizePointer.count), parameters)
                }
            }
        }
        guard ZDICT_isError(written) == 0, written > 0 else { return nil }
        return Array(dictionary.prefix(written))
    }
}

/// Compresses documents into single zstd frames (content size in the header), reusing one
/// context. One instance per thread.
public final class ZstdFrameCompressor {
    private let context: OpaquePointer
    /// The compression level.
    public let level: Int32
    /// The dictionary the context currently references (compared by identity).
    private var referencedDictionary: ZstdDictionary?
    /// Output buffer reused across calls.
    private var output: [UInt8] = []

    /// A compressor at `level` (3 by default, zstd's own default; ingest passes its
    /// `--compression-level`, 2 unless given).
    public init(level: Int32 = 3) {
        // ZSTD_createCCtx only fails when out of memory.
        guard let context = ZSTD_createCCtx() else { fatalError("zstd: out of memory") }
        self.context = context
        self.level = level
        // Valid parameters on a fresh context cannot fail.
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        // Always attach a dictionary's tables instead of copying them into the context (zstd
        // copies them for inputs over 16 KiB at level 3): about 17% less CPU per document, and
        // the same ratio on the dev corpus.
        ZSTD_CCtx_setParameter(context, catalog_zstd_c_force_attach_dict, Int32(ZSTD_dictForceAttach.rawValue))
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input` into one frame, with `dictionary` when given; calls `body` with the frame.
    public func compress<T>(
        _ input: UnsafeRawBufferPointer, dictionary: ZstdDictionary?,
        _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T {
        let bound = Self.bound(input.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written: Int = try output.withUnsafeMutableBytes { try compress(input, dictionary: dictionary, into: $0) }
        return try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<written])) }
    }

    /// Compresses `input` into one frame written at the start of `destination` (at least
    /// `bound(input.count)` bytes), with `dictionary` when given; returns the frame's size.
    public func compress(
        _ input: UnsafeRawBufferPointer, dictionary: ZstdDictionary?, into destination: UnsafeMutableRawBufferPointer
    ) throws -> Int {
        if dictionary !== referencedDictionary {
            _ = try zstdCheck(ZSTD_CCtx_refCDict(context, dictionary?.compressionDictionary), "referencing a dictionary")
            referencedDictionary = dictionary
        }
        return try zstdCheck(
            ZSTD_compress2(context, destination.baseAddress, destination.count, input.baseAddress, input.count), "compression")
    }

    /// The largest frame `count` bytes of input can compress to.
    public static func bound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Compresses `input` into a new array.
    public func compress(_ input: [UInt8], dictionary: ZstdDictionary?) throws -> [UInt8] {
        try input.withUnsafeBytes { raw in try compress(raw, dictionary: dictionary) { Array($0) } }
    }
}

/// Decompresses single frames written by `ZstdFrameCompressor`. One instance per thread.
public final class ZstdFrameDecompressor {
    private let context: OpaquePointer

    /// A decompressor with its own context.
    public init() {
        guard let context = ZSTD_createDCtx() else { fatalError("zstd: out of memory") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses one frame (its content size must be in the header).
    public func decompress(_ frame: UnsafeRawBufferPointer, dictionary: ZstdDictionary?) throws(ZstdError) -> [UInt8] {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        // ZSTD_CONTENTSIZE_UNKNOWN / _ERROR are the two largest UInt64 values.
        guard size < UInt64.max - 1 else {
            throw .library(operation: "decompression", message: "frame without content size or corrupt")
        }
        guard size > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: Int(size))
        let result = output.withUnsafeMutableBytes { out in
            if let dictionary {
                return ZSTD_decompress_usingDDict(
                    context, out.baseAddress, out.count, frame.baseAddress, frame.count,
                    dictionary.decompressionDictionary)
            }
            return ZSTD_decompressDCtx(context, out.baseAddress, out.count, frame.baseAddress, frame.count)
        }
        let written = try zstdCheck(result, "decompression")
        if written != output.count { output.removeLast(output.count - written) }
        return output
    }
}
