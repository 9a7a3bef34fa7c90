/* collect/cma.h: the CMA areas, their use from their allocation bitmaps
 * and, with page_owner, the stacks that hold their pages (collect/cma.c);
 * see collect/collect.h */
#ifndef ML_COLLECT_CMA_H
#define ML_COLLECT_CMA_H

#include "core/core.h"
#include "collect/pageowner.h"

#define ML_CMA_RANGES_MAX 8	/* ranges read per area (CMA_MAX_RANGES) */

/* one contiguous pfn range of an area and its bitmap */
struct ml_cma_range {
	ulong base_pfn, count;
	unsigned long used, maxchunk;	/* pages, as debugfs used/maxchunk */
	bool ok;		/* the bitmap was read */
};

struct ml_cma_area {
	ulong addr;		/* the struct cma */
	char name[64];
	unsigned int order_per_bit;
	ulong count;		/* pages over its ranges */
	unsigned long used, maxchunk;	/* pages; maxchunk: of its largest range */
	bool ok;		/* every bitmap read */
	bool hugetlb;		/* one of hugetlb_cma[]: its pages are hugetlb pages */
	struct ml_cma_range r[ML_CMA_RANGES_MAX];
	int nr;
	struct ml_po_data po;	/* with stacks: the allocated pages in its ranges */
	bool po_ok;
};

struct ml_cma_data {
	struct ml_cma_area *v;
	size_t n;
	unsigned long count, used;	/* pages over every area */
	const char *po_why;		/* stacks asked but unavailable: why */
};

/* 0, or -1 with ml_fail() saying why (no CMA in this kernel, ...);
 * stacks: group each area's allocated pages by page_owner stack */
int ml_cma_collect(struct ml_cma_data *d, bool stacks);
/* the used pages no other counter of the ledger has: the areas less
 * hugetlb_cma's (hugetlb pages) -- 0 in a kernel without CMA; false when
 * the areas cannot be read */
bool ml_cma_used_pages(struct ml_cma_data *d, unsigned long *pages);

#endif /* ML_COLLECT_CMA_H */
