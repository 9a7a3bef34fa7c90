/*
 * orphcalc.c: the pure parts of "memleak orphans" (collect/orphans.c) --
 * address ranges found by binary search, merged root ranges, a sorted set
 * of word addresses to skip, bit counts, the allocator's own frames (to
 * find who allocated a page), and the unreferenced objects grouped by
 * callsite. No crash headers; unit-tested in tests/unit/test_orphcalc.c.
 */
#include "pure/pure.h"

#include <stdlib.h>
#include <string.h>

/* ---- ranges ----------------------------------------------------------- */

static int ml_range_cmp(const void *a, const void *b)
{
	const struct ml_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

void ml_ranges_sort(struct ml_range *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), ml_range_cmp);
}

long ml_range_find(const struct ml_range *v, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < v[mid].start)
			hi = mid;
		else if (addr - v[mid].start >= v[mid].len)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

size_t ml_ranges_merge(struct ml_range *v, size_t n)
{
	size_t i, k = 0;

	ml_ranges_sort(v, n);
	for (i = 0; i < n; i++) {
		if (!v[i].len)
			continue;
		if (k && v[i].start <= v[k - 1].start + v[k - 1].len) {
			uint64_t end = v[i].start + v[i].len;

			if (end > v[k - 1].start + v[k - 1].len)
				v[k - 1].len = end - v[k - 1].start;
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

static int ml_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void ml_u64_sort(uint64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), ml_u64_cmp);
}

bool ml_u64_in(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == x)
			return true;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

uint64_t ml_bits_count(const uint64_t *m, uint64_t from, uint64_t n)
{
	uint64_t i, c = 0;

	for (i = from; i < from + n; i++) {
		if (i % 64 == 0 && i + 64 <= from + n) {
			c += __builtin_popcountll(m[i / 64]);
			i += 63;
			continue;
		}
		c += ml_bit_test(m, i);
	}
	return c;
}

/* ---- who allocated: the first frame that is not the allocator's -------- */

/* name is prefix itself, a clone (".isra.0", ".constprop.0") or a
 * variant with a suffix ("_noprof", "_node", "_kernel") */
static bool ml_prefixed(const char *name, const char *const *prefix, size_t n)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; i < n; i++) {
		size_t k = strlen(prefix[i]);

		if (strncmp(name, prefix[i], k) == 0 &&
		    (name[k] == '\0' || name[k] == '.' || name[k] == '_'))
			return true;
	}
	return false;
}

bool ml_pagetable_frame(const char *name)
{
	/* mm/memory.c's __pXd_alloc (user and kernel tables), x86's
	 * set_memory splits and kernel mappings (arch/x86/mm/pat/set_memory.c,
	 * init_64.c), the vmemmap (mm/sparse-vmemmap.c) */
	static const char *const prefix[] = {
		"__pte_alloc", "__pmd_alloc", "__pud_alloc", "__p4d_alloc", "pte_alloc_one",
		"pmd_alloc_one", "pud_alloc_one", "p4d_alloc_one", "__change_page_attr",
		"__change_page_attr_set_clr", "split_large_page", "populate_pgd", "populate_pmd",
		"populate_pud", "alloc_low_page", "alloc_low_pages", "vmemmap_alloc_block",
		"vmemmap_pte_populate", "vmemmap_pmd_populate", "vmemmap_pud_populate",
		"vmemmap_p4d_populate", "vmemmap_pgd_populate", "kernel_physical_mapping_init",
		"__kernel_physical_mapping_init", "phys_p4d_init", "phys_pud_init",
		"phys_pmd_init", "phys_pte_init",
	};

	return ml_prefixed(name, prefix, sizeof(prefix) / sizeof(prefix[0]));
}

bool ml_splitting_frame(const char *name)
{
	static const char *const prefix[] = { "alloc_pages_exact", "make_alloc_exact",
					      "split_page" };

	return ml_prefixed(name, prefix, sizeof(prefix) / sizeof(prefix[0]));
}

bool ml_allocator_frame(const char *name)
{
	/* the page allocator and its wrappers, slab's page source, vmalloc,
	 * page_owner and the stack depot (mm/page_alloc.c, mm/slub.c,
	 * mm/vmalloc.c, mm/page_owner.c, lib/stackdepot.c) */
	static const char *const prefix[] = {
		"get_page_from_freelist", "__alloc_pages", "alloc_pages", "__get_free_pages",
		"get_zeroed_page", "__folio_alloc", "folio_alloc", "post_alloc_hook",
		"prep_new_page", "alloc_pages_exact", "__alloc_pages_bulk", "alloc_slab_page",
		"allocate_slab", "new_slab", "___slab_alloc", "__slab_alloc", "__kmalloc",
		"kmalloc_large", "kmalloc_order", "__kmalloc_large", "kmalloc_node",
		"kmalloc_trace", "kmem_cache_alloc", "__vmalloc", "vmalloc", "vzalloc",
		"kvmalloc", "__kvmalloc", "vm_area_alloc_pages", "__page_owner",
		"__set_page_owner", "set_page_owner", "save_stack", "stack_depot",
		"__reset_page_owner", "alloc_pages_mpol", "__alloc_frozen_pages",
		"alloc_frozen_pages", "___kmalloc_large", "__kmalloc_cache", "__kmem_cache_alloc",
		/* kmemleak's hooks, at the top of every stack it records
		 * (mm/kmemleak.c), and the library wrappers whose caller is
		 * the user (mm/util.c, mm/percpu.c, mm/memblock.c) */
		"kmemleak", "kmemdup", "kstrdup", "kstrndup", "kvmemdup", "krealloc",
		"kvrealloc", "__do_kmalloc_node", "pcpu_alloc", "__alloc_percpu",
		"memblock_alloc", "slab_post_alloc_hook",
		/* NUMA policy and folio paths (mm/mempolicy.c) */
		"alloc_page_interleave", "vma_alloc_folio", "__alloc_pages_slowpath",
	};

	return ml_prefixed(name, prefix, sizeof(prefix) / sizeof(prefix[0]));
}

/* ---- groups ------------------------------------------------------------ */

const char *ml_orph_kind_name(enum ml_orph_kind k)
{
	static const char *const names[ML_ORK_NR] = { "slab", "page", "vmalloc" };

	return k < ML_ORK_NR ? names[k] : "?";
}

struct ml_orph_groups {
	struct ml_orph_group *h;
	unsigned long n;
};

struct ml_orph_groups *ml_orph_groups_new(void)
{
	return ml_alloc(sizeof(struct ml_orph_groups));
}

void ml_orph_add(struct ml_orph_groups *gs, const struct ml_orph_key *k, uint64_t addr,
		 unsigned long long bytes, double age, uint32_t handle)
{
	struct ml_orph_key key;
	struct ml_orph_group *g;

	memset(&key, 0, sizeof(key));	/* padding: the hash compares bytes */
	key.kind = k->kind;
	key.cache = k->cache;
	key.caller = k->caller;
	key.handle = k->handle;
	HASH_FIND(hh, gs->h, &key, sizeof(key), g);
	if (!g) {
		g = ml_alloc(sizeof(*g));
		g->key = key;
		g->first_handle = handle;
		HASH_ADD(hh, gs->h, key, sizeof(g->key), g);
		gs->n++;
	} else if (handle != g->first_handle) {
		g->handles_differ = true;
	}
	g->count++;
	g->bytes += bytes;
	if (g->nr_examples < ML_ORPH_EXAMPLES)
		g->example[g->nr_examples++] = addr;
	if (age >= 0) {
		if (!g->aged || age < g->age_min)
			g->age_min = age;
		if (!g->aged || age > g->age_max)
			g->age_max = age;
		g->aged++;
	}
}

unsigned long ml_orph_groups_count(const struct ml_orph_groups *gs)
{
	return gs->n;
}

static int ml_orph_cmp(const void *a, const void *b)
{
	const struct ml_orph_group *x = *(struct ml_orph_group *const *)a;
	const struct ml_orph_group *y = *(struct ml_orph_group *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->key.kind != y->key.kind)
		return x->key.kind < y->key.kind ? -1 : 1;
	if (x->key.cache != y->key.cache)
		return x->key.cache < y->key.cache ? -1 : 1;
	if (x->key.caller != y->key.caller)
		return x->key.caller < y->key.caller ? -1 : 1;
	return x->key.handle < y->key.handle ? -1 : x->key.handle > y->key.handle;
}

struct ml_orph_group **ml_orph_sorted(struct ml_orph_groups *gs, size_t *n)
{
	struct ml_orph_group **v = ml_alloc((gs->n + 1) * sizeof(*v)), *g;
	size_t i = 0;

	for (g = gs->h; g; g = g->hh.next)
		v[i++] = g;
	if (i > 1)
		qsort(v, i, sizeof(*v), ml_orph_cmp);
	*n = i;
	return v;
}
