import Foundation
import Testing
@testable import CatalogCore

/// Collects what an ingest reports.
final class RecordingObserver: IngestObserver {
    var problems: [(path: String, problem: LineProblem)] = []
    var notes: [String] = []
    var progressCalls = 0

    func problem(_ problem: LineProblem, in path: String) { problems.append((path, problem)) }
    func problemsSuppressed(count: Int, in path: String) { notes.append("\(path): \(count) more") }
    func note(_ message: String) { notes.append(message) }
    func progress(docs: Int, bytes: Int, inputBytesDone: Int, totalInputBytes: Int, seconds: Double) {
        progressCalls += 1
    }
}

/// A catalog file in a temporary directory, with helpers to ingest and query it.
final class IngestFixture {
    let directory = TemporaryDirectory()
    let observer = RecordingObserver()
    var databasePath: String { directory.path + "/catalog.db" }

    func catalog() throws -> Catalog { try Catalog.open(at: databasePath, create: true) }

    /// Runs `catalog add` with `configure` applied to the options.
    @discardableResult
    func add(
        _ paths: [String], source: SourceChoice = .named("test"), domain: DomainChoice = .named("web"),
        _ configure: (inout IngestOptions) -> Void = { _ in }
    ) throws -> IngestReport {
        var options = IngestOptions(paths: paths, source: source, domain: domain)
        options.workers = 2
        configure(&options)
        // Ingest writes with foreign-key checks off: every ingest a test runs, failed ones
        // included, must leave no row whose parent is missing.
        defer { expectForeignKeysHold() }
        return try Ingester(catalog: try catalog(), options: options, observer: observer).run()
    }

    /// Expects `PRAGMA foreign_key_check` to find nothing.
    func expectForeignKeysHold(sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let violations = try rows("PRAGMA foreign_key_check")
            #expect(violations.isEmpty, "foreign key violations: \(violations)", sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
    }

    func int(_ sql: String) throws -> Int64? { try catalog().connection.scalarInt(sql) }
    func text(_ sql: String) throws -> String? { try catalog().connection.scalarText(sql) }
    func rows(_ sql: String) throws -> [[SQLValue]] { try catalog().connection.prepare(sql).allRows() }
}

/// One JSONL line with `id` and `text` (JSON-escaped) and optional extra members.
func jsonLine(id: String, text: String, extra: String = "") -> String {
    "{\"id\":\(JSONText.quoted(id)),\"text\":\(JSONText.quoted(text))\(extra.isEmpty ? "" : "," + extra)}"
}
