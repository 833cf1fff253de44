// Per-line scans of the C4 line filter (see Sources/CatalogCore/Quality/C4LineKernel.swift, whose
// Swift functions of the same names are the reference these reproduce exactly).
#ifndef CATALOG_C4LINE_H
#define CATALOG_C4LINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Phrase flags returned by `catalog_c4_phrases`.
enum {
    CATALOG_C4_LOREM_IPSUM = 1,
    CATALOG_C4_JAVASCRIPT = 2,
    CATALOG_C4_CURLY_BRACKET = 4,
    CATALOG_C4_POLICY = 8,
};

/// Each function reads `bytes[0..<count]`; `readable` (≥ `count`) says how many bytes from
/// `bytes` may be read (the rest of the document), which spares a copy of a line's last bytes.

/// Whitespace-separated words (Python `str.split()`, Unicode whitespace) in `bytes[0..<count]`,
/// counting at most `limit` (≥ 1): `min(words, limit)`. Invalid UTF-8 bytes are not spaces.
size_t catalog_c4_word_count(const uint8_t *bytes, size_t count, size_t readable, size_t limit);

/// The C4 phrases found in `bytes[0..<count]` (ASCII-lowercased): "lorem ipsum", "javascript",
/// `{`, and the policy phrases ("terms of use", "privacy policy", "cookie policy",
/// "uses cookies", "use of cookies", "use cookies"), as a set of `CATALOG_C4_*` flags.
uint32_t catalog_c4_phrases(const uint8_t *bytes, size_t count, size_t readable);

/// Sentences in a kept C4 line (at least 1): runs of `. ! ?` (plus closing quotes or brackets)
/// followed by ASCII whitespace and then a character that is not a lowercase ASCII letter,
/// unless the word before a single `.` is an initial or a listed abbreviation.
size_t catalog_c4_sentence_count(const uint8_t *bytes, size_t count, size_t readable);

#ifdef __cplusplus
}
#endif

#endif
