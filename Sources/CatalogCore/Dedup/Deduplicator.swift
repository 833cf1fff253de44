import Foundation

/// What a `catalog dedup` run did.
public struct DedupReport: Sendable {
    /// The threshold clusters were built at.
    public var threshold = 0.0
    /// The similarity down to which edges were stored.
    public var floor = 0.0
    /// The banding used for candidates.
    public var bands = 0
    /// Rows per band.
    public var rows = 0
    /// P(candidate) for a pair exactly at the threshold.
    public var candidateProbability = 0.0
    /// Documents joined against the index in this run.
    public var newDocuments = 0
    /// Candidate pairs verified.
    public var candidates = 0
    /// Verified edges stored in this run.
    public var newEdges = 0
    /// Clusters of two or more documents.
    public var clusters = 0
    /// Documents marked as duplicates (cluster members other than the canonical).
    public var duplicates = 0
    /// Documents whose `duplicate_of` or `cluster_id` changed.
    public var changedDocuments = 0
    /// Warnings about suspicious clusters.
    public var warnings: [String] = []
    /// Wall-clock seconds.
    public var seconds = 0.0

    /// The one-line summary.
    public var summary: String {
        "dedup: \(newDocuments) new documents joined, \(candidates) candidates verified, \(newEdges) new edges; "
            + "\(clusters) clusters, \(duplicates) duplicates, \(changedDocuments) documents changed "
            + "in \(Format.decimal(seconds, digits: 2)) s"
    }
}

/// `catalog dedup`: incremental near-duplicate clustering from the persistent LSH index.
///
/// New documents (those of ingest files not yet joined against the banding) look up the LSH
/// buckets of their band keys; every candidate is verified with the stored signatures and kept
/// as an edge when its estimated Jaccard is ≥ the floor. Clusters are then rebuilt from all
/// stored edges ≥ the threshold plus exact-copy groups, canonicals elected by the keep policy,
/// and only documents whose `duplicate_of`/`cluster_id` change are written. Nothing is deleted.
public final class Deduplicator {
    private let catalog: Catalog
    private let options: DedupOptions
    private let scheme = MinHashScheme.standard

    /// A deduplicator for `catalog`.
    public init(catalog: Catalog, options: DedupOptions) {
        self.catalog = catalog
        self.options = options
    }

    /// The banding used for `threshold`: the largest rows per band for which a pair at the
    /// threshold is a candidate with probability ≥ `recall`.
    public static func banding(threshold: Double, permutations: Int, recall: Double) -> (bands: Int, rows: Int) {
        LSHBanding.banding(forThreshold: threshold, permutations: permutations, recall: recall)
    }

    /// Runs dedup; throws before writing anything when an option or the keep policy is invalid.
    public func run() throws -> DedupReport {
        let started = Clock.monotonicSeconds()
        try validate()
        let lock = catalog.path == ":memory:" ? nil : CatalogWriteLock.acquire(path: catalog.path)
        if catalog.path != ":memory:" && lock == nil { throw IngestError.catalogBusy(path: catalog.path) }
        defer { withExtendedLifetime(lock) {} }

        var report = DedupReport()
        report.threshold = options.threshold
        report.floor = options.effectiveFloor
        let banding = Self.banding(threshold: options.threshold, permutations: scheme.permutations, recall: options.recall)
        report.bands = banding.bands
        report.rows = banding.rows
        report.candidateProbability = LSHBanding.candidateProbability(
            similarity: options.threshold, bands: banding.bands, rows: banding.rows)
        let bandingScheme = try MinHashScheme(
            shingleSize: scheme.shingleSize, permutations: scheme.permutations, bands: banding.bands,
            rowsPerBand: banding.rows, seed: scheme.seed)

        let orderedByKeep = try keepOrder()
        let store = try DedupStore(catalog: catalog)
        let ingest = try IngestStore(catalog: catalog)
        let documents = try store.visibleDocuments()
        let universe = try makeUniverse(documents, keepOrder: orderedByKeep, store: store)

        try store.catalog.connection.begin()
        do {
            let schemeID = try ingest.schemeID(for: scheme.row)
            let bandingID = try ingest.bandingID(schemeID: schemeID, bands: banding.bands, rowsPerBand: banding.rows)
            let processed = try store.processedFiles(bandingID: bandingID)
            let isNew = documents.map { !processed.contains($0.ingestFileID) }
            report.newDocuments = isNew.filter { $0 }.count
            let joinsIngestIndex = banding.bands == scheme.bands && banding.rows == scheme.rowsPerBand
            let lshIndex = try LSHIndex(catalog: catalog, bandingID: bandingID)
            try join(
                universe: universe, isNew: isNew, store: store, lshIndex: lshIndex, schemeID: schemeID, bandingID: bandingID,
                bandingScheme: bandingScheme, writesKeys: !joinsIngestIndex, report: &report)
            try lshIndex.mergeIfLarge()
            for fileID in Set(documents.indices.filter { isNew[$0] }.map { documents[$0].ingestFileID }).sorted() {
                try store.markProcessed(fileID: fileID, bandingID: bandingID)
            }

            let edges = universe.denseEdges(try store.edges(atLeast: options.effectiveFloor))
            let builder = ClusterBuilder(universe: universe, options: options)
            let clusters = builder.clusters(edges: edges, threshold: options.threshold)
            report.clusters = clusters.count
            report.duplicates = clusters.reduce(0) { $0 + $1.members.count - 1 }
            report.changedDocuments = try write(clusters, documents: documents, universe: universe, store: store)
            report.warnings = clusters.compactMap { cluster in
                cluster.warning.map { "cluster \(universe.ids[cluster.canonical]): \($0)" }
            }
            try store.replaceSweep(sweep(builder: builder, edges: edges, universe: universe))
            report.seconds = Clock.monotonicSeconds() - started
            try store.recordRun([
                .real(options.threshold), .real(options.effectiveFloor), .text(options.scope.rawValue), .text(options.keep),
                .integer(options.star ? 1 : 0), .integer(bandingID), .integer(Int64(report.newDocuments)),
                .integer(Int64(report.candidates)), .integer(Int64(report.newEdges)), .integer(Int64(report.clusters)),
                .integer(Int64(report.duplicates)), .integer(Int64(report.changedDocuments)), .real(report.seconds),
                .text(Clock.timestamp()),
            ])
            try store.catalog.connection.commit()
        } catch {
            store.catalog.connection.rollbackIfOpen()
            throw error
        }
        return report
    }

    private func validate() throws {
        guard options.threshold > 0 && options.threshold <= 1 else {
            throw DedupRunError.invalidOption("--threshold must be in (0, 1]")
        }
        guard options.floor > 0 && options.floor <= 1 else { throw DedupRunError.invalidOption("--floor must be in (0, 1]") }
        guard options.maxClusterSize >= 2 else { throw DedupRunError.invalidOption("--max-cluster-size must be at least 2") }
        guard options.maxSourceShare > 0 && options.maxSourceShare <= 1 else {
            throw DedupRunError.invalidOption("--max-source-share must be in (0, 1]")
        }
        guard catalog.path != ":memory:" else {
            throw DedupRunError.invalidOption("catalog dedup needs a catalog file (the keep policy runs on a read-only connection)")
        }
    }

    /// The visible documents' ids in keep order.
    private func keepOrder() throws -> [Int64] {
        do {
            let query = try ReadOnlyQuery(catalog: try Catalog.openReadOnly(at: catalog.path))
            let statement = try query.prepare(KeepPolicy.rankingSQL(orderBy: options.keep))
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            return ids
        } catch {
            throw DedupRunError.invalidKeep(expression: options.keep, reason: KeepPolicy.reason(error))
        }
    }

    private func makeUniverse(
        _ documents: [DedupDocument], keepOrder: [Int64], store: DedupStore
    ) throws -> DedupUniverse {
        var firstWithHash: [ContentKey: Int32] = [:]
        firstWithHash.reserveCapacity(documents.count)
        var representative: [Int32] = []
        representative.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() {
            let key = ContentKey(high: document.contentHash.0, low: document.contentHash.1)
            if let first = firstWithHash[key] {
                representative.append(first)
            } else {
                firstWithHash[key] = Int32(index)
                representative.append(Int32(index))
            }
        }
        var universe = DedupUniverse(
            ids: documents.map(\.id), sources: documents.map(\.sourceID), domains: documents.map(\.domain),
            tokens: documents.map(\.tokens), representative: representative,
            rank: [Int32](repeating: Int32.max, count: documents.count), sourceNames: try store.sourceNames())
        var rank = universe.rank
        for (position, id) in keepOrder.enumerated() {
            if let index = universe.index(of: id) { rank[index] = Int32(position) }
        }
        universe.rank = rank
        return universe
    }

    /// Joins the new documents against the index and stores verified edges: by lookups of their
    /// buckets when they are few, by one sequential pass over the whole index when they are many.
    private func join(
        universe: DedupUniverse, isNew: [Bool], store: DedupStore, lshIndex: LSHIndex, schemeID: Int64, bandingID: Int64,
        bandingScheme: MinHashScheme, writesKeys: Bool, report: inout DedupReport
    ) throws {
        let newCount = isNew.filter { $0 }.count
        if newCount >= options.scanJoinMinimum && newCount * 5 >= universe.ids.count {
            try joinByScan(
                universe: universe, isNew: isNew, store: store, lshIndex: lshIndex, schemeID: schemeID,
                bandingID: bandingID, bandingScheme: bandingScheme, writesKeys: writesKeys, report: &report)
        } else {
            try joinByLookup(
                universe: universe, isNew: isNew, store: store, lshIndex: lshIndex, schemeID: schemeID,
                bandingID: bandingID, bandingScheme: bandingScheme, writesKeys: writesKeys, report: &report)
        }
    }

    /// Bulk join: every representative's signature in memory (512 bytes each), then one pass
    /// over the index in key order; a pair is verified in the first band where its rows agree.
    private func joinByScan(
        universe: DedupUniverse, isNew: [Bool], store: DedupStore, lshIndex: LSHIndex, schemeID: Int64, bandingID: Int64,
        bandingScheme: MinHashScheme, writesKeys: Bool, report: inout DedupReport
    ) throws {
        let permutations = bandingScheme.permutations
        let rows = bandingScheme.rowsPerBand
        let count = universe.ids.count
        var signatures = [UInt32](repeating: 0, count: count * permutations)
        var hasSignature = [Bool](repeating: false, count: count)
        try store.forEachSignature(schemeID: schemeID) { id, raw in
            guard raw.count == permutations * 4, let index = universe.index(of: id),
                  Int(universe.representative[index]) == index else { return }
            signatures.withUnsafeMutableBytes { all in
                UnsafeMutableRawBufferPointer(rebasing: all[(index * permutations * 4)..<((index + 1) * permutations * 4)])
                    .copyMemory(from: raw)
            }
            hasSignature[index] = true
        }
        if writesKeys {
            let hasher = MinHasher(scheme: bandingScheme)
            var keys = [Int64](repeating: 0, count: bandingScheme.bands)
            for index in 0..<count where isNew[index] && hasSignature[index] {
                signatures.withUnsafeBufferPointer { all in
                    keys.withUnsafeMutableBufferPointer {
                        hasher.bandKeys(of: UnsafeBufferPointer(rebasing: all[(index * permutations)..<((index + 1) * permutations)]), into: $0)
                    }
                }
                try keys.withUnsafeBufferPointer { try lshIndex.insert(documentID: universe.ids[index], keys: $0) }
            }
        }
        // Dense indices and matching slots: 10 bytes an edge while millions are collected.
        var found: [(a: Int32, b: Int32, equal: UInt16)] = []
        var members: [Int] = []
        var candidates = 0
        let floor = options.effectiveFloor
        try signatures.withUnsafeBufferPointer { all in
            func agree(_ a: Int, _ b: Int, band: Int) -> Bool {
                let start = band * rows
                for row in start..<(start + rows) where all[a * permutations + row] != all[b * permutations + row] {
                    return false
                }
                return true
            }
            try lshIndex.forEachBucket { band, _, documents in
                guard documents.count > 1 else { return }
                members.removeAll(keepingCapacity: true)
                for id in documents {
                    if let index = universe.index(of: id), hasSignature[index] { members.append(index) }
                }
                for x in 0..<members.count {
                    for y in (x + 1)..<members.count {
                        let a = members[x]
                        let b = members[y]
                        guard isNew[a] || isNew[b], !(0..<band).contains(where: { agree(a, b, band: $0) }) else { continue }
                        candidates += 1
                        var equal = 0
                        for slot in 0..<permutations where all[a * permutations + slot] == all[b * permutations + slot] {
                            equal += 1
                        }
                        if Double(equal) / Double(permutations) >= floor {
                            found.append((Int32(min(a, b)), Int32(max(a, b)), UInt16(equal)))
                        }
                    }
                }
            }
        }
        report.candidates = candidates
        signatures = []
        // Dense indices follow document ids, so this is the edge table's key order.
        found.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        var edges: [DedupEdge] = []
        edges.reserveCapacity(found.count)
        for edge in found where edges.last.map({ $0.a != universe.ids[Int(edge.a)] || $0.b != universe.ids[Int(edge.b)] }) ?? true {
            edges.append(DedupEdge(
                a: universe.ids[Int(edge.a)], b: universe.ids[Int(edge.b)],
                similarity: Double(edge.equal) / Double(permutations)))
        }
        found = []
        report.newEdges = try store.insertEdges(edges, bandingID: bandingID)
    }

    /// Incremental join: each new document looks up the buckets of its band keys.
    private func joinByLookup(
        universe: DedupUniverse, isNew: [Bool], store: DedupStore, lshIndex: LSHIndex, schemeID: Int64, bandingID: Int64,
        bandingScheme: MinHashScheme, writesKeys: Bool, report: inout DedupReport
    ) throws {
        let hasher = MinHasher(scheme: bandingScheme)
        let permutations = bandingScheme.permutations
        var signature = [UInt32](repeating: 0, count: permutations)
        var keys = [Int64](repeating: 0, count: bandingScheme.bands)
        var members: [Int64] = []
        var seen = Set<Int64>()
        var found: [DedupEdge] = []
        let floor = options.effectiveFloor
        for index in universe.ids.indices where isNew[index] && Int(universe.representative[index]) == index {
            let id = universe.ids[index]
            let hasSignature = try store.withSignature(schemeID: schemeID, documentID: id) { raw -> Bool in
                guard let raw, raw.count == permutations * 4 else { return false }
                signature.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
                return true
            }
            guard hasSignature else { continue }
            signature.withUnsafeBufferPointer { values in
                keys.withUnsafeMutableBufferPointer { hasher.bandKeys(of: values, into: $0) }
            }
            if writesKeys {
                try keys.withUnsafeBufferPointer { try lshIndex.insert(documentID: id, keys: $0) }
            }
            members.removeAll(keepingCapacity: true)
            for (band, key) in keys.enumerated() {
                try lshIndex.members(band: band, key: key, into: &members)
            }
            seen.removeAll(keepingCapacity: true)
            for other in members where other != id && seen.insert(other).inserted {
                guard let otherIndex = universe.index(of: other),
                      Int(universe.representative[otherIndex]) == otherIndex,
                      !(isNew[otherIndex] && other > id)  // a pair of new documents is joined once
                else { continue }
                report.candidates += 1
                let similarity = try store.withSignature(schemeID: schemeID, documentID: other) { raw -> Double in
                    guard let raw, raw.count == permutations * 4 else { return 0 }
                    return signature.withUnsafeBytes { LSHBanding.estimatedJaccard(rawSignature: $0, raw) ?? 0 }
                }
                if similarity >= floor {
                    found.append(DedupEdge(a: min(id, other), b: max(id, other), similarity: similarity))
                }
            }
        }
        // Stored in key order at the end: random-order inserts into a large B-tree would dirty
        // (and rewrite) most of its pages many times over.
        found.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        report.newEdges = try store.insertEdges(found, bandingID: bandingID)
    }

    /// Writes `duplicate_of` and `cluster_id` where they change, and the cluster table.
    private func write(
        _ clusters: [DedupCluster], documents: [DedupDocument], universe: DedupUniverse, store: DedupStore
    ) throws -> Int {
        var target = [(duplicateOf: Int64?, clusterID: Int64?)](repeating: (nil, nil), count: documents.count)
        var rows: [DedupClusterRow] = []
        for cluster in clusters {
            let canonicalID = universe.ids[cluster.canonical]
            for member in cluster.members {
                target[member] = (member == cluster.canonical ? nil : canonicalID, canonicalID)
            }
            rows.append(DedupClusterRow(
                id: canonicalID, canonical: canonicalID, size: cluster.members.count, warning: cluster.warning))
        }
        var changed = 0
        for (index, document) in documents.enumerated()
        where document.duplicateOf != target[index].duplicateOf || document.clusterID != target[index].clusterID {
            try store.updateDocument(document.id, duplicateOf: target[index].duplicateOf, clusterID: target[index].clusterID)
            changed += 1
        }
        try store.replaceClusters(rows)
        return changed
    }

    /// For each threshold from the floor to 1.0 (steps of 0.05): clusters, and the documents
    /// and tokens it would mark, from the stored edges.
    private func sweep(
        builder: ClusterBuilder, edges: [DenseEdge], universe: DedupUniverse
    ) -> [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] {
        var thresholds: [Double] = []
        var step = (options.effectiveFloor * 20).rounded(.up) / 20
        if step > options.effectiveFloor + 1e-9 { thresholds.append(options.effectiveFloor) }
        while step <= 1.0 + 1e-9 {
            thresholds.append((step * 100).rounded() / 100)
            step += 0.05
        }
        guard options.star else {
            return ThresholdSweep(universe: universe, scope: options.scope).rows(edges: edges, thresholds: thresholds)
        }
        return thresholds.map { threshold in
            let clusters = builder.clusters(edges: edges, threshold: threshold)
            var docs = 0
            var tokens = 0
            for cluster in clusters {
                for member in cluster.members where member != cluster.canonical {
                    docs += 1
                    tokens += universe.tokens[member]
                }
            }
            return (threshold, clusters.count, docs, tokens)
        }
    }
}

/// A 128-bit content hash as a dictionary key.
private struct ContentKey: Hashable {
    let high: UInt64
    let low: UInt64
}

/// The keep policy as SQL over the `docs` view.
enum KeepPolicy {
    /// Every visible document in keep order (ties broken by id).
    static func rankingSQL(orderBy: String) -> String {
        "SELECT document_id FROM docs ORDER BY \(orderBy), document_id"
    }

    /// The part of a store error a person needs.
    static func reason(_ error: Error) -> String {
        if case let StoreError.sqlite(_, message, _) = error { return message }
        return "\(error)"
    }
}
