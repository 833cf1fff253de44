import CSQLite

/// A prepared statement: bind, step, read columns, reset.
///
/// Belongs to the connection's thread. Text and blob binds from Swift values are copied
/// (`SQLITE_TRANSIENT`); the `bindStatic` variants take caller-owned memory that must stay
/// valid until the statement is reset or stepped to completion.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// The connection that prepared the statement (kept alive by the statement).
    public let connection: SQLiteConnection

    init(connection: SQLiteConnection, sql: String, persistent: Bool) throws(StoreError) {
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sql.withCString { text in
            sqlite3_prepare_v3(connection.handle, text, -1, flags, &statement, &tail)
        }
        guard rc == SQLITE_OK, let statement else {
            throw connection.error(rc, "preparing \(sql.prefix(120))")
        }
        self.handle = statement
        self.connection = connection
    }

    /// Adopts a statement prepared directly with the C API.
    init(connection: SQLiteConnection, handle: OpaquePointer) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The SQL text the statement was prepared from.
    public var sql: String { String(cString: sqlite3_sql(handle)) }

    /// Whether the statement makes no direct change to the database file.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Name of result column `index`.
    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column\(index + 1)"
    }

    // MARK: Binding (parameters are 1-based, as in SQLite)

    private func check(_ rc: Int32, _ what: @autoclosure () -> String) throws(StoreError) {
        guard rc == SQLITE_OK else { throw connection.error(rc, what()) }
    }

    /// Binds all `values` to parameters 1…n.
    public func bind(_ values: [SQLValue]) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds one value to parameter `index` (1-based).
    public func bind(_ value: SQLValue, at index: Int) throws(StoreError) {
        switch value {
        case .null: try bindNull(at: index)
        case let .integer(number): try bind(number, at: index)
        case let .real(number): try bind(number, at: index)
        case let .text(text): try bind(text, at: index)
        case let .blob(bytes): try bind(bytes, at: index)
        }
    }

    /// Binds NULL.
    public func bindNull(at index: Int) throws(StoreError) {
        try check(sqlite3_bind_null(handle, Int32(index)), "binding parameter \(index)")
    }

    /// Binds an integer.
    public func bind(_ value: Int64, at index: Int) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, Int32(index), value), "binding parameter \(index)")
    }

    /// Binds an integer.
    public func bind(_ value: Int, at index: Int) throws(StoreError) {
        try bind(Int64(value), at: index)
    }

    /// Binds a real.
    public func bind(_ value: Double, at index: Int) throws(StoreError) {
        try check(sqlite3_bind_double(handle, Int32(index), value), "binding parameter \(index)")
    }

    /// Binds text (copied).
    public func bind(_ value: String, at index: Int) throws(StoreError) {
        var text = value
        let rc = text.withUTF8 { bytes in
            sqlite3_bind_text(
                handle, Int32(index), bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? UnsafePointer(emptyCString),
                Int32(bytes.count), catalog_sqlite_transient())
        }
        try check(rc, "binding parameter \(index)")
    }

    /// Binds a blob (copied).
    public func bind(_ value: [UInt8], at index: Int) throws(StoreError) {
        let rc = value.withUnsafeBytes { bytes in
            sqlite3_bind_blob64(
                handle, Int32(index), bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                sqlite3_uint64(bytes.count), catalog_sqlite_transient())
        }
        try check(rc, "binding parameter \(index)")
    }

    /// Binds UTF-8 text from memory the caller keeps valid until the next reset.
    public func bindStaticText(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(StoreError) {
        let base = bytes.baseAddress ?? UnsafeRawPointer(emptyCString)
        let rc = sqlite3_bind_text64(
            handle, Int32(index), base.assumingMemoryBound(to: CChar.self), sqlite3_uint64(bytes.count),
            catalog_sqlite_static(), UInt8(SQLITE_UTF8))
        try check(rc, "binding parameter \(index)")
    }

    /// Binds a blob from memory the caller keeps valid until the next reset.
    public func bindStaticBlob(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(StoreError) {
        let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
        let rc = sqlite3_bind_blob64(
            handle, Int32(index), base, sqlite3_uint64(bytes.count), catalog_sqlite_static())
        try check(rc, "binding parameter \(index)")
    }

    /// Number of parameters the statement takes.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    // MARK: Stepping

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(rc, "running \(sql.prefix(120))")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion, ignoring rows.
    public func run() throws(StoreError) {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Binds `values` and runs the statement to completion.
    public func run(_ values: [SQLValue]) throws(StoreError) {
        sqlite3_reset(handle)
        try bind(values)
        try run()
    }

    /// Resets the statement so it can run again, and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (0-based)

    /// Whether column `index` of the current row is NULL.
    public func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    /// Column `index` as an integer.
    public func int64(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    /// Column `index` as an Int.
    public func int(_ index: Int) -> Int { Int(sqlite3_column_int64(handle, Int32(index))) }

    /// Column `index` as a double.
    public func double(_ index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    /// Column `index` as text (empty for NULL).
    public func text(_ index: Int) -> String {
        guard let pointer = sqlite3_column_text(handle, Int32(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` as optional text.
    public func optionalText(_ index: Int) -> String? { isNull(index) ? nil : text(index) }

    /// Column `index` as bytes (empty for NULL).
    public func blob(_ index: Int) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        guard count > 0, let pointer = sqlite3_column_blob(handle, Int32(index)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Calls `body` with the bytes of blob column `index` without copying them.
    public func withBlob<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        let pointer = sqlite3_column_blob(handle, Int32(index))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }

    /// Column `index` as a generic value.
    public func value(_ index: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(double(index))
        case SQLITE_BLOB: return .blob(blob(index))
        default: return .text(text(index))
        }
    }

    /// Reads every remaining row as generic values.
    public func allRows() throws(StoreError) -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        let count = columnCount
        while try step() {
            rows.append((0..<count).map { value($0) })
        }
        sqlite3_reset(handle)
        return rows
    }
}
