/* Unit tests of orphcalc.c: range lookup and merge, the skip set, bit
 * counts, the allocator's frames and the grouping of unreferenced objects. */
#include "tap.h"
#include "pure/pure.h"

int main(void)
{
	struct ml_range r[5] = {
		{ 0x3000, 0x1000, 3 }, { 0x1000, 0x800, 1 }, { 0x2000, 0x10, 2 },
		{ 0x9000, 0x1000, 9 }, { 0x1800, 0x100, 4 },
	};
	struct ml_range m[5] = {
		{ 0x100, 0x100, 1 }, { 0x150, 0x100, 2 }, { 0x250, 0x10, 3 },
		{ 0x400, 0, 4 }, { 0x1000, 0x10, 5 },
	};
	uint64_t skip[4] = { 40, 8, 24, 16 };
	uint64_t bits[3] = { 0, 0, 0 };
	struct ml_orph_groups *gs;
	struct ml_orph_group **v;
	struct ml_orph_key k1 = { ML_ORK_SLAB, 2, 0xffffffff81000000ULL, 0 };
	struct ml_orph_key k2 = { ML_ORK_PAGE, 0, 0xffffffffc0001000ULL, 0 };
	size_t n, i;
	long at;

	ml_ranges_sort(r, 5);
	at = ml_range_find(r, 5, 0x1000);
	ok(at >= 0 && r[at].id == 1, "the first byte of a range is in it");
	at = ml_range_find(r, 5, 0x17ff);
	ok(at >= 0 && r[at].id == 1, "the last byte of a range is in it");
	at = ml_range_find(r, 5, 0x1800);
	ok(at >= 0 && r[at].id == 4, "the next range starts where one ends");
	is_int(ml_range_find(r, 5, 0x2010), -1, "one past a range's end is in none");
	is_int(ml_range_find(r, 5, 0xfff), -1, "below every range: none");
	is_int(ml_range_find(r, 5, 0xa000), -1, "above every range: none");
	at = ml_range_find(r, 5, 0x9abc);
	ok(at >= 0 && r[at].id == 9, "an interior address of the last range");
	is_int(ml_range_find(r, 0, 0x1000), -1, "no ranges: none");

	n = ml_ranges_merge(m, 5);
	is_int(n, 2, "overlapping and touching ranges merge, empty ones go");
	ok(m[0].start == 0x100 && m[0].len == 0x160, "merged: 0x100..0x260 (%llx+%llx)",
	   (unsigned long long)m[0].start, (unsigned long long)m[0].len);
	ok(m[1].start == 0x1000 && m[1].len == 0x10, "a range apart stays");

	ml_u64_sort(skip, 4);
	ok(ml_u64_in(skip, 4, 8) && ml_u64_in(skip, 4, 40) && ml_u64_in(skip, 4, 24),
	   "every member of the skip set is found");
	ok(!ml_u64_in(skip, 4, 0) && !ml_u64_in(skip, 4, 32) && !ml_u64_in(skip, 4, 48),
	   "non-members are not");

	for (i = 3; i < 150; i += 7)
		ml_bit_set(bits, i);
	ok(ml_bit_test(bits, 3) && ml_bit_test(bits, 143) && !ml_bit_test(bits, 4), "bits set and tested");
	is_int(ml_bits_count(bits, 0, 192), 21, "bits counted over whole words");
	is_int(ml_bits_count(bits, 4, 60), 8, "bits counted inside a word (10..59)");
	is_int(ml_bits_count(bits, 60, 70), 10, "bits counted across words");

	ok(ml_allocator_frame("get_page_from_freelist") && ml_allocator_frame("__alloc_pages") &&
	   ml_allocator_frame("alloc_pages_exact_nid") && ml_allocator_frame("__kmalloc_large_node") &&
	   ml_allocator_frame("kmalloc_large.constprop.0") && ml_allocator_frame("__vmalloc_node_range"),
	   "the page allocator, kmalloc_large and vmalloc are the allocator's frames");
	ok(!ml_allocator_frame("mlsample_blackhole_alloc") && !ml_allocator_frame("alloc_inode") &&
	   !ml_allocator_frame(NULL) &&
	   !ml_allocator_frame("alloc_pagesx"), "callers are not (prefix only at a word boundary)");

	ok(ml_pagetable_frame("__pte_alloc_kernel") && ml_pagetable_frame("__pud_alloc") &&
	   ml_pagetable_frame("__change_page_attr_set_clr"), "page-table allocators are named");
	ok(!ml_pagetable_frame("pte_free") && !ml_pagetable_frame("__pte_allocx") &&
	   !ml_pagetable_frame(NULL), "others are not");

	ok(ml_splitting_frame("alloc_pages_exact") && ml_splitting_frame("alloc_pages_exact_nid") &&
	   !ml_splitting_frame("__alloc_pages"), "alloc_pages_exact splits its block");

	gs = ml_orph_groups_new();
	ml_orph_add(gs, &k1, 0x1000, 192, 5.0, 7);
	ml_orph_add(gs, &k1, 0x2000, 192, 2.5, 7);
	ml_orph_add(gs, &k1, 0x3000, 192, -1, 8);
	ml_orph_add(gs, &k1, 0x4000, 192, 9.0, 7);
	ml_orph_add(gs, &k2, 0x5000, 8192, -1, 1);
	is_int(ml_orph_groups_count(gs), 2, "two keys, two groups");
	v = ml_orph_sorted(gs, &n);
	is_int(n, 2, "both sorted");
	ok(v[0]->key.kind == ML_ORK_PAGE && v[0]->bytes == 8192, "most bytes first");
	ok(v[1]->count == 4 && v[1]->bytes == 768, "a group counts its objects and bytes");
	ok(v[1]->aged == 3 && v[1]->age_min == 2.5 && v[1]->age_max == 9.0,
	   "ages: only the known ones, min and max");
	ok(v[1]->nr_examples == 3 && v[1]->example[0] == 0x1000 && v[1]->example[2] == 0x3000,
	   "three examples, the first ones");
	ok(v[1]->handles_differ && v[1]->first_handle == 7, "several stacks are noticed");
	ok(!v[0]->aged, "a group without ages says so");
	is_str(ml_orph_kind_name(ML_ORK_VMALLOC), "vmalloc", "kind names");
	return tap_done();
}
