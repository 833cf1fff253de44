#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the lines of an input file are read.
public enum InputFormat: String, Sendable, Equatable {
    /// One JSON object per line.
    case jsonl
    /// The whole file is one document.
    case plainText
}

/// One file to ingest, as found by `InputDiscovery`.
public struct InputFile: Sendable, Equatable {
    /// Path to open: the argument itself, or the directory argument joined with `relativePath`.
    public var path: String
    /// Path below the directory argument (what the globs saw); the path as given for a file argument.
    public var relativePath: String
    /// JSONL or plain text, from the name.
    public var format: InputFormat
    /// The compression the name promises; the content is sniffed again when the file is opened.
    public var compression: CompressionFormat
    /// Size on disk in bytes (compressed size for compressed files).
    public var byteCount: Int64

    /// Classifies a file name: `.jsonl`, `.json` and `.ndjson`, optionally followed by `.gz`,
    /// `.zst` or `.zstd`, are JSONL; everything else is plain text.
    public static func classify(fileName: String) -> (format: InputFormat, compression: CompressionFormat) {
        let compression = CompressionFormat(fileName: fileName)
        var name = Substring(fileName)
        for suffix in [".gz", ".zst", ".zstd"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
            break
        }
        let isJSONL = [".jsonl", ".json", ".ndjson"].contains { name.hasSuffix($0) }
        return (isJSONL ? .jsonl : .plainText, compression)
    }
}

/// An entry met during a directory walk that is not ingested, with the reason.
public struct SkippedInput: Sendable, Equatable {
    /// The entry's path.
    public var path: String
    /// Why it was left out, e.g. "not a regular file (it is a socket)".
    public var reason: String
}

/// The ordered input files for `catalog add`, plus what the walk left out.
public struct InputDiscoveryResult: Sendable, Equatable {
    /// Files in argument order; inside a directory, depth-first in byte order of names.
    public var files: [InputFile]
    /// Special files and broken links met inside directories (not hidden entries, not glob misses).
    public var skipped: [SkippedInput]
}

/// Expands the PATH arguments of `catalog add` into an ordered, de-duplicated list of files.
///
/// Rules:
/// - a regular file argument is taken as is (globs do not apply to it; it was named);
/// - a directory argument is walked recursively, entries sorted by the bytes of their names so
///   the order never depends on the file system or locale; symbolic links are followed, each
///   directory is entered once (no cycles);
/// - hidden entries (name starting with `.`) are skipped inside directories; name them
///   explicitly to ingest them;
/// - inside a directory, files are kept when they match an include pattern (all files when
///   there is none) and no exclude pattern, matched against the path relative to the argument;
/// - the same file reached twice (same device and inode) is listed once, at its first place.
///
/// Run-stopping problems are thrown: a missing path, a special file or an unreadable file or
/// directory, and a directory argument that yields no file.
public struct InputDiscovery: Sendable {
    /// `--include` patterns; empty means every file.
    public var includePatterns: [GlobPattern]
    /// `--exclude` patterns.
    public var excludePatterns: [GlobPattern]

    /// Creates a discovery with the given `--include` / `--exclude` globs.
    public init(include: [String] = [], exclude: [String] = []) {
        includePatterns = include.map(GlobPattern.init)
        excludePatterns = exclude.map(GlobPattern.init)
    }

    /// Expands `arguments` into input files.
    public func discover(_ arguments: [String]) throws(InputError) -> InputDiscoveryResult {
        guard !arguments.isEmpty else { throw .noInputFiles(path: ".", detail: "no paths were given") }
        var walk = Walk(discovery: self)
        for argument in arguments {
            let info = try Walk.status(of: argument)
            switch FileKind(mode: info.st_mode) {
            case .regular:
                try walk.addFile(path: argument, relativePath: argument, info: info)
            case .directory:
                let before = walk.result.files.count
                var stats = WalkStats()
                try walk.walkDirectory(argument, relativePrefix: "", stats: &stats)
                if walk.result.files.count == before {
                    throw .noInputFiles(path: argument, detail: stats.explanation(discovery: self))
                }
            case let kind:
                throw .notRegularFile(path: argument, kind: kind?.rawValue ?? "special file")
            }
        }
        return walk.result
    }

    func accepts(relativePath: String) -> Bool {
        (includePatterns.isEmpty || includePatterns.contains { $0.matches(relativePath) })
            && !excludePatterns.contains { $0.matches(relativePath) }
    }
}

/// What one directory argument contained, to explain an empty result.
private struct WalkStats {
    var regularFiles = 0
    var hiddenEntries = 0

    func explanation(discovery: InputDiscovery) -> String {
        if regularFiles == 0 {
            return hiddenEntries == 0
                ? "the directory has no files"
                : "the directory has only hidden entries (\(hiddenEntries)), which are skipped; name them explicitly"
        }
        var filters: [String] = discovery.includePatterns.map { "--include \($0.pattern)" }
        filters += discovery.excludePatterns.map { "--exclude \($0.pattern)" }
        let files = regularFiles == 1 ? "1 file" : "\(regularFiles) files"
        return "\(files) found, none passed \(filters.joined(separator: " "))"
    }
}

private struct Walk {
    let discovery: InputDiscovery
    var result = InputDiscoveryResult(files: [], skipped: [])
    var seenFiles = Set<FileIdentity>()
    var seenDirectories = Set<FileIdentity>()

    init(discovery: InputDiscovery) {
        self.discovery = discovery
    }

    static func status(of path: String) throws(InputError) -> stat {
        var info = stat()
        guard stat(path, &info) == 0 else { throw InputError.fromOpenErrno(errno, path: path) }
        return info
    }

    mutating func addFile(path: String, relativePath: String, info: stat) throws(InputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw InputError.fromOpenErrno(errno, path: path) }
        close(fd)
        guard seenFiles.insert(FileIdentity(info)).inserted else { return }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let (format, compression) = InputFile.classify(fileName: name)
        result.files.append(
            InputFile(
                path: path, relativePath: relativePath, format: format, compression: compression,
                byteCount: Int64(info.st_size)))
    }

    mutating func walkDirectory(_ directory: String, relativePrefix: String, stats: inout WalkStats) throws(InputError) {
        let info = try Self.status(of: directory)
        guard seenDirectories.insert(FileIdentity(info)).inserted else { return }
        var invalidNames = 0
        let names = try Self.sortedEntries(of: directory, invalidNames: &invalidNames)
        if invalidNames > 0 {
            result.skipped.append(
                SkippedInput(path: directory, reason: "\(invalidNames) entries whose names are not valid UTF-8"))
        }
        for name in names {
            if name.hasPrefix(".") {
                stats.hiddenEntries += 1
                continue
            }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let relativePath = relativePrefix + name
            var entry = stat()
            guard stat(path, &entry) == 0 else {
                let code = errno
                if code == ENOENT {  // a dangling symbolic link
                    result.skipped.append(SkippedInput(path: path, reason: "broken symbolic link"))
                    continue
                }
                throw InputError.fromOpenErrno(code, path: path)
            }
            switch FileKind(mode: entry.st_mode) {
            case .directory:
                try walkDirectory(path, relativePrefix: relativePath + "/", stats: &stats)
            case .regular:
                stats.regularFiles += 1
                if discovery.accepts(relativePath: relativePath) {
                    try addFile(path: path, relativePath: relativePath, info: entry)
                }
            case let kind:
                let kindName = kind?.rawValue ?? "special file"
                result.skipped.append(SkippedInput(path: path, reason: "not a regular file (it is a \(kindName))"))
            }
        }
    }

    /// Entry names of `directory` except `.` and `..`, sorted by their UTF-8 bytes.
    static func sortedEntries(of directory: String, invalidNames: inout Int) throws(InputError) -> [String] {
        guard let handle = opendir(directory) else { throw InputError.fromOpenErrno(errno, path: directory) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(validating: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let name else {
                // Such a name cannot round-trip through String; it would open the wrong path.
                invalidNames += 1
                continue
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

private struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
