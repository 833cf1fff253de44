import Foundation

/// What `manifest.json` says about the run as a whole; the caller fills it in.
///
/// `createdAt` is the only time in the output: it is in the manifest, never in a shard, so
/// shard bytes and hashes do not depend on when the run happened.
public struct ManifestHeader: Sendable, Equatable {
    /// The recipe's name.
    public var recipe: String
    /// The recipe's version in the catalog.
    public var version: Int
    /// The recipe's sha256 (lowercase hex).
    public var sha256: String
    /// The sampling seed.
    public var seed: UInt64
    /// A fingerprint of the catalog state the mix was drawn from.
    public var catalogFingerprint: String
    /// When the run started (ISO 8601, UTC).
    public var createdAt: String
    /// Extra information as a JSON object, written verbatim under `extra`; nil for none.
    public var extraJSON: String?

    /// A header with every field given.
    public init(
        recipe: String, version: Int, sha256: String, seed: UInt64, catalogFingerprint: String, createdAt: String,
        extraJSON: String? = nil
    ) {
        self.recipe = recipe
        self.version = version
        self.sha256 = sha256
        self.seed = seed
        self.catalogFingerprint = catalogFingerprint
        self.createdAt = createdAt
        self.extraJSON = extraJSON
    }
}

/// What `manifest.json` says about one (phase, component): targets against what was written.
public struct ManifestComponent: Sendable, Equatable {
    /// The phase's name.
    public var phase: String
    /// The component's name.
    public var component: String
    /// Tokens the recipe asked for.
    public var targetTokens: Int64
    /// Tokens written.
    public var achievedTokens: Int64
    /// The target share of the phase's tokens (0...1).
    public var targetShare: Double
    /// The achieved share of the phase's tokens (0...1).
    public var share: Double
    /// Documents written (repeats counted).
    public var documents: Int64
    /// Passes over the component's documents (1 = no repetition).
    public var epochs: Int

    /// A component entry with every field given.
    public init(
        phase: String, component: String, targetTokens: Int64, achievedTokens: Int64, targetShare: Double,
        share: Double, documents: Int64, epochs: Int
    ) {
        self.phase = phase
        self.component = component
        self.targetTokens = targetTokens
        self.achievedTokens = achievedTokens
        self.targetShare = targetShare
        self.share = share
        self.documents = documents
        self.epochs = epochs
    }
}

/// Documents and tokens of one component inside one shard.
public struct ShardComponentCount: Sendable, Equatable {
    /// The component's name.
    public var component: String
    /// Documents of the component in the shard.
    public var documents: Int64
    /// Tokens of the component in the shard.
    public var tokens: Int64
}

/// One shard as the manifest lists it (and as `catalog materialize` records it).
public struct ShardSummary: Sendable, Equatable {
    /// The file name inside the output directory.
    public var file: String
    /// The phase of every document in the shard.
    public var phase: String
    /// Bytes on disk.
    public var bytes: Int64
    /// SHA-256 of the file, lowercase hex.
    public var sha256: String
    /// Bytes before compression (equal to `bytes` for uncompressed formats).
    public var uncompressedBytes: Int64
    /// Documents (samples, lines) in the shard.
    public var documents: Int64
    /// Tokens of those documents.
    public var tokens: Int64
    /// Per-component counts, in the order components first appear in the shard.
    public var components: [ShardComponentCount]
}

/// Another file the manifest covers (MDS's `index.json`).
public struct ManifestFile: Sendable, Equatable {
    /// The file name inside the output directory.
    public var file: String
    /// Bytes on disk.
    public var bytes: Int64
    /// SHA-256 of the file, lowercase hex.
    public var sha256: String
}

/// Renders `manifest.json` (layout documented in docs/manifest.md).
enum ManifestRenderer {
    /// The manifest's layout version.
    static let manifestVersion: Int64 = 1

    struct Output {
        var format: ShardFormat
        var compressionLevel: Int32?
        var shardSizeBytes: Int64
        var fields: [OutputField]
    }

    static func render(
        header: ManifestHeader, output: Output, components: [ManifestComponent], shards: [ShardSummary],
        files: [ManifestFile]
    ) -> String {
        var phases: [(name: String, first: Int, count: Int, documents: Int64, tokens: Int64)] = []
        for (index, shard) in shards.enumerated() {
            if let last = phases.last, last.name == shard.phase {
                phases[phases.count - 1].count += 1
                phases[phases.count - 1].documents += shard.documents
                phases[phases.count - 1].tokens += shard.tokens
            } else {
                phases.append((shard.phase, index, 1, shard.documents, shard.tokens))
            }
        }
        let members: [(String, OrderedJSON)] = [
            ("manifest_version", .integer(manifestVersion)),
            ("recipe", .object([
                ("name", .string(header.recipe)), ("version", .integer(Int64(header.version))),
                ("sha256", .string(header.sha256)),
            ])),
            ("seed", .unsigned(header.seed)),
            ("catalog_fingerprint", .string(header.catalogFingerprint)),
            ("created_at", .string(header.createdAt)),
            ("output", .object([
                ("format", .string(output.format.rawValue)),
                ("compression", .optional(output.format.compression)),
                ("compression_level", output.compressionLevel.map { .integer(Int64($0)) } ?? .null),
                ("shard_size_bytes", .integer(output.shardSizeBytes)),
                ("fields", .array(output.fields.map { .string($0.rawValue) })),
            ])),
            ("totals", .object([
                ("shards", .integer(Int64(shards.count))),
                ("documents", .integer(shards.reduce(0) { $0 + $1.documents })),
                ("tokens", .integer(shards.reduce(0) { $0 + $1.tokens })),
                ("bytes", .integer(shards.reduce(0) { $0 + $1.bytes })),
                ("uncompressed_bytes", .integer(shards.reduce(0) { $0 + $1.uncompressedBytes })),
            ])),
            ("phases", .array(phases.map { phase in
                .object([
                    ("phase", .string(phase.name)), ("first_shard", .integer(Int64(phase.first))),
                    ("shards", .integer(Int64(phase.count))), ("documents", .integer(phase.documents)),
                    ("tokens", .integer(phase.tokens)),
                ])
            })),
            ("components", .array(components.map { component in
                .object([
                    ("phase", .string(component.phase)), ("component", .string(component.component)),
                    ("target_tokens", .integer(component.targetTokens)),
                    ("achieved_tokens", .integer(component.achievedTokens)),
                    ("target_share", .real(component.targetShare)), ("achieved_share", .real(component.share)),
                    ("documents", .integer(component.documents)), ("epochs", .integer(Int64(component.epochs))),
                ])
            })),
            ("shards", .array(shards.map { shard in
                .object([
                    ("file", .string(shard.file)), ("phase", .string(shard.phase)), ("bytes", .integer(shard.bytes)),
                    ("sha256", .string(shard.sha256)), ("uncompressed_bytes", .integer(shard.uncompressedBytes)),
                    ("documents", .integer(shard.documents)), ("tokens", .integer(shard.tokens)),
                    ("components", .array(shard.components.map { count in
                        .object([
                            ("component", .string(count.component)), ("documents", .integer(count.documents)),
                            ("tokens", .integer(count.tokens)),
                        ])
                    })),
                ])
            })),
            ("files", .array(files.map { file in
                .object([("file", .string(file.file)), ("bytes", .integer(file.bytes)), ("sha256", .string(file.sha256))])
            })),
        ]
        var text = OrderedJSON.object(members).rendered(pretty: true)
        if let extra = header.extraJSON {
            // Spliced in verbatim before the closing brace (validated as an object by the writer).
            text.removeLast(3)  // "\n}\n"
            text += ",\n  \"extra\": " + extra.trimmingCharacters(in: .whitespacesAndNewlines) + "\n}\n"
        }
        return text
    }
}
