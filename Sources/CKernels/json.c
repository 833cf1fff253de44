// JSON string escaping and the backward quote search; see catalog_json.h. Escaping copies 16
// bytes at a time and looks at a byte only where the block holds one that may need an escape
// (below 0x20, `"`, `\` or 0xE2, the lead byte of U+2028/U+2029).
#define _GNU_SOURCE  // memrchr
#include "catalog_json.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static const char hex_digits[16] = "0123456789abcdef";

/// Escapes the byte at `source[*index]` (one that may need it) into `destination`; returns
/// the bytes written and advances `*index`.
static inline size_t escape_one(const uint8_t *source, size_t count, size_t *index, uint8_t *destination) {
    size_t i = *index;
    uint8_t byte = source[i];
    if (byte == 0xE2) {
        // E2 80 A8 = U+2028, E2 80 A9 = U+2029; any other E2 sequence is copied.
        if (i + 2 < count && source[i + 1] == 0x80 && (source[i + 2] & 0xFE) == 0xA8) {
            memcpy(destination, source[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            *index = i + 3;
            return 6;
        }
        destination[0] = byte;
        *index = i + 1;
        return 1;
    }
    *index = i + 1;
    char short_form = 0;
    switch (byte) {
    case 0x22: short_form = '"'; break;
    case 0x5C: short_form = '\\'; break;
    case 0x0A: short_form = 'n'; break;
    case 0x0D: short_form = 'r'; break;
    case 0x09: short_form = 't'; break;
    case 0x08: short_form = 'b'; break;
    case 0x0C: short_form = 'f'; break;
    default: break;
    }
    if (short_form != 0) {
        destination[0] = '\\';
        destination[1] = (uint8_t)short_form;
        return 2;
    }
    if (byte < 0x20) {
        destination[0] = '\\';
        destination[1] = 'u';
        destination[2] = '0';
        destination[3] = '0';
        destination[4] = (uint8_t)hex_digits[byte >> 4];
        destination[5] = (uint8_t)hex_digits[byte & 0x0F];
        return 6;
    }
    destination[0] = byte;
    return 1;
}

static inline int needs_look(uint8_t byte) {
    return byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2;
}

size_t catalog_json_escape(
    const uint8_t *source, size_t count, uint8_t *destination, size_t capacity, size_t *consumed) {
    size_t in = 0;
    size_t out = 0;
#if defined(__SSE2__)
    const __m128i below = _mm_set1_epi8(0x1F);
    const __m128i quote = _mm_set1_epi8(0x22);
    const __m128i backslash = _mm_set1_epi8(0x5C);
    const __m128i lead = _mm_set1_epi8((char)0xE2);
    while (in + 16 <= count && out + 32 <= capacity) {
        __m128i block = _mm_loadu_si128((const __m128i *)(source + in));
        _mm_storeu_si128((__m128i *)(destination + out), block);
        __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(block, below), below);
        __m128i special = _mm_or_si128(
            _mm_or_si128(control, _mm_cmpeq_epi8(block, quote)),
            _mm_or_si128(_mm_cmpeq_epi8(block, backslash), _mm_cmpeq_epi8(block, lead)));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask == 0) {
            in += 16;
            out += 16;
            continue;
        }
        unsigned skip = (unsigned)__builtin_ctz(mask);
        in += skip;
        out += skip;
        out += escape_one(source, count, &in, destination + out);
    }
#endif
    while (in < count && out + 32 <= capacity) {
        if (needs_look(source[in])) {
            out += escape_one(source, count, &in, destination + out);
        } else {
            destination[out++] = source[in++];
        }
    }
    *consumed = in;
    return out;
}

ptrdiff_t catalog_json_last_quote(const uint8_t *bytes, size_t count) {
    const uint8_t *found = count == 0 ? NULL : memrchr(bytes, '"', count);
    return found == NULL ? -1 : (ptrdiff_t)(found - bytes);
}
