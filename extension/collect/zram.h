/* collect/zram.h: the zram devices, their mm_stat figures and their
 * zsmalloc pools (collect/zram.c); see collect/collect.h */
#ifndef ML_COLLECT_ZRAM_H
#define ML_COLLECT_ZRAM_H

#include "core/core.h"

/* the mm_stat columns, in its order (Documentation/admin-guide/blockdev/zram.rst) */
enum ml_zram_stat {
	ML_ZS_ORIG_DATA_SIZE,	/* bytes: pages_stored << PAGE_SHIFT */
	ML_ZS_COMPR_DATA_SIZE,	/* bytes */
	ML_ZS_MEM_USED_TOTAL,	/* bytes: the pool's pages */
	ML_ZS_MEM_LIMIT,	/* bytes: limit_pages */
	ML_ZS_MEM_USED_MAX,	/* bytes: max_used_pages */
	ML_ZS_SAME_PAGES,	/* pages */
	ML_ZS_PAGES_COMPACTED,	/* pages */
	ML_ZS_HUGE_PAGES,	/* pages */
	ML_ZS_HUGE_PAGES_SINCE,	/* pages */
	ML_ZS_NR
};
/* mm_stat's names of the columns, by enum ml_zram_stat */
extern const char *const ml_zram_stat_names[ML_ZS_NR];

struct ml_zram_dev {
	unsigned long index;	/* zram<index> */
	ulong addr;		/* the struct zram */
	ulong pool;		/* its zs_pool, 0 before disksize is set */
	char comp[64];		/* the compressor ("" unknown) */
	char pool_name[64];
	unsigned long long disksize;
	unsigned long long stat[ML_ZS_NR];
	bool known[ML_ZS_NR];	/* false: the kernel has no such figure */
	unsigned long pool_pages;	/* the zsmalloc pool's pages_allocated */
};

struct ml_zram_data {
	struct ml_zram_dev *v;	/* by index */
	size_t n;
	unsigned long pool_pages;	/* over every device */
	enum ml_walk_status walk;
};

/* 0, or -1 with ml_fail() saying why (no zram in this kernel, ...) */
int ml_zram_collect(struct ml_zram_data *d);

#endif /* ML_COLLECT_ZRAM_H */
