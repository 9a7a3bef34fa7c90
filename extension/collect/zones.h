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
 * and verdicts computed (full); NULL, with the reason in ml_fail(), when it
 * cannot be built. What the dump left out is an ml_warn(): struct zones
 * not read, free lists not in the dump or corrupt (full) */
struct ml_zones_ctx *ml_zones_get(bool full);
/* pagetypeinfo's "Number of mixed blocks" per zone, from page_owner: sets
 * mixed_state and mixed_why; an interrupted walk is also an ml_warn() */
void ml_zones_mixed(struct ml_zones_ctx *c);

/* ---- pageblock migratetypes (pageblock.c) ------------------------------ */

/* get_pageblock_migratetype() of pfn's block from its section's
 * usage->pageblock_flags (SPARSEMEM), one section's bitmap read at a time;
 * -1 where the section is not online (pfn_to_online_page() NULL) or not in
 * the dump. FLATMEM (32-bit ARM's multiplatform kernels) keeps one bitmap
 * per zone, zone->pageblock_flags, indexed from the zone's start rounded
 * down to a pageblock (mm/page_alloc.c pfn_to_bitidx(), usemap_size()):
 * a zone's map is read on its first lookup. */
struct ml_pb_flat {
	ulong base, end;	/* the zone's first block's pfn, its end */
	ulong *map;		/* NULL: not read (yet, or unreadable) */
	bool tried;		/* read attempted */
};

struct ml_pb_reader {
	struct ml_zones_ctx *c;
	ulong sec, *map;
	size_t mapbytes;
	bool ok;
	long online_bit;
	struct ml_pb_flat *flat;	/* FLATMEM: one per zone */
	int nflat;
};

/* false when this kernel's bitmaps cannot be found (no pageblock_order) */
bool ml_pb_reader_init(struct ml_zones_ctx *c, struct ml_pb_reader *r);
/* pfn's block's migratetype; -1 where it is not readable */
int ml_pb_mt(struct ml_pb_reader *r, ulong pfn);
void ml_pb_reader_free(struct ml_pb_reader *r);

/* ---- struct zone, read once for zones.c and vmstat.c (zones.c) -------- */

/* one struct zone of a node's node_zones[] */
struct ml_zone_ref {
	int node, idx;		/* node id, index in node_zones[] */
	ulong pgdat, addr;
	const char *buf;	/* the struct, ML_SIZE(zone) bytes; NULL: not in the dump */
};

/* what both models take from a struct zone */
struct ml_zone_head {
	ulong present, managed;
	ulong wmark[3];		/* _watermark[] (watermark[] before v5.0), without boost */
	ulong boost;		/* watermark_boost, 0 where the kernel has none */
};

/* every node (crash's node table, else contig_page_data) in order: node()
 * once for the node (when set), then zone() for each of its
 * ml_feat.nr_zones node_zones[], each struct read whole; -1 when
 * interrupted (before a zone), 0 when done */
struct ml_zone_walk {
	void (*node)(void *arg, int node, ulong pgdat);
	void (*zone)(void *arg, const struct ml_zone_ref *z);
	void *arg;
};
int ml_zone_walk(const struct ml_zone_walk *w);
/* the fields of ml_zone_head from a struct zone's buffer */
void ml_zone_head(const char *buf, struct ml_zone_head *h);
/* zone->name into name; false where the string is not in the dump */
bool ml_zone_name(const char *buf, char *name, size_t len);

#endif /* ML_COLLECT_ZONES_H */
