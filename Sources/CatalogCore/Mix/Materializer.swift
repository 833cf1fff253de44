import Foundation

/// A stored recipe version with its parsed form.
public struct LoadedRecipe: Sendable {
    /// The stored version.
    public var stored: StoredRecipe
    /// The parsed recipe.
    public var recipe: Recipe
    /// The YAML lines of its SQL expressions.
    public var lines: [String: Int]
    /// Parser warnings (normalised weights).
    public var warnings: [RecipeDiagnostic]

    /// Finds `reference` in `catalog` and parses it.
    public static func load(_ reference: RecipeReference, from catalog: Catalog) throws -> LoadedRecipe {
        let store = RecipeStore(catalog: catalog)
        guard let stored = try store.find(name: reference.name, version: reference.version) else {
            throw MixError.unknownRecipe(reference: reference.description, known: try store.names())
        }
        let parsed = RecipeParser.parse(stored.body)
        guard let recipe = parsed.recipe else {
            throw MixError.invalidRecipe(file: stored.reference, problems: parsed.problems)
        }
        return LoadedRecipe(stored: stored, recipe: recipe, lines: parsed.lines, warnings: parsed.warnings)
    }
}

/// Command-line choices of `catalog materialize`.
public struct MaterializeOptions {
    /// The output directory (must not exist or be empty, unless `overwrite`).
    public var outDirectory: String
    /// Overrides the recipe's output format.
    public var format: String?
    /// Overrides the recipe's shard size.
    public var shardSizeBytes: Int64?
    /// Replace a non-empty output directory.
    public var overwrite = false
    /// Threads of the output (compression); the result does not depend on it.
    public var threads = System.activeProcessorCount
    /// Overrides the recipe's seed.
    public var seed: UInt64?
    /// Called on the writing thread every `progressEvery` documents: documents and text
    /// bytes written so far, documents in the mix, seconds since writing started.
    public var progress: ((_ docs: Int, _ textBytes: Int64, _ totalDocs: Int, _ seconds: Double) -> Void)?
    /// Documents between two `progress` calls.
    public var progressEvery = 1_000

    /// Options writing to `outDirectory`.
    public init(outDirectory: String) { self.outDirectory = outDirectory }
}

/// What a materialization did.
public struct MaterializeResult: Sendable {
    /// The run's `mix_run_id`.
    public var runID: Int64
    /// The recipe version used.
    public var recipe: StoredRecipe
    /// The plan and what was drawn.
    public var selection: MixSelection
    /// The shards written.
    public var shards: [MixRunShardRecord]
    /// Documents written (repeats counted).
    public var documents: Int64
    /// Tokens written.
    public var tokens: Int64
    /// UTF-8 bytes of the texts written.
    public var textBytes: Int64
    /// Wall time of the write phase, seconds.
    public var writeSeconds: Double
    /// Wall time of planning and sampling, seconds.
    public var selectSeconds: Double
}

/// `catalog materialize`: plans and samples a stored recipe, streams the documents in order to
/// an output (reading and decompressing texts on their own thread), and records the run.
public struct Materializer {
    private let catalog: Catalog

    /// A materializer over `catalog` (opened for writing: the run is recorded in it).
    public init(catalog: Catalog) { self.catalog = catalog }

    /// Materializes `reference`; `makeOutput` opens the output for the final settings.
    public func run(
        _ reference: RecipeReference, options: MaterializeOptions,
        makeOutput: (MixOutputSettings) throws -> MixOutput
    ) throws -> MaterializeResult {
        let startedAt = Clock.timestamp()
        let start = Clock.monotonicSeconds()
        let loaded = try LoadedRecipe.load(reference, from: catalog)
        var recipe = loaded.recipe
        if let seed = options.seed { recipe.seed = seed }

        // One read-only connection holds one snapshot from planning to the last text read.
        let readCatalog = try Catalog.openReadOnly(at: catalog.path)
        // Texts are read in stream order, i.e. at random: map the file rather than copy pages.
        try readCatalog.setMemoryMapSize(bytes: 1 << 40)
        try readCatalog.connection.begin(.deferred)
        _ = try readCatalog.connection.scalarInt("SELECT count(*) FROM schema_migration")
        let fingerprint = try CatalogFingerprint.compute(readCatalog)
        let reader = try MixCatalogReader(catalog: readCatalog)
        let problems = reader.check(recipe, lines: loaded.lines)
        if !problems.isEmpty { throw MixError.invalidRecipe(file: loaded.stored.reference, problems: problems) }
        let selection = try MixSelection.make(recipe, reader: reader)
        let selectSeconds = Clock.monotonicSeconds() - start

        let settings = MixOutputSettings(
            directory: options.outDirectory, format: options.format ?? recipe.output.format,
            shardSizeBytes: options.shardSizeBytes ?? recipe.output.shardSizeBytes, fields: recipe.output.fields,
            overwrite: options.overwrite, threads: max(1, options.threads))
        let output = try makeOutput(settings)
        let writeStart = Clock.monotonicSeconds()
        let textBytes: Int64
        do {
            textBytes = try stream(selection, recipe: recipe, from: readCatalog, to: output, options: options)
        } catch {
            output.abandon()
            throw error
        }
        let header = ManifestHeader(
            recipe: recipe.name, version: loaded.stored.version, sha256: loaded.stored.sha256, seed: recipe.seed,
            catalogFingerprint: fingerprint, createdAt: startedAt)
        let shards = try output.finish(header: header, components: Self.manifestComponents(selection, recipe: recipe))
        let writeSeconds = Clock.monotonicSeconds() - writeStart

        let components = selection.phases.flatMap { $0 }.map { sampled in
            MixRunComponentRecord(
                phase: sampled.plan.phase, component: sampled.plan.component, target: sampled.plan.target,
                documents: Int64(sampled.entries.count), tokens: sampled.tokens, times: sampled.times)
        }
        // The last text is read: end the snapshot, so the checkpoint after the record's commit
        // is not held back by this process's own reader.
        try reader.endSnapshot()
        let runID = try MixRunStore(catalog: catalog).record(MixRunRecord(
            recipeID: loaded.stored.recipeID, seed: recipe.seed, format: settings.format,
            shardSize: settings.shardSizeBytes, outDirectory: Self.absolute(options.outDirectory),
            catalogFingerprint: fingerprint, startedAt: startedAt, finishedAt: Clock.timestamp(), shards: shards,
            components: components))
        return MaterializeResult(
            runID: runID, recipe: loaded.stored, selection: selection, shards: shards,
            documents: Int64(components.reduce(0) { $0 + Int($1.documents) }),
            tokens: components.reduce(0) { $0 + $1.tokens }, textBytes: textBytes, writeSeconds: writeSeconds,
            selectSeconds: selectSeconds)
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Per (phase, component): target and achieved tokens and shares for the manifest.
    static func manifestComponents(_ selection: MixSelection, recipe: Recipe) -> [ManifestComponent] {
        selection.phases.flatMap { sampled -> [ManifestComponent] in
            let phaseTokens = Double(sampled.reduce(Int64(0)) { $0 + $1.tokens })
            return sampled.map { component in
                ManifestComponent(
                    phase: component.plan.phase, component: component.plan.component,
                    targetTokens: recipe.unit == .tokens ? component.plan.target : component.tokens,
                    achievedTokens: component.tokens, targetShare: component.plan.weight,
                    share: phaseTokens > 0 ? Double(component.tokens) / phaseTokens : 0,
                    documents: Int64(component.entries.count), epochs: component.entries.map(\.epoch).max() ?? 0)
            }
        }
    }

    /// Reads and decompresses texts on a background thread and hands them to `output` in
    /// stream order on this one, in batches (up to `batchDocuments` documents or
    /// `batchTextBytes` bytes of text, so the threads wake each other rarely); returns the text
    /// bytes written.
    private func stream(
        _ selection: MixSelection, recipe: Recipe, from readCatalog: Catalog, to output: MixOutput,
        options: MaterializeOptions
    ) throws -> Int64 {
        let batchDocuments = 64
        let batchTextBytes = 1 << 22
        let queue = BlockingQueue<[OutputDocument]>(capacity: 4)
        let box = UncheckedBox(readCatalog)
        let components = recipe.components.map(\.name)
        let phases = recipe.phases.map(\.name)
        let streams = selection.streams
        let producer = BackgroundTask<Void> {
            defer { queue.close() }
            let reader = try MixDocumentReader(catalog: box.value)
            var batch: [OutputDocument] = []
            var batchBytes = 0
            for (phaseIndex, stream) in streams.enumerated() {
                for entry in stream {
                    guard let content = try reader.content(of: entry.documentID) else {
                        throw MixError.output("document \(entry.docKey) (id \(entry.documentID)) disappeared from the catalog during the run")
                    }
                    // Sampler passes count from 1, output epochs from 0.
                    batch.append(OutputDocument(
                        documentId: entry.documentID, docKey: entry.docKey, source: entry.source, domain: content.domain,
                        lang: content.lang, tokens: entry.tokens, quality: content.quality, text: content.text,
                        metaJSON: content.metaJSON, component: components[entry.componentIndex], phase: phases[phaseIndex],
                        epoch: entry.epoch - 1))
                    batchBytes += content.text.count
                    if batch.count >= batchDocuments || batchBytes >= batchTextBytes {
                        if !queue.push(batch) { return }
                        batch = []
                        batch.reserveCapacity(batchDocuments)
                        batchBytes = 0
                    }
                }
            }
            if !batch.isEmpty { queue.push(batch) }
        }
        var bytes: Int64 = 0
        var written = 0
        let total = streams.reduce(0) { $0 + $1.count }
        let started = Clock.monotonicSeconds()
        do {
            while let batch = queue.pop() {
                for document in batch {
                    bytes += Int64(document.text.count)
                    try output.write(document)
                    written += 1
                    if let progress = options.progress, written % max(1, options.progressEvery) == 0 {
                        progress(written, bytes, total, Clock.monotonicSeconds() - started)
                    }
                }
            }
        } catch {
            queue.close()
            try? producer.value()
            throw error
        }
        try producer.value()
        return bytes
    }
}
