import Foundation
import Testing
import CatalogCore

/// `kill -9` in the middle of `catalog add`: the catalog stays consistent and a re-run completes it.
@Suite struct KillTests {
    /// Starts an add, reads its progress lines until `killAfterDocs` documents were written
    /// (so at least one batch was committed), then sends SIGKILL. Returns the exit signal.
    private func startAndKill(database: String, input: String, killAfterDocs: Int) throws -> Int32 {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = [
            "add", input, "--db", database, "--source", "gen", "--domain", "web", "--progress", "always",
            "--commit-every-docs", "200", "--threads", "2",
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        var killed = false
        while !killed {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }  // the process ended before reaching the point
            buffer += String(decoding: data, as: UTF8.self)
            for line in buffer.split(separator: "\n") where line.hasPrefix("progress: ") {
                let docs = Int(line.dropFirst("progress: ".count).split(separator: " ").first ?? "") ?? 0
                if docs >= killAfterDocs {
                    kill(process.processIdentifier, SIGKILL)
                    killed = true
                    break
                }
            }
        }
        process.waitUntilExit()
        #expect(killed, "the add finished before it could be killed; make the input larger")
        return process.terminationReason == .uncaughtSignal ? process.terminationStatus : 0
    }

    @Test(arguments: [400, 2_000, 6_000])
    func killedAddLeavesConsistentCatalogAndResumes(killAfterDocs: Int) throws {
        let directory = TemporaryDirectory()
        let documents = 12_000
        let input = directory.write("input.jsonl", generatedJSONL(count: documents))
        let database = directory.path + "/c.db"

        let signal = try startAndKill(database: database, input: input, killAfterDocs: killAfterDocs)
        #expect(signal == SIGKILL)

        do {
            let catalog = try Catalog.openReadOnly(at: database)
            #expect(try catalog.connection.scalarText("PRAGMA integrity_check") == "ok")
            #expect(try catalog.connection.scalarText("SELECT status FROM ingest_file") == "running")
            // Nothing of a partly ingested file is visible, though some batches were committed.
            #expect(try catalog.connection.scalarInt("SELECT count(*) FROM docs") == 0)
            let committed = try catalog.connection.scalarInt("SELECT count(*) FROM document") ?? 0
            #expect(committed >= 200 && committed < Int64(documents))
            let linesRead = try catalog.connection.scalarInt("SELECT lines_read FROM ingest_file") ?? -1
            #expect(linesRead == committed)
        }

        let rerun = try CLIRunner.run(["add", input, "--db", database, "--source", "gen", "--domain", "web"])
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("resuming an interrupted ingest"))

        let catalog = try Catalog.openReadOnly(at: database)
        let connection = catalog.connection
        #expect(try connection.scalarText("PRAGMA integrity_check") == "ok")
        #expect(try connection.scalarText("SELECT status FROM ingest_file") == "complete")
        #expect(try connection.scalarInt("SELECT count(*) FROM docs") == Int64(documents))
        #expect(try connection.scalarInt("SELECT count(DISTINCT doc_key) FROM docs") == Int64(documents))
        #expect(try connection.scalarInt("SELECT count(DISTINCT line_no) FROM docs") == Int64(documents))
        #expect(try connection.scalarInt("SELECT docs_added FROM ingest_file") == Int64(documents))
        #expect(try connection.scalarInt("SELECT count(*) FROM document_text") == Int64(documents))
        #expect(try connection.scalarInt("SELECT count(*) FROM minhash_signature") == Int64(documents))
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band") == Int64(documents * 18))
        // Every text reads back as written: doc-N's text ends in " N."
        #expect(try connection.scalarInt(
            "SELECT count(*) FROM docs WHERE doc_text(document_id) NOT LIKE '% ' || substr(doc_key, 5) || '.'") == 0)

        let again = try CLIRunner.run(["add", input, "--db", database, "--source", "gen"])
        #expect(again.exitCode == 0)
        #expect(again.stderr.contains("already ingested"))
        #expect(try Catalog.openReadOnly(at: database).connection.scalarInt("SELECT count(*) FROM document") == Int64(documents))
    }
}
