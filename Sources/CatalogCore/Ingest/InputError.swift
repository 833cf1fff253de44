#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an input file could not be found, opened or read to the end.
///
/// These stop the file (or, for discovery, the run); per-line problems are `JSONLineError`.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The path is a FIFO, socket, device or other non-regular file.
    case notRegularFile(path: String, kind: String)
    /// The process may not read the path.
    case permissionDenied(path: String)
    /// `open(2)` or `opendir(3)` failed for another reason.
    case cannotOpen(path: String, reason: String)
    /// `read(2)` failed part-way through.
    case readFailed(path: String, reason: String)
    /// A directory (or a set of arguments) yielded no file to ingest.
    case noInputFiles(path: String, detail: String)
    /// The compressed stream stops inside a gzip member or zstd frame.
    case truncated(path: String, format: CompressionFormat, compressedOffset: Int64)
    /// The decompressor rejected the data at `compressedOffset`.
    case corrupt(path: String, format: CompressionFormat, compressedOffset: Int64, reason: String)
    /// The name promises a compression format the bytes do not have.
    case misnamed(path: String, expected: CompressionFormat, firstBytes: String)
    /// The decompressor could not be set up (out of memory).
    case decompressorUnavailable(path: String, format: CompressionFormat, reason: String)

    /// A one-line explanation naming the file and, where there is one, the fix.
    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory; check the path (relative paths start from the current directory)"
        case .notRegularFile(let path, let kind):
            return "\(path): not a regular file (it is a \(kind)); pass regular files or directories"
        case .permissionDenied(let path):
            return "\(path): permission denied; make it readable (chmod u+r) or leave it out"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open: \(reason)"
        case .readFailed(let path, let reason):
            return "\(path): read failed: \(reason)"
        case .noInputFiles(let path, let detail):
            return "\(path): no input files matched (\(detail)); check the path and the --include/--exclude patterns"
        case .truncated(let path, let format, let offset):
            return "\(path): \(format.displayName) data ends early at compressed byte \(offset); the file is truncated "
                + "(interrupted download or copy?), so its last line is incomplete: fetch or compress it again"
        case .corrupt(let path, let format, let offset, let reason):
            return "\(path): corrupt \(format.displayName) data at compressed byte \(offset) (\(reason)); "
                + "fetch or compress the file again"
        case .misnamed(let path, let expected, let firstBytes):
            return "\(path): named like \(expected.displayName) but does not start with its magic bytes "
                + "(\(expected.magicDescription)); it starts with \(firstBytes): rename the file to match its content"
        case .decompressorUnavailable(let path, let format, let reason):
            return "\(path): cannot start the \(format.displayName) decompressor: \(reason)"
        }
    }

    /// Maps an `errno` from open/opendir/stat to the matching case.
    static func fromOpenErrno(_ code: Int32, path: String) -> InputError {
        switch code {
        case ENOENT, ENOTDIR: .notFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        default: .cannotOpen(path: path, reason: errnoDescription(code))
        }
    }
}

func errnoDescription(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "errno \(code)" }
    return String(cString: message)
}
