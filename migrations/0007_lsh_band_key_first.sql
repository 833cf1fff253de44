-- lsh_band and lsh_band_recent keyed by (band_key, band, banding_id, document_id) instead of
-- (banding_id, band, band_key, document_id). Same columns, same rows.
--
-- Every insert of a band key searches the B-tree, and SQLite compares two keys field by field
-- from the first: with banding_id (one value in practice) and then band (18 values) first, every
-- comparison went through the generic record compare to reach band_key. With the random band_key
-- first, most comparisons end at the first field on SQLite's integer fast path: inserting the
-- keys of 150,000 documents (2.7 M rows) took 4.3 s instead of 5.7 s. Lookups of a bucket
-- (banding_id = ? AND band = ? AND band_key = ?) still search the primary key, and scans
-- for buckets read it in key order (band_key, band).
CREATE TABLE lsh_band_by_key (
    banding_id     INTEGER NOT NULL,
    band           INTEGER NOT NULL,
    band_key       INTEGER NOT NULL,
    document_id    INTEGER NOT NULL,
    PRIMARY KEY (band_key, band, banding_id, document_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE lsh_band_recent_by_key (
    banding_id     INTEGER NOT NULL,
    band           INTEGER NOT NULL,
    band_key       INTEGER NOT NULL,
    document_id    INTEGER NOT NULL,
    PRIMARY KEY (band_key, band, banding_id, document_id)
) STRICT, WITHOUT ROWID;

INSERT INTO lsh_band_by_key (banding_id, band, band_key, document_id)
SELECT banding_id, band, band_key, document_id FROM lsh_band
ORDER BY band_key, band, banding_id, document_id;

INSERT INTO lsh_band_recent_by_key (banding_id, band, band_key, document_id)
SELECT banding_id, band, band_key, document_id FROM lsh_band_recent
ORDER BY band_key, band, banding_id, document_id;

DROP VIEW lsh_bands;
DROP TABLE lsh_band;
DROP TABLE lsh_band_recent;
ALTER TABLE lsh_band_by_key RENAME TO lsh_band;
ALTER TABLE lsh_band_recent_by_key RENAME TO lsh_band_recent;

CREATE VIEW lsh_bands AS
SELECT banding_id, band, band_key, document_id FROM lsh_band
UNION ALL
SELECT banding_id, band, band_key, document_id FROM lsh_band_recent;
