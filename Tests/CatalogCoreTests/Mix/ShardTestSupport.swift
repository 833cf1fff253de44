import CZstd
import Foundation
@testable import CatalogCore

/// Documents and readers for the shard writer tests.
enum ShardFixture {
    /// `count` documents with varied texts, two components, phase `main`.
    static func documents(_ count: Int, phase: String = "main", textBytes: Int = 200, seed: UInt64 = 1) -> [OutputDocument] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda"]
        return (0..<count).map { index in
            var text = ""
            while text.utf8.count < textBytes { text += words[Int(next() % UInt64(words.count))] + (next() % 9 == 0 ? ".\n" : " ") }
            return OutputDocument(
                documentId: Int64(index + 1), docKey: "doc-\(index)", source: index % 3 == 0 ? "books" : "web",
                domain: index % 5 == 0 ? nil : "d\(index % 2)", lang: "en", tokens: text.utf8.count / 4,
                quality: index % 4 == 0 ? nil : Double(index % 10) / 10, text: Array(text.utf8),
                metaJSON: index % 2 == 0 ? Array("{\"url\":\"http://x/\(index)\",\"n\":[1,2]}".utf8) : nil,
                component: index % 3 == 0 ? "books" : "web", phase: phase, epoch: 0)
        }
    }

    static let header = ManifestHeader(
        recipe: "mix", version: 2, sha256: String(repeating: "ab", count: 32), seed: 42, catalogFingerprint: "fp",
        createdAt: "2026-01-01T00:00:00Z")

    static let allFields: [OutputField] = [.id, .text, .source, .domain, .lang, .tokens, .quality, .meta, .component, .phase, .documentId]

    /// Writes `documents` into `directory` and returns the shard summaries.
    @discardableResult
    static func write(
        _ documents: [OutputDocument], to directory: String, format: ShardFormat, shardSize: Int64 = 1 << 20,
        fields: [OutputField] = allFields, threads: Int = 2, overwrite: Bool = false
    ) throws -> [ShardSummary] {
        let writer = try ShardSetWriter(
            directory: directory, format: format, shardSizeBytes: shardSize, fields: fields, overwrite: overwrite,
            threads: threads)
        for document in documents { try writer.write(document) }
        return try writer.finish(manifestHeader: header, components: [])
    }

    /// A whole file.
    static func read(_ path: String) -> [UInt8] {
        (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
    }

    /// A shard's uncompressed bytes (through the ingest readers for .zst and .gz).
    static func decompressed(_ path: String) throws -> [UInt8] {
        let source = try openByteSource(path: path)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { return out }
            out += buffer[0..<count]
        }
    }

    /// The JSON objects of a JSONL shard.
    static func lines(_ bytes: [UInt8]) throws -> [[String: Any]] {
        try bytes.split(separator: 0x0A).map { line in
            try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] ?? [:]
        }
    }

    /// The parsed manifest.
    static func manifest(_ directory: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(read(directory + "/manifest.json"))) as? [String: Any] ?? [:]
    }

    /// Content size in the zstd frame header; nil when absent.
    static func frameContentSize(_ bytes: [UInt8]) -> UInt64? {
        let size = bytes.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        return size >= UInt64.max - 1 ? nil : size
    }

    /// Size of the first zstd frame in `bytes`.
    static func firstFrameSize(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { ZSTD_findFrameCompressedSize($0.baseAddress, $0.count) }
    }
}
