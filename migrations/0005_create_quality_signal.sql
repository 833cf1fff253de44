-- 0005: raw heuristic quality signals per document (Gopher quality and repetition, C4 line
-- statistics in three configurations, FineWeb ratios), the version of their definitions, the
-- default quality score, and the named filter presets in the docs view.
-- Never edit this file once landed; add a new numbered migration instead.

-- The versions of the signal definitions (QualitySignals.version in the binary).
CREATE TABLE quality_signal_version (
    version        INTEGER PRIMARY KEY,
    description    TEXT NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

-- One row per document: every signal raw, one column each (definitions: README "Quality
-- signals"). A ratio with a zero denominator is NULL. default_quality is the score computed
-- from the signals (docs/quality-score.md); document.quality holds it unless the input gave a
-- quality (quality_from_input = 1, e.g. --quality-field), which `catalog rescore` leaves alone.
CREATE TABLE quality_signal (
    document_id                  INTEGER PRIMARY KEY REFERENCES document(document_id),
    signal_version               INTEGER NOT NULL,
    quality_from_input           INTEGER NOT NULL,
    char_count                   INTEGER,
    line_count                   INTEGER,
    word_count                   INTEGER,
    word_count_all               INTEGER,
    mean_word_length             REAL,
    hash_word_ratio              REAL,
    ellipsis_word_ratio          REAL,
    bullet_line_fraction         REAL,
    ellipsis_line_fraction       REAL,
    alpha_word_fraction          REAL,
    stop_word_count              INTEGER,
    dup_para_fraction            REAL,
    dup_para_char_fraction       REAL,
    dup_line_fraction            REAL,
    dup_line_char_fraction       REAL,
    top_2gram_char_fraction      REAL,
    top_3gram_char_fraction      REAL,
    top_4gram_char_fraction      REAL,
    dup_5gram_char_fraction      REAL,
    dup_6gram_char_fraction      REAL,
    dup_7gram_char_fraction      REAL,
    dup_8gram_char_fraction      REAL,
    dup_9gram_char_fraction      REAL,
    dup_10gram_char_fraction     REAL,
    c4_lines_kept                INTEGER,
    c4_sentences                 INTEGER,
    c4_lorem_ipsum               INTEGER,
    c4_curly_bracket             INTEGER,
    c4_javascript_lines          INTEGER,
    c4_policy_lines              INTEGER,
    c4_datatrove_lines_kept      INTEGER,
    c4_datatrove_sentences       INTEGER,
    c4_datatrove_lorem_ipsum     INTEGER,
    c4_datatrove_curly_bracket   INTEGER,
    c4_fineweb_lines_kept        INTEGER,
    c4_fineweb_sentences         INTEGER,
    c4_fineweb_lorem_ipsum       INTEGER,
    c4_fineweb_curly_bracket     INTEGER,
    fineweb_lines                INTEGER,
    fineweb_line_punct_ratio     REAL,
    fineweb_short_line_ratio     REAL,
    fineweb_char_dup_ratio       REAL,
    fineweb_list_ratio           REAL,
    default_quality              REAL
) STRICT;

-- What users query: the columns of 0004 (0001's and attrs), every signal, and for each preset
-- pass (1/0, NULL without signals) and reason: the first failing rule as '<stage>:<rule>'
-- (NULL when it passes), in the order of the reference implementation. fineweb is FineWeb's heuristic chain
-- in its order (datatrove examples/fineweb.py): Gopher repetition, Gopher quality, C4 without
-- the end-mark rule (stage c4_fineweb), FineWeb quality. Unused columns cost nothing: the
-- CASE expressions are only evaluated when selected.
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
         WHERE v.document_id = d.document_id) AS attrs,
       q.signal_version,
       q.char_count,
       q.line_count,
       q.word_count,
       q.word_count_all,
       q.mean_word_length,
       q.hash_word_ratio,
       q.ellipsis_word_ratio,
       q.bullet_line_fraction,
       q.ellipsis_line_fraction,
       q.alpha_word_fraction,
       q.stop_word_count,
       q.dup_para_fraction,
       q.dup_para_char_fraction,
       q.dup_line_fraction,
       q.dup_line_char_fraction,
       q.top_2gram_char_fraction,
       q.top_3gram_char_fraction,
       q.top_4gram_char_fraction,
       q.dup_5gram_char_fraction,
       q.dup_6gram_char_fraction,
       q.dup_7gram_char_fraction,
       q.dup_8gram_char_fraction,
       q.dup_9gram_char_fraction,
       q.dup_10gram_char_fraction,
       q.c4_lines_kept,
       q.c4_sentences,
       q.c4_lorem_ipsum,
       q.c4_curly_bracket,
       q.c4_javascript_lines,
       q.c4_policy_lines,
       q.c4_datatrove_lines_kept,
       q.c4_datatrove_sentences,
       q.c4_datatrove_lorem_ipsum,
       q.c4_datatrove_curly_bracket,
       q.c4_fineweb_lines_kept,
       q.c4_fineweb_sentences,
       q.c4_fineweb_lorem_ipsum,
       q.c4_fineweb_curly_bracket,
       q.fineweb_lines,
       q.fineweb_line_punct_ratio,
       q.fineweb_short_line_ratio,
       q.fineweb_char_dup_ratio,
       q.fineweb_list_ratio,
       q.default_quality,
       CASE WHEN q.document_id IS NULL THEN NULL WHEN CASE
               WHEN q.word_count < 50 THEN 'gopher_quality:word_count<50'
               WHEN q.word_count > 100000 THEN 'gopher_quality:word_count>100000'
               WHEN q.mean_word_length < 3 THEN 'gopher_quality:mean_word_length<3'
               WHEN q.mean_word_length > 10 THEN 'gopher_quality:mean_word_length>10'
               WHEN q.hash_word_ratio > 0.1 THEN 'gopher_quality:hash_word_ratio>0.1'
               WHEN q.ellipsis_word_ratio > 0.1 THEN 'gopher_quality:ellipsis_word_ratio>0.1'
               WHEN q.bullet_line_fraction > 0.9 THEN 'gopher_quality:bullet_line_fraction>0.9'
               WHEN q.ellipsis_line_fraction > 0.3 THEN 'gopher_quality:ellipsis_line_fraction>0.3'
               WHEN q.alpha_word_fraction < 0.8 THEN 'gopher_quality:alpha_word_fraction<0.8'
               WHEN q.stop_word_count < 2 THEN 'gopher_quality:stop_word_count<2'
           END IS NULL THEN 1 ELSE 0 END AS gopher_quality_pass,
       CASE
               WHEN q.word_count < 50 THEN 'gopher_quality:word_count<50'
               WHEN q.word_count > 100000 THEN 'gopher_quality:word_count>100000'
               WHEN q.mean_word_length < 3 THEN 'gopher_quality:mean_word_length<3'
               WHEN q.mean_word_length > 10 THEN 'gopher_quality:mean_word_length>10'
               WHEN q.hash_word_ratio > 0.1 THEN 'gopher_quality:hash_word_ratio>0.1'
               WHEN q.ellipsis_word_ratio > 0.1 THEN 'gopher_quality:ellipsis_word_ratio>0.1'
               WHEN q.bullet_line_fraction > 0.9 THEN 'gopher_quality:bullet_line_fraction>0.9'
               WHEN q.ellipsis_line_fraction > 0.3 THEN 'gopher_quality:ellipsis_line_fraction>0.3'
               WHEN q.alpha_word_fraction < 0.8 THEN 'gopher_quality:alpha_word_fraction<0.8'
               WHEN q.stop_word_count < 2 THEN 'gopher_quality:stop_word_count<2'
           END AS gopher_quality_reason,
       CASE WHEN q.document_id IS NULL THEN NULL WHEN CASE
               WHEN q.dup_para_fraction > 0.3 THEN 'gopher_repetition:dup_para_fraction>0.3'
               WHEN q.dup_para_char_fraction > 0.2 THEN 'gopher_repetition:dup_para_char_fraction>0.2'
               WHEN q.dup_line_fraction > 0.3 THEN 'gopher_repetition:dup_line_fraction>0.3'
               WHEN q.dup_line_char_fraction > 0.2 THEN 'gopher_repetition:dup_line_char_fraction>0.2'
               WHEN q.top_2gram_char_fraction > 0.2 THEN 'gopher_repetition:top_2gram_char_fraction>0.2'
               WHEN q.top_3gram_char_fraction > 0.18 THEN 'gopher_repetition:top_3gram_char_fraction>0.18'
               WHEN q.top_4gram_char_fraction > 0.16 THEN 'gopher_repetition:top_4gram_char_fraction>0.16'
               WHEN q.dup_5gram_char_fraction > 0.15 THEN 'gopher_repetition:dup_5gram_char_fraction>0.15'
               WHEN q.dup_6gram_char_fraction > 0.14 THEN 'gopher_repetition:dup_6gram_char_fraction>0.14'
               WHEN q.dup_7gram_char_fraction > 0.13 THEN 'gopher_repetition:dup_7gram_char_fraction>0.13'
               WHEN q.dup_8gram_char_fraction > 0.12 THEN 'gopher_repetition:dup_8gram_char_fraction>0.12'
               WHEN q.dup_9gram_char_fraction > 0.11 THEN 'gopher_repetition:dup_9gram_char_fraction>0.11'
               WHEN q.dup_10gram_char_fraction > 0.1 THEN 'gopher_repetition:dup_10gram_char_fraction>0.1'
           END IS NULL THEN 1 ELSE 0 END AS gopher_repetition_pass,
       CASE
               WHEN q.dup_para_fraction > 0.3 THEN 'gopher_repetition:dup_para_fraction>0.3'
               WHEN q.dup_para_char_fraction > 0.2 THEN 'gopher_repetition:dup_para_char_fraction>0.2'
               WHEN q.dup_line_fraction > 0.3 THEN 'gopher_repetition:dup_line_fraction>0.3'
               WHEN q.dup_line_char_fraction > 0.2 THEN 'gopher_repetition:dup_line_char_fraction>0.2'
               WHEN q.top_2gram_char_fraction > 0.2 THEN 'gopher_repetition:top_2gram_char_fraction>0.2'
               WHEN q.top_3gram_char_fraction > 0.18 THEN 'gopher_repetition:top_3gram_char_fraction>0.18'
               WHEN q.top_4gram_char_fraction > 0.16 THEN 'gopher_repetition:top_4gram_char_fraction>0.16'
               WHEN q.dup_5gram_char_fraction > 0.15 THEN 'gopher_repetition:dup_5gram_char_fraction>0.15'
               WHEN q.dup_6gram_char_fraction > 0.14 THEN 'gopher_repetition:dup_6gram_char_fraction>0.14'
               WHEN q.dup_7gram_char_fraction > 0.13 THEN 'gopher_repetition:dup_7gram_char_fraction>0.13'
               WHEN q.dup_8gram_char_fraction > 0.12 THEN 'gopher_repetition:dup_8gram_char_fraction>0.12'
               WHEN q.dup_9gram_char_fraction > 0.11 THEN 'gopher_repetition:dup_9gram_char_fraction>0.11'
               WHEN q.dup_10gram_char_fraction > 0.1 THEN 'gopher_repetition:dup_10gram_char_fraction>0.1'
           END AS gopher_repetition_reason,
       CASE WHEN q.document_id IS NULL THEN NULL WHEN CASE
               WHEN q.char_count > 190000 THEN 'c4:char_count>190000'
               WHEN q.c4_lorem_ipsum = 1 THEN 'c4:lorem_ipsum'
               WHEN q.c4_curly_bracket = 1 THEN 'c4:curly_bracket'
               WHEN q.c4_sentences < 3 THEN 'c4:sentences<3'
           END IS NULL THEN 1 ELSE 0 END AS c4_pass,
       CASE
               WHEN q.char_count > 190000 THEN 'c4:char_count>190000'
               WHEN q.c4_lorem_ipsum = 1 THEN 'c4:lorem_ipsum'
               WHEN q.c4_curly_bracket = 1 THEN 'c4:curly_bracket'
               WHEN q.c4_sentences < 3 THEN 'c4:sentences<3'
           END AS c4_reason,
       CASE WHEN q.document_id IS NULL THEN NULL WHEN CASE
               WHEN q.c4_datatrove_lorem_ipsum = 1 THEN 'c4_datatrove:lorem_ipsum'
               WHEN q.c4_datatrove_curly_bracket = 1 THEN 'c4_datatrove:curly_bracket'
               WHEN q.c4_datatrove_sentences < 5 THEN 'c4_datatrove:sentences<5'
           END IS NULL THEN 1 ELSE 0 END AS c4_datatrove_pass,
       CASE
               WHEN q.c4_datatrove_lorem_ipsum = 1 THEN 'c4_datatrove:lorem_ipsum'
               WHEN q.c4_datatrove_curly_bracket = 1 THEN 'c4_datatrove:curly_bracket'
               WHEN q.c4_datatrove_sentences < 5 THEN 'c4_datatrove:sentences<5'
           END AS c4_datatrove_reason,
       CASE WHEN q.document_id IS NULL THEN NULL WHEN CASE
               WHEN q.fineweb_lines = 0 THEN 'fineweb_quality:empty'
               WHEN q.fineweb_line_punct_ratio < 0.12 THEN 'fineweb_quality:line_punct_ratio<0.12'
               WHEN q.fineweb_short_line_ratio > 0.67 THEN 'fineweb_quality:short_line_ratio>0.67'
               WHEN q.fineweb_char_dup_ratio > 0.01 THEN 'fineweb_quality:char_dup_ratio>0.01'
               WHEN q.fineweb_list_ratio > 0.3 THEN 'fineweb_quality:list_ratio>0.3'
           END IS NULL THEN 1 ELSE 0 END AS fineweb_quality_pass,
       CASE
               WHEN q.fineweb_lines = 0 THEN 'fineweb_quality:empty'
               WHEN q.fineweb_line_punct_ratio < 0.12 THEN 'fineweb_quality:line_punct_ratio<0.12'
               WHEN q.fineweb_short_line_ratio > 0.67 THEN 'fineweb_quality:short_line_ratio>0.67'
               WHEN q.fineweb_char_dup_ratio > 0.01 THEN 'fineweb_quality:char_dup_ratio>0.01'
               WHEN q.fineweb_list_ratio > 0.3 THEN 'fineweb_quality:list_ratio>0.3'
           END AS fineweb_quality_reason,
       CASE WHEN q.document_id IS NULL THEN NULL WHEN coalesce(CASE
               WHEN q.dup_para_fraction > 0.3 THEN 'gopher_repetition:dup_para_fraction>0.3'
               WHEN q.dup_para_char_fraction > 0.2 THEN 'gopher_repetition:dup_para_char_fraction>0.2'
               WHEN q.dup_line_fraction > 0.3 THEN 'gopher_repetition:dup_line_fraction>0.3'
               WHEN q.dup_line_char_fraction > 0.2 THEN 'gopher_repetition:dup_line_char_fraction>0.2'
               WHEN q.top_2gram_char_fraction > 0.2 THEN 'gopher_repetition:top_2gram_char_fraction>0.2'
               WHEN q.top_3gram_char_fraction > 0.18 THEN 'gopher_repetition:top_3gram_char_fraction>0.18'
               WHEN q.top_4gram_char_fraction > 0.16 THEN 'gopher_repetition:top_4gram_char_fraction>0.16'
               WHEN q.dup_5gram_char_fraction > 0.15 THEN 'gopher_repetition:dup_5gram_char_fraction>0.15'
               WHEN q.dup_6gram_char_fraction > 0.14 THEN 'gopher_repetition:dup_6gram_char_fraction>0.14'
               WHEN q.dup_7gram_char_fraction > 0.13 THEN 'gopher_repetition:dup_7gram_char_fraction>0.13'
               WHEN q.dup_8gram_char_fraction > 0.12 THEN 'gopher_repetition:dup_8gram_char_fraction>0.12'
               WHEN q.dup_9gram_char_fraction > 0.11 THEN 'gopher_repetition:dup_9gram_char_fraction>0.11'
               WHEN q.dup_10gram_char_fraction > 0.1 THEN 'gopher_repetition:dup_10gram_char_fraction>0.1'
           END,
           CASE
               WHEN q.word_count < 50 THEN 'gopher_quality:word_count<50'
               WHEN q.word_count > 100000 THEN 'gopher_quality:word_count>100000'
               WHEN q.mean_word_length < 3 THEN 'gopher_quality:mean_word_length<3'
               WHEN q.mean_word_length > 10 THEN 'gopher_quality:mean_word_length>10'
               WHEN q.hash_word_ratio > 0.1 THEN 'gopher_quality:hash_word_ratio>0.1'
               WHEN q.ellipsis_word_ratio > 0.1 THEN 'gopher_quality:ellipsis_word_ratio>0.1'
               WHEN q.bullet_line_fraction > 0.9 THEN 'gopher_quality:bullet_line_fraction>0.9'
               WHEN q.ellipsis_line_fraction > 0.3 THEN 'gopher_quality:ellipsis_line_fraction>0.3'
               WHEN q.alpha_word_fraction < 0.8 THEN 'gopher_quality:alpha_word_fraction<0.8'
               WHEN q.stop_word_count < 2 THEN 'gopher_quality:stop_word_count<2'
           END,
           CASE
               WHEN q.c4_fineweb_lorem_ipsum = 1 THEN 'c4_fineweb:lorem_ipsum'
               WHEN q.c4_fineweb_curly_bracket = 1 THEN 'c4_fineweb:curly_bracket'
               WHEN q.c4_fineweb_sentences < 5 THEN 'c4_fineweb:sentences<5'
           END,
           CASE
               WHEN q.fineweb_lines = 0 THEN 'fineweb_quality:empty'
               WHEN q.fineweb_line_punct_ratio < 0.12 THEN 'fineweb_quality:line_punct_ratio<0.12'
               WHEN q.fineweb_short_line_ratio > 0.67 THEN 'fineweb_quality:short_line_ratio>0.67'
               WHEN q.fineweb_char_dup_ratio > 0.01 THEN 'fineweb_quality:char_dup_ratio>0.01'
               WHEN q.fineweb_list_ratio > 0.3 THEN 'fineweb_quality:list_ratio>0.3'
           END) IS NULL THEN 1 ELSE 0 END AS fineweb_pass,
       coalesce(CASE
               WHEN q.dup_para_fraction > 0.3 THEN 'gopher_repetition:dup_para_fraction>0.3'
               WHEN q.dup_para_char_fraction > 0.2 THEN 'gopher_repetition:dup_para_char_fraction>0.2'
               WHEN q.dup_line_fraction > 0.3 THEN 'gopher_repetition:dup_line_fraction>0.3'
               WHEN q.dup_line_char_fraction > 0.2 THEN 'gopher_repetition:dup_line_char_fraction>0.2'
               WHEN q.top_2gram_char_fraction > 0.2 THEN 'gopher_repetition:top_2gram_char_fraction>0.2'
               WHEN q.top_3gram_char_fraction > 0.18 THEN 'gopher_repetition:top_3gram_char_fraction>0.18'
               WHEN q.top_4gram_char_fraction > 0.16 THEN 'gopher_repetition:top_4gram_char_fraction>0.16'
               WHEN q.dup_5gram_char_fraction > 0.15 THEN 'gopher_repetition:dup_5gram_char_fraction>0.15'
               WHEN q.dup_6gram_char_fraction > 0.14 THEN 'gopher_repetition:dup_6gram_char_fraction>0.14'
               WHEN q.dup_7gram_char_fraction > 0.13 THEN 'gopher_repetition:dup_7gram_char_fraction>0.13'
               WHEN q.dup_8gram_char_fraction > 0.12 THEN 'gopher_repetition:dup_8gram_char_fraction>0.12'
               WHEN q.dup_9gram_char_fraction > 0.11 THEN 'gopher_repetition:dup_9gram_char_fraction>0.11'
               WHEN q.dup_10gram_char_fraction > 0.1 THEN 'gopher_repetition:dup_10gram_char_fraction>0.1'
           END,
           CASE
               WHEN q.word_count < 50 THEN 'gopher_quality:word_count<50'
               WHEN q.word_count > 100000 THEN 'gopher_quality:word_count>100000'
               WHEN q.mean_word_length < 3 THEN 'gopher_quality:mean_word_length<3'
               WHEN q.mean_word_length > 10 THEN 'gopher_quality:mean_word_length>10'
               WHEN q.hash_word_ratio > 0.1 THEN 'gopher_quality:hash_word_ratio>0.1'
               WHEN q.ellipsis_word_ratio > 0.1 THEN 'gopher_quality:ellipsis_word_ratio>0.1'
               WHEN q.bullet_line_fraction > 0.9 THEN 'gopher_quality:bullet_line_fraction>0.9'
               WHEN q.ellipsis_line_fraction > 0.3 THEN 'gopher_quality:ellipsis_line_fraction>0.3'
               WHEN q.alpha_word_fraction < 0.8 THEN 'gopher_quality:alpha_word_fraction<0.8'
               WHEN q.stop_word_count < 2 THEN 'gopher_quality:stop_word_count<2'
           END,
           CASE
               WHEN q.c4_fineweb_lorem_ipsum = 1 THEN 'c4_fineweb:lorem_ipsum'
               WHEN q.c4_fineweb_curly_bracket = 1 THEN 'c4_fineweb:curly_bracket'
               WHEN q.c4_fineweb_sentences < 5 THEN 'c4_fineweb:sentences<5'
           END,
           CASE
               WHEN q.fineweb_lines = 0 THEN 'fineweb_quality:empty'
               WHEN q.fineweb_line_punct_ratio < 0.12 THEN 'fineweb_quality:line_punct_ratio<0.12'
               WHEN q.fineweb_short_line_ratio > 0.67 THEN 'fineweb_quality:short_line_ratio>0.67'
               WHEN q.fineweb_char_dup_ratio > 0.01 THEN 'fineweb_quality:char_dup_ratio>0.01'
               WHEN q.fineweb_list_ratio > 0.3 THEN 'fineweb_quality:list_ratio>0.3'
           END) AS fineweb_reason
FROM document d
JOIN source s ON s.source_id = d.source_id
JOIN ingest_file f ON f.ingest_file_id = d.ingest_file_id
LEFT JOIN quality_signal q ON q.document_id = d.document_id
WHERE f.status = 'complete';

-- The presets in long form: one row per document with signals and preset.
CREATE VIEW quality_filter AS
SELECT document_id, 'gopher_quality' AS preset, gopher_quality_pass AS pass, gopher_quality_reason AS reason FROM docs WHERE gopher_quality_pass IS NOT NULL
UNION ALL
SELECT document_id, 'gopher_repetition' AS preset, gopher_repetition_pass AS pass, gopher_repetition_reason AS reason FROM docs WHERE gopher_repetition_pass IS NOT NULL
UNION ALL
SELECT document_id, 'c4' AS preset, c4_pass AS pass, c4_reason AS reason FROM docs WHERE c4_pass IS NOT NULL
UNION ALL
SELECT document_id, 'c4_datatrove' AS preset, c4_datatrove_pass AS pass, c4_datatrove_reason AS reason FROM docs WHERE c4_datatrove_pass IS NOT NULL
UNION ALL
SELECT document_id, 'fineweb_quality' AS preset, fineweb_quality_pass AS pass, fineweb_quality_reason AS reason FROM docs WHERE fineweb_quality_pass IS NOT NULL
UNION ALL
SELECT document_id, 'fineweb' AS preset, fineweb_pass AS pass, fineweb_reason AS reason FROM docs WHERE fineweb_pass IS NOT NULL;
