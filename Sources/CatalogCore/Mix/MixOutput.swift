import Foundation

/// One document as materialize hands it to the output; the recipe's `fields` select what is
/// written.
public struct MixDocument: Sendable {
    /// `docs.document_id`.
    public var documentID: Int64
    /// `docs.doc_key`.
    public var docKey: String
    /// The source's name.
    public var source: String
    /// The domain.
    public var domain: String?
    /// The language code.
    public var lang: String?
    /// Estimated tokens.
    public var tokens: Int
    /// The quality score.
    public var quality: Double?
    /// The text, UTF-8.
    public var text: [UInt8]
    /// The input's other fields (a JSON object), or nil.
    public var metaJSON: [UInt8]?
    /// The component it was drawn for.
    public var component: String
    /// Its phase.
    public var phase: String
    /// Which pass over the component (1, 2, …).
    public var epoch: Int
}

/// What the manifest says about the run as a whole.
public struct MixManifestHeader: Sendable {
    /// Recipe name.
    public var recipe: String
    /// Recipe version.
    public var version: Int
    /// sha256 of the recipe text.
    public var sha256: String
    /// The seed used.
    public var seed: UInt64
    /// See `CatalogFingerprint`.
    public var catalogFingerprint: String
    /// When the run started (ISO 8601 UTC).
    public var createdAt: String
}

/// What the manifest says about one (phase, component).
public struct MixManifestComponent: Sendable {
    /// Its phase.
    public var phase: String
    /// The component it was drawn for.
    public var component: String
    /// Target tokens.
    public var targetTokens: Int64
    /// Tokens written.
    public var achievedTokens: Int64
    /// Achieved share of the phase's tokens.
    public var share: Double
    /// Target share of the phase's tokens.
    public var targetShare: Double
    /// Uses written (repeats counted).
    public var documents: Int64
    /// Passes over the component's documents.
    public var epochs: Int
}

/// Where materialize writes: documents in order, then `finish` makes the output visible, or
/// `abandon` removes everything written.
public protocol MixOutput: AnyObject {
    /// Writes the next document.
    func write(_ document: MixDocument) throws
    /// Completes the shards, writes the manifest last and moves the directory into place.
    func finish(header: MixManifestHeader, components: [MixManifestComponent]) throws -> [MixRunShardRecord]
    /// Removes what was written.
    func abandon()
}

/// Output settings after the command line overrode the recipe's.
public struct MixOutputSettings: Sendable {
    /// The output directory.
    public var directory: String
    /// `jsonl.zst`, `jsonl`, `jsonl.gz` or `mds`.
    public var format: String
    /// Rotation size.
    public var shardSizeBytes: Int64
    /// Fields written per document.
    public var fields: [String]
    /// Replace a non-empty directory.
    public var overwrite: Bool
    /// Output threads.
    public var threads: Int
}
