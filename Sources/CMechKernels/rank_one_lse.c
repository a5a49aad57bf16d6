#include "CMechKernels.h"
#include <math.h>
#include <stdatomic.h>

// Clang vector extensions: 16 lanes, lowered to whatever the target attribute allows.
typedef float v16 __attribute__((ext_vector_type(16)));
typedef int i16 __attribute__((ext_vector_type(16)));

// A v16 passed between two functions compiled for AVX2 travels in a different way than between
// AVX-512 ones (clang's -Wpsabi notes it); each exp variant is called only by the tile compiled for the
// same target, so caller and callee always agree and the note does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

#define TILE_NAME tile_avx512
#define TILE_EXP exp_avx512
#define TILE_TARGET "avx512f,avx512dq"
#include "rank_one_lse_body.h"
#undef TILE_NAME
#undef TILE_EXP
#undef TILE_TARGET

#define TILE_NAME tile_avx2
#define TILE_EXP exp_avx2
#define TILE_TARGET "avx2,fma"
#include "rank_one_lse_body.h"
#undef TILE_NAME
#undef TILE_EXP
#undef TILE_TARGET

#define TILE_NAME tile_generic
#define TILE_EXP exp_generic
#define TILE_TARGET "sse2"
#include "rank_one_lse_body.h"

typedef void (*tile_function)(const float *, const float *, const float *, long, float, float, float, float *,
                              double *, double *, double *);

static _Atomic(tile_function) chosen = 0;
static const tile_function by_level[3] = {tile_generic, tile_avx2, tile_avx512};

int mech_rank_one_lse_best_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}

static tile_function choose(void) { return by_level[mech_rank_one_lse_best_level()]; }

void mech_rank_one_lse_tile_at_level(int level, const float *a, const float *b, const float *e, long n, float c,
                                     float s, float shift, float *scratch, double *max_out, double *reference_out,
                                     double *sum_out) {
    by_level[level < 0 ? 0 : level > 2 ? 2 : level](a, b, e, n, c, s, shift, scratch, max_out, reference_out, sum_out);
}

void mech_rank_one_lse_tile(const float *a, const float *b, const float *e, long n, float c, float s, float shift,
                            float *scratch, double *max_out, double *reference_out, double *sum_out) {
    tile_function f = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (!f) {
        f = choose();
        atomic_store_explicit(&chosen, f, memory_order_relaxed);
    }
    f(a, b, e, n, c, s, shift, scratch, max_out, reference_out, sum_out);
}
