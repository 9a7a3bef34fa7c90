/*
 * collect.h: the models memleak builds from a dump -- vm counters, meminfo
 * and the ledger, zones, slab caches and callsites, page_owner stacks, and
 * the evidence summary, save and diff share. Collectors read through core/
 * and never print: they return a status, and a reason through ml_fail().
 */
#ifndef ML_COLLECT_H
#define ML_COLLECT_H

#include "core/core.h"

/* ---- page_owner records grouped by stack, walked once (pageowner.c) --- */
struct ml_po_ctx;
struct ml_po_data {
	struct ml_po_ctx *c;
	struct ml_po_group **v;		/* by stack, most pages first */
	size_t n;
	unsigned long allocations, pages, class_pages[ML_PO_NCLASS];
	unsigned long special_pages;	/* early/dummy/failure placeholder stacks */
};
/* NULL if page_owner records can be read, else what is missing and how to fix */
const char *ml_pageowner_unavailable(void);
/* 0, or -1 after printing why not ("memleak SUB: ...") */
int ml_pageowner_collect(struct ml_po_data *d, const char *sub);
/* a group's stack; *special: the placeholder stack's name, or NULL */
unsigned int ml_pageowner_stack(struct ml_po_data *d, uint32_t handle, const ulong **entries,
				enum ml_depot_status *st, const char **special);

/* struct page and page_ext by ascending pfn, bulk-read a section at a
 * time (zones.c's mixed blocks); NULL and *why if page_owner is off */
struct ml_po_pages;
struct ml_po_pages *ml_po_pages_open(const char **why);
/* always true; out->ok false where the struct page is not in the dump */
bool ml_po_pages_get(struct ml_po_pages *p, ulong pfn, struct ml_mixed_pfn *out);
unsigned long ml_po_pages_unreadable(const struct ml_po_pages *p);
void ml_po_pages_close(struct ml_po_pages *p);

/* ---- slab caches and callsites, walked once (slab.c) ------------------ */

enum ml_slab_kind { ML_SK_CPU, ML_SK_CPU_PARTIAL, ML_SK_PARTIAL, ML_SK_FULL, ML_SK_NR };

enum ml_tri_state { ML_ORIG_UNKNOWN, ML_ORIG_YES, ML_ORIG_NO };

struct ml_scache {
	ulong addr;
	char name[64];
	unsigned long flags;
	unsigned int size, object_size, offset, inuse, red_left_pad;
	unsigned int order, oo_objects;
	ulong random, cpu_slab;
	bool store_user, reclaimable;
	unsigned int info_end;
	enum ml_tri_state orig_size;	/* requested size stored after the tracks */
	/* what the walk found */
	unsigned long slabs[ML_SK_NR];
	unsigned long walked_objects, free_objects, pages;
	unsigned long bad_slabs, corrupt, excluded_slabs, inconsistent;
	enum ml_walk_status node_walk;
	char problem[160];	/* the first problem, for one line */
	/* node counters (CONFIG_SLUB_DEBUG) */
	bool counters;
	unsigned long nr_slabs, total_objects, nr_partial;
	/* results */
	unsigned long active, total, all_slabs, bytes;
	bool full_listed;
	bool selected;
};

struct ml_walk;			/* slab.c's walk state */
struct ml_slab_collect_opts {
	bool callsites;		/* visit allocated objects of caches with tracks */
	bool tracked_only;	/* only caches with SLAB_STORE_USER */
	bool free_track, by_stack;
	const char *caches;	/* comma-separated names, NULL: all */
};
struct ml_slab_data {
	struct ml_scache *caches;	/* slab_caches order */
	size_t n;
	unsigned long with_tracks;	/* caches with SLAB_STORE_USER */
	struct ml_sites *sites;		/* callsites; site.key.cache indexes caches */
	unsigned long objects_seen;
	ulong now;			/* jiffies at the dump (callsites) */
	unsigned int hz;
	struct ml_walk *w;
};
/* 0 on success; else prints why not ("memleak SUB: ...") and returns -1 */
int ml_slab_collect(struct ml_slab_data *d, const char *sub, const struct ml_slab_collect_opts *o);
/* the stack of a callsite group (depot handle or interned track.addrs[]) */
unsigned int ml_slab_stack(struct ml_slab_data *d, uint32_t handle, const ulong **entries,
			   enum ml_depot_status *st);

/* ---- the kernel's vm counters, read once per command (vmstat.c) ------- */

struct ml_vm_zone {
	int node;
	char name[32];
	ulong addr;
	unsigned long managed, present;
	unsigned long wmark_low;	/* _watermark[WMARK_LOW] + watermark_boost */
	unsigned long pcp_free;		/* pages on the per-cpu free lists */
	long *stat, *stat_pcp;		/* [nzone]: zone->vm_stat, per-cpu deltas */
	long *numa, *numa_pcp;		/* [nnuma] */
};

struct ml_vm_node {
	int id;
	ulong addr;
	long *stat, *stat_pcp;		/* [nnode] */
};

struct ml_vmstat {
	/* section lengths, from the kernel's enums (vmstat.c) */
	int nzone, nnuma, nnode, nwb, nevent;
	/* /proc/vmstat names, vmstat_text[] order: zone, numa, node,
	 * writeback, events; NULL where unknown */
	const char **zone_names, **numa_names, **node_names, **wb_names,
		**event_names;
	bool names_from_dump;	/* vmstat_text[] (else enumerator names) */
	/* global atomics and the per-cpu deltas not yet folded into them */
	long *zone, *zone_pcp, *numa, *numa_pcp, *node, *node_pcp;
	bool numa_folded;	/* the kernel folds NUMA events before printing */
	unsigned long *event;	/* vm_event_states summed over online cpus */
	/* the section after the node items: enum writeback_stat_item (the
	 * two dirty thresholds), enum vm_stat_item from v6.11 (the thresholds
	 * and the memmap pages); [nwb], wb_known[i]: computed or read */
	unsigned long *wb;
	bool *wb_known;
	struct ml_vm_zone *zones;
	int nzones;
	struct ml_vm_node *nodes;
	int nnodes;
	int cpus;		/* online cpus whose deltas were read */
	unsigned long failed;	/* reads that failed */
};

/* 0 on success; prints why not and returns -1 */
int ml_vmstat_read(struct ml_vmstat *vs, const char *sub);
/* index of an enumerator in its section, -1 if this kernel lacks it */
int ml_vm_item(const char *enumerator);
/* value of a zone/node/numa item, clamped at 0 like the kernel's readers;
 * exact: with the per-cpu deltas folded in */
unsigned long ml_vm_zone_val(const struct ml_vmstat *vs, int item, bool exact);
unsigned long ml_vm_node_val(const struct ml_vmstat *vs, int item, bool exact);
unsigned long ml_vm_numa_val(const struct ml_vmstat *vs, int item, bool exact);

/* ---- /proc/meminfo and the ledger, collected once (meminfo.c) --------- */

struct ml_mi_line {
	const char *name;
	unsigned long val;	/* in the line's unit (kB, or a count) */
	int width;		/* 8, or 5 for HugePages_* and HardwareCorrupted */
	bool kb;		/* " kB" suffix */
	const char *why;	/* non-NULL: not computable, and why */
};

struct ml_meminfo {
	struct ml_mi_line *l;
	int n, cap;
	struct ml_ledger ledger;
	int page_shift;
};

/* reads the counters (vs) and builds the lines and the ledger; 0 on
 * success, else prints why not (as "memleak SUB: ...") and returns -1 */
int ml_meminfo_collect(struct ml_meminfo *m, struct ml_vmstat *vs, bool exact,
		       const char *sub);


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

/* ---- everything memleak sees, for summary, save and diff (summary.c) -- */

struct ml_callsite {		/* slab objects by cache and caller symbol */
	const char *cache;
	char caller[160];	/* "name [module]", no offset: stable across boots */
	ulong addr;
	uint32_t handle;	/* the first group's stack */
	unsigned long count, object_size, aged;
	unsigned long long bytes, waste;
	double age_min, age_max, sum_age;	/* seconds */
	long pid_min, pid_max;
};
struct ml_postack {		/* one page_owner stack */
	struct ml_po_group *g;
	const ulong *entries;
	unsigned int nr;
	const char *special;	/* placeholder stack (early_handle, ...) */
	char caller[160];	/* first frame past the page allocator */
	bool caller_set;
	char *key;		/* "a < b < c": frames by symbol, for diff */
	unsigned long unaccounted;	/* pages in no counter (class other, vmalloc) */
};
struct ml_suspect {
	int rank;
	const char *kind;	/* callsite, slab cache, page_owner stack, ... */
	const char *what, *evidence;
	unsigned long long bytes;
	unsigned long count;
	bool boot;		/* allocated at boot: ranked last (summary.c ml_boot) */
	const ulong *stack;
	unsigned int nr;
};
#define ML_SHOWMEM_MAX 8
struct ml_seen {
	char uptime[64];
	double uptime_s;	/* jiffies clock (slab track ages) */
	double log_now_s;	/* the log's last timestamp: local_clock (page_owner) */
	double init_s;		/* log time of "Run ... as init process", -1: not in the log */
	char panic_buf[BUFSIZE], panic[256];
	struct ml_zones_ctx *zones;	/* NULL: unreadable */
	struct ml_meminfo mi;
	struct ml_vmstat vs;
	bool mi_ok;
	struct ml_slab_data slab;
	bool slab_ok;
	struct ml_callsite *cs;		/* by bytes */
	size_t ncs;
	const char *po_why;		/* page_owner unavailable: why */
	struct ml_po_data po;
	bool po_ok;
	struct ml_postack *ps;		/* by pages */
	size_t nps;
	char victim[256];
	char showmem[ML_SHOWMEM_MAX][200];
	int nshowmem;
	struct ml_suspect *sus;
	size_t nsus, capsus;
};
/* NULL if interrupted; parts that could not be read are flagged (_ok) */
struct ml_seen *ml_seen_collect(const char *sub, bool quiet_po);
void ml_seen_suspects(struct ml_seen *s);
/* what the dump could not show, one line each, at most max */
int ml_seen_missing(const struct ml_seen *s, const char **out, int max);

#endif /* ML_COLLECT_H */
