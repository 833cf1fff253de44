import CSQLite

/// One SQLite connection over the raw C API.
///
/// Not thread-safe: a connection belongs to one thread at a time (SQLite is opened with
/// `SQLITE_OPEN_NOMUTEX`). Statements it prepares must not outlive it.
public final class SQLiteConnection {
    /// The raw handle, for the store's own C calls.
    let handle: OpaquePointer
    /// The file path (or `:memory:`).
    public let path: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool
    /// Per-connection state of custom SQL functions (kept alive as long as the connection).
    var functionContexts: [AnyObject] = []

    /// How to open a database file.
    public enum Mode: Sendable {
        /// Read and write; create the file when it does not exist.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only.
        case readOnly
    }

    /// Opens (or creates) the database at `path`.
    public init(path: String, mode: Mode) throws(StoreError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard let db else {
            throw .sqlite(code: rc, message: "out of memory", context: "opening \(path)")
        }
        guard rc == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(db))
            sqlite3_close_v2(db)
            throw .sqlite(code: rc, message: message, context: "opening \(path)")
        }
        self.handle = db
        self.path = path
        self.isReadOnly = mode == .readOnly
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Whether closing this connection, when it is the last one, checkpoints the WAL into the
    /// database and deletes it (SQLite's default). Off, the WAL stays for the next connection,
    /// whose commits checkpoint it as usual (`wal_autocheckpoint`): for commands that write
    /// little, so they do not pay for copying and syncing the pages at exit.
    public func setCheckpointOnClose(_ enabled: Bool) throws(StoreError) {
        let rc = catalog_sqlite_set_checkpoint_on_close(handle, enabled ? 1 : 0)
        guard rc == SQLITE_OK else { throw error(rc, "setting checkpoint on close") }
    }

    /// The last error message SQLite reported on this connection.
    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Builds a store error from a result code and the connection's message.
    func error(_ code: Int32, _ context: @autoclosure () -> String) -> StoreError {
        .sqlite(code: code, message: lastErrorMessage, context: context())
    }

    /// Runs one or more statements that return no rows (schema, pragmas, transaction control).
    public func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(message)
            throw .sqlite(code: rc, message: text, context: "executing \(sql.prefix(80))")
        }
    }

    /// Prepares a statement. `persistent` hints SQLite that it will be reused many times.
    public func prepare(_ sql: String, persistent: Bool = false) throws(StoreError) -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql, persistent: persistent)
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Starts a transaction (the writers' default takes the write lock at once).
    public func begin(_ kind: TransactionKind = .immediate) throws(StoreError) {
        try execute("BEGIN \(kind.rawValue)")
    }

    /// Commits the open transaction.
    public func commit() throws(StoreError) { try execute("COMMIT") }

    /// Rolls back the open transaction, if there is one.
    public func rollbackIfOpen() {
        if isInTransaction { try? execute("ROLLBACK") }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(
        _ kind: TransactionKind = .immediate, _ body: () throws -> T
    ) throws -> T {
        try begin(kind)
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Reads one integer from a single-row query (nil when there is no row or it is NULL).
    public func scalarInt(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// Reads one text value from a single-row query (nil when there is no row or it is NULL).
    public func scalarText(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> String? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.text(0)
    }
}

/// How a transaction takes its locks.
public enum TransactionKind: String, Sendable {
    /// Takes the write lock at the first write.
    case deferred = "DEFERRED"
    /// Takes the write lock at once (the writer's choice: no lock upgrade deadlocks).
    case immediate = "IMMEDIATE"
}
