import Foundation
import Testing
import CatalogCore

/// The CLI end to end: stdout, stderr and exit codes.
@Suite struct CommandTests {
    private func catalogWithDocuments() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        let input = directory.write("in.jsonl", """
            {"id":"w1","text":"web page one about rivers and stones","source":"crawl","domain":"web"}
            {"id":"w2","text":"web page two about clouds and paper","source":"crawl","domain":"web"}
            {"id":"b1","text":"a book chapter about markets and signals and gardens","source":"library","domain":"books"}
            {"id":"b2","text":"web page one about rivers and stones","source":"library","domain":"books"}
            """)
        let database = directory.path + "/c.db"
        let result = try CLIRunner.run(["add", input, "--db", database, "--source-field", "source", "--domain-field", "domain"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("added 4 documents from 1 file(s)"))
        #expect(result.stdout.isEmpty)
        return (directory, database)
    }

    @Test func sqlPrintsRowsInEachFormat() throws {
        let (directory, database) = try catalogWithDocuments()
        _ = directory
        let query = "SELECT source, count(*) AS docs FROM docs GROUP BY source ORDER BY source"
        let csv = try CLIRunner.run(["sql", query, "--db", database, "--format", "csv"])
        #expect(csv.exitCode == 0)
        #expect(csv.stdout == "source,docs\r\ncrawl,2\r\nlibrary,2\r\n")
        let jsonl = try CLIRunner.run(["sql", query, "--db", database, "--format", "jsonl"])
        #expect(jsonl.stdout == "{\"source\":\"crawl\",\"docs\":2}\n{\"source\":\"library\",\"docs\":2}\n")
        let text = try CLIRunner.run(["sql", "SELECT doc_text(document_id) AS t FROM docs WHERE doc_key = 'b1'",
                                      "--db", database, "--format", "csv"])
        #expect(text.stdout == "t\r\na book chapter about markets and signals and gardens\r\n")
    }

    @Test func sqlRefusesWritesWithExitCodeOne() throws {
        let (directory, database) = try catalogWithDocuments()
        _ = directory
        for sql in ["DELETE FROM document", "DROP VIEW docs", "SELECT 1; DELETE FROM document",
                    "ATTACH DATABASE 'x.db' AS x", "PRAGMA user_version = 3"] {
            let result = try CLIRunner.run(["sql", sql, "--db", database])
            #expect(result.exitCode == 1, "\(sql)")
            #expect(result.stderr.hasPrefix("error: refused"), "\(sql): \(result.stderr)")
        }
        let count = try CLIRunner.run(["sql", "SELECT count(*) FROM docs", "--db", database, "--format", "csv"])
        #expect(count.stdout == "count(*)\r\n4\r\n")
    }

    @Test func statsGivesSharesAndDuplicates() throws {
        let (directory, database) = try catalogWithDocuments()
        _ = directory
        let result = try CLIRunner.run(["stats", "--db", database, "--by", "source", "--format", "csv"])
        #expect(result.exitCode == 0)
        let lines = result.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "source,docs,tokens,bytes,token_share,duplicate_doc_share,duplicate_token_share")
        #expect(lines.count == 4)
        #expect(lines[3].hasPrefix("(total),4,"))
        let library = lines.first { $0.hasPrefix("library,") } ?? ""
        #expect(library.split(separator: ",")[5] == "0.5")  // b2 is an exact copy of w1
        let sources = try CLIRunner.run(["sources", "--db", database, "--format", "csv"])
        // Sources created through --source-field/--domain-field have no default domain.
        #expect(sources.stdout.contains("\r\ncrawl,,2,"))
    }

    @Test func usageErrorsExitWith64() throws {
        let directory = TemporaryDirectory()
        let input = directory.write("in.jsonl", "{\"id\":\"a\",\"text\":\"t\"}\n")
        let neither = try CLIRunner.run(["add", input, "--db", directory.path + "/c.db"])
        #expect(neither.exitCode == 64)
        #expect(neither.stderr.contains("--source"))
        let both = try CLIRunner.run(["add", input, "--db", directory.path + "/c.db", "--source", "a", "--source-field", "s"])
        #expect(both.exitCode == 64)
    }

    @Test func missingInputIsAnErrorThatCreatesNoDocuments() throws {
        let directory = TemporaryDirectory()
        let database = directory.path + "/c.db"
        let result = try CLIRunner.run(["add", directory.path + "/missing.jsonl", "--db", database, "--source", "s"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("missing.jsonl: no such file or directory"))
    }

    @Test func readCommandsOnAMissingCatalogSaySo() throws {
        let directory = TemporaryDirectory()
        let result = try CLIRunner.run(["stats", "--db", directory.path + "/none.db"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("no catalog here"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/none.db"))
    }

    @Test func initCreatesACatalogAndReportsItsSchema() throws {
        let directory = TemporaryDirectory()
        let result = try CLIRunner.run(["init", "--db", directory.path + "/c.db"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("schema version \(Migrator().latestVersion)"))
    }
}

/// Permission errors need a user the kernel checks: when the tests run as root, the binary is
/// run as `nobody` through setpriv.
@Suite struct PermissionTests {
    @Test func unreadableInputIsAClearErrorAndChangesNothing() throws {
        let directory = TemporaryDirectory()
        chmod(directory.path, 0o777)
        let secret = directory.write("secret.jsonl", "{\"id\":\"a\",\"text\":\"hidden\"}\n")
        let readable = directory.write("open.jsonl", "{\"id\":\"b\",\"text\":\"visible\"}\n")
        chmod(secret, 0)
        chmod(readable, 0o644)
        let database = directory.path + "/c.db"
        var command = ["add", readable, secret, "--db", database, "--source", "s"]
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            command = ["--reuid=65534", "--regid=65534", "--clear-groups", CLIRunner.executable.path] + command
        }
        let result = getuid() == 0
            ? try CLIRunner.run(command, executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
            : try CLIRunner.run(command)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("secret.jsonl: permission denied"), "\(result.stderr)")
        // The run stops before ingesting anything, so the readable file is not half-added.
        if FileManager.default.fileExists(atPath: database) {
            let count = try Catalog.openReadOnly(at: database).connection.scalarInt("SELECT count(*) FROM document")
            #expect(count == 0)
        }
    }
}
