import ArgumentParser
import CatalogCore

struct MaterializeCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "materialize",
        abstract: "Write a recipe's deterministic shards and manifest.json into a directory; record the run.",
        discussion: """
            Nothing appears in DIR until the run is complete. The output is byte-identical for the same \
            catalog, recipe and seed whatever --threads.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "NAME or NAME@VERSION.") var recipe: String
    @Option(help: "The output directory.") var out: String
    @Option(help: "jsonl.zst, jsonl, jsonl.gz, mds or mds-raw (default: the recipe's).") var format: String?
    @Option(name: .customLong("shard-size"), help: "Shard size such as 256MiB (default: the recipe's).") var shardSize: String?
    @Flag(help: "Replace DIR when it exists and is not empty.") var overwrite = false
    @Option(help: "Output threads (default: one per processor).") var threads: Int?
    @Option(help: "Use this seed instead of the recipe's.") var seed: UInt64?
    @Option(help: "Progress line: auto (on a terminal), always, never.") var progress: ProgressMode = .auto

    func validate() throws {
        if let format, !RecipeOutput.formats.contains(format) {
            throw ValidationError("--format must be one of \(RecipeOutput.formats.joined(separator: ", "))")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be >= 1") }
    }

    func run(_ catalog: Catalog) throws {
        var options = MaterializeOptions(outDirectory: out)
        options.format = format
        options.shardSizeBytes = try shardSize.map { try MixSize.bytes($0) }
        options.overwrite = overwrite
        if let threads { options.threads = threads }
        options.seed = seed
        let reporter = ProgressReporter(mode: progress)
        options.progress = { docs, bytes, total, seconds in
            reporter.progress(docs: docs, bytes: Int(bytes), inputBytesDone: docs, totalInputBytes: total, seconds: seconds)
        }
        // Leave the run's rows in the WAL at exit instead of copying and syncing them into the
        // catalog file (≈ 0.07 s): SQLite folds them in at a later checkpoint, at once when a large
        // run takes the WAL past its 1000-page autocheckpoint.
        try catalog.connection.setCheckpointOnClose(false)
        let result = try Materializer(catalog: catalog).run(try RecipeReference(parsing: recipe), options: options) {
            try ShardSetOutput(settings: $0)
        }
        let megabytes = Double(result.textBytes) / 1e6
        for warning in result.selection.warnings { reporter.note("warning: \(warning)") }
        reporter.finish(summary:
            "materialized \(result.recipe.reference) into \(out): \(result.documents) documents, \(result.tokens) tokens, "
                + "\(result.shards.count) shard(s), \(Format.decimal(megabytes, digits: 1)) MB of text in "
                + "\(Format.decimal(result.writeSeconds, digits: 2)) s (selection \(Format.decimal(result.selectSeconds, digits: 2)) s); run \(result.runID)")
        print(RowPrinter.render(MaterializeReport.rows(result), as: .table), terminator: "")
    }
}
