import Foundation

/// Errors of the shard writers, the output directory and `catalog verify`.
public enum ShardError: Error, Equatable, CustomStringConvertible {
    /// The output directory exists, holds files, and `overwrite` was not given.
    case directoryNotEmpty(path: String)
    /// The output path exists but is not a directory.
    case notADirectory(path: String)
    /// A file or directory could not be created or written (permissions, read-only file system...).
    case unwritable(path: String, reason: String)
    /// The disk (or quota) is full.
    case diskFull(path: String)
    /// Another I/O error.
    case io(path: String, operation: String, reason: String)
    /// The writer was used after `finish` or `abandon`, or given inconsistent settings.
    case invalidUse(String)
    /// One document cannot be stored in the chosen format (an MDS shard is limited to 4 GiB).
    case documentTooLarge(docKey: String, bytes: Int, limit: Int)
    /// A compressor failed.
    case compression(path: String, reason: String)
    /// `manifest.json` is missing or unreadable, so nothing can be verified.
    case manifestUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .directoryNotEmpty(path):
            return "\(path): exists and is not empty; choose another --out directory or pass --overwrite to replace it"
        case let .notADirectory(path):
            return "\(path): exists and is not a directory; choose another --out path"
        case let .unwritable(path, reason):
            return "\(path): cannot write (\(reason)); check the directory's permissions or choose another --out"
        case let .diskFull(path):
            return "\(path): no space left on the device; free space or write to another disk (nothing was published)"
        case let .io(path, operation, reason):
            return "\(path): \(operation) failed: \(reason)"
        case let .invalidUse(message):
            return "shard writer: \(message)"
        case let .documentTooLarge(docKey, bytes, limit):
            return "document \(docKey): its record is \(bytes) bytes, more than the format allows (\(limit)); use a JSONL format"
        case let .compression(path, reason):
            return "\(path): compression failed: \(reason)"
        case let .manifestUnreadable(path, reason):
            return "\(path): cannot read the manifest (\(reason)); is this a directory written by catalog materialize?"
        }
    }

    /// Maps an `errno` from a file operation to the matching case.
    static func fromErrno(_ code: Int32, path: String, operation: String) -> ShardError {
        switch code {
        case ENOSPC, EDQUOT: return .diskFull(path: path)
        case EACCES, EPERM, EROFS: return .unwritable(path: path, reason: String(cString: strerror(code)))
        default: return .io(path: path, operation: operation, reason: String(cString: strerror(code)))
        }
    }
}
