import Foundation
import Testing
import CatalogCore

/// `kill -9` in the middle of `catalog add`: the catalog stays consistent and a re-run completes it.
@Suite struct KillTests {
    /// Starts an add, reads its progress lines until `killAfterDocs` documents were written
    /// (so at least one batch was committed), then sends SIGKILL. Returns the exit signal.
    private func startAndKill(database: String, input: String, killAfterDocs: Int) throws -> Int32 {
        let run = try CLIRunner.runAndKill([
            "add", input, "--db", database, "--source", "gen", "--domain", "web", "--progress", "always",
            "--commit-every-docs", "200", "--threads", "2",
        ]) { lines in
            lines.contains { line in
                line.hasPrefix("progress: ")
                    && (Int(line.dropFirst("progress: ".count).split(separator: " ").first ?? "") ?? 0) >= killAfterDocs
            }
        }
        #expect(run.killed, "the add finished before it could be killed; make the input larger")
        return run.signalled ? run.status : 0
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
            #expect(try catalog.connection.prepare("PRAGMA foreign_key_check").allRows().isEmpty)
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
        #expect(try connection.prepare("PRAGMA foreign_key_check").allRows().isEmpty)
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
        let run = try CLIRunner.runAndKill([
            "add", input, "--db", database, "--source", "gen", "--progress", "always", "--commit-every-docs", "200",
        ]) { lines in
            lines.contains { $0.hasPrefix("progress: ") && (Int($0.split(separator: " ")[1]) ?? 0) >= 1_000 }
        }
        #expect(run.killed && run.signalled)
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

/// `kill -9` in the middle of `catalog materialize`: nothing appears in the output directory,
/// nothing is recorded, and a re-run writes exactly what an uninterrupted run writes.
@Suite struct MaterializeKillTests {
    @Test func killedMaterializeLeavesNothingAndReRunsToTheSameBytes() throws {
        let directory = TemporaryDirectory()
        let database = directory.path + "/c.db"
        let input = directory.write("input.jsonl", generatedJSONL(count: 6_000))
        #expect(try CLIRunner.run(["add", input, "--db", database, "--source", "gen", "--domain", "web"]).exitCode == 0)
        // Five passes over every document: long enough to be killed halfway.
        let recipe = directory.write("r.yaml", """
            name: big
            seed: 5
            unit: docs
            total_docs: 30000
            max_epochs: 5
            shortfall: repeat
            output: {format: jsonl.zst, shard_size: 256KiB, fields: [id, text, source]}
            components:
              - {name: all, where: "1", weight: 1}
            """)
        #expect(try CLIRunner.run(["recipe", "add", recipe, "--db", database]).exitCode == 0)

        let out = directory.path + "/out"
        let run = try CLIRunner.runAndKill([
            "materialize", "big", "--db", database, "--out", out, "--progress", "always", "--threads", "1",
        ]) { lines in lines.contains { $0.hasPrefix("progress: ") } }
        #expect(run.killed && run.signalled, "materialize ended before it could be killed")

        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("out") }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(leftovers.allSatisfy { $0.hasPrefix(".out.tmp") }, "\(leftovers)")
        do {
            let catalog = try Catalog.openReadOnly(at: database)
            #expect(try catalog.connection.scalarText("PRAGMA integrity_check") == "ok")
            #expect(try catalog.connection.scalarInt("SELECT count(*) FROM mix_run") == 0)
            #expect(try catalog.connection.scalarInt("SELECT count(*) FROM mix_run_document") == 0)
        }

        let rerun = try CLIRunner.run(["materialize", "big", "--db", database, "--out", out])
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        let reference = try CLIRunner.run(["materialize", "big", "--db", database, "--out", directory.path + "/reference"])
        #expect(reference.exitCode == 0, "\(reference.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("shard") }.sorted()
        #expect(names.count > 3)
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: directory.path + "/reference")
            .filter { $0.hasPrefix("shard") }.sorted()))
        for name in names {
            #expect(FileManager.default.contents(atPath: out + "/" + name)
                == FileManager.default.contents(atPath: directory.path + "/reference/" + name), "\(name)")
        }
        // The interrupted run's temporary directory is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".out") }.isEmpty)
        #expect(try Catalog.openReadOnly(at: database).connection.scalarInt("SELECT count(*) FROM mix_run") == 2)
    }
}
