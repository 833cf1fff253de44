/// The writes of quality signals (`quality_signal`, `quality_signal_version`), for `catalog add`
/// and `catalog rescore`. Holds one persistent prepared statement; one instance per writer.
public final class QualityStore {
    /// The catalog written to.
    public let catalog: Catalog
    private let insertStatement: SQLiteStatement
    private let upsertStatement: SQLiteStatement

    /// Prepares the statements on `catalog`.
    public init(catalog: Catalog) throws(StoreError) {
        self.catalog = catalog
        insertStatement = try catalog.connection.prepare(StoreSQL.Quality.insertSignal, persistent: true)
        upsertStatement = try catalog.connection.prepare(StoreSQL.Quality.upsertSignal, persistent: true)
    }

    /// Records a version of the signal definitions (once).
    public func recordVersion(_ version: Int, description: String) throws(StoreError) {
        try catalog.connection.prepare(StoreSQL.Quality.recordVersion).run([
            .integer(Int64(version)), .text(description), .text(Clock.timestamp()),
        ])
    }

    /// Inserts a new document's signal row (ingest: the document was just added, so it has
    /// none): the signal columns (`QualitySignals.columnNames`), then the default score.
    public func insertSignals(
        documentID: Int64, version: Int, qualityFromInput: Bool, signals: QualitySignals, defaultQuality: Double
    ) throws(StoreError) {
        try run(insertStatement, documentID: documentID, version: version, qualityFromInput: qualityFromInput,
                signals: signals, defaultQuality: defaultQuality)
    }

    /// Inserts a document's signal row or updates the existing one (rescore); arguments as
    /// `insertSignals`.
    public func upsertSignals(
        documentID: Int64, version: Int, qualityFromInput: Bool, signals: QualitySignals, defaultQuality: Double
    ) throws(StoreError) {
        try run(upsertStatement, documentID: documentID, version: version, qualityFromInput: qualityFromInput,
                signals: signals, defaultQuality: defaultQuality)
    }

    private func run(
        _ statement: SQLiteStatement, documentID: Int64, version: Int, qualityFromInput: Bool, signals: QualitySignals,
        defaultQuality: Double
    ) throws(StoreError) {
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        try statement.bind(version, at: 2)
        try statement.bind(qualityFromInput ? 1 : 0, at: 3)
        var index = 4
        try signals.forEachColumnValue { (value) throws(StoreError) in
            try statement.bind(value, at: index)
            index += 1
        }
        try statement.bind(defaultQuality, at: index)
        _ = try statement.step()
    }

    /// Sets `document.quality`.
    public func setQuality(_ quality: Double, of documentID: Int64) throws(StoreError) {
        try catalog.connection.prepare(StoreSQL.Quality.setQuality).run([.real(quality), .integer(documentID)])
    }
}

/// A document whose signals `catalog rescore` must (re)compute.
public struct StaleSignalRow: Sendable, Equatable {
    /// The document.
    public var documentID: Int64
    /// Its `document.quality`.
    public var quality: Double?
    /// Whether it has a (stale) signal row.
    public var hasSignals: Bool
    /// The row's `quality_from_input` (false without a row).
    public var qualityFromInput: Bool
}

extension QualityStore {
    /// Documents after `documentID` whose signals are missing or older than `version`, in id
    /// order, at most `limit`.
    public func staleDocuments(after documentID: Int64, olderThan version: Int, limit: Int) throws(StoreError)
        -> [StaleSignalRow]
    {
        let statement = try catalog.connection.prepare(StoreSQL.Quality.staleDocuments)
        try statement.bind([.integer(documentID), .integer(Int64(version)), .integer(Int64(limit))])
        var rows: [StaleSignalRow] = []
        while try statement.step() {
            rows.append(StaleSignalRow(
                documentID: statement.int64(0), quality: statement.isNull(1) ? nil : statement.double(1),
                hasSignals: statement.int(2) != 0, qualityFromInput: !statement.isNull(3) && statement.int(3) != 0))
        }
        return rows
    }

    /// How many documents have missing or older signals.
    public func staleCount(olderThan version: Int) throws(StoreError) -> Int {
        Int(try catalog.connection.scalarInt(StoreSQL.Quality.countStale, [.integer(Int64(version))]) ?? 0)
    }

}
