import CZlib
import CZstd
import Foundation
@testable import CatalogCore

/// In-process gzip and zstd encoders for test fixtures (no CLI tools needed).
enum CompressionFixtures {
    /// One gzip member holding `bytes`, written with zlib's gz* API.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "catalog-gz-" + UUID().uuidString + ".gz"
        defer { unlink(path) }
        guard let file = gzopen(path, "wb6") else { throw TestFailure("gzopen failed") }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, written == Int32(bytes.count) else { throw TestFailure("gzwrite failed") }
        return try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// One zstd frame holding `bytes`.
    static func zstd(_ bytes: [UInt8], level: Int32 = 3) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let size = out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                ZSTD_compress(dst.baseAddress, dst.count, src.baseAddress, src.count, level)
            }
        }
        guard ZSTD_isError(size) == 0 else { throw TestFailure("ZSTD_compress failed") }
        return Array(out[..<size])
    }
}
