// SHA-256 (FIPS 180-4): portable C plus an x86 SHA-NI block function chosen at run time.
#include "catalog_sha256.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    uint32_t w[64];
    while (blocks--) {
        for (int t = 0; t < 16; t++) w[t] = load_be32(data + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        data += 64;
    }
}

#if defined(__x86_64__)
// The SHA-NI round structure follows Intel's reference ("Intel SHA Extensions", 2013):
// the state lives as ABEF/CDGH, each sha256rnds2 does two rounds, msg1/msg2 extend the schedule.
__attribute__((target("sha,sse4.1")))
static void blocks_sha_ni(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);    // DCBA
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]); // HGFE
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                            // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);                      // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);              // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);                   // CDGH

    while (blocks--) {
        const __m128i abef = state0, cdgh = state1;
        __m128i m[4];
        for (int i = 0; i < 4; i++) {
            m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), byte_swap);
        }
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g++) {  // 16 groups of 4 rounds
            if (g >= 4) {
                // W[4g..4g+3] from W[4g-16..], W[4g-15..], W[4g-7..] and W[4g-4..].
                __m128i w16 = m[g & 3], w12 = m[(g + 1) & 3], w8 = m[(g + 2) & 3], w4 = m[(g + 3) & 3];
                __m128i x = _mm_sha256msg1_epu32(w16, w12);
                x = _mm_add_epi32(x, _mm_alignr_epi8(w4, w8, 4));
                m[g & 3] = _mm_sha256msg2_epu32(x, w4);
            }
            __m128i msg = _mm_add_epi32(m[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            msg = _mm_shuffle_epi32(msg, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        data += 64;
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);       // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);    // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);    // HGFE
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}
#endif

int catalog_sha256_has_sha_ni(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
#else
    return 0;
#endif
}

static void compress(catalog_sha256_ctx *ctx, const uint8_t *data, size_t blocks) {
#if defined(__x86_64__)
    if (ctx->use_sha_ni) {
        blocks_sha_ni(ctx->state, data, blocks);
        return;
    }
#endif
    blocks_portable(ctx->state, data, blocks);
}

void catalog_sha256_init_portable(catalog_sha256_ctx *ctx) {
    memcpy(ctx->state, H0, sizeof H0);
    ctx->total_bytes = 0;
    ctx->block_len = 0;
    ctx->use_sha_ni = 0;
}

void catalog_sha256_init(catalog_sha256_ctx *ctx) {
    // Cached CPU check; relaxed atomics because every thread would store the same value.
    static int has_sha_ni = -1;
    int cached = __atomic_load_n(&has_sha_ni, __ATOMIC_RELAXED);
    if (cached < 0) {
        cached = catalog_sha256_has_sha_ni();
        __atomic_store_n(&has_sha_ni, cached, __ATOMIC_RELAXED);
    }
    catalog_sha256_init_portable(ctx);
    ctx->use_sha_ni = (uint32_t)cached;
}

void catalog_sha256_update(catalog_sha256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    ctx->total_bytes += len;
    if (ctx->block_len > 0) {
        size_t take = 64 - ctx->block_len;
        if (take > len) take = len;
        memcpy(ctx->block + ctx->block_len, p, take);
        ctx->block_len += (uint32_t)take;
        p += take;
        len -= take;
        if (ctx->block_len < 64) return;
        compress(ctx, ctx->block, 1);
        ctx->block_len = 0;
    }
    if (len >= 64) {
        size_t blocks = len / 64;
        compress(ctx, p, blocks);
        p += blocks * 64;
        len -= blocks * 64;
    }
    if (len > 0) {
        memcpy(ctx->block, p, len);
        ctx->block_len = (uint32_t)len;
    }
}

void catalog_sha256_final(catalog_sha256_ctx *ctx, uint8_t out[32]) {
    uint64_t bits = ctx->total_bytes * 8;
    uint8_t pad[72] = {0x80};
    size_t pad_len = (ctx->block_len < 56) ? (56 - ctx->block_len) : (120 - ctx->block_len);
    for (int i = 0; i < 8; i++) pad[pad_len + i] = (uint8_t)(bits >> (56 - 8 * i));
    uint64_t total = ctx->total_bytes;
    catalog_sha256_update(ctx, pad, pad_len + 8);
    ctx->total_bytes = total;
    for (int i = 0; i < 8; i++) {
        out[4 * i + 0] = (uint8_t)(ctx->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)(ctx->state[i]);
    }
}
