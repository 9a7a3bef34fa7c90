/*
 * frag.c: fragmentation arithmetic on free-area counts already read from a
 * dump -- the kernel's unusable free space index and external fragmentation
 * index (mm/vmstat.c), a zone watermark verdict (mm/page_alloc.c), the
 * pageblock order implied by the sparse usemap layout, and the parsing of
 * the kernel log's OOM and allocation-failure lines.
 *
 * Pure logic: no crash headers (see pure/pure.h), unit-tested in
 * tests/unit/test_frag.c. Every index is in thousandths, integer arithmetic,
 * truncating like the kernel's div_u64(), so the printed values are the
 * kernel's to the last digit.
 */
#include <stdlib.h>
#include <string.h>

#include "pure/pure.h"

void ml_contig_info(const unsigned long *nr_free, int nr_orders,
		    unsigned int suitable_order, struct ml_contig_info *info)
{
	int order;

	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (order = 0; order < nr_orders; order++) {
		unsigned long blocks = nr_free[order];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if ((unsigned int)order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

int ml_unusable_index(unsigned int order, const struct ml_contig_info *info)
{
	/* no free memory at all: all of it (none) is unusable */
	if (info->free_pages == 0)
		return 1000;
	return (int)(((unsigned long long)(info->free_pages -
					   (info->free_blocks_suitable << order)) * 1000ULL) /
		     info->free_pages);
}

int ml_fragmentation_index(unsigned int order, int nr_orders,
			   const struct ml_contig_info *info)
{
	unsigned long long requested = 1ULL << order;
	unsigned long long scaled;

	if (order >= (unsigned int)nr_orders)
		return 0;
	if (!info->free_blocks_total)
		return 0;
	/* only meaningful when the request would fail */
	if (info->free_blocks_suitable)
		return -1000;
	/* 0: fails for lack of memory ... 1000: fails for fragmentation */
	scaled = 1000ULL + (unsigned long long)info->free_pages * 1000ULL / requested;
	return (int)(1000LL - (long long)(scaled / info->free_blocks_total));
}

const char *ml_index_str(int index, int width, char *buf, size_t len)
{
	/* the kernel prints index / 1000 and index % 1000 with C's truncating
	 * division: -1000 is "-1.000" */
	snprintf(buf, len, "%*d.%03d", width, index / 1000, index % 1000);
	return buf;
}

int ml_largest_free_order(const unsigned long *nr_free, int nr_orders)
{
	int o;

	for (o = nr_orders - 1; o >= 0; o--)
		if (nr_free[o])
			return o;
	return -1;
}

enum ml_verdict ml_watermark_verdict(const struct ml_wmark_input *in,
				     unsigned int order)
{
	long free = in->free_pages;
	int o;

	if (order >= (unsigned int)in->nr_orders)
		return ML_VERDICT_IMPOSSIBLE;
	/* what an ordinary request cannot count: the rest of its own block,
	 * the high-atomic reserve, free CMA pages */
	free -= (1L << order) - 1;
	free -= in->nr_reserved_highatomic;
	free -= in->free_cma;
	/* the order-0 check first: below it, no order succeeds */
	if (free <= in->mark + in->lowmem_reserve)
		return ML_VERDICT_OOM;
	if (order == 0)
		return ML_VERDICT_OK;
	/* then one block of at least this order on a list it may use */
	for (o = order; o < in->nr_orders; o++)
		if (in->usable_blocks[o])
			return ML_VERDICT_OK;
	return ML_VERDICT_FRAGMENTED;
}

const char *ml_verdict_str(enum ml_verdict v)
{
	switch (v) {
	case ML_VERDICT_OK: return "succeeds";
	case ML_VERDICT_OOM: return "fails, out of memory";
	case ML_VERDICT_FRAGMENTED: return "fails, fragmented";
	case ML_VERDICT_IMPOSSIBLE: return "fails, beyond the largest order";
	}
	return "?";
}

const char *ml_verdict_key(enum ml_verdict v)
{
	switch (v) {
	case ML_VERDICT_OK: return "succeeds";
	case ML_VERDICT_OOM: return "out_of_memory";
	case ML_VERDICT_FRAGMENTED: return "fragmented";
	case ML_VERDICT_IMPOSSIBLE: return "impossible";
	}
	return "?";
}

int ml_pageblock_order_from_stride(unsigned long stride, unsigned long usage_size,
				   unsigned long pages_per_section,
				   unsigned int pageblock_bits, int nr_orders)
{
	int order, found = -1;

	/* sparse_init_nid() carves the usemaps of a node's boot sections out
	 * of one allocation, each sizeof(struct mem_section_usage) +
	 * usemap_size(): BITS_TO_LONGS(blocks per section * bits per block)
	 * longs. Only one pageblock order gives the observed stride. */
	for (order = 0; order < nr_orders; order++) {
		unsigned long blocks = pages_per_section >> order;
		unsigned long bits = blocks * pageblock_bits;
		unsigned long longs = (bits + 8 * sizeof(long) - 1) / (8 * sizeof(long));

		if (!blocks)
			break;
		if (usage_size + longs * sizeof(long) == stride) {
			if (found >= 0)
				return -1;	/* ambiguous */
			found = order;
		}
	}
	return found;
}

/* the number after "key" in line, or -1 */
/* the kernel's walk: block by block from zone_start_pfn; an offline
 * section skips to the next MAX_ORDER_NR_PAGES; in a block, a free buddy
 * block and an allocation are stepped over whole, and the first allocated
 * page of another migratetype counts the block (a CMA block as movable) */
bool ml_mixed_blocks(const struct ml_mixed_walk *w, unsigned long *count)
{
	uint64_t pfn = w->start_pfn, block_end;
	uint64_t max_order_pages = 1ULL << (w->nr_orders > 0 ? w->nr_orders - 1 : 0);
	uint64_t pb_pages = 1ULL << w->pb_order;

	while (pfn < w->end_pfn) {
		int block_mt = w->block_mt(w->arg, pfn);

		if (block_mt < 0) {
			pfn = (pfn + 1 + max_order_pages - 1) & ~(max_order_pages - 1);
			continue;
		}
		/* pageblock_end_pfn() */
		block_end = (pfn + pb_pages) & ~(pb_pages - 1);
		if (block_end > w->end_pfn)
			block_end = w->end_pfn;
		for (; pfn < block_end; pfn++) {
			struct ml_mixed_pfn p = { 0 };
			int page_mt;

			if (!w->pfn(w->arg, pfn, &p))
				return false;
			if (!p.ok)
				continue;
			if (p.buddy) {
				if ((int)p.buddy_order < w->nr_orders)
					pfn += (1ULL << p.buddy_order) - 1;
				continue;
			}
			if (p.reserved || !p.has_ext || !p.allocated)
				continue;
			page_mt = w->mobility_disabled ? 0
				: (int)((p.gfp & w->gfp_mt_mask) >> w->gfp_mt_shift);
			if (page_mt != block_mt) {
				int mt = block_mt == w->cma_mt ? w->movable_mt : block_mt;

				if (mt >= 0 && mt < w->nr_mt)
					count[mt]++;
				pfn = block_end;
				break;
			}
			if (p.order < 64)
				pfn += (1ULL << p.order) - 1;
		}
	}
	return true;
}

static long ml_num_after(const char *line, const char *key, int base)
{
	const char *p = strstr(line, key);
	char *end;
	long v;

	if (!p)
		return -1;
	p += strlen(key);
	v = strtol(p, &end, base);
	return end == p ? -1 : v;
}

bool ml_parse_alloc_event(const char *line, struct ml_alloc_event *ev)
{
	long order, gfp;

	memset(ev, 0, sizeof(*ev));
	/* mm/oom_kill.c dump_header():
	 *   "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd"
	 * mm/page_alloc.c warn_alloc():
	 *   "%s: page allocation failure: order:%u, mode:%#x(%pGg), nodemask=..." */
	if (strstr(line, "invoked oom-killer:")) {
		gfp = ml_num_after(line, "gfp_mask=", 16);
		order = ml_num_after(line, ", order=", 10);
		ev->kind = ML_EVENT_OOM;
	} else if (strstr(line, "page allocation failure:")) {
		order = ml_num_after(line, "order:", 10);
		gfp = ml_num_after(line, "mode:", 16);
		ev->kind = ML_EVENT_ALLOC_FAILURE;
	} else {
		return false;
	}
	if (order < 0 || order > 63) {
		ev->kind = ML_EVENT_NONE;
		return false;
	}
	ev->order = (int)order;
	ev->gfp = gfp < 0 ? 0 : (unsigned long)gfp;
	ev->gfp_known = gfp >= 0;
	return true;
}
