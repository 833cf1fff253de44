// MinHash min-reduction kernel, compiled once per CPU level and picked at load time.
#ifndef CATALOG_MINHASH_H
#define CATALOG_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Lowers each signature slot to the smallest permuted value of a batch of shingle hashes.
///
/// For every permutation `i < permutation_count` and shingle `j < shingle_count`:
///
///     signature[i] = min(signature[i], (uint32_t)((multipliers[i] * shingle_hashes[j] + offsets[i]) >> 32))
///
/// with wrapping 64-bit arithmetic (multiply-shift permutations; `multipliers[i]` should be odd).
/// Fill `signature` with `UINT32_MAX` before the first batch; calling it once per batch of a
/// document folds all batches, so a caller can stream shingles through a small buffer.
/// `shingle_count == 0` leaves `signature` unchanged. Pointers may be NULL only when the
/// matching count is zero. The buffers must not overlap.
///
/// Permutations are the outer loop and shingles the inner loop, so the inner loop is a
/// contiguous min-reduction that vectorises (AVX-512 / AVX2 clones on x86-64).
void catalog_minhash_reduce(const uint64_t *shingle_hashes, size_t shingle_count,
                            const uint64_t *multipliers, const uint64_t *offsets,
                            size_t permutation_count, uint32_t *signature);

#ifdef __cplusplus
}
#endif

#endif
