import Foundation
import Testing
@testable import CatalogCore

@Suite struct MigrationTests {
    @Test func embeddedMigrationsMatchTheMigrationsFolder() throws {
        let folder = repositoryRoot.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count == embeddedMigrations.count, "run scripts/embed-migrations.sh")
        for (file, migration) in zip(files, embeddedMigrations) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(migration.name + ".sql" == file)
            #expect(
                migration.sql.trimmingCharacters(in: .newlines) == text.trimmingCharacters(in: .newlines),
                "migrations/\(file) differs from the embedded copy: run scripts/embed-migrations.sh")
        }
    }

    /// Everything a migrated catalog's schema consists of, in a comparable form.
    private func schemaFacts(_ connection: SQLiteConnection) throws -> [String] {
        let objects = try connection.prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name").allRows()
        let statistics = try connection.prepare(
            "SELECT tbl, coalesce(idx, ''), stat FROM sqlite_stat1 ORDER BY tbl, idx").allRows()
        let recorded = try connection.prepare("SELECT version, name FROM schema_migration ORDER BY version").allRows()
        let version = try connection.scalarInt("PRAGMA user_version") ?? -1
        return (objects + statistics + recorded).map { "\($0)" } + ["user_version \(version)"]
    }

    private func emptyCatalog(at path: String) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
        try connection.execute(StoreSQL.Migration.createTable)
        return connection
    }

    @Test func schemaSnapshotEqualsTheMigratedSchema() throws {
        let directory = TemporaryDirectory()
        let migrated = try emptyCatalog(at: directory.path + "/migrated.db")
        #expect(try Migrator(snapshot: nil).migrate(migrated) == embeddedMigrations.count)
        let created = try emptyCatalog(at: directory.path + "/snapshot.db")
        #expect(try Migrator().applySnapshot(created), "the snapshot was not applied")
        #expect(embeddedSchemaSnapshot.version == Migrator().latestVersion, "run scripts/embed-migrations.sh")
        let expected = try schemaFacts(migrated)
        let actual = try schemaFacts(created)
        #expect(expected.count > 50)
        // Compared fact by fact, so that a failure names what differs.
        let missing = expected.filter { !actual.contains($0) }
        let extra = actual.filter { !expected.contains($0) }
        #expect(missing.isEmpty && extra.isEmpty, """
            the snapshot differs from the migrations (run scripts/embed-migrations.sh): \
            missing \(missing.map { $0.prefix(120) }), extra \(extra.map { $0.prefix(120) })
            """)
        #expect(actual.count == expected.count)
        #expect(try created.prepare("PRAGMA foreign_key_check").allRows().isEmpty)
    }

    @Test func snapshotIsOnlyForEmptyCatalogsAtTheLatestVersion() throws {
        let directory = TemporaryDirectory()
        // A catalog with two migrations applied gets the rest one by one.
        let older = try emptyCatalog(at: directory.path + "/older.db")
        #expect(try Migrator(migrations: Array(embeddedMigrations.prefix(2))).migrate(older) == 2)
        #expect(try Migrator().applySnapshot(older) == false)
        #expect(try Migrator().migrate(older) == embeddedMigrations.count - 2)
        // A migrator that does not know every migration of the snapshot does not use it.
        let fresh = try emptyCatalog(at: directory.path + "/fresh.db")
        #expect(try Migrator(migrations: Array(embeddedMigrations.prefix(2))).applySnapshot(fresh) == false)
        #expect(try fresh.scalarInt("SELECT count(*) FROM sqlite_schema") == 1)
        // Applied once, then never again.
        #expect(try Migrator().applySnapshot(fresh))
        #expect(try Migrator().applySnapshot(fresh) == false)
        #expect(try Migrator().migrate(fresh) == 0)
    }

    @Test func failingSnapshotLeavesTheCatalogEmpty() throws {
        let directory = TemporaryDirectory()
        let connection = try emptyCatalog(at: directory.path + "/c.db")
        let broken = SchemaSnapshot(
            version: Migrator().latestVersion, sql: "CREATE TABLE first (x INTEGER); CREATE TABLE oops (;")
        #expect(throws: StoreError.self) { try Migrator(snapshot: broken).migrate(connection) }
        #expect(try connection.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name <> 'schema_migration'") == 0)
        #expect(try connection.scalarInt("SELECT count(*) FROM schema_migration") == 0)
        #expect(try connection.scalarInt("PRAGMA user_version") == 0)
        // The embedded snapshot then applies as if nothing had happened.
        #expect(try Migrator().migrate(connection) == embeddedMigrations.count)
    }

    @Test func migrationVersionsIncreaseFromOne() {
        // No gaps: the migrator applies only versions above a catalog's current one, so a
        // migration landing below an existing number would be skipped.
        #expect(embeddedMigrations.map(\.version) == Array(1...embeddedMigrations.count))
    }

    @Test func newCatalogHasLatestSchemaAndPragmas() throws {
        let directory = TemporaryDirectory()
        let catalog = try Catalog.open(at: directory.path + "/c.db", create: true)
        #expect(try catalog.schemaVersion() == Migrator().latestVersion)
        #expect(try catalog.connection.scalarInt("PRAGMA page_size") == Int64(Catalog.pageSize))
        #expect(try catalog.connection.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try catalog.connection.scalarInt("PRAGMA synchronous") == 1)  // NORMAL
        #expect(try catalog.connection.scalarInt("PRAGMA application_id") == Catalog.applicationID)
        #expect(try catalog.connection.scalarInt("SELECT count(*) FROM schema_migration") == Int64(embeddedMigrations.count))
    }

    @Test func reopeningAppliesNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/c.db"
        _ = try Catalog.open(at: path, create: true)
        let again = try Catalog.open(at: path, create: false)
        #expect(try Migrator().migrate(again.connection) == 0)
    }

    @Test func refusesCatalogFromNewerBinary() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/c.db"
        do {
            let catalog = try Catalog.open(at: path, create: true)
            try catalog.connection.execute("PRAGMA user_version = 999")
        }
        #expect(throws: StoreError.schemaTooNew(path: path, found: 999, known: Migrator().latestVersion)) {
            _ = try Catalog.open(at: path, create: false)
        }
        #expect(throws: StoreError.schemaTooNew(path: path, found: 999, known: Migrator().latestVersion)) {
            _ = try Catalog.openReadOnly(at: path)
        }
        let message = StoreError.schemaTooNew(path: path, found: 999, known: 1).description
        #expect(message.contains("newer than this binary"))
    }

    /// A catalog made by an older binary: the first `migrations` migrations only.
    private func olderCatalog(at path: String, migrations: Int) throws -> SQLiteConnection {
        let older = try SQLiteConnection(path: path, mode: .readWriteCreate)
        try older.execute("PRAGMA application_id = \(Catalog.applicationID)")
        try older.execute(StoreSQL.Migration.createTable)
        #expect(try Migrator(migrations: Array(embeddedMigrations.prefix(migrations))).migrate(older) == migrations)
        return older
    }

    @Test func olderCatalogIsUpgradedByAWriterAndExplainedToAReader() throws {
        let directory = TemporaryDirectory()
        let old = directory.path + "/old.db"
        _ = try olderCatalog(at: old, migrations: 2)
        let latest = Migrator().latestVersion
        #expect(throws: StoreError.schemaTooOld(path: old, found: 2, latest: latest)) { _ = try Catalog.openReadOnly(at: old) }
        #expect(StoreError.schemaTooOld(path: old, found: 2, latest: latest).description.contains("catalog init --db"))
        let upgraded = try Catalog.open(at: old, create: false)
        #expect(try upgraded.schemaVersion() == latest)
        #expect(try upgraded.connection.scalarInt("SELECT count(*) FROM schema_migration") == Int64(latest))
        _ = try Catalog.openReadOnly(at: old)
    }

    /// Migration 6 re-keys mix_run_document by (component, document): the rows survive, and
    /// lookups by document still seek through the components rather than scan the table.
    @Test func mixRunDocumentsMoveToRunOrderAndStayIndexedByDocument() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/runs.db"
        do {
            let older = try olderCatalog(at: path, migrations: 5)
            try older.execute("""
                INSERT INTO recipe VALUES (1, 'r', 1, 'name: r', 'ab', 't');
                INSERT INTO mix_run VALUES (1, 1, 0, 'jsonl', 1, '/out', 'f', 5, 50, 9, 't', 't');
                INSERT INTO mix_run_component VALUES (1, 1, 'main', 'a', 10, 3, 30, 2), (2, 1, 'main', 'b', 10, 2, 20, 1);
                INSERT INTO mix_run_document VALUES (7, 1, 2), (3, 1, 1), (7, 2, 1), (9, 2, 1);
                """)
        }
        let catalog = try Catalog.open(at: path, create: false)
        let connection = catalog.connection
        let rows = try connection.prepare(
            "SELECT mix_run_component_id, document_id, times FROM mix_run_document").allRows()
        #expect(rows.map { $0.map(\.description) } == [["1", "3", "1"], ["1", "7", "2"], ["2", "7", "1"], ["2", "9", "1"]])
        #expect(try connection.scalarInt("SELECT count(*) FROM document_mixes WHERE document_id = 7") == 2)
        let reopened = try Catalog.openReadOnly(at: path)
        let plan = try reopened.connection.prepare(
            "EXPLAIN QUERY PLAN SELECT * FROM document_mixes WHERE document_id = 7").allRows()
            .map { $0.last?.description ?? "" }
        #expect(plan.contains { $0.contains("SEARCH md USING PRIMARY KEY (mix_run_component_id=? AND document_id=?)") },
                "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN md") }, "\(plan)")
    }

    /// Migration 7 re-keys the LSH tables band_key first: the rows survive, bucket lookups still
    /// search the primary key, and bucket scans read it in order without sorting.
    @Test func lshBandsMoveToKeyFirstOrderAndStayIndexedByBucket() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/bands.db"
        do {
            let older = try olderCatalog(at: path, migrations: 6)
            try older.execute("""
                INSERT INTO minhash_scheme VALUES (1, 5, 128, 1, 'norm_v1', 'h', 't');
                INSERT INTO lsh_banding VALUES (1, 1, 18, 7, 3, 2, 't');
                INSERT INTO lsh_band VALUES (1, 0, 900, 3), (1, 1, -5, 3), (1, 0, 900, 1);
                INSERT INTO lsh_band_recent VALUES (1, 0, 900, 8), (1, 2, 40, 8);
                """)
        }
        let catalog = try Catalog.open(at: path, create: false)
        let connection = catalog.connection
        func rows(_ sql: String) throws -> [[String]] {
            try connection.prepare(sql).allRows().map { $0.map(\.description) }
        }
        #expect(try rows("SELECT banding_id, band, band_key, document_id FROM lsh_band") ==
                [["1", "1", "-5", "3"], ["1", "0", "900", "1"], ["1", "0", "900", "3"]])
        #expect(try rows("SELECT banding_id, band, band_key, document_id FROM lsh_band_recent") ==
                [["1", "2", "40", "8"], ["1", "0", "900", "8"]])
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_bands") == 5)
        let index = try LSHIndex(catalog: catalog, bandingID: 1)
        var members: [Int64] = []
        try index.members(band: 0, key: 900, into: &members)
        #expect(members.sorted() == [1, 3, 8])
        var buckets: [String] = []
        try index.forEachBucket { band, key, documents in buckets.append("\(band)/\(key):\(documents.sorted())") }
        #expect(buckets == ["1/-5:[3]", "2/40:[8]", "0/900:[1, 3, 8]"])

        func plan(_ sql: String) throws -> [String] {
            try connection.prepare("EXPLAIN QUERY PLAN " + sql).allRows().map { $0.last?.description ?? "" }
        }
        let lookup = try plan(StoreSQL.LSHIndex.members)
        #expect(lookup.filter { $0.contains("USING PRIMARY KEY (band_key=? AND band=? AND banding_id=?)") }.count == 2,
                "\(lookup)")
        for scan in [StoreSQL.LSHIndex.scanMerged, StoreSQL.LSHIndex.scanRecent] {
            let steps = try plan(scan)
            #expect(!steps.contains { $0.contains("TEMP B-TREE") }, "\(steps)")
        }
    }

    @Test func refusesSQLiteFileThatIsNotACatalog() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/other.db"
        do {
            let other = try SQLiteConnection(path: path, mode: .readWriteCreate)
            try other.execute("CREATE TABLE t (x)")
        }
        #expect(throws: StoreError.notACatalog(path: path)) { _ = try Catalog.open(at: path, create: true) }
    }

    @Test func missingCatalogIsAClearError() {
        let path = "/nonexistent-dir/c.db"
        #expect(throws: StoreError.missingCatalog(path: path)) { _ = try Catalog.openReadOnly(at: path) }
    }

    @Test func failedMigrationLeavesNoTrace() throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        try connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        let migrator = Migrator(migrations: [
            Migration(version: 1, name: "0001_ok", sql: "CREATE TABLE a (x INTEGER)"),
            Migration(version: 2, name: "0002_broken", sql: "CREATE TABLE b (x INTEGER); CREATE TABLE a (y)"),
        ])
        #expect(throws: StoreError.self) { try migrator.migrate(connection) }
        #expect(try migrator.currentVersion(of: connection) == 1)
        #expect(try connection.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name = 'b'") == 0)
    }
}
