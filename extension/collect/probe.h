/* collect/probe.h: the caches model of "memleak probe" (collect/probe.c); see collect/collect.h */
#ifndef ML_COLLECT_PROBE_H
#define ML_COLLECT_PROBE_H

#include "core/core.h"

/* ---- the kmem_caches and their SLAB_STORE_USER flag (probe.c) --------- */

struct ml_probe_caches {
	int total, store_user;	/* caches walked, with SLAB_STORE_USER */
	char **names;		/* caches with SLAB_STORE_USER, sorted */
	int nnames, cap;
	enum ml_walk_status st;	/* the slab_caches walk */
};
/* walks slab_caches (also sets ml_feat.nr_caches, nr_store_user_caches);
 * 0, or -1 after ml_fail() if this kernel's caches cannot be walked (not
 * SLUB, no kmem_cache.list or .flags): pc is then all zero */
int ml_probe_caches(struct ml_probe_caches *pc);

#endif /* ML_COLLECT_PROBE_H */
