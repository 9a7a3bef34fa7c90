/*
 * vmap.c: the vmalloc areas -- every busy vmap_area on vmap_area_list with
 * its vm_struct (address, size, caller, the struct page array of a
 * vmalloc'ed area). pageowner.c names the vmalloc'ed pages from it,
 * orphans.c tracks the areas as objects and scans the others as roots.
 *
 * vmap_area_list (mm/vmalloc.c) lists the busy areas by address; it went
 * away with the per-node vmap areas in v6.9 ("mm: vmalloc: remove global
 * vmap_area_root rb-tree"), where the busy areas are on
 * vmap_nodes[i].busy.head instead: not read yet, said in *why.
 */
#include "collect/collect.h"

struct ml_vmap_walk {
	struct ml_vmap_area *v;
	size_t n, cap;
	char *vabuf, *vmbuf;
	long vasize, vmsize;
};

/* the members read, as one span of each struct */
static long ml_span(const int *ids, size_t n)
{
	long end = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		long e = ml_layout.off[ids[i]] + ml_layout.msize[ids[i]];

		if (ml_layout.off[ids[i]] >= 0 && e > end)
			end = e;
	}
	return end;
}

static bool ml_vmap_one(ulong va, void *arg)
{
	struct ml_vmap_walk *w = arg;
	struct ml_vmap_area a;

	memset(&a, 0, sizeof(a));
	a.va = va;
	if (!ml_read(va, w->vabuf, w->vasize, "vmap_area"))
		return !ml_interrupted();
	a.start = ml_get_ulong(w->vabuf, ML_OFF(vmap_area, va_start));
	a.end = ml_get_ulong(w->vabuf, ML_OFF(vmap_area, va_end));
	a.vm = ml_get_ulong(w->vabuf, ML_OFF(vmap_area, vm));
	if (a.end <= a.start)
		return !ml_interrupted();
	if (a.vm && ml_read(a.vm, w->vmbuf, w->vmsize, "vm_struct")) {
		a.addr = ml_get_ulong(w->vmbuf, ML_OFF(vm_struct, addr));
		a.size = ml_get_ulong(w->vmbuf, ML_OFF(vm_struct, size));
		a.caller = ML_HAS(vm_struct, caller) ? ml_get_ulong(w->vmbuf, ML_OFF(vm_struct, caller)) : 0;
		a.pages = ml_get_ulong(w->vmbuf, ML_OFF(vm_struct, pages));
		a.nr_pages = ml_get_u32(w->vmbuf, ML_OFF(vm_struct, nr_pages));
		if (a.nr_pages > (1U << 26))
			a.pages = 0, a.nr_pages = 0;
	} else {
		a.vm = 0;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		w->v = ml_realloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n++] = a;
	return !ml_interrupted();
}

struct ml_vmap_area *ml_vmap_areas(size_t *n, enum ml_walk_status *st, const char **why)
{
	static const int vaids[] = { ML_M(vmap_area, va_start), ML_M(vmap_area, va_end),
				     ML_M(vmap_area, vm) };
	static const int vmids[] = { ML_M(vm_struct, addr), ML_M(vm_struct, size),
				     ML_M(vm_struct, caller), ML_M(vm_struct, pages),
				     ML_M(vm_struct, nr_pages) };
	struct ml_vmap_walk w;

	*n = 0;
	*st = ML_WALK_OK;
	if (!symbol_exists("vmap_area_list") || !ML_HAS(vmap_area, list) ||
	    !ML_HAS(vmap_area, vm) || !ML_HAS(vmap_area, va_start) || !ML_HAS(vmap_area, va_end) ||
	    !ML_HAS(vm_struct, addr) || !ML_HAS(vm_struct, size) || !ML_HAS(vm_struct, pages) ||
	    !ML_HAS(vm_struct, nr_pages)) {
		*why = "no vmap_area_list (per-node vmap areas, v6.9+) or vmap_area/vm_struct "
		       "members not in debuginfo";
		return NULL;
	}
	memset(&w, 0, sizeof(w));
	w.vasize = ml_span(vaids, 3);
	w.vmsize = ml_span(vmids, 5);
	w.vabuf = ml_alloc(w.vasize);
	w.vmbuf = ml_alloc(w.vmsize);
	ml_list_walk(symbol_value("vmap_area_list"), ML_OFF(vmap_area, list), 1UL << 24,
		     ml_vmap_one, &w, st);
	ml_free(w.vabuf);
	ml_free(w.vmbuf);
	*why = NULL;
	*n = w.n;
	return w.v ? w.v : ml_alloc(sizeof(*w.v));
}
