import CSQLite

/// Runs user SQL (`catalog sql`, recipe filters) on a read-only connection behind an authorizer.
///
/// Three locks: the connection is opened read-only with `query_only`, an authorizer denies
/// writes, schema changes, ATTACH/DETACH, transactions and every PRAGMA but a list of
/// read-only ones, and only a single statement is accepted.
public final class ReadOnlyQuery {
    private let catalog: Catalog
    private let guardState = AuthorizerState()

    /// PRAGMAs that only read and may be queried without an argument.
    static let readablePragmas: Set<String> = [
        "application_id", "collation_list", "compile_options", "database_list", "foreign_key_list",
        "freelist_count", "function_list", "index_info", "index_list", "index_xinfo", "module_list",
        "page_count", "page_size", "pragma_list", "schema_version", "table_info", "table_list", "table_xinfo",
        "user_version", "encoding",
    ]

    /// Wraps a catalog opened with `Catalog.openReadOnly`.
    public init(catalog: Catalog) throws(StoreError) {
        self.catalog = catalog
        let state = Unmanaged.passUnretained(guardState).toOpaque()
        catalog.connection.functionContexts.append(guardState)
        let rc = sqlite3_set_authorizer(catalog.connection.handle, { userData, action, first, second, _, _ in
            guard let userData else { return SQLITE_DENY }
            let state = Unmanaged<AuthorizerState>.fromOpaque(userData).takeUnretainedValue()
            let name = first.map { String(cString: $0) }
            let argument = second.map { String(cString: $0) }
            if let reason = ReadOnlyQuery.denial(action: action, name: name, argument: argument) {
                if state.reason == nil { state.reason = reason }
                return SQLITE_DENY
            }
            return SQLITE_OK
        }, state)
        guard rc == SQLITE_OK else { throw catalog.connection.error(rc, "installing the read-only authorizer") }
    }

    /// Ends the read transaction the caller began on the connection before wrapping it (user SQL
    /// cannot: the authorizer refuses transaction control), and with it the authorizer. For the
    /// end of a run; the connection stays read-only and `query_only`.
    public func endTransaction() throws(StoreError) {
        sqlite3_set_authorizer(catalog.connection.handle, nil, nil)
        try catalog.connection.commit()
    }

    /// Why `action` is refused, or nil when it is allowed.
    static func denial(action: Int32, name: String?, argument: String?) -> String? {
        let target = name.map { " \($0)" } ?? ""
        let isSchemaTable = ["sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"]
            .contains(name ?? "")
        switch action {
        case SQLITE_UPDATE where isSchemaTable:
            // SQLite checks these column "updates" when a query names an eponymous virtual table
            // such as pragma_table_info(); real schema changes are refused below (and by the
            // read-only connection and the statement's read-only check).
            return nil
        case SQLITE_INSERT where isSchemaTable:
            return "CREATE would change the schema"
        case SQLITE_DELETE where isSchemaTable:
            return "DROP would change the schema"
        case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE:
            return nil
        case SQLITE_PRAGMA:
            let pragma = (name ?? "").lowercased()
            if argument == nil && readablePragmas.contains(pragma) { return nil }
            if readablePragmas.contains(pragma) && ["table_info", "table_xinfo", "index_list", "index_info",
                "index_xinfo", "foreign_key_list"].contains(pragma) { return nil }
            return "PRAGMA \(name ?? "")\(argument.map { " = \($0)" } ?? "") is not a read-only PRAGMA"
        case SQLITE_INSERT: return "INSERT into\(target) would write"
        case SQLITE_UPDATE: return "UPDATE of\(target) would write"
        case SQLITE_DELETE: return "DELETE from\(target) would write"
        case SQLITE_ATTACH: return "ATTACH is not allowed"
        case SQLITE_DETACH: return "DETACH is not allowed"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: return "transaction control is not allowed"
        case SQLITE_ANALYZE, SQLITE_REINDEX: return "ANALYZE/REINDEX would write"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_TABLE,
            SQLITE_CREATE_TEMP_TRIGGER, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VIEW,
            SQLITE_CREATE_VTABLE:
            return "CREATE\(target) would change the schema"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_TABLE,
            SQLITE_DROP_TEMP_TRIGGER, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VIEW,
            SQLITE_DROP_VTABLE, SQLITE_ALTER_TABLE:
            return "DROP/ALTER\(target) would change the schema"
        default:
            return "this kind of statement (authorizer action \(action)) is not allowed"
        }
    }

    /// Prepares exactly one read-only statement from `sql`.
    public func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        let connection = catalog.connection
        guardState.reason = nil
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let (rc, rest): (Int32, String) = sql.withCString { text in
            let rc = sqlite3_prepare_v3(connection.handle, text, -1, 0, &statement, &tail)
            return (rc, tail.map { String(cString: $0) } ?? "")
        }
        if let reason = guardState.reason {
            sqlite3_finalize(statement)
            throw .readOnlyViolation(reason: reason)
        }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw connection.error(rc, "preparing the query")
        }
        guard let statement else { throw .emptyStatement }
        if try Self.hasAnotherStatement(rest, on: connection) {
            sqlite3_finalize(statement)
            throw .multipleStatements
        }
        let prepared = SQLiteStatement(connection: connection, handle: statement)
        guard prepared.isReadOnly else { throw .readOnlyViolation(reason: "the statement would write") }
        return prepared
    }

    /// Whether `rest` (what follows the first statement) holds another statement.
    private static func hasAnotherStatement(_ rest: String, on connection: SQLiteConnection) throws(StoreError) -> Bool {
        var next: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, rest, -1, 0, &next, nil)
        defer { sqlite3_finalize(next) }
        return rc != SQLITE_OK || next != nil
    }

    /// Runs `sql` and returns all its rows.
    public func rows(_ sql: String, limit: Int? = nil) throws(StoreError) -> RowSet {
        let statement = try prepare(sql)
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        var rows: [[SQLValue]] = []
        while try statement.step() {
            rows.append((0..<columns.count).map { statement.value($0) })
            if let limit, rows.count >= limit { break }
        }
        return RowSet(columns: columns, rows: rows)
    }
}

/// The first denial reason of the current prepare.
final class AuthorizerState {
    var reason: String?
}
