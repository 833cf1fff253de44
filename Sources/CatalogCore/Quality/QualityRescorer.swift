/// What `catalog rescore` did.
public struct RescoreReport: Sendable, Equatable {
    /// Documents whose signals were missing or older than the binary's version, at the start.
    public var stale = 0
    /// Documents whose signals were (re)computed and stored.
    public var rescored = 0
    /// Of those, documents whose `quality` was set to the default score.
    public var qualityUpdated = 0
    /// Of those, documents whose `quality` came from the input and was left alone.
    public var qualityKept = 0
    /// Transactions committed.
    public var batches = 0
    /// Wall time.
    public var seconds = 0.0

    /// An empty report.
    public init() {}

    /// One line for stderr.
    public var summary: String {
        if stale == 0 { return "rescore: every document already has signals of version \(QualitySignals.version); nothing to do" }
        return "rescore: \(rescored) of \(stale) documents rescored to signal version \(QualitySignals.version) "
            + "(quality set from the score: \(qualityUpdated), kept from the input: \(qualityKept)) in \(batches) "
            + "batches, \(Format.decimal(seconds, digits: 2)) s"
    }
}

/// Problems of `catalog rescore`.
public enum QualityError: Error, Equatable, CustomStringConvertible {
    /// A document's stored text could not be read.
    case unreadableText(documentID: Int64, reason: String)
    /// Another process is writing to the catalog.
    case catalogBusy(path: String)

    /// What is wrong and how to fix it.
    public var description: String {
        switch self {
        case let .unreadableText(id, reason):
            return "document \(id): its stored text cannot be read (\(reason)); "
                + "check the catalog with `catalog sql \"PRAGMA integrity_check\"` and re-add the file"
        case let .catalogBusy(path):
            return "\(path) is being written by another catalog command; run rescore when it has finished"
        }
    }
}

/// Recomputes the quality signals and the default score of documents whose signals are missing
/// (catalogs ingested before migration 0005) or of an older `QualitySignals.version`.
///
/// Reads each text through its stored zstd frame, commits every `batchSize` documents, and is
/// resumable: a killed run leaves whole batches done, and the next run skips documents already
/// at the current version. `document.quality` is replaced by the default score unless it came
/// from the input (`--quality-field`): recorded as `quality_from_input` in the signal row, and
/// for a document without a row (ingested before quality signals existed, when only the input
/// could set quality) taken to be any non-NULL quality.
public final class QualityRescorer {
    private let catalog: Catalog
    private let batchSize: Int

    /// A rescorer of `catalog` committing every `batchSize` documents.
    public init(catalog: Catalog, batchSize: Int = 2_000) {
        self.catalog = catalog
        self.batchSize = max(1, batchSize)
    }

    /// Runs to completion; `progress` gets the documents rescored so far after each batch.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> RescoreReport {
        let started = Clock.monotonicSeconds()
        let lock = catalog.path == ":memory:" ? nil : CatalogWriteLock.acquire(path: catalog.path)
        if catalog.path != ":memory:" && lock == nil { throw QualityError.catalogBusy(path: catalog.path) }
        defer { withExtendedLifetime(lock) {} }

        let store = try QualityStore(catalog: catalog)
        let version = QualitySignals.version
        var report = RescoreReport()
        report.stale = try store.staleCount(olderThan: version)
        guard report.stale > 0 else {
            report.seconds = Clock.monotonicSeconds() - started
            return report
        }
        try store.recordVersion(version, description: QualitySignals.versionDescription)
        let reader = DocumentTextReader(connection: catalog.connection)
        let scanner = QualitySignalScanner()
        var after: Int64 = 0
        while true {
            let rows = try store.staleDocuments(after: after, olderThan: version, limit: batchSize)
            guard let last = rows.last else { break }
            try catalog.connection.begin()
            do {
                for row in rows {
                    let text: [UInt8]?
                    do {
                        text = try reader.text(of: row.documentID)
                    } catch {
                        throw QualityError.unreadableText(documentID: row.documentID, reason: "\(error)")
                    }
                    let signals = text.map { bytes in bytes.withUnsafeBufferPointer { scanner.signals(of: $0) } }
                        ?? QualitySignals()
                    let score = QualityScore.score(signals)
                    let fromInput = row.hasSignals ? row.qualityFromInput : row.quality != nil
                    try store.upsertSignals(
                        documentID: row.documentID, version: version, qualityFromInput: fromInput,
                        signals: signals, defaultQuality: score)
                    if fromInput {
                        report.qualityKept += 1
                    } else {
                        try store.setQuality(score, of: row.documentID)
                        report.qualityUpdated += 1
                    }
                    report.rescored += 1
                }
                try catalog.connection.commit()
            } catch {
                catalog.connection.rollbackIfOpen()
                throw error
            }
            report.batches += 1
            after = last.documentID
            progress?(report.rescored, report.stale)
        }
        report.seconds = Clock.monotonicSeconds() - started
        return report
    }
}
