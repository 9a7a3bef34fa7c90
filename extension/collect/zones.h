/* collect/zones.h: the zones model (collect/zones.c); see collect/collect.h */
#ifndef ML_COLLECT_ZONES_H
#define ML_COLLECT_ZONES_H

#include "core/core.h"

/* ---- free areas per zone, collected once (zones.c) -------------------- */

#define ML_MAX_MT 16		/* sanity bound on MIGRATE_TYPES */

/* what a zone's free lists told us */
enum ml_lists_state {
	ML_LISTS_OK = 0,	/* every list walked, sums equal nr_free */
	ML_LISTS_MISMATCH,	/* walked, but the sums differ from nr_free */
	ML_LISTS_UNREADABLE,	/* some list ran into memory not in the dump */
	ML_LISTS_CORRUPT,	/* a cycle, a NULL or non-kernel link, too long */
	ML_LISTS_INTERRUPTED,
};

struct ml_zone {
	int node, idx;
	ulong addr;
	char name[32];
	ulong start_pfn, spanned, present, managed;
	long free, free_cma;		/* vm_stat NR_FREE_PAGES, NR_FREE_CMA_PAGES */
	ulong wmark[3], boost, highatomic;
	long reserve[ML_MAX_MT];	/* lowmem_reserve[], MAX_NR_ZONES long */
	int nr_reserve;
	unsigned long *nr_free;		/* [order] */
	unsigned long *by_mt;		/* [order * nr_mt + mt], walked */
	unsigned long *usable;		/* [order] blocks on PCPTYPES lists */
	enum ml_lists_state lists;
	unsigned long lists_unreadable, lists_corrupt;
	unsigned long blocks[ML_MAX_MT];	/* pageblocks per migratetype */
	bool blocks_ok;
	unsigned long blocks_skipped;	/* pageblocks in sections not readable */
	unsigned long mixed[ML_MAX_MT];	/* pagetypeinfo's mixed blocks */
	int *unusable, *extfrag;	/* [order], thousandths */
	enum ml_verdict *verdict;	/* [order] */
	int largest;
	bool event_zone;		/* eligible for the logged failing request */
};

struct ml_zones_ctx {
	int nr_orders, nr_mt, pcptypes, isolate_mt;
	char mt_names[ML_MAX_MT][24];
	long nr_free_pages_idx, nr_free_cma_idx;
	long link_off;			/* page.buddy_list or page.lru */
	int pb_order;			/* -1: unknown */
	const char *pb_source;
	int pb_bits, pb_mt_bits, pb_isolate_bit;
	struct ml_zone *zones;
	int nz, cap;
	struct ml_alloc_event ev;
	char ev_line[256];
	int ev_highest;			/* highest zone index the request may use */
	char ev_highest_name[32];
	enum { ML_MIXED_NOT_RUN, ML_MIXED_OK, ML_MIXED_UNAVAILABLE, ML_MIXED_INTERRUPTED }
		mixed_state;		/* zones --pagetypeinfo and --json */
	const char *mixed_why;		/* one line when not OK */
	unsigned long mixed_unreadable;	/* pfns whose struct page was not read */
};

/* every populated zone read (free lists walked, pageblocks counted when
 * full), the kernel log's last OOM/allocation failure found and the indexes
 * and verdicts computed (full); NULL after printing why not */
struct ml_zones_ctx *ml_zones_get(const char *sub, bool full);

#endif /* ML_COLLECT_ZONES_H */
