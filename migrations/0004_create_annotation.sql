-- 0004: external attributes imported by `catalog annotate` (classifier scores, language ids),
-- with provenance, and the `docs` view's `attrs` column.
-- Never edit this file once landed; add a new numbered migration instead.

-- One row per attribute name; re-importing a name replaces its row's provenance and values.
CREATE TABLE attribute (
    attribute_id   INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,      -- the name used in docs.attrs and annotations
    type           TEXT NOT NULL CHECK (type IN ('real', 'int', 'text', 'bool')),
    source_file    TEXT NOT NULL,             -- the imported file's absolute path
    file_sha256    TEXT NOT NULL,             -- sha256 of the file's bytes (lowercase hex)
    field          TEXT NOT NULL,             -- the input field (JSON key or CSV column) read
    key_field      TEXT NOT NULL,             -- the input field holding document keys
    source_filter  TEXT,                      -- --source: keys looked up in this source only
    imported_at    TEXT NOT NULL,
    documents      INTEGER NOT NULL,          -- documents given a value
    unknown_keys   INTEGER NOT NULL           -- keys in the file not found in the catalog
) STRICT;

-- The values: REAL, INTEGER, TEXT, or INTEGER 0/1 for bool, by the attribute's type.
CREATE TABLE attribute_value (
    attribute_id   INTEGER NOT NULL REFERENCES attribute(attribute_id) ON DELETE CASCADE,
    document_id    INTEGER NOT NULL REFERENCES document(document_id),
    value          ANY,
    PRIMARY KEY (attribute_id, document_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX attribute_value_by_document ON attribute_value(document_id, attribute_id);

-- docs as in 0001, plus attrs: a JSON object of the document's attributes ('{}' when none),
-- e.g. WHERE attrs ->> 'fasttext_en' > 0.5. The correlated subquery only runs when a query
-- uses attrs (SQLite drops unused view columns when it flattens the view).
DROP VIEW docs;
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
       d.line_no,
       (SELECT json_group_object(a.name, CASE WHEN a.type = 'bool' THEN json(CASE WHEN v.value THEN 'true' ELSE 'false' END)
                                              ELSE v.value END)
          FROM attribute_value v JOIN attribute a ON a.attribute_id = v.attribute_id
         WHERE v.document_id = d.document_id) AS attrs
FROM document d
JOIN source s ON s.source_id = d.source_id
JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
WHERE f.status = 'complete';

-- Long format: one row per (document, attribute).
CREATE VIEW annotations AS
SELECT v.document_id,
       d.doc_key,
       s.name          AS source,
       a.name          AS attribute,
       v.value
FROM attribute_value v
JOIN attribute a ON a.attribute_id = v.attribute_id
JOIN document d ON d.document_id = v.document_id
JOIN source s ON s.source_id = d.source_id;
