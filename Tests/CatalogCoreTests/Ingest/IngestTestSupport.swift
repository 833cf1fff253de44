import Foundation
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
        return try Ingester(catalog: try catalog(), options: options, observer: observer).run()
    }

    func int(_ sql: String) throws -> Int64? { try catalog().connection.scalarInt(sql) }
    func text(_ sql: String) throws -> String? { try catalog().connection.scalarText(sql) }
    func rows(_ sql: String) throws -> [[SQLValue]] { try catalog().connection.prepare(sql).allRows() }
}

/// One JSONL line with `id` and `text` (JSON-escaped) and optional extra members.
func jsonLine(id: String, text: String, extra: String = "") -> String {
    "{\"id\":\(JSONText.quoted(id)),\"text\":\(JSONText.quoted(text))\(extra.isEmpty ? "" : "," + extra)}"
}
