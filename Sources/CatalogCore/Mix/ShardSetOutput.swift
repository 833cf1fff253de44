/// The output of `catalog materialize`: `ShardSetWriter` shards in the recipe's format, with
/// `manifest.json` written last and the directory renamed into place.
public final class ShardSetOutput: MixOutput {
    private let writer: ShardSetWriter
    /// Bytes of the shards before compression (JSONL or MDS), after `finish`.
    public private(set) var uncompressedBytes: Int64 = 0

    /// Opens the writer for `settings`; fails before anything is written when the format or a
    /// field is unknown, or the directory is not empty (without `overwrite`) or not writable.
    public init(settings: MixOutputSettings) throws {
        guard let format = ShardFormat(rawValue: settings.format) else {
            throw MixError.output("unknown output format '\(settings.format)'; use one of \(RecipeOutput.formats.joined(separator: ", "))")
        }
        let fields = try settings.fields.map { name -> OutputField in
            guard let field = OutputField(rawValue: name) else {
                throw MixError.output("unknown output field '\(name)'; use \(RecipeOutput.knownFields.joined(separator: ", "))")
            }
            return field
        }
        writer = try ShardSetWriter(
            directory: settings.directory, format: format, shardSizeBytes: settings.shardSizeBytes, fields: fields,
            overwrite: settings.overwrite, threads: settings.threads)
    }

    public func write(_ document: OutputDocument) throws {
        try writer.write(document)
    }

    public func finish(header: ManifestHeader, components: [ManifestComponent]) throws -> [MixRunShardRecord] {
        let shards = try writer.finish(manifestHeader: header, components: components)
        uncompressedBytes = shards.reduce(0) { $0 + $1.uncompressedBytes }
        return shards.map {
            MixRunShardRecord(
                file: $0.file, phase: $0.phase, bytes: $0.bytes, sha256: $0.sha256, documents: $0.documents,
                tokens: $0.tokens)
        }
    }

    public func abandon() {
        writer.abandon()
    }
}
