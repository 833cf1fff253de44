/// One document ready for the writer: its columns and where its bytes are in the batch.
struct ProcessedDocument {
    /// 1-based line (1 for a text file).
    var line: Int
    /// The input id, or nil when the key is derived from the content.
    var key: String?
    /// The source name from the record (with `--source-field`).
    var sourceName: String?
    /// Domain from the record, if mapped.
    var domain: String?
    /// Language from the record, if mapped.
    var lang: String?
    /// Quality from the record, if mapped.
    var quality: Double?
    /// UTF-8 bytes of the text.
    var bytes: Int
    /// Estimated tokens.
    var tokens: Int
    /// The zstd frame's range in `ProcessedBatch.arena` (the text itself when `elision` is set).
    var frame: Range<Int>
    /// The metadata JSON's range in `ProcessedBatch.arena`, if any.
    var meta: Range<Int>?
    /// Whether the document has a MinHash signature (at its ordinal in `signatures`).
    var hasSignature: Bool
    /// The dictionary the frame was compressed with.
    var dictID: Int64?
    /// For plain-text inputs: the file this document is.
    var textFile: TextFileIdentity?
    /// The heuristic quality signals of the text (nil with `--no-signals`).
    var signals: QualitySignals?
    /// The default quality score computed from `signals`.
    var defaultQuality: Double?
    /// Set when the worker skipped compression and MinHash for an exact copy of a text it
    /// knows from this run (`SignalMemo`): the writer copies them from the first copy.
    var elision: Elision?

    /// What the writer needs to store an exact copy the worker did not compress or hash.
    struct Elision {
        /// Whether the text has a MinHash signature (none in the batch's `signatures`).
        var hasSignature: Bool
        /// The dictionary to compress with, should the writer find no first copy to copy.
        var dictionary: ZstdDictionary?
    }
}

/// The provenance of a plain-text input file, which is one document.
struct TextFileIdentity {
    /// Path as given (joined with the directory).
    var path: String
    /// File size.
    var bytes: Int
    /// sha256 of the file, hex.
    var sha256: String
}

/// A batch of input processed by a worker, handed to the writer in input order.
final class ProcessedBatch: @unchecked Sendable {
    /// Position of the batch in the input.
    let index: Int
    /// Bytes charged to the pipeline's byte budget (released after writing).
    var budgetBytes = 0
    /// The last input line the batch covers (everything up to it is done once written).
    var lastLine = 0
    /// Uncompressed input bytes the batch covers.
    var inputBytes = 0
    /// Raw (possibly compressed) input bytes consumed up to the end of this batch.
    var rawBytesConsumed = 0
    /// Documents in input order.
    var documents: [ProcessedDocument] = []
    /// Per-line problems in input order.
    var problems: [LineProblem] = []
    /// Frames and metadata of all documents, back to back.
    let arena = ByteBuilder()
    /// 16-byte content hashes, one per document.
    var contentHashes: [UInt8] = []
    /// `permutations` values per document with a signature, in document order.
    var signatures: [UInt32] = []
    /// `bands` keys per document with a signature, in document order.
    var bandKeys: [Int64] = []
    /// A problem that ends the file (truncated stream, read error), found by the reader.
    var fileError: IngestError?
    /// Plain-text inputs skipped by the worker (binary, not UTF-8, too large, empty).
    var skippedTextFiles: [(path: String, reason: String)] = []

    init(index: Int) {
        self.index = index
    }

    /// Reserves room for the results of `lines` input lines of `inputBytes` bytes in all:
    /// frames and metadata rarely take more than half the input, and every line gives at most
    /// one document. Saves the copies of growing the arrays by doubling.
    func reserve(lines: Int, inputBytes: Int, permutations: Int, bands: Int) {
        documents.reserveCapacity(lines)
        arena.reserve(inputBytes / 2 + 4096)
        contentHashes.reserveCapacity(lines * 16)
        signatures.reserveCapacity(lines * permutations)
        bandKeys.reserveCapacity(lines * bands)
    }
}
