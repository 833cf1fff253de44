import ArgumentParser
import CatalogCore

struct AddCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Ingest JSONL (.jsonl/.json/.ndjson, gzip or zstd) and plain-text files.",
        discussion: """
            Directories are read recursively; files ending in .jsonl, .json or .ndjson (optionally \
            .gz/.zst) are JSONL, other files are plain text (one document each). Re-adding a file \
            already ingested does nothing; an interrupted add resumes where it stopped. Creates the \
            catalog when missing.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "Files or directories to ingest.") var paths: [String]
    @Option(help: "The source every document belongs to.") var source: String?
    @Option(name: .customLong("source-field"), help: "JSONL field naming each record's source.") var sourceField: String?
    @Option(help: "The domain of every document (and the default of a new source).") var domain: String?
    @Option(name: .customLong("domain-field"), help: "JSONL field naming each record's domain.") var domainField: String?
    @Option(name: .customLong("text-field"), help: "JSONL field holding the text.") var textField = "text"
    @Option(name: .customLong("id-field"), help: "JSONL field holding the document id.") var idField = "id"
    @Option(name: .customLong("quality-field"), help: "JSONL field holding a quality score.") var qualityField: String?
    @Option(name: .customLong("lang-field"), help: "JSONL field holding a language code.") var langField: String?
    @Option(help: "Glob a file under a directory must match (repeatable).") var include: [String] = []
    @Option(help: "Glob excluding files under a directory (repeatable).") var exclude: [String] = []
    @Flag(help: "Fail a file (rolling it back) on any line problem.") var strict = false
    @Option(name: .customLong("max-errors"), help: "Fail a file with more rejected lines than this.") var maxErrors: Int?
    @Option(name: .customLong("max-line-bytes"), help: "Reject lines (and text files) longer than this.")
    var maxLineBytes = 64 << 20
    @Option(help: "Worker threads (default: one per processor).") var threads: Int?
    @Option(name: .customLong("compression-level"), help: "zstd level of stored texts (1-19; 3 or more: smaller, slower).") var compressionLevel = IngestOptions.defaultCompressionLevel
    @Option(help: "Progress line: auto (on a terminal), always, never.") var progress: ProgressMode = .auto
    @Flag(inversion: .prefixedNo, help: "Compute quality signals and the default score (--no-signals: later, with `catalog rescore`).")
    var signals = true
    @Option(name: .customLong("commit-every-docs"), help: .hidden) var commitEveryDocs = 8_192

    var createsCatalog: Bool { true }

    func validate() throws {
        switch (source, sourceField) {
        case (nil, nil): throw ValidationError("give --source NAME or --source-field FIELD")
        case (.some, .some): throw ValidationError("give either --source or --source-field, not both")
        default: break
        }
        if domain != nil && domainField != nil {
            throw ValidationError("give either --domain or --domain-field, not both")
        }
    }

    func run(_ catalog: Catalog) throws {
        var options = IngestOptions(
            paths: paths,
            source: source.map { .named($0) } ?? .field(sourceField ?? "source"),
            domain: domain.map { .named($0) } ?? domainField.map { .field($0) } ?? .sourceDefault)
        options.textField = textField
        options.idField = idField
        options.qualityField = qualityField
        options.langField = langField
        options.include = include
        options.exclude = exclude
        options.strict = strict
        options.maxErrors = maxErrors
        options.maxLineBytes = maxLineBytes
        if let threads { options.workers = threads }
        options.compressionLevel = compressionLevel
        options.commitEveryDocs = commitEveryDocs
        options.computesSignals = signals

        let reporter = ProgressReporter(mode: progress)
        let report = try Ingester(catalog: catalog, options: options, observer: reporter).run()
        reporter.finish(summary: report.summary)
        if !report.failedFiles.isEmpty { throw ExitCode.failure }
    }
}

extension ProgressMode: ExpressibleByArgument {}
