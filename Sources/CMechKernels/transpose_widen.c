// Transposing a checkpoint's nn.Linear weight [out, in] into the internal x·W layout [in, out] while
// widening it to float32: one pass over the bytes instead of a conversion and then a transposition.
#include "CMechKernels.h"

#include <stdint.h>
#include <string.h>

static inline float widen_f32(const unsigned char *p) {
    float f;
    memcpy(&f, p, 4);
    return f;
}

static inline float widen_bf16(const unsigned char *p) {
    uint16_t b;
    memcpy(&b, p, 2);
    uint32_t u = (uint32_t)b << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

// The same bit arithmetic as MechFormats' HalfPrecisionConversion.float(fromFloat16Bits:).
static inline float widen_f16(const unsigned char *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x03FF, u;
    if (exponent == 0x1F) {
        u = sign | 0x7F800000u | (mantissa << 13);
    } else if (exponent == 0) {
        float magnitude = (float)mantissa * 0x1p-24f;
        memcpy(&u, &magnitude, 4);
        u |= sign;
    } else {
        u = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &u, 4);
    return f;
}

// Tiles of TILE_I source rows × TILE_J source columns: the TILE_J destination rows a tile writes
// stay in cache while the TILE_I source rows are read across.
#define TILE_I 64
#define TILE_J 16

#define DEFINE_TRANSPOSE(NAME, SIZE, WIDEN)                                                              \
    void NAME(const void *src_, long rows, long cols, long col_begin, long col_end, float *dst) {       \
        const unsigned char *src = (const unsigned char *)src_;                                          \
        for (long j0 = col_begin; j0 < col_end; j0 += TILE_J) {                                           \
            long j1 = j0 + TILE_J < col_end ? j0 + TILE_J : col_end;                                       \
            for (long i0 = 0; i0 < rows; i0 += TILE_I) {                                                  \
                long i1 = i0 + TILE_I < rows ? i0 + TILE_I : rows;                                        \
                for (long j = j0; j < j1; j++) {                                                         \
                    float *out = dst + j * rows;                                                         \
                    const unsigned char *in = src + (SIZE) * j;                                          \
                    for (long i = i0; i < i1; i++) out[i] = WIDEN(in + (SIZE) * i * cols);               \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }

DEFINE_TRANSPOSE(mech_transpose_f32, 4, widen_f32)
DEFINE_TRANSPOSE(mech_transpose_f16, 2, widen_f16)
DEFINE_TRANSPOSE(mech_transpose_bf16, 2, widen_bf16)
