import CSQLite

/// Custom SQL functions registered on every catalog connection (like GRDB's
/// `DatabaseFunction`): registered once per connection, deterministic ones flagged so.
enum CatalogFunctions {
    /// Registers `doc_text(document_id)`.
    static func register(on connection: SQLiteConnection) throws(StoreError) {
        let state = DocumentTextReader(connection: connection)
        connection.functionContexts.append(state)
        let rc = sqlite3_create_function_v2(
            connection.handle, "doc_text", 1, SQLITE_UTF8, Unmanaged.passUnretained(state).toOpaque(),
            { context, _, arguments in
                guard let context, let arguments, let argument = arguments[0],
                      let userData = sqlite3_user_data(context) else { return }
                let reader = Unmanaged<DocumentTextReader>.fromOpaque(userData).takeUnretainedValue()
                if sqlite3_value_type(argument) == SQLITE_NULL {
                    sqlite3_result_null(context)
                    return
                }
                reader.resultText(for: sqlite3_value_int64(argument), into: context)
            }, nil, nil, nil)
        guard rc == SQLITE_OK else { throw connection.error(rc, "registering doc_text()") }
    }
}

/// Reads and decompresses document texts (for `doc_text()`, rescore and materialize), caching
/// digested dictionaries.
///
/// Lives as long as its connection and is only used on the connection's thread. The function
/// is not flagged deterministic: the same id gives another text after a re-ingest.
final class DocumentTextReader {
    private unowned let connection: SQLiteConnection
    private var textStatement: SQLiteStatement?
    private var dictionaryStatement: SQLiteStatement?
    private var dictionaries: [Int64: ZstdDictionary] = [:]
    private let decompressor = ZstdFrameDecompressor()

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// The text of `documentID`, or nil when there is no such document.
    func text(of documentID: Int64) throws -> [UInt8]? {
        if textStatement == nil { textStatement = try connection.prepare(StoreSQL.Text.read, persistent: true) }
        guard let statement = textStatement else { return nil }
        statement.reset()
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        guard try statement.step() else { return nil }
        let dictionaryID = statement.isNull(0) ? nil : statement.int64(0)
        return try statement.withBlob(1) { try decompress($0, dictionaryID: dictionaryID) }
    }

    /// Decompresses a stored text frame, with its source's dictionary (digested once) when
    /// `dictionaryID` is set.
    func decompress(_ frame: UnsafeRawBufferPointer, dictionaryID: Int64?) throws -> [UInt8] {
        let dictionary = try dictionaryID.map { try self.dictionary($0) }
        return try decompressor.decompress(frame, dictionary: dictionary)
    }

    private func dictionary(_ id: Int64) throws -> ZstdDictionary {
        if let cached = dictionaries[id] { return cached }
        if dictionaryStatement == nil {
            dictionaryStatement = try connection.prepare(StoreSQL.Text.readDictionary, persistent: true)
        }
        guard let statement = dictionaryStatement else { throw ZstdError.missingDictionary(id: id) }
        statement.reset()
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        guard try statement.step() else { throw ZstdError.missingDictionary(id: id) }
        let dictionary = try ZstdDictionary(bytes: statement.blob(0), level: 3)
        dictionaries[id] = dictionary
        return dictionary
    }

    /// Sets the function result for `documentID`: its text, NULL when absent, an error otherwise.
    func resultText(for documentID: Int64, into context: OpaquePointer) {
        do {
            guard let bytes = try text(of: documentID) else {
                sqlite3_result_null(context)
                return
            }
            bytes.withUnsafeBytes { raw in
                sqlite3_result_text64(
                    context, raw.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(emptyCString), sqlite3_uint64(raw.count),
                    catalog_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        } catch {
            let message = "doc_text(\(documentID)): \(error)"
            sqlite3_result_error(context, message, -1)
        }
    }
}
