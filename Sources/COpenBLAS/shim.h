#ifndef MECHSCOPE_COPENBLAS_SHIM_H
#define MECHSCOPE_COPENBLAS_SHIM_H
// OpenBLAS's own cblas.h (pkg-config points at openblas-pthread/), which also declares
// openblas_get_corename / openblas_set_num_threads.
#include <cblas.h>

// LAPACK (Fortran ABI, shipped inside libopenblas): only the routines the analyses use.
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w,
             float *work, const int *lwork, int *iwork, const int *liwork, int *info);
void sgesdd_(const char *jobz, const int *m, const int *n, float *a, const int *lda, float *s,
             float *u, const int *ldu, float *vt, const int *ldvt, float *work, const int *lwork,
             int *iwork, int *info);
void sgeev_(const char *jobvl, const char *jobvr, const int *n, float *a, const int *lda,
            float *wr, float *wi, float *vl, const int *ldvl, float *vr, const int *ldvr,
            float *work, const int *lwork, int *info);
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);
#endif
