import Foundation

/// The identity of an input file: its size and the sha256 of its bytes.
struct FileFingerprint {
    /// File size in bytes.
    let bytes: Int
    /// sha256 of the file's (raw, possibly compressed) bytes, lowercase hex.
    let sha256: String

    /// Bytes read at a time: small enough to stay in the core's L2 cache between the read's
    /// copy and the hashing, and not zero-filled first (the read overwrites it).
    static let chunkBytes = 1 << 20

    /// Reads `path` once, in 1 MiB chunks (SHA-NI makes this ~1.8 GB/s).
    static func compute(path: String) throws(InputError) -> FileFingerprint {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError.fromOpenErrno(errno, path: path) }
        defer { close(descriptor) }
        var hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 64)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: errnoDescription(errno))
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += count
        }
        return FileFingerprint(bytes: total, sha256: SHA256Hasher.hex(hasher.finalize()))
    }
}
