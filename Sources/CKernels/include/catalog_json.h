// JSON string escaping for the shard writers (Sources/CatalogCore/Support/JSONText.swift), and
// the quote search of the scanner's backward peek (Sources/CatalogCore/Ingest/JSONLinePeek.swift).
#ifndef CATALOG_JSON_H
#define CATALOG_JSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes the UTF-8 `source[0..<count]` into `destination` as the inside of a JSON string
/// literal (no quotes) and returns the bytes written; `*consumed` gets the source bytes used.
///
/// `"` and `\` get a backslash; controls below U+0020 become `\n`, `\r`, `\t`, `\b`, `\f` or
/// `\u00XX`; U+2028 and U+2029 become `\u2028` and `\u2029`; every other byte is copied. Stops
/// early only when fewer than 32 bytes of `capacity` are left, so it always makes progress
/// when `capacity` ≥ 32; call again with the rest of the source. Needs at most 6 output bytes
/// per input byte. Reads and writes 16 bytes at a time (SSE2 where available).
size_t catalog_json_escape(
    const uint8_t *source, size_t count, uint8_t *destination, size_t capacity, size_t *consumed);

/// The index of the last `"` in `bytes[0..<count]`, or -1 when there is none (glibc's
/// vectorised `memrchr`): the backward walk of `JSONLineScanner.peekStringFromEnd`.
ptrdiff_t catalog_json_last_quote(const uint8_t *bytes, size_t count);

#ifdef __cplusplus
}
#endif

#endif
