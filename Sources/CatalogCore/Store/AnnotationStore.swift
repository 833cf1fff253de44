extension StoreSQL {
    /// Attributes imported by `catalog annotate` (migration 0004).
    enum Annotation {
        static let sources = "SELECT source_id, name FROM source ORDER BY name"
        static let sourceByName = "SELECT source_id, name FROM source WHERE name = ?"
        /// A visible document by source and key (uses the UNIQUE (source_id, doc_key) index).
        static let findDocument = """
            SELECT d.document_id FROM document d JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
             WHERE d.source_id = ? AND d.doc_key = ? AND f.status = 'complete'
            """
        static let upsertAttribute = """
            INSERT INTO attribute (name, type, source_file, file_sha256, field, key_field, source_filter, imported_at,
                                   documents, unknown_keys)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (name) DO UPDATE SET
                type = ?2, source_file = ?3, file_sha256 = ?4, field = ?5, key_field = ?6, source_filter = ?7,
                imported_at = ?8, documents = ?9, unknown_keys = ?10
            RETURNING attribute_id
            """
        static let deleteValues = "DELETE FROM attribute_value WHERE attribute_id = ?"
        static let insertValue = "INSERT INTO attribute_value (attribute_id, document_id, value) VALUES (?, ?, ?)"
        static let list = """
            SELECT name, type, documents, unknown_keys, field, source_filter, source_file, file_sha256, imported_at
              FROM attribute ORDER BY name
            """
    }
}

/// Reads and writes imported attributes.
struct AnnotationStore {
    let connection: SQLiteConnection

    /// The sources keys are looked up in: the named one, or all.
    func sources(named name: String?) throws -> [(id: Int64, name: String)] {
        let statement = try connection.prepare(name == nil ? StoreSQL.Annotation.sources : StoreSQL.Annotation.sourceByName)
        if let name { try statement.bind([.text(name)]) }
        var out: [(Int64, String)] = []
        while try statement.step() { out.append((statement.int64(0), statement.text(1))) }
        return out
    }

    /// For each key, the visible documents it names (one per source that has it).
    func resolve(_ keys: [String], in sources: [(id: Int64, name: String)]) throws -> [[(documentID: Int64, source: String)]] {
        let statement = try connection.prepare(StoreSQL.Annotation.findDocument)
        var out: [[(Int64, String)]] = []
        out.reserveCapacity(keys.count)
        for key in keys {
            var found: [(Int64, String)] = []
            for source in sources {
                statement.reset()
                try statement.bind([.integer(source.id), .text(key)])
                if try statement.step() { found.append((statement.int64(0), source.name)) }
            }
            out.append(found)
        }
        return out
    }

    /// Replaces attribute `name` (provenance and all values) inside the caller's transaction.
    func replace(
        name: String, type: AttributeType, sourceFile: String, sha256: String, field: String, keyField: String,
        sourceFilter: String?, importedAt: String, unknownKeys: Int, values: [(documentID: Int64, value: SQLValue)]
    ) throws {
        let upsert = try connection.prepare(StoreSQL.Annotation.upsertAttribute)
        try upsert.bind([
            .text(name), .text(type.rawValue), .text(sourceFile), .text(sha256), .text(field), .text(keyField),
            sourceFilter.map { .text($0) } ?? .null, .text(importedAt), .integer(Int64(values.count)),
            .integer(Int64(unknownKeys)),
        ])
        guard try upsert.step() else { throw StoreError.sqlite(code: 1, message: "no attribute id returned", context: name) }
        let attributeID = upsert.int64(0)
        upsert.reset()
        try connection.prepare(StoreSQL.Annotation.deleteValues).run([.integer(attributeID)])
        let insert = try connection.prepare(StoreSQL.Annotation.insertValue)
        for (documentID, value) in values.sorted(by: { $0.documentID < $1.documentID }) {
            insert.reset()
            try insert.run([.integer(attributeID), .integer(documentID), value])
        }
    }

    /// Every attribute with its provenance.
    func list() throws -> RowSet {
        let statement = try connection.prepare(StoreSQL.Annotation.list)
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        return RowSet(columns: columns, rows: try statement.allRows())
    }
}
