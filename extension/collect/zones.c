/*
 * zones.c: the zones model -- free areas, watermarks and fragmentation of
 * every populated zone at dump time ("memleak zones" prints it, cmd/zones.c;
 * summary, save and diff use it too).
 *
 * One pass: each struct zone is read whole (one ml_read, ml_zone_walk(),
 * which vmstat.c shares) and its fields picked with ML_OFF; every free_list
 * is walked (bounded, cycle-checked) to count blocks per migratetype;
 * pageblock migratetypes come from the sparse usemaps, read once per
 * section. The arithmetic (fragmentation indexes, watermark verdict) is in
 * pure/frag.c.
 */
#include "collect/collect.h"

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
		ml_fail("cannot run: free_area[] or free_list[] length unknown");
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

/* ---- struct zone, for this model and vmstat.c's ------------------------- */

int ml_zone_walk(const struct ml_zone_walk *w)
{
	int n, zi, nn = vt->numnodes > 0 ? vt->numnodes : 1;
	char *buf = ml_alloc(ML_SIZE(zone));

	for (n = 0; n < nn; n++) {
		ulong pgdat = vt->node_table ? vt->node_table[n].pgdat : 0;
		int node_id = vt->node_table ? vt->node_table[n].node_id : 0;

		/* !NUMA: the one node is contig_page_data */
		if (!pgdat)
			pgdat = symbol_exists("contig_page_data") ? symbol_value("contig_page_data") : 0;
		if (!pgdat)
			continue;
		if (ML_HAS(pglist_data, node_id)) {
			int id;

			if (ml_read(pgdat + ML_OFF(pglist_data, node_id), &id, sizeof(id),
				    "pglist_data.node_id"))
				node_id = id;
		}
		if (w->node)
			w->node(w->arg, node_id, pgdat);
		for (zi = 0; zi < ml_feat.nr_zones; zi++) {
			struct ml_zone_ref z = { .node = node_id, .idx = zi, .pgdat = pgdat };

			if (ml_interrupted())
				return -1;
			z.addr = pgdat + ML_OFF(pglist_data, node_zones) + zi * ML_SIZE(zone);
			z.buf = ml_read(z.addr, buf, ML_SIZE(zone), "struct zone") ? buf : NULL;
			w->zone(w->arg, &z);
		}
	}
	return 0;
}

void ml_zone_head(const char *buf, struct ml_zone_head *h)
{
	long wm = ML_HAS(zone, _watermark) ? ML_OFF(zone, _watermark) : ML_OFF(zone, watermark);
	int i;

	memset(h, 0, sizeof(*h));
	h->present = ml_get_uint(buf, ML_OFF(zone, present_pages), ML_MSIZE(zone, present_pages));
	/* atomic_long_t since commit 9705bea5f833 ("mm: convert zone->managed_pages
	 * to atomic variable") in v5.0: same size either way */
	if (ML_HAS(zone, managed_pages))
		h->managed = ml_get_uint(buf, ML_OFF(zone, managed_pages),
					 ML_MSIZE(zone, managed_pages));
	for (i = 0; wm >= 0 && i < 3; i++)
		h->wmark[i] = ml_get_ulong(buf, wm + i * sizeof(ulong));
	if (ML_HAS(zone, watermark_boost))
		h->boost = ml_get_ulong(buf, ML_OFF(zone, watermark_boost));
}

bool ml_zone_name(const char *buf, char *name, size_t len)
{
	return ml_read_cstring(ml_get_ulong(buf, ML_OFF(zone, name)), name, len, "zone.name");
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
	ml_pb_reader_free(&r);
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

void ml_zones_mixed(struct ml_zones_ctx *c)
{
	struct ml_mixed_arg a = { 0 };
	struct ml_mixed_walk w;
	ulong dis = 0;
	int i;

	c->mixed_state = ML_MIXED_UNAVAILABLE;
	if (!ml_pb_reader_init(c, &a.r)) {
		c->mixed_why = "pageblock migratetypes not readable (no pageblock_order, or no "
			       "pageblock_flags member)";
		return;
	}
	if (!(a.pages = ml_po_pages_open(&c->mixed_why))) {
		ml_pb_reader_free(&a.r);
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
			ml_warn("interrupted: no mixed blocks");
			break;
		}
	}
	c->mixed_unreadable = ml_po_pages_unreadable(a.pages);
	ml_po_pages_close(a.pages);
	ml_pb_reader_free(&a.r);
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

/* the fields of a populated zone, and its per-order arrays */
static void ml_zone_read(struct ml_zones_ctx *c, struct ml_zone *z, const char *buf)
{
	struct ml_zone_head h;
	int i;

	ml_zone_head(buf, &h);
	z->present = h.present;
	if (!z->present)
		return;	/* !populated_zone() */
	if (!ml_zone_name(buf, z->name, sizeof(z->name)))
		snprintf(z->name, sizeof(z->name), "zone%d", z->idx);
	z->start_pfn = ml_get_ulong(buf, ML_OFF(zone, zone_start_pfn));
	z->spanned = ml_get_uint(buf, ML_OFF(zone, spanned_pages), ML_MSIZE(zone, spanned_pages));
	z->managed = h.managed;
	for (i = 0; i < 3; i++)
		z->wmark[i] = h.wmark[i];
	z->boost = h.boost;
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
}

struct ml_zones_walk_arg {
	struct ml_zones_ctx *c;
	bool lists, blocks;
	int unreadable;
};

/* one struct zone of the walk: populated ones join the model */
static void ml_zones_one(void *arg, const struct ml_zone_ref *r)
{
	struct ml_zones_walk_arg *a = arg;
	struct ml_zones_ctx *c = a->c;
	struct ml_zone z = { .node = r->node, .idx = r->idx, .addr = r->addr };

	if (!r->buf) {
		a->unreadable++;
		return;
	}
	ml_zone_read(c, &z, r->buf);
	if (!z.present)
		return;
	if (a->lists)
		ml_zone_lists(c, &z);
	else
		memcpy(z.usable, z.nr_free, c->nr_orders * sizeof(*z.usable));
	if (c->nz == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->zones = ml_realloc(c->zones, c->cap * sizeof(*c->zones));
	}
	c->zones[c->nz++] = z;
	/* after the zone is in the table: FLATMEM's reader finds a pfn's
	 * bitmap through its zone (zone.pageblock_flags) */
	if (a->blocks)
		ml_zone_blocks(c, &c->zones[c->nz - 1]);
}

static int ml_zones_collect(struct ml_zones_ctx *c, bool lists, bool blocks)
{
	struct ml_zones_walk_arg a = { .c = c, .lists = lists, .blocks = blocks };
	struct ml_zone_walk w = { .zone = ml_zones_one, .arg = &a };
	unsigned long un = 0, co = 0;
	int i;

	if (ml_zone_walk(&w) < 0)
		return -1;
	if (a.unreadable)
		ml_warn("%d struct zone unreadable in this dump, skipped", a.unreadable);
	/* the lists the dump left out, and how many were corrupt */
	for (i = 0; i < c->nz; i++) {
		un += c->zones[i].lists_unreadable;
		co += c->zones[i].lists_corrupt;
	}
	if (un || co)
		ml_warn("%lu free lists not in the dump (makedumpfile excluded them), %lu corrupt: "
			"per-migratetype counts are partial, nr_free counters used instead", un, co);
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

struct ml_zones_ctx *ml_zones_get(bool full)
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
		ml_fail("cannot run: no zone._watermark or zone.watermark");
		return NULL;
	}
	if (!ML_HAS(page, buddy_list) && !ML_HAS(page, lru)) {
		ml_fail("cannot run: no page.buddy_list or page.lru");
		return NULL;
	}
	c = ml_alloc(sizeof(*c));
	if (!ml_zones_init(c))
		return NULL;
	if (ml_zones_collect(c, full, full) < 0 || ml_interrupted()) {
		ml_fail("interrupted");
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
