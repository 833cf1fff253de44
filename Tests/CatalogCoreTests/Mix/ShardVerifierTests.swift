import Foundation
import Testing
@testable import CatalogCore

@Suite struct ShardVerifierTests {
    /// A written directory with several shards.
    static func written(_ format: ShardFormat, in directory: TemporaryDirectory) throws -> (String, [ShardSummary]) {
        let out = directory.path + "/o"
        let shards = try ShardFixture.write(ShardFixture.documents(40), to: out, format: format, shardSize: 3_000)
        return (out, shards)
    }

    static func status(_ results: [VerifiedFile], _ file: String) -> VerifiedFile.Status? {
        results.first { $0.file == file }?.status
    }

    @Test(arguments: [ShardFormat.jsonl, .jsonlZstd, .jsonlGzip, .mds, .mdsUncompressed])
    func intactDirectoryIsOk(format: ShardFormat) throws {
        let directory = TemporaryDirectory()
        let (out, shards) = try Self.written(format, in: directory)
        let results = try ShardVerifier(directory: out).verify()
        #expect(results.allSatisfy { !$0.isProblem }, "\(results.filter(\.isProblem))")
        #expect(results.filter { $0.kind == "shard" }.map(\.file) == shards.map(\.file))
        #expect(results.contains { $0.file == "index.json" } == format.isMDS)
    }

    @Test(arguments: [ShardFormat.jsonlZstd, .mds])
    func truncatedCorruptMissingAndExtraFilesAreReported(format: ShardFormat) throws {
        let directory = TemporaryDirectory()
        let (out, shards) = try Self.written(format, in: directory)
        #expect(shards.count >= 3)
        let first = out + "/" + shards[0].file
        let bytes = ShardFixture.read(first)
        try Data(bytes.dropLast(10)).write(to: URL(fileURLWithPath: first))
        var flipped = ShardFixture.read(out + "/" + shards[1].file)
        flipped[flipped.count / 2] ^= 0xFF
        try Data(flipped).write(to: URL(fileURLWithPath: out + "/" + shards[1].file))
        try FileManager.default.removeItem(atPath: out + "/" + shards[2].file)
        directory.write("o/stray.txt", "x")
        let results = try ShardVerifier(directory: out).verify()
        #expect(Self.status(results, shards[0].file) == .truncated)
        #expect(Self.status(results, shards[1].file) == .corrupt)
        #expect(Self.status(results, shards[2].file) == .missing)
        #expect(Self.status(results, "stray.txt") == .extra)
        #expect(results.filter(\.isProblem).count == 4)
        #expect(results.first { $0.file == shards[0].file }?.detail == "10 bytes short")
    }

    @Test func shardThatMatchesAForgedManifestButDoesNotDecodeIsReported() throws {
        let directory = TemporaryDirectory()
        let (out, shards) = try Self.written(.jsonlZstd, in: directory)
        // Corrupt a shard and rewrite the manifest's hash to match: only decoding can tell.
        let path = out + "/" + shards[0].file
        var bytes = ShardFixture.read(path)
        bytes[bytes.count - 6] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let manifestPath = out + "/manifest.json"
        let manifest = String(decoding: ShardFixture.read(manifestPath), as: UTF8.self)
            .replacingOccurrences(of: shards[0].sha256, with: SHA256Hasher.hex(SHA256Hasher.digest(bytes)))
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: manifestPath))
        let results = try ShardVerifier(directory: out).verify()
        #expect(Self.status(results, shards[0].file) == .undecodable)
    }

    @Test func inconsistentIndexIsReported() throws {
        let directory = TemporaryDirectory()
        let (out, shards) = try Self.written(.mds, in: directory)
        // Drop one entry from index.json and re-list its hash in the manifest.
        let indexPath = out + "/index.json"
        var index = try JSONSerialization.jsonObject(with: Data(ShardFixture.read(indexPath))) as? [String: Any] ?? [:]
        index["shards"] = Array((index["shards"] as? [Any] ?? []).dropLast())
        let newIndex = try JSONSerialization.data(withJSONObject: index)
        let oldIndex = ShardFixture.read(indexPath)
        try newIndex.write(to: URL(fileURLWithPath: indexPath))
        let manifestPath = out + "/manifest.json"
        let manifest = String(decoding: ShardFixture.read(manifestPath), as: UTF8.self)
            .replacingOccurrences(of: SHA256Hasher.hex(SHA256Hasher.digest(oldIndex)), with: SHA256Hasher.hex(SHA256Hasher.digest([UInt8](newIndex))))
            .replacingOccurrences(of: "\"bytes\": \(oldIndex.count)", with: "\"bytes\": \(newIndex.count)")
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: manifestPath))
        let results = try ShardVerifier(directory: out).verify()
        #expect(Self.status(results, "index.json") == .inconsistent)
        #expect(Self.status(results, shards.last?.file ?? "") == .undecodable)
    }

    @Test func decompressedCopyFromAStreamingReaderIsNotAProblem() throws {
        let directory = TemporaryDirectory()
        let (out, shards) = try Self.written(.mds, in: directory)
        let compressed = ShardFixture.read(out + "/" + shards[0].file)
        let raw = try compressed.withUnsafeBytes { try ZstdFrameDecompressor().decompress($0, dictionary: nil) }
        directory.write("o/" + String(shards[0].file.dropLast(".zstd".count)), raw)
        let results = try ShardVerifier(directory: out).verify()
        #expect(results.allSatisfy { !$0.isProblem })
        #expect(results.contains { $0.kind == "reader-cache" && $0.status == .ok })
    }

    @Test func missingManifestIsAnError() {
        let directory = TemporaryDirectory()
        #expect(throws: ShardError.self) { _ = try ShardVerifier(directory: directory.path).verify() }
    }
}
