// The 128-lane (any count) MinHash min-reduction. Swift cannot dispatch per CPU, so this loop lives
// in C with target_clones: the dynamic loader picks the AVX-512, AVX2 or baseline clone at startup,
// and a plain `swift build -c release` stays portable. See catalog_minhash.h for the contract.
#include "catalog_minhash.h"

#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__)  // target_clones needs ifunc
#define CATALOG_PER_CPU_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CATALOG_PER_CPU_CLONES
#endif

/// Whether the CPU has an unsigned 64-bit vector minimum (AVX-512: vpminuq).
static int has_64bit_vector_min(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

CATALOG_PER_CPU_CLONES
void catalog_minhash_reduce(const uint64_t *restrict shingle_hashes, size_t shingle_count,
                            const uint64_t *restrict multipliers, const uint64_t *restrict offsets,
                            size_t permutation_count, uint32_t *restrict signature) {
    // Both loops compute the same result: x ↦ x >> 32 is monotone, so the minimum of the high
    // halves is the high half of the minimum. With AVX-512 the 64-bit minimum is one instruction
    // and saves the shift and narrowing per vector (about 30% faster, measured); AVX2 has no
    // 64-bit minimum, so there each value is narrowed to 32 bits first. The check selects the
    // loop that suits the clone the loader picked; it costs one load per call.
    if (has_64bit_vector_min()) {
        for (size_t i = 0; i < permutation_count; i++) {
            const uint64_t multiplier = multipliers[i];
            const uint64_t offset = offsets[i];
            uint64_t lowest = UINT64_MAX;
            for (size_t j = 0; j < shingle_count; j++) {
                const uint64_t permuted = multiplier * shingle_hashes[j] + offset;
                lowest = permuted < lowest ? permuted : lowest;
            }
            const uint32_t high = (uint32_t)(lowest >> 32);
            signature[i] = high < signature[i] ? high : signature[i];
        }
    } else {
        for (size_t i = 0; i < permutation_count; i++) {
            const uint64_t multiplier = multipliers[i];
            const uint64_t offset = offsets[i];
            uint32_t lowest = signature[i];
            for (size_t j = 0; j < shingle_count; j++) {
                const uint32_t permuted = (uint32_t)((multiplier * shingle_hashes[j] + offset) >> 32);
                lowest = permuted < lowest ? permuted : lowest;
            }
            signature[i] = lowest;
        }
    }
}
