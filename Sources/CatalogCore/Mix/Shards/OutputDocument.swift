/// One document as it goes to a shard; the recipe's `fields` select what is written.
public struct OutputDocument: Sendable {
    /// The catalog's integer id (`docs.document_id`).
    public var documentId: Int64
    /// The stable key (`docs.doc_key`); written as the `id` field.
    public var docKey: String
    /// The source's name.
    public var source: String
    /// The domain, if any.
    public var domain: String?
    /// The language, if any.
    public var lang: String?
    /// The document's token count (counted into shard and component totals).
    public var tokens: Int
    /// The quality score, if any.
    public var quality: Double?
    /// The text as valid UTF-8 bytes.
    public var text: [UInt8]
    /// The input's other fields as a JSON object (written verbatim as `meta`), or nil.
    public var metaJSON: [UInt8]?
    /// The recipe component that chose the document.
    public var component: String
    /// The phase the document belongs to; a change of phase starts a new shard.
    public var phase: String
    /// Which pass over the component this copy belongs to (0 for the first).
    public var epoch: Int

    /// A document with every field given.
    public init(
        documentId: Int64, docKey: String, source: String, domain: String?, lang: String?, tokens: Int,
        quality: Double?, text: [UInt8], metaJSON: [UInt8]?, component: String, phase: String, epoch: Int
    ) {
        self.documentId = documentId
        self.docKey = docKey
        self.source = source
        self.domain = domain
        self.lang = lang
        self.tokens = tokens
        self.quality = quality
        self.text = text
        self.metaJSON = metaJSON
        self.component = component
        self.phase = phase
        self.epoch = epoch
    }
}

/// The shard file formats `ShardSetWriter` writes.
public enum ShardFormat: String, Sendable, CaseIterable {
    /// JSON lines, uncompressed: `shard-00000.jsonl`.
    case jsonl
    /// JSON lines in one zstd frame per shard (content size in the header): `shard-00000.jsonl.zst`.
    case jsonlZstd = "jsonl.zst"
    /// JSON lines in one gzip member per shard (no name, mtime 0): `shard-00000.jsonl.gz`.
    case jsonlGzip = "jsonl.gz"
    /// MosaicML streaming MDS shards compressed with zstd (`shard.00000.mds.zstd`) plus `index.json`.
    case mds
    /// MosaicML streaming MDS shards without compression (`shard.00000.mds`) plus `index.json`.
    case mdsUncompressed = "mds-raw"

    /// Whether the shards are MDS (with an `index.json`).
    public var isMDS: Bool { self == .mds || self == .mdsUncompressed }

    /// The file name of shard number `index`.
    public func shardFileName(_ index: Int) -> String {
        let number = String(index).leftPadded(to: 5)
        switch self {
        case .jsonl: return "shard-\(number).jsonl"
        case .jsonlZstd: return "shard-\(number).jsonl.zst"
        case .jsonlGzip: return "shard-\(number).jsonl.gz"
        case .mds: return "shard.\(number).mds.zstd"
        case .mdsUncompressed: return "shard.\(number).mds"
        }
    }

    /// The compression applied to whole shard files, as the manifest names it.
    public var compression: String? {
        switch self {
        case .jsonl, .mdsUncompressed: return nil
        case .jsonlZstd, .mds: return "zstd"
        case .jsonlGzip: return "gzip"
        }
    }
}

/// The document fields a recipe can select for output, in the order it lists them.
public enum OutputField: String, Sendable, CaseIterable {
    /// `doc_key`, written as `id`.
    case id
    /// The text.
    case text
    /// The source's name.
    case source
    /// The domain (null or "" when missing).
    case domain
    /// The language (null or "" when missing).
    case lang
    /// The token count.
    case tokens
    /// The quality score (null, or NaN in MDS, when missing).
    case quality
    /// The input's other fields, a JSON object (null when none).
    case meta
    /// The recipe component.
    case component
    /// The phase.
    case phase
    /// The catalog's integer document id.
    case documentId = "document_id"
}

extension String {
    /// The string with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
