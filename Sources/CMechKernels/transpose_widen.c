// Transposing a checkpoint's nn.Linear weight [out, in] into the internal x·W layout [in, out] while
// widening it to float32: one pass over the bytes instead of a conversion and then a transposition.
#include "CMechKernels.h"

#include <immintrin.h>
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

// Each kernel twice: for any x86-64 (the tiles above), and with AVX2 8×8 register transposes.
DEFINE_TRANSPOSE(f32_generic, 4, widen_f32, "sse2")
DEFINE_TRANSPOSE(f16_generic, 2, widen_f16, "sse2")
DEFINE_TRANSPOSE(bf16_generic, 2, widen_bf16, "sse2")

#define AVX2 __attribute__((target("avx2,fma")))

// r[k] ← column k of the 8×8 block whose rows are r[0..7].
AVX2 static inline void transpose8x8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0)), s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0)), s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Eight consecutive stored elements widened to floats.
AVX2 static inline __m256 load8_f32(const unsigned char *p) { return _mm256_loadu_ps((const float *)p); }

AVX2 static inline __m256 load8_bf16(const unsigned char *p) {
    __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

// F16 through the exact scalar widening (F16C would quiet signalling NaNs).
AVX2 static inline __m256 load8_f16(const unsigned char *p) {
    return _mm256_setr_ps(widen_f16(p), widen_f16(p + 2), widen_f16(p + 4), widen_f16(p + 6), widen_f16(p + 8),
                          widen_f16(p + 10), widen_f16(p + 12), widen_f16(p + 14));
}

// Row blocks of 64 source rows; inside, 8×8 blocks along the columns; what is left over at the
// bottom (rows % 8) or the right (columns % 8) goes element by element.
#define DEFINE_TRANSPOSE_AVX2(NAME, SIZE, LOAD8, WIDEN)                                                   \
    AVX2 static void NAME(const void *src_, long rows, long cols, long col_begin, long col_end, float *dst) { \
        const unsigned char *src = (const unsigned char *)src_;                                          \
        long full_rows = rows / 8 * 8, full_end = col_begin + (col_end - col_begin) / 8 * 8;             \
        for (long ib = 0; ib < full_rows; ib += 64) {                                                    \
            long ie = ib + 64 < full_rows ? ib + 64 : full_rows;                                          \
            for (long j0 = col_begin; j0 < full_end; j0 += 8) {                                           \
                for (long i0 = ib; i0 < ie; i0 += 8) {                                                    \
                    __m256 r[8];                                                                         \
                    for (int k = 0; k < 8; k++) r[k] = LOAD8(src + (SIZE) * ((i0 + k) * cols + j0));     \
                    transpose8x8(r);                                                                     \
                    for (int k = 0; k < 8; k++) _mm256_storeu_ps(dst + (j0 + k) * rows + i0, r[k]);      \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
        for (long i = 0; i < full_rows; i++)                                                             \
            for (long j = full_end; j < col_end; j++) dst[j * rows + i] = WIDEN(src + (SIZE) * (i * cols + j)); \
        for (long i = full_rows; i < rows; i++)                                                          \
            for (long j = col_begin; j < col_end; j++) dst[j * rows + i] = WIDEN(src + (SIZE) * (i * cols + j)); \
    }

DEFINE_TRANSPOSE_AVX2(f32_avx2, 4, load8_f32, widen_f32)
DEFINE_TRANSPOSE_AVX2(f16_avx2, 2, load8_f16, widen_f16)
DEFINE_TRANSPOSE_AVX2(bf16_avx2, 2, load8_bf16, widen_bf16)

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
