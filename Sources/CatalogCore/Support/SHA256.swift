import CKernels

/// Incremental SHA-256 (FIPS 180-4) backed by the `CKernels` C code, which uses the x86 SHA
/// extensions when the CPU has them and portable C otherwise.
///
/// Copying a hasher forks it: both copies continue independently from the same prefix.
public struct SHA256Hasher: Sendable {
    /// Size of a digest in bytes.
    public static let digestByteCount = 32

    private var context = catalog_sha256_ctx()

    /// Starts an empty hash using the fastest implementation this CPU supports.
    public init() {
        catalog_sha256_init(&context)
    }

    /// Starts an empty hash that always uses the portable C code; for tests and comparisons.
    public static func portable() -> SHA256Hasher {
        var hasher = SHA256Hasher()
        catalog_sha256_init_portable(&hasher.context)
        return hasher
    }

    /// Whether this CPU and build hash with the x86 SHA extensions.
    public static var usesHardwareAcceleration: Bool {
        catalog_sha256_has_sha_ni() != 0
    }

    /// Adds the bytes of `buffer` to the hash.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        catalog_sha256_update(&context, base, buffer.count)
    }

    /// Adds `bytes` to the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds `bytes` to the hash.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes the hash and returns the 32-byte digest.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.digestByteCount)
        catalog_sha256_final(&context, &digest)
        return digest
    }

    /// Returns the SHA-256 digest of `bytes` in one call.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Returns the SHA-256 digest of `bytes` in one call.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { digest($0) }
    }

    /// Formats `digest` (or any bytes) as lowercase hexadecimal, two characters per byte.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
