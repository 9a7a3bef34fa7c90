/*
 * collect/probe.c: what "memleak probe" reads of the dump beyond the
 * layouts and features core/probe.c resolved at load -- the kmem_caches on
 * slab_caches and which carry SLAB_STORE_USER (alloc/free tracks).
 */
#include "collect/collect.h"

struct ml_cache_scan {
	unsigned long flags_off, name_off;
	struct ml_probe_caches *pc;
};

static bool ml_scan_cache(ulong cache, void *arg)
{
	struct ml_cache_scan *sc = arg;
	struct ml_probe_caches *pc = sc->pc;
	ulong flags = 0, nameptr = 0;
	char name[64];

	pc->total++;
	if (!ml_read(cache + sc->flags_off, &flags,
		     ML_MSIZE(kmem_cache, flags) == 4 ? 4 : sizeof(flags), "kmem_cache.flags"))
		return true;
	if (!(flags & ml_feat.slab_store_user))
		return true;
	pc->store_user++;
	if (!ml_read_ulong(cache + sc->name_off, &nameptr, "kmem_cache.name") ||
	    !ml_read_cstring(nameptr, name, sizeof(name), "kmem_cache name"))
		snprintf(name, sizeof(name), "(cache %lx)", cache);
	if (pc->nnames == pc->cap) {
		pc->cap = pc->cap ? 2 * pc->cap : 64;
		pc->names = ml_realloc(pc->names, pc->cap * sizeof(char *));
	}
	pc->names[pc->nnames++] = ml_strdup(name);
	return true;
}

static int ml_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ml_probe_caches(struct ml_probe_caches *pc)
{
	struct ml_cache_scan sc = { 0 };

	memset(pc, 0, sizeof(*pc));
	pc->st = ML_WALK_OK;
	if (!(ml_feat.slub && ML_HAS(kmem_cache, list) && ML_HAS(kmem_cache, flags)))
		return ml_fail("no SLUB kmem_cache.list and .flags: caches not walked");
	sc.flags_off = ML_OFF(kmem_cache, flags);
	sc.name_off = ML_OFF(kmem_cache, name);
	sc.pc = pc;
	ml_feat.nr_caches = ml_list_walk(symbol_value("slab_caches"),
					 ML_OFF(kmem_cache, list), 100000,
					 ml_scan_cache, &sc, &pc->st);
	ml_feat.nr_store_user_caches = pc->store_user;
	if (pc->nnames)
		qsort(pc->names, pc->nnames, sizeof(char *), ml_strcmp_p);
	return 0;
}
