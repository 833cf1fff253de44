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
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_bands") == Int64(documents * 18))
        // Every text reads back as written: doc-N's text ends in " N."
        #expect(try connection.scalarInt(
            "SELECT count(*) FROM docs WHERE doc_text(document_id) NOT LIKE '% ' || substr(doc_key, 5) || '.'") == 0)

        let again = try CLIRunner.run(["add", input, "--db", database, "--source", "gen"])
        #expect(again.exitCode == 0)
        #expect(again.stderr.contains("already ingested"))
        #expect(try Catalog.openReadOnly(at: database).connection.scalarInt("SELECT count(*) FROM document") == Int64(documents))
    }
}

/// After a kill: other options, other files and an edited file all end in a consistent catalog.
@Suite struct AfterKillTests {
    private func killMidway(_ database: String, _ input: String) throws {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = [
            "add", input, "--db", database, "--source", "gen", "--progress", "always", "--commit-every-docs", "200",
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        while true {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            buffer += String(decoding: data, as: UTF8.self)
            if buffer.split(separator: "\n").contains(where: { $0.hasPrefix("progress: ") && (Int($0.split(separator: " ")[1]) ?? 0) >= 1_000 }) {
                kill(process.processIdentifier, SIGKILL)
                break
            }
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
    }

    private func count(_ database: String, _ sql: String) throws -> Int64? {
        try Catalog.openReadOnly(at: database).connection.scalarInt(sql)
    }

    @Test func otherOptionsStartTheFileOverAndCopiesNeverPointAtHiddenRows() throws {
        let directory = TemporaryDirectory()
        let text = generatedJSONL(count: 8_000)
        let input = directory.write("input.jsonl", text)
        let database = directory.path + "/c.db"
        try killMidway(database, input)

        // Copies of the hidden documents, in another file: no duplicate_of to rows nobody sees.
        let copies = directory.write("copies.jsonl", text.split(separator: "\n").prefix(50).map {
            $0.replacingOccurrences(of: "\"doc-", with: "\"copy-")
        }.joined(separator: "\n"))
        #expect(try CLIRunner.run(["add", copies, "--db", database, "--source", "copies"]).exitCode == 0)
        #expect(try count(database, "SELECT count(*) FROM docs WHERE duplicate_of IS NOT NULL") == 0)

        let rerun = try CLIRunner.run(["add", input, "--db", database, "--source", "gen", "--domain", "web"])
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("starting this file over"))
        #expect(try count(database, "SELECT count(*) FROM docs WHERE source = 'gen'") == 8_000)
        #expect(try count(database, "SELECT count(*) FROM docs WHERE source = 'gen' AND domain = 'web'") == 8_000)
        #expect(try count(database, "SELECT docs_added FROM ingest_file WHERE path = '\(input)'") == 8_000)
        // The copies made while the originals were hidden now point at them? No: they were
        // ingested first, so the originals are the copies' duplicates.
        #expect(try count(database, "SELECT count(*) FROM docs WHERE source = 'gen' AND duplicate_of IS NOT NULL") == 50)
        #expect(try Catalog.openReadOnly(at: database).connection.scalarText("PRAGMA integrity_check") == "ok")
    }

    @Test func anEditedFileRollsBackItsInterruptedIngest() throws {
        let directory = TemporaryDirectory()
        let input = directory.write("input.jsonl", generatedJSONL(count: 8_000))
        let database = directory.path + "/c.db"
        try killMidway(database, input)
        let edited = generatedJSONL(count: 8_000) + "{\"id\":\"extra\",\"text\":\"one more line\"}\n"
        directory.write("input.jsonl", edited)
        let rerun = try CLIRunner.run(["add", input, "--db", database, "--source", "gen"])
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("the file changed since an interrupted ingest"))
        #expect(rerun.stderr.contains("0 lines rejected"))
        #expect(try count(database, "SELECT count(*) FROM docs") == 8_001)
        #expect(try count(database, "SELECT count(*) FROM ingest_file WHERE status = 'running'") == 0)
    }
}
