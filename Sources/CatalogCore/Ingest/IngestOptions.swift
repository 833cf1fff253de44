/// Where each document's source name comes from.
public enum SourceChoice: Sendable, Equatable {
    /// Every document of the run belongs to this source.
    case named(String)
    /// Each JSONL record names its source in this field.
    case field(String)
}

/// Where each document's domain comes from.
public enum DomainChoice: Sendable, Equatable {
    /// The source's default domain, if it has one.
    case sourceDefault
    /// Every document of the run gets this domain (and a new source gets it as default).
    case named(String)
    /// Each JSONL record names its domain in this field (else the source's default).
    case field(String)
}

/// Everything `catalog add` needs to know, independent of the command line.
public struct IngestOptions: Sendable {
    /// Files and directories to ingest.
    public var paths: [String]
    /// Source naming.
    public var source: SourceChoice
    /// Domain naming.
    public var domain: DomainChoice
    /// JSONL field holding the text.
    public var textField = "text"
    /// JSONL field holding the document id.
    public var idField = "id"
    /// JSONL field holding a quality score in [0, 1], if any.
    public var qualityField: String?
    /// JSONL field holding a language code, if any.
    public var langField: String?
    /// Globs a file under a directory must match (all files when empty).
    public var include: [String] = []
    /// Globs excluding files under a directory.
    public var exclude: [String] = []
    /// Any per-line problem fails the file (its rows are rolled back).
    public var strict = false
    /// A file with more rejected lines than this fails (nil: no limit).
    public var maxErrors: Int?
    /// Lines (and text files) longer than this are rejected without being buffered.
    public var maxLineBytes = 64 << 20
    /// Worker threads (parse, normalise, hash, compress); the writer is one more thread.
    public var workers = max(1, System.activeProcessorCount)
    /// The default zstd level of stored texts: with the per-source dictionaries, level 2
    /// (zstd's fast strategy) compresses the dev corpus 2.89× at ≈ 237 MB/s per core here,
    /// level 3 3.04× at ≈ 190 MB/s: 5% larger texts for an ingest ≈ 3% faster end to end.
    public static let defaultCompressionLevel: Int32 = 2
    /// zstd level of stored texts.
    public var compressionLevel = IngestOptions.defaultCompressionLevel
    /// Documents written between commits (an interrupted run resumes after the last commit).
    public var commitEveryDocs = 8_192
    /// Compute every document's quality signals and default score (false: `--no-signals`,
    /// leaving them to a later `catalog rescore`, for the fastest possible ingest).
    public var computesSignals = true
    /// Let the writer copy an exact copy's frame and signature from its first copy in this run
    /// instead of the workers compressing and hashing it again (the stored bytes are the same
    /// either way; tests turn it off to compare). Needs `computesSignals` (the signal memo).
    var reusesExactCopies = true

    /// Options for `paths` with the given source and domain choices, defaults elsewhere.
    public init(paths: [String], source: SourceChoice, domain: DomainChoice = .sourceDefault) {
        self.paths = paths
        self.source = source
        self.domain = domain
    }

    /// The field mapping as JSON, recorded with each ingest file.
    var mappingJSON: String {
        var members: [(String, String?)] = []
        switch source {
        case let .named(name): members.append(("source", name))
        case let .field(field): members.append(("source_field", field))
        }
        switch domain {
        case .sourceDefault: break
        case let .named(name): members.append(("domain", name))
        case let .field(field): members.append(("domain_field", field))
        }
        members += [
            ("text_field", textField), ("id_field", idField), ("quality_field", qualityField),
            ("lang_field", langField),
        ]
        let body = members.compactMap { key, value in value.map { "\(JSONText.quoted(key)):\(JSONText.quoted($0))" } }
        return "{" + body.joined(separator: ",") + "}"
    }
}
