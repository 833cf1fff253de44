import Foundation

/// Writes documents, in the order given, into rotating shard files inside a temporary
/// directory; `finish` writes `manifest.json` last and renames the directory into place.
///
/// - **Rotation**: a shard ends when the next document's record would take its uncompressed
///   size past `shardSizeBytes` (a shard always holds at least one document). For MDS this
///   is MDSWriter's `size_limit` rule: the raw shard, header and offsets included, stays
///   within the limit. A change of `phase` always starts a new shard, so every shard belongs
///   to exactly one phase.
/// - **Names**: `shard-00000.jsonl[.zst|.gz]`; MDS `shard.00000.mds[.zstd]` plus `index.json`.
/// - **Determinism**: the bytes of every file except `manifest.json`'s `created_at` depend only
///   on the documents, the settings and the format; not on `threads` (see `ZstdShardStream`).
/// - **Nothing half-written is visible**: until `finish` returns, only the temporary sibling
///   `.NAME.tmp-PID-N` exists; `abandon` (or dropping the writer unfinished) deletes it. Files
///   are fsync'd before the rename. See `OutputDirectory` for the overwrite rules.
///
/// Not thread-safe: one caller thread writes; compression runs on zstd's worker threads (two
/// contexts, used in turn shard after shard), and one background thread finishes the previous
/// shard (JSONL: the end of its frame, header patch, SHA-256 and fsync; MDS: compression too)
/// while the next is written.
public final class ShardSetWriter {
    /// The shard format.
    public let format: ShardFormat
    /// The largest uncompressed shard in bytes.
    public let shardSizeBytes: Int64
    /// The fields written, in order (JSONL key order; MDS sorts its columns by name).
    public let fields: [OutputField]
    /// Compression threads (zstd workers); output does not depend on it.
    public let threads: Int
    /// The zstd level (3) or gzip level (6); nil for uncompressed formats.
    public let compressionLevel: Int32?

    private let directory: OutputDirectory
    private let mdsLayout: MDSLayout?
    private let fieldKeys: [[UInt8]]
    /// The current MDS sample.
    private var record: [UInt8] = []
    /// The current JSON line.
    private let line = ByteBuilder(capacity: 1 << 16)
    /// The zstd contexts of the JSONL shards, two used in turn (shard n takes context n % 2) so
    /// one shard's frame can be ended in the background while the next one starts; their
    /// worker threads and buffers live as long as the writer.
    private var zstdContexts: [ZstdStreamContext] = []
    private var current: OpenShard?
    private var shardsOpened = 0
    private var summaries: [ShardSummary] = []
    private var indexEntries: [OrderedJSON] = []
    private var pendingMDS: BackgroundTask<ClosedMDSShard>?
    /// The previous JSONL shard being hashed and synced, and its slot in `summaries`.
    private var pendingSeal: (task: BackgroundTask<ClosedShardFile>, slot: Int)?
    private var state = State.open

    private enum State { case open, closed }

    private struct OpenShard {
        var file: String
        var phase: String
        var documents: Int64 = 0
        var tokens: Int64 = 0
        /// Uncompressed size: JSONL bytes, or MDS's running size (file size minus the last offset word).
        var size: Int64
        var components: [ShardComponentCount] = []
        var componentIndex: [String: Int] = [:]
        var stream: JSONLShardStream?
        var samples: [UInt8] = []
        var sampleEnds: [Int] = []
    }

    private struct ClosedMDSShard: Sendable {
        var bytes: Int64
        var sha256: String
        var entry: IndexEntryParts
    }

    private struct IndexEntryParts: Sendable {
        var samples: Int
        var raw: MDSLayout.FileInfo
        var zip: MDSLayout.FileInfo?
    }

    /// Where shards are being written before `finish` (for tests and messages).
    public var temporaryPath: String { directory.temporary }
    /// The directory published by `finish`.
    public var outputPath: String { directory.target }

    /// Prepares to write into `directory`.
    ///
    /// Fails at once when `directory` exists and is not empty (unless `overwrite`), is not a
    /// directory, or its parent cannot be written; removes temporary directories left next to
    /// it by interrupted runs. `threads` is the number of compression workers (≥ 1 is used).
    public init(
        directory: String, format: ShardFormat, shardSizeBytes: Int64, fields: [OutputField], overwrite: Bool,
        threads: Int
    ) throws {
        guard shardSizeBytes > 0 else { throw ShardError.invalidUse("the shard size must be positive") }
        guard !fields.isEmpty else { throw ShardError.invalidUse("no output fields selected") }
        guard Set(fields).count == fields.count else {
            throw ShardError.invalidUse("an output field is listed twice: \(fields.map(\.rawValue))")
        }
        if format.isMDS, shardSizeBytes >= 1 << 32 {
            throw ShardError.invalidUse("MDS shards must stay below 4 GiB (the format's offsets are 32-bit); use a smaller shard size")
        }
        self.format = format
        self.shardSizeBytes = shardSizeBytes
        self.fields = fields
        self.threads = max(1, threads)
        switch format {
        case .jsonlZstd, .mds: compressionLevel = 3
        case .jsonlGzip: compressionLevel = 6
        case .jsonl, .mdsUncompressed: compressionLevel = nil
        }
        mdsLayout = format.isMDS
            ? MDSLayout(fields: fields, compression: format.compression, sizeLimit: shardSizeBytes) : nil
        fieldKeys = fields.map { field in
            var key: [UInt8] = []
            JSONText.appendQuoted(field.rawValue, to: &key)
            key.append(0x3A)
            return key
        }
        self.directory = try OutputDirectory(target: directory, overwrite: overwrite)
    }

    deinit {
        if state == .open { abandon() }
    }

    /// Writes the next document, starting a new shard first when the phase changes or the
    /// current shard is full. After an error the writer is abandoned (nothing is published).
    public func write(_ document: OutputDocument) throws {
        guard state == .open else { throw ShardError.invalidUse("write after finish or abandon") }
        do {
            try append(document)
        } catch {
            abandon()
            throw error
        }
    }

    private func append(_ document: OutputDocument) throws {
        if let layout = mdsLayout {
            layout.encodeSample(document, into: &record)
            let size = layout.emptyShardSize + Int64(record.count) + 4
            guard size < 1 << 32 else {
                throw ShardError.documentTooLarge(docKey: document.docKey, bytes: record.count, limit: Int(UInt32.max))
            }
        } else {
            encodeJSONLine(document)
        }
        let recordSize = Int64(mdsLayout == nil ? line.count : record.count)
        if let shard = current {
            let full: Bool
            if let layout = mdsLayout {
                full = layout.sizeLimit < shard.size + recordSize + 4
            } else {
                full = shard.size + recordSize > shardSizeBytes
            }
            if full || shard.phase != document.phase { try closeCurrent() }
        }
        if current == nil { try openShard(phase: document.phase) }
        guard var shard = current else { return }
        current = nil
        if let stream = shard.stream {
            try stream.append(line.bytes)
            shard.size += recordSize
        } else {
            shard.samples.append(contentsOf: record)
            shard.sampleEnds.append(shard.samples.count)
            shard.size += Int64(record.count) + 4
        }
        shard.documents += 1
        shard.tokens += Int64(document.tokens)
        if let slot = shard.componentIndex[document.component] {
            shard.components[slot].documents += 1
            shard.components[slot].tokens += Int64(document.tokens)
        } else {
            shard.componentIndex[document.component] = shard.components.count
            shard.components.append(ShardComponentCount(
                component: document.component, documents: 1, tokens: Int64(document.tokens)))
        }
        current = shard
    }

    /// Closes the last shard, writes `index.json` (MDS) and then `manifest.json`, flushes
    /// everything to disk and renames the temporary directory to the output directory.
    /// Returns the shards as the manifest lists them. On failure the temporary directory is
    /// removed and nothing is published.
    public func finish(manifestHeader: ManifestHeader, components: [ManifestComponent]) throws -> [ShardSummary] {
        guard state == .open else { throw ShardError.invalidUse("finish after finish or abandon") }
        do {
            if let extra = manifestHeader.extraJSON {
                let parsed = try? JSONSerialization.jsonObject(with: Data(extra.utf8))
                guard parsed is [String: Any] else {
                    throw ShardError.invalidUse("the manifest's extra JSON is not a JSON object")
                }
            }
            if current != nil { try closeCurrent() }
            try collectPendingSeal()
            try collectPendingMDS()
            var files: [ManifestFile] = []
            if mdsLayout != nil {
                let index = OrderedJSON.object([("shards", .array(indexEntries)), ("version", .integer(2))])
                files.append(try writeSmallFile("index.json", Array(index.rendered(pretty: true).utf8)))
            }
            let manifest = ManifestRenderer.render(
                header: manifestHeader,
                output: .init(
                    format: format, compressionLevel: compressionLevel, shardSizeBytes: shardSizeBytes, fields: fields),
                components: components, shards: summaries, files: files)
            _ = try writeSmallFile("manifest.json", Array(manifest.utf8))
            try directory.publish()
            state = .closed
            return summaries
        } catch {
            abandon()
            throw error
        }
    }

    /// Stops writing and deletes the temporary directory; nothing is published.
    public func abandon() {
        state = .closed
        current = nil
        _ = try? pendingMDS?.value()
        pendingMDS = nil
        _ = try? pendingSeal?.task.value()
        pendingSeal = nil
        directory.abandon()
    }

    private func writeSmallFile(_ name: String, _ bytes: [UInt8]) throws -> ManifestFile {
        let file = try OutputFile(creating: directory.temporary + "/" + name)
        try file.write(bytes)
        try file.close()
        return ManifestFile(file: name, bytes: Int64(bytes.count), sha256: SHA256Hasher.hex(SHA256Hasher.digest(bytes)))
    }

    private func openShard(phase: String) throws {
        let name = format.shardFileName(shardsOpened)
        shardsOpened += 1
        let path = directory.temporary + "/" + name
        var shard = OpenShard(file: name, phase: phase, size: mdsLayout?.emptyShardSize ?? 0)
        switch format {
        case .jsonl: shard.stream = try PlainShardStream(path: path)
        case .jsonlZstd:
            // The shard two before this one, the last user of the context, was collected when
            // the previous shard closed (one shard in flight).
            let slot = (shardsOpened - 1) % 2
            if zstdContexts.count <= slot {
                zstdContexts.append(try ZstdStreamContext(level: compressionLevel ?? 3, workers: threads, path: path))
            }
            shard.stream = try ZstdShardStream(path: path, context: zstdContexts[slot])
        case .jsonlGzip: shard.stream = try GzipShardStream(path: path, level: compressionLevel ?? 6)
        case .mds, .mdsUncompressed: break
        }
        current = shard
    }

    private func closeCurrent() throws {
        guard let shard = current else { return }
        current = nil
        var summary = ShardSummary(
            file: shard.file, phase: shard.phase, bytes: 0, sha256: "", uncompressedBytes: 0,
            documents: shard.documents, tokens: shard.tokens, components: shard.components)
        if let stream = shard.stream {
            // End the frame, hash and sync the file on another thread while the next shard is
            // written (with the other zstd context); one shard in flight.
            try collectPendingSeal()
            summaries.append(summary)
            let box = UncheckedBox(stream)
            pendingSeal = (BackgroundTask {
                try box.value.endData()
                return try box.value.seal()
            }, summaries.count - 1)
            return
        }
        guard let layout = mdsLayout else { return }
        // The previous shard's compression must be done before this one starts (one in flight).
        try collectPendingMDS()
        let raw = layout.shardBytes(samples: shard.samples, sampleEnds: shard.sampleEnds)
        summary.uncompressedBytes = Int64(raw.count)
        summaries.append(summary)
        let directoryPath = directory.temporary
        let compressed = format.compression != nil
        let level = compressionLevel ?? 3
        let workers = threads
        let rawName = compressed ? String(shard.file.dropLast(".zstd".count)) : shard.file
        let samples = shard.sampleEnds.count
        let fileName = shard.file
        pendingMDS = BackgroundTask {
            let rawInfo = MDSLayout.FileInfo(
                basename: rawName, bytes: Int64(raw.count), sha256: SHA256Hasher.hex(SHA256Hasher.digest(raw)))
            let path = directoryPath + "/" + fileName
            let bytes = compressed ? try zstdCompressWhole(raw, level: level, workers: workers, path: path) : raw
            let file = try OutputFile(creating: path)
            try file.write(bytes)
            try file.close()
            let info = compressed
                ? MDSLayout.FileInfo(basename: fileName, bytes: Int64(bytes.count), sha256: SHA256Hasher.hex(SHA256Hasher.digest(bytes)))
                : rawInfo
            return ClosedMDSShard(
                bytes: info.bytes, sha256: info.sha256,
                entry: IndexEntryParts(samples: samples, raw: rawInfo, zip: compressed ? info : nil))
        }
    }

    private func collectPendingSeal() throws {
        guard let (task, slot) = pendingSeal else { return }
        pendingSeal = nil
        let closed = try task.value()
        summaries[slot].bytes = closed.bytes
        summaries[slot].sha256 = closed.sha256
        summaries[slot].uncompressedBytes = closed.uncompressedBytes
    }

    private func collectPendingMDS() throws {
        guard let pending = pendingMDS, let layout = mdsLayout else { return }
        pendingMDS = nil
        let closed = try pending.value()
        // Pending shards finish in order, and each is the latest summary's or the one before.
        guard let slot = summaries.lastIndex(where: { $0.sha256.isEmpty }) else { return }
        summaries[slot].bytes = closed.bytes
        summaries[slot].sha256 = closed.sha256
        indexEntries.append(layout.indexEntry(samples: closed.entry.samples, raw: closed.entry.raw, zip: closed.entry.zip))
    }

    /// Encodes `document` as one JSON line into `line`: the selected fields in order.
    private func encodeJSONLine(_ document: OutputDocument) {
        var line = self.line
        line.removeAll()
        line.append(0x7B)
        for (position, field) in fields.enumerated() {
            if position > 0 { line.append(0x2C) }
            fieldKeys[position].withUnsafeBytes { line.append(bytes: $0) }
            switch field {
            case .id: JSONText.appendQuoted(document.docKey, to: &line)
            case .text: document.text.withUnsafeBytes { JSONText.appendQuoted($0, to: &line) }
            case .source: JSONText.appendQuoted(document.source, to: &line)
            case .domain: appendOptional(document.domain, to: &line)
            case .lang: appendOptional(document.lang, to: &line)
            case .tokens: JSONText.appendInteger(Int64(document.tokens), to: &line)
            case .quality:
                if let quality = document.quality {
                    JSONText.appendNumber(quality, to: &line)
                } else {
                    JSONText.appendNull(to: &line)
                }
            case .meta:
                if let meta = document.metaJSON, !meta.isEmpty {
                    line.append(contentsOf: meta)
                } else {
                    JSONText.appendNull(to: &line)
                }
            case .component: JSONText.appendQuoted(document.component, to: &line)
            case .phase: JSONText.appendQuoted(document.phase, to: &line)
            case .documentId: JSONText.appendInteger(document.documentId, to: &line)
            }
        }
        line.append(0x7D)
        line.append(0x0A)
    }

    private func appendOptional(_ value: String?, to line: inout ByteBuilder) {
        if let value { JSONText.appendQuoted(value, to: &line) } else { JSONText.appendNull(to: &line) }
    }
}
