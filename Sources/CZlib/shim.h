#include <zlib.h>

/// inflateInit2 is a macro; Swift needs a function.
static inline int catalog_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
