/*
 * zones.c: "memleak zones" -- free areas, watermarks and fragmentation of
 * every populated zone at dump time, printed from the zones model
 * (collect/zones.c): a table per zone, one order across the zones (-o N),
 * /proc/buddyinfo and /proc/pagetypeinfo as the kernel prints them, or one
 * JSON document (a zone's object: ml_zone_json()).
 *
 *   crash> memleak zones [-o N] [--json | --buddyinfo | --pagetypeinfo]
 */
#include "cmd/cmd.h"

#include <getopt.h>

#define ML_PTI_CAP 100000	/* /proc/pagetypeinfo stops counting here */

/* ---- /proc formats --------------------------------------------------------- */

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

/* ---- text ------------------------------------------------------------------ */

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

/* ---- JSON ------------------------------------------------------------------ */

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

void ml_zone_json(struct ml_json *j, const struct ml_zones_ctx *c, const struct ml_zone *z)
{
	int o, mt;

	mj_obj(j, NULL);
	mj_int(j, "node", z->node);
	mj_str(j, "zone", z->name);
	mj_uint(j, "start_pfn", z->start_pfn);
	mj_uint(j, "managed", z->managed);
	mj_uint(j, "present", z->present);
	mj_uint(j, "spanned", z->spanned);
	mj_int(j, "free", z->free);
	mj_obj(j, "watermark");
	/* as /proc/zoneinfo prints them: *_wmark_pages() include boost */
	mj_uint(j, "min", z->wmark[0] + z->boost);
	mj_uint(j, "low", z->wmark[1] + z->boost);
	mj_uint(j, "high", z->wmark[2] + z->boost);
	mj_uint(j, "boost", z->boost);
	mj_obj_end(j);
	mj_arr(j, "lowmem_reserve");
	for (o = 0; o < z->nr_reserve; o++)
		mj_int(j, NULL, z->reserve[o]);
	mj_arr_end(j);
	mj_uint(j, "nr_reserved_highatomic", z->highatomic);
	mj_arr(j, "free_area");
	for (o = 0; o < c->nr_orders; o++) {
		mj_obj(j, NULL);
		mj_int(j, "order", o);
		mj_uint(j, "nr_free", z->nr_free[o]);
		mj_uint(j, "pages", z->nr_free[o] << o);
		mj_obj(j, "by_migratetype");
		for (mt = 0; mt < c->nr_mt; mt++)
			mj_uint(j, c->mt_names[mt], z->by_mt[o * c->nr_mt + mt]);
		mj_obj_end(j);
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_str(j, "free_lists", z->lists == ML_LISTS_OK ? "ok"
	       : z->lists == ML_LISTS_MISMATCH ? "mismatch"
	       : z->lists == ML_LISTS_UNREADABLE ? "not_in_dump"
	       : z->lists == ML_LISTS_CORRUPT ? "corrupt" : "interrupted");
	mj_uint(j, "lists_not_in_dump", z->lists_unreadable);
	mj_uint(j, "lists_corrupt", z->lists_corrupt);
	mj_arr(j, "unusable_index");
	for (o = 0; o < c->nr_orders; o++)
		mj_double(j, NULL, z->unusable[o] / 1000.0, 3);
	mj_arr_end(j);
	mj_arr(j, "extfrag_index");
	for (o = 0; o < c->nr_orders; o++)
		mj_double(j, NULL, z->extfrag[o] / 1000.0, 3);
	mj_arr_end(j);
	mj_int(j, "largest_free_order", z->largest);
	mj_arr(j, "verdict");
	for (o = 0; o < c->nr_orders; o++)
		mj_str(j, NULL, ml_verdict_key(z->verdict[o]));
	mj_arr_end(j);
	ml_json_by_mt(j, c, "pageblocks", z->blocks_ok ? z->blocks : NULL);
	ml_json_by_mt(j, c, "mixed_pageblocks", c->mixed_state == ML_MIXED_OK ? z->mixed : NULL);
	mj_bool(j, "log_event_zone", z->event_zone);
	mj_obj_end(j);
}

/* the document's members: the kernel's constants, the log's event, every
 * zone (ml_zone_json) */
static void ml_zones_json(struct ml_json *j, const struct ml_zones_ctx *c)
{
	int i, mt;

	mj_int(j, "page_size", ml_feat.page_size);
	mj_int(j, "nr_orders", c->nr_orders);
	if (c->pb_order >= 0)
		mj_int(j, "pageblock_order", c->pb_order);
	else
		mj_null(j, "pageblock_order");
	mj_str(j, "pageblock_order_source", c->pb_source);
	mj_arr(j, "migratetypes");
	for (mt = 0; mt < c->nr_mt; mt++)
		mj_str(j, NULL, c->mt_names[mt]);
	mj_arr_end(j);
	/* pagetypeinfo's "Number of mixed blocks" (needs page_owner) */
	if (c->mixed_state == ML_MIXED_OK) {
		mj_null(j, "mixed_pageblocks_unavailable");
		mj_uint(j, "mixed_pfns_not_in_dump", c->mixed_unreadable);
	} else {
		mj_str(j, "mixed_pageblocks_unavailable", c->mixed_why ? c->mixed_why : "not computed");
	}
	if (c->ev.kind != ML_EVENT_NONE) {
		mj_obj(j, "log_event");
		mj_str(j, "kind", c->ev.kind == ML_EVENT_OOM ? "oom" : "page_allocation_failure");
		mj_int(j, "order", c->ev.order);
		if (c->ev.gfp_known)
			mj_uint(j, "gfp_mask", c->ev.gfp);
		mj_str(j, "highest_zone", c->ev_highest_name);
		mj_str(j, "line", c->ev_line);
		mj_obj_end(j);
	} else {
		mj_null(j, "log_event");
	}
	mj_arr(j, "zones");
	for (i = 0; i < c->nz; i++)
		ml_zone_json(j, c, &c->zones[i]);
	mj_arr_end(j);
}

/* ---- memleak zones --------------------------------------------------------- */

struct ml_zones_opts {
	bool json, buddy, pti;
	long order;		/* -o N, -1: every order */
};

/* false after a usage error (or -h) */
static bool ml_zones_opts(int argc, char **argv, struct ml_zones_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "buddyinfo", no_argument, NULL, 'b' },
		{ "pagetypeinfo", no_argument, NULL, 'p' },
		{ "order", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->order = -1;
	ml_opt_begin("zones", argc, argv);
	while ((ch = getopt_long(argc, argv, "jbpo:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': o->json = true; break;
		case 'b': o->buddy = true; break;
		case 'p': o->pti = true; break;
		case 'o':
			if (!ml_opt_num("-o", optarg, 0, ml_feat.nr_orders - 1, &o->order))
				return false;
			break;
		case 'h': ml_print_sub_help("zones"); return false;
		default:
			ml_opt_error("zones", argc, argv, longopts);
			return false;
		}
	}
	if (!ml_opt_end("zones", argc, argv))
		return false;
	if (o->json + o->buddy + o->pti > 1 || (o->order >= 0 && (o->buddy || o->pti))) {
		ml_usage_error("zones", "choose one of --json, --buddyinfo, --pagetypeinfo, -o");
		return false;
	}
	return true;
}

void ml_cmd_zones(int argc, char **argv)
{
	struct ml_zones_opts o;
	struct ml_zones_ctx *c;
	struct ml_report r;

	if (!ml_zones_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "zones", o.json);
	/* --buddyinfo needs only the counters */
	c = ml_zones_get(!o.buddy);
	if (!c) {
		ml_report_fail(&r);
		return;
	}
	if (o.pti || o.json)
		ml_zones_mixed(c);
	if (o.buddy)
		ml_zones_buddyinfo(c);
	else if (o.pti)
		ml_zones_pagetypeinfo(c);
	else if (o.json)
		ml_zones_json(&r.j, c);
	else if (o.order >= 0)
		ml_zones_one_order(c, o.order);
	else
		ml_zones_table(c);
	/* what the model left out: free lists not in the dump, an
	 * interrupted mixed-block walk */
	ml_report_end(&r);
}
