// Transposing a float32 matrix in cache tiles: nn.Linear's [out, in] into the x·W layout [in, out]
// that the analyses slice per head, and every other transpose a Tensor needs.
#include "CMechKernels.h"

#include <immintrin.h>

// Tiles of TILE_I source rows × TILE_J source columns go through a small local block: each source
// row's TILE_J elements are read contiguously, each destination row's TILE_I floats written
// contiguously (a whole line). Reading or writing a column directly instead touches lines a
// power-of-two stride apart, which share one L1 set and evict each other (4× slower on 4096-wide
// matrices).
#define TILE_I 16
#define TILE_J 32

__attribute__((target("sse2"))) static void transpose_generic(const float *src, long rows, long cols, long col_begin,
                                                              long col_end, float *dst) {
    float block[TILE_J][TILE_I];
    for (long j0 = col_begin; j0 < col_end; j0 += TILE_J) {
        long nj = j0 + TILE_J < col_end ? TILE_J : col_end - j0;
        for (long i0 = 0; i0 < rows; i0 += TILE_I) {
            long ni = i0 + TILE_I < rows ? TILE_I : rows - i0;
            for (long i = 0; i < ni; i++) {
                const float *in = src + (i0 + i) * cols + j0;
                for (long j = 0; j < nj; j++) block[j][i] = in[j];
            }
            for (long j = 0; j < nj; j++) {
                float *out = dst + (j0 + j) * rows + i0;
                for (long i = 0; i < ni; i++) out[i] = block[j][i];
            }
        }
    }
}

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

// Row blocks of 64 source rows; inside, 8×8 blocks along the columns; what is left over at the
// bottom (rows % 8) or the right (columns % 8) goes element by element.
AVX2 static void transpose_avx2(const float *src, long rows, long cols, long col_begin, long col_end, float *dst) {
    long full_rows = rows / 8 * 8, full_end = col_begin + (col_end - col_begin) / 8 * 8;
    for (long ib = 0; ib < full_rows; ib += 64) {
        long ie = ib + 64 < full_rows ? ib + 64 : full_rows;
        for (long j0 = col_begin; j0 < full_end; j0 += 8) {
            for (long i0 = ib; i0 < ie; i0 += 8) {
                __m256 r[8];
                for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(src + (i0 + k) * cols + j0);
                transpose8x8(r);
                for (int k = 0; k < 8; k++) _mm256_storeu_ps(dst + (j0 + k) * rows + i0, r[k]);
            }
        }
    }
    for (long i = 0; i < full_rows; i++)
        for (long j = full_end; j < col_end; j++) dst[j * rows + i] = src[i * cols + j];
    for (long i = full_rows; i < rows; i++)
        for (long j = col_begin; j < col_end; j++) dst[j * rows + i] = src[i * cols + j];
}

static int has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void mech_transpose_f32(const float *src, long rows, long cols, long col_begin, long col_end, float *dst) {
    (has_avx2() ? transpose_avx2 : transpose_generic)(src, rows, cols, col_begin, col_end, dst);
}
