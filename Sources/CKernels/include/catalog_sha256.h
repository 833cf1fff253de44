#ifndef CATALOG_SHA256_H
#define CATALOG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Streaming SHA-256 state. Treat as opaque: initialise with `catalog_sha256_init`, feed with
/// `catalog_sha256_update`, finish with `catalog_sha256_final`. Copying the struct forks the hash.
typedef struct catalog_sha256_ctx {
    uint32_t state[8];
    uint64_t total_bytes;
    uint8_t block[64];
    uint32_t block_len;
    /// 1 when this context compresses blocks with the x86 SHA extensions, 0 for portable C.
    uint32_t use_sha_ni;
} catalog_sha256_ctx;

/// Starts a hash, using the SHA extensions when the CPU has them.
void catalog_sha256_init(catalog_sha256_ctx *ctx);

/// Starts a hash that always uses the portable C code (for tests and comparisons).
void catalog_sha256_init_portable(catalog_sha256_ctx *ctx);

/// Adds `len` bytes at `data` to the hash.
void catalog_sha256_update(catalog_sha256_ctx *ctx, const void *data, size_t len);

/// Writes the 32-byte digest to `out`. The context must be re-initialised before reuse.
void catalog_sha256_final(catalog_sha256_ctx *ctx, uint8_t out[32]);

/// Returns 1 when this CPU and build can use the SHA extensions, else 0.
int catalog_sha256_has_sha_ni(void);

#ifdef __cplusplus
}
#endif

#endif
