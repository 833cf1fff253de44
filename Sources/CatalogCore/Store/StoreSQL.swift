/// SQL text used by the store, grouped by area. Values are always bound, never interpolated.
enum StoreSQL {
    /// Bookkeeping of applied migrations.
    enum Migration {
        static let createTable = """
            CREATE TABLE IF NOT EXISTS schema_migration (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            ) STRICT
            """
        static let record = "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)"
    }
}

extension StoreSQL {
    /// Document texts and their dictionaries.
    enum Text {
        static let read = "SELECT dict_id, body FROM document_text WHERE document_id = ?"
        static let readDictionary = "SELECT dictionary FROM zstd_dictionary WHERE dict_id = ?"
    }
}

extension StoreSQL {
    /// Sources, ingest provenance and document rows written by `catalog add`.
    enum Ingest {
        static let findSource = "SELECT source_id FROM source WHERE name = ?"
        static let insertSource = "INSERT INTO source (name, default_domain, created_at) VALUES (?, ?, ?)"
        static let sourceDefaultDomain = "SELECT default_domain FROM source WHERE source_id = ?"

        static let findScheme = """
            SELECT scheme_id FROM minhash_scheme
             WHERE shingle_size = ? AND permutations = ? AND seed = ? AND normalisation = ? AND hash_family = ?
            """
        static let insertScheme = """
            INSERT INTO minhash_scheme (shingle_size, permutations, seed, normalisation, hash_family, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        static let findBanding = "SELECT banding_id FROM lsh_banding WHERE scheme_id = ? AND bands = ? AND rows_per_band = ?"
        static let insertBanding = """
            INSERT INTO lsh_banding (scheme_id, bands, rows_per_band, created_at) VALUES (?, ?, ?, ?)
            """

        static let findFileBySHA256 = """
            SELECT ingest_file_id, status, path, docs_added, lines_read, lines_rejected, lines_repaired, finished_at,
                   options
              FROM ingest_file WHERE content_sha256 = ? AND status IN ('complete', 'running')
             ORDER BY status = 'complete' DESC, ingest_file_id LIMIT 1
            """
        static let insertFile = """
            INSERT INTO ingest_file (path, bytes, content_sha256, format, source_id, options, status, started_at)
            VALUES (?, ?, ?, ?, ?, ?, 'running', ?)
            """
        static let resumeFile = "UPDATE ingest_file SET path = ?, started_at = ? WHERE ingest_file_id = ?"
        static let setFileFingerprint = "UPDATE ingest_file SET bytes = ?, content_sha256 = ? WHERE ingest_file_id = ?"
        static let recordedFileSizes = "SELECT DISTINCT bytes FROM ingest_file WHERE status IN ('complete', 'running')"
        static let restartFile = """
            UPDATE ingest_file
               SET path = ?, started_at = ?, options = ?, source_id = ?, format = ?, lines_read = 0, docs_added = 0,
                   lines_rejected = 0, lines_repaired = 0
             WHERE ingest_file_id = ?
            """
        static let updateFileProgress = """
            UPDATE ingest_file SET lines_read = ?, docs_added = ?, lines_rejected = ?, lines_repaired = ?
             WHERE ingest_file_id = ?
            """
        static let finishFile = """
            UPDATE ingest_file SET status = ?, error = ?, finished_at = ? WHERE ingest_file_id = ?
            """
        static let insertProblem = """
            INSERT OR IGNORE INTO ingest_problem (ingest_file_id, line_no, severity, reason) VALUES (?, ?, ?, ?)
            """
        static let countProblems = "SELECT count(*) FROM ingest_problem WHERE ingest_file_id = ?"
        static let runningFiles = """
            SELECT ingest_file_id, path, docs_added FROM ingest_file WHERE status = 'running' ORDER BY ingest_file_id
            """

        static let deleteFileBands = """
            DELETE FROM lsh_band WHERE document_id IN (SELECT document_id FROM document WHERE ingest_file_id = ?)
            """
        static let deleteFileRecentBands = """
            DELETE FROM lsh_band_recent
             WHERE document_id IN (SELECT document_id FROM document WHERE ingest_file_id = ?)
            """
        static let deleteFileSignatures = """
            DELETE FROM minhash_signature
             WHERE document_id IN (SELECT document_id FROM document WHERE ingest_file_id = ?)
            """
        static let deleteFileTexts = """
            DELETE FROM document_text WHERE document_id IN (SELECT document_id FROM document WHERE ingest_file_id = ?)
            """
        static let deleteFileMeta = """
            DELETE FROM document_meta WHERE document_id IN (SELECT document_id FROM document WHERE ingest_file_id = ?)
            """
        static let deleteFileQualitySignals = """
            DELETE FROM quality_signal WHERE document_id IN (SELECT document_id FROM document WHERE ingest_file_id = ?)
            """
        static let deleteFileDocuments = "DELETE FROM document WHERE ingest_file_id = ?"
        /// Documents of other files marked as copies of the file's documents (only possible for
        /// a file that was complete) lose that mark before the file's rows go.
        static let clearDuplicateMarks = """
            UPDATE document SET duplicate_of = NULL
             WHERE duplicate_of IN (SELECT document_id FROM document WHERE ingest_file_id = ?1)
               AND ingest_file_id <> ?1
            """
        static let deleteFileProblems = "DELETE FROM ingest_problem WHERE ingest_file_id = ?"

        static let findDictionary = "SELECT dict_id, dictionary FROM zstd_dictionary WHERE source_id = ?"
        static let insertDictionary = """
            INSERT INTO zstd_dictionary (source_id, zstd_dict_id, dictionary, sample_docs, sample_bytes, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """

        static let insertDocument = """
            INSERT INTO document
                (source_id, ingest_file_id, line_no, doc_key, domain, lang, bytes, tokens, quality,
                 content_hash, duplicate_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source_id, doc_key) DO NOTHING
            """
        /// The first copy among documents of complete files and of the file being written (?2).
        static let firstWithContentHash = """
            SELECT d.document_id FROM document d JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
             WHERE d.content_hash = ?1 AND (f.status = 'complete' OR d.ingest_file_id = ?2)
             ORDER BY d.document_id LIMIT 1
            """
        static let insertText = "INSERT INTO document_text (document_id, dict_id, body) VALUES (?, ?, ?)"
        static let insertMeta = "INSERT INTO document_meta (document_id, json) VALUES (?, ?)"
        static let insertSignature = "INSERT INTO minhash_signature (scheme_id, document_id, signature) VALUES (?, ?, ?)"
        /// The first document after ?2 with content hash ?1 whose frame used dictionary ?3.
        static let copyWithContentHash = """
            SELECT d.document_id FROM document d JOIN document_text t ON t.document_id = d.document_id
             WHERE d.content_hash = ?1 AND d.document_id > ?2 AND t.dict_id IS ?3
             ORDER BY d.document_id LIMIT 1
            """
        static let copyText = """
            INSERT INTO document_text (document_id, dict_id, body)
            SELECT ?1, dict_id, body FROM document_text WHERE document_id = ?2
            """
        static let signature = "SELECT signature FROM minhash_signature WHERE document_id = ?1 AND scheme_id = ?2"
        static let lastDocumentID = "SELECT coalesce(max(document_id), 0) FROM document"
    }

    /// The two-level LSH index (`lsh_band` + `lsh_band_recent`).
    enum LSHIndex {
        /// `rows` band keys in one statement: ?1 banding, then (band, band_key, document_id) of
        /// each row.
        static func insertRecent(rows: Int) -> String {
            let values = (0..<rows).map { "(?1, ?\(3 * $0 + 2), ?\(3 * $0 + 3), ?\(3 * $0 + 4))" }.joined(separator: ", ")
            return "INSERT OR IGNORE INTO lsh_band_recent (banding_id, band, band_key, document_id) VALUES " + values
        }
        static let counts = "SELECT merged_rows, recent_rows FROM lsh_banding WHERE banding_id = ?"
        static let saveCounts = "UPDATE lsh_banding SET merged_rows = ?, recent_rows = ? WHERE banding_id = ?"
        static let merge = """
            INSERT OR IGNORE INTO lsh_band (banding_id, band, band_key, document_id)
            SELECT banding_id, band, band_key, document_id FROM lsh_band_recent WHERE banding_id = ?
             ORDER BY band_key, band, banding_id, document_id
            """
        static let clearRecent = "DELETE FROM lsh_band_recent WHERE banding_id = ?"
        /// Buckets in key order (band_key, band), read straight off the primary key; the order
        /// of a bucket's documents is not specified.
        static let scanMerged = """
            SELECT band, band_key, document_id FROM lsh_band WHERE banding_id = ? ORDER BY band_key, band
            """
        static let scanRecent = """
            SELECT band, band_key, document_id FROM lsh_band_recent WHERE banding_id = ? ORDER BY band_key, band
            """
        static let members = """
            SELECT document_id FROM lsh_band WHERE banding_id = ?1 AND band = ?2 AND band_key = ?3
            UNION ALL
            SELECT document_id FROM lsh_band_recent WHERE banding_id = ?1 AND band = ?2 AND band_key = ?3
            """
    }
}

extension StoreSQL.Ingest {
    static let allDictionaries = """
        SELECT s.name, z.dict_id, z.dictionary FROM zstd_dictionary z JOIN source s USING (source_id)
         ORDER BY s.name
        """
}

extension StoreSQL {
    /// Near-duplicate clustering (`catalog dedup`).
    enum Dedup {
        static let visibleDocuments = """
            SELECT d.document_id, d.source_id, d.domain, d.content_hash, d.ingest_file_id, d.tokens,
                   d.duplicate_of, d.cluster_id
              FROM document d JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
             WHERE f.status = 'complete'
             ORDER BY d.document_id
            """
        static let processedFiles = "SELECT ingest_file_id FROM dedup_file WHERE banding_id = ?"
        static let sourceNames = "SELECT source_id, name FROM source ORDER BY source_id"
        static let markFileProcessed = "INSERT OR IGNORE INTO dedup_file (banding_id, ingest_file_id) VALUES (?, ?)"
        static let signature = "SELECT signature FROM minhash_signature WHERE scheme_id = ? AND document_id = ?"
        static let allSignatures = """
            SELECT document_id, signature FROM minhash_signature WHERE scheme_id = ? ORDER BY document_id
            """
        static let insertEdge = """
            INSERT INTO dedup_edge (doc_a, doc_b, similarity, banding_id) VALUES (?, ?, ?, ?)
            ON CONFLICT (doc_a, doc_b) DO NOTHING
            """
        static let dropEdgeIndex = "DROP INDEX dedup_edge_by_b"
        /// Must match migrations/0002_create_dedup.sql.
        static let createEdgeIndex = "CREATE INDEX dedup_edge_by_b ON dedup_edge(doc_b, doc_a)"
        static let edgesAtLeast = "SELECT doc_a, doc_b, similarity FROM dedup_edge WHERE similarity >= ? ORDER BY doc_a, doc_b"
        static let edgesOf = """
            SELECT doc_b, similarity FROM dedup_edge WHERE doc_a = ?1
            UNION ALL
            SELECT doc_a, similarity FROM dedup_edge WHERE doc_b = ?1
            """
        static let updateDocument = "UPDATE document SET duplicate_of = ?, cluster_id = ? WHERE document_id = ?"
        static let clearClusters = "DELETE FROM dedup_cluster"
        static let insertCluster = "INSERT INTO dedup_cluster (cluster_id, canonical_id, size, warning) VALUES (?, ?, ?, ?)"
        static let clearSweep = "DELETE FROM dedup_sweep"
        static let insertSweep = """
            INSERT INTO dedup_sweep (threshold, clusters, marked_docs, marked_tokens) VALUES (?, ?, ?, ?)
            """
        static let insertRun = """
            INSERT INTO dedup_run (threshold, floor, scope, keep, star, banding_id, new_docs, candidates, new_edges,
                                   clusters, duplicates, changed_docs, seconds, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        static let findDocumentsByKey = "SELECT document_id FROM docs WHERE doc_key = ? ORDER BY document_id"
        static let documentSummary = """
            SELECT document_id, doc_key, source, domain, tokens, quality, duplicate_of, cluster_id
              FROM docs WHERE document_id = ?
            """
        static let exactCopies = """
            SELECT c.document_id FROM document d JOIN document c ON c.content_hash = d.content_hash
              JOIN ingest_file f ON f.ingest_file_id = c.ingest_file_id
             WHERE d.document_id = ? AND f.status = 'complete' ORDER BY c.document_id
            """
        static let lastRun = "SELECT threshold, keep, star, scope FROM dedup_run ORDER BY run_id DESC LIMIT 1"
        static let lastRunSettings = """
            SELECT threshold, floor, scope, keep, star, banding_id FROM dedup_run ORDER BY run_id DESC LIMIT 1
            """
        /// Documents of complete files not yet joined against a banding, by id.
        static let unjoinedDocuments = """
            SELECT d.document_id, d.source_id, d.domain, d.content_hash, d.ingest_file_id, d.tokens,
                   d.duplicate_of, d.cluster_id
              FROM ingest_file f JOIN document d ON d.ingest_file_id = f.ingest_file_id
             WHERE f.status = 'complete'
               AND NOT EXISTS (SELECT 1 FROM dedup_file x WHERE x.banding_id = ?1 AND x.ingest_file_id = f.ingest_file_id)
             ORDER BY d.document_id
            """
        static let document = """
            SELECT document_id, source_id, domain, content_hash, ingest_file_id, tokens, duplicate_of, cluster_id
              FROM document WHERE document_id = ?
            """
        /// Covered by document_by_content_hash.
        static let documentsWithContentHash = "SELECT document_id FROM document WHERE content_hash = ?"
        static let completeFiles = "SELECT ingest_file_id FROM ingest_file WHERE status = 'complete'"
        static let edgesFrom = "SELECT doc_b, similarity FROM dedup_edge WHERE doc_a = ?"
        /// Covered by dedup_edge_by_b.
        static let edgeEndsTo = "SELECT doc_a FROM dedup_edge WHERE doc_b = ?"
        /// A complete file's docs_added is the number of its documents (resumed runs included).
        static let visibleDocumentCount = "SELECT coalesce(sum(docs_added), 0) FROM ingest_file WHERE status = 'complete'"
        static let visibleDocumentsPerSource = """
            SELECT d.source_id, count(*) FROM document d JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
             WHERE f.status = 'complete' GROUP BY d.source_id ORDER BY d.source_id
            """
        /// Joined files that are no longer complete (their documents left the index).
        static let joinedFilesNotComplete = """
            SELECT count(*) FROM dedup_file x JOIN ingest_file f ON f.ingest_file_id = x.ingest_file_id
             WHERE x.banding_id = ? AND f.status <> 'complete'
            """
        static let deleteCluster = "DELETE FROM dedup_cluster WHERE cluster_id = ?"
        static let clusterWarning = "SELECT warning FROM dedup_cluster WHERE cluster_id = ?"
        static let sweepRows = "SELECT threshold, clusters, marked_docs, marked_tokens FROM dedup_sweep ORDER BY threshold"
        static let clusterTotals = "SELECT count(*), coalesce(sum(size), 0) - count(*) FROM dedup_cluster"
        static let clusterSize = "SELECT size FROM dedup_cluster WHERE cluster_id = ?"
    }
}

extension StoreSQL {
    /// Quality signals (`quality_signal`), their versions, and `catalog rescore`.
    enum Quality {
        /// Every column of `quality_signal`, in the order of `QualitySignals.columnNames` between
        /// quality_from_input and default_quality.
        static let signalColumns = """
            document_id, signal_version, quality_from_input, char_count, line_count, word_count, word_count_all, mean_word_length, hash_word_ratio, ellipsis_word_ratio, bullet_line_fraction, ellipsis_line_fraction, alpha_word_fraction, stop_word_count, dup_para_fraction, dup_para_char_fraction, dup_line_fraction, dup_line_char_fraction, top_2gram_char_fraction, top_3gram_char_fraction, top_4gram_char_fraction, dup_5gram_char_fraction, dup_6gram_char_fraction, dup_7gram_char_fraction, dup_8gram_char_fraction, dup_9gram_char_fraction, dup_10gram_char_fraction, c4_lines_kept, c4_sentences, c4_lorem_ipsum, c4_curly_bracket, c4_javascript_lines, c4_policy_lines, c4_datatrove_lines_kept, c4_datatrove_sentences, c4_datatrove_lorem_ipsum, c4_datatrove_curly_bracket, c4_fineweb_lines_kept, c4_fineweb_sentences, c4_fineweb_lorem_ipsum, c4_fineweb_curly_bracket, fineweb_lines, fineweb_line_punct_ratio, fineweb_short_line_ratio, fineweb_char_dup_ratio, fineweb_list_ratio, default_quality
            """
        /// `signalColumns` as names.
        static let signalColumnNames = signalColumns.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
        /// Inserts a new document's signal row (ingest: its document was just inserted, so it
        /// has none; a stale row would fail the file rather than be overwritten).
        static let insertSignal = "INSERT INTO quality_signal (\(signalColumnNames.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: signalColumnNames.count).joined(separator: ", ") + ")"
        /// Inserts a document's signal row, or updates every column of an existing one (rescore).
        /// An upsert rather than INSERT OR REPLACE: REPLACE deletes and reinserts, which with
        /// foreign keys on costs ×2–3 per row.
        static let upsertSignal = insertSignal + " ON CONFLICT (document_id) DO UPDATE SET "
            + signalColumnNames.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        static let recordVersion = """
            INSERT OR IGNORE INTO quality_signal_version (version, description, created_at) VALUES (?, ?, ?)
            """
        /// Documents whose signals are missing or older than ?2, after document ?1, in id order
        /// (?3 at most): id, quality, whether a signal row exists, and its quality_from_input.
        static let staleDocuments = """
            SELECT d.document_id, d.quality, q.document_id IS NOT NULL, q.quality_from_input
              FROM document d LEFT JOIN quality_signal q ON q.document_id = d.document_id
             WHERE d.document_id > ?1 AND (q.document_id IS NULL OR q.signal_version < ?2)
             ORDER BY d.document_id
             LIMIT ?3
            """
        static let countStale = """
            SELECT count(*) FROM document d LEFT JOIN quality_signal q ON q.document_id = d.document_id
             WHERE q.document_id IS NULL OR q.signal_version < ?
            """
        static let setQuality = "UPDATE document SET quality = ? WHERE document_id = ?"
    }
}
