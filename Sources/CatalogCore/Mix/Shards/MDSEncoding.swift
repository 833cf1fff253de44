/// MosaicML streaming MDS: columns, sample encoding, shard bytes and index entries
/// (reference: streaming/base/format/mds, see docs/manifest.md).
struct MDSLayout: Sendable {
    /// One column: its name (the field's name), encoding and fixed size (nil if variable).
    struct Column: Sendable {
        var field: OutputField
        var name: String { field.rawValue }
        var encoding: String
        var size: Int?
    }

    /// Columns sorted by name, as MDSWriter orders them.
    let columns: [Column]
    /// `compression` in the index: "zstd" or nil.
    let compression: String?
    /// `size_limit`: the largest raw shard in bytes.
    let sizeLimit: Int64
    /// The config JSON stored inside every shard, as `json.dumps(sort_keys=True)` writes it.
    let configBytes: [UInt8]
    /// Hash algorithms listed in the index.
    static let hashes = ["sha256"]

    init(fields: [OutputField], compression: String?, sizeLimit: Int64) {
        columns = fields.map { field in
            switch field {
            case .tokens, .documentId: return Column(field: field, encoding: "int64", size: 8)
            case .quality: return Column(field: field, encoding: "float64", size: 8)
            case .meta: return Column(field: field, encoding: "json", size: nil)
            case .id, .text, .source, .domain, .lang, .component, .phase:
                return Column(field: field, encoding: "str", size: nil)
            }
        }.sorted { $0.name < $1.name }
        self.compression = compression
        self.sizeLimit = sizeLimit
        // Python's json.dumps(sort_keys=True): ", " and ": " separators.
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        let config = "{\"column_encodings\": " + list(columns.map { JSONText.quoted($0.encoding) })
            + ", \"column_names\": " + list(columns.map { JSONText.quoted($0.name) })
            + ", \"column_sizes\": " + list(columns.map { $0.size.map(String.init) ?? "null" })
            + ", \"compression\": " + (compression.map(JSONText.quoted) ?? "null")
            + ", \"format\": \"mds\", \"hashes\": " + list(Self.hashes.map(JSONText.quoted))
            + ", \"size_limit\": \(sizeLimit), \"version\": 2}"
        configBytes = Array(config.utf8)
    }

    /// Encodes `document` as one sample into `out` (cleared first): a u32 length for each
    /// variable-size column, then every column's payload, in column order, little-endian.
    func encodeSample(_ document: OutputDocument, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for column in columns where column.size == nil {
            let length = payloadLength(column.field, document)
            appendUInt32(UInt32(truncatingIfNeeded: length), to: &out)
        }
        for column in columns {
            switch column.field {
            case .id: out.append(contentsOf: document.docKey.utf8)
            case .text: out.append(contentsOf: document.text)
            case .source: out.append(contentsOf: document.source.utf8)
            case .domain: out.append(contentsOf: (document.domain ?? "").utf8)
            case .lang: out.append(contentsOf: (document.lang ?? "").utf8)
            case .component: out.append(contentsOf: document.component.utf8)
            case .phase: out.append(contentsOf: document.phase.utf8)
            case .meta: out.append(contentsOf: document.metaJSON ?? Self.null)
            case .tokens: appendUInt64(UInt64(bitPattern: Int64(document.tokens)), to: &out)
            case .documentId: appendUInt64(UInt64(bitPattern: document.documentId), to: &out)
            case .quality: appendUInt64((document.quality ?? .nan).bitPattern, to: &out)
            }
        }
    }

    private static let null: [UInt8] = Array("null".utf8)

    private func payloadLength(_ field: OutputField, _ document: OutputDocument) -> Int {
        switch field {
        case .id: return document.docKey.utf8.count
        case .text: return document.text.count
        case .source: return document.source.utf8.count
        case .domain: return (document.domain ?? "").utf8.count
        case .lang: return (document.lang ?? "").utf8.count
        case .component: return document.component.utf8.count
        case .phase: return document.phase.utf8.count
        case .meta: return document.metaJSON?.count ?? Self.null.count
        case .tokens, .documentId, .quality: return 8
        }
    }

    /// The raw size a shard starts with before any sample: `4 + 4 + len(config)` (MDSWriter's
    /// running size; each sample then adds its length plus 4 for its offset).
    var emptyShardSize: Int64 { Int64(8 + configBytes.count) }

    /// The raw shard: u32 sample count, u32 absolute offsets (count + 1), config, samples.
    func shardBytes(samples: [UInt8], sampleEnds: [Int]) -> [UInt8] {
        let count = sampleEnds.count
        let dataStart = 4 + 4 * (count + 1) + configBytes.count
        var out: [UInt8] = []
        out.reserveCapacity(dataStart + samples.count)
        appendUInt32(UInt32(count), to: &out)
        appendUInt32(UInt32(dataStart), to: &out)
        for end in sampleEnds { appendUInt32(UInt32(dataStart + end), to: &out) }
        out.append(contentsOf: configBytes)
        out.append(contentsOf: samples)
        return out
    }

    /// The index.json entry of one shard (keys sorted, as the streaming writer dumps them).
    func indexEntry(samples: Int, raw: FileInfo, zip: FileInfo?) -> OrderedJSON {
        func info(_ file: FileInfo) -> OrderedJSON {
            .object([
                ("basename", .string(file.basename)), ("bytes", .integer(file.bytes)),
                ("hashes", .object([("sha256", .string(file.sha256))])),
            ])
        }
        return .object([
            ("column_encodings", .array(columns.map { .string($0.encoding) })),
            ("column_names", .array(columns.map { .string($0.name) })),
            ("column_sizes", .array(columns.map { $0.size.map { .integer(Int64($0)) } ?? .null })),
            ("compression", .optional(compression)),
            ("format", .string("mds")),
            ("hashes", .array(Self.hashes.map { .string($0) })),
            ("raw_data", info(raw)),
            ("samples", .integer(Int64(samples))),
            ("size_limit", .integer(sizeLimit)),
            ("version", .integer(2)),
            ("zip_data", zip.map(info) ?? .null),
        ])
    }

    /// A file as index.json describes it.
    struct FileInfo: Sendable {
        var basename: String
        var bytes: Int64
        var sha256: String
    }
}

@inline(__always)
func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
}

@inline(__always)
func appendUInt64(_ value: UInt64, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
}
