-- mix_run_document keyed by (component, document) instead of (document, component).
--
-- A run's rows then go to the end of the table in key order, touching a handful of pages,
-- where a document-first key made every run rewrite nearly every page of the table (and its
-- by-component index) once the catalog held a few runs. Lookups by document stay indexed:
-- the planner walks the runs' components (a few per run) and seeks (component, document) in
-- each, e.g. for `SELECT * FROM document_mixes WHERE document_id = ...` (by doc_key alone it
-- first scans `document` for the id). It does so because sqlite_stat1 (below) tells it the
-- shape of the two tables: components are few, documents per component many.
CREATE TABLE mix_run_document_by_run (
    mix_run_component_id INTEGER NOT NULL REFERENCES mix_run_component(mix_run_component_id),
    document_id          INTEGER NOT NULL,
    times                INTEGER NOT NULL CHECK (times >= 1),
    PRIMARY KEY (mix_run_component_id, document_id)
) STRICT, WITHOUT ROWID;

INSERT INTO mix_run_document_by_run (mix_run_component_id, document_id, times)
SELECT mix_run_component_id, document_id, times FROM mix_run_document
ORDER BY mix_run_component_id, document_id;

DROP VIEW document_mixes;
DROP INDEX mix_run_document_by_component;
DROP TABLE mix_run_document;
ALTER TABLE mix_run_document_by_run RENAME TO mix_run_document;

-- Which mixes contain a document: one row per (document, run, phase, component), e.g.
--   SELECT * FROM document_mixes WHERE doc_key = 'gutenberg:0a1b2c3d4e5f6a7b'
-- doc_key and source are NULL for a document no longer in the catalog.
CREATE VIEW document_mixes AS
SELECT md.document_id, d.doc_key, s.name AS source, r.name AS recipe, r.version, m.mix_run_id AS run,
       m.out_dir, c.phase, c.component, md.times, m.finished_at
FROM mix_run_component c
JOIN mix_run_document md ON md.mix_run_component_id = c.mix_run_component_id
JOIN mix_run m ON m.mix_run_id = c.mix_run_id
JOIN recipe r ON r.recipe_id = m.recipe_id
LEFT JOIN document d ON d.document_id = md.document_id
LEFT JOIN source s ON s.source_id = d.source_id;

-- Fixed planner statistics for the two tables (SQLite reads sqlite_stat1 when a connection
-- loads the schema; ANALYZE on the small component table creates it). Only the ratios matter:
-- about a thousand components, a hundred thousand documents each, one row per (component,
-- document). A later ANALYZE replaces them with measured ones. (SQLite builds with STAT4
-- also get sqlite_stat4 samples of the component table from this ANALYZE; not tried here: the
-- system SQLite has no STAT4.)
ANALYZE mix_run_component;
DELETE FROM sqlite_stat1 WHERE tbl IN ('mix_run_component', 'mix_run_document');
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('mix_run_component', NULL, '1000'),
    ('mix_run_component', 'sqlite_autoindex_mix_run_component_1', '1000 10 1 1'),
    ('mix_run_document', 'mix_run_document', '100000000 100000 1');
