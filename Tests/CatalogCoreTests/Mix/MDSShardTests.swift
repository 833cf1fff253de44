import Foundation
import Testing
@testable import CatalogCore

/// Decodes MDS shards the way streaming's MDSReader does (reference/mosaicml-format.md b.3).
@Suite struct MDSShardTests {
    struct DecodedShard {
        var samples: [[String: Any]]
        var config: [String: Any]
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
    }

    static func u64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func decode(_ raw: [UInt8], names: [String], encodings: [String], sizes: [Int?]) throws -> DecodedShard {
        let count = u32(raw, 0)
        let offsets = (0...count).map { u32(raw, 4 + 4 * $0) }
        #expect(offsets[count] == raw.count)
        let config = try JSONSerialization.jsonObject(with: Data(raw[(4 + 4 * (count + 1))..<offsets[0]])) as? [String: Any] ?? [:]
        var samples: [[String: Any]] = []
        for index in 0..<count {
            let sample = Array(raw[offsets[index]..<offsets[index + 1]])
            var position = 0
            var lengths: [Int] = []
            for size in sizes where size == nil {
                lengths.append(u32(sample, position))
                position += 4
            }
            var variable = 0
            var decoded: [String: Any] = [:]
            for (column, name) in names.enumerated() {
                let length = sizes[column] ?? lengths[variable]
                if sizes[column] == nil { variable += 1 }
                let payload = sample[position..<(position + length)]
                position += length
                switch encodings[column] {
                case "str": decoded[name] = String(decoding: payload, as: UTF8.self)
                case "int64": decoded[name] = Int64(bitPattern: u64(payload))
                case "float64": decoded[name] = Double(bitPattern: u64(payload))
                case "json": decoded[name] = try JSONSerialization.jsonObject(with: Data(payload), options: .fragmentsAllowed)
                default: Issue.record("unexpected encoding \(encodings[column])")
                }
            }
            #expect(position == sample.count)
            samples.append(decoded)
        }
        return DecodedShard(samples: samples, config: config)
    }

    @Test(arguments: [ShardFormat.mds, .mdsUncompressed])
    func shardsDecodePerTheReferenceFormat(format: ShardFormat) throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let documents = ShardFixture.documents(50)
        let limit: Int64 = 5_000
        let shards = try ShardFixture.write(documents, to: out, format: format, shardSize: limit)
        #expect(shards.count > 1)
        let index = try JSONSerialization.jsonObject(with: Data(ShardFixture.read(out + "/index.json"))) as? [String: Any] ?? [:]
        #expect(index["version"] as? Int == 2)
        let entries = index["shards"] as? [[String: Any]] ?? []
        #expect(entries.count == shards.count)
        var decodedAll: [[String: Any]] = []
        for (entry, shard) in zip(entries, shards) {
            #expect(Set(entry.keys) == [
                "column_encodings", "column_names", "column_sizes", "compression", "format", "hashes", "raw_data",
                "samples", "size_limit", "version", "zip_data",
            ])
            let names = entry["column_names"] as? [String] ?? []
            #expect(names == names.sorted())
            #expect(names == ["component", "document_id", "domain", "id", "lang", "meta", "phase", "quality", "source", "text", "tokens"])
            let encodings = entry["column_encodings"] as? [String] ?? []
            let sizes = (entry["column_sizes"] as? [Any] ?? []).map { $0 as? Int }
            let rawInfo = entry["raw_data"] as? [String: Any] ?? [:]
            let file = ShardFixture.read(out + "/" + shard.file)
            let raw: [UInt8]
            if format == .mds {
                #expect(entry["compression"] as? String == "zstd")
                #expect(shard.file.hasSuffix(".mds.zstd"))
                let zip = entry["zip_data"] as? [String: Any] ?? [:]
                #expect(zip["basename"] as? String == shard.file)
                #expect((zip["hashes"] as? [String: String])?["sha256"] == shard.sha256)
                #expect(ShardFixture.frameContentSize(file) == UInt64(shard.uncompressedBytes))
                raw = try file.withUnsafeBytes { try ZstdFrameDecompressor().decompress($0, dictionary: nil) }
                #expect(!FileManager.default.fileExists(atPath: out + "/" + (rawInfo["basename"] as? String ?? "")))
            } else {
                #expect(entry["compression"] is NSNull)
                #expect(entry["zip_data"] is NSNull)
                raw = file
            }
            #expect(rawInfo["bytes"] as? Int == raw.count)
            #expect((rawInfo["hashes"] as? [String: String])?["sha256"] == SHA256Hasher.hex(SHA256Hasher.digest(raw)))
            // size_limit semantics: the raw file minus the last offset word stays within the limit.
            #expect(raw.count - 4 <= Int(limit))
            let decoded = try Self.decode(raw, names: names, encodings: encodings, sizes: sizes)
            #expect(decoded.config["column_names"] as? [String] == names)
            #expect(entry["samples"] as? Int == decoded.samples.count)
            decodedAll += decoded.samples
        }
        #expect(decodedAll.count == documents.count)
        for (sample, document) in zip(decodedAll, documents) {
            #expect(sample["id"] as? String == document.docKey)
            #expect(sample["text"] as? String == String(decoding: document.text, as: UTF8.self))
            #expect(sample["tokens"] as? Int64 == Int64(document.tokens))
            #expect(sample["document_id"] as? Int64 == document.documentId)
            #expect(sample["domain"] as? String == (document.domain ?? ""))
            if let quality = document.quality {
                #expect(sample["quality"] as? Double == quality)
            } else {
                #expect((sample["quality"] as? Double)?.isNaN == true)
            }
            if document.metaJSON == nil { #expect(sample["meta"] is NSNull) }
        }
    }

    @Test func sizeLimitFollowsMDSWriter() throws {
        // With only `id`, a sample is 4 (length) + key bytes; each adds 4 more for its offset.
        let layout = MDSLayout(fields: [.id], compression: nil, sizeLimit: 1_000)
        let directory = TemporaryDirectory()
        let documents = ShardFixture.documents(200)
        let shards = try ShardFixture.write(documents, to: directory.path + "/o", format: .mdsUncompressed, shardSize: 1_000, fields: [.id])
        var start = 0
        for shard in shards.dropLast() {
            let sampleSizes = documents[start..<(start + Int(shard.documents))].map { 4 + $0.docKey.utf8.count + 4 }
            let running = Int(layout.emptyShardSize) + sampleSizes.reduce(0, +)
            #expect(running <= 1_000)
            let next = 4 + documents[start + Int(shard.documents)].docKey.utf8.count + 4
            #expect(running + next > 1_000)
            // MDSWriter's running size is exactly the file size.
            #expect(shard.uncompressedBytes == Int64(running))
            start += Int(shard.documents)
        }
    }
}
