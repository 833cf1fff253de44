import Foundation

/// A stand-in for the shard writers (issue 5, output side) until they land: plain JSONL shards
/// rotated by size in a temporary directory, `manifest.json`, then a rename. To be replaced by
/// `ShardSetWriter`.
public final class InterimJSONLOutput: MixOutput {
    private let settings: MixOutputSettings
    private let temporary: String
    private var buffer: [UInt8] = []
    private var shards: [MixRunShardRecord] = []
    private var shardDocuments: Int64 = 0
    private var shardTokens: Int64 = 0
    private var shardPhase = ""

    /// Opens a temporary directory beside `settings.directory`.
    public init(settings: MixOutputSettings) throws {
        self.settings = settings
        let manager = FileManager.default
        if let contents = try? manager.contentsOfDirectory(atPath: settings.directory), !contents.isEmpty, !settings.overwrite {
            throw MixError.output("\(settings.directory): exists and is not empty; pass --overwrite to replace it")
        }
        temporary = settings.directory + ".tmp-\(getpid())"
        try? manager.removeItem(atPath: temporary)
        try manager.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    }

    public func write(_ document: MixDocument) throws {
        if !buffer.isEmpty && (document.phase != shardPhase || Int64(buffer.count) >= settings.shardSizeBytes) {
            try flush()
        }
        shardPhase = document.phase
        var members: [String] = []
        for field in settings.fields {
            switch field {
            case "id": members.append("\"id\":" + JSONText.quoted(document.docKey))
            case "text": members.append("\"text\":" + JSONText.quoted(String(decoding: document.text, as: UTF8.self)))
            case "source": members.append("\"source\":" + JSONText.quoted(document.source))
            case "domain": members.append("\"domain\":" + (document.domain.map(JSONText.quoted) ?? "null"))
            case "lang": members.append("\"lang\":" + (document.lang.map(JSONText.quoted) ?? "null"))
            case "tokens": members.append("\"tokens\":\(document.tokens)")
            case "quality": members.append("\"quality\":" + (document.quality.map(JSONText.number) ?? "null"))
            case "meta": members.append("\"meta\":" + (document.metaJSON.map { String(decoding: $0, as: UTF8.self) } ?? "null"))
            case "component": members.append("\"component\":" + JSONText.quoted(document.component))
            case "phase": members.append("\"phase\":" + JSONText.quoted(document.phase))
            case "document_id": members.append("\"document_id\":\(document.documentID)")
            default: break
            }
        }
        buffer += Array(("{" + members.joined(separator: ",") + "}\n").utf8)
        shardDocuments += 1
        shardTokens += Int64(document.tokens)
    }

    private func flush() throws {
        let name = "shard.\(String(format: "%05d", shards.count)).jsonl"
        guard FileManager.default.createFile(atPath: temporary + "/" + name, contents: Data(buffer)) else {
            throw MixError.output("\(temporary)/\(name): cannot write")
        }
        shards.append(MixRunShardRecord(
            file: name, phase: shardPhase, bytes: Int64(buffer.count), sha256: SHA256Hasher.hex(SHA256Hasher.digest(buffer)),
            documents: shardDocuments, tokens: shardTokens))
        buffer.removeAll(keepingCapacity: true)
        shardDocuments = 0
        shardTokens = 0
    }

    public func finish(header: MixManifestHeader, components: [MixManifestComponent]) throws -> [MixRunShardRecord] {
        if !buffer.isEmpty { try flush() }
        let manifest = "{\"recipe\":\(JSONText.quoted(header.recipe)),\"version\":\(header.version),\"seed\":\(header.seed),"
            + "\"shards\":[" + shards.map { "{\"file\":\(JSONText.quoted($0.file)),\"sha256\":\"\($0.sha256)\"}" }.joined(separator: ",") + "]}\n"
        _ = FileManager.default.createFile(atPath: temporary + "/manifest.json", contents: Data(manifest.utf8))
        try? FileManager.default.removeItem(atPath: settings.directory)
        try FileManager.default.moveItem(atPath: temporary, toPath: settings.directory)
        return shards
    }

    public func abandon() {
        try? FileManager.default.removeItem(atPath: temporary)
    }
}
