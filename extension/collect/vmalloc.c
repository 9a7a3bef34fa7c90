/*
 * vmalloc.c: the busy vmalloc areas (collect/vmap.c walks them) with their
 * totals per caller, for "memleak vmalloc": what /proc/vmallocinfo shows
 * (mm/vmalloc.c s_show(): range, size, caller, pages=, phys=, the flags'
 * words, N<node>= on NUMA kernels) and what it does not: the sum per
 * caller, where a leak of vmalloc() areas shows.
 */
#include "collect/collect.h"

#include <uthash.h>

struct ml_vc_entry {
	ulong caller;
	struct ml_vmalloc_caller c;
	UT_hash_handle hh;
};

static int ml_vc_cmp(const void *a, const void *b)
{
	const struct ml_vmalloc_caller *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return x->caller < y->caller ? -1 : x->caller > y->caller;
}

int ml_vmalloc_collect(struct ml_vmalloc_data *d)
{
	struct ml_vc_entry *h = NULL, *e, *tmp;
	const char *why = NULL;
	size_t i, k = 0;

	memset(d, 0, sizeof(*d));
	d->v = ml_vmap_areas(&d->n, &d->walk, &why);
	if (!d->v)
		return ml_fail("the vmalloc areas cannot be listed: %s", why);
	if (d->walk != ML_WALK_OK)
		ml_warn("vmalloc: the list of areas ended early (%s): %zu areas read",
			ml_walk_status_str(d->walk), d->n);
	d->numa = symbol_exists("node_data");
	for (i = 0; i < d->n; i++) {
		const struct ml_vmap_area *a = &d->v[i];

		if (!a->vm) {
			d->map_ram++;
			continue;
		}
		d->bytes += a->size;
		d->pages += a->nr_pages;
		HASH_FIND(hh, h, &a->caller, sizeof(a->caller), e);
		if (!e) {
			e = ml_alloc(sizeof(*e));
			memset(e, 0, sizeof(*e));
			e->caller = e->c.caller = a->caller;
			HASH_ADD(hh, h, caller, sizeof(e->caller), e);
			d->ncallers++;
		}
		e->c.areas++;
		e->c.bytes += a->size;
		e->c.pages += a->nr_pages;
		e->c.flags |= a->flags;
	}
	d->callers = ml_alloc((d->ncallers + 1) * sizeof(*d->callers));
	HASH_ITER(hh, h, e, tmp)
		d->callers[k++] = e->c;
	if (k > 1)
		qsort(d->callers, k, sizeof(*d->callers), ml_vc_cmp);
	return 0;
}

static int ml_node_of(physaddr_t phys, int nodes)
{
	int i;

	for (i = 0; i < nodes && i < vt->numnodes; i++) {
		const struct node_table *nt = &vt->node_table[i];

		if (phys >= nt->start_paddr &&
		    phys < nt->start_paddr + (physaddr_t)nt->size * PAGESIZE())
			return nt->node_id >= 0 && nt->node_id < nodes ? nt->node_id : i;
	}
	return -1;
}

bool ml_vmalloc_nodes(const struct ml_vmap_area *a, unsigned long *counts, int nodes)
{
	ulong *pp;
	unsigned int i;

	memset(counts, 0, nodes * sizeof(*counts));
	if (!a->pages || !a->nr_pages)
		return true;
	if (vt->numnodes <= 1) {
		counts[0] = a->nr_pages;
		return true;
	}
	pp = ml_alloc(a->nr_pages * sizeof(*pp));
	if (!ml_read(a->pages, pp, a->nr_pages * sizeof(*pp), "vm_struct.pages")) {
		ml_free(pp);
		return false;
	}
	for (i = 0; i < a->nr_pages; i++) {
		physaddr_t phys;
		int n;

		if (pp[i] && ml_page_to_phys(pp[i], &phys) && (n = ml_node_of(phys, nodes)) >= 0)
			counts[n]++;
	}
	ml_free(pp);
	return true;
}
