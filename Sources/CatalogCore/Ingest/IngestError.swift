/// Problems that stop a whole input file or the whole `catalog add` run.
///
/// Per-line problems are not errors: they are `LineProblem`s, reported and counted.
public enum IngestError: Error, Equatable, CustomStringConvertible {
    /// An input could not be found, opened, read or decompressed.
    case input(InputError)
    /// `--strict` and a line had a problem.
    case strictFailure(path: String, line: Int, reason: String)
    /// More rejected lines than `--max-errors`.
    case tooManyErrors(path: String, rejected: Int, limit: Int)
    /// Another `catalog add` holds the catalog's ingest lock.
    case catalogBusy(path: String)
    /// The catalog refused a write.
    case store(StoreError)
    /// Compressing or decompressing a stored text failed.
    case compression(String)
    /// Bad options.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case let .input(error):
            return error.description
        case let .strictFailure(path, line, reason):
            return "\(path):\(line): \(reason) (--strict: the file was rolled back)"
        case let .tooManyErrors(path, rejected, limit):
            return "\(path): \(rejected) rejected lines, over --max-errors \(limit); the file was rolled back"
        case let .catalogBusy(path):
            return "\(path): another `catalog add` is writing to this catalog; wait for it to finish"
        case let .store(error):
            return error.description
        case let .compression(message):
            return message
        case let .invalidOptions(message):
            return message
        }
    }
}

/// A problem with one input line (or one text file): reported as `file:line: reason`.
public struct LineProblem: Sendable, Equatable {
    /// Whether the line was dropped or kept after a repair.
    public enum Severity: String, Sendable {
        /// The line was not ingested.
        case rejected
        /// The line was ingested after a repair (e.g. a lone surrogate replaced by U+FFFD).
        case repaired
    }

    /// 1-based line number (1 for a text file).
    public let line: Int
    /// Dropped or repaired.
    public let severity: Severity
    /// What is wrong, for a person.
    public let reason: String

    /// A problem.
    public init(line: Int, severity: Severity, reason: String) {
        self.line = line
        self.severity = severity
        self.reason = reason
    }
}
