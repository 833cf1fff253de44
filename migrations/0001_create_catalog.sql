-- 0001: the catalog's foundation: sources, ingest provenance, documents, their texts and
-- metadata, the MinHash scheme, signatures and LSH band keys, and the documented views.
-- Never edit this file once landed; add a new numbered migration instead.

CREATE TABLE source (
    source_id      INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    default_domain TEXT,
    created_at     TEXT NOT NULL
) STRICT;

-- One row per input file ingested (or being ingested). A file is identified by its content
-- (content_sha256): re-adding a complete file is a no-op, a 'running' one is resumed.
CREATE TABLE ingest_file (
    ingest_file_id INTEGER PRIMARY KEY,
    path           TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    format         TEXT NOT NULL,          -- jsonl | jsonl.gz | jsonl.zst | text
    source_id      INTEGER REFERENCES source(source_id),  -- NULL when sources come from a field
    options        TEXT NOT NULL,          -- JSON: the field mapping used
    status         TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
    docs_added     INTEGER NOT NULL DEFAULT 0,
    lines_read     INTEGER NOT NULL DEFAULT 0,
    lines_rejected INTEGER NOT NULL DEFAULT 0,
    lines_repaired INTEGER NOT NULL DEFAULT 0,
    error          TEXT,                   -- why a failed file failed
    started_at     TEXT NOT NULL,
    finished_at    TEXT
) STRICT;
CREATE INDEX ingest_file_by_sha256 ON ingest_file(content_sha256, status);

-- Per-line problems of an ingest file (the first 1,000 per file; counts are on ingest_file).
CREATE TABLE ingest_problem (
    ingest_file_id INTEGER NOT NULL REFERENCES ingest_file(ingest_file_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('rejected', 'repaired')),
    reason         TEXT NOT NULL,
    PRIMARY KEY (ingest_file_id, line_no, reason)
) STRICT, WITHOUT ROWID;

-- One row per document; kept narrow because composition queries scan it.
CREATE TABLE document (
    document_id    INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES source(source_id),
    ingest_file_id INTEGER NOT NULL REFERENCES ingest_file(ingest_file_id),
    line_no        INTEGER NOT NULL,       -- 1-based line in the input (1 for a text file)
    doc_key        TEXT NOT NULL,          -- the input id, or derived from the content
    domain         TEXT,
    lang           TEXT,
    bytes          INTEGER NOT NULL,       -- UTF-8 bytes of the text
    tokens         INTEGER NOT NULL,       -- estimated (see README: token estimator)
    quality        REAL,
    content_hash   BLOB NOT NULL,          -- first 16 bytes of sha256(text)
    duplicate_of   INTEGER REFERENCES document(document_id),
    cluster_id     INTEGER,
    UNIQUE (source_id, doc_key)
) STRICT;
CREATE INDEX document_by_content_hash ON document(content_hash);
-- Deleting a rolled-back file's documents checks who points at them.
CREATE INDEX document_by_duplicate ON document(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX document_by_ingest_file ON document(ingest_file_id, line_no);

-- zstd dictionaries, one trained per source.
CREATE TABLE zstd_dictionary (
    dict_id        INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL UNIQUE REFERENCES source(source_id),
    zstd_dict_id   INTEGER NOT NULL,       -- the id written in frame headers
    dictionary     BLOB NOT NULL,
    sample_docs    INTEGER NOT NULL,
    sample_bytes   INTEGER NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

-- The text of each document as one zstd frame (with its source's dictionary when dict_id is set).
CREATE TABLE document_text (
    document_id    INTEGER PRIMARY KEY REFERENCES document(document_id),
    dict_id        INTEGER REFERENCES zstd_dictionary(dict_id),
    body           BLOB NOT NULL
) STRICT;

-- The input record's other fields, as a JSON object.
CREATE TABLE document_meta (
    document_id    INTEGER PRIMARY KEY REFERENCES document(document_id),
    json           TEXT NOT NULL
) STRICT;

-- How signatures were computed; every signature names its scheme.
CREATE TABLE minhash_scheme (
    scheme_id      INTEGER PRIMARY KEY,
    shingle_size   INTEGER NOT NULL,
    permutations   INTEGER NOT NULL,
    seed           INTEGER NOT NULL,
    normalisation  TEXT NOT NULL,
    hash_family    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (shingle_size, permutations, seed, normalisation, hash_family)
) STRICT;

-- permutations × uint32 (little-endian) per document; documents without tokens have none.
CREATE TABLE minhash_signature (
    scheme_id      INTEGER NOT NULL REFERENCES minhash_scheme(scheme_id),
    document_id    INTEGER NOT NULL REFERENCES document(document_id),
    signature      BLOB NOT NULL,
    PRIMARY KEY (document_id, scheme_id)
) STRICT, WITHOUT ROWID;

-- A way of cutting a scheme's signatures into bands of rows. `catalog add` writes the band keys
-- of the scheme's default banding; `catalog dedup` adds the banding a threshold needs.
-- merged_rows / recent_rows count the rows of lsh_band / lsh_band_recent (approximately: rows
-- of rolled-back files are not subtracted); they only decide when to merge.
CREATE TABLE lsh_banding (
    banding_id     INTEGER PRIMARY KEY,
    scheme_id      INTEGER NOT NULL REFERENCES minhash_scheme(scheme_id),
    bands          INTEGER NOT NULL,
    rows_per_band  INTEGER NOT NULL,
    merged_rows    INTEGER NOT NULL DEFAULT 0,
    recent_rows    INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    UNIQUE (scheme_id, bands, rows_per_band)
) STRICT;

-- The persistent LSH index: one row per (document, band); join on (banding_id, band, band_key).
-- Two tables with the same key, like a two-level LSM tree: new keys go to lsh_band_recent,
-- which stays small enough for its random inserts to hit the page cache, and are merged into
-- lsh_band in key order once recent holds a quarter as many rows (each merge writes each page
-- of lsh_band at most once, instead of every commit rewriting most of it). Query the view
-- lsh_bands, or both tables.
CREATE TABLE lsh_band (
    banding_id     INTEGER NOT NULL,
    band           INTEGER NOT NULL,
    band_key       INTEGER NOT NULL,
    document_id    INTEGER NOT NULL,
    PRIMARY KEY (banding_id, band, band_key, document_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE lsh_band_recent (
    banding_id     INTEGER NOT NULL,
    band           INTEGER NOT NULL,
    band_key       INTEGER NOT NULL,
    document_id    INTEGER NOT NULL,
    PRIMARY KEY (banding_id, band, band_key, document_id)
) STRICT, WITHOUT ROWID;

CREATE VIEW lsh_bands AS
SELECT banding_id, band, band_key, document_id FROM lsh_band
UNION ALL
SELECT banding_id, band, band_key, document_id FROM lsh_band_recent;

-- What users query: one row per document of a completely ingested file.
CREATE VIEW docs AS
SELECT d.document_id,
       d.doc_key,
       s.name          AS source,
       d.domain,
       d.lang,
       d.bytes,
       d.tokens,
       d.quality,
       d.duplicate_of,
       d.cluster_id,
       f.finished_at   AS added_at,
       f.path          AS input_path,
       d.line_no
FROM document d
JOIN source s ON s.source_id = d.source_id
JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
WHERE f.status = 'complete';

-- One row per source, with what its completely ingested files hold.
CREATE VIEW sources AS
SELECT s.name                          AS source,
       s.default_domain,
       coalesce(a.docs, 0)             AS docs,
       coalesce(a.tokens, 0)           AS tokens,
       coalesce(a.bytes, 0)            AS bytes,
       coalesce(a.duplicates, 0)       AS duplicates,
       coalesce(a.files, 0)            AS files,
       s.created_at,
       a.last_added_at
FROM source s
LEFT JOIN (SELECT source,
                  count(*)              AS docs,
                  sum(tokens)           AS tokens,
                  sum(bytes)            AS bytes,
                  count(duplicate_of)   AS duplicates,
                  count(DISTINCT input_path) AS files,
                  max(added_at)         AS last_added_at
             FROM docs
            GROUP BY source) a ON a.source = s.name;

-- Tokens and documents by source and domain, with each group's share of all tokens.
CREATE VIEW composition AS
SELECT source,
       domain,
       count(*)                                          AS docs,
       sum(tokens)                                       AS tokens,
       sum(bytes)                                        AS bytes,
       sum(tokens) * 1.0 / (SELECT sum(tokens) FROM docs) AS token_share,
       count(duplicate_of)                               AS duplicates,
       sum(CASE WHEN duplicate_of IS NOT NULL THEN tokens ELSE 0 END) AS duplicate_tokens
FROM docs
GROUP BY source, domain;
