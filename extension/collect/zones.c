/*
 * zones.c: "memleak zones" -- free areas, watermarks and fragmentation of
 * every populated zone at dump time.
 *
 * One pass: each struct zone is read whole (one ml_read) and its fields
 * picked with ML_OFF; every free_list is walked (bounded, cycle-checked)
 * to count blocks per migratetype; pageblock migratetypes come from the
 * sparse usemaps, read once per section. The arithmetic (fragmentation
 * indexes, watermark verdict) is in frag.c.
 *
 *   crash> memleak zones [-o N] [--json | --buddyinfo | --pagetypeinfo]
 */
#include "cmd/cmd.h"

#include <getopt.h>

#define ML_PTI_CAP 100000	/* /proc/pagetypeinfo stops counting here */

/* ---- the kernel's constants, probed from the dump ------------------------ */

static void ml_zones_names(struct ml_zones_ctx *c)
{
	ulong ptrs[ML_MAX_MT];
	int i;

	/* the kernel's own names: migratetype_names[] (mm/page_alloc.c) */
	for (i = 0; i < c->nr_mt; i++)
		snprintf(c->mt_names[i], sizeof(c->mt_names[i]), "type%d", i);
	if (symbol_exists("migratetype_names") &&
	    ml_read(symbol_value("migratetype_names"), ptrs, c->nr_mt * sizeof(ulong),
		    "migratetype_names"))
		for (i = 0; i < c->nr_mt; i++)
			if (!ml_read_cstring(ptrs[i], c->mt_names[i], sizeof(c->mt_names[i]),
					     "migratetype name") || !c->mt_names[i][0])
				snprintf(c->mt_names[i], sizeof(c->mt_names[i]), "type%d", i);
}

/* bits per pageblock and where the migratetype sits in them */
static void ml_zones_pageblock_bits(struct ml_zones_ctx *c)
{
	long v, end;

	/* enum pageblock_bits { PB_migrate, PB_migrate_end = PB_migrate + 2,
	 * PB_migrate_skip, NR_PAGEBLOCK_BITS } up to 6.15; later kernels name
	 * the bits PB_migrate_0..2, add PB_migrate_isolate and round
	 * __NR_PAGEBLOCK_BITS up to a power of two */
	if (ml_enum_value("NR_PAGEBLOCK_BITS", &v) && v > 0 && v <= 64) {
		c->pb_bits = v;
	} else if (ml_enum_value("__NR_PAGEBLOCK_BITS", &v) && v > 0 && v <= 64) {
		c->pb_bits = 1;
		while (c->pb_bits < v)
			c->pb_bits <<= 1;
	} else {
		c->pb_bits = 4;
	}
	if (ml_enum_value("PB_migrate_end", &end))
		c->pb_mt_bits = end - ml_enum_value_or("PB_migrate", 0) + 1;
	else if (ml_enum_value("PB_migrate_2", &v))
		c->pb_mt_bits = 3;
	else
		c->pb_mt_bits = 3;
	c->pb_isolate_bit = ml_enum_value("PB_migrate_isolate", &v) ? (int)v : -1;
}

/* consecutive mem_section_usage of boot sections are one allocation apart */
static int ml_zones_pb_from_usemaps(struct ml_zones_ctx *c)
{
	ulong prev = 0, nr, maxnr = vt->max_mem_section_nr;
	unsigned long strides[64], counts[64];
	int ns = 0, i, best = -1, seen = 0;

	if (!IS_SPARSEMEM() || !ML_HAS(mem_section, usage) || ML_SIZE(mem_section_usage) <= 0)
		return -1;
	if (maxnr > 1UL << 20)
		maxnr = 1UL << 20;
	for (nr = 0; nr < maxnr && seen < 256; nr++) {
		ulong ms = valid_section_nr(nr), usage;

		if (!ms || !ml_read_ulong(ms + ML_OFF(mem_section, usage), &usage,
					  "mem_section.usage") || !usage)
			continue;
		seen++;
		if (prev && usage > prev) {
			unsigned long s = usage - prev;

			for (i = 0; i < ns && strides[i] != s; i++)
				;
			if (i == ns && ns < 64) {
				strides[ns] = s;
				counts[ns++] = 0;
			}
			if (i < ns)
				counts[i]++;
		}
		prev = usage;
	}
	for (i = 0; i < ns; i++)
		if (best < 0 || counts[i] > counts[best])
			best = i;
	if (best < 0)
		return -1;
	return ml_pageblock_order_from_stride(strides[best], ML_SIZE(mem_section_usage),
					      PAGES_PER_SECTION(), c->pb_bits, c->nr_orders);
}

static void ml_zones_pageblock_order(struct ml_zones_ctx *c)
{
	unsigned int v;
	int o;

	/* pageblock_order is a macro except on HUGETLB_PAGE_SIZE_VARIABLE
	 * architectures (powerpc, ia64), where it is a variable */
	c->pb_order = -1;
	if (symbol_exists("pageblock_order") &&
	    ml_read(symbol_value("pageblock_order"), &v, sizeof(v), "pageblock_order") &&
	    (int)v < c->nr_orders) {
		c->pb_order = v;
		c->pb_source = "pageblock_order variable";
		return;
	}
	o = ml_zones_pb_from_usemaps(c);
	if (o >= 0) {
		c->pb_order = o;
		c->pb_source = "sparse usemap size";
		return;
	}
	/* the macro: min(HUGETLB_PAGE_ORDER, MAX_ORDER - 1) with hugetlb, the
	 * largest buddy order without; HPAGE is a PMD: one page of 8-byte
	 * table entries, PAGE_SHIFT - 3 orders above a page */
	if (symbol_exists("hstates")) {
		o = ml_feat.page_shift - 3;
		if (o > c->nr_orders - 1)
			o = c->nr_orders - 1;
		c->pb_source = "HPAGE order (hugetlb)";
	} else {
		o = c->nr_orders - 1;
		c->pb_source = "largest order (no hugetlb)";
	}
	c->pb_order = o;
}

static int ml_zone_index(const char *name, int dflt)
{
	return (int)ml_enum_value_or(name, dflt);
}

static bool ml_zones_init(struct ml_zones_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->nr_orders = ml_feat.nr_orders;
	c->nr_mt = ml_feat.nr_migratetypes;
	if (c->nr_orders <= 0 || c->nr_orders > 64 || c->nr_mt <= 0 || c->nr_mt > ML_MAX_MT ||
	    ml_feat.nr_zones <= 0) {
		fprintf(fp, "memleak zones: cannot run: free_area[] or free_list[] length unknown\n");
		return false;
	}
	/* MIGRATE_PCPTYPES: the lists an ordinary request takes from */
	c->pcptypes = (int)ml_enum_value_or("MIGRATE_PCPTYPES", 3);
	c->isolate_mt = (int)ml_enum_value_or("MIGRATE_ISOLATE", -1);
	c->nr_free_pages_idx = ml_enum_value_or("NR_FREE_PAGES", 0);
	c->nr_free_cma_idx = ml_enum_value_or("NR_FREE_CMA_PAGES", -1);
	/* free pages link through page.buddy_list since commit bf75f200569d
	 * ("mm/page_alloc: add page->buddy_list and page->pcp_list") in v6.0,
	 * through page.lru before (same offset: a union) */
	c->link_off = ML_HAS(page, buddy_list) ? ML_OFF(page, buddy_list) : ML_OFF(page, lru);
	ml_zones_names(c);
	ml_zones_pageblock_bits(c);
	ml_zones_pageblock_order(c);
	return true;
}

/* ---- reading one zone ---------------------------------------------------- */

static void ml_zone_lists(struct ml_zones_ctx *c, struct ml_zone *z)
{
	int o, mt;
	ulong fa0 = z->addr + ML_OFF(zone, free_area);

	for (o = 0; o < c->nr_orders; o++) {
		unsigned long sum = 0;
		/* no zone holds more free blocks than it spans */
		unsigned long max = (z->spanned >> o) + 1;

		for (mt = 0; mt < c->nr_mt; mt++) {
			ulong head = fa0 + o * ML_SIZE(free_area) + ML_OFF(free_area, free_list) +
				     mt * ML_SIZE(list_head);
			enum ml_walk_status st;
			unsigned long n;

			if (ml_interrupted()) {
				z->lists = ML_LISTS_INTERRUPTED;
				return;
			}
			n = ml_list_walk(head, c->link_off, max, NULL, NULL, &st);
			z->by_mt[o * c->nr_mt + mt] = n;
			sum += n;
			if (mt < c->pcptypes)
				z->usable[o] += n;
			if (st == ML_WALK_UNREADABLE) {
				/* a kernel address the dump does not hold */
				z->lists_unreadable++;
			} else if (st == ML_WALK_INTERRUPTED) {
				z->lists = ML_LISTS_INTERRUPTED;
				return;
			} else if (st != ML_WALK_OK) {
				/* a NULL or non-kernel link, a cycle, too long */
				z->lists_corrupt++;
			}
		}
		if (sum != z->nr_free[o] && z->lists == ML_LISTS_OK)
			z->lists = ML_LISTS_MISMATCH;
	}
	if (z->lists_corrupt)
		z->lists = ML_LISTS_CORRUPT;
	else if (z->lists_unreadable)
		z->lists = ML_LISTS_UNREADABLE;
	if (z->lists == ML_LISTS_UNREADABLE || z->lists == ML_LISTS_CORRUPT)
		/* fall back to the counters for the verdict */
		memcpy(z->usable, z->nr_free, c->nr_orders * sizeof(*z->usable));
}

/* get_pageblock_migratetype() of pfn's block from its section's
 * usage->pageblock_flags (SPARSEMEM), one section's bitmap read at a time;
 * -1 where the section is not online (pfn_to_online_page() NULL) or not in
 * the dump */
struct ml_pb_reader {
	struct ml_zones_ctx *c;
	ulong sec, *map;
	size_t mapbytes;
	bool ok;
	long online_bit;
};

static bool ml_pb_reader_init(struct ml_zones_ctx *c, struct ml_pb_reader *r)
{
	memset(r, 0, sizeof(*r));
	if (c->pb_order < 0 || !IS_SPARSEMEM() || !ML_HAS(mem_section, usage) ||
	    !ML_HAS(mem_section_usage, pageblock_flags))
		return false;	/* FLATMEM: zone->pageblock_flags, not on these arches */
	r->c = c;
	r->sec = ~0UL;
	r->mapbytes = (((PAGES_PER_SECTION() >> c->pb_order) * c->pb_bits + 63) / 64) * 8;
	r->map = ml_alloc(r->mapbytes);
	/* pfn_to_online_page(): SECTION_IS_ONLINE, bit 2 */
	r->online_bit = ml_enum_value_or("SECTION_IS_ONLINE_BIT", 2);
	return true;
}

static int ml_pb_mt(struct ml_pb_reader *r, ulong pfn)
{
	struct ml_zones_ctx *c = r->c;
	ulong sec = pfn_to_section_nr(pfn), bitidx, word;
	unsigned long mask = (1UL << c->pb_mt_bits) - 1;

	if (sec != r->sec) {
		ulong ms = valid_section_nr(sec), smm = 0, usage = 0;

		r->sec = sec;
		r->ok = ms &&
			ml_read_ulong(ms + ML_OFF(mem_section, section_mem_map), &smm,
				      "mem_section.section_mem_map") &&
			(smm & (1UL << r->online_bit)) &&
			ml_read_ulong(ms + ML_OFF(mem_section, usage), &usage,
				      "mem_section.usage") && usage &&
			ml_read(usage + ML_OFF(mem_section_usage, pageblock_flags), r->map,
				r->mapbytes, "pageblock_flags");
	}
	if (!r->ok)
		return -1;
	bitidx = ((pfn & (PAGES_PER_SECTION() - 1)) >> c->pb_order) * c->pb_bits;
	word = r->map[bitidx / 64];
	/* where enum pageblock_bits has PB_migrate_isolate (2025, Zi Yan's
	 * page isolation series), isolation is its own bit beside the type */
	if (c->pb_isolate_bit >= 0 && c->isolate_mt >= 0 &&
	    ((word >> (bitidx % 64 + c->pb_isolate_bit)) & 1))
		return c->isolate_mt;
	return (int)((word >> (bitidx % 64)) & mask);
}

/* pageblock migratetypes, as pagetypeinfo_showblockcount_print() counts
 * them: one per pageblock_nr_pages step from zone_start_pfn */
static void ml_zone_blocks(struct ml_zones_ctx *c, struct ml_zone *z)
{
	ulong pfn, end = z->start_pfn + z->spanned, nr = 1UL << c->pb_order;
	struct ml_pb_reader r;

	if (!ml_pb_reader_init(c, &r))
		return;
	for (pfn = z->start_pfn; pfn < end; pfn += nr) {
		int mt;

		if ((pfn & 0xffff) < nr && ml_interrupted())
			break;
		mt = ml_pb_mt(&r, pfn);
		if (mt < 0) {
			z->blocks_skipped++;
			continue;
		}
		if (mt < c->nr_mt)
			z->blocks[mt]++;
	}
	ml_free(r.map);
	z->blocks_ok = pfn >= end;
}

/* pagetypeinfo's "Number of mixed blocks", where page_owner is on */
struct ml_mixed_arg {
	struct ml_pb_reader r;
	struct ml_po_pages *pages;
	unsigned long n;
};

static int ml_mixed_block_mt(void *arg, uint64_t pfn)
{
	return ml_pb_mt(&((struct ml_mixed_arg *)arg)->r, pfn);
}

static bool ml_mixed_pfn(void *arg, uint64_t pfn, struct ml_mixed_pfn *p)
{
	struct ml_mixed_arg *a = arg;

	if ((++a->n & 0xffff) == 0 && ml_interrupted())
		return false;
	return ml_po_pages_get(a->pages, pfn, p);
}

static void ml_zones_mixed(struct ml_zones_ctx *c)
{
	struct ml_mixed_arg a = { 0 };
	struct ml_mixed_walk w;
	ulong dis = 0;
	int i;

	c->mixed_state = ML_MIXED_UNAVAILABLE;
	if (!ml_pb_reader_init(c, &a.r)) {
		c->mixed_why = "pageblock migratetypes not readable (FLATMEM or no pageblock_order)";
		return;
	}
	if (!(a.pages = ml_po_pages_open(&c->mixed_why))) {
		ml_free(a.r.map);
		return;
	}
	if (symbol_exists("page_group_by_mobility_disabled"))
		ml_read_sym_ulong("page_group_by_mobility_disabled", &dis);
	c->mixed_state = ML_MIXED_OK;
	{
		/* gfp_migratetype(): (gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT;
		 * the bits are ___GFP_MOVABLE_BIT/___GFP_RECLAIMABLE_BIT where
		 * gfp_types.h enumerates them (v6.10), 3 and 4 before and since */
		long mv = ml_enum_value_or("___GFP_MOVABLE_BIT", 3);
		long rc = ml_enum_value_or("___GFP_RECLAIMABLE_BIT", 4);

		w = (struct ml_mixed_walk){
			.pb_order = (unsigned int)c->pb_order,
			.nr_orders = c->nr_orders,
			.nr_mt = c->nr_mt,
			.movable_mt = (int)ml_enum_value_or("MIGRATE_MOVABLE", 1),
			.cma_mt = (int)ml_enum_value_or("MIGRATE_CMA", -1),
			.gfp_mt_mask = (1U << mv) | (1U << rc),
			.gfp_mt_shift = (int)mv,
			.mobility_disabled = (int)dis != 0,
			.block_mt = ml_mixed_block_mt,
			.pfn = ml_mixed_pfn,
			.arg = &a,
		};
	}
	for (i = 0; i < c->nz; i++) {
		struct ml_zone *z = &c->zones[i];

		w.start_pfn = z->start_pfn;
		w.end_pfn = z->start_pfn + z->spanned;
		if (!ml_mixed_blocks(&w, z->mixed)) {
			c->mixed_state = ML_MIXED_INTERRUPTED;
			c->mixed_why = "interrupted";
			break;
		}
	}
	c->mixed_unreadable = ml_po_pages_unreadable(a.pages);
	ml_po_pages_close(a.pages);
	ml_free(a.r.map);
}

static void ml_zone_arith(struct ml_zones_ctx *c, struct ml_zone *z)
{
	int o;

	z->largest = ml_largest_free_order(z->nr_free, c->nr_orders);
	for (o = 0; o < c->nr_orders; o++) {
		struct ml_contig_info info;
		struct ml_wmark_input in = {
			.free_pages = z->free,
			/* the slow path's last try before the OOM killer */
			.mark = z->wmark[0] + z->boost,
			.lowmem_reserve = 0,
			.nr_reserved_highatomic = z->highatomic,
			.free_cma = z->free_cma > 0 ? z->free_cma : 0,
			.nr_orders = c->nr_orders,
			.usable_blocks = z->usable,
		};

		if (z->event_zone && c->ev_highest >= 0 && c->ev_highest < z->nr_reserve)
			in.lowmem_reserve = z->reserve[c->ev_highest];
		ml_contig_info(z->nr_free, c->nr_orders, o, &info);
		z->unusable[o] = ml_unusable_index(o, &info);
		z->extfrag[o] = ml_fragmentation_index(o, c->nr_orders, &info);
		z->verdict[o] = ml_watermark_verdict(&in, o);
	}
}

static long ml_zone_stat(const char *buf, long idx)
{
	long v;

	if (idx < 0 || !ML_HAS(zone, vm_stat) ||
	    (idx + 1) * ML_SIZE(atomic_long_t) > ML_MSIZE(zone, vm_stat))
		return 0;
	v = (long)ml_get_ulong(buf, ML_OFF(zone, vm_stat) + idx * ML_SIZE(atomic_long_t));
	/* zone_page_state() clamps the per-cpu-drifted sum at 0 */
	return v < 0 ? 0 : v;
}

static bool ml_zone_read(struct ml_zones_ctx *c, struct ml_zone *z, char *buf)
{
	ulong nameptr;
	long wm = ML_HAS(zone, _watermark) ? ML_OFF(zone, _watermark) : ML_OFF(zone, watermark);
	int i;

	if (!ml_read(z->addr, buf, ML_SIZE(zone), "struct zone"))
		return false;
	z->present = ml_get_uint(buf, ML_OFF(zone, present_pages), ML_MSIZE(zone, present_pages));
	if (!z->present)
		return true;	/* !populated_zone() */
	nameptr = ml_get_ulong(buf, ML_OFF(zone, name));
	if (!ml_read_cstring(nameptr, z->name, sizeof(z->name), "zone.name"))
		snprintf(z->name, sizeof(z->name), "zone%d", z->idx);
	z->start_pfn = ml_get_ulong(buf, ML_OFF(zone, zone_start_pfn));
	z->spanned = ml_get_uint(buf, ML_OFF(zone, spanned_pages), ML_MSIZE(zone, spanned_pages));
	/* atomic_long_t since commit 9705bea5f833 ("mm: convert zone->managed_pages
	 * to atomic variable") in v5.0: same size either way */
	z->managed = ml_get_uint(buf, ML_OFF(zone, managed_pages), ML_MSIZE(zone, managed_pages));
	for (i = 0; i < 3; i++)
		z->wmark[i] = ml_get_ulong(buf, wm + i * sizeof(ulong));
	z->boost = ML_HAS(zone, watermark_boost) ? ml_get_ulong(buf, ML_OFF(zone, watermark_boost)) : 0;
	z->highatomic = ML_HAS(zone, nr_reserved_highatomic) ?
		ml_get_ulong(buf, ML_OFF(zone, nr_reserved_highatomic)) : 0;
	z->nr_reserve = ML_MSIZE(zone, lowmem_reserve) / sizeof(long);
	if (z->nr_reserve > ML_MAX_MT)
		z->nr_reserve = ML_MAX_MT;
	for (i = 0; i < z->nr_reserve; i++)
		z->reserve[i] = (long)ml_get_ulong(buf, ML_OFF(zone, lowmem_reserve) + i * sizeof(long));
	z->free = ml_zone_stat(buf, c->nr_free_pages_idx);
	z->free_cma = ml_zone_stat(buf, c->nr_free_cma_idx);
	z->nr_free = ml_alloc(c->nr_orders * sizeof(*z->nr_free));
	z->usable = ml_alloc(c->nr_orders * sizeof(*z->usable));
	z->by_mt = ml_alloc(c->nr_orders * c->nr_mt * sizeof(*z->by_mt));
	z->unusable = ml_alloc(c->nr_orders * sizeof(int));
	z->extfrag = ml_alloc(c->nr_orders * sizeof(int));
	z->verdict = ml_alloc(c->nr_orders * sizeof(*z->verdict));
	for (i = 0; i < c->nr_orders; i++)
		z->nr_free[i] = ml_get_ulong(buf, ML_OFF(zone, free_area) + i * ML_SIZE(free_area) +
					     ML_OFF(free_area, nr_free));
	return true;
}

static int ml_zones_collect(struct ml_zones_ctx *c, bool lists, bool blocks)
{
	char *buf = ml_alloc(ML_SIZE(zone));
	int n, zi, unreadable = 0;

	for (n = 0; n < vt->numnodes; n++) {
		ulong pgdat = vt->node_table[n].pgdat;
		int node_id = vt->node_table[n].node_id;

		if (!pgdat)
			continue;
		if (ML_HAS(pglist_data, node_id)) {
			int id;

			if (ml_read(pgdat + ML_OFF(pglist_data, node_id), &id, sizeof(id),
				    "pglist_data.node_id"))
				node_id = id;
		}
		for (zi = 0; zi < ml_feat.nr_zones; zi++) {
			struct ml_zone z = { .node = node_id, .idx = zi };

			if (ml_interrupted())
				return -1;
			z.addr = pgdat + ML_OFF(pglist_data, node_zones) + zi * ML_SIZE(zone);
			if (!ml_zone_read(c, &z, buf)) {
				unreadable++;
				continue;
			}
			if (!z.present)
				continue;
			if (lists)
				ml_zone_lists(c, &z);
			else
				memcpy(z.usable, z.nr_free, c->nr_orders * sizeof(*z.usable));
			if (blocks)
				ml_zone_blocks(c, &z);
			if (c->nz == c->cap) {
				c->cap = c->cap ? 2 * c->cap : 8;
				c->zones = ml_realloc(c->zones, c->cap * sizeof(*c->zones));
			}
			c->zones[c->nz++] = z;
		}
	}
	if (unreadable)
		fprintf(fp, "memleak zones: %d struct zone unreadable in this dump, skipped\n",
			unreadable);
	return 0;
}

/* ---- the kernel log: the last OOM report or allocation failure ------------ */

/* the last OOM report or allocation failure in the kernel log (core/klog.c) */
static void ml_zones_log_event(struct ml_zones_ctx *c)
{
	char line[BUFSIZE];
	struct ml_alloc_event ev;
	const char *p;
	size_t n;

	c->ev_highest = -1;
	for (p = ml_klog(&n); ml_klog_line(&p, line, sizeof(line));) {
		if (!ml_parse_alloc_event(line, &ev))
			continue;
		c->ev = ev;
		snprintf(c->ev_line, sizeof(c->ev_line), "%.*s", (int)sizeof(c->ev_line) - 1, line);
	}
	if (c->ev.kind == ML_EVENT_NONE)
		return;
	/* gfp_zone(): ___GFP_DMA 0x1, ___GFP_HIGHMEM 0x2, ___GFP_DMA32 0x4,
	 * ___GFP_MOVABLE 0x8 -- the same low bits since 2.6, also after the
	 * bits became enum ___GFP_*_BIT */
	{
		unsigned long g = c->ev.gfp_known ? c->ev.gfp : 0;
		int normal = ml_zone_index("ZONE_NORMAL", 0);

		if (g & 0x1)
			c->ev_highest = ml_zone_index("ZONE_DMA", normal);
		else if (g & 0x4)
			c->ev_highest = ml_zone_index("ZONE_DMA32", normal);
		else if ((g & 0x2) && (g & 0x8))
			c->ev_highest = ml_zone_index("ZONE_MOVABLE", normal);
		else if (g & 0x2)
			c->ev_highest = ml_zone_index("ZONE_HIGHMEM", normal);
		else
			c->ev_highest = normal;
	}
	snprintf(c->ev_highest_name, sizeof(c->ev_highest_name), "zone %d", c->ev_highest);
	{
		int i;

		for (i = 0; i < c->nz; i++) {
			if (c->zones[i].idx <= c->ev_highest)
				c->zones[i].event_zone = true;
		}
	}
}

static void ml_zones_highest_name(struct ml_zones_ctx *c)
{
	/* the name the kernel gives that zone index (a populated zone of any
	 * node, or the enum's) */
	static const char *const en[] = { "ZONE_DMA", "ZONE_DMA32", "ZONE_NORMAL",
					  "ZONE_HIGHMEM", "ZONE_MOVABLE", "ZONE_DEVICE" };
	static const char *const nm[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable",
					  "Device" };
	long v;
	unsigned int i;

	for (i = 0; i < sizeof(en) / sizeof(en[0]); i++)
		if (ml_enum_value(en[i], &v) && v == c->ev_highest)
			snprintf(c->ev_highest_name, sizeof(c->ev_highest_name), "%s", nm[i]);
}

/* ---- output ---------------------------------------------------------------- */

static void ml_zones_buddyinfo(struct ml_zones_ctx *c)
{
	int i, o;

	/* mm/vmstat.c frag_show_print() */
	for (i = 0; i < c->nz; i++) {
		struct ml_zone *z = &c->zones[i];

		fprintf(fp, "Node %d, zone %8s ", z->node, z->name);
		for (o = 0; o < c->nr_orders; o++)
			fprintf(fp, "%6lu ", z->nr_free[o]);
		fputc('\n', fp);
	}
}

/* one of pagetypeinfo's per-zone tables of pageblock counts per
 * migratetype: zones [i, j) of a node, counts at offset off of struct ml_zone */
static void ml_pti_blocks(struct ml_zones_ctx *c, int i, int j, const char *title, size_t off)
{
	int k, mt;

	fprintf(fp, "\n%-23s", title);
	for (mt = 0; mt < c->nr_mt; mt++)
		fprintf(fp, "%12s ", c->mt_names[mt]);
	fputc('\n', fp);
	for (k = i; k < j; k++) {
		struct ml_zone *z = &c->zones[k];
		const unsigned long *n = (const unsigned long *)((const char *)z + off);

		fprintf(fp, "Node %d, zone %8s ", z->node, z->name);
		for (mt = 0; mt < c->nr_mt; mt++)
			fprintf(fp, "%12lu ", n[mt]);
		fputc('\n', fp);
	}
}

static void ml_zones_pagetypeinfo(struct ml_zones_ctx *c)
{
	int i, j, o, mt;

	/* mm/vmstat.c pagetypeinfo_show(), once per node with memory */
	for (i = 0; i < c->nz; i = j) {
		int node = c->zones[i].node;

		for (j = i; j < c->nz && c->zones[j].node == node; j++)
			;
		if (c->pb_order >= 0) {
			fprintf(fp, "Page block order: %d\n", c->pb_order);
			fprintf(fp, "Pages per block:  %lu\n", 1UL << c->pb_order);
		}
		fputc('\n', fp);
		fprintf(fp, "%-43s ", "Free pages count per migrate type at order");
		for (o = 0; o < c->nr_orders; o++)
			fprintf(fp, "%6d ", o);
		fputc('\n', fp);
		for (int k = i; k < j; k++) {
			struct ml_zone *z = &c->zones[k];

			for (mt = 0; mt < c->nr_mt; mt++) {
				fprintf(fp, "Node %4d, zone %8s, type %12s ", z->node, z->name,
					c->mt_names[mt]);
				for (o = 0; o < c->nr_orders; o++) {
					unsigned long n = z->by_mt[o * c->nr_mt + mt];

					if (n >= ML_PTI_CAP)
						fprintf(fp, ">%6lu ", (unsigned long)ML_PTI_CAP);
					else
						fprintf(fp, "%6lu ", n);
				}
				fputc('\n', fp);
			}
		}
		ml_pti_blocks(c, i, j, "Number of blocks type ", offsetof(struct ml_zone, blocks));
		/* mm/page_owner.c pagetypeinfo_showmixedcount(): only where
		 * page_owner is on, as the kernel prints it */
		if (c->mixed_state == ML_MIXED_OK)
			ml_pti_blocks(c, i, j, "Number of mixed blocks ",
				      offsetof(struct ml_zone, mixed));
	}
}

static const char *ml_lists_str(struct ml_zone *z, char *buf, size_t len)
{
	switch (z->lists) {
	case ML_LISTS_OK:
		return "walked, per-migratetype sums equal nr_free";
	case ML_LISTS_MISMATCH:
		return "walked, but the sums differ from nr_free (dump taken mid-update?)";
	case ML_LISTS_INTERRUPTED:
		return "interrupted";
	case ML_LISTS_UNREADABLE:
	case ML_LISTS_CORRUPT:
		snprintf(buf, len, "%lu lists not in the dump, %lu corrupt: "
			 "per-migratetype counts partial, verdicts use nr_free",
			 z->lists_unreadable, z->lists_corrupt);
		return buf;
	}
	return "?";
}

/* {migratetype name: count}, or null where counts is NULL */
static void ml_json_by_mt(struct ml_json *j, const struct ml_zones_ctx *c, const char *key,
			  const unsigned long *counts)
{
	int mt;

	if (!counts) {
		mj_null(j, key);
		return;
	}
	mj_obj(j, key);
	for (mt = 0; mt < c->nr_mt; mt++)
		mj_uint(j, c->mt_names[mt], counts[mt]);
	mj_obj_end(j);
}

static void ml_zones_json(struct ml_zones_ctx *c)
{
	struct ml_json j;
	char buf[160];
	int i, o, mt;

	mj_init(&j, fp, true);
	mj_obj(&j, NULL);
	mj_int(&j, "page_size", ml_feat.page_size);
	mj_int(&j, "nr_orders", c->nr_orders);
	if (c->pb_order >= 0)
		mj_int(&j, "pageblock_order", c->pb_order);
	else
		mj_null(&j, "pageblock_order");
	mj_str(&j, "pageblock_order_source", c->pb_source);
	mj_arr(&j, "migratetypes");
	for (mt = 0; mt < c->nr_mt; mt++)
		mj_str(&j, NULL, c->mt_names[mt]);
	mj_arr_end(&j);
	/* pagetypeinfo's "Number of mixed blocks" (needs page_owner) */
	if (c->mixed_state == ML_MIXED_OK) {
		mj_null(&j, "mixed_pageblocks_unavailable");
		mj_uint(&j, "mixed_pfns_not_in_dump", c->mixed_unreadable);
	} else {
		mj_str(&j, "mixed_pageblocks_unavailable", c->mixed_why ? c->mixed_why : "not computed");
	}
	if (c->ev.kind != ML_EVENT_NONE) {
		mj_obj(&j, "log_event");
		mj_str(&j, "kind", c->ev.kind == ML_EVENT_OOM ? "oom" : "page_allocation_failure");
		mj_int(&j, "order", c->ev.order);
		if (c->ev.gfp_known)
			mj_uint(&j, "gfp_mask", c->ev.gfp);
		mj_str(&j, "highest_zone", c->ev_highest_name);
		mj_str(&j, "line", c->ev_line);
		mj_obj_end(&j);
	} else {
		mj_null(&j, "log_event");
	}
	mj_arr(&j, "zones");
	for (i = 0; i < c->nz; i++) {
		struct ml_zone *z = &c->zones[i];

		mj_obj(&j, NULL);
		mj_int(&j, "node", z->node);
		mj_str(&j, "zone", z->name);
		mj_uint(&j, "start_pfn", z->start_pfn);
		mj_uint(&j, "managed", z->managed);
		mj_uint(&j, "present", z->present);
		mj_uint(&j, "spanned", z->spanned);
		mj_int(&j, "free", z->free);
		mj_obj(&j, "watermark");
		/* as /proc/zoneinfo prints them: *_wmark_pages() include boost */
		mj_uint(&j, "min", z->wmark[0] + z->boost);
		mj_uint(&j, "low", z->wmark[1] + z->boost);
		mj_uint(&j, "high", z->wmark[2] + z->boost);
		mj_uint(&j, "boost", z->boost);
		mj_obj_end(&j);
		mj_arr(&j, "lowmem_reserve");
		for (o = 0; o < z->nr_reserve; o++)
			mj_int(&j, NULL, z->reserve[o]);
		mj_arr_end(&j);
		mj_uint(&j, "nr_reserved_highatomic", z->highatomic);
		mj_arr(&j, "free_area");
		for (o = 0; o < c->nr_orders; o++) {
			mj_obj(&j, NULL);
			mj_int(&j, "order", o);
			mj_uint(&j, "nr_free", z->nr_free[o]);
			mj_uint(&j, "pages", z->nr_free[o] << o);
			mj_obj(&j, "by_migratetype");
			for (mt = 0; mt < c->nr_mt; mt++)
				mj_uint(&j, c->mt_names[mt], z->by_mt[o * c->nr_mt + mt]);
			mj_obj_end(&j);
			mj_obj_end(&j);
		}
		mj_arr_end(&j);
		mj_str(&j, "free_lists", z->lists == ML_LISTS_OK ? "ok"
		       : z->lists == ML_LISTS_MISMATCH ? "mismatch"
		       : z->lists == ML_LISTS_UNREADABLE ? "not_in_dump"
		       : z->lists == ML_LISTS_CORRUPT ? "corrupt" : "interrupted");
		mj_uint(&j, "lists_not_in_dump", z->lists_unreadable);
		mj_uint(&j, "lists_corrupt", z->lists_corrupt);
		mj_arr(&j, "unusable_index");
		for (o = 0; o < c->nr_orders; o++)
			mj_double(&j, NULL, z->unusable[o] / 1000.0, 3);
		mj_arr_end(&j);
		mj_arr(&j, "extfrag_index");
		for (o = 0; o < c->nr_orders; o++)
			mj_double(&j, NULL, z->extfrag[o] / 1000.0, 3);
		mj_arr_end(&j);
		mj_int(&j, "largest_free_order", z->largest);
		mj_arr(&j, "verdict");
		for (o = 0; o < c->nr_orders; o++)
			mj_str(&j, NULL, ml_verdict_key(z->verdict[o]));
		mj_arr_end(&j);
		ml_json_by_mt(&j, c, "pageblocks", z->blocks_ok ? z->blocks : NULL);
		ml_json_by_mt(&j, c, "mixed_pageblocks",
			      c->mixed_state == ML_MIXED_OK ? z->mixed : NULL);
		mj_bool(&j, "log_event_zone", z->event_zone);
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_obj_end(&j);
	mj_end(&j);
	(void)buf;
}

static const char *ml_pages_str(unsigned long pages, char *buf, size_t len)
{
	return ml_human_bytes((unsigned long long)pages * ml_feat.page_size, buf, len);
}

static void ml_zones_event_line(struct ml_zones_ctx *c)
{
	if (c->ev.kind == ML_EVENT_NONE)
		return;
	fprintf(fp, "kernel log: %s\n", c->ev_line);
	fprintf(fp, "  => the last %s: order-%d request%s%lx, zones up to %s (marked *)\n\n",
		c->ev.kind == ML_EVENT_OOM ? "OOM" : "page allocation failure", c->ev.order,
		c->ev.gfp_known ? ", gfp 0x" : "", c->ev.gfp_known ? c->ev.gfp : 0UL,
		c->ev_highest_name);
}

static void ml_zones_one_order(struct ml_zones_ctx *c, int order)
{
	static const char *const h[] = { "node", "zone", "free", "min", "blocks>=order",
					 "unusable", "extfrag", "order-N request" };
	static const enum ml_align a[] = { ML_RIGHT, ML_LEFT, ML_RIGHT, ML_RIGHT, ML_RIGHT,
					   ML_RIGHT, ML_RIGHT, ML_LEFT };
	struct ml_table *t = mt_new(8, h, a);
	char b1[32], b2[32];
	int i, o;

	fprintf(fp, "order-%d requests (%lu KiB each; counts in pages of %d KiB, "
		"verdict against the min watermark):\n", order,
		(1UL << order) * ml_feat.page_size / 1024, ml_feat.page_size / 1024);
	for (i = 0; i < c->nz; i++) {
		struct ml_zone *z = &c->zones[i];
		unsigned long big = 0;

		for (o = order; o < c->nr_orders; o++)
			big += z->nr_free[o];
		mt_cell(t, "%d", z->node);
		mt_cell(t, "%s%s", z->name,
			z->event_zone && c->ev.order == order ? " *" : "");
		mt_cell(t, "%ld", z->free);
		mt_cell(t, "%lu", z->wmark[0] + z->boost);
		mt_cell(t, "%lu", big);
		mt_cell(t, "%s", ml_index_str(z->unusable[order], 0, b1, sizeof(b1)));
		mt_cell(t, "%s", ml_index_str(z->extfrag[order], 0, b2, sizeof(b2)));
		mt_cell(t, "%s", ml_verdict_str(z->verdict[order]));
	}
	mt_print(t, fp, "  ");
}

static void ml_zones_table(struct ml_zones_ctx *c)
{
	const char **h;
	enum ml_align *a;
	char b1[160], b2[32], b3[32];
	int i, o, mt, ncol = 3 + c->nr_mt + 3;

	h = ml_alloc(ncol * sizeof(*h));
	a = ml_alloc(ncol * sizeof(*a));
	h[0] = "order";
	h[1] = "blocks";
	h[2] = "pages";
	for (mt = 0; mt < c->nr_mt; mt++)
		h[3 + mt] = c->mt_names[mt];
	h[3 + c->nr_mt] = "unusable";
	h[4 + c->nr_mt] = "extfrag";
	h[5 + c->nr_mt] = "order-N request";
	for (i = 0; i < ncol; i++)
		a[i] = ML_RIGHT;
	a[ncol - 1] = ML_LEFT;

	fprintf(fp, "Counts in pages of %d KiB; blocks: free blocks of that order (nr_free); "
		"per-migratetype columns: blocks on each free_list.\n", ml_feat.page_size / 1024);
	if (c->pb_order >= 0)
		fprintf(fp, "Pageblock order %d (%s).\n", c->pb_order, c->pb_source);
	fputc('\n', fp);
	ml_zones_event_line(c);
	for (i = 0; i < c->nz; i++) {
		struct ml_zone *z = &c->zones[i];
		struct ml_table *t = mt_new(ncol, h, a);

		fprintf(fp, "Node %d, zone %s%s: spanned %lu, present %lu, managed %lu pages (%s)\n",
			z->node, z->name, z->event_zone ? " *" : "", z->spanned, z->present,
			z->managed, ml_pages_str(z->managed, b1, sizeof(b1)));
		fprintf(fp, "  free %ld pages (%s); watermarks min %lu, low %lu, high %lu, boost %lu pages\n",
			z->free, ml_pages_str(z->free, b1, sizeof(b1)), z->wmark[0] + z->boost,
			z->wmark[1] + z->boost, z->wmark[2] + z->boost, z->boost);
		fprintf(fp, "  lowmem_reserve (");
		for (o = 0; o < z->nr_reserve; o++)
			fprintf(fp, "%s%ld", o ? ", " : "", z->reserve[o]);
		fprintf(fp, ") pages; highatomic reserve %lu pages\n", z->highatomic);
		if (z->largest >= 0)
			fprintf(fp, "  largest free block: order %d (%s)\n", z->largest,
				ml_pages_str(1UL << z->largest, b1, sizeof(b1)));
		else
			fprintf(fp, "  largest free block: none, the free lists are empty\n");
		if (z->blocks_ok) {
			fprintf(fp, "  pageblocks:");
			for (mt = 0; mt < c->nr_mt; mt++)
				fprintf(fp, "%s %s %lu", mt ? "," : "", c->mt_names[mt], z->blocks[mt]);
			if (z->blocks_skipped)
				fprintf(fp, " (%lu in sections not in the dump)", z->blocks_skipped);
			fputc('\n', fp);
		}
		fprintf(fp, "  free lists: %s\n", ml_lists_str(z, b1, sizeof(b1)));
		for (o = 0; o < c->nr_orders; o++) {
			mt_cell(t, "%d%s", o, z->event_zone && c->ev.order == o ? "*" : "");
			mt_cell(t, "%lu", z->nr_free[o]);
			mt_cell(t, "%lu", z->nr_free[o] << o);
			for (mt = 0; mt < c->nr_mt; mt++)
				mt_cell(t, "%lu", z->by_mt[o * c->nr_mt + mt]);
			mt_cell(t, "%s", ml_index_str(z->unusable[o], 0, b2, sizeof(b2)));
			mt_cell(t, "%s", ml_index_str(z->extfrag[o], 0, b3, sizeof(b3)));
			mt_cell(t, "%s", ml_verdict_str(z->verdict[o]));
		}
		mt_print(t, fp, "  ");
		fputc('\n', fp);
	}
	fprintf(fp, "unusable: share of free memory in blocks too small for the order; "
		"extfrag: 0 = would fail for lack of memory, 1 = for fragmentation, "
		"-1 = would succeed (mm/vmstat.c); order-N request: an ordinary request "
		"(no reserves) against the min watermark\n");
}

struct ml_zones_ctx *ml_zones_get(const char *sub, bool full)
{
	struct ml_zones_ctx *c;
	int i;

	if (ml_need(ML_M(pglist_data, node_zones), ML_M(zone, name),
		    ML_M(zone, free_area), ML_M(zone, present_pages), ML_M(zone, spanned_pages),
		    ML_M(zone, managed_pages), ML_M(zone, zone_start_pfn),
		    ML_M(zone, lowmem_reserve), ML_M(free_area, free_list),
		    ML_M(free_area, nr_free), ML_T(zone), ML_T(free_area), ML_T(list_head),
		    ML_T(atomic_long_t), ML_NEED_END) < 0)
		return NULL;
	if (!ML_HAS(zone, _watermark) && !ML_HAS(zone, watermark)) {
		fprintf(fp, "memleak %s: cannot run: no zone._watermark or zone.watermark\n", sub);
		return NULL;
	}
	if (!ML_HAS(page, buddy_list) && !ML_HAS(page, lru)) {
		fprintf(fp, "memleak %s: cannot run: no page.buddy_list or page.lru\n", sub);
		return NULL;
	}
	c = ml_alloc(sizeof(*c));
	if (!ml_zones_init(c))
		return NULL;
	if (ml_zones_collect(c, full, full) < 0 || ml_interrupted()) {
		fprintf(fp, "memleak %s: interrupted\n", sub);
		return NULL;
	}
	if (!full)
		return c;
	ml_zones_log_event(c);
	if (c->ev.kind != ML_EVENT_NONE)
		ml_zones_highest_name(c);
	for (i = 0; i < c->nz; i++)
		ml_zone_arith(c, &c->zones[i]);
	return c;
}

void ml_cmd_zones(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "buddyinfo", no_argument, NULL, 'b' },
		{ "pagetypeinfo", no_argument, NULL, 'p' },
		{ "order", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_zones_ctx *c;
	bool json = false, buddy = false, pti = false;
	long order = -1;
	int ch, modes, i;
	char *end;

	ml_opt_begin("zones", argc, argv);
	while ((ch = getopt_long(argc, argv, "jbpo:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = true; break;
		case 'b': buddy = true; break;
		case 'p': pti = true; break;
		case 'o':
			order = strtol(optarg, &end, 10);
			if (end == optarg || *end || order < 0 || order >= ml_feat.nr_orders) {
				ml_usage_error("zones", "order '%s': not between 0 and %d", optarg,
					       ml_feat.nr_orders - 1);
				return;
			}
			break;
		case 'h': ml_print_sub_help("zones"); return;
		default:
			ml_opt_error("zones", argc, argv, longopts);
			return;
		}
	}
	if (!ml_opt_end("zones", argc, argv))
		return;
	modes = json + buddy + pti;
	if (modes > 1 || (order >= 0 && (buddy || pti))) {
		ml_usage_error("zones", "choose one of --json, --buddyinfo, --pagetypeinfo, -o");
		return;
	}
	/* --buddyinfo needs only the counters */
	c = ml_zones_get("zones", !buddy);
	if (!c)
		return;
	if (buddy) {
		ml_zones_buddyinfo(c);
		return;
	}
	if (pti || json)
		ml_zones_mixed(c);
	if (pti) {
		ml_zones_pagetypeinfo(c);
		if (c->mixed_state == ML_MIXED_INTERRUPTED)
			fprintf(fp, "memleak zones: interrupted: no mixed blocks\n");
		return;
	}
	if (json)
		ml_zones_json(c);
	else if (order >= 0)
		ml_zones_one_order(c, order);
	else
		ml_zones_table(c);
	/* one line about lists the dump left out, and how many were corrupt */
	if (!json) {
		unsigned long un = 0, co = 0;

		for (i = 0; i < c->nz; i++) {
			un += c->zones[i].lists_unreadable;
			co += c->zones[i].lists_corrupt;
		}
		if (un || co)
			fprintf(fp, "memleak zones: %lu free lists not in the dump (makedumpfile "
				"excluded them), %lu corrupt: per-migratetype counts are partial, "
				"nr_free counters used instead\n", un, co);
	}
}
