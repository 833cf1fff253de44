/// What the catalog knows of an input file with a given content hash.
public struct IngestFileRecord: Sendable, Equatable {
    /// Its id.
    public let id: Int64
    /// `running` (interrupted or in progress) or `complete`.
    public let status: String
    /// The path it was added from.
    public let path: String
    /// Documents added so far.
    public let docsAdded: Int
    /// Lines read and committed so far (a resumed run skips them).
    public let linesRead: Int
    /// Lines rejected so far.
    public let linesRejected: Int
    /// Lines repaired so far.
    public let linesRepaired: Int
    /// When it completed.
    public let finishedAt: String?
    /// The field mapping it was ingested with (JSON).
    public let options: String
}

/// The counters of an ingest file, committed with its documents.
public struct IngestFileProgress: Sendable, Equatable {
    /// Lines read and committed.
    public var linesRead = 0
    /// Documents added.
    public var docsAdded = 0
    /// Lines rejected (reported with `file:line`).
    public var linesRejected = 0
    /// Lines kept after a repair (e.g. a lone surrogate replaced by U+FFFD).
    public var linesRepaired = 0

    /// Zero counters.
    public init() {}
}

/// The MinHash scheme parameters as stored in `minhash_scheme` (banding is in `lsh_banding`).
public struct MinHashSchemeRow: Sendable, Equatable {
    /// Tokens per shingle.
    public var shingleSize: Int
    /// Number of permutations (signature length).
    public var permutations: Int
    /// Seed of the permutation parameters.
    public var seed: UInt64
    /// Normalisation version.
    public var normalisation: String
    /// Hash family name.
    public var hashFamily: String

    /// A scheme row.
    public init(shingleSize: Int, permutations: Int, seed: UInt64, normalisation: String, hashFamily: String) {
        self.shingleSize = shingleSize
        self.permutations = permutations
        self.seed = seed
        self.normalisation = normalisation
        self.hashFamily = hashFamily
    }
}

/// The columns of one new document row.
public struct DocumentRow {
    /// Its source.
    public var sourceID: Int64
    /// The input file.
    public var ingestFileID: Int64
    /// 1-based line in the input.
    public var lineNumber: Int
    /// The stable key within the source.
    public var key: String
    /// Domain, if known.
    public var domain: String?
    /// Language, if given.
    public var lang: String?
    /// UTF-8 bytes of the text.
    public var bytes: Int
    /// Estimated tokens.
    public var tokens: Int
    /// Quality score, if given.
    public var quality: Double?

    /// A row.
    public init(
        sourceID: Int64, ingestFileID: Int64, lineNumber: Int, key: String, domain: String?, lang: String?,
        bytes: Int, tokens: Int, quality: Double?
    ) {
        self.sourceID = sourceID
        self.ingestFileID = ingestFileID
        self.lineNumber = lineNumber
        self.key = key
        self.domain = domain
        self.lang = lang
        self.bytes = bytes
        self.tokens = tokens
        self.quality = quality
    }
}

/// The writes of `catalog add`: sources, provenance, documents, texts, signatures and bands.
///
/// Holds persistent prepared statements; one instance on the single writer thread.
public final class IngestStore {
    /// The catalog written to.
    public let catalog: Catalog
    private var connection: SQLiteConnection { catalog.connection }
    private let insertDocumentStatement: SQLiteStatement
    private let firstWithHashStatement: SQLiteStatement
    private let insertTextStatement: SQLiteStatement
    private let insertMetaStatement: SQLiteStatement
    private let insertSignatureStatement: SQLiteStatement
    private let copyWithHashStatement: SQLiteStatement
    private let copyTextStatement: SQLiteStatement
    private let signatureStatement: SQLiteStatement
    private let updateProgressStatement: SQLiteStatement
    private let insertProblemStatement: SQLiteStatement

    /// Prepares the statements on `catalog`.
    public init(catalog: Catalog) throws(StoreError) {
        self.catalog = catalog
        let connection = catalog.connection
        insertDocumentStatement = try connection.prepare(StoreSQL.Ingest.insertDocument, persistent: true)
        firstWithHashStatement = try connection.prepare(StoreSQL.Ingest.firstWithContentHash, persistent: true)
        insertTextStatement = try connection.prepare(StoreSQL.Ingest.insertText, persistent: true)
        insertMetaStatement = try connection.prepare(StoreSQL.Ingest.insertMeta, persistent: true)
        insertSignatureStatement = try connection.prepare(StoreSQL.Ingest.insertSignature, persistent: true)
        copyWithHashStatement = try connection.prepare(StoreSQL.Ingest.copyWithContentHash, persistent: true)
        copyTextStatement = try connection.prepare(StoreSQL.Ingest.copyText, persistent: true)
        signatureStatement = try connection.prepare(StoreSQL.Ingest.signature, persistent: true)
        updateProgressStatement = try connection.prepare(StoreSQL.Ingest.updateFileProgress, persistent: true)
        insertProblemStatement = try connection.prepare(StoreSQL.Ingest.insertProblem, persistent: true)
    }


    // MARK: Sources, schemes, dictionaries

    /// The id of source `name`, creating it (with `defaultDomain`) when new.
    public func sourceID(named name: String, defaultDomain: String?) throws(StoreError) -> Int64 {
        if let id = try connection.scalarInt(StoreSQL.Ingest.findSource, [.text(name)]) { return id }
        try connection.prepare(StoreSQL.Ingest.insertSource).run([
            .text(name), .optionalText(defaultDomain), .text(Clock.timestamp()),
        ])
        return connection.lastInsertRowID
    }

    /// The id of an existing source, or nil.
    public func existingSourceID(named name: String) throws(StoreError) -> Int64? {
        try connection.scalarInt(StoreSQL.Ingest.findSource, [.text(name)])
    }

    /// The default domain of a source.
    public func defaultDomain(ofSource id: Int64) throws(StoreError) -> String? {
        try connection.scalarText(StoreSQL.Ingest.sourceDefaultDomain, [.integer(id)])
    }

    /// The id of the MinHash scheme, recording it when new.
    public func schemeID(for scheme: MinHashSchemeRow) throws(StoreError) -> Int64 {
        let values: [SQLValue] = [
            .integer(Int64(scheme.shingleSize)), .integer(Int64(scheme.permutations)),
            .integer(Int64(bitPattern: scheme.seed)), .text(scheme.normalisation), .text(scheme.hashFamily),
        ]
        if let id = try connection.scalarInt(StoreSQL.Ingest.findScheme, values) { return id }
        try connection.prepare(StoreSQL.Ingest.insertScheme).run(values + [.text(Clock.timestamp())])
        return connection.lastInsertRowID
    }

    /// The id of a banding of a scheme's signatures, recording it when new.
    public func bandingID(schemeID: Int64, bands: Int, rowsPerBand: Int) throws(StoreError) -> Int64 {
        let values: [SQLValue] = [.integer(schemeID), .integer(Int64(bands)), .integer(Int64(rowsPerBand))]
        if let id = try connection.scalarInt(StoreSQL.Ingest.findBanding, values) { return id }
        try connection.prepare(StoreSQL.Ingest.insertBanding).run(values + [.text(Clock.timestamp())])
        return connection.lastInsertRowID
    }

    /// The trained dictionary of a source: its id and bytes.
    public func dictionary(ofSource sourceID: Int64) throws(StoreError) -> (id: Int64, bytes: [UInt8])? {
        let statement = try connection.prepare(StoreSQL.Ingest.findDictionary)
        try statement.bind([.integer(sourceID)])
        guard try statement.step() else { return nil }
        return (statement.int64(0), statement.blob(1))
    }

    /// Every source's dictionary: source name, dictionary id and bytes.
    public func allDictionaries() throws(StoreError) -> [(source: String, id: Int64, bytes: [UInt8])] {
        let statement = try connection.prepare(StoreSQL.Ingest.allDictionaries)
        var result: [(source: String, id: Int64, bytes: [UInt8])] = []
        while try statement.step() {
            result.append((statement.text(0), statement.int64(1), statement.blob(2)))
        }
        return result
    }

    /// Stores the dictionary trained for a source; returns its id.
    public func storeDictionary(
        sourceID: Int64, frameDictionaryID: UInt32, bytes: [UInt8], sampleDocs: Int, sampleBytes: Int
    ) throws(StoreError) -> Int64 {
        try connection.prepare(StoreSQL.Ingest.insertDictionary).run([
            .integer(sourceID), .integer(Int64(frameDictionaryID)), .blob(bytes), .integer(Int64(sampleDocs)),
            .integer(Int64(sampleBytes)), .text(Clock.timestamp()),
        ])
        return connection.lastInsertRowID
    }

    // MARK: Ingest files

    /// The complete or running ingest of a file with this content hash, if any.
    public func ingestFile(withSHA256 sha256: String) throws(StoreError) -> IngestFileRecord? {
        let statement = try connection.prepare(StoreSQL.Ingest.findFileBySHA256)
        try statement.bind([.text(sha256)])
        guard try statement.step() else { return nil }
        return IngestFileRecord(
            id: statement.int64(0), status: statement.text(1), path: statement.text(2), docsAdded: statement.int(3),
            linesRead: statement.int(4), linesRejected: statement.int(5), linesRepaired: statement.int(6),
            finishedAt: statement.optionalText(7), options: statement.text(8))
    }

    /// The sizes of the files `ingestFile(withSHA256:)` can find (complete or running): a file
    /// of another size cannot be one of them.
    public func recordedFileSizes() throws(StoreError) -> Set<Int> {
        let statement = try connection.prepare(StoreSQL.Ingest.recordedFileSizes)
        var sizes = Set<Int>()
        while try statement.step() { sizes.insert(statement.int(0)) }
        return sizes
    }

    /// Records the size and sha256 of ingest file `id`, begun before its hash was known.
    public func setIngestFileFingerprint(_ id: Int64, bytes: Int, sha256: String) throws(StoreError) {
        try connection.prepare(StoreSQL.Ingest.setFileFingerprint).run([.integer(Int64(bytes)), .text(sha256), .integer(id)])
    }

    /// Records a new running ingest; returns its id.
    public func beginIngestFile(
        path: String, bytes: Int, sha256: String, format: String, sourceID: Int64?, options: String
    ) throws(StoreError) -> Int64 {
        try connection.prepare(StoreSQL.Ingest.insertFile).run([
            .text(path), .integer(Int64(bytes)), .text(sha256), .text(format),
            sourceID.map { .integer($0) } ?? .null, .text(options), .text(Clock.timestamp()),
        ])
        return connection.lastInsertRowID
    }

    /// Notes that an interrupted ingest is being resumed (from `path`).
    public func resumeIngestFile(_ id: Int64, path: String) throws(StoreError) {
        try connection.prepare(StoreSQL.Ingest.resumeFile).run([.text(path), .text(Clock.timestamp()), .integer(id)])
    }

    /// Starts an interrupted ingest over with other options: its rows, problems and counters
    /// go, in one transaction.
    public func restartIngestFile(
        _ id: Int64, path: String, options: String, sourceID: Int64?, format: String
    ) throws(StoreError) {
        try connection.begin()
        do {
            try deleteDocuments(ofIngestFile: id)
            try connection.prepare(StoreSQL.Ingest.deleteFileProblems).run([.integer(id)])
            try connection.prepare(StoreSQL.Ingest.restartFile).run([
                .text(path), .text(Clock.timestamp()), .text(options), sourceID.map { .integer($0) } ?? .null,
                .text(format), .integer(id),
            ])
            try connection.commit()
        } catch {
            connection.rollbackIfOpen()
            throw error
        }
    }

    /// Ingests left `running` by an interrupted run: id, path and documents committed.
    public func runningIngestFiles() throws(StoreError) -> [(id: Int64, path: String, docs: Int)] {
        let statement = try connection.prepare(StoreSQL.Ingest.runningFiles)
        var files: [(id: Int64, path: String, docs: Int)] = []
        while try statement.step() { files.append((statement.int64(0), statement.text(1), statement.int(2))) }
        return files
    }

    /// Saves the counters of a running ingest (in the same transaction as its documents).
    public func saveProgress(_ progress: IngestFileProgress, of id: Int64) throws(StoreError) {
        try updateProgressStatement.run([
            .integer(Int64(progress.linesRead)), .integer(Int64(progress.docsAdded)),
            .integer(Int64(progress.linesRejected)), .integer(Int64(progress.linesRepaired)), .integer(id),
        ])
    }

    /// Marks an ingest complete or failed.
    public func finishIngestFile(_ id: Int64, status: String, error: String?) throws(StoreError) {
        try connection.prepare(StoreSQL.Ingest.finishFile).run([
            .text(status), .optionalText(error), .text(Clock.timestamp()), .integer(id),
        ])
    }

    /// Records a per-line problem.
    public func recordProblem(ingestFileID: Int64, line: Int, severity: String, reason: String) throws(StoreError) {
        try insertProblemStatement.run([.integer(ingestFileID), .integer(Int64(line)), .text(severity), .text(reason)])
    }

    /// Problems recorded for an ingest file.
    public func problemCount(ingestFileID: Int64) throws(StoreError) -> Int {
        Int(try connection.scalarInt(StoreSQL.Ingest.countProblems, [.integer(ingestFileID)]) ?? 0)
    }

    /// Deletes every document (and its text, metadata, signature, bands and quality signals) of an ingest file;
    /// its recorded problems stay.
    public func deleteDocuments(ofIngestFile id: Int64) throws(StoreError) {
        for sql in [
            StoreSQL.Ingest.clearDuplicateMarks, StoreSQL.Ingest.deleteFileBands, StoreSQL.Ingest.deleteFileRecentBands,
            StoreSQL.Ingest.deleteFileSignatures,
            StoreSQL.Ingest.deleteFileTexts, StoreSQL.Ingest.deleteFileMeta, StoreSQL.Ingest.deleteFileQualitySignals,
            StoreSQL.Ingest.deleteFileDocuments,
        ] {
            try connection.prepare(sql).run([.integer(id)])
        }
    }

    // MARK: Documents

    /// The first document with this content hash among complete files and file `currentFileID`.
    public func firstDocument(
        withContentHash hash: UnsafeRawBufferPointer, currentFileID: Int64
    ) throws(StoreError) -> Int64? {
        let statement = firstWithHashStatement
        defer { statement.reset() }
        try statement.bindStaticBlob(hash, at: 1)
        try statement.bind(currentFileID, at: 2)
        return try statement.step() ? statement.int64(0) : nil
    }

    /// Inserts a document row; nil when its key is already taken in its source.
    public func insertDocument(
        _ row: DocumentRow, contentHash: UnsafeRawBufferPointer, duplicateOf: Int64?
    ) throws(StoreError) -> Int64? {
        let statement = insertDocumentStatement
        defer { statement.reset() }
        try statement.bind(row.sourceID, at: 1)
        try statement.bind(row.ingestFileID, at: 2)
        try statement.bind(row.lineNumber, at: 3)
        try statement.bind(row.key, at: 4)
        if let domain = row.domain { try statement.bind(domain, at: 5) } else { try statement.bindNull(at: 5) }
        if let lang = row.lang { try statement.bind(lang, at: 6) } else { try statement.bindNull(at: 6) }
        try statement.bind(row.bytes, at: 7)
        try statement.bind(row.tokens, at: 8)
        if let quality = row.quality { try statement.bind(quality, at: 9) } else { try statement.bindNull(at: 9) }
        try statement.bindStaticBlob(contentHash, at: 10)
        if let duplicateOf { try statement.bind(duplicateOf, at: 11) } else { try statement.bindNull(at: 11) }
        try statement.step()
        return connection.changes == 0 ? nil : connection.lastInsertRowID
    }

    /// Stores a document's compressed text.
    public func insertText(documentID: Int64, dictID: Int64?, frame: UnsafeRawBufferPointer) throws(StoreError) {
        let statement = insertTextStatement
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        if let dictID { try statement.bind(dictID, at: 2) } else { try statement.bindNull(at: 2) }
        try statement.bindStaticBlob(frame, at: 3)
        try statement.step()
    }

    /// Stores a document's metadata JSON.
    public func insertMeta(documentID: Int64, json: UnsafeRawBufferPointer) throws(StoreError) {
        let statement = insertMetaStatement
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        try statement.bindStaticText(json, at: 2)
        try statement.step()
    }

    /// Stores a document's signature (little-endian uint32 values).
    public func insertSignature(schemeID: Int64, documentID: Int64, signature: UnsafeRawBufferPointer) throws(StoreError) {
        let statement = insertSignatureStatement
        defer { statement.reset() }
        try statement.bind(schemeID, at: 1)
        try statement.bind(documentID, at: 2)
        try statement.bindStaticBlob(signature, at: 3)
        try statement.step()
    }

    /// The highest document id in the catalog (0 when empty).
    public func lastDocumentID() throws(StoreError) -> Int64 {
        try connection.scalarInt(StoreSQL.Ingest.lastDocumentID) ?? 0
    }

    /// The first document after `afterID` with content hash `hash` whose frame was compressed
    /// with dictionary `dictID` (nil: none), if any.
    public func document(
        withContentHash hash: UnsafeRawBufferPointer, after afterID: Int64, dictID: Int64?
    ) throws(StoreError) -> Int64? {
        let statement = copyWithHashStatement
        defer { statement.reset() }
        try statement.bindStaticBlob(hash, at: 1)
        try statement.bind(afterID, at: 2)
        if let dictID { try statement.bind(dictID, at: 3) } else { try statement.bindNull(at: 3) }
        return try statement.step() ? statement.int64(0) : nil
    }

    /// Stores document `source`'s text row (dictionary and frame) as document `target`'s too.
    public func copyText(from source: Int64, to target: Int64) throws(StoreError) {
        let statement = copyTextStatement
        defer { statement.reset() }
        try statement.bind(target, at: 1)
        try statement.bind(source, at: 2)
        try statement.step()
    }

    /// The signature of `documentID` under scheme `schemeID`, if stored.
    public func signature(of documentID: Int64, schemeID: Int64) throws(StoreError) -> [UInt8]? {
        let statement = signatureStatement
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        try statement.bind(schemeID, at: 2)
        return try statement.step() ? statement.blob(0) : nil
    }

}
