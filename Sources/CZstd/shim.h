#define ZSTD_STATIC_LINKING_ONLY
#define ZDICT_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>

/// `ZSTD_c_forceAttachDict` is a macro over an experimental parameter, which Swift does not import.
static const ZSTD_cParameter catalog_zstd_c_force_attach_dict = ZSTD_c_forceAttachDict;
