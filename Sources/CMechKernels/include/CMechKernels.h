#ifndef CMECHKERNELS_H
#define CMECHKERNELS_H

/// One tile of a rank-one log-sum-exp: x[v] = (a[v] - c*b[v])*s + e[v] for v < n (written to
/// scratch), then *max_out = max x and *sum_out = sum exp(x - max). Any NaN makes both NaN.
/// Runs AVX-512 or AVX2+FMA code when the CPU has it (chosen once, at the first call).
void mech_rank_one_lse_tile(const float *a, const float *b, const float *e, long n, float c, float s,
                            float *scratch, double *max_out, double *sum_out);

#endif
