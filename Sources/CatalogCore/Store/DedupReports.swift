/// The duplicate reports of `catalog dedup --report`, each also a SQL view or table.
public struct DedupReports {
    private let catalog: Catalog

    /// Reports over `catalog`.
    public init(catalog: Catalog) { self.catalog = catalog }

    /// Every report, titled, in a fixed order.
    public func all() throws(StoreError) -> [(title: String, rows: RowSet)] {
        try [
            ("duplicates by source and domain (view dedup_by_source)", rows(StoreSQL.DedupReport.bySource)),
            ("cluster sizes (view dedup_cluster_sizes)", rows(StoreSQL.DedupReport.clusterSizes)),
            ("largest clusters (view dup_clusters)", rows(StoreSQL.DedupReport.largestClusters)),
            ("flagged clusters", rows(StoreSQL.DedupReport.flaggedClusters)),
            ("duplicates of source_a kept in source_b (view dedup_source_overlap)", rows(StoreSQL.DedupReport.overlap)),
            ("threshold sweep from stored edges (table dedup_sweep)", rows(StoreSQL.DedupReport.sweep)),
        ]
    }

    private func rows(_ sql: String) throws(StoreError) -> RowSet {
        let statement = try catalog.connection.prepare(sql)
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        return RowSet(columns: columns, rows: try statement.allRows())
    }
}

extension StoreSQL {
    /// Queries behind `DedupReports`.
    enum DedupReport {
        static let bySource = """
            SELECT source, domain, docs, duplicates, duplicate_share, tokens, duplicate_tokens, duplicate_token_share
              FROM dedup_by_source ORDER BY duplicate_tokens DESC, source, domain
            """
        static let clusterSizes = "SELECT size, clusters, documents FROM dedup_cluster_sizes ORDER BY size"
        static let largestClusters = """
            SELECT c.cluster_id, c.size, c.canonical_key, c.canonical_source,
                   (SELECT group_concat(doc_key, ', ')
                      FROM (SELECT d.doc_key FROM document d
                             WHERE d.cluster_id = c.cluster_id AND d.document_id <> c.canonical_id
                             ORDER BY d.document_id LIMIT 5)) AS sample_members
              FROM dup_clusters c ORDER BY c.size DESC, c.cluster_id LIMIT 10
            """
        static let flaggedClusters = """
            SELECT cluster_id, size, canonical_key, warning FROM dup_clusters
             WHERE warning IS NOT NULL ORDER BY size DESC, cluster_id
            """
        static let overlap = """
            SELECT source_a, source_b, duplicates, tokens FROM dedup_source_overlap
             ORDER BY duplicates DESC, source_a, source_b
            """
        static let sweep = "SELECT threshold, clusters, marked_docs, marked_tokens FROM dedup_sweep ORDER BY threshold"
    }
}
