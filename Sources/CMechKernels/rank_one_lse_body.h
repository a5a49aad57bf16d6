// The body of one rank-one log-sum-exp tile, compiled once per instruction set by
// rank_one_lse.c (which defines TILE_NAME, TILE_EXP and TILE_TARGET before including this file).

// exp(x) for x <= 88 (callers only keep results where x - reference <= 80): 2^n * p(r) with
// n = round(x / ln 2), r = x - n*ln 2 in [-0.35, 0.35] and p the degree-5 Taylor polynomial, relative
// error below 3e-6 -- far inside what a log-sum-exp over thousands of terms needs, and four vector
// instructions cheaper than the Cephes form MechTensor's VectorMath.exp uses. Below -87.3 the result
// is clamped to exp(-87.3) ~ 1e-38 (the exponent bits would wrap otherwise).
__attribute__((target(TILE_TARGET)))
static inline v16 TILE_EXP(v16 x) {
    x = __builtin_elementwise_max(x, (v16)(-87.3f));
    const float magic = 12582912.0f;                  // 1.5 * 2^23: rounds to an integer in the low bits
    v16 t = x * 1.44269504088896341f + magic;
    v16 n = t - magic;
    v16 r = x - n * 0.693147180559945f;
    v16 p = (v16)(8.3333333e-3f);
    p = p * r + 4.1666667e-2f;
    p = p * r + 1.6666667e-1f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    i16 bits = __builtin_bit_cast(i16, t);            // 0x4B400000 + n
    v16 scale = __builtin_bit_cast(v16, (bits - 0x4B400000 + 127) << 23);
    return p * scale;
}

__attribute__((target(TILE_TARGET)))
static void TILE_NAME(const float *a, const float *b, const float *e, long n, float c, float s, float shift,
                      float *scratch, double *max_out, double *reference_out, double *sum_out) {
    long i = 0;
    v16 vmax = (v16)(-INFINITY);
    i16 nan = (i16)(0);
    if (isfinite(shift)) {
        // One pass, exp taken relative to the caller's shift (the running maximum of earlier tiles);
        // kept only if no value exceeds the shift by so much that exp's clamp at 88 would bite.
        // Two independent accumulators per quantity so consecutive vectors' exps overlap.
        v16 vsum = (v16)(0), vsum2 = (v16)(0), vmax2 = (v16)(-INFINITY);
        for (; i + 32 <= n; i += 32) {
            v16 va, vb, ve, va2, vb2, ve2;
            __builtin_memcpy(&va, a + i, sizeof va);
            __builtin_memcpy(&vb, b + i, sizeof vb);
            __builtin_memcpy(&ve, e + i, sizeof ve);
            __builtin_memcpy(&va2, a + i + 16, sizeof va2);
            __builtin_memcpy(&vb2, b + i + 16, sizeof vb2);
            __builtin_memcpy(&ve2, e + i + 16, sizeof ve2);
            v16 x = (va - c * vb) * s + ve, x2 = (va2 - c * vb2) * s + ve2;
            nan |= (x != x) | (x2 != x2);
            vmax = __builtin_elementwise_max(vmax, x);
            vmax2 = __builtin_elementwise_max(vmax2, x2);
            vsum += TILE_EXP(x - shift);
            vsum2 += TILE_EXP(x2 - shift);
        }
        for (; i + 16 <= n; i += 16) {
            v16 va, vb, ve;
            __builtin_memcpy(&va, a + i, sizeof va);
            __builtin_memcpy(&vb, b + i, sizeof vb);
            __builtin_memcpy(&ve, e + i, sizeof ve);
            v16 x = (va - c * vb) * s + ve;
            nan |= (x != x);
            vmax = __builtin_elementwise_max(vmax, x);
            vsum += TILE_EXP(x - shift);
        }
        vsum += vsum2;
        vmax = __builtin_elementwise_max(vmax, vmax2);
        float m = __builtin_reduce_max(vmax);
        int any_nan = __builtin_reduce_or(nan) != 0;
        double sum = 0;
        for (int j = 0; j < 16; j++) sum += vsum[j];
        for (; i < n; i++) {
            float x = (a[i] - c * b[i]) * s + e[i];
            if (x != x) any_nan = 1;
            if (x > m) m = x;
            sum += exp((double)(x - shift));
        }
        if (any_nan) { *max_out = NAN; *reference_out = NAN; *sum_out = NAN; return; }
        if (m == -INFINITY) { *max_out = -INFINITY; *reference_out = shift; *sum_out = 0; return; }
        if (m - shift <= 80.0f) { *max_out = m; *reference_out = shift; *sum_out = sum; return; }
        i = 0;
        vmax = (v16)(-INFINITY);
    }
    // Two passes: the values and their maximum, then exp relative to that maximum.
    for (; i + 16 <= n; i += 16) {
        v16 va, vb, ve;
        __builtin_memcpy(&va, a + i, sizeof va);
        __builtin_memcpy(&vb, b + i, sizeof vb);
        __builtin_memcpy(&ve, e + i, sizeof ve);
        v16 x = (va - c * vb) * s + ve;
        __builtin_memcpy(scratch + i, &x, sizeof x);
        nan |= (x != x);
        vmax = __builtin_elementwise_max(vmax, x);
    }
    float m = __builtin_reduce_max(vmax);
    int any_nan = __builtin_reduce_or(nan) != 0;
    for (; i < n; i++) {
        float x = (a[i] - c * b[i]) * s + e[i];
        scratch[i] = x;
        if (x != x) any_nan = 1;
        if (x > m) m = x;
    }
    if (any_nan) { *max_out = NAN; *reference_out = NAN; *sum_out = NAN; return; }
    *max_out = m;
    *reference_out = m;
    if (m == -INFINITY) { *sum_out = 0; return; }
    if (m == INFINITY) { *sum_out = 1; return; }
    v16 vsum = (v16)(0);
    for (i = 0; i + 16 <= n; i += 16) {
        v16 x;
        __builtin_memcpy(&x, scratch + i, sizeof x);
        vsum += TILE_EXP(x - m);
    }
    double sum = 0;
    for (int j = 0; j < 16; j++) sum += vsum[j];
    for (; i < n; i++) sum += exp((double)(scratch[i] - m));
    *sum_out = sum;
}
