/*
 * pocalc.c: the pure logic of "memleak pageowner" -- where a pfn's page_ext
 * entry lives (mm/page_ext.c), what a struct page is (slab, LRU, page
 * table, ...), gfp masks printed as the kernel's %pGg prints them, and the
 * grouping and sorting of allocations the way tools/mm/page_owner_sort
 * --cull does. No crash headers (pure/pure.h): unit-tested in tests/unit.
 */
#include <stdlib.h>
#include <string.h>

#include "pure/pure.h"

/* ---- page_ext addresses (mm/page_ext.c) ------------------------------- */

/* lookup_page_ext(): mem_section.page_ext is NULL, or has PAGE_EXT_INVALID
 * (bit 0) set while the section goes offline */
bool ml_page_ext_invalid(uint64_t section_page_ext)
{
	return section_page_ext == 0 || (section_page_ext & ML_PAGE_EXT_INVALID);
}

/* SPARSEMEM: init_section_page_ext() stores base - start_pfn * size, so
 * that get_entry(page_ext, pfn) = page_ext + pfn * size for any pfn of the
 * section */
uint64_t ml_page_ext_sparse(uint64_t section_page_ext, uint64_t pfn, uint64_t ext_size)
{
	if (ml_page_ext_invalid(section_page_ext) || !ext_size)
		return 0;
	return section_page_ext + pfn * ext_size;
}

/* FLATMEM: node_page_ext indexed from the node's first pfn rounded down to
 * MAX_ORDER_NR_PAGES */
uint64_t ml_page_ext_flat(uint64_t node_page_ext, uint64_t node_start_pfn, uint64_t pfn,
			  uint64_t max_order_nr_pages, uint64_t ext_size)
{
	uint64_t first;

	if (!node_page_ext || !ext_size || !max_order_nr_pages)
		return 0;
	first = node_start_pfn - node_start_pfn % max_order_nr_pages;
	if (pfn < first)
		return 0;
	return node_page_ext + (pfn - first) * ext_size;
}

/* ---- what a page is ---------------------------------------------------- */

static bool ml_bit(uint64_t flags, int bit)
{
	return bit >= 0 && bit < 64 && (flags >> bit) & 1;
}

/* PageType(): one type per page; from v6.12 the type is the top byte
 * (enum pagetype), before that the whole word equals ~PG_type */
static bool ml_page_type_is(const struct ml_page_bits *b, uint32_t page_type, int64_t value)
{
	if (value < 0)
		return false;
	if (b->type_top_byte)
		return (page_type >> 24) == (uint32_t)value;
	return page_type == (uint32_t)value;
}

bool ml_page_is_buddy(const struct ml_page_bits *b, uint32_t page_type)
{
	return ml_page_type_is(b, page_type, b->type_buddy);
}

enum ml_po_class ml_page_class(const struct ml_page_bits *b, uint64_t flags,
			       uint32_t page_type, uint64_t mapping, bool vmalloc)
{
	if (ml_page_is_buddy(b, page_type))
		return ML_PO_FREE;
	if (ml_bit(flags, b->pg_slab) || ml_page_type_is(b, page_type, b->type_slab))
		return ML_PO_SLAB;
	if (ml_page_type_is(b, page_type, b->type_table))
		return ML_PO_PAGETABLE;
	if (vmalloc)
		return ML_PO_VMALLOC;
	/* anonymous: mapping with PAGE_MAPPING_ANON (KSM too), or swap-backed
	 * on an LRU; movable non-LRU pages (zsmalloc, balloon) carry
	 * PAGE_MAPPING_MOVABLE alone and are not page cache */
	if ((mapping & 3) == 1 || (mapping & 3) == 3 ||
	    (ml_bit(flags, b->pg_lru) && ml_bit(flags, b->pg_swapbacked)))
		return ML_PO_ANON;
	if ((mapping && !(mapping & 3)) || ml_bit(flags, b->pg_lru))
		return ML_PO_FILE;
	return ML_PO_OTHER;
}

const char *ml_po_class_name(enum ml_po_class c)
{
	static const char *const names[ML_PO_NCLASS] = {
		"slab", "anon", "file", "pagetable", "vmalloc", "free", "other",
	};

	return c < ML_PO_NCLASS ? names[c] : "?";
}

/* ---- gfp masks (lib/vsprintf.c format_flags() over gfpflag_names[]) ---- */

const char *ml_gfp_format(uint64_t mask, const struct ml_flag_name *names, size_t n,
			  char *buf, size_t len)
{
	size_t i, used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; mask && i < n; i++) {
		uint64_t m = names[i].mask;

		if (!names[i].name || !m || (mask & m) != m)
			continue;
		mask &= ~m;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 names[i].name, mask ? "|" : "");
	}
	if (mask)
		snprintf(buf + (used < len ? used : len - 1), used < len ? len - used : 1,
			 "%#llx", (unsigned long long)mask);
	return buf;
}

/* a flag name (or a number) to its mask, 0 if unknown */
uint64_t ml_gfp_parse(const char *s, const struct ml_flag_name *names, size_t n)
{
	size_t i;
	char *end;
	unsigned long long v;

	for (i = 0; i < n; i++)
		if (names[i].name && strcmp(names[i].name, s) == 0)
			return names[i].mask;
	v = strtoull(s, &end, 0);
	return (*s && !*end) ? v : 0;
}

/* ---- groups, like page_owner_sort --cull ------------------------------- */

struct ml_po_groups {
	enum ml_po_cull cull;
	bool keep_pfns;
	struct ml_po_group *hash;
	unsigned long count;
};

struct ml_po_groups *ml_po_groups_new(enum ml_po_cull cull, bool keep_pfns)
{
	struct ml_po_groups *g = ml_alloc(sizeof(*g));

	g->cull = cull;
	g->keep_pfns = keep_pfns;
	return g;
}

static void ml_po_key(enum ml_po_cull cull, const struct ml_po_rec *r, struct ml_po_key *k)
{
	memset(k, 0, sizeof(*k));
	switch (cull) {
	case ML_PO_BY_STACK:
		k->handle = r->handle;
		break;
	case ML_PO_BY_PID:
		k->pid = r->pid;
		break;
	case ML_PO_BY_COMM:
		memcpy(k->name, r->comm, strnlen(r->comm, sizeof(r->comm)));
		break;
	case ML_PO_BY_MODULE:
		if (r->module)
			memcpy(k->name, r->module, strnlen(r->module, ML_PO_NAME_LEN - 1));
		break;
	}
}

void ml_po_add(struct ml_po_groups *gs, const struct ml_po_rec *r)
{
	struct ml_po_key k;
	struct ml_po_group *g;
	unsigned long pages = 1UL << (r->order < 63 ? r->order : 63);
	int i;

	ml_po_key(gs->cull, r, &k);
	HASH_FIND(hh, gs->hash, &k, sizeof(k), g);
	if (!g) {
		g = ml_alloc(sizeof(*g));
		g->key = k;
		g->handle = r->handle;
		g->pid = r->pid;
		g->tgid = r->tgid;
		memcpy(g->comm, r->comm, strnlen(r->comm, sizeof(r->comm)));
		g->ts_min = g->ts_max = r->ts_nsec;
		HASH_ADD(hh, gs->hash, key, sizeof(k), g);
		gs->count++;
	}
	g->allocations++;
	g->pages += pages;
	g->class_pages[r->cls < ML_PO_NCLASS ? r->cls : ML_PO_OTHER] += pages;
	if (r->order < 32)
		g->orders |= 1U << r->order;
	if (r->ts_nsec < g->ts_min)
		g->ts_min = r->ts_nsec;
	if (r->ts_nsec > g->ts_max)
		g->ts_max = r->ts_nsec;
	if (gs->keep_pfns) {
		if (g->nr_pfn_ts + 2 > g->cap_pfn_ts) {
			g->cap_pfn_ts = g->cap_pfn_ts ? 2 * g->cap_pfn_ts : 16;
			g->pfn_ts = ml_realloc(g->pfn_ts, g->cap_pfn_ts * sizeof(uint64_t));
		}
		g->pfn_ts[g->nr_pfn_ts++] = r->pfn;
		g->pfn_ts[g->nr_pfn_ts++] = r->ts_nsec;
	}
	if (r->handle != g->handle)
		g->handles_differ = true;
	if (r->pid != g->pid)
		g->pids_differ = true;
	for (i = 0; i < g->nr_gfp; i++)
		if (g->gfp[i] == r->gfp)
			break;
	if (i == g->nr_gfp) {
		if (g->nr_gfp < ML_PO_GFP_MAX)
			g->gfp[g->nr_gfp++] = r->gfp;
		else
			g->gfp_more = true;
	}
}

unsigned long ml_po_groups_count(const struct ml_po_groups *gs)
{
	return gs->count;
}

static enum ml_po_sort ml_po_sort_by;

static int ml_po_cmp(const void *a, const void *b)
{
	const struct ml_po_group *x = *(const struct ml_po_group *const *)a;
	const struct ml_po_group *y = *(const struct ml_po_group *const *)b;
	unsigned long long vx, vy;

	switch (ml_po_sort_by) {
	case ML_PO_SORT_ALLOCS:
		vx = x->allocations;
		vy = y->allocations;
		break;
	case ML_PO_SORT_TS:
		vx = x->ts_max;
		vy = y->ts_max;
		break;
	case ML_PO_SORT_PAGES:
	default:
		vx = x->pages;
		vy = y->pages;
		break;
	}
	if (vx != vy)
		return vx > vy ? -1 : 1;
	/* ties: more pages, then more allocations, then the key, so the
	 * order never depends on the hash */
	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	if (x->allocations != y->allocations)
		return x->allocations > y->allocations ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

struct ml_po_group **ml_po_sorted(struct ml_po_groups *gs, enum ml_po_sort by, size_t *n)
{
	struct ml_po_group **v, *g, *tmp;
	size_t i = 0;

	v = ml_alloc((gs->count ? gs->count : 1) * sizeof(*v));
	HASH_ITER(hh, gs->hash, g, tmp)
		v[i++] = g;
	ml_po_sort_by = by;
	qsort(v, i, sizeof(*v), ml_po_cmp);
	*n = i;
	return v;
}

/* "0-3", "0,2", "9" for a bitmask of orders */
const char *ml_po_orders_str(uint32_t orders, char *buf, size_t len)
{
	size_t used = 0;
	int i = 0;

	buf[0] = '\0';
	while (i < 32) {
		int j;

		if (!(orders >> i & 1)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < 32 && (orders >> (j + 1) & 1); j++)
			;
		if (j > i)
			used += snprintf(buf + used, used < len ? len - used : 0, "%s%d-%d",
					 used ? "," : "", i, j);
		else
			used += snprintf(buf + used, used < len ? len - used : 0, "%s%d",
					 used ? "," : "", i);
		i = j + 1;
	}
	return buf;
}
