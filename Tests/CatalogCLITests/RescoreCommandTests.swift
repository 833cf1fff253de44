import Foundation
import Testing
import CatalogCore

/// `catalog rescore` and the quality columns of `docs` through the CLI.
@Suite struct RescoreCommandTests {
    @Test func rescoreFillsMissingSignalsOnceAndPresetsAreQueryable() throws {
        let directory = TemporaryDirectory()
        let input = directory.write("in.jsonl", """
            {"id":"a","text":"The river runs to the sea. The boats go with it, and the people follow them.","source":"s"}
            {"id":"b","text":"x = {1, 2}\\ny = [3]","source":"s","score":0.5}
            """)
        let database = directory.path + "/c.db"
        let added = try CLIRunner.run([
            "add", input, "--db", database, "--source-field", "source", "--quality-field", "score",
        ])
        #expect(added.exitCode == 0, "\(added.stderr)")
        let current = try CLIRunner.run(["rescore", "--db", database])
        #expect(current.exitCode == 0)
        #expect(current.stderr.contains("nothing to do"))

        // Like a catalog ingested before quality signals existed.
        do {
            let catalog = try Catalog.open(at: database, create: false)
            try catalog.connection.execute("DELETE FROM quality_signal; UPDATE document SET quality = NULL WHERE doc_key = 'a'")
        }
        let rescored = try CLIRunner.run(["rescore", "--db", database, "--batch-size", "1"])
        #expect(rescored.exitCode == 0, "\(rescored.stderr)")
        #expect(rescored.stderr.contains("rescore: 2 of 2 documents rescored"))
        #expect(rescored.stderr.contains("quality set from the score: 1, kept from the input: 1"))

        let query = "SELECT doc_key, gopher_quality_reason, quality FROM docs ORDER BY doc_key"
        let rows = try CLIRunner.run(["sql", query, "--db", database, "--format", "csv"])
        #expect(rows.exitCode == 0, "\(rows.stderr)")
        let lines = rows.stdout.components(separatedBy: "\r\n")
        #expect(lines[1].hasPrefix("a,gopher_quality:word_count<50,0."))
        #expect(lines[2] == "b,gopher_quality:word_count<50,0.5")

        let bad = try CLIRunner.run(["rescore", "--db", database, "--batch-size", "0"])
        #expect(bad.exitCode == 64)
    }
}
