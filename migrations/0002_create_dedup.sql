-- 0002: near-duplicate clustering state: verified edges, what has been joined, runs, clusters.
-- Never edit this file once landed; add a new numbered migration instead.

-- Verified near-duplicate pairs (estimated Jaccard of their signatures >= the run's floor),
-- one row per pair with doc_a < doc_b. A later, higher threshold reuses them.
CREATE TABLE dedup_edge (
    doc_a          INTEGER NOT NULL,
    doc_b          INTEGER NOT NULL,
    similarity     REAL NOT NULL,
    banding_id     INTEGER NOT NULL REFERENCES lsh_banding(banding_id),
    PRIMARY KEY (doc_a, doc_b)
) STRICT, WITHOUT ROWID;
CREATE INDEX dedup_edge_by_b ON dedup_edge(doc_b, doc_a);

-- The ingest files whose documents have been joined against a banding's index (and, for a
-- banding other than the ingest default, whose band keys it holds).
CREATE TABLE dedup_file (
    banding_id     INTEGER NOT NULL REFERENCES lsh_banding(banding_id),
    ingest_file_id INTEGER NOT NULL REFERENCES ingest_file(ingest_file_id),
    PRIMARY KEY (banding_id, ingest_file_id)
) STRICT, WITHOUT ROWID;

-- One row per `catalog dedup`.
CREATE TABLE dedup_run (
    run_id         INTEGER PRIMARY KEY,
    threshold      REAL NOT NULL,
    floor          REAL NOT NULL,
    scope          TEXT NOT NULL CHECK (scope IN ('global', 'source', 'domain')),
    keep           TEXT NOT NULL,
    star           INTEGER NOT NULL,
    banding_id     INTEGER NOT NULL REFERENCES lsh_banding(banding_id),
    new_docs       INTEGER NOT NULL,
    candidates     INTEGER NOT NULL,
    new_edges      INTEGER NOT NULL,
    clusters       INTEGER NOT NULL,
    duplicates     INTEGER NOT NULL,
    changed_docs   INTEGER NOT NULL,
    seconds        REAL NOT NULL,
    finished_at    TEXT NOT NULL
) STRICT;

-- The clusters of the last run: canonical, size, and why it was flagged (if it was).
CREATE TABLE dedup_cluster (
    cluster_id     INTEGER PRIMARY KEY,
    canonical_id   INTEGER NOT NULL REFERENCES document(document_id),
    size           INTEGER NOT NULL,
    warning        TEXT
) STRICT;

-- Documents each threshold from the floor to 1.0 would mark as duplicates, from stored edges.
CREATE TABLE dedup_sweep (
    threshold      REAL PRIMARY KEY,
    clusters       INTEGER NOT NULL,
    marked_docs    INTEGER NOT NULL,
    marked_tokens  INTEGER NOT NULL
) STRICT;

-- Members of a cluster, for reports and `catalog explain`.
CREATE INDEX document_by_cluster ON document(cluster_id) WHERE cluster_id IS NOT NULL;

-- One row per cluster with its canonical and size.
CREATE VIEW dup_clusters AS
SELECT c.cluster_id, c.canonical_id, d.doc_key AS canonical_key, s.name AS canonical_source, c.size, c.warning
FROM dedup_cluster c
JOIN document d ON d.document_id = c.canonical_id
JOIN source s ON s.source_id = d.source_id;

-- Duplicate share by source and domain, in documents and tokens.
CREATE VIEW dedup_by_source AS
SELECT source, domain,
       count(*)                                                        AS docs,
       count(duplicate_of)                                             AS duplicates,
       round(count(duplicate_of) * 1.0 / count(*), 6)                  AS duplicate_share,
       sum(tokens)                                                     AS tokens,
       sum(CASE WHEN duplicate_of IS NOT NULL THEN tokens ELSE 0 END)  AS duplicate_tokens,
       round(sum(CASE WHEN duplicate_of IS NOT NULL THEN tokens ELSE 0 END) * 1.0 / nullif(sum(tokens), 0), 6)
                                                                       AS duplicate_token_share
FROM docs
GROUP BY source, domain;

-- How many clusters have each size.
CREATE VIEW dedup_cluster_sizes AS
SELECT size, count(*) AS clusters, sum(size) AS documents FROM dedup_cluster GROUP BY size;

-- Duplicates of source_a whose canonical is in source_b.
CREATE VIEW dedup_source_overlap AS
SELECT d.source AS source_a, c.source AS source_b, count(*) AS duplicates, sum(d.tokens) AS tokens
FROM docs d JOIN docs c ON c.document_id = d.duplicate_of
GROUP BY d.source, c.source;
