/// How `catalog stats` groups documents.
public enum StatsGrouping: String, Sendable, CaseIterable {
    /// One row per source.
    case source
    /// One row per domain.
    case domain
    /// One row per (source, domain).
    case sourceDomain = "source,domain"

    /// The `docs` columns grouped by (identifiers come only from this closed enum).
    var columns: [String] {
        switch self {
        case .source: return ["source"]
        case .domain: return ["domain"]
        case .sourceDomain: return ["source", "domain"]
        }
    }
}

/// Composition of the catalog: documents, tokens, bytes and shares by group.
public struct CompositionQueries {
    private let catalog: Catalog

    /// Queries over `catalog`.
    public init(catalog: Catalog) { self.catalog = catalog }

    /// Statistics per group plus a `(total)` row: docs, tokens, bytes, token share, and the
    /// duplicate share in documents and in tokens; groups and total read in one transaction.
    public func stats(by grouping: StatsGrouping) throws(StoreError) -> RowSet {
        try catalog.connection.begin(.deferred)
        defer { try? catalog.connection.commit() }
        let groupColumns = grouping.columns.joined(separator: ", ")
        let sql = """
            WITH grouped AS (
                SELECT \(groupColumns),
                       count(*)                                                   AS docs,
                       sum(tokens)                                                AS tokens,
                       sum(bytes)                                                 AS bytes,
                       count(duplicate_of)                                        AS duplicates,
                       sum(CASE WHEN duplicate_of IS NOT NULL THEN tokens ELSE 0 END) AS duplicate_tokens
                  FROM docs
                 GROUP BY \(groupColumns)
            ), total AS (SELECT sum(tokens) AS tokens FROM grouped)
            SELECT \(grouping.columns.map { "g.\($0)" }.joined(separator: ", ")),
                   g.docs, g.tokens, g.bytes,
                   round(g.tokens * 1.0 / nullif(total.tokens, 0), 6)            AS token_share,
                   round(g.duplicates * 1.0 / g.docs, 6)                           AS duplicate_doc_share,
                   round(g.duplicate_tokens * 1.0 / nullif(g.tokens, 0), 6)        AS duplicate_token_share
              FROM grouped g, total
             ORDER BY g.tokens DESC, \(grouping.columns.map { "g.\($0)" }.joined(separator: ", "))
            """
        let statement = try catalog.connection.prepare(sql)
        var rows = try statement.allRows()
        let totals = try catalog.connection.prepare("""
            SELECT count(*), coalesce(sum(tokens), 0), coalesce(sum(bytes), 0),
                   round(count(duplicate_of) * 1.0 / nullif(count(*), 0), 6),
                   round(sum(CASE WHEN duplicate_of IS NOT NULL THEN tokens ELSE 0 END) * 1.0
                         / nullif(sum(tokens), 0), 6)
              FROM docs
            """).allRows()
        if let total = totals.first {
            let labels: [SQLValue] = grouping.columns.indices.map { $0 == 0 ? .text("(total)") : .null }
            rows.append(labels + [total[0], total[1], total[2], total[1] == .integer(0) ? .null : .real(1)] + [total[3], total[4]])
        }
        return RowSet(
            columns: grouping.columns + ["docs", "tokens", "bytes", "token_share", "duplicate_doc_share",
                                         "duplicate_token_share"],
            rows: rows)
    }

    /// One row per source (the `sources` view), by name.
    public func sources() throws(StoreError) -> RowSet {
        let statement = try catalog.connection.prepare(
            "SELECT source, default_domain, docs, tokens, bytes, duplicates, files, created_at, last_added_at "
                + "FROM sources ORDER BY source")
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        return RowSet(columns: columns, rows: try statement.allRows())
    }
}
