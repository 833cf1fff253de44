/// `catalog similar` and `catalog explain`: a document's near-duplicates and why it was kept
/// or marked.
public struct DuplicateExplainer {
    private let store: DedupStore
    private let scheme = MinHashScheme.standard

    /// An explainer over `catalog`.
    public init(catalog: Catalog) throws(StoreError) {
        store = try DedupStore(catalog: catalog)
    }

    /// The document a DOC argument names: a `doc_key`, or a `document_id`.
    public func resolve(_ argument: String) throws -> Int64 {
        let byKey = try store.documentIDs(forKey: argument)
        if byKey.count == 1 { return byKey[0] }
        if byKey.count > 1 { throw DedupRunError.ambiguousDocument(key: argument, matches: byKey.count) }
        if let id = Int64(argument), try store.summary(of: id) != nil { return id }
        throw DedupRunError.unknownDocument(argument)
    }

    /// Estimated Jaccard of two documents' signatures (1 for the same text); nil without signatures.
    public func similarity(_ a: Int64, _ b: Int64) throws -> Double? {
        if try store.exactCopies(of: a).contains(b) { return 1 }
        let schemeID = try IngestStore(catalog: store.catalog).schemeID(for: scheme.row)
        let first = try store.withSignature(schemeID: schemeID, documentID: a) { $0.map { Array($0) } }
        guard let first else { return nil }
        return try store.withSignature(schemeID: schemeID, documentID: b) { raw in
            raw.flatMap { raw in first.withUnsafeBytes { LSHBanding.estimatedJaccard(rawSignature: $0, raw) } }
        }
    }

    /// The document's exact copies and verified near-duplicates, most similar first.
    public func similar(to id: Int64) throws -> RowSet {
        let copies = try store.exactCopies(of: id)
        let representative = copies.first ?? id
        var found: [Int64: Double] = [:]
        for copy in copies where copy != id { found[copy] = 1 }
        for (other, similarity) in try store.edges(of: representative) {
            for copy in try store.exactCopies(of: other) where copy != id {
                found[copy] = max(found[copy] ?? 0, similarity)
            }
        }
        let cluster = try store.summary(of: id)?[7]
        var rows: [[SQLValue]] = []
        for (other, similarity) in found.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            guard let summary = try store.summary(of: other) else { continue }
            let relation = copies.contains(other) ? "exact copy" : "near duplicate"
            let sameCluster = cluster != nil && cluster != .null && summary[7] == cluster
            rows.append([
                .integer(other), summary[1], summary[2], .real((similarity * 10_000).rounded() / 10_000),
                .text(relation), .integer(sameCluster ? 1 : 0),
            ])
        }
        return RowSet(columns: ["document_id", "doc_key", "source", "similarity", "relation", "same_cluster"], rows: rows)
    }

    /// Lines saying which cluster the document is in, its similarity to the canonical, and why
    /// it was kept or marked.
    public func explain(_ id: Int64) throws -> [String] {
        guard let summary = try store.summary(of: id) else { throw DedupRunError.unknownDocument(String(id)) }
        var lines = [
            "document \(id) \(summary[1]) (source \(summary[2]), domain \(summary[3]), \(summary[4]) tokens, "
                + "quality \(summary[5] == .null ? "none" : summary[5].description))",
        ]
        guard let run = try store.lastRun() else {
            lines.append("not clustered yet: run `catalog dedup` first")
            return lines
        }
        let policy = "keep order \(JSONText.quoted(run.keep))"
        guard case let .integer(clusterID) = summary[7] else {
            lines.append(
                "not in any cluster: no exact copy and no verified near-duplicate ≥ \(run.threshold) "
                    + "(scope \(run.scope)); kept")
            return lines
        }
        let size = try store.clusterSize(clusterID) ?? 0
        lines.append("cluster \(clusterID) (\(size) documents; threshold \(run.threshold), scope \(run.scope)\(run.star ? ", star" : ""))")
        guard case let .integer(canonical) = summary[6] else {
            lines.append("canonical: kept, because it comes first in its cluster in the \(policy)")
            return lines
        }
        let canonicalSummary = try store.summary(of: canonical)
        let similarity = try self.similarity(id, canonical)
        let similarityText = similarity.map { Format.decimal($0, digits: 3) } ?? "unknown (no signature)"
        lines.append(
            "duplicate of \(canonical) \(canonicalSummary?[1].description ?? "") (source \(canonicalSummary?[2].description ?? "")), "
                + "estimated similarity \(similarityText)")
        if let similarity, similarity < run.threshold {
            lines.append(
                "joined through other members (similarity to the canonical < \(run.threshold)); "
                    + "`catalog dedup --star` forbids such chains")
        }
        lines.append("marked, because the canonical comes before it in the \(policy)")
        return lines
    }
}
