import Foundation

/// The output directory of a shard set: everything is written into a temporary sibling
/// (`.NAME.tmp-PID-N`, same parent so the final rename is atomic) and published by renaming.
///
/// - An existing non-empty target is refused unless `overwrite`; with it, the old directory
///   is renamed away (`.NAME.old-PID-N`), the new one renamed in, then the old one deleted.
/// - Temporary and old directories left by an interrupted run (their process is gone) are
///   removed when the next writer for the same target starts.
final class OutputDirectory {
    /// The directory to publish.
    let target: String
    /// The temporary directory written into.
    let temporary: String
    private let parent: String
    private let name: String
    private let overwrite: Bool
    private static let counter = Counter()

    init(target: String, overwrite: Bool) throws(ShardError) {
        let url = URL(fileURLWithPath: target).standardizedFileURL
        self.target = url.path
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        self.overwrite = overwrite
        let suffix = "\(getpid())-\(Self.counter.next())"
        temporary = parent + "/." + name + ".tmp-" + suffix
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw ShardError.notADirectory(path: target)
        }
        try checkTarget()
        try createParent()
        removeLeftovers()
        if mkdir(temporary, 0o755) != 0 {
            throw ShardError.fromErrno(errno, path: temporary, operation: "create directory")
        }
    }

    /// Fails when the target exists and may not be replaced.
    private func checkTarget() throws(ShardError) {
        var info = stat()
        guard lstat(target, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path: target) }
        if !overwrite, !Self.isEmptyDirectory(target) { throw .directoryNotEmpty(path: target) }
    }

    private func createParent() throws(ShardError) {
        var info = stat()
        if stat(parent, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path: parent) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: parent, reason: "cannot create the parent directory: \((error as NSError).localizedDescription)")
        }
    }

    static func isEmptyDirectory(_ path: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        return entries.isEmpty
    }

    /// Removes `.NAME.tmp-PID-*` and `.NAME.old-PID-*` siblings whose process no longer runs.
    private func removeLeftovers() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries {
            for marker in [".tmp-", ".old-"] {
                let prefix = "." + name + marker
                guard entry.hasPrefix(prefix) else { continue }
                let rest = entry.dropFirst(prefix.count)
                guard let pidText = rest.split(separator: "-").first, let pid = Int32(pidText),
                    rest.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") })
                else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH {
                    try? FileManager.default.removeItem(atPath: parent + "/" + entry)
                }
            }
        }
    }

    /// Moves the finished temporary directory into place.
    func publish() throws(ShardError) {
        syncDirectory(temporary)
        var info = stat()
        if lstat(target, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path: target) }
            if Self.isEmptyDirectory(target) {
                _ = rmdir(target)
            } else {
                guard overwrite else { throw .directoryNotEmpty(path: target) }
                let old = parent + "/." + name + ".old-\(getpid())-\(Self.counter.next())"
                guard rename(target, old) == 0 else { throw ShardError.fromErrno(errno, path: target, operation: "rename") }
                guard rename(temporary, target) == 0 else {
                    let code = errno
                    _ = rename(old, target)  // put the old output back
                    throw ShardError.fromErrno(code, path: target, operation: "rename")
                }
                syncDirectory(parent)
                try? FileManager.default.removeItem(atPath: old)
                return
            }
        }
        guard rename(temporary, target) == 0 else { throw ShardError.fromErrno(errno, path: target, operation: "rename") }
        syncDirectory(parent)
    }

    /// Deletes the temporary directory and what it holds.
    func abandon() {
        try? FileManager.default.removeItem(atPath: temporary)
    }

    /// A process-wide counter so two writers in one process never share a temporary name.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
