import Foundation

/// One file's verdict from `catalog verify`.
public struct VerifiedFile: Sendable, Equatable {
    /// What was found.
    public enum Status: String, Sendable {
        /// Size and SHA-256 match the manifest (and the file decodes).
        case ok
        /// Listed in the manifest, absent from the directory.
        case missing
        /// In the directory, not listed in the manifest.
        case extra
        /// Shorter than the manifest says.
        case truncated
        /// Longer than listed, or the SHA-256 differs.
        case corrupt
        /// Size and hash match but the content does not decode or disagrees with the manifest
        /// or index.json (frame, line count, MDS layout).
        case undecodable
        /// `index.json` disagrees with the manifest or the shards.
        case inconsistent
    }

    /// The file name inside the directory.
    public var file: String
    /// `shard`, `index`, `manifest`, `reader-cache` (a raw MDS shard a reader decompressed) or `other`.
    public var kind: String
    /// The verdict.
    public var status: Status
    /// Bytes the manifest lists (nil for extra files).
    public var expectedBytes: Int64?
    /// Bytes found (nil for missing files).
    public var actualBytes: Int64?
    /// Why, when not ok.
    public var detail: String

    /// Whether the verdict is a problem.
    public var isProblem: Bool { status != .ok }
}

/// Re-checks a shard directory against its `manifest.json`: every listed file's size and
/// SHA-256, that compressed shards decode to the listed size and documents, that nothing
/// else is there, and for MDS that `index.json` agrees with the manifest and the shards.
public struct ShardVerifier {
    /// The directory to check.
    public let directory: String

    /// A verifier of `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    private struct ListedShard {
        var file: String
        var bytes: Int64
        var sha256: String
        var uncompressedBytes: Int64?
        var documents: Int64?
    }

    /// Checks every file; throws only when the manifest itself cannot be read.
    public func verify() throws -> [VerifiedFile] {
        let manifestPath = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            throw ShardError.manifestUnreadable(
                path: manifestPath, reason: !exists ? "no such directory" : !isDirectory.boolValue ? "not a directory" : "no manifest.json")
        }
        guard let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ShardError.manifestUnreadable(path: manifestPath, reason: "not a JSON object")
        }
        let format = ((manifest["output"] as? [String: Any])?["format"] as? String).flatMap(ShardFormat.init(rawValue:))
        func listed(_ key: String) -> [ListedShard] {
            (manifest[key] as? [[String: Any]] ?? []).compactMap { entry in
                guard let file = entry["file"] as? String, let bytes = (entry["bytes"] as? NSNumber)?.int64Value,
                    let sha256 = entry["sha256"] as? String
                else { return nil }
                return ListedShard(
                    file: file, bytes: bytes, sha256: sha256,
                    uncompressedBytes: (entry["uncompressed_bytes"] as? NSNumber)?.int64Value,
                    documents: (entry["documents"] as? NSNumber)?.int64Value)
            }
        }
        let shards = listed("shards")
        let others = listed("files")
        var results: [VerifiedFile] = [VerifiedFile(
            file: "manifest.json", kind: "manifest", status: .ok, expectedBytes: nil, actualBytes: Int64(data.count),
            detail: "")]
        var index: [String: Any]?
        for other in others {
            var result = checkFile(other, kind: other.file == "index.json" ? "index" : "other")
            if result.status == .ok, other.file == "index.json" {
                index = (FileManager.default.contents(atPath: directory + "/index.json"))
                    .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                if index == nil { result.status = .undecodable; result.detail = "not a JSON object" }
            }
            results.append(result)
        }
        var indexEntries: [String: [String: Any]] = [:]
        var rawCacheNames: [String: [String: Any]] = [:]
        if let format, format.isMDS {
            if let index {
                let entries = index["shards"] as? [[String: Any]] ?? []
                var problems: [String] = []
                if index["version"] as? Int != 2 { problems.append("version is not 2") }
                if entries.count != shards.count {
                    problems.append("\(entries.count) shard entries, the manifest lists \(shards.count)")
                }
                for entry in entries {
                    let zip = entry["zip_data"] as? [String: Any]
                    let raw = entry["raw_data"] as? [String: Any]
                    guard let name = (zip ?? raw)?["basename"] as? String else {
                        problems.append("a shard entry without raw_data/zip_data basename")
                        continue
                    }
                    indexEntries[name] = entry
                    if zip != nil, let rawName = raw?["basename"] as? String { rawCacheNames[rawName] = entry }
                }
                for shard in shards where indexEntries[shard.file] == nil {
                    problems.append("\(shard.file) is not in index.json")
                }
                if !problems.isEmpty, let slot = results.firstIndex(where: { $0.file == "index.json" }) {
                    results[slot].status = .inconsistent
                    results[slot].detail = problems.joined(separator: "; ")
                }
            } else if !others.contains(where: { $0.file == "index.json" }) {
                results.append(VerifiedFile(
                    file: "index.json", kind: "index", status: .missing, expectedBytes: nil, actualBytes: nil,
                    detail: "an MDS directory needs index.json and the manifest does not list it"))
            }
        }
        for shard in shards {
            var result = checkFile(shard, kind: "shard")
            if result.status == .ok {
                let problem = format.map { checkContent(shard, format: $0, indexEntry: indexEntries[shard.file]) } ?? nil
                if let problem {
                    result.status = .undecodable
                    result.detail = problem
                }
            }
            results.append(result)
        }
        let known = Set(results.map(\.file))
        let present = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in present.sorted() where !known.contains(name) {
            let path = directory + "/" + name
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
            if let entry = rawCacheNames[name], let raw = entry["raw_data"] as? [String: Any] {
                // streaming.StreamingDataset(local=...) decompresses shards next to the .zstd files.
                let expected = (raw["hashes"] as? [String: String])?["sha256"]
                let actual = FileManager.default.contents(atPath: path).map { SHA256Hasher.hex(SHA256Hasher.digest([UInt8]($0))) }
                let matches = expected != nil && expected == actual
                results.append(VerifiedFile(
                    file: name, kind: "reader-cache", status: matches ? .ok : .corrupt,
                    expectedBytes: (raw["bytes"] as? NSNumber)?.int64Value, actualBytes: size,
                    detail: matches ? "decompressed copy written by a streaming reader" : "decompressed copy does not match raw_data"))
                continue
            }
            results.append(VerifiedFile(
                file: name, kind: "other", status: .extra, expectedBytes: nil, actualBytes: size,
                detail: "not listed in manifest.json"))
        }
        return results
    }

    private func checkFile(_ listed: ListedShard, kind: String) -> VerifiedFile {
        let path = directory + "/" + listed.file
        var result = VerifiedFile(
            file: listed.file, kind: kind, status: .ok, expectedBytes: listed.bytes, actualBytes: nil, detail: "")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            result.status = .missing
            result.detail = FileManager.default.fileExists(atPath: path) ? "unreadable" : "listed in manifest.json, not found"
            return result
        }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        var size: Int64 = 0
        while true {
            guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            chunk.withUnsafeBytes { hasher.update($0) }
            size += Int64(chunk.count)
        }
        result.actualBytes = size
        if size < listed.bytes {
            result.status = .truncated
            result.detail = "\(listed.bytes - size) bytes short"
        } else if size > listed.bytes {
            result.status = .corrupt
            result.detail = "\(size - listed.bytes) bytes longer than listed"
        } else if SHA256Hasher.hex(hasher.finalize()) != listed.sha256 {
            result.status = .corrupt
            result.detail = "sha256 differs from the manifest"
        }
        return result
    }

    /// Decodes a shard whose bytes match the manifest; a description of the problem, or nil.
    private func checkContent(_ shard: ListedShard, format: ShardFormat, indexEntry: [String: Any]?) -> String? {
        let path = directory + "/" + shard.file
        let raw: [UInt8]
        var lines: Int64 = 0
        var size: Int64 = 0
        do {
            let source = try openByteSource(path: path)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var whole: [UInt8] = []
            while true {
                let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { break }
                size += Int64(count)
                if format.isMDS {
                    whole += buffer[0..<count]
                } else {
                    for byte in buffer[0..<count] where byte == 0x0A { lines += 1 }
                }
            }
            raw = whole
        } catch {
            return "does not decode: \(error)"
        }
        if let expected = shard.uncompressedBytes, expected != size {
            return "decodes to \(size) bytes, the manifest says \(expected)"
        }
        if !format.isMDS {
            if let documents = shard.documents, documents != lines {
                return "\(lines) lines, the manifest says \(documents) documents"
            }
            return nil
        }
        guard let entry = indexEntry else { return "not described by index.json" }
        return checkMDS(raw, entry: entry, documents: shard.documents, compressedSHA256: shard.sha256)
    }

    private func checkMDS(_ raw: [UInt8], entry: [String: Any], documents: Int64?, compressedSHA256: String) -> String? {
        func u32(_ offset: Int) -> Int {
            Int(UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16 | UInt32(raw[offset + 3]) << 24)
        }
        let rawInfo = entry["raw_data"] as? [String: Any]
        let zipInfo = entry["zip_data"] as? [String: Any]
        if (rawInfo?["bytes"] as? NSNumber)?.intValue != raw.count { return "raw size differs from index.json raw_data.bytes" }
        if (rawInfo?["hashes"] as? [String: String])?["sha256"] != SHA256Hasher.hex(SHA256Hasher.digest(raw)) {
            return "raw sha256 differs from index.json"
        }
        if let zipInfo, (zipInfo["hashes"] as? [String: String])?["sha256"] != compressedSHA256 {
            return "sha256 differs from index.json zip_data"
        }
        guard raw.count >= 8 else { return "MDS shard shorter than its header" }
        let count = u32(0)
        guard 4 + 4 * (count + 1) <= raw.count else { return "MDS header claims \(count) samples, more than fit" }
        if (entry["samples"] as? NSNumber)?.intValue != count { return "\(count) samples, index.json says \(entry["samples"] ?? "nothing")" }
        if let documents, Int64(count) != documents { return "\(count) samples, the manifest says \(documents) documents" }
        var previous = 4 + 4 * (count + 1)
        for slot in 0...count {
            let offset = u32(4 + 4 * slot)
            guard offset >= previous, offset <= raw.count else { return "MDS sample offset \(slot) out of order or past the end" }
            previous = offset
        }
        if previous != raw.count { return "the last MDS offset is not the file size" }
        return nil
    }
}
