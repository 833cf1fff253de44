import Foundation

/// A file being written: `write(2)` that retries on EINTR and short writes, errors mapped to
/// `ShardError` (ENOSPC → `.diskFull`, EACCES/EROFS → `.unwritable`), `fsync` on close.
final class OutputFile {
    /// The path, for messages.
    let path: String
    private var descriptor: Int32
    /// Bytes written so far (the file's size when only appended to).
    private(set) var bytesWritten: Int64 = 0

    /// Creates `path` (which must not exist) for writing (and reading back).
    init(creating path: String) throws(ShardError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ShardError.fromErrno(errno, path: path, operation: "create") }
        descriptor = fd
    }

    /// Opens an existing file or device for writing without truncating it (tests route
    /// writes to `/dev/full` this way).
    init(existing path: String) throws(ShardError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ShardError.fromErrno(errno, path: path, operation: "open") }
        descriptor = fd
    }

    deinit {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
    }

    /// Appends `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Foundation.write(descriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ShardError.fromErrno(errno, path: path, operation: "write")
            }
            if written == 0 { throw ShardError.diskFull(path: path) }
            pointer += written
            remaining -= written
            bytesWritten += Int64(written)
        }
    }

    /// Appends `bytes`.
    func write(_ bytes: [UInt8]) throws(ShardError) {
        var failure: ShardError?
        bytes.withUnsafeBytes { raw in
            do throws(ShardError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Overwrites `bytes` at `offset` without moving the append position.
    func write(_ bytes: [UInt8], at offset: Int64) throws(ShardError) {
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        if written != bytes.count {
            throw written < 0
                ? ShardError.fromErrno(errno, path: path, operation: "write") : ShardError.diskFull(path: path)
        }
    }

    /// Moves the append position to `offset` (leaving a hole to be filled by `write(_:at:)`).
    func seek(to offset: Int64) throws(ShardError) {
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw ShardError.fromErrno(errno, path: path, operation: "seek")
        }
        bytesWritten = offset
    }

    /// The SHA-256 of the file's first `length` bytes, read back from the file.
    func sha256(length: Int64) throws(ShardError) -> [UInt8] {
        var hasher = SHA256Hasher()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        var offset: Int64 = 0
        while offset < length {
            let want = Int(min(Int64(chunk.count), length - offset))
            let got = pread(descriptor, chunk.baseAddress, want, off_t(offset))
            if got < 0 {
                if errno == EINTR { continue }
                throw ShardError.fromErrno(errno, path: path, operation: "read back")
            }
            if got == 0 { throw ShardError.io(path: path, operation: "read back", reason: "file shorter than written") }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<got]))
            offset += Int64(got)
        }
        return hasher.finalize()
    }

    /// Flushes the file to disk and closes it.
    func close(sync: Bool = true) throws(ShardError) {
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        if sync, fsync(fd) != 0, errno != EINVAL, errno != EROFS {
            let code = errno
            _ = Foundation.close(fd)
            throw ShardError.fromErrno(code, path: path, operation: "fsync")
        }
        if Foundation.close(fd) != 0, errno != EINTR {
            throw ShardError.fromErrno(errno, path: path, operation: "close")
        }
    }
}

/// Flushes a directory's entries (new files, renames) to disk; errors are ignored where the
/// file system does not support it.
func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    _ = close(fd)
}
