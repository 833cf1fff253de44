/// What clustering needs to know of one visible document.
public struct DedupDocument: Sendable {
    /// Its id.
    public var id: Int64
    /// Its source.
    public var sourceID: Int64
    /// Its domain.
    public var domain: String?
    /// First 8 bytes of its content hash (exact-copy grouping; collisions are checked on all 16).
    public var contentHash: (UInt64, UInt64)
    /// Its input file.
    public var ingestFileID: Int64
    /// Estimated tokens.
    public var tokens: Int
    /// Current `duplicate_of`.
    public var duplicateOf: Int64?
    /// Current `cluster_id`.
    public var clusterID: Int64?
}

/// A verified near-duplicate edge.
public struct DedupEdge: Sendable, Equatable {
    /// The smaller document id.
    public var a: Int64
    /// The larger document id.
    public var b: Int64
    /// Estimated Jaccard of their signatures.
    public var similarity: Double
}

/// What a recorded dedup run clustered with.
public struct DedupRunSettings: Sendable, Equatable {
    /// Its threshold.
    public var threshold: Double
    /// The similarity down to which edges were stored.
    public var floor: Double
    /// Its scope.
    public var scope: String
    /// Its keep policy.
    public var keep: String
    /// Whether it split clusters into stars.
    public var star: Bool
    /// The banding its candidates came from.
    public var bandingID: Int64
}

/// A cluster as recorded in `dedup_cluster`.
public struct DedupClusterRow: Sendable, Equatable {
    /// The cluster id (the canonical's document id).
    public var id: Int64
    /// The canonical document.
    public var canonical: Int64
    /// Members including the canonical.
    public var size: Int
    /// Why it was flagged, if it was.
    public var warning: String?
}

/// The reads and writes of `catalog dedup`.
public final class DedupStore {
    /// The catalog.
    public let catalog: Catalog
    private var connection: SQLiteConnection { catalog.connection }
    private let signatureStatement: SQLiteStatement
    private let insertEdgeStatement: SQLiteStatement
    private let updateDocumentStatement: SQLiteStatement
    private let edgesOfStatement: SQLiteStatement
    private let exactCopiesStatement: SQLiteStatement
    private let documentStatement: SQLiteStatement
    private let documentsWithContentHashStatement: SQLiteStatement
    private let edgesFromStatement: SQLiteStatement
    private let edgeEndsToStatement: SQLiteStatement
    private let clusterWarningStatement: SQLiteStatement

    /// Prepares the statements.
    public init(catalog: Catalog) throws(StoreError) {
        self.catalog = catalog
        let connection = catalog.connection
        signatureStatement = try connection.prepare(StoreSQL.Dedup.signature, persistent: true)
        insertEdgeStatement = try connection.prepare(StoreSQL.Dedup.insertEdge, persistent: true)
        updateDocumentStatement = try connection.prepare(StoreSQL.Dedup.updateDocument, persistent: true)
        edgesOfStatement = try connection.prepare(StoreSQL.Dedup.edgesOf, persistent: true)
        exactCopiesStatement = try connection.prepare(StoreSQL.Dedup.exactCopies, persistent: true)
        documentStatement = try connection.prepare(StoreSQL.Dedup.document, persistent: true)
        documentsWithContentHashStatement = try connection.prepare(StoreSQL.Dedup.documentsWithContentHash, persistent: true)
        edgesFromStatement = try connection.prepare(StoreSQL.Dedup.edgesFrom, persistent: true)
        edgeEndsToStatement = try connection.prepare(StoreSQL.Dedup.edgeEndsTo, persistent: true)
        clusterWarningStatement = try connection.prepare(StoreSQL.Dedup.clusterWarning, persistent: true)
    }

    /// Every document of a completely ingested file, by id.
    public func visibleDocuments() throws(StoreError) -> [DedupDocument] {
        let statement = try connection.prepare(StoreSQL.Dedup.visibleDocuments)
        var documents: [DedupDocument] = []
        while try statement.step() { documents.append(Self.document(at: statement)) }
        return documents
    }

    /// The documents of complete files not yet joined against `bandingID`, by id.
    public func unjoinedDocuments(bandingID: Int64) throws(StoreError) -> [DedupDocument] {
        let statement = try connection.prepare(StoreSQL.Dedup.unjoinedDocuments)
        try statement.bind([.integer(bandingID)])
        var documents: [DedupDocument] = []
        while try statement.step() { documents.append(Self.document(at: statement)) }
        return documents
    }

    /// One document, visible or not, and appends the ids of every document with the same text
    /// (itself included, visible or not) to `copies` when `wantsCopies` of the document.
    public func document(
        _ id: Int64, copies: inout [Int64], when wantsCopies: (DedupDocument) -> Bool = { _ in true }
    ) throws(StoreError) -> DedupDocument? {
        let statement = documentStatement
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        let document = Self.document(at: statement)
        guard wantsCopies(document) else { return document }
        let sameText = documentsWithContentHashStatement
        defer { sameText.reset() }
        let hash = statement.withBlob(3) { [UInt8]($0) }
        try sameText.bind(hash, at: 1)
        while try sameText.step() { copies.append(sameText.int64(0)) }
        return document
    }

    /// The ids of complete ingest files.
    public func completeFiles() throws(StoreError) -> Set<Int64> {
        let statement = try connection.prepare(StoreSQL.Dedup.completeFiles)
        var files = Set<Int64>()
        while try statement.step() { files.insert(statement.int64(0)) }
        return files
    }

    /// Calls `body` with each stored edge whose smaller end is `id`: the larger end and the similarity.
    public func edges(from id: Int64, _ body: (Int64, Double) -> Void) throws(StoreError) {
        let statement = edgesFromStatement
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        while try statement.step() { body(statement.int64(0), statement.double(1)) }
    }

    /// Appends the smaller ends of the stored edges whose larger end is `id`.
    public func edgeEnds(to id: Int64, into ends: inout [Int64]) throws(StoreError) {
        let statement = edgeEndsToStatement
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        while try statement.step() { ends.append(statement.int64(0)) }
    }

    /// Visible documents.
    public func visibleDocumentCount() throws(StoreError) -> Int {
        Int(try connection.scalarInt(StoreSQL.Dedup.visibleDocumentCount) ?? 0)
    }

    /// Visible documents per source id.
    public func visibleDocumentsPerSource() throws(StoreError) -> [Int64: Int] {
        try Self.visibleDocumentsPerSource(in: catalog)
    }

    /// Visible documents per source id in `catalog` (any connection, read-only ones included).
    public static func visibleDocumentsPerSource(in catalog: Catalog) throws(StoreError) -> [Int64: Int] {
        let statement = try catalog.connection.prepare(StoreSQL.Dedup.visibleDocumentsPerSource)
        var sizes: [Int64: Int] = [:]
        while try statement.step() { sizes[statement.int64(0)] = statement.int(1) }
        return sizes
    }

    /// Joined files of `bandingID` that are no longer complete.
    public func joinedFilesNotComplete(bandingID: Int64) throws(StoreError) -> Int {
        Int(try connection.scalarInt(StoreSQL.Dedup.joinedFilesNotComplete, [.integer(bandingID)]) ?? 0)
    }

    private static func document(at statement: SQLiteStatement) -> DedupDocument {
        let hash: (UInt64, UInt64) = statement.withBlob(3) { bytes in
            guard bytes.count >= 16 else { return (0, 0) }
            return (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        return DedupDocument(
            id: statement.int64(0), sourceID: statement.int64(1), domain: statement.optionalText(2),
            contentHash: hash, ingestFileID: statement.int64(4), tokens: statement.int(5),
            duplicateOf: statement.isNull(6) ? nil : statement.int64(6),
            clusterID: statement.isNull(7) ? nil : statement.int64(7))
    }

    /// Source names by id.
    public func sourceNames() throws(StoreError) -> [Int64: String] {
        let statement = try connection.prepare(StoreSQL.Dedup.sourceNames)
        var names: [Int64: String] = [:]
        while try statement.step() { names[statement.int64(0)] = statement.text(1) }
        return names
    }

    /// Ingest files already joined against `bandingID`.
    public func processedFiles(bandingID: Int64) throws(StoreError) -> Set<Int64> {
        let statement = try connection.prepare(StoreSQL.Dedup.processedFiles)
        try statement.bind([.integer(bandingID)])
        var files = Set<Int64>()
        while try statement.step() { files.insert(statement.int64(0)) }
        return files
    }

    /// Records that `fileID`'s documents are joined against `bandingID`.
    public func markProcessed(fileID: Int64, bandingID: Int64) throws(StoreError) {
        try connection.prepare(StoreSQL.Dedup.markFileProcessed).run([.integer(bandingID), .integer(fileID)])
    }

    /// Calls `body` with a document's signature (nil when it has none).
    public func withSignature<T>(
        schemeID: Int64, documentID: Int64, _ body: (UnsafeRawBufferPointer?) throws -> T
    ) throws -> T {
        let statement = signatureStatement
        defer { statement.reset() }
        try statement.bind(schemeID, at: 1)
        try statement.bind(documentID, at: 2)
        guard try statement.step() else { return try body(nil) }
        return try statement.withBlob(0) { try body($0) }
    }

    /// Calls `body` with every signature of `schemeID`, in document order.
    public func forEachSignature(
        schemeID: Int64, _ body: (_ documentID: Int64, _ signature: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let statement = try connection.prepare(StoreSQL.Dedup.allSignatures)
        try statement.bind([.integer(schemeID)])
        while try statement.step() {
            let id = statement.int64(0)
            try statement.withBlob(1) { try body(id, $0) }
        }
    }

    /// Stores verified edges (sorted by pair); returns how many were new. A large batch drops
    /// and rebuilds the index by `doc_b`, which is faster than random inserts into it.
    public func insertEdges(_ edges: [DedupEdge], bandingID: Int64) throws(StoreError) -> Int {
        let rebuild = edges.count >= 100_000
        if rebuild { try connection.execute(StoreSQL.Dedup.dropEdgeIndex) }
        var inserted = 0
        for edge in edges where try insertEdge(edge, bandingID: bandingID) { inserted += 1 }
        if rebuild { try connection.execute(StoreSQL.Dedup.createEdgeIndex) }
        return inserted
    }

    /// Stores a verified edge; false when the pair was already known.
    @discardableResult
    public func insertEdge(_ edge: DedupEdge, bandingID: Int64) throws(StoreError) -> Bool {
        let statement = insertEdgeStatement
        defer { statement.reset() }
        try statement.bind(edge.a, at: 1)
        try statement.bind(edge.b, at: 2)
        try statement.bind(edge.similarity, at: 3)
        try statement.bind(bandingID, at: 4)
        try statement.step()
        return connection.changes > 0
    }

    /// Every stored edge with similarity ≥ `minimum`.
    public func edges(atLeast minimum: Double) throws(StoreError) -> [DedupEdge] {
        let statement = try connection.prepare(StoreSQL.Dedup.edgesAtLeast)
        try statement.bind([.real(minimum)])
        var edges: [DedupEdge] = []
        while try statement.step() {
            edges.append(DedupEdge(a: statement.int64(0), b: statement.int64(1), similarity: statement.double(2)))
        }
        return edges
    }

    /// The stored edges of one document: the other document and the similarity.
    public func edges(of documentID: Int64) throws(StoreError) -> [(other: Int64, similarity: Double)] {
        let statement = edgesOfStatement
        defer { statement.reset() }
        try statement.bind(documentID, at: 1)
        var result: [(other: Int64, similarity: Double)] = []
        while try statement.step() { result.append((statement.int64(0), statement.double(1))) }
        return result
    }

    /// Sets a document's `duplicate_of` and `cluster_id`.
    public func updateDocument(_ id: Int64, duplicateOf: Int64?, clusterID: Int64?) throws(StoreError) {
        let statement = updateDocumentStatement
        defer { statement.reset() }
        if let duplicateOf { try statement.bind(duplicateOf, at: 1) } else { try statement.bindNull(at: 1) }
        if let clusterID { try statement.bind(clusterID, at: 2) } else { try statement.bindNull(at: 2) }
        try statement.bind(id, at: 3)
        try statement.step()
    }

    /// Replaces the recorded clusters.
    public func replaceClusters(_ clusters: [DedupClusterRow]) throws(StoreError) {
        try connection.execute(StoreSQL.Dedup.clearClusters)
        let statement = try connection.prepare(StoreSQL.Dedup.insertCluster)
        for cluster in clusters {
            try statement.run([
                .integer(cluster.id), .integer(cluster.canonical), .integer(Int64(cluster.size)),
                .optionalText(cluster.warning),
            ])
        }
    }

    /// Replaces the recorded clusters with these ids by `clusters` (an incremental run's
    /// re-clustered part).
    public func replaceClusters(ids: Set<Int64>, with clusters: [DedupClusterRow]) throws(StoreError) {
        let delete = try connection.prepare(StoreSQL.Dedup.deleteCluster)
        for id in ids.sorted() { try delete.run([.integer(id)]) }
        let insert = try connection.prepare(StoreSQL.Dedup.insertCluster)
        for cluster in clusters {
            try insert.run([
                .integer(cluster.id), .integer(cluster.canonical), .integer(Int64(cluster.size)),
                .optionalText(cluster.warning),
            ])
        }
    }

    /// A recorded cluster's warning: nil when there is no such cluster, `.some(nil)` when it
    /// has none.
    public func clusterWarning(_ id: Int64) throws(StoreError) -> String?? {
        let statement = clusterWarningStatement
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        return .some(statement.optionalText(0))
    }

    /// The recorded clusters and the documents they mark.
    public func clusterTotals() throws(StoreError) -> (clusters: Int, duplicates: Int) {
        let statement = try connection.prepare(StoreSQL.Dedup.clusterTotals)
        guard try statement.step() else { return (0, 0) }
        return (statement.int(0), statement.int(1))
    }

    /// The stored threshold sweep, by threshold.
    public func sweep() throws(StoreError) -> [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] {
        let statement = try connection.prepare(StoreSQL.Dedup.sweepRows)
        var rows: [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] = []
        while try statement.step() {
            rows.append((statement.double(0), statement.int(1), statement.int(2), statement.int(3)))
        }
        return rows
    }

    /// Replaces the threshold sweep.
    public func replaceSweep(_ rows: [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)]) throws(StoreError) {
        try connection.execute(StoreSQL.Dedup.clearSweep)
        let statement = try connection.prepare(StoreSQL.Dedup.insertSweep)
        for row in rows {
            try statement.run([
                .real(row.threshold), .integer(Int64(row.clusters)), .integer(Int64(row.markedDocs)),
                .integer(Int64(row.markedTokens)),
            ])
        }
    }

    /// Records a finished run.
    public func recordRun(_ values: [SQLValue]) throws(StoreError) {
        try connection.prepare(StoreSQL.Dedup.insertRun).run(values)
    }

    // MARK: Lookups for `similar` and `explain`

    /// Visible documents with this key (one per source at most).
    public func documentIDs(forKey key: String) throws(StoreError) -> [Int64] {
        let statement = try connection.prepare(StoreSQL.Dedup.findDocumentsByKey)
        try statement.bind([.text(key)])
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.int64(0)) }
        return ids
    }

    /// `document_id, doc_key, source, domain, tokens, quality, duplicate_of, cluster_id` of a
    /// visible document, or nil.
    public func summary(of id: Int64) throws(StoreError) -> [SQLValue]? {
        let statement = try connection.prepare(StoreSQL.Dedup.documentSummary)
        try statement.bind([.integer(id)])
        guard try statement.step() else { return nil }
        return (0..<statement.columnCount).map { statement.value($0) }
    }

    /// The visible documents with the same text as `id` (itself included), by id.
    public func exactCopies(of id: Int64) throws(StoreError) -> [Int64] {
        let statement = exactCopiesStatement
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.int64(0)) }
        return ids
    }

    /// Threshold, keep policy, star flag and scope of the last run, if any.
    public func lastRun() throws(StoreError) -> (threshold: Double, keep: String, star: Bool, scope: String)? {
        let statement = try connection.prepare(StoreSQL.Dedup.lastRun)
        guard try statement.step() else { return nil }
        return (statement.double(0), statement.text(1), statement.int(2) != 0, statement.text(3))
    }

    /// The settings of the last run, if any.
    public func lastRunSettings() throws(StoreError) -> DedupRunSettings? {
        let statement = try connection.prepare(StoreSQL.Dedup.lastRunSettings)
        guard try statement.step() else { return nil }
        return DedupRunSettings(
            threshold: statement.double(0), floor: statement.double(1), scope: statement.text(2),
            keep: statement.text(3), star: statement.int(4) != 0, bandingID: statement.int64(5))
    }

    /// Members of a recorded cluster.
    public func clusterSize(_ clusterID: Int64) throws(StoreError) -> Int? {
        Int(try connection.scalarInt(StoreSQL.Dedup.clusterSize, [.integer(clusterID)]) ?? 0)
    }
}
