/// One shard of a materialized mix, as recorded.
public struct MixRunShardRecord: Sendable, Equatable {
    /// File name inside the output directory.
    public var file: String
    /// The phase its documents belong to.
    public var phase: String
    /// Size in bytes.
    public var bytes: Int64
    /// sha256, lowercase hex.
    public var sha256: String
    /// Documents in it.
    public var documents: Int64
    /// Tokens in it.
    public var tokens: Int64

    /// A shard record.
    public init(file: String, phase: String, bytes: Int64, sha256: String, documents: Int64, tokens: Int64) {
        self.file = file
        self.phase = phase
        self.bytes = bytes
        self.sha256 = sha256
        self.documents = documents
        self.tokens = tokens
    }
}

/// One (phase, component) of a materialized mix: target, achieved and the documents used.
public struct MixRunComponentRecord: Sendable {
    /// Phase name.
    public var phase: String
    /// Component name.
    public var component: String
    /// Target in the recipe's unit.
    public var target: Int64
    /// Uses written (repeats counted).
    public var documents: Int64
    /// Tokens written.
    public var tokens: Int64
    /// How many times each document was used, by document id.
    public var times: [Int64: Int]

    /// A component record.
    public init(phase: String, component: String, target: Int64, documents: Int64, tokens: Int64, times: [Int64: Int]) {
        self.phase = phase
        self.component = component
        self.target = target
        self.documents = documents
        self.tokens = tokens
        self.times = times
    }
}

/// A completed materialization.
public struct MixRunRecord: Sendable {
    /// `recipe.recipe_id` of the version used.
    public var recipeID: Int64
    /// The seed used.
    public var seed: UInt64
    /// Output format.
    public var format: String
    /// Shard rotation size in bytes.
    public var shardSize: Int64
    /// Absolute output directory.
    public var outDirectory: String
    /// See `CatalogFingerprint`.
    public var catalogFingerprint: String
    /// ISO 8601 UTC.
    public var startedAt: String
    /// ISO 8601 UTC.
    public var finishedAt: String
    /// The shards in stream order.
    public var shards: [MixRunShardRecord]
    /// Per phase and component.
    public var components: [MixRunComponentRecord]

    /// A run record.
    public init(
        recipeID: Int64, seed: UInt64, format: String, shardSize: Int64, outDirectory: String, catalogFingerprint: String,
        startedAt: String, finishedAt: String, shards: [MixRunShardRecord], components: [MixRunComponentRecord]
    ) {
        self.recipeID = recipeID
        self.seed = seed
        self.format = format
        self.shardSize = shardSize
        self.outDirectory = outDirectory
        self.catalogFingerprint = catalogFingerprint
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.shards = shards
        self.components = components
    }
}

/// Records materialized mixes (`mix_run`, `mix_run_shard`, `mix_run_component`, `mix_run_document`).
public struct MixRunStore {
    private let connection: SQLiteConnection

    /// A store over `catalog` (opened for writing).
    public init(catalog: Catalog) { connection = catalog.connection }

    /// Records `run` in one transaction; returns its `mix_run_id`.
    @discardableResult
    public func record(_ run: MixRunRecord) throws -> Int64 {
        try connection.transaction {
            let documents = run.components.reduce(Int64(0)) { $0 + $1.documents }
            let tokens = run.components.reduce(Int64(0)) { $0 + $1.tokens }
            let bytes = run.shards.reduce(Int64(0)) { $0 + $1.bytes }
            try connection.prepare(StoreSQL.MixRun.insertRun).run([
                .integer(run.recipeID), .integer(Int64(bitPattern: run.seed)), .text(run.format),
                .integer(run.shardSize), .text(run.outDirectory), .text(run.catalogFingerprint), .integer(documents),
                .integer(tokens), .integer(bytes), .text(run.startedAt), .text(run.finishedAt),
            ])
            let runID = connection.lastInsertRowID
            let shard = try connection.prepare(StoreSQL.MixRun.insertShard, persistent: true)
            for (index, record) in run.shards.enumerated() {
                try shard.run([
                    .integer(runID), .integer(Int64(index)), .text(record.file), .text(record.phase),
                    .integer(record.bytes), .text(record.sha256), .integer(record.documents), .integer(record.tokens),
                ])
            }
            let component = try connection.prepare(StoreSQL.MixRun.insertComponent, persistent: true)
            let document = try connection.prepare(StoreSQL.MixRun.insertDocument, persistent: true)
            for record in run.components {
                try component.run([
                    .integer(runID), .text(record.phase), .text(record.component), .integer(record.target),
                    .integer(record.documents), .integer(record.tokens), .integer(Int64(record.times.values.max() ?? 0)),
                ])
                let componentID = connection.lastInsertRowID
                for (documentID, times) in record.times.sorted(by: { $0.key < $1.key }) {
                    try document.run([.integer(documentID), .integer(componentID), .integer(Int64(times))])
                }
            }
            return runID
        }
    }
}
