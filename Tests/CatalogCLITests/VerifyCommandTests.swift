import CatalogCore
import Foundation
import Testing

@Suite struct VerifyCommandTests {
    static func writeShards(_ out: String) throws {
        let writer = try ShardSetWriter(
            directory: out, format: .jsonlZstd, shardSizeBytes: 300, fields: [.id, .text], overwrite: false, threads: 1)
        for index in 0..<10 {
            try writer.write(OutputDocument(
                documentId: Int64(index), docKey: "k\(index)", source: "s", domain: nil, lang: nil, tokens: 10,
                quality: nil, text: Array(String(repeating: "word \(index) ", count: 20).utf8), metaJSON: nil,
                component: "c", phase: "main", epoch: 0))
        }
        _ = try writer.finish(
            manifestHeader: ManifestHeader(
                recipe: "r", version: 1, sha256: "00", seed: 1, catalogFingerprint: "f", createdAt: "2026-01-01T00:00:00Z"),
            components: [])
    }

    @Test func verifyPassesThenReportsAMissingShard() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/shards"
        try Self.writeShards(out)
        let ok = try CLIRunner.run(["verify", out, "--format", "csv"])
        #expect(ok.exitCode == 0)
        #expect(ok.stdout.hasPrefix("file,kind,status,expected_bytes,actual_bytes,detail\r\nmanifest.json,manifest,ok,"))
        #expect(ok.stderr.contains("all"))
        try FileManager.default.removeItem(atPath: out + "/shard-00001.jsonl.zst")
        let bad = try CLIRunner.run(["verify", out, "--problems-only", "--format", "jsonl"])
        #expect(bad.exitCode == 1)
        #expect(bad.stdout.contains("\"file\":\"shard-00001.jsonl.zst\",\"kind\":\"shard\",\"status\":\"missing\""))
        #expect(bad.stdout.split(separator: "\n").count == 1)
        #expect(bad.stderr.contains("1 problem"))
    }

    @Test func verifyOfADirectoryWithoutManifestFails() throws {
        let directory = TemporaryDirectory()
        let result = try CLIRunner.run(["verify", directory.path])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("no manifest.json"))
    }
}
