// The body of one rank-one log-sum-exp tile, compiled once per instruction set by
// rank_one_lse.c (which defines TILE_NAME and TILE_TARGET before including this file).
// exp: the Cephes polynomial of MechTensor's VectorMath.exp (about 1e-7 relative).

__attribute__((target(TILE_TARGET)))
static inline v16 TILE_EXP(v16 x) {
    x = __builtin_elementwise_max(x, (v16)(-87.3f));
    x = __builtin_elementwise_min(x, (v16)(88.3f));
    const float magic = 12582912.0f;                  // 1.5 * 2^23: rounds to an integer in the low bits
    v16 t = x * 1.44269504088896341f + magic;
    v16 n = t - magic;
    v16 r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    v16 r2 = r * r;
    v16 p = (v16)(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r2 + r + 1.0f;
    i16 bits = __builtin_bit_cast(i16, t);            // 0x4B400000 + n
    v16 scale = __builtin_bit_cast(v16, (bits - 0x4B400000 + 127) << 23);
    return p * scale;
}

__attribute__((target(TILE_TARGET)))
static void TILE_NAME(const float *a, const float *b, const float *e, long n, float c, float s,
                      float *scratch, double *max_out, double *sum_out) {
    long i = 0;
    v16 vmax = (v16)(-INFINITY);
    i16 nan = (i16)(0);
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
    if (any_nan) { *max_out = NAN; *sum_out = NAN; return; }
    if (m == -INFINITY) { *max_out = -INFINITY; *sum_out = 0; return; }
    if (m == INFINITY) { *max_out = INFINITY; *sum_out = 1; return; }
    v16 vsum = (v16)(0);
    for (i = 0; i + 16 <= n; i += 16) {
        v16 x;
        __builtin_memcpy(&x, scratch + i, sizeof x);
        vsum += TILE_EXP(x - m);
    }
    double sum = 0;
    for (int j = 0; j < 16; j++) sum += vsum[j];
    for (; i < n; i++) sum += exp((double)(scratch[i] - m));
    *max_out = m;
    *sum_out = sum;
}
