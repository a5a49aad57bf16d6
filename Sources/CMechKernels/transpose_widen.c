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

// Tiles of TILE_I source rows × TILE_J source columns go through a small local block: each source
// row's TILE_J elements are read contiguously (a whole cache line for 16-bit data), each destination
// row's TILE_I floats written contiguously (a whole line). Reading or writing a column directly
// instead touches lines a power-of-two stride apart, which share one L1 set and evict each other
// (4× slower on 4096-wide matrices).
#define TILE_I 16
#define TILE_J 32

#define DEFINE_TRANSPOSE(NAME, SIZE, WIDEN, TARGET)                                                      \
    __attribute__((target(TARGET))) static void NAME(const void *src_, long rows, long cols, long col_begin, long col_end, float *dst) {       \
        const unsigned char *src = (const unsigned char *)src_;                                          \
        float block[TILE_J][TILE_I];                                                                     \
        for (long j0 = col_begin; j0 < col_end; j0 += TILE_J) {                                           \
            long nj = j0 + TILE_J < col_end ? TILE_J : col_end - j0;                                      \
            for (long i0 = 0; i0 < rows; i0 += TILE_I) {                                                  \
                long ni = i0 + TILE_I < rows ? TILE_I : rows - i0;                                        \
                for (long i = 0; i < ni; i++) {                                                          \
                    const unsigned char *in = src + (SIZE) * ((i0 + i) * cols + j0);                     \
                    for (long j = 0; j < nj; j++) block[j][i] = WIDEN(in + (SIZE) * j);                  \
                }                                                                                        \
                for (long j = 0; j < nj; j++) {                                                          \
                    float *out = dst + (j0 + j) * rows + i0;                                             \
                    for (long i = 0; i < ni; i++) out[i] = block[j][i];                                  \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }

// Each kernel twice: with AVX2 (4× faster on some shapes) and for any x86-64, chosen per call.
DEFINE_TRANSPOSE(f32_avx2, 4, widen_f32, "avx2,fma")
DEFINE_TRANSPOSE(f16_avx2, 2, widen_f16, "avx2,fma")
DEFINE_TRANSPOSE(bf16_avx2, 2, widen_bf16, "avx2,fma")
DEFINE_TRANSPOSE(f32_generic, 4, widen_f32, "sse2")
DEFINE_TRANSPOSE(f16_generic, 2, widen_f16, "sse2")
DEFINE_TRANSPOSE(bf16_generic, 2, widen_bf16, "sse2")

static int has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void mech_transpose_f32(const void *src, long rows, long cols, long col_begin, long col_end, float *dst) {
    (has_avx2() ? f32_avx2 : f32_generic)(src, rows, cols, col_begin, col_end, dst);
}

void mech_transpose_f16(const void *src, long rows, long cols, long col_begin, long col_end, float *dst) {
    (has_avx2() ? f16_avx2 : f16_generic)(src, rows, cols, col_begin, col_end, dst);
}

void mech_transpose_bf16(const void *src, long rows, long cols, long col_begin, long col_end, float *dst) {
    (has_avx2() ? bf16_avx2 : bf16_generic)(src, rows, cols, col_begin, col_end, dst);
}
