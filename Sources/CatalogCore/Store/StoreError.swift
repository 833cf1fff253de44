/// Errors raised by the SQLite store: opening, migrating and querying a catalog.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// SQLite reported an error; `context` says what we were doing.
    case sqlite(code: Int32, message: String, context: String)
    /// The catalog file was written by a newer `catalog` binary.
    case schemaTooNew(path: String, found: Int, known: Int)
    /// The catalog's schema is older than the binary's and a read-only command cannot upgrade it.
    case schemaTooOld(path: String, found: Int, latest: Int)
    /// The file is a SQLite database but not a catalog.
    case notACatalog(path: String)
    /// The catalog does not exist and the command does not create one.
    case missingCatalog(path: String)
    /// A statement given to a read-only connection would write or is otherwise not allowed.
    case readOnlyViolation(reason: String)
    /// More than one statement was given where one is expected.
    case multipleStatements
    /// No statement was given.
    case emptyStatement

    public var description: String {
        switch self {
        case let .sqlite(code, message, context):
            return "SQLite error \(code) while \(context): \(message)"
        case let .schemaTooNew(path, found, known):
            return "\(path): catalog schema version \(found) is newer than this binary supports (\(known)); "
                + "upgrade catalog to open it"
        case let .schemaTooOld(path, found, latest):
            return "\(path): catalog schema version \(found) is older than this binary's (\(latest)); "
                + "upgrade it once with `catalog init --db \(path)` (or any command that writes, such as `catalog add`)"
        case let .notACatalog(path):
            return "\(path): is a SQLite database but not a catalog (application_id differs); "
                + "point --db at a catalog or a new path"
        case let .missingCatalog(path):
            return "\(path): no catalog here; create one with `catalog init` or `catalog add`, or pass --db"
        case let .readOnlyViolation(reason):
            return "refused: \(reason); `catalog sql` is read-only (SELECT, WITH, EXPLAIN and read-only PRAGMAs)"
        case .multipleStatements:
            return "refused: more than one SQL statement; run one statement per `catalog sql` call"
        case .emptyStatement:
            return "no SQL statement given"
        }
    }
}
