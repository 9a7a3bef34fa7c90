/*
 * vmap.c: the vmalloc areas -- every busy vmap_area on vmap_area_list with
 * its vm_struct (address, size, caller, the struct page array of a
 * vmalloc'ed area). pageowner.c names the vmalloc'ed pages from it,
 * orphans.c tracks the areas as objects and scans the others as roots.
 *
 * vmap_area_list (mm/vmalloc.c) lists the busy areas by address; it went
 * away with the per-node vmap areas in v6.9 ("mm/vmalloc: remove
 * vmap_area_list", after "mm: vmalloc: remove global vmap_area_root
 * rb-tree" made the lists per node; hashes differ between trees, cited by
 * subject): the busy areas are
 * then on vmap_nodes[0 .. nr_vmap_nodes - 1].busy.head, struct rb_list
 * { root, head, lock }, and the lazily freed ones on .lazy.head.
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
		if (ML_HAS(vm_struct, flags))
			a.flags = ml_get_ulong(w->vmbuf, ML_OFF(vm_struct, flags));
		if (ML_HAS(vm_struct, phys_addr))
			a.phys = ml_get_uint(w->vmbuf, ML_OFF(vm_struct, phys_addr),
					     ML_MSIZE(vm_struct, phys_addr));
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

/* v6.9: the heads of each vmap_node's busy (or lazy) list; 0 if none */
static size_t ml_vmap_node_heads(bool lazy, ulong *heads, size_t max)
{
	ulong nodes = 0, nr = 0, i;
	long m = lazy ? ML_OFF_RAW(vmap_node, lazy) : ML_OFF_RAW(vmap_node, busy);

	if (m < 0 || !ML_HAS(rb_list, head) || ML_SIZE(vmap_node) <= 0 ||
	    !ml_read_sym_ulong("vmap_nodes", &nodes) || !nodes ||
	    !ml_read_sym_ulong("nr_vmap_nodes", &nr) || !nr)
		return 0;
	for (i = 0; i < nr && i < max; i++)
		heads[i] = nodes + i * ML_SIZE(vmap_node) + m + ML_OFF(rb_list, head);
	return i;
}

struct ml_vmap_area *ml_vmap_areas(size_t *n, enum ml_walk_status *st, const char **why)
{
	ulong heads[1024];
	size_t nh = 0, h;
	static const int vaids[] = { ML_M(vmap_area, va_start), ML_M(vmap_area, va_end),
				     ML_M(vmap_area, vm) };
	static const int vmids[] = { ML_M(vm_struct, addr), ML_M(vm_struct, size),
				     ML_M(vm_struct, caller), ML_M(vm_struct, pages),
				     ML_M(vm_struct, nr_pages), ML_M(vm_struct, flags),
				     ML_M(vm_struct, phys_addr) };
	struct ml_vmap_walk w;

	*n = 0;
	*st = ML_WALK_OK;
	if (symbol_exists("vmap_area_list"))
		heads[nh++] = symbol_value("vmap_area_list");
	else
		nh = ml_vmap_node_heads(false, heads, sizeof(heads) / sizeof(heads[0]));
	if (!nh || !ML_HAS(vmap_area, list) ||
	    !ML_HAS(vmap_area, vm) || !ML_HAS(vmap_area, va_start) || !ML_HAS(vmap_area, va_end) ||
	    !ML_HAS(vm_struct, addr) || !ML_HAS(vm_struct, size) || !ML_HAS(vm_struct, pages) ||
	    !ML_HAS(vm_struct, nr_pages)) {
		*why = "neither vmap_area_list nor vmap_nodes[].busy found, or vmap_area/"
		       "vm_struct members not in debuginfo";
		return NULL;
	}
	memset(&w, 0, sizeof(w));
	w.vasize = ml_span(vaids, 3);
	w.vmsize = ml_span(vmids, sizeof(vmids) / sizeof(vmids[0]));
	w.vabuf = ml_alloc(w.vasize);
	w.vmbuf = ml_alloc(w.vmsize);
	for (h = 0; h < nh && !ml_interrupted(); h++) {
		enum ml_walk_status s1;

		ml_list_walk(heads[h], ML_OFF(vmap_area, list), 1UL << 24, ml_vmap_one, &w, &s1);
		if (*st == ML_WALK_OK)
			*st = s1;
	}
	ml_free(w.vabuf);
	ml_free(w.vmbuf);
	*why = NULL;
	*n = w.n;
	return w.v ? w.v : ml_alloc(sizeof(*w.v));
}

void ml_vmap_idle_areas(ml_walk_cb cb, void *arg)
{
	static const char *const lists[] = { "free_vmap_area_list", "purge_vmap_area_list" };
	ulong heads[1024];
	size_t k, nh;
	enum ml_walk_status st;

	if (!ML_HAS(vmap_area, list))
		return;
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
		if (symbol_exists((char *)lists[k]))
			ml_list_walk(symbol_value((char *)lists[k]), ML_OFF(vmap_area, list),
				     1UL << 24, cb, arg, &st);
	nh = ml_vmap_node_heads(true, heads, sizeof(heads) / sizeof(heads[0]));
	for (k = 0; k < nh && !ml_interrupted(); k++)
		ml_list_walk(heads[k], ML_OFF(vmap_area, list), 1UL << 24, cb, arg, &st);
}
