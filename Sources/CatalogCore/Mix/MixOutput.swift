import Foundation

/// Where materialize writes: documents in order, then `finish` makes the output visible, or
/// `abandon` removes everything written.
public protocol MixOutput: AnyObject {
    /// Writes the next document.
    func write(_ document: OutputDocument) throws
    /// Completes the shards, writes the manifest last and moves the directory into place.
    func finish(header: ManifestHeader, components: [ManifestComponent]) throws -> [MixRunShardRecord]
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
