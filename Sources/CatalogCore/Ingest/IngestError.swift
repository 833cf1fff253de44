/// Problems that stop a whole input file or the whole `catalog add` run.
///
/// Per-line problems are not errors: they are `LineProblem`s, reported and counted.
public enum IngestError: Error, Equatable, CustomStringConvertible {
    /// The input path does not exist.
    case pathNotFound(String)
    /// The input is a FIFO, socket or device.
    case notRegularFile(String, kind: String)
    /// The input cannot be read.
    case unreadable(String, reason: String)
    /// A directory held no file matching the include/exclude globs.
    case noInputFiles(String)
    /// The (compressed) stream ended early or is corrupt.
    case corruptStream(path: String, reason: String)
    /// Reading failed.
    case readFailed(path: String, reason: String)
    /// `--strict` and a line had a problem.
    case strictFailure(path: String, line: Int, reason: String)
    /// More rejected lines than `--max-errors`.
    case tooManyErrors(path: String, rejected: Int, limit: Int)
    /// Another `catalog add` holds the catalog's ingest lock.
    case catalogBusy(path: String)
    /// The catalog refused a write.
    case store(StoreError)
    /// The text store failed.
    case compression(String)
    /// Bad options.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case let .pathNotFound(path):
            return "\(path): no such file or directory; check the path"
        case let .notRegularFile(path, kind):
            return "\(path): is a \(kind), not a regular file; give a file or a directory of files"
        case let .unreadable(path, reason):
            return "\(path): cannot be read (\(reason)); check its permissions"
        case let .noInputFiles(path):
            return "\(path): no input files (directory empty or nothing matched --include/--exclude)"
        case let .corruptStream(path, reason):
            return "\(path): \(reason); the file is damaged or incomplete: re-copy it and add it again"
        case let .readFailed(path, reason):
            return "\(path): read failed: \(reason)"
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
