/// One numbered schema migration (from `migrations/NNNN_name.sql`).
public struct Migration: Sendable, Equatable {
    /// The number in the file name; migrations run in increasing order.
    public let version: Int
    /// The file name without `.sql`.
    public let name: String
    /// The SQL text.
    public let sql: String
}

/// Applies the embedded migrations to a catalog, like GRDB's `DatabaseMigrator`: one
/// transaction per migration, its version recorded in the same transaction, a foreign-key
/// check before commit, and a refusal to open a catalog whose schema is newer than the binary.
public struct Migrator: Sendable {
    /// The migrations this binary knows, in order.
    public let migrations: [Migration]

    /// A migrator over the migrations compiled into the binary.
    public init(migrations: [Migration] = embeddedMigrations) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The newest schema version this binary knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The schema version recorded in the catalog (`PRAGMA user_version`).
    public func currentVersion(of connection: SQLiteConnection) throws(StoreError) -> Int {
        Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
    }

    /// Fails when the catalog's schema is newer than this binary.
    public func checkNotNewer(_ connection: SQLiteConnection) throws(StoreError) {
        let current = try currentVersion(of: connection)
        if current > latestVersion {
            throw .schemaTooNew(path: connection.path, found: current, known: latestVersion)
        }
    }

    /// Applies every migration newer than the catalog's version; returns how many ran.
    @discardableResult
    public func migrate(_ connection: SQLiteConnection) throws(StoreError) -> Int {
        try checkNotNewer(connection)
        var applied = 0
        for migration in migrations {
            // Re-read inside the loop: another process may have migrated meanwhile.
            try connection.begin()
            do {
                let current = try currentVersion(of: connection)
                guard migration.version > current else {
                    try connection.commit()
                    continue
                }
                try connection.execute(migration.sql)
                try connection.prepare(StoreSQL.Migration.record).run([
                    .integer(Int64(migration.version)), .text(migration.name), .text(Clock.timestamp()),
                ])
                let violations = try connection.prepare("PRAGMA foreign_key_check").allRows()
                if !violations.isEmpty {
                    throw StoreError.sqlite(
                        code: 19, message: "\(violations.count) foreign key violation(s)",
                        context: "applying migration \(migration.name)")
                }
                try connection.execute("PRAGMA user_version = \(migration.version)")
                try connection.commit()
                applied += 1
            } catch let error as StoreError {
                connection.rollbackIfOpen()
                throw error
            } catch {
                connection.rollbackIfOpen()
                throw .sqlite(code: 1, message: "\(error)", context: "applying migration \(migration.name)")
            }
        }
        return applied
    }
}
