/* Unit tests of extension/pure/frag.c: the kernel's fragmentation indexes, the
 * watermark verdict, the pageblock order from the usemap stride and the
 * kernel log's allocation-failure lines. Expected values are the kernel's
 * own debugfs output (quoted) or worked by hand from mm/vmstat.c. */
#include <stdlib.h>
#include "tap.h"
#include "pure/pure.h"

#define NO 11	/* orders in a 6.1 x86_64 kernel */

/* one debugfs extfrag line, as the kernel formats it */
static void line(const unsigned long *nr_free, int unusable, char *out, size_t len)
{
	char b[32];
	size_t n = 0;
	int o;

	out[0] = '\0';
	for (o = 0; o < NO; o++) {
		struct ml_contig_info info;
		int idx;

		ml_contig_info(nr_free, NO, o, &info);
		idx = unusable ? ml_unusable_index(o, &info) : ml_fragmentation_index(o, NO, &info);
		n += snprintf(out + n, len - n, "%s ", ml_index_str(idx, unusable ? 0 : 2, b, sizeof(b)));
	}
}

/* a made-up zone for the mixed-block walk: 8-page blocks, orders 0..3 */
struct fake_zone {
	int block_mt[8];		/* -1: offline section */
	struct ml_mixed_pfn pfn[64];
	int visits[64];
	int stop_at;			/* pfn at which the callback stops, -1 never */
};

static int fake_block_mt(void *arg, uint64_t pfn)
{
	return ((struct fake_zone *)arg)->block_mt[pfn / 8];
}

static bool fake_pfn(void *arg, uint64_t pfn, struct ml_mixed_pfn *p)
{
	struct fake_zone *z = arg;

	if ((int)pfn == z->stop_at)
		return false;
	z->visits[pfn]++;
	*p = z->pfn[pfn];
	return true;
}

static void alloc(struct fake_zone *z, int pfn, uint32_t gfp, unsigned int order)
{
	z->pfn[pfn] = (struct ml_mixed_pfn){ .ok = true, .has_ext = true, .allocated = true,
					     .gfp = gfp, .order = order };
}

static struct ml_mixed_walk walk_of(struct fake_zone *z, uint64_t end)
{
	/* x86_64 6.1 without CMA: Unmovable Movable Reclaimable HighAtomic */
	return (struct ml_mixed_walk){ .start_pfn = 0, .end_pfn = end, .pb_order = 3,
				       .nr_orders = 4, .nr_mt = 4, .movable_mt = 1,
				       .cma_mt = 3, .gfp_mt_mask = 0x18, .gfp_mt_shift = 3,
				       .block_mt = fake_block_mt, .pfn = fake_pfn, .arg = z };
}

static void mixed_tests(void)
{
	struct fake_zone z;
	struct ml_mixed_walk w;
	unsigned long count[4] = { 0 };
	int i;

	/* block 0, movable: a movable order-1 allocation, a free order-1
	 * block, then an unmovable page: mixed, counted as movable */
	memset(&z, 0, sizeof(z));
	z.stop_at = -1;
	z.block_mt[0] = 1;
	alloc(&z, 0, 0x08, 1);
	z.pfn[2] = (struct ml_mixed_pfn){ .ok = true, .buddy = true, .buddy_order = 1 };
	alloc(&z, 4, 0xcc0, 0);
	alloc(&z, 5, 0xcc0, 0);
	/* block 1, unmovable: unmovable pages and a reserved page whose
	 * gfp would be movable (skipped, as PageReserved), a page without
	 * page_ext and one not allocated: not mixed */
	z.block_mt[1] = 0;
	alloc(&z, 8, 0xcc0, 0);
	alloc(&z, 9, 0x08, 0);
	z.pfn[9].reserved = true;
	alloc(&z, 10, 0x08, 0);
	z.pfn[10].has_ext = false;
	alloc(&z, 11, 0x08, 0);
	z.pfn[11].allocated = false;
	/* block 2 offline: skipped to the next MAX_ORDER_NR_PAGES (8) */
	z.block_mt[2] = -1;
	alloc(&z, 16, 0xcc0, 0);
	/* block 3, CMA: an unmovable page counts the block as movable */
	z.block_mt[3] = 3;
	alloc(&z, 24, 0xcc0, 0);
	/* block 4, unmovable: an order-3 unmovable allocation then a
	 * reclaimable page (gfp 0x10): mixed, unmovable */
	z.block_mt[4] = 0;
	alloc(&z, 32, 0xcc0, 2);
	alloc(&z, 36, 0x10, 0);
	/* block 5 movable, 6 unmovable: an order-3 movable allocation at
	 * block 5 (8 pages); block 6 starts with an unmovable order-4 whose
	 * tail covers block 7 (movable): its pages are never looked at */
	z.block_mt[5] = 1;
	alloc(&z, 40, 0x08, 3);
	z.block_mt[6] = 0;
	alloc(&z, 48, 0xcc0, 4);
	z.block_mt[7] = 1;
	alloc(&z, 56, 0xcc0, 0);
	w = walk_of(&z, 64);
	ok(ml_mixed_blocks(&w, count), "mixed walk completes");
	is_int(count[0], 1, "one mixed unmovable block (a reclaimable page in it)");
	is_int(count[1], 2, "two mixed movable blocks (one of them CMA)");
	is_int(count[2], 0, "no mixed reclaimable block");
	is_int(count[3], 0, "CMA is counted as movable, never on its own");
	is_int(z.visits[3], 0, "a free block's tail pages are stepped over");
	is_int(z.visits[6], 0, "the rest of a mixed block is not looked at");
	is_int(z.visits[16], 0, "an offline block is not looked at");
	is_int(z.visits[56], 0, "an allocation's tail pages are stepped over across a block end");
	is_int(z.visits[41], 0, "an allocation's tail pages are stepped over");

	/* a zone ending mid-block stops there */
	memset(count, 0, sizeof(count));
	memset(z.visits, 0, sizeof(z.visits));
	w = walk_of(&z, 5);
	ok(ml_mixed_blocks(&w, count), "short zone");
	is_int(count[1], 1, "a zone ending mid-block: its part of the block is walked");
	for (i = 5; i < 64; i++)
		if (z.visits[i])
			break;
	is_int(i, 64, "no pfn at or after the zone's end is read");

	/* page_group_by_mobility_disabled: every page counts as unmovable */
	memset(count, 0, sizeof(count));
	w = walk_of(&z, 16);
	w.mobility_disabled = true;
	ml_mixed_blocks(&w, count);
	is_int(count[1], 1, "mobility disabled: a movable allocation in a movable block mixes it");
	is_int(count[0], 0, "mobility disabled: unmovable blocks stay unmixed");

	/* a callback that stops (Ctrl-C) ends the walk */
	memset(count, 0, sizeof(count));
	z.stop_at = 8;
	w = walk_of(&z, 64);
	ok(!ml_mixed_blocks(&w, count), "a stopped walk says so");
}

int main(void)
{
	char out[256], b[32];
	struct ml_contig_info info;
	/* debian-6.1 leak fixture, capture2: buddyinfo DMA row and the
	 * kernel's /sys/kernel/debug/extfrag/{unusable,extfrag}_index rows */
	static const unsigned long dma[NO] = { 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 3 };
	static const unsigned long frag32[NO] = { 54311, 3, 3, 2, 0, 2, 3, 2, 1, 3, 107 };
	/* only single pages: any order >= 1 fails for fragmentation */
	static const unsigned long singles[NO] = { 100 };
	static const unsigned long none[NO] = { 0 };

	line(dma, 1, out, sizeof(out));
	is_str(out, "0.000 0.000 0.000 0.000 0.000 0.000 0.008 0.025 0.058 0.058 0.193 ",
	       "unusable_index of a real DMA zone, as debugfs printed it");
	line(dma, 0, out, sizeof(out));
	is_str(out, "-1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 ",
	       "extfrag_index -1.000 where a block is free, as debugfs printed it");
	line(frag32, 1, out, sizeof(out));
	is_str(out, "0.000 0.326 0.326 0.326 0.326 0.326 0.327 0.328 0.330 0.331 0.340 ",
	       "unusable_index of the frag fixture's DMA32, as debugfs printed it");

	/* worked by hand: 100 free pages, all single */
	ml_contig_info(singles, NO, 1, &info);
	is_int(info.free_pages, 100, "free pages");
	is_int(info.free_blocks_total, 100, "free blocks");
	is_int(info.free_blocks_suitable, 0, "no block of order 1");
	/* 1000 - (1000 + 100*1000/2) / 100 = 1000 - 510 = 490 */
	is_int(ml_fragmentation_index(1, NO, &info), 490, "extfrag order 1");
	is_str(ml_index_str(490, 2, b, sizeof(b)), " 0.490", "formatted %%2d.%%03d");
	is_int(ml_unusable_index(1, &info), 1000, "all free memory unusable for order 1");
	ml_contig_info(singles, NO, 10, &info);
	/* 1000 - (1000 + 100000/1024 = 97) / 100 = 1000 - 10 = 990 */
	is_int(ml_fragmentation_index(10, NO, &info), 990, "extfrag order 10 near 1");
	ml_contig_info(singles, NO, 0, &info);
	is_int(ml_fragmentation_index(0, NO, &info), -1000, "order 0 would succeed");
	is_str(ml_index_str(-1000, 0, b, sizeof(b)), "-1.000", "-1000 prints -1.000");
	is_int(ml_fragmentation_index(NO, NO, &info), 0, "order beyond the array: 0, like the kernel's WARN path");
	ml_contig_info(none, NO, 3, &info);
	is_int(ml_unusable_index(3, &info), 1000, "no free memory: 1.000 unusable");
	is_int(ml_fragmentation_index(3, NO, &info), 0, "no free blocks: extfrag 0");
	is_int(ml_largest_free_order(dma, NO), 10, "largest free order");
	is_int(ml_largest_free_order(none, NO), -1, "largest free order of an empty zone");

	/* the watermark verdict */
	{
		unsigned long usable[NO] = { 5000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
		struct ml_wmark_input in = { .free_pages = 5000, .mark = 175, .nr_orders = NO,
					     .usable_blocks = usable };

		is_int(ml_watermark_verdict(&in, 0), ML_VERDICT_OK, "order 0 above min succeeds");
		is_int(ml_watermark_verdict(&in, 3), ML_VERDICT_FRAGMENTED, "order 3 without a block: fragmented");
		is_str(ml_verdict_str(ML_VERDICT_FRAGMENTED), "fails, fragmented", "verdict text");
		usable[9] = 1;
		is_int(ml_watermark_verdict(&in, 3), ML_VERDICT_OK, "a larger block serves order 3");
		is_int(ml_watermark_verdict(&in, NO), ML_VERDICT_IMPOSSIBLE, "beyond the largest order");
		in.free_pages = 176;
		is_int(ml_watermark_verdict(&in, 0), ML_VERDICT_OK, "one page above min: order 0 ok");
		/* order 1 counts its own second page as unusable: 176 - 1 <= 175 */
		is_int(ml_watermark_verdict(&in, 1), ML_VERDICT_OOM, "order 1 at the watermark: out of memory");
		in.free_pages = 175;
		is_int(ml_watermark_verdict(&in, 0), ML_VERDICT_OOM, "free == min: out of memory (<=)");
		in.free_pages = 500;
		in.nr_reserved_highatomic = 325;
		is_int(ml_watermark_verdict(&in, 0), ML_VERDICT_OOM, "high-atomic reserve not counted");
		in.nr_reserved_highatomic = 0;
		in.lowmem_reserve = 400;
		is_int(ml_watermark_verdict(&in, 0), ML_VERDICT_OOM, "lowmem_reserve of a higher zone's request");
		in.lowmem_reserve = 0;
		in.free_cma = 400;
		is_int(ml_watermark_verdict(&in, 0), ML_VERDICT_OOM, "free CMA pages not counted");
	}

	/* pageblock order from the usemap stride: 6.1 x86_64,
	 * sizeof(struct mem_section_usage) 24, 32768 pages per section,
	 * 4 bits per block: order 9 -> 64 blocks -> 256 bits -> 32 bytes */
	is_int(ml_pageblock_order_from_stride(56, 24, 32768, 4, NO), 9, "stride 56: order 9 (hugetlb)");
	is_int(ml_pageblock_order_from_stride(40, 24, 32768, 4, NO), 10, "stride 40: order 10 (no hugetlb)");
	is_int(ml_pageblock_order_from_stride(32, 24, 32768, 4, NO), -1, "stride 32: no order fits");
	is_int(ml_pageblock_order_from_stride(4096, 24, 32768, 4, NO), -1, "unrelated stride");
	/* 8 bits per block (later kernels round __NR_PAGEBLOCK_BITS up) */
	is_int(ml_pageblock_order_from_stride(88, 24, 32768, 8, NO), 9, "8 bits per block: order 9");

	/* the kernel log */
	{
		struct ml_alloc_event ev;

		ok(ml_parse_alloc_event("[   42.123456] insmod invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", &ev),
		   "OOM report line recognised");
		is_int(ev.kind, ML_EVENT_OOM, "kind oom");
		is_int(ev.order, 0, "order 0");
		is_int(ev.gfp, 0xcc0, "gfp mask");
		ok(ml_parse_alloc_event("[ 7.5] kworker/u4:2: page allocation failure: order:3, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0", &ev),
		   "allocation failure recognised");
		is_int(ev.kind, ML_EVENT_ALLOC_FAILURE, "kind allocation failure");
		is_int(ev.order, 3, "order 3");
		is_int(ev.gfp, 0x40cc0, "mode");
		ok(!ml_parse_alloc_event("[ 1.0] Out of memory: Killed process 1 (init)", &ev),
		   "other OOM lines ignored");
		ok(!ml_parse_alloc_event("x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=abc", &ev),
		   "garbled order rejected");
	}
	mixed_tests();
	return tap_done();
}
