// The ASCII fast path of the quality-signal word splitter (Sources/CatalogCore/Quality/
// GopherQualityKernel.swift, `WordSplit`), which calls it and takes over where it stops.
#ifndef CATALOG_WORDS_H
#define CATALOG_WORDS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The word splitter's output buffers and counters, shared with `WordSplit`.
typedef struct catalog_word_scan {
    /// Word hashes (`SignalHash.short` for ≤ 8 bytes, else `SignalHash.bytes`) and lengths.
    uint64_t *hashes;
    int32_t *lengths;
    /// Entries used and allocated in `hashes` and `lengths`.
    size_t count;
    size_t capacity;
    int64_t chars;
    int64_t newlines;
    int64_t hash_signs;
    int64_t ellipses;
    /// Dots in the current run of `.` (its ellipses are counted when a non-dot byte ends it).
    int64_t dot_run;
    int64_t word_count;
    int64_t word_chars;
    int64_t alpha_words;
    /// Bits of the stop words seen (`QualitySignalScanner.stopWordBit`).
    uint32_t stop_words;
} catalog_word_scan;

/// Splits `bytes[index...]` into words 64 ASCII bytes at a time, with no word open at `index`,
/// and returns the index where it stopped (no word open there either): before the first
/// non-ASCII byte or the word or symbol run that reaches it, before the last 64 bytes of the
/// text, before a word of 64 or more bytes, or when fewer than 64 free entries are left in the
/// buffers. Words are maximal runs of `[0-9A-Za-z_]` or of ASCII punctuation; controls and
/// spaces separate.
size_t catalog_word_scan_ascii(const uint8_t *bytes, size_t count, size_t index, catalog_word_scan *scan);

#ifdef __cplusplus
}
#endif

#endif
