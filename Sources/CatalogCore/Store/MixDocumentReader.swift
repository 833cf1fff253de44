/// What materialize writes of one document besides what sampling already knows.
public struct MixDocumentContent: Sendable {
    /// `document.domain`.
    public var domain: String?
    /// `document.lang`.
    public var lang: String?
    /// `document.quality`.
    public var quality: Double?
    /// The text, UTF-8.
    public var text: [UInt8]
    /// The input's other fields as a JSON object, when it had any.
    public var metaJSON: [UInt8]?
}

/// Reads documents' texts (zstd frames, per-source dictionaries) and columns for materialize.
/// Belongs to one thread, like its connection.
public final class MixDocumentReader {
    /// Kept alive for `texts`, which holds it unowned.
    private let connection: SQLiteConnection
    private let statement: SQLiteStatement
    private let texts: DocumentTextReader

    /// A reader on `catalog`'s connection.
    public init(catalog: Catalog) throws(StoreError) {
        connection = catalog.connection
        statement = try connection.prepare(StoreSQL.MixText.document, persistent: true)
        texts = DocumentTextReader(connection: connection)
    }

    /// The content of `documentID`, or nil when the catalog no longer has it.
    public func content(of documentID: Int64) throws -> MixDocumentContent? {
        statement.reset()
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        guard try statement.step() else { return nil }
        let dictionaryID = statement.isNull(3) ? nil : statement.int64(3)
        let text = try statement.withBlob(4) { try texts.decompress($0, dictionaryID: dictionaryID) }
        return MixDocumentContent(
            domain: statement.optionalText(0), lang: statement.optionalText(1),
            quality: statement.isNull(2) ? nil : statement.double(2), text: text,
            metaJSON: statement.isNull(5) ? nil : statement.withBlob(5) { Array($0) })
    }
}

/// A digest of what the catalog holds, written into manifests and mix runs.
///
/// sha256 over lines: `schema <user_version>`, one `file <content_sha256>` per completely
/// ingested file in sha256 order, and `documents <count> <sum duplicate_of> <duplicates>
/// <total quality> <qualities> <sum cluster_id>` over their documents. It changes when files
/// are added or rolled back, when dedup marks change, and when quality scores change; it does not
/// depend on paths, row order or when things were done.
public enum CatalogFingerprint {
    /// The fingerprint of `catalog`, lowercase hex.
    public static func compute(_ catalog: Catalog) throws(StoreError) -> String {
        let connection = catalog.connection
        var text = "schema \(try connection.scalarInt(StoreSQL.Fingerprint.schemaVersion) ?? 0)\n"
        let files = try connection.prepare(StoreSQL.Fingerprint.completeFiles)
        while try files.step() { text += "file \(files.text(0))\n" }
        let state = try connection.prepare(StoreSQL.Fingerprint.documentState)
        if try state.step() {
            text += "documents \(state.int64(0)) \(state.int64(1)) \(state.int64(2)) \(state.double(3)) \(state.int64(4)) \(state.int64(5))\n"
        }
        return SHA256Hasher.hex(SHA256Hasher.digest(Array(text.utf8)))
    }
}
