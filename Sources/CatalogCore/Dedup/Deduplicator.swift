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
    /// Whether only the components the new documents reach were re-clustered.
    public var incremental = false
    /// Documents re-clustered (all visible documents in a full run).
    public var reclusteredDocuments = 0
    /// Warnings about suspicious clusters.
    public var warnings: [String] = []
    /// Wall-clock seconds.
    public var seconds = 0.0

    /// The one-line summary.
    public var summary: String {
        "dedup: \(newDocuments) new documents joined, \(candidates) candidates verified, \(newEdges) new edges; "
            + "\(incremental ? "re-clustered \(reclusteredDocuments) documents they reach; " : "")"
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
    let catalog: Catalog
    let options: DedupOptions
    let scheme = MinHashScheme.standard

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

        let store = try DedupStore(catalog: catalog)
        let ingest = try IngestStore(catalog: catalog)
        try store.catalog.connection.begin()
        do {
            let schemeID = try ingest.schemeID(for: scheme.row)
            let bandingID = try ingest.bandingID(schemeID: schemeID, bands: banding.bands, rowsPerBand: banding.rows)
            let joinsIngestIndex = banding.bands == scheme.bands && banding.rows == scheme.rowsPerBand
            let context = JoinContext(
                store: store, lshIndex: try LSHIndex(catalog: catalog, bandingID: bandingID), schemeID: schemeID,
                bandingID: bandingID, bandingScheme: bandingScheme, writesKeys: !joinsIngestIndex)
            if let newDocuments = try incrementalDocuments(store: store, bandingID: bandingID) {
                try catalog.setCacheSize(mebibytes: options.lookupCacheMebibytes)
                defer { try? catalog.setCacheSize(mebibytes: Catalog.defaultCacheMebibytes) }
                try runIncremental(newDocuments: newDocuments, context: context, report: &report)
            } else {
                try runFull(context: context, report: &report)
            }
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

    /// Re-clusters the whole catalog: every visible document, every stored edge.
    private func runFull(context: JoinContext, report: inout DedupReport) throws {
        let store = context.store
        let orderedByKeep = try keepOrder()
        let documents = try store.visibleDocuments()
        let universe = try makeUniverse(documents, keepOrder: orderedByKeep, store: store)
        let processed = try store.processedFiles(bandingID: context.bandingID)
        let isNew = documents.map { !processed.contains($0.ingestFileID) }
        report.newDocuments = isNew.filter { $0 }.count
        if report.newDocuments >= options.scanJoinMinimum && report.newDocuments * 5 >= universe.ids.count {
            try joinByScan(universe: universe, isNew: isNew, context: context, report: &report)
        } else {
            let newRepresentatives = universe.ids.indices
                .filter { isNew[$0] && Int(universe.representative[$0]) == $0 }
                .map { universe.ids[$0] }
            _ = try joinByLookup(
                newRepresentatives: newRepresentatives,
                isNew: { id in universe.index(of: id).map { isNew[$0] } ?? false },
                isJoinable: { id in universe.index(of: id).map { Int(universe.representative[$0]) == $0 } ?? false },
                context: context, report: &report)
        }
        try context.lshIndex.mergeIfLarge()
        for fileID in Set(documents.indices.filter { isNew[$0] }.map { documents[$0].ingestFileID }).sorted() {
            try store.markProcessed(fileID: fileID, bandingID: context.bandingID)
        }

        let edges = universe.denseEdges(try store.edges(atLeast: options.effectiveFloor))
        let sourceSizes = Self.sourceSizes(of: universe)
        let builder = ClusterBuilder(universe: universe, options: options, sourceSizes: sourceSizes)
        let clusters = builder.clusters(edges: edges, threshold: options.threshold)
        report.clusters = clusters.count
        report.duplicates = clusters.reduce(0) { $0 + $1.members.count - 1 }
        report.changedDocuments = try writeMarks(clusters, documents: documents, universe: universe, store: store).count
        try store.replaceClusters(clusterRows(clusters, universe: universe))
        report.warnings = warnings(clusters, universe: universe)
        report.reclusteredDocuments = documents.count
        try store.replaceSweep(sweep(universe: universe, edges: edges))
    }

    /// The documents to join when this run can re-cluster incrementally, or nil when it must
    /// re-cluster everything: with `--full`, on the first run, when the threshold, floor,
    /// scope, keep policy, star mode or banding differ from the last run's, when documents left
    /// the joined part of the catalog, or when the new documents are a fifth of it or more.
    private func incrementalDocuments(store: DedupStore, bandingID: Int64) throws -> [DedupDocument]? {
        let current = DedupRunSettings(
            threshold: options.threshold, floor: options.effectiveFloor, scope: options.scope.rawValue,
            keep: options.keep, star: options.star, bandingID: bandingID)
        guard !options.full, try store.lastRunSettings() == current,
              try store.joinedFilesNotComplete(bandingID: bandingID) == 0,
              try store.sweep().map(\.threshold) == sweepThresholds()
        else { return nil }
        let newDocuments = try store.unjoinedDocuments(bandingID: bandingID)
        guard newDocuments.count * 5 < (try store.visibleDocumentCount()) else { return nil }
        return newDocuments
    }

    /// Joins `newDocuments` by lookups, then re-clusters only the documents their edges and
    /// exact copies reach (transitively, down to the floor): the components that can change.
    /// Clusters elsewhere stay as they are; the threshold sweep is updated by subtracting those
    /// components' old contribution and adding their new one.
    private func runIncremental(newDocuments: [DedupDocument], context: JoinContext, report: inout DedupReport) throws {
        let store = context.store
        report.newDocuments = newDocuments.count
        report.incremental = true
        // The source-share guard may need every source's size, a scan of the whole catalog: it
        // runs on the other core, on a read-only connection of its own (it sees the committed
        // catalog, whose documents this run does not add or remove), while the join runs here.
        let path = catalog.path
        let sourceSizesTask = BackgroundTask { () throws -> [Int64: Int] in
            try DedupStore.visibleDocumentsPerSource(in: try Catalog.openReadOnly(at: path))
        }
        defer { _ = try? sourceSizesTask.value() }
        let newIDs = Set(newDocuments.map(\.id))
        let completeFiles = try store.completeFiles()
        var copies: [Int64] = []
        /// Visible and the first visible document with its text.
        func isVisibleRepresentative(_ id: Int64) throws -> Bool {
            copies.removeAll(keepingCapacity: true)
            guard let document = try store.document(id, copies: &copies),
                  completeFiles.contains(document.ingestFileID)
            else { return false }
            var ignored: [Int64] = []
            for copy in copies.sorted() where copy < id {
                if let earlier = try store.document(copy, copies: &ignored), completeFiles.contains(earlier.ingestFileID) {
                    return false
                }
            }
            return true
        }
        var joinable: [Int64: Bool] = [:]
        var newRepresentatives: [Int64] = []
        for document in newDocuments {
            let isRepresentative = try isVisibleRepresentative(document.id)
            joinable[document.id] = isRepresentative
            if isRepresentative { newRepresentatives.append(document.id) }
        }
        let newEdges = try joinByLookup(
            newRepresentatives: newRepresentatives, isNew: { newIDs.contains($0) },
            isJoinable: { id in
                if let known = joinable[id] { return known }
                return try isVisibleRepresentative(id)
            },
            context: context, report: &report)
        try context.lshIndex.mergeIfLarge()
        for fileID in Set(newDocuments.map(\.ingestFileID)).sorted() {
            try store.markProcessed(fileID: fileID, bandingID: context.bandingID)
        }

        let reach = try reachableComponents(from: newIDs, store: store)
        let documents = reach.documents
        let orderedByKeep = try keepOrder(restrictedTo: documents.map(\.id))
        let universe = try makeUniverse(documents, keepOrder: orderedByKeep, store: store)
        let edges = universe.denseEdges(reach.edges)
        var clusters = ClusterBuilder(universe: universe, options: options, sourceSizes: [:])
            .clusters(edges: edges, threshold: options.threshold)
        // The source-share guard needs every source's size (a scan of the catalog), but only
        // when some cluster holds enough documents of one source to exceed the share of the
        // smallest source it checks.
        if clusters.contains(where: { mayExceedSourceShare($0, universe: universe) }) {
            let sourceSizes = try (try? sourceSizesTask.value()) ?? store.visibleDocumentsPerSource()
            clusters = ClusterBuilder(universe: universe, options: options, sourceSizes: sourceSizes)
                .clusters(edges: edges, threshold: options.threshold)
        }
        let changed = try writeMarks(clusters, documents: documents, universe: universe, store: store)
        report.changedDocuments = changed.count
        try replaceChangedClusters(clusters, documents: documents, changed: changed, universe: universe, store: store)
        report.warnings = warnings(clusters, universe: universe)
        report.reclusteredDocuments = documents.count

        let newPairs = Set(newEdges.map { EdgeKey(a: $0.a, b: $0.b) })
        let oldDocuments = documents.filter { !newIDs.contains($0.id) }
        let oldUniverse = try makeUniverse(oldDocuments, keepOrder: orderedByKeep, store: store)
        let oldEdges = oldUniverse.denseEdges(reach.edges.filter { !newPairs.contains(EdgeKey(a: $0.a, b: $0.b)) })
        let before = sweep(universe: oldUniverse, edges: oldEdges)
        let after = sweep(universe: universe, edges: edges)
        let stored = try store.sweep()
        try store.replaceSweep(zip(stored, zip(before, after)).map { row, change in
            (row.threshold, row.clusters - change.0.clusters + change.1.clusters,
             row.markedDocs - change.0.markedDocs + change.1.markedDocs,
             row.markedTokens - change.0.markedTokens + change.1.markedTokens)
        })
        let totals = try store.clusterTotals()
        report.clusters = totals.clusters
        report.duplicates = totals.duplicates
    }

    /// The visible documents connected to `seeds` through stored edges or exact copies (all
    /// of their components at the floor), by id, and their edges ≥ the floor, by pair.
    private func reachableComponents(
        from seeds: Set<Int64>, store: DedupStore
    ) throws -> (documents: [DedupDocument], edges: [DedupEdge]) {
        let floor = options.effectiveFloor
        let completeFiles = try store.completeFiles()  // files cannot complete during the run: it holds the write lock
        var members = seeds
        var frontier = Array(seeds)
        var documents: [DedupDocument] = []
        var edges: [DedupEdge] = []
        var neighbours: [Int64] = []
        // Breadth first, each wave in id order: rows, edges and their pages are then visited
        // in key order, and a page serves all the wave's documents on it while it is cached.
        while !frontier.isEmpty {
            frontier.sort()
            var next: [Int64] = []
            for id in frontier {
                // With global scope every visible exact copy of a joined document is in its
                // cluster, so a joined document outside any cluster has no copy to follow
                // (a new document's copies are followed from the new document).
                guard let document = try store.document(id, copies: &neighbours, when: { document in
                          options.scope != .global || document.clusterID != nil || seeds.contains(document.id)
                      }),
                      completeFiles.contains(document.ingestFileID)
                else {
                    neighbours.removeAll(keepingCapacity: true)
                    continue
                }
                documents.append(document)
                // Each edge is taken once, from its smaller end; both ends lead on.
                try store.edges(from: id) { other, similarity in
                    if similarity >= floor { edges.append(DedupEdge(a: id, b: other, similarity: similarity)) }
                    neighbours.append(other)
                }
                try store.edgeEnds(to: id, into: &neighbours)
                for other in neighbours where members.insert(other).inserted { next.append(other) }
                neighbours.removeAll(keepingCapacity: true)
            }
            frontier = next
        }
        documents.sort { $0.id < $1.id }
        edges.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return (documents, edges)
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

    /// The visible documents' ids (all, or those of `restrictedTo`) in keep order.
    private func keepOrder(restrictedTo subset: [Int64]? = nil) throws -> [Int64] {
        do {
            let query = try ReadOnlyQuery(catalog: try Catalog.openReadOnly(at: catalog.path))
            let statement = try query.prepare(KeepPolicy.rankingSQL(orderBy: options.keep, restricted: subset != nil))
            if let subset { try statement.bind(["[" + subset.map(String.init).joined(separator: ",") + "]"].map(SQLValue.text)) }
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

    /// Replaces the `dedup_cluster` rows of the re-clustered documents' old and new clusters,
    /// leaving alone every cluster whose members, size and warning are unchanged (most of them:
    /// rewriting them would only dirty pages).
    private func replaceChangedClusters(
        _ clusters: [DedupCluster], documents: [DedupDocument], changed: Set<Int>, universe: DedupUniverse,
        store: DedupStore
    ) throws {
        var oldSizes: [Int64: Int] = [:]
        for document in documents { if let id = document.clusterID { oldSizes[id, default: 0] += 1 } }
        var replaced = Set(oldSizes.keys)
        var rows: [DedupClusterRow] = []
        for (cluster, row) in zip(clusters, clusterRows(clusters, universe: universe)) {
            // Same id, same size and no member's marks changed: the same members as before.
            if oldSizes[row.id] == row.size, !cluster.members.contains(where: changed.contains),
               try store.clusterWarning(row.id) == .some(row.warning) {
                replaced.remove(row.id)
            } else {
                replaced.insert(row.id)
                rows.append(row)
            }
        }
        try store.replaceClusters(ids: replaced, with: rows)
    }

    /// Writes `duplicate_of` and `cluster_id` of `documents` where they change; returns the
    /// indices of those that changed.
    private func writeMarks(
        _ clusters: [DedupCluster], documents: [DedupDocument], universe: DedupUniverse, store: DedupStore
    ) throws -> Set<Int> {
        var target = [(duplicateOf: Int64?, clusterID: Int64?)](repeating: (nil, nil), count: documents.count)
        for cluster in clusters {
            let canonicalID = universe.ids[cluster.canonical]
            for member in cluster.members {
                target[member] = (member == cluster.canonical ? nil : canonicalID, canonicalID)
            }
        }
        var changed = Set<Int>()
        for (index, document) in documents.enumerated()
        where document.duplicateOf != target[index].duplicateOf || document.clusterID != target[index].clusterID {
            try store.updateDocument(document.id, duplicateOf: target[index].duplicateOf, clusterID: target[index].clusterID)
            changed.insert(index)
        }
        return changed
    }

    /// The `dedup_cluster` rows of `clusters`.
    private func clusterRows(_ clusters: [DedupCluster], universe: DedupUniverse) -> [DedupClusterRow] {
        clusters.map { cluster in
            let canonicalID = universe.ids[cluster.canonical]
            return DedupClusterRow(id: canonicalID, canonical: canonicalID, size: cluster.members.count, warning: cluster.warning)
        }
    }

    private func warnings(_ clusters: [DedupCluster], universe: DedupUniverse) -> [String] {
        clusters.compactMap { cluster in cluster.warning.map { "cluster \(universe.ids[cluster.canonical]): \($0)" } }
    }

    /// Whether `cluster` holds more documents of one source than the share guard allows for
    /// the smallest source it checks (so the guard needs the sources' sizes).
    private func mayExceedSourceShare(_ cluster: DedupCluster, universe: DedupUniverse) -> Bool {
        let limit = options.maxSourceShare * Double(options.minSourceDocsForShare)
        guard Double(cluster.members.count) > limit else { return false }
        var perSource: [Int64: Int] = [:]
        for member in cluster.members { perSource[universe.sources[member], default: 0] += 1 }
        return perSource.values.contains { Double($0) > limit }
    }

    /// Documents per source in `universe`.
    private static func sourceSizes(of universe: DedupUniverse) -> [Int64: Int] {
        var sizes: [Int64: Int] = [:]
        for source in universe.sources { sizes[source, default: 0] += 1 }
        return sizes
    }

    /// The thresholds of the sweep: the floor, then every multiple of 0.05 above it up to 1.0.
    private func sweepThresholds() -> [Double] {
        var thresholds: [Double] = []
        var step = (options.effectiveFloor * 20).rounded(.up) / 20
        if step > options.effectiveFloor + 1e-9 { thresholds.append(options.effectiveFloor) }
        while step <= 1.0 + 1e-9 {
            thresholds.append((step * 100).rounded() / 100)
            step += 0.05
        }
        return thresholds
    }

    /// For each sweep threshold: clusters, and the documents and tokens it would mark, from
    /// `edges` over `universe`. Additive over components, so an incremental run can update it.
    private func sweep(
        universe: DedupUniverse, edges: [DenseEdge]
    ) -> [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] {
        let thresholds = sweepThresholds()
        guard options.star else {
            return ThresholdSweep(universe: universe, scope: options.scope).rows(edges: edges, thresholds: thresholds)
        }
        let builder = ClusterBuilder(universe: universe, options: options, sourceSizes: [:])
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

/// A pair of document ids, smaller first.
private struct EdgeKey: Hashable {
    let a: Int64
    let b: Int64
}

/// A 128-bit content hash as a dictionary key.
private struct ContentKey: Hashable {
    let high: UInt64
    let low: UInt64
}

/// The keep policy as SQL over the `docs` view.
enum KeepPolicy {
    /// Every visible document (or those in the JSON array bound to `?1` when `restricted`) in
    /// keep order, ties broken by id.
    static func rankingSQL(orderBy: String, restricted: Bool = false) -> String {
        restricted
            ? "SELECT document_id FROM docs WHERE document_id IN (SELECT value FROM json_each(?1)) ORDER BY \(orderBy), document_id"
            : "SELECT document_id FROM docs ORDER BY \(orderBy), document_id"
    }

    /// The part of a store error a person needs.
    static func reason(_ error: Error) -> String {
        if case let StoreError.sqlite(_, message, _) = error { return message }
        return "\(error)"
    }
}
