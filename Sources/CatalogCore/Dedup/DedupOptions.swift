/// Which documents may be duplicates of each other.
public enum DedupScope: String, Sendable, CaseIterable {
    /// Any two documents.
    case global
    /// Only documents of the same source.
    case source
    /// Only documents of the same domain.
    case domain
}

/// Everything `catalog dedup` needs to know, independent of the command line.
public struct DedupOptions: Sendable {
    /// Documents with estimated Jaccard ≥ this are near-duplicates.
    public var threshold = 0.8
    /// Verified edges are stored down to this similarity (or the threshold, if lower), so a later,
    /// higher threshold needs no recomputation.
    public var floor = 0.6
    /// Which documents may be duplicates of each other.
    public var scope = DedupScope.global
    /// SQL ORDER BY over the `docs` view: the first document of a cluster in this order is kept.
    public var keep = DedupOptions.defaultKeep
    /// Every member must be ≥ threshold to its canonical (no chaining).
    public var star = false
    /// Clusters larger than this are flagged.
    public var maxClusterSize = 1_000
    /// Clusters holding more than this share of a source's documents are flagged.
    public var maxSourceShare = 0.5
    /// Sources smaller than this are not checked against `maxSourceShare`.
    public var minSourceDocsForShare = 20
    /// Re-cluster every document even when the last run's settings allow an incremental run
    /// (after changing what the keep policy reads, such as quality scores).
    public var full = false
    /// A pair at the threshold must become a candidate with at least this probability.
    public var recall = 0.95
    /// SQLite page cache of an incremental run, whose lookups touch pages all over the catalog.
    var lookupCacheMebibytes = 384
    /// With at least this many new documents, making up a fifth of the catalog or more, the join
    /// scans the whole index once instead of looking up each new document's buckets.
    var scanJoinMinimum = 10_000

    /// The default keep policy: highest quality, then most tokens, then earliest ingested, then key.
    public static let defaultKeep = "quality DESC NULLS LAST, tokens DESC, document_id ASC, doc_key ASC"

    /// Default options.
    public init() {}

    /// The similarity down to which edges are verified and stored.
    public var effectiveFloor: Double { min(floor, threshold) }
}

/// Errors of `catalog dedup`, `similar` and `explain`.
public enum DedupRunError: Error, Equatable, CustomStringConvertible {
    /// An option is out of range.
    case invalidOption(String)
    /// `--keep` is not a valid ORDER BY over `docs`.
    case invalidKeep(expression: String, reason: String)
    /// A DOC argument matches no document.
    case unknownDocument(String)
    /// A DOC argument matches documents of several sources.
    case ambiguousDocument(key: String, matches: Int)
    /// The catalog has no signatures of the current scheme.
    case noSignatures

    public var description: String {
        switch self {
        case let .invalidOption(message):
            return message
        case let .invalidKeep(expression, reason):
            return "--keep \(JSONText.quoted(expression)): \(reason); give a SQL ORDER BY over the docs view, "
                + "e.g. \"quality DESC, tokens DESC\""
        case let .unknownDocument(argument):
            return "\(argument): no such document (give a doc_key from the docs view or a document_id)"
        case let .ambiguousDocument(key, matches):
            return "\(key): \(matches) documents of different sources have this key; give its document_id instead"
        case .noSignatures:
            return "the catalog has no MinHash signatures of this binary's scheme; add documents first"
        }
    }
}
