// The ASCII fast path of the quality-signal word splitter; see catalog_words.h. It reproduces
// the byte loop of `WordSplit.run` (GopherQualityKernel.swift) on ASCII text exactly: the
// same words, hashes (`SignalHash` in ScanBuffers.swift) and counters. Each 64-byte block is
// classified into bitmaps (SSE2 where available), then walked word by word up to its first
// non-ASCII byte.
#include "catalog_words.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Compiled twice on x86-64, picked by the dynamic loader at startup: the x86-64-v3 clone has
// tzcnt, blsr and popcnt (the baseline emulates popcount in a dozen instructions) and
// VEX-encoded SSE; a plain `swift build -c release` stays portable.
#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__)  // target_clones needs ifunc
#define CATALOG_WORDS_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CATALOG_WORDS_CLONES
#endif

static inline uint64_t fmix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    x ^= x >> 33;
    return x;
}

/// SignalHash.short
static inline uint64_t hash_short(uint64_t packed, size_t count) {
    return fmix64(packed ^ ((uint64_t)count << 59) ^ 0x2545F4914F6CDD1Dull);
}

/// SignalHash.bytes
static inline uint64_t hash_bytes(const uint8_t *bytes, size_t count) {
    uint64_t h = 0x9E3779B97F4A7C15ull * (uint64_t)(count + 1);
    size_t index = 0;
    while (index + 8 <= count) {
        uint64_t word;
        memcpy(&word, bytes + index, 8);
        h = (h ^ word) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        index += 8;
    }
    if (index < count) {
        uint64_t word = 0;
        unsigned shift = 0;
        while (index < count) {
            word |= (uint64_t)bytes[index] << shift;
            shift += 8;
            index++;
        }
        h = (h ^ word) * 0x94D049BB133111EBull;
        h ^= h >> 29;
    }
    return fmix64(h);
}

/// QualitySignalScanner.stopWordBit without branches: a perfect hash of the 8 stop words
/// (packed little-endian) into 8 slots, then one comparison.
static inline uint32_t stop_word_bit(uint64_t packed) {
    static const uint64_t words[8] = {
        0x656874,  // the (slot 0)
        0x6562,  // be
        0x666F,  // of
        0x68746977,  // with
        0x74616874,  // that
        0x646E61,  // and
        0x6F74,  // to
        0x65766168,  // have
    };
    static const uint32_t bits[8] = {1, 2, 8, 128, 32, 16, 4, 64};
    const unsigned slot = (unsigned)((packed * 0xC42DDDC22F41F7CDull) >> 61);
    // Masked, not `==` then `?:`, which compilers turn into a branch that mispredicts on
    // every stop word (one word in five of English text); the empty asm keeps the optimiser
    // from turning the mask back into that branch.
    uint32_t mask = 0u - (uint32_t)(words[slot] == packed);
    __asm__("" : "+r"(mask));
    return bits[slot] & mask;
}

typedef struct block_masks {
    uint64_t high, word, letters, non_underscore, symbol, dots, hashes, newlines;
} block_masks;

#if defined(__SSE2__)
static inline __m128i in_range(__m128i v, uint8_t low, uint8_t high) {
    const __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8((char)low));
    return _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8((char)(high - low))), shifted);
}
#endif

static inline void classify(const uint8_t *p, block_masks *m) {
    memset(m, 0, sizeof *m);
#if defined(__SSE2__)
    for (unsigned lane = 0; lane < 4; lane++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * lane));
        const __m128i letters = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
        const __m128i alnum = _mm_or_si128(letters, in_range(v, '0', '9'));
        const __m128i word = _mm_or_si128(alnum, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
        const __m128i symbol = _mm_andnot_si128(word, in_range(v, 0x21, 0x7E));
        const unsigned shift = 16 * lane;
        m->high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << shift;
        m->word |= (uint64_t)(unsigned)_mm_movemask_epi8(word) << shift;
        m->letters |= (uint64_t)(unsigned)_mm_movemask_epi8(letters) << shift;
        m->non_underscore |= (uint64_t)(unsigned)_mm_movemask_epi8(alnum) << shift;
        m->symbol |= (uint64_t)(unsigned)_mm_movemask_epi8(symbol) << shift;
        m->dots |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.'))) << shift;
        m->hashes |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('#'))) << shift;
        m->newlines |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))) << shift;
    }
#else
    for (unsigned k = 0; k < 64; k++) {
        const uint8_t b = p[k];
        const uint64_t bit = 1ull << k;
        const uint8_t folded = b | 0x20;
        const int letter = folded >= 'a' && folded <= 'z' && b < 0x80;
        const int alnum = letter || (b >= '0' && b <= '9');
        const int word = alnum || b == '_';
        if (b >= 0x80) m->high |= bit;
        if (word) m->word |= bit;
        if (letter) m->letters |= bit;
        if (alnum) m->non_underscore |= bit;
        if (!word && b >= 0x21 && b <= 0x7E) m->symbol |= bit;
        if (b == '.') m->dots |= bit;
        if (b == '#') m->hashes |= bit;
        if (b == '\n') m->newlines |= bit;
    }
#endif
}

/// Bits [0, n) for n in 0...64.
static inline uint64_t low_bits(unsigned n) { return n >= 64 ? ~0ull : ((1ull << n) - 1); }

CATALOG_WORDS_CLONES
size_t catalog_word_scan_ascii(const uint8_t *bytes, size_t count, size_t index, catalog_word_scan *scan) {
    uint64_t *const hashes = scan->hashes;
    int32_t *const lengths = scan->lengths;
    size_t words = scan->count;
    int64_t word_count = scan->word_count, word_chars = scan->word_chars, alpha_words = scan->alpha_words;
    int64_t ellipses = scan->ellipses, dot_run = scan->dot_run;
    uint32_t stop_words = scan->stop_words;
    while (index + 64 <= count && scan->capacity - words >= 64) {
        block_masks m;
        classify(bytes + index, &m);
        // Only the ASCII bytes before the first non-ASCII one are taken (all 64 in most blocks).
        const unsigned limit = m.high != 0 ? (unsigned)__builtin_ctzll(m.high) : 64;
        if (limit == 0) break;
        // Words are runs of word bytes or of symbol bytes: bitmaps of each run's first and last byte.
        const uint64_t valid = low_bits(limit);
        const uint64_t w = m.word & valid, sy = m.symbol & valid;
        uint64_t starts = (w & ~(w << 1)) | (sy & ~(sy << 1));
        uint64_t lasts = (w & ~(w >> 1)) | (sy & ~(sy >> 1));
        unsigned position = limit;  // bytes consumed
        while (starts != 0) {
            const unsigned start = (unsigned)__builtin_ctzll(starts);
            const unsigned last = (unsigned)__builtin_ctzll(lasts);
            starts &= starts - 1;
            lasts &= lasts - 1;
            if (last == limit - 1) {
                position = start;  // may go on in the next block (or into the non-ASCII scalar)
                break;
            }
            const unsigned length = last - start + 1;
            const uint64_t span = (2ull << last) - (1ull << start);
            // Symbol runs have no letters or digits: these are false for them.
            const int non_underscore = (m.non_underscore & span) != 0;
            const uint8_t *const word = bytes + index + start;
            uint64_t hash;
            if (length <= 8) {
                uint64_t packed = 0;
                if (index + start + 8 <= count) {
                    memcpy(&packed, word, 8);
                    packed &= ~0ull >> (64 - 8 * length);
                } else {
                    for (unsigned k = 0; k < length; k++) packed |= (uint64_t)word[k] << (8 * k);
                }
                hash = hash_short(packed, length);
                const uint32_t stop_mask = (non_underscore && length - 2 <= 2) ? ~0u : 0u;
                stop_words |= stop_word_bit(packed) & stop_mask;
            } else {
                hash = hash_bytes(word, length);
            }
            hashes[words] = hash;
            lengths[words] = (int32_t)length;
            words++;
            word_count += non_underscore;
            word_chars += non_underscore ? length : 0;
            alpha_words += (m.letters & span) != 0;
        }
        if (position == 0) break;  // a word of 64 or more bytes, or one running into a non-ASCII scalar
        const uint64_t consumed = low_bits(position);
        scan->chars += position;
        scan->newlines += __builtin_popcountll(m.newlines & consumed);
        scan->hash_signs += __builtin_popcountll(m.hashes & consumed);
        // Runs of dots: a run ending at the consumed end stays open (the next byte decides).
        uint64_t dots = m.dots & consumed;
        if ((dots & 1) == 0 && dot_run != 0) {
            ellipses += dot_run / 3;
            dot_run = 0;
        }
        while (dots != 0) {
            const unsigned start = (unsigned)__builtin_ctzll(dots);
            const uint64_t after = ~(dots >> start);
            const unsigned length = after == 0 ? 64 - start : (unsigned)__builtin_ctzll(after);
            dot_run += length;
            if (start + length < position) {
                ellipses += dot_run / 3;
                dot_run = 0;
            }
            dots &= ~(low_bits(length) << start);
        }
        index += position;
        if (limit < 64) break;  // the byte loop takes the non-ASCII scalar
    }
    scan->count = words;
    scan->word_count = word_count;
    scan->word_chars = word_chars;
    scan->alpha_words = alpha_words;
    scan->ellipses = ellipses;
    scan->dot_run = dot_run;
    scan->stop_words = stop_words;
    return index;
}
