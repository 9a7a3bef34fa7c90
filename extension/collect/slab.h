/* collect/slab.h: the slab model (collect/slab.c); see collect/collect.h */
#ifndef ML_COLLECT_SLAB_H
#define ML_COLLECT_SLAB_H

#include "core/core.h"

/* ---- slab caches and callsites, walked once (slab.c) ------------------ */

enum ml_slab_kind { ML_SK_CPU, ML_SK_CPU_PARTIAL, ML_SK_PARTIAL, ML_SK_FULL, ML_SK_NR };
/* "cpu", "cpu_partial", "partial", "full": the list a slab is on */
extern const char *const ml_slab_kind_names[ML_SK_NR];

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
/* one slab as the walk decoded it, for ml_slab_collect_opts.on_slab */
struct ml_slab_view {
	uint32_t cache;			/* its index in ml_slab_data.caches */
	const struct ml_scache *c;
	ulong slab;			/* struct slab (struct page before v5.17) */
	ulong base;			/* the first slot (direct map): slot i at
					 * base + i * c->size, its object
					 * c->red_left_pad further */
	unsigned int objects;
	const uint64_t *free;		/* bit i: object i free; NULL: unknown */
	const char *buf;		/* objects * c->size bytes from base
					 * (objects, tracks); NULL: not read */
};
struct ml_slab_collect_opts {
	bool callsites;		/* visit allocated objects of caches with tracks */
	bool tracked_only;	/* only caches with SLAB_STORE_USER */
	bool free_track, by_stack;
	const char *caches;	/* comma-separated names, NULL: all */
	/* called for every slab walked (cpu, partial, listed full), with its
	 * free objects decoded; buf and free valid during the call only */
	void (*on_slab)(void *arg, const struct ml_slab_view *v);
	void *arg;
};
struct ml_slab_data {
	struct ml_scache *caches;	/* slab_caches order */
	size_t n;
	unsigned long with_tracks;	/* caches with SLAB_STORE_USER */
	struct ml_sites *sites;		/* callsites; site.key.cache indexes caches */
	unsigned long objects_seen;
	unsigned long slabs_read;	/* what the walk cost (-v) */
	unsigned long long bytes_read;
	ulong now;			/* jiffies at the dump (callsites) */
	unsigned int hz;
	struct ml_walk *w;
};
/* 0 on success; else -1 and ml_fail() says why. What is partial -- a
 * cache unreadable, the slab_caches walk cut short, a cache named in
 * o->caches without tracks -- is an ml_warn(); a cache's own damage is in
 * its problem[] */
int ml_slab_collect(struct ml_slab_data *d, const struct ml_slab_collect_opts *o);
/* the stack of a callsite group (depot handle or interned track.addrs[]) */
unsigned int ml_slab_stack(struct ml_slab_data *d, uint32_t handle, const ulong **entries,
			   enum ml_depot_status *st);
/* the node counters behind SReclaimable / SUnreclaim, in pages; false if
 * this kernel's are not found (slabctr.c) */
struct ml_slab_counters {
	unsigned long recl, unrecl;		/* pages, as /proc/meminfo printed them */
	unsigned long recl_exact, unrecl_exact;	/* with the per-cpu deltas folded */
};
bool ml_slab_counters(struct ml_slab_counters *c);

#endif /* ML_COLLECT_SLAB_H */
