// The C library's heap policy (glibc's mallopt and malloc_trim), for MechTensor's MemoryReturn.
// Elsewhere these do nothing: the system allocator keeps its own policy.
#include "CMechKernels.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>

void mech_heap_map_large_blocks(long threshold_bytes) {
    // A fixed threshold turns off glibc's dynamic one, which rises up to 32 MB after the first large
    // free and from then on carves big blocks out of the heap, where freeing rarely gives them back.
    mallopt(M_MMAP_THRESHOLD, (int)threshold_bytes);
    mallopt(M_TRIM_THRESHOLD, (int)threshold_bytes);
}

void mech_heap_trim(void) { malloc_trim(0); }
#else
void mech_heap_map_large_blocks(long threshold_bytes) { (void)threshold_bytes; }
void mech_heap_trim(void) {}
#endif
