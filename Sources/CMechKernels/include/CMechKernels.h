#ifndef CMECHKERNELS_H
#define CMECHKERNELS_H

/// One tile of a rank-one log-sum-exp over x[v] = (a[v] - c*b[v])*s + e[v], v < n: *max_out = max x,
/// *sum_out = sum exp(x - *reference_out). The reference is `shift` when it is finite and no x exceeds
/// it by more than 80 (one pass), else max x (two passes through `scratch`, n floats). Any NaN makes
/// all three NaN. Runs AVX-512 or AVX2+FMA code when the CPU has it (chosen once, at the first call).
void mech_rank_one_lse_tile(const float *a, const float *b, const float *e, long n, float c, float s, float shift,
                            float *scratch, double *max_out, double *reference_out, double *sum_out);

/// The best instruction set this CPU runs: 0 = SSE2, 1 = AVX2+FMA, 2 = AVX-512.
int mech_rank_one_lse_best_level(void);

/// The tile at a given level (clamped to 0...2; never call a level above the best one), for tests
/// that compare the instruction sets.
void mech_rank_one_lse_tile_at_level(int level, const float *a, const float *b, const float *e, long n, float c,
                                     float s, float shift, float *scratch, double *max_out, double *reference_out,
                                     double *sum_out);

/// Transposes columns [col_begin, col_end) of a row-major float32 [rows, cols] matrix into rows of a
/// row-major [cols, rows] matrix `dst` (dst[j * rows + i] = src[i * cols + j]), in cache tiles.
/// Callers split the columns across threads.
void mech_transpose_f32(const float *src, long rows, long cols, long col_begin, long col_end, float *dst);

/// Heap policy (glibc; no-ops elsewhere): blocks of at least `threshold_bytes` are mapped on their own
/// and unmapped when freed, and free memory above that at the heap's top goes back to the system.
void mech_heap_map_large_blocks(long threshold_bytes);
/// Gives free heap pages back to the system (glibc's malloc_trim(0)).
void mech_heap_trim(void);

#endif
