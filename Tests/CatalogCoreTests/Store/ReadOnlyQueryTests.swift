import Testing
@testable import CatalogCore

@Suite struct ReadOnlyQueryTests {
    /// A catalog file with one source, opened read-only.
    private func fixture() throws -> (TemporaryDirectory, ReadOnlyQuery, String) {
        let directory = TemporaryDirectory()
        let path = directory.path + "/c.db"
        do {
            let catalog = try Catalog.open(at: path, create: true)
            try catalog.connection.execute(
                "INSERT INTO source (name, default_domain, created_at) VALUES ('web', 'web', '2026-01-01T00:00:00Z')")
        }
        return (directory, try ReadOnlyQuery(catalog: try Catalog.openReadOnly(at: path)), path)
    }

    private func sourceCount(_ path: String) throws -> Int64? {
        try Catalog.openReadOnly(at: path).connection.scalarInt("SELECT count(*) FROM source")
    }

    @Test func selectsFromTheDocumentedViews() throws {
        let (directory, query, _) = try fixture()
        _ = directory
        let rows = try query.rows("SELECT source, default_domain, docs FROM sources ORDER BY source")
        #expect(rows.columns == ["source", "default_domain", "docs"])
        #expect(rows.rows == [[.text("web"), .text("web"), .integer(0)]])
        let docs = try query.rows("SELECT * FROM docs")
        #expect(Array(docs.columns.prefix(11)) == [
            "document_id", "doc_key", "source", "domain", "lang", "bytes", "tokens", "quality", "duplicate_of",
            "cluster_id", "added_at",
        ])
    }

    @Test(arguments: [
        ("INSERT INTO source (name, created_at) VALUES ('x', 'now')", "INSERT"),
        ("UPDATE source SET name = 'x'", "UPDATE"),
        ("DELETE FROM source", "DELETE"),
        ("DROP TABLE source", "DROP"),
        ("DROP VIEW docs", "DROP"),
        ("CREATE TABLE t (x)", "CREATE"),
        ("CREATE TEMP VIEW v AS SELECT 1", "CREATE"),
        ("CREATE INDEX i ON source (name)", "CREATE"),
        ("ALTER TABLE source RENAME TO s2", "ALTER"),
        ("ATTACH DATABASE ':memory:' AS other", "ATTACH"),
        ("PRAGMA user_version = 5", "PRAGMA"),
        ("PRAGMA journal_mode = DELETE", "PRAGMA"),
        ("PRAGMA foreign_keys = OFF", "PRAGMA"),
        ("BEGIN", "transaction"),
        ("WITH x AS (SELECT 1) DELETE FROM source", "DELETE"),
    ])
    func refusesWrites(sql: String, word: String) throws {
        let (directory, query, path) = try fixture()
        _ = directory
        do {
            _ = try query.rows(sql)
            Issue.record("\(sql) was not refused")
        } catch {
            guard case let .readOnlyViolation(reason) = error else {
                Issue.record("\(sql): unexpected \(error)")
                return
            }
            #expect(reason.contains(word), "\(reason)")
            #expect(error.description.contains("read-only"))
        }
        #expect(try sourceCount(path) == 1)
        #expect(try Catalog.openReadOnly(at: path).connection.scalarInt("PRAGMA user_version") == Int64(Migrator().latestVersion))
    }

    @Test func refusesMoreThanOneStatement() throws {
        let (directory, query, path) = try fixture()
        _ = directory
        #expect(throws: StoreError.multipleStatements) { _ = try query.rows("SELECT 1; DELETE FROM source") }
        #expect(throws: StoreError.multipleStatements) { _ = try query.rows("SELECT 1; SELECT 2") }
        #expect(try sourceCount(path) == 1)
    }

    @Test func acceptsTrailingSemicolonAndComments() throws {
        let (directory, query, _) = try fixture()
        _ = directory
        #expect(try query.rows("SELECT 42 AS answer; -- done\n").rows == [[.integer(42)]])
    }

    @Test func allowsReadOnlyPragmas() throws {
        let (directory, query, _) = try fixture()
        _ = directory
        #expect(try query.rows("PRAGMA user_version").rows == [[.integer(Int64(Migrator().latestVersion))]])
        let info = try query.rows("SELECT name FROM pragma_table_info('source') ORDER BY cid")
        #expect(info.rows.first == [.text("source_id")])
    }

    @Test func emptyAndInvalidSQLAreClearErrors() throws {
        let (directory, query, _) = try fixture()
        _ = directory
        #expect(throws: StoreError.emptyStatement) { _ = try query.rows("  -- nothing\n") }
        do {
            _ = try query.rows("SELEC 1")
            Issue.record("syntax error not reported")
        } catch {
            #expect(error.description.contains("syntax error"))
        }
    }
}
