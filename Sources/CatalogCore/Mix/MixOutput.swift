import Foundation

/// One document as materialize hands it to the output; the recipe's `fields` select what is
/// written.
public struct MixDocument: Sendable {
    public var documentID: Int64
    public var docKey: String
    public var source: String
    public var domain: String?
    public var lang: String?
    public var tokens: Int
    public var quality: Double?
    /// The text, UTF-8.
    public var text: [UInt8]
    /// The input's other fields (a JSON object), or nil.
    public var metaJSON: [UInt8]?
    public var component: String
    public var phase: String
    public var epoch: Int
}

/// What the manifest says about the run as a whole.
public struct MixManifestHeader: Sendable {
    public var recipe: String
    public var version: Int
    public var sha256: String
    public var seed: UInt64
    public var catalogFingerprint: String
    public var createdAt: String
}

/// What the manifest says about one (phase, component).
public struct MixManifestComponent: Sendable {
    public var phase: String
    public var component: String
    public var targetTokens: Int64
    public var achievedTokens: Int64
    /// Achieved share of the phase's tokens.
    public var share: Double
    /// Target share of the phase's tokens.
    public var targetShare: Double
    public var documents: Int64
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
    public var directory: String
    public var format: String
    public var shardSizeBytes: Int64
    public var fields: [String]
    public var overwrite: Bool
    public var threads: Int
}
