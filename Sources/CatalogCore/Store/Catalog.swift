import Foundation

/// An open catalog: a SQLite file with the catalog schema, its pragmas and SQL functions.
public final class Catalog {
    /// The connection (one thread at a time).
    public let connection: SQLiteConnection
    /// The catalog file path.
    public var path: String { connection.path }

    /// `PRAGMA application_id` of catalog files ("CTLG").
    public static let applicationID: Int64 = 0x4354_4C47
    /// Page size of new catalogs: rows are ~KB, and 64 KiB pages measured 2.3× faster inserts
    /// and 30% smaller files than the default 4 KiB (reference/performance-notes.md §2).
    public static let pageSize = 65_536
    /// The page cache of a read-write connection, in MiB.
    public static let defaultCacheMebibytes = 64

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens the catalog at `path` for reading and writing, creating it when `create` is true
    /// and it does not exist, and migrating it to the binary's schema.
    public static func open(at path: String, create: Bool) throws(StoreError) -> Catalog {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create { throw .missingCatalog(path: path) }
        let connection = try SQLiteConnection(path: path, mode: create ? .readWriteCreate : .readWrite)
        let catalog = Catalog(connection: connection)
        try catalog.prepareForWriting()
        return catalog
    }

    /// Opens the catalog at `path` read-only (for `catalog sql` and reports).
    public static func openReadOnly(at path: String) throws(StoreError) -> Catalog {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingCatalog(path: path) }
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        let catalog = Catalog(connection: connection)
        try catalog.checkIdentity()
        let migrator = Migrator()
        try migrator.checkNotNewer(connection)
        let version = try migrator.currentVersion(of: connection)
        if version < migrator.latestVersion {
            throw .schemaTooOld(path: path, found: version, latest: migrator.latestVersion)
        }
        try connection.execute("PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536")
        try CatalogFunctions.register(on: connection)
        return catalog
    }

    /// An in-memory catalog, for tests.
    public static func inMemory() throws(StoreError) -> Catalog {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        let catalog = Catalog(connection: connection)
        try catalog.prepareForWriting()
        return catalog
    }

    /// Refuses SQLite files that are not catalogs (an empty new file is fine).
    private func checkIdentity() throws(StoreError) {
        let id = try connection.scalarInt("PRAGMA application_id") ?? 0
        if id == Self.applicationID { return }
        let objects = try connection.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0
        if id != 0 || objects > 0 { throw .notACatalog(path: path) }
    }

    /// Pragmas, identity, migrations and SQL functions of a writable connection.
    private func prepareForWriting() throws(StoreError) {
        try checkIdentity()
        let isNew = (try connection.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0) == 0
        if isNew {
            // page_size only takes effect before the first table is created.
            try connection.execute("PRAGMA page_size = \(Self.pageSize)")
        }
        if path != ":memory:" {
            try connection.execute("PRAGMA journal_mode = WAL")
        }
        // WAL + NORMAL: durable across application crashes, at most the last commits lost on
        // power failure, never corrupt. Debian's SQLite defaults WAL to FULL, so set it.
        try connection.execute("""
            PRAGMA synchronous = NORMAL;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -\(Self.defaultCacheMebibytes * 1024);
            PRAGMA secure_delete = OFF;
            """)
        if isNew {
            // Written in WAL mode, without the rollback journal's four syncs. A file that dies
            // before its schema exists is still empty, so it counts as new when opened again.
            try connection.execute("PRAGMA application_id = \(Self.applicationID)")
            // A new catalog's schema has nothing to sort; in memory, its statement journals
            // (a 64 KiB page 1 per statement of the snapshot) are not written to a temp file.
            try connection.execute("PRAGMA temp_store = MEMORY")
        }
        try connection.execute(StoreSQL.Migration.createTable)
        // Migrations may sort whole tables (0007 re-keys the LSH index: 18 M rows for a million
        // documents); with temp files their sorts spill to disk past the page cache's size
        // instead of holding every row in memory (1.1 GB for that one).
        try Migrator().migrate(connection)
        try connection.execute("PRAGMA temp_store = MEMORY")
        try CatalogFunctions.register(on: connection)
    }

    /// Sets the page cache of this connection (default 64 MiB). Runs that look up many rows
    /// at random (an incremental dedup of a large catalog) read each 64 KiB page once instead
    /// of again after it was evicted.
    public func setCacheSize(mebibytes: Int) throws(StoreError) {
        try connection.execute("PRAGMA cache_size = -\(max(1, mebibytes) * 1024)")
    }

    /// Turns the checks of the schema's foreign keys on (the default) or off for this
    /// connection. Outside a transaction only: inside one SQLite ignores the change.
    public func setForeignKeyChecks(enabled: Bool) throws(StoreError) {
        try connection.execute("PRAGMA foreign_keys = \(enabled ? "ON" : "OFF")")
    }

    /// Maps up to `bytes` of the catalog file into memory for reads (SQLite's `mmap_size`):
    /// pages are read in place from the OS page cache instead of copied into SQLite's cache.
    /// For read-only passes over much of the catalog in random order (materialize).
    public func setMemoryMapSize(bytes: Int64) throws(StoreError) {
        try connection.execute("PRAGMA mmap_size = \(max(0, bytes))")
    }

    /// The schema version of the open catalog.
    public func schemaVersion() throws(StoreError) -> Int {
        try Migrator().currentVersion(of: connection)
    }
}
