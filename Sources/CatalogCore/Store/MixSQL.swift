/// SQL of recipes and mixes. Recipe `where`/`prefer` expressions are the one place user SQL is
/// embedded into ours: only after `UserExpression.check` has shown that they stay inside their
/// parentheses, and only run on a read-only connection behind the authorizer (`ReadOnlyQuery`).
extension StoreSQL {
    enum Recipe {
        static let latest = "SELECT recipe_id, version, sha256 FROM recipe WHERE name = ? ORDER BY version DESC LIMIT 1"
        static let insert = "INSERT INTO recipe (name, version, body, sha256, created_at) VALUES (?, ?, ?, ?, ?)"
        static let find = "SELECT recipe_id, name, version, body, sha256, created_at FROM recipe WHERE name = ? AND version = ?"
        static let findLatest = """
            SELECT recipe_id, name, version, body, sha256, created_at FROM recipe WHERE name = ? ORDER BY version DESC LIMIT 1
            """
        static let list = """
            SELECT name, version, sha256, created_at, runs FROM recipes ORDER BY name, version
            """
        static let names = "SELECT DISTINCT name FROM recipe ORDER BY name"
    }

    enum MixRun {
        static let insertRun = """
            INSERT INTO mix_run (recipe_id, seed, format, shard_size, out_dir, catalog_fingerprint, documents, tokens,
                                 bytes, started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        static let insertShard = """
            INSERT INTO mix_run_shard (mix_run_id, shard_index, file, phase, bytes, sha256, documents, tokens)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """
        static let insertComponent = """
            INSERT INTO mix_run_component (mix_run_id, phase, component, target, documents, tokens, max_times)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        static let insertDocument = """
            INSERT INTO mix_run_document (document_id, mix_run_component_id, times) VALUES (?, ?, ?)
            """
    }

    /// The pieces of the catalog fingerprint (see `CatalogFingerprint`).
    enum Fingerprint {
        static let schemaVersion = "PRAGMA user_version"
        static let completeFiles = """
            SELECT content_sha256 FROM ingest_file WHERE status = 'complete' ORDER BY content_sha256
            """
        static let documentState = """
            SELECT count(*), coalesce(sum(duplicate_of), 0), count(duplicate_of), total(quality), count(quality),
                   coalesce(sum(cluster_id), 0)
              FROM document d JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
             WHERE f.status = 'complete'
            """
    }

    /// What materialize reads for each document it writes.
    enum MixText {
        static let document = """
            SELECT d.domain, d.lang, d.quality, t.dict_id, t.body, m.json
              FROM document d
              JOIN document_text t ON t.document_id = d.document_id
              LEFT JOIN document_meta m ON m.document_id = d.document_id
             WHERE d.document_id = ?
            """
    }
}

/// Compiles recipe filters into SQL over the `docs` view.
public enum MixQuerySQL {
    /// The WHERE clause of a (phase, component): the component's filter, the phase's filter and
    /// the duplicate exclusion, each in parentheses.
    public static func condition(componentFilter: String?, phaseFilter: String?, excludeDuplicates: Bool) -> String {
        var parts: [String] = []
        if let componentFilter { parts.append("(\(componentFilter))") }
        if let phaseFilter { parts.append("(\(phaseFilter))") }
        if excludeDuplicates { parts.append("duplicate_of IS NULL") }
        return parts.isEmpty ? "1" : parts.joined(separator: "\n   AND ")
    }

    /// The sampling weight expression: `prefer` as a REAL (NULL counts as 0), or 1.
    public static func weight(prefer: String?) -> String {
        prefer.map { "coalesce(CAST((\($0)) AS REAL), 0.0)" } ?? "1.0"
    }

    /// The candidate documents of a (phase, component): id, key, source, tokens and weight.
    public static func candidates(condition: String, prefer: String?) -> String {
        """
        SELECT document_id, doc_key, source, tokens, \(weight(prefer: prefer)) AS weight
          FROM docs
         WHERE \(condition)
         ORDER BY document_id
        """
    }

    /// Aggregates of a (phase, component): documents and tokens with weight > 0, and how many
    /// documents have a negative weight (an error) or weight 0 (never chosen).
    public static func availability(condition: String, prefer: String?) -> String {
        """
        SELECT count(*) FILTER (WHERE weight > 0),
               coalesce(sum(tokens) FILTER (WHERE weight > 0), 0),
               count(*) FILTER (WHERE weight < 0),
               min(doc_key) FILTER (WHERE weight < 0),
               count(*) FILTER (WHERE weight = 0)
          FROM (SELECT doc_key, tokens, \(weight(prefer: prefer)) AS weight
                  FROM docs
                 WHERE \(condition))
        """
    }

    /// A statement that compiles `expression` alone, to check it (SQLite reports its errors).
    public static func probe(expression: String) -> String {
        "SELECT (\(expression)) FROM docs"
    }
}

/// Checks that a user SQL expression stays one expression once embedded in parentheses.
public enum UserExpression {
    /// Why `expression` cannot be embedded, or nil when it can: no `;`, no comments, and
    /// parentheses balanced without ever closing one it did not open (so `1) UNION SELECT (1`
    /// is refused). Quoted strings and identifiers are skipped.
    public static func problem(_ expression: String) -> String? {
        let bytes = Array(expression.utf8)
        var depth = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                guard let end = bytes[(index + 1)...].firstIndex(of: byte) else {
                    return "unterminated quote \(Character(UnicodeScalar(byte)))"
                }
                index = end
                // A doubled quote is an escaped quote: continue inside the literal.
                while index + 1 < bytes.count && bytes[index + 1] == byte {
                    guard let next = bytes[(index + 2)...].firstIndex(of: byte) else {
                        return "unterminated quote \(Character(UnicodeScalar(byte)))"
                    }
                    index = next
                }
            case UInt8(ascii: "["):
                guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                    return "unterminated [identifier]"
                }
                index = end
            case UInt8(ascii: "("):
                depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth < 0 { return "closes a parenthesis it did not open; a filter must be one SQL expression" }
            case UInt8(ascii: ";"):
                return "contains ';'; a filter must be one SQL expression"
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                return "contains a comment (--); remove it"
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                return "contains a comment (/*); remove it"
            default:
                break
            }
            index += 1
        }
        return depth == 0 ? nil : "has \(depth) unclosed parenthes\(depth == 1 ? "is" : "es")"
    }
}
