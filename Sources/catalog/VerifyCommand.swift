import ArgumentParser
import CatalogCore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check a shard directory against its manifest.json.",
        discussion: """
            Re-hashes every file the manifest lists (size and sha256), decodes compressed shards \
            and checks their size and document count, checks index.json for MDS, and reports \
            missing, extra, truncated, corrupt or undecodable files. Exits 1 on any problem.
            """)

    @Argument(help: "The directory written by catalog materialize.") var directory: String
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    @Flag(help: "Print only the files with a problem.") var problemsOnly = false

    func run() throws {
        let results: [VerifiedFile]
        do {
            results = try ShardVerifier(directory: directory).verify()
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode.failure
        }
        let shown = problemsOnly ? results.filter(\.isProblem) : results
        let rows = RowSet(
            columns: ["file", "kind", "status", "expected_bytes", "actual_bytes", "detail"],
            rows: shown.map { result in
                [
                    .text(result.file), .text(result.kind), .text(result.status.rawValue),
                    result.expectedBytes.map { .integer($0) } ?? .null, result.actualBytes.map { .integer($0) } ?? .null,
                    .text(result.detail),
                ]
            })
        print(RowPrinter.render(rows, as: format), terminator: "")
        let problems = results.filter(\.isProblem).count
        let shards = results.filter { $0.kind == "shard" }.count
        if problems > 0 {
            StandardError.write("verify: \(problems) problem\(problems == 1 ? "" : "s") in \(directory) (\(shards) shards listed)\n")
            throw ExitCode.failure
        }
        StandardError.write("verify: \(directory): all \(results.count) files ok (\(shards) shards)\n")
    }
}
