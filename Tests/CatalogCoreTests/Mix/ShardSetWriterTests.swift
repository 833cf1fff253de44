import Foundation
import Testing
@testable import CatalogCore

@Suite struct ShardSetWriterTests {
    @Test(arguments: [ShardFormat.jsonl, .jsonlZstd, .jsonlGzip])
    func jsonlRoundTrip(format: ShardFormat) throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/out"
        let documents = ShardFixture.documents(60)
        let shards = try ShardFixture.write(documents, to: out, format: format, shardSize: 4_000)
        #expect(shards.count > 1)
        var parsed: [[String: Any]] = []
        for (index, shard) in shards.enumerated() {
            #expect(shard.file == format.shardFileName(index))
            let bytes = ShardFixture.read(out + "/" + shard.file)
            #expect(Int64(bytes.count) == shard.bytes)
            #expect(SHA256Hasher.hex(SHA256Hasher.digest(bytes)) == shard.sha256)
            let raw = try ShardFixture.decompressed(out + "/" + shard.file)
            #expect(Int64(raw.count) == shard.uncompressedBytes)
            #expect(raw.count <= 4_000)
            let lines = try ShardFixture.lines(raw)
            #expect(Int64(lines.count) == shard.documents)
            parsed += lines
        }
        #expect(parsed.count == documents.count)
        for (line, document) in zip(parsed, documents) {
            #expect(line["id"] as? String == document.docKey)
            #expect(line["text"] as? String == String(decoding: document.text, as: UTF8.self))
            #expect(line["source"] as? String == document.source)
            #expect((line["domain"] as? String) == document.domain)
            #expect(line["tokens"] as? Int == document.tokens)
            #expect((line["quality"] as? Double) == document.quality)
            #expect(line["document_id"] as? Int == Int(document.documentId))
            #expect(line["component"] as? String == document.component)
            if document.metaJSON != nil {
                #expect((line["meta"] as? [String: Any])?["url"] as? String == "http://x/\(document.documentId - 1)")
            } else {
                #expect(line["meta"] is NSNull)
            }
        }
        let totalTokens = documents.reduce(0) { $0 + $1.tokens }
        #expect(shards.reduce(0) { $0 + $1.tokens } == Int64(totalTokens))
    }

    @Test func jsonLineKeepsTheRecipesFieldOrder() throws {
        let directory = TemporaryDirectory()
        var document = ShardFixture.documents(1)[0]
        document.text = Array("hi".utf8)
        document.quality = 0.25
        try ShardFixture.write([document], to: directory.path + "/o", format: .jsonl, fields: [.text, .quality, .id, .domain])
        let line = String(decoding: ShardFixture.read(directory.path + "/o/shard-00000.jsonl"), as: UTF8.self)
        #expect(line == "{\"text\":\"hi\",\"quality\":0.25,\"id\":\"doc-0\",\"domain\":null}\n")
    }

    @Test func escapingEdgeCases() throws {
        let texts = [
            "quote \" backslash \\ slash /", "controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F} del \u{7F}",
            "emoji 😀👩‍👩‍👧 and CJK 漢字, RTL שלום", "separators \u{2028} and \u{2029} end", "curly ’quotes’ – dash …",
            "", "\u{2028}", "trailing E2 \u{2027}",
        ]
        var out: [UInt8] = []
        for text in texts {
            out.removeAll()
            JSONText.appendQuoted(text, to: &out)
            let decoded = try JSONSerialization.jsonObject(with: Data(out), options: .fragmentsAllowed) as? String
            #expect(decoded == text)
            #expect(!out.contains(where: { $0 < 0x20 }))
            #expect(!String(decoding: out, as: UTF8.self).contains("\u{2028}"))
            #expect(!String(decoding: out, as: UTF8.self).contains("\u{2029}"))
        }
        out.removeAll()
        JSONText.appendQuoted("a\"b\\c\n\u{1}\u{2028}é", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\"b\\c\n\u0001\u2028é""#)
    }

    @Test func zstdShardIsOneFrameWithItsContentSize() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let shards = try ShardFixture.write(ShardFixture.documents(300, textBytes: 3_000), to: out, format: .jsonlZstd)
        #expect(shards.count == 1)
        let bytes = ShardFixture.read(out + "/" + shards[0].file)
        #expect(ShardFixture.frameContentSize(bytes) == UInt64(shards[0].uncompressedBytes))
        #expect(ShardFixture.firstFrameSize(bytes) == bytes.count)
        let frame = try bytes.withUnsafeBytes { try ZstdFrameDecompressor().decompress($0, dictionary: nil) }
        #expect(Int64(frame.count) == shards[0].uncompressedBytes)
    }

    @Test func rotationHappensBeforeTheSizeLimitIsPassed() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let documents = ShardFixture.documents(40)
        let limit: Int64 = 2_000
        let shards = try ShardFixture.write(documents, to: out, format: .jsonl, shardSize: limit, fields: [.id, .text])
        let lines = shards.map { try? ShardFixture.decompressed(out + "/" + $0.file) }
        var next = 0
        for (index, shard) in shards.enumerated() {
            #expect(shard.uncompressedBytes <= limit)
            next += Int(shard.documents)
            if index + 1 < shards.count, let nextLine = lines[index + 1]?.split(separator: 0x0A).first {
                // The next shard's first line would not have fitted.
                #expect(shard.uncompressedBytes + Int64(nextLine.count + 1) > limit)
            }
        }
        #expect(next == documents.count)
    }

    @Test func oneDocumentLargerThanTheLimitGetsItsOwnShard() throws {
        let directory = TemporaryDirectory()
        let documents = ShardFixture.documents(3, textBytes: 500)
        let shards = try ShardFixture.write(documents, to: directory.path + "/o", format: .jsonl, shardSize: 100)
        #expect(shards.map(\.documents) == [1, 1, 1])
    }

    @Test func phaseBoundaryStartsAShard() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let documents = ShardFixture.documents(5, phase: "main") + ShardFixture.documents(3, phase: "anneal", seed: 9)
        let shards = try ShardFixture.write(documents, to: out, format: .jsonlZstd)
        #expect(shards.map(\.phase) == ["main", "anneal"])
        #expect(shards.map(\.documents) == [5, 3])
        #expect(shards[0].components == [
            ShardComponentCount(component: "books", documents: 2, tokens: Int64(documents[0].tokens + documents[3].tokens)),
            ShardComponentCount(component: "web", documents: 3, tokens: Int64(documents[1].tokens + documents[2].tokens + documents[4].tokens)),
        ])
        let manifest = try ShardFixture.manifest(out)
        let phases = manifest["phases"] as? [[String: Any]] ?? []
        #expect(phases.map { $0["phase"] as? String } == ["main", "anneal"])
        #expect(phases.map { $0["first_shard"] as? Int } == [0, 1])
    }

    @Test(arguments: [ShardFormat.jsonlZstd, .mds])
    func outputIsByteIdenticalWhateverTheThreadCount(format: ShardFormat) throws {
        let directory = TemporaryDirectory()
        // ~12 MB of text: a jsonl.zst shard spans two 8 MiB zstd jobs in multithreaded mode.
        let documents = ShardFixture.documents(3_000, textBytes: 4_000)
        var digests: [[String]] = []
        for threads in [1, 2, 4] {
            let shards = try ShardFixture.write(
                documents, to: directory.path + "/t\(threads)", format: format,
                shardSize: format == .mds ? 6_000_000 : 20_000_000, threads: threads)
            digests.append(shards.map(\.sha256))
            if format == .jsonlZstd { #expect(shards.count == 1 && shards[0].uncompressedBytes > 9 << 20) }
        }
        #expect(digests[0].count == (format == .mds ? 3 : 1))
        #expect(digests[1] == digests[0])
        #expect(digests[2] == digests[0])
        if format == .mds {
            let indexes = [1, 2, 4].map { ShardFixture.read(directory.path + "/t\($0)/index.json") }
            #expect(indexes[1] == indexes[0] && indexes[2] == indexes[0])
        }
    }

    @Test func nothingIsVisibleBeforeFinish() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let writer = try ShardSetWriter(directory: out, format: .jsonlZstd, shardSizeBytes: 500, fields: [.id, .text], overwrite: false, threads: 2)
        for document in ShardFixture.documents(20) { try writer.write(document) }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
        #expect(URL(fileURLWithPath: writer.temporaryPath).deletingLastPathComponent().path == directory.url.standardizedFileURL.path)
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath + "/manifest.json"))
        _ = try writer.finish(manifestHeader: ShardFixture.header, components: [])
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))
    }

    @Test func abandonLeavesNothing() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let writer = try ShardSetWriter(directory: out, format: .mds, shardSizeBytes: 500, fields: [.id, .text], overwrite: false, threads: 1)
        for document in ShardFixture.documents(20) { try writer.write(document) }
        writer.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        #expect(throws: ShardError.self) { try writer.write(ShardFixture.documents(1)[0]) }
    }

    @Test func existingNonEmptyDirectoryIsRefusedUnlessOverwrite() throws {
        let directory = TemporaryDirectory()
        let out = directory.makeDirectory("o")
        directory.write("o/old.txt", "old")
        let error = #expect(throws: ShardError.self) {
            try ShardFixture.write(ShardFixture.documents(2), to: out, format: .jsonl)
        }
        #expect(error == .directoryNotEmpty(path: out))
        #expect(FileManager.default.fileExists(atPath: out + "/old.txt"))
        try ShardFixture.write(ShardFixture.documents(2), to: out, format: .jsonl, overwrite: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["manifest.json", "shard-00000.jsonl"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["o"])
    }

    @Test func existingEmptyDirectoryIsUsed() throws {
        let directory = TemporaryDirectory()
        let out = directory.makeDirectory("o")
        try ShardFixture.write(ShardFixture.documents(2), to: out, format: .jsonl)
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
    }

    @Test func leftoverTemporaryDirectoriesOfDeadRunsAreRemoved() throws {
        let directory = TemporaryDirectory()
        let dead = directory.makeDirectory(".o.tmp-999999999-1")
        directory.write(".o.tmp-999999999-1/shard-00000.jsonl", "half")
        let alive = directory.makeDirectory(".o.tmp-\(getpid())-999999")
        let unrelated = directory.makeDirectory(".other.tmp-999999999-1")
        try ShardFixture.write(ShardFixture.documents(2), to: directory.path + "/o", format: .jsonl)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }

    @Test func targetThatIsAFileIsRefused() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("o", "x")
        #expect(throws: ShardError.notADirectory(path: file)) {
            try ShardFixture.write(ShardFixture.documents(1), to: file, format: .jsonl)
        }
    }

    @Test func unwritableDirectoryIsAClearError() throws {
        let directory = TemporaryDirectory()
        let parent = directory.makeDirectory("ro")
        #expect(chmod(parent, 0o555) == 0)
        var target = parent + "/o"
        if access(parent, W_OK) == 0 {
            // Root ignores permission bits; /sys refuses directories to everyone.
            #if os(Linux)
            target = "/sys/catalog-shard-test"
            #else
            return
            #endif
        }
        let error = #expect(throws: ShardError.self) {
            try ShardFixture.write(ShardFixture.documents(1), to: target, format: .jsonl)
        }
        guard case .unwritable = error else {
            Issue.record("expected .unwritable, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("cannot write") == true)
    }

    #if os(Linux)
    @Test func diskFullIsAClearError() throws {
        let file = try OutputFile(existing: "/dev/full")
        let error = #expect(throws: ShardError.self) { try file.write(Array(repeating: 1, count: 10_000)) }
        #expect(error == .diskFull(path: "/dev/full"))
        #expect(error?.description.contains("no space left") == true)
    }
    #endif

    @Test func manifestListsEverything() throws {
        let directory = TemporaryDirectory()
        let out = directory.path + "/o"
        let writer = try ShardSetWriter(directory: out, format: .jsonlZstd, shardSizeBytes: 3_000, fields: [.id, .text], overwrite: false, threads: 1)
        let documents = ShardFixture.documents(30)
        for document in documents { try writer.write(document) }
        var header = ShardFixture.header
        header.extraJSON = "{\"note\": \"x\"}"
        let components = [ManifestComponent(
            phase: "main", component: "web", targetTokens: 100, achievedTokens: 98, targetShare: 0.5, share: 0.49,
            documents: 20, epochs: 1)]
        let shards = try writer.finish(manifestHeader: header, components: components)
        let manifest = try ShardFixture.manifest(out)
        #expect(manifest["manifest_version"] as? Int == 1)
        #expect((manifest["recipe"] as? [String: Any])?["version"] as? Int == 2)
        #expect(manifest["seed"] as? Int == 42)
        #expect(manifest["created_at"] as? String == "2026-01-01T00:00:00Z")
        #expect((manifest["extra"] as? [String: Any])?["note"] as? String == "x")
        let listed = manifest["shards"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["file"] as? String } == shards.map(\.file))
        #expect(listed.map { $0["sha256"] as? String } == shards.map(\.sha256))
        let totals = manifest["totals"] as? [String: Any]
        #expect(totals?["documents"] as? Int == 30)
        let component = (manifest["components"] as? [[String: Any]])?.first
        #expect(component?["achieved_tokens"] as? Int == 98)
        #expect(component?["target_share"] as? Double == 0.5)
        // Keys in a fixed order: the text starts the same way every time.
        let text = String(decoding: ShardFixture.read(out + "/manifest.json"), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"manifest_version\": 1,\n  \"recipe\": {\n    \"name\": \"mix\","))
    }

    @Test func invalidSettingsAreRefused() {
        let directory = TemporaryDirectory()
        #expect(throws: ShardError.self) {
            _ = try ShardSetWriter(directory: directory.path + "/a", format: .jsonl, shardSizeBytes: 0, fields: [.id], overwrite: false, threads: 1)
        }
        #expect(throws: ShardError.self) {
            _ = try ShardSetWriter(directory: directory.path + "/a", format: .mds, shardSizeBytes: 1 << 32, fields: [.id], overwrite: false, threads: 1)
        }
        #expect(throws: ShardError.self) {
            _ = try ShardSetWriter(directory: directory.path + "/a", format: .jsonl, shardSizeBytes: 10, fields: [.id, .id], overwrite: false, threads: 1)
        }
    }
}
