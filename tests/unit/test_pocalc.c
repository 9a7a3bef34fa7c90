/* Unit tests of pocalc.c: page_ext addresses, page classes, gfp names as
 * %pGg prints them, page_owner_sort-like grouping. */
#include <stdlib.h>
#include <string.h>

#include "pure/pure.h"
#include "tap.h"

/* the head of 6.1's gfpflag_names[] (include/trace/events/mmflags.h):
 * composite masks first, so GFP_KERNEL wins over its bits */
static const struct ml_flag_name gfp61[] = {
	{ 0xcc0, "GFP_KERNEL" },	/* __GFP_RECLAIM (0xc00) | __GFP_IO | __GFP_FS */
	{ 0x800, "GFP_NOWAIT" },	/* __GFP_KSWAPD_RECLAIM */
	{ 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" },
	{ 0x2000, "__GFP_NOWARN" },
	{ 0x10000, "__GFP_NORETRY" },
	{ 0x40000, "__GFP_COMP" },
	{ 0x100, "__GFP_ZERO" },
};
#define NGFP (sizeof(gfp61) / sizeof(gfp61[0]))

static void test_page_ext(void)
{
	/* 6.1 init_section_page_ext(): page_ext = base - start_pfn * size */
	uint64_t base = 0xffff888004000000ULL, size = 88, start = 32768;
	uint64_t stored = base - start * size;

	is_int(ml_page_ext_sparse(stored, start, size), base, "first pfn of a section: the allocation");
	is_int(ml_page_ext_sparse(stored, start + 5, size), base + 5 * size, "pfn 5 of the section");
	is_int(ml_page_ext_sparse(0, start, size), 0, "no page_ext for the section");
	ok(ml_page_ext_invalid(stored | ML_PAGE_EXT_INVALID), "PAGE_EXT_INVALID bit: section going offline");
	is_int(ml_page_ext_sparse(stored | 1, start, size), 0, "an invalid section has no entries");
	/* FLATMEM: indexed from node_start_pfn rounded down to MAX_ORDER_NR_PAGES */
	is_int(ml_page_ext_flat(0x1000000, 1536, 2048, 1024, 64), 0x1000000 + (2048 - 1024) * 64,
	       "flat: rounded-down node start");
	is_int(ml_page_ext_flat(0x1000000, 0, 7, 1024, 64), 0x1000000 + 7 * 64, "flat: node at pfn 0");
	is_int(ml_page_ext_flat(0, 0, 7, 1024, 64), 0, "flat: no node_page_ext");
}

static void test_classes(void)
{
	/* 6.1: PG_lru 4, PG_slab 9, PG_swapbacked 19; page types ~PG_x */
	struct ml_page_bits b = { .pg_slab = 9, .pg_lru = 4, .pg_swapbacked = 19,
				  .type_buddy = 0xffffff7f, .type_table = 0xfffffdff,
				  .type_slab = -1 };
	struct ml_page_bits b612 = { .pg_slab = -1, .pg_lru = 4, .pg_swapbacked = 19,
				     .type_top_byte = true, .type_buddy = 0xf0,
				     .type_table = 0xf2, .type_slab = 0xf5 };
	uint32_t none = 0xffffffff;	/* _mapcount -1: no type */

	is_int(ml_page_class(&b, 1UL << 9, none, 0, false), ML_PO_SLAB, "PG_slab: slab");
	is_int(ml_page_class(&b, 0, 0xffffff7f, 0, false), ML_PO_FREE, "~PG_buddy: free");
	is_int(ml_page_class(&b, 0, 0xfffffdff, 0, false), ML_PO_PAGETABLE, "~PG_table: page table");
	is_int(ml_page_class(&b, 0, none, 0xffff888012345679ULL, false), ML_PO_ANON,
	       "mapping with PAGE_MAPPING_ANON: anon");
	is_int(ml_page_class(&b, 1UL << 4 | 1UL << 19, none, 0, false), ML_PO_ANON,
	       "LRU + swapbacked: anon");
	is_int(ml_page_class(&b, 1UL << 4, none, 0xffff888012345678ULL, false), ML_PO_FILE,
	       "LRU + address_space: page cache");
	is_int(ml_page_class(&b, 0, none, 0xffff888012345678ULL, false), ML_PO_FILE,
	       "off-LRU page cache");
	is_int(ml_page_class(&b, 0, none, 0xffff888012345672ULL, false), ML_PO_OTHER,
	       "movable non-LRU (zsmalloc): other");
	is_int(ml_page_class(&b, 0, none, 0, true), ML_PO_VMALLOC, "in a vm_struct: vmalloc");
	is_int(ml_page_class(&b, 0, none, 0, false), ML_PO_OTHER, "nothing: other (black hole)");
	ok(!ml_page_is_buddy(&b, 0xffffff7e), "two types set: not exactly buddy");
	is_int(ml_page_class(&b612, 0, 0xf5000000, 0, false), ML_PO_SLAB, "6.12: PGTY_slab top byte");
	is_int(ml_page_class(&b612, 0, 0xf0000003, 0, false), ML_PO_FREE,
	       "6.12: PGTY_buddy with data in the low bits");
	is_str(ml_po_class_name(ML_PO_OTHER), "other", "class name");
}

static void test_gfp(void)
{
	char buf[256];

	is_str(ml_gfp_format(0x2cc0, gfp61, NGFP, buf, sizeof(buf)), "GFP_KERNEL|__GFP_NOWARN",
	       "0x2cc0 as page_owner prints it");
	is_str(ml_gfp_format(0, gfp61, NGFP, buf, sizeof(buf)), "", "mask 0: empty, as mask 0x0()");
	is_str(ml_gfp_format(0x2cc0 | 0x8000000, gfp61, NGFP, buf, sizeof(buf)),
	       "GFP_KERNEL|__GFP_NOWARN|0x8000000", "unknown bits in hex at the end");
	is_str(ml_gfp_format(0x2cc0, NULL, 0, buf, sizeof(buf)), "0x2cc0", "no names: hex");
	is_str(ml_gfp_format(0x2cc0, gfp61, NGFP, buf, 8), "GFP_KER", "truncated, terminated");
	is_int(ml_gfp_parse("__GFP_COMP", gfp61, NGFP), 0x40000, "flag name to mask");
	is_int(ml_gfp_parse("0x2000", gfp61, NGFP), 0x2000, "number to mask");
	is_int(ml_gfp_parse("__GFP_BOGUS", gfp61, NGFP), 0, "unknown flag");
}

static void test_groups(void)
{
	struct ml_po_groups *gs = ml_po_groups_new(ML_PO_BY_STACK, true);
	struct ml_po_rec r = { .handle = 7, .pid = 35, .comm = "insmod", .cls = ML_PO_OTHER };
	struct ml_po_group **v;
	size_t n;
	char buf[64];
	unsigned int i;

	/* the black hole: orders 0..3 in turn, 400 calls = 1500 pages */
	for (i = 0; i < 400; i++) {
		r.order = i % 4;
		r.gfp = 0x2cc0;
		r.ts_nsec = 1000 + i;
		r.pfn = 4096 + 8 * i;
		ml_po_add(gs, &r);
	}
	/* another stack: more allocations, fewer pages, newer */
	r.handle = 9;
	r.order = 0;
	for (i = 0; i < 600; i++) {
		r.gfp = i & 1 ? 0x2cc0 : 0x12cc0;
		r.ts_nsec = 5000 + i;
		r.cls = i < 100 ? ML_PO_SLAB : ML_PO_ANON;
		ml_po_add(gs, &r);
	}
	is_int(ml_po_groups_count(gs), 2, "two stacks");
	v = ml_po_sorted(gs, ML_PO_SORT_PAGES, &n);
	is_int(v[0]->key.handle, 7, "by pages: the black hole first");
	is_int(v[0]->allocations, 400, "400 allocations");
	is_int(v[0]->pages, 1500, "1500 pages");
	is_int(v[0]->class_pages[ML_PO_OTHER], 1500, "all other");
	is_str(ml_po_orders_str(v[0]->orders, buf, sizeof(buf)), "0-3", "orders 0-3");
	is_int(v[0]->nr_gfp, 1, "one mask");
	is_int(v[0]->nr_pfn_ts, 800, "pfn and timestamp of each allocation kept");
	is_int(v[1]->nr_gfp, 2, "two distinct masks");
	is_int(v[1]->class_pages[ML_PO_SLAB], 100, "classes counted per page");
	v = ml_po_sorted(gs, ML_PO_SORT_ALLOCS, &n);
	is_int(v[0]->key.handle, 9, "by allocations: the other stack first");
	v = ml_po_sorted(gs, ML_PO_SORT_TS, &n);
	is_int(v[0]->key.handle, 9, "by newest allocation");
	is_int(v[1]->ts_min, 1000, "oldest allocation kept");

	/* by comm: both stacks in one group */
	gs = ml_po_groups_new(ML_PO_BY_COMM, false);
	r.handle = 1;
	ml_po_add(gs, &r);
	r.handle = 2;
	r.order = 2;
	ml_po_add(gs, &r);
	v = ml_po_sorted(gs, ML_PO_SORT_PAGES, &n);
	is_int(n, 1, "one comm");
	is_int(v[0]->pages, 5, "1 + 4 pages");
	ok(v[0]->handles_differ, "its stacks differ");
	ok(!v[0]->pfn_ts, "no pfns unless asked");
	is_str(v[0]->key.name, "insmod", "key is the comm");

	is_str(ml_po_orders_str(0x5, buf, sizeof(buf)), "0,2", "orders 0,2");
	is_str(ml_po_orders_str(0x3 | 0x10, buf, sizeof(buf)), "0-1,4", "orders 0-1,4");
	is_str(ml_po_orders_str(0, buf, sizeof(buf)), "", "no orders");
}

int main(void)
{
	test_page_ext();
	test_classes();
	test_gfp();
	test_groups();
	return tap_done();
}
