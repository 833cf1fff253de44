-- 0003: named, versioned mix recipes and the record of every materialized mix: its shards,
-- per-component figures and every document it used, with how many times.
-- Never edit this file once landed; add a new numbered migration instead.

-- A recipe version: the YAML text as added, its sha256, and when it was added. Versions of a
-- name count up from 1; re-adding an unchanged text adds nothing.
CREATE TABLE recipe (
    recipe_id      INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    body           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (name, version)
) STRICT;

-- One row per completed `catalog materialize` (a run that fails records nothing).
-- catalog_fingerprint identifies what the catalog held (see README: catalog fingerprint).
CREATE TABLE mix_run (
    mix_run_id          INTEGER PRIMARY KEY,
    recipe_id           INTEGER NOT NULL REFERENCES recipe(recipe_id),
    seed                INTEGER NOT NULL,
    format              TEXT NOT NULL,
    shard_size          INTEGER NOT NULL,
    out_dir             TEXT NOT NULL,
    catalog_fingerprint TEXT NOT NULL,
    documents           INTEGER NOT NULL,    -- documents written, repeats counted
    tokens              INTEGER NOT NULL,
    bytes               INTEGER NOT NULL,    -- bytes of the shard files
    started_at          TEXT NOT NULL,
    finished_at         TEXT NOT NULL
) STRICT;

-- The shards of a run, in stream order.
CREATE TABLE mix_run_shard (
    mix_run_id     INTEGER NOT NULL REFERENCES mix_run(mix_run_id),
    shard_index    INTEGER NOT NULL,
    file           TEXT NOT NULL,
    phase          TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    documents      INTEGER NOT NULL,
    tokens         INTEGER NOT NULL,
    PRIMARY KEY (mix_run_id, shard_index)
) STRICT, WITHOUT ROWID;

-- Target against achieved, per phase and component of a run.
CREATE TABLE mix_run_component (
    mix_run_component_id INTEGER PRIMARY KEY,
    mix_run_id     INTEGER NOT NULL REFERENCES mix_run(mix_run_id),
    phase          TEXT NOT NULL,
    component      TEXT NOT NULL,
    target         INTEGER NOT NULL,         -- in the recipe's unit (tokens or docs)
    documents      INTEGER NOT NULL,         -- written, repeats counted
    tokens         INTEGER NOT NULL,
    max_times      INTEGER NOT NULL,         -- the most times one document was used
    UNIQUE (mix_run_id, phase, component)
) STRICT;

-- Every document a run used, per phase and component, with how many times. No foreign key to
-- document: the record outlives documents removed from the catalog later.
CREATE TABLE mix_run_document (
    document_id          INTEGER NOT NULL,
    mix_run_component_id INTEGER NOT NULL REFERENCES mix_run_component(mix_run_component_id),
    times                INTEGER NOT NULL CHECK (times >= 1),
    PRIMARY KEY (document_id, mix_run_component_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX mix_run_document_by_component ON mix_run_document(mix_run_component_id);

-- Recipes with their latest version first.
CREATE VIEW recipes AS
SELECT r.name, r.version, r.sha256, r.created_at,
       (SELECT count(*) FROM mix_run m WHERE m.recipe_id = r.recipe_id) AS runs
FROM recipe r;

-- One row per materialized mix.
CREATE VIEW mix_runs AS
SELECT m.mix_run_id AS run, r.name AS recipe, r.version, m.seed, m.format, m.out_dir, m.documents, m.tokens,
       m.bytes, m.catalog_fingerprint, m.started_at, m.finished_at
FROM mix_run m JOIN recipe r ON r.recipe_id = m.recipe_id;

-- Which mixes contain a document: one row per (document, run, phase, component), e.g.
--   SELECT * FROM document_mixes WHERE doc_key = 'gutenberg:0a1b2c3d4e5f6a7b'
-- doc_key and source are NULL for a document no longer in the catalog.
CREATE VIEW document_mixes AS
SELECT md.document_id, d.doc_key, s.name AS source, r.name AS recipe, r.version, m.mix_run_id AS run,
       m.out_dir, c.phase, c.component, md.times, m.finished_at
FROM mix_run_document md
JOIN mix_run_component c ON c.mix_run_component_id = md.mix_run_component_id
JOIN mix_run m ON m.mix_run_id = c.mix_run_id
JOIN recipe r ON r.recipe_id = m.recipe_id
LEFT JOIN document d ON d.document_id = md.document_id
LEFT JOIN source s ON s.source_id = d.source_id;
