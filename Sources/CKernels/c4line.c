// The per-line scans of the C4 line filter, 16 bytes at a time with SSE2 where available (the
// x86-64 baseline) and byte by byte elsewhere. Each function reproduces the Swift function of
// the same name in C4LineKernel.swift exactly (tests compare them); see catalog_c4line.h.
#include "catalog_c4line.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define CATALOG_C4_SSE2 1
#endif

static inline int is_ascii_space(uint8_t byte) {
    return byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F);
}

static inline int is_non_ascii_space(uint32_t value) {
    switch (value) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return 1;
    default:
        return value >= 0x2000 && value <= 0x200A;
    }
}

/// UnicodeText.decode: the scalar at `index` and its length (an invalid lead byte is U+FFFD, length 1).
static inline uint32_t decode(const uint8_t *bytes, size_t count, size_t index, size_t *length) {
    const uint32_t lead = bytes[index];
    *length = 1;
    if (lead < 0x80) return lead;
    if (lead < 0xE0) {
        if (lead >= 0xC2 && index + 1 < count) {
            *length = 2;
            return ((lead & 0x1F) << 6) | (bytes[index + 1] & 0x3Fu);
        }
    } else if (lead < 0xF0) {
        if (index + 2 < count) {
            *length = 3;
            return ((lead & 0x0F) << 12) | ((bytes[index + 1] & 0x3Fu) << 6) | (bytes[index + 2] & 0x3Fu);
        }
    } else if (lead < 0xF5 && index + 3 < count) {
        *length = 4;
        return ((lead & 0x07) << 18) | ((bytes[index + 1] & 0x3Fu) << 12) | ((bytes[index + 2] & 0x3Fu) << 6)
            | (bytes[index + 3] & 0x3Fu);
    }
    return 0xFFFD;
}

#ifdef CATALOG_C4_SSE2
/// Bit k set when byte k of `v` is an ASCII space of `str.isspace()` (space, \t–\r, \x1c–\x1f).
static inline unsigned ascii_space_mask(__m128i v) {
    const __m128i tab = _mm_sub_epi8(v, _mm_set1_epi8(0x09));
    const __m128i in_tab = _mm_cmpeq_epi8(_mm_min_epu8(tab, _mm_set1_epi8(4)), tab);
    const __m128i sep = _mm_sub_epi8(v, _mm_set1_epi8(0x1C));
    const __m128i in_sep = _mm_cmpeq_epi8(_mm_min_epu8(sep, _mm_set1_epi8(3)), sep);
    const __m128i blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x20));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(in_tab, in_sep), blank));
}
#endif

size_t catalog_c4_word_count(const uint8_t *bytes, size_t count, size_t readable, size_t limit) {
    size_t words = 0;
    int in_word = 0;
    size_t index = 0;
    while (index < count) {
#ifdef CATALOG_C4_SSE2
        {
            // Past the end: read in place when readable (the bytes after `count` are masked out),
            // else through a copy padded with spaces (which start no word).
            uint8_t tail[16];
            const uint8_t *block = bytes + index;
            unsigned valid = 0xFFFFu;
            if (index + 16 > count) {
                if (index + 16 <= readable) {
                    valid = (1u << (count - index)) - 1;
                } else {
                    memset(tail, 0x20, sizeof tail);
                    memcpy(tail, bytes + index, count - index);
                    block = tail;
                }
            }
            const __m128i v = _mm_loadu_si128((const __m128i *)block);
            if ((_mm_movemask_epi8(v) & valid) == 0) {
                const unsigned word_bytes = ~ascii_space_mask(v) & valid;
                const unsigned starts = word_bytes & ~((word_bytes << 1) | (unsigned)in_word);
                words += (size_t)__builtin_popcount(starts);
                if (words >= limit) return limit;
                in_word = (int)((word_bytes >> 15) & 1);
                index += 16;
                continue;
            }
        }
#endif
        const uint8_t byte = bytes[index];
        int space;
        size_t length = 1;
        if (byte < 0x80) {
            space = is_ascii_space(byte);
        } else {
            space = is_non_ascii_space(decode(bytes, count, index, &length));
        }
        if (space) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words += 1;
            if (words >= limit) return limit;
        }
        index += length;
    }
    return words;
}

/// Whether `bytes[index...]` (< end) starts with `pattern` after ASCII lowercasing.
static inline int matches_lower(const uint8_t *bytes, size_t index, size_t end, const char *pattern, size_t length) {
    if (end - index < length) return 0;
    for (size_t offset = 0; offset < length; offset++) {
        uint8_t byte = bytes[index + offset];
        if (byte >= 0x41 && byte <= 0x5A) byte |= 0x20;
        if (byte != (uint8_t)pattern[offset]) return 0;
    }
    return 1;
}

#define AT(offset, phrase) (index >= (offset) && matches_lower(bytes, index - (offset), count, phrase, sizeof(phrase) - 1))

/// The checks of `scanPhrases` at one byte (only anchor bytes can match anything).
static inline uint32_t phrases_at(const uint8_t *bytes, size_t count, size_t index) {
    uint8_t byte = bytes[index];
    if (byte >= 0x41 && byte <= 0x5A) byte |= 0x20;
    switch (byte) {
    case 'p': return AT(7, "lorem ipsum") ? CATALOG_C4_LOREM_IPSUM : 0;
    case 'j': return AT(0, "javascript") ? CATALOG_C4_JAVASCRIPT : 0;
    case 'f': return AT(7, "terms of use") ? CATALOG_C4_POLICY : 0;
    case 'v': return AT(3, "privacy policy") ? CATALOG_C4_POLICY : 0;
    case 'k':
        return (AT(3, "cookie policy") || AT(8, "uses cookies") || AT(10, "use of cookies") || AT(7, "use cookies"))
            ? CATALOG_C4_POLICY : 0;
    case '{': return CATALOG_C4_CURLY_BRACKET;
    default: return 0;
    }
}

#ifdef CATALOG_C4_SSE2
/// Bit k set when position k of the 16 at `p` (with `p[16]`, `p[17]` readable) may start a
/// phrase: its anchor byte is followed by the phrase's next letters ("ps" lorem ipsum, "ja"
/// javascript, "f?u" terms of use, "va" privacy, "ki" cookie), or it is `{`. OR 0x20
/// lowercases ASCII letters (and maps a few other bytes onto letters: only a prefilter,
/// `phrases_at` checks exactly).
static inline unsigned phrase_candidates(const uint8_t *p) {
    const __m128i lower = _mm_set1_epi8(0x20);
    const __m128i raw = _mm_loadu_si128((const __m128i *)p);
    const __m128i b0 = _mm_or_si128(raw, lower);
    const __m128i b1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + 1)), lower);
    const __m128i b2 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + 2)), lower);
#define EQ(v, c) _mm_cmpeq_epi8(v, _mm_set1_epi8(c))
    __m128i hits = EQ(raw, '{');
    hits = _mm_or_si128(hits, _mm_and_si128(EQ(b0, 'p'), EQ(b1, 's')));
    hits = _mm_or_si128(hits, _mm_and_si128(EQ(b0, 'j'), EQ(b1, 'a')));
    hits = _mm_or_si128(hits, _mm_and_si128(EQ(b0, 'f'), EQ(b2, 'u')));
    hits = _mm_or_si128(hits, _mm_and_si128(EQ(b0, 'v'), EQ(b1, 'a')));
    hits = _mm_or_si128(hits, _mm_and_si128(EQ(b0, 'k'), EQ(b1, 'i')));
#undef EQ
    return (unsigned)_mm_movemask_epi8(hits);
}
#endif

uint32_t catalog_c4_phrases(const uint8_t *bytes, size_t count, size_t readable) {
    uint32_t found = 0;
    size_t index = 0;
#ifdef CATALOG_C4_SSE2
    // In place while 18 bytes are readable (candidates past `count` are masked out; those whose
    // pair reads past it are checked exactly by `phrases_at`).
    while (index < count && index + 18 <= readable) {
        unsigned mask = phrase_candidates(bytes + index);
        if (count - index < 16) mask &= (1u << (count - index)) - 1;
        while (mask != 0) {
            found |= phrases_at(bytes, count, index + (size_t)__builtin_ctz(mask));
            mask &= mask - 1;
        }
        index += 16;
    }
    // The last bytes, through a zero-padded copy: zero bytes match no anchor, and a phrase
    // cannot run past the end, so the prefilter misses nothing.
    if (index < count) {
        uint8_t tail[48] = {0};
        const size_t rest = count - index;
        memcpy(tail, bytes + index, rest);
        for (size_t block = 0; block < rest; block += 16) {
            unsigned mask = phrase_candidates(tail + block);
            while (mask != 0) {
                const size_t offset = block + (size_t)__builtin_ctz(mask);
                if (offset < rest) found |= phrases_at(bytes, count, index + offset);
                mask &= mask - 1;
            }
        }
    }
#else
    (void)readable;
    for (; index < count; index++) found |= phrases_at(bytes, count, index);
#endif
    return found;
}

static inline int is_mark(uint8_t byte) { return byte == 0x2E || byte == 0x21 || byte == 0x3F; }
static inline int is_closer(uint8_t byte) { return byte == 0x22 || byte == 0x27 || byte == 0x29 || byte == 0x5D; }

/// Whether the word ending just before the period at `period` is an initial or an abbreviation.
static int is_abbreviation(const uint8_t *bytes, size_t period) {
    // Zero-padded to 8 bytes, so a candidate word (2–6 bytes, zero-padded) compares as one integer.
    static const char abbreviations[][8] = {
        "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "vs", "etc", "Fig", "fig", "No", "Inc", "Ltd", "Co",
        "Mt", "Gen", "Col", "Capt", "Lt", "Rev", "Hon", "Gov", "Sen", "Rep", "Jan", "Feb", "Aug", "Sept", "Oct",
        "Nov", "Dec", "e.g", "i.e", "al", "cf", "approx", "Vol", "vol", "pp", "Ch", "ch",
    };
    size_t word_start = period;
    while (word_start > 0) {
        const uint8_t byte = bytes[word_start - 1];
        const int letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E;
        if (!letter) break;
        word_start--;
    }
    const size_t length = period - word_start;
    if (length == 0) return 0;
    if (length == 1) return 1;
    if (length > 6) return 0;
    char word[8] = {0};
    memcpy(word, bytes + word_start, length);
    for (size_t i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]); i++) {
        if (memcmp(abbreviations[i], word, 8) == 0) return 1;
    }
    return 0;
}

#ifdef CATALOG_C4_SSE2
static inline unsigned mark_mask(__m128i v) {
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
        _mm_cmpeq_epi8(v, _mm_set1_epi8('!'))), _mm_cmpeq_epi8(v, _mm_set1_epi8('?')));
    return (unsigned)_mm_movemask_epi8(hits);
}
#endif

/// The first index ≥ `index` holding `. ! ?`, or `count` (`readable` ≥ `count` bytes may be read).
static inline size_t next_mark(const uint8_t *bytes, size_t count, size_t readable, size_t index) {
#ifdef CATALOG_C4_SSE2
    while (index + 16 <= count) {
        const unsigned mask = mark_mask(_mm_loadu_si128((const __m128i *)(bytes + index)));
        if (mask != 0) return index + (size_t)__builtin_ctz(mask);
        index += 16;
    }
    if (index < count) {
        unsigned mask;
        if (index + 16 <= readable) {
            mask = mark_mask(_mm_loadu_si128((const __m128i *)(bytes + index))) & ((1u << (count - index)) - 1);
        } else {
            uint8_t tail[16] = {0};
            memcpy(tail, bytes + index, count - index);
            mask = mark_mask(_mm_loadu_si128((const __m128i *)tail));
        }
        return mask != 0 ? index + (size_t)__builtin_ctz(mask) : count;
    }
    return count;
#else
    (void)readable;
    while (index < count && !is_mark(bytes[index])) index++;
    return index;
#endif
}

size_t catalog_c4_sentence_count(const uint8_t *bytes, size_t count, size_t readable) {
    size_t sentences = 1;
    size_t index = next_mark(bytes, count, readable, 0);
    while (index < count) {
        const uint8_t byte = bytes[index];
        size_t next = index + 1;
        while (next < count && is_mark(bytes[next])) next++;
        const int single = next == index + 1;
        while (next < count && is_closer(bytes[next])) next++;
        if (next < count && is_ascii_space(bytes[next])) {
            while (next < count && is_ascii_space(bytes[next])) next++;
            if (next < count) {
                const uint8_t following = bytes[next];
                const int lowercase = following >= 0x61 && following <= 0x7A;
                const int abbreviation = byte == 0x2E && single && is_abbreviation(bytes, index);
                if (!lowercase && !abbreviation) sentences++;
            }
        }
        index = next_mark(bytes, count, readable, next);
    }
    return sentences;
}
