import Foundation

/// The identity of an input file: its size and the sha256 of its bytes.
struct FileFingerprint {
    /// File size in bytes.
    let bytes: Int
    /// sha256 of the file's (raw, possibly compressed) bytes, lowercase hex.
    let sha256: String

    /// Reads `path` once, in 8 MiB chunks (SHA-NI makes this ~1.8 GB/s).
    static func compute(path: String) throws(InputError) -> FileFingerprint {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError.fromOpenErrno(errno, path: path) }
        defer { close(descriptor) }
        var hasher = SHA256Hasher()
        var buffer = [UInt8](repeating: 0, count: 8 << 20)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: errnoDescription(errno))
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            total += count
        }
        return FileFingerprint(bytes: total, sha256: SHA256Hasher.hex(hasher.finalize()))
    }
}
