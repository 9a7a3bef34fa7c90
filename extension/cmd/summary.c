/*
 * summary.c: "memleak summary" -- the verdict on one screen, built from the
 * evidence collect/evidence.c gathers (zones, meminfo, slabtop, pageowner):
 * the dump and its OOM report, the ledger, the zone state for the failing
 * order, top caches, callsites and page_owner stacks, what no counter
 * splits by owner (dma-bufs, vmalloc callers, processes), the ranked leak
 * suspects with their evidence, and what this dump could not show.
 *
 *   crash> memleak summary [--top N] [--json]
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

/* ---- text ---------------------------------------------------------------- */

static void ml_summary_text_dump(const struct ml_seen *s)
{
	fprintf(fp, "DUMP      %s (%s), uptime %s", ml_feat.release, ml_feat.machine, s->uptime);
	if (s->panic[0])
		fprintf(fp, ", panic: \"%s\"", s->panic);
	fputc('\n', fp);
}

/* the logged OOM or allocation failure and the zones it could use; without
 * one, every zone's free pages */
static void ml_summary_text_zones(const struct ml_seen *s)
{
	struct ml_zones_ctx *z = s->zones;
	int o, i;

	if (!z)
		return;
	if (z->ev.kind == ML_EVENT_NONE) {
		fprintf(fp, "OOM       none in the kernel log\nZONES    ");
		for (i = 0; i < z->nz; i++)
			fprintf(fp, " %d/%s free %ld largest order %d;", z->zones[i].node,
				z->zones[i].name, z->zones[i].free, z->zones[i].largest);
		fputc('\n', fp);
		return;
	}
	o = z->ev.order;
	fprintf(fp, "OOM       %s\n", z->ev_line);
	fprintf(fp, "          %s: order-%d request, gfp %#lx, zones up to %s\n",
		z->ev.kind == ML_EVENT_OOM ? "OOM" : "allocation failure", o,
		z->ev.gfp_known ? z->ev.gfp : 0UL, z->ev_highest_name);
	if (s->victim[0])
		fprintf(fp, "          %s\n", s->victim);
	for (i = 0; i < s->nshowmem; i++)
		fprintf(fp, "          %s\n", s->showmem[i]);
	fprintf(fp, "ZONES     order-%d requests at the dump:\n", o);
	for (i = 0; i < z->nz; i++) {
		struct ml_zone *zz = &z->zones[i];

		if (!zz->event_zone || o < 0 || o >= z->nr_orders)
			continue;
		fprintf(fp, "          node %d %-8s free %ld, min %lu, largest free order %d: %s%s\n",
			zz->node, zz->name, zz->free, zz->wmark[0] + zz->boost, zz->largest,
			ml_verdict_str(zz->verdict[o]),
			zz->verdict[o] == ML_VERDICT_OOM ? " (exhaustion)" :
			zz->verdict[o] == ML_VERDICT_FRAGMENTED ? " (fragmentation)" : "");
	}
}

static void ml_summary_text_ledger(const struct ml_seen *s)
{
	const struct ml_ledger *l = &s->mi.ledger;
	double t = l->total ? (double)l->total : 1;
	unsigned long long psz = PAGESIZE();
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32];

	if (!s->mi_ok)
		return;
	fprintf(fp, "LEDGER    MemTotal %s: free %s, slab %s, page cache %s, anon %s, "
		"unaccounted %s (%.1f%%)\n",
		ml_human_bytes(l->total * psz, b1, sizeof(b1)),
		ml_human_bytes((l->item[ML_LG_FREE] + l->item[ML_LG_PCP]) * psz, b2, sizeof(b2)),
		ml_human_bytes((l->item[ML_LG_SLAB_RECLAIMABLE] +
				l->item[ML_LG_SLAB_UNRECLAIMABLE]) * psz, b3, sizeof(b3)),
		ml_human_bytes(l->item[ML_LG_FILE] * psz, b4, sizeof(b4)),
		ml_human_bytes(l->item[ML_LG_ANON] * psz, b5, sizeof(b5)),
		ml_human_bytes(l->unaccounted * psz, b6, sizeof(b6)),
		100.0 * l->unaccounted / t);
}

/* the top caches by memory, and the top callsites */
static void ml_summary_text_slab(const struct ml_seen *s, long top)
{
	struct ml_scache **v;
	size_t n = s->slab.n, a, bb, k;
	unsigned long long psz = PAGESIZE();
	char b1[32];

	if (!s->slab_ok)
		return;
	v = ml_alloc((n + 1) * sizeof(*v));
	for (k = 0; k < n; k++)
		v[k] = &s->slab.caches[k];
	/* by memory, largest first (a short insertion sort: top only) */
	for (a = 0; a < n && (long)a < top; a++)
		for (bb = a + 1; bb < n; bb++)
			if (v[bb]->pages > v[a]->pages) {
				struct ml_scache *t = v[a];

				v[a] = v[bb];
				v[bb] = t;
			}
	fprintf(fp, "CACHES   ");
	for (k = 0; k < n && (long)k < top; k++)
		fprintf(fp, " %s %s (%lu objs)%s", v[k]->name,
			ml_human_bytes((unsigned long long)v[k]->pages * psz, b1, sizeof(b1)),
			v[k]->active, k + 1 < n && (long)k + 1 < top ? "," : "");
	fputc('\n', fp);
	fprintf(fp, "CALLSITES");
	for (k = 0; k < s->ncs && (long)k < top; k++)
		fprintf(fp, "%s %lu x %s %s (%s)", k ? "\n         " : "", s->cs[k].count,
			s->cs[k].caller, s->cs[k].cache,
			ml_human_bytes(s->cs[k].bytes, b1, sizeof(b1)));
	if (!s->ncs)
		fprintf(fp, " none: no cache has alloc tracks");
	fputc('\n', fp);
}

static void ml_summary_text_pageowner(const struct ml_seen *s, long top)
{
	char b1[32];
	size_t k;

	if (!s->po_ok)
		return;
	fprintf(fp, "PAGEOWNER %lu allocations, %s; top stacks by pages:\n", s->po.allocations,
		ml_human_bytes((unsigned long long)s->po.pages * PAGESIZE(), b1, sizeof(b1)));
	for (k = 0; k < s->nps && (long)k < top; k++)
		fprintf(fp, "          %lu pages, %lu allocations: %s\n", s->ps[k].g->pages,
			s->ps[k].g->allocations, s->ps[k].caller);
}

/* the CMA areas' use and the zram pools; nothing for a kernel without */
static void ml_summary_text_cma_zram(const struct ml_seen *s)
{
	char b1[32], b2[32];
	size_t k;

	if (s->cma_ok && s->cma.n) {
		fprintf(fp, "CMA       %zu area%s, %s, %lu pages used (%s):", s->cma.n,
			s->cma.n == 1 ? "" : "s",
			ml_human_bytes((unsigned long long)s->cma.count * PAGESIZE(), b1, sizeof(b1)),
			s->cma.used,
			ml_human_bytes((unsigned long long)s->cma.used * PAGESIZE(), b2, sizeof(b2)));
		for (k = 0; k < s->cma.n; k++)
			fprintf(fp, "%s %s %lu/%lu", k ? "," : "", s->cma.v[k].name, s->cma.v[k].used,
				s->cma.v[k].count);
		fputc('\n', fp);
	}
	if (!s->zram_ok || !s->zram.n)
		return;
	fprintf(fp, "ZRAM      zsmalloc pools %lu pages (%s):", s->zram.pool_pages,
		ml_human_bytes((unsigned long long)s->zram.pool_pages * PAGESIZE(), b1, sizeof(b1)));
	for (k = 0; k < s->zram.n; k++)
		fprintf(fp, "%s zram%lu stores %s", k ? "," : "", s->zram.v[k].index,
			ml_human_bytes(s->zram.v[k].stat[ML_ZS_ORIG_DATA_SIZE], b2, sizeof(b2)));
	fputc('\n', fp);
}

/* what no counter splits by owner: dma-bufs (and those no process holds),
 * the top vmalloc callers, the top processes by rss; a part that could not
 * be read is left out (its warning says why) */
static void ml_summary_text_outside(const struct ml_seen *s, long top)
{
	unsigned long long psz = PAGESIZE();
	char b1[32], b2[32], b3[32];
	size_t k;

	if (s->dbuf_none)
		fprintf(fp, "DMA-BUF   none: this kernel has no dma-buf (CONFIG_DMA_SHARED_BUFFER)\n");
	if (s->dbuf_ok) {
		fprintf(fp, "DMA-BUF   %zu buffers, %s; %lu held by no process (%s)%s", s->dbuf.n,
			ml_human_bytes(s->dbuf.bytes, b1, sizeof(b1)), s->dbuf.unheld,
			ml_human_bytes(s->dbuf.unheld_bytes, b2, sizeof(b2)),
			s->ndbx ? "; by exporter:" : "");
		for (k = 0; k < s->ndbx && (long)k < top; k++)
			fprintf(fp, " %s %s (%lu)%s", s->dbx[k].exporter[0] ? s->dbx[k].exporter : "-",
				ml_human_bytes(s->dbx[k].bytes, b1, sizeof(b1)), s->dbx[k].buffers,
				k + 1 < s->ndbx && (long)k + 1 < top ? "," : "");
		fputc('\n', fp);
	}
	if (s->vm_ok) {
		fprintf(fp, "VMALLOC   %zu areas, %s, %llu pages; top callers by bytes:\n",
			(size_t)(s->vm.n - s->vm.map_ram), ml_human_bytes(s->vm.bytes, b1, sizeof(b1)),
			s->vm.pages);
		for (k = 0; k < s->nvmc && (long)k < top; k++)
			fprintf(fp, "          %s, %lu area%s: %s\n",
				ml_human_bytes(s->vmc[k].bytes, b1, sizeof(b1)), s->vmc[k].areas,
				s->vmc[k].areas == 1 ? "" : "s",
				s->vmc[k].caller[0] ? s->vmc[k].caller : "(no caller)");
	}
	if (!s->procs_ok)
		return;
	fprintf(fp, "PROCESSES %zu user processes, rss %s (each address space once); top by rss:\n",
		s->procs.n,
		ml_human_bytes((unsigned long long)ml_proc_rss(s->procs.kept.pages) * psz, b1,
			       sizeof(b1)));
	for (k = 0; k < s->procs.n && (long)k < top; k++) {
		const struct ml_proc *p = &s->procs.v[k];

		fprintf(fp, "          %s rss, anon %s, swap %s: pid %lu %s\n",
			ml_human_bytes((unsigned long long)ml_proc_rss(p->pages) * psz, b1, sizeof(b1)),
			ml_human_bytes((unsigned long long)p->pages[ML_RSS_ANON] * psz, b2, sizeof(b2)),
			ml_human_bytes((unsigned long long)p->pages[ML_RSS_SWAP] * psz, b3, sizeof(b3)),
			p->tgid, p->comm);
	}
}

static void ml_summary_text_suspects(const struct ml_seen *s, long top)
{
	char b1[32];
	size_t k;

	fprintf(fp, "\nSUSPECTS (ranked by evidence: bytes weighed by the unreferenced share, "
		"module stacks, kmemleak; allocated at boot last)\n");
	for (k = 0; k < s->nsus && (long)k < top; k++) {
		struct ml_suspect *x = &s->sus[k];
		unsigned int f;

		fprintf(fp, "%2d. [%s] %s: %s, %lu\n    %s%s\n    why: %s\n", x->rank, x->kind,
			x->what, ml_human_bytes(x->bytes, b1, sizeof(b1)), x->count, x->evidence,
			x->boot ? " (allocated at boot)" : "", x->why);
		for (f = 0; f < x->nr && f < 8; f++)
			fprintf(fp, "      %s\n", ml_symbolize(x->stack[f]));
		if (x->nr > 8)
			fprintf(fp, "      ...\n");
	}
	if (!s->nsus)
		fprintf(fp, "    none\n");
}

static void ml_summary_text(const struct ml_seen *s, long top)
{
	const char *miss[8];
	int nm, i;

	ml_summary_text_dump(s);
	ml_summary_text_zones(s);
	ml_summary_text_ledger(s);
	ml_summary_text_slab(s, top);
	ml_summary_text_pageowner(s, top);
	ml_summary_text_outside(s, top);
	ml_summary_text_cma_zram(s);
	ml_summary_text_suspects(s, top);
	nm = ml_seen_missing(s, miss, 8);
	if (nm) {
		fprintf(fp, "\nNOT IN THIS DUMP\n");
		for (i = 0; i < nm; i++)
			fprintf(fp, "  - %s\n", miss[i]);
	}
}

/* ---- JSON ---------------------------------------------------------------- */

static void ml_summary_json_dump(struct ml_json *j, const struct ml_seen *s)
{
	mj_obj(j, "dump");
	mj_str(j, "release", ml_feat.release);
	mj_str(j, "machine", ml_feat.machine);
	mj_double(j, "uptime_s", s->uptime_s, 2);
	mj_str(j, "panic", s->panic);
	mj_obj_end(j);
}

/* "oom": the logged OOM or allocation failure and its zones, or null */
static void ml_summary_json_oom(struct ml_json *j, const struct ml_seen *s)
{
	struct ml_zones_ctx *z = s->zones;
	int o, i;

	if (!z || z->ev.kind == ML_EVENT_NONE) {
		mj_null(j, "oom");
		return;
	}
	o = z->ev.order;
	mj_obj(j, "oom");
	mj_str(j, "kind", z->ev.kind == ML_EVENT_OOM ? "oom" : "allocation_failure");
	mj_str(j, "line", z->ev_line);
	mj_int(j, "order", o);
	if (z->ev.gfp_known)
		mj_uint(j, "gfp", z->ev.gfp);
	mj_str(j, "highest_zone", z->ev_highest_name);
	mj_str(j, "victim", s->victim);
	mj_arr(j, "show_mem");
	for (i = 0; i < s->nshowmem; i++)
		mj_str(j, NULL, s->showmem[i]);
	mj_arr_end(j);
	/* the zones the request could use, each as `memleak zones --json`
	 * shows a zone: its verdict at the request's order is verdict[order] */
	mj_arr(j, "zones");
	for (i = 0; i < z->nz; i++)
		if (z->zones[i].event_zone && o >= 0 && o < z->nr_orders)
			ml_zone_json(j, z, &z->zones[i]);
	mj_arr_end(j);
	mj_obj_end(j);
}

/* "ledger" (when meminfo was read), "callsites" and "page_owner_stacks"
 * (when page_owner was read), top of each */
static void ml_summary_json_counts(struct ml_json *j, const struct ml_seen *s, long top)
{
	size_t k;
	int i;

	if (s->mi_ok) {
		mj_obj(j, "ledger");
		mj_uint(j, "total", s->mi.ledger.total);
		for (i = 0; i < ML_LG_NR; i++)
			mj_int(j, ml_ledger_name(i), s->mi.ledger.item[i]);
		mj_int(j, "unaccounted", s->mi.ledger.unaccounted);
		mj_obj_end(j);
	}
	mj_arr(j, "callsites");
	for (k = 0; k < s->ncs && (long)k < top; k++) {
		mj_obj(j, NULL);
		mj_str(j, "cache", s->cs[k].cache);
		mj_str(j, "caller", s->cs[k].caller);
		mj_uint(j, "count", s->cs[k].count);
		mj_uint(j, "bytes", s->cs[k].bytes);
		mj_obj_end(j);
	}
	mj_arr_end(j);
	if (!s->po_ok)
		return;
	mj_arr(j, "page_owner_stacks");
	for (k = 0; k < s->nps && (long)k < top; k++) {
		mj_obj(j, NULL);
		mj_str(j, "caller", s->ps[k].caller);
		mj_uint(j, "allocations", s->ps[k].g->allocations);
		mj_uint(j, "pages", s->ps[k].g->pages);
		mj_uint(j, "unaccounted_pages", s->ps[k].unaccounted);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

/* "cma" and "zram" of "outside_counters": null when unreadable */
static void ml_summary_json_cma_zram(struct ml_json *j, const struct ml_seen *s)
{
	size_t k;

	if (s->cma_ok || s->cma_none) {
		mj_obj(j, "cma");
		mj_bool(j, "in_kernel", !s->cma_none);
		mj_uint(j, "count", s->cma.count);
		mj_uint(j, "used", s->cma.used);
		mj_arr(j, "areas");
		for (k = 0; k < s->cma.n; k++) {
			mj_obj(j, NULL);
			mj_str(j, "name", s->cma.v[k].name);
			mj_uint(j, "count", s->cma.v[k].count);
			mj_uint(j, "used", s->cma.v[k].used);
			mj_uint(j, "maxchunk", s->cma.v[k].maxchunk);
			mj_obj_end(j);
		}
		mj_arr_end(j);
		mj_obj_end(j);
	} else {
		mj_null(j, "cma");
	}
	if (!s->zram_ok && !s->zram_none) {
		mj_null(j, "zram");
		return;
	}
	mj_obj(j, "zram");
	mj_bool(j, "in_kernel", !s->zram_none);
	mj_uint(j, "pool_pages", s->zram.pool_pages);
	mj_arr(j, "devices");
	for (k = 0; k < s->zram.n; k++) {
		const struct ml_zram_dev *z = &s->zram.v[k];
		char name[32];

		snprintf(name, sizeof(name), "zram%lu", z->index);
		mj_obj(j, NULL);
		mj_str(j, "device", name);
		mj_uint(j, "orig_data_size", z->stat[ML_ZS_ORIG_DATA_SIZE]);
		mj_uint(j, "compr_data_size", z->stat[ML_ZS_COMPR_DATA_SIZE]);
		mj_uint(j, "mem_used_total", z->stat[ML_ZS_MEM_USED_TOTAL]);
		mj_uint(j, "pool_pages", z->pool_pages);
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_obj_end(j);
}

/* "outside_counters": {"dma_buf", "vmalloc", "processes"}, each null when
 * it could not be read; the top of each */
static void ml_summary_json_outside(struct ml_json *j, const struct ml_seen *s, long top)
{
	long long kb = ml_feat.page_size / 1024;
	size_t k;

	mj_obj(j, "outside_counters");
	if (s->dbuf_ok || s->dbuf_none) {
		mj_obj(j, "dma_buf");
		mj_bool(j, "in_kernel", !s->dbuf_none);
		mj_uint(j, "buffers", s->dbuf.n);
		mj_uint(j, "bytes", s->dbuf.bytes);
		mj_uint(j, "unheld_buffers", s->dbuf.unheld);
		mj_uint(j, "unheld_bytes", s->dbuf.unheld_bytes);
		mj_arr(j, "exporters");
		for (k = 0; k < s->ndbx && (long)k < top; k++) {
			mj_obj(j, NULL);
			mj_str(j, "exporter", s->dbx[k].exporter);
			mj_uint(j, "buffers", s->dbx[k].buffers);
			mj_uint(j, "bytes", s->dbx[k].bytes);
			mj_uint(j, "unheld_buffers", s->dbx[k].unheld_buffers);
			mj_uint(j, "unheld_bytes", s->dbx[k].unheld_bytes);
			mj_obj_end(j);
		}
		mj_arr_end(j);
		mj_obj_end(j);
	} else {
		mj_null(j, "dma_buf");
	}
	if (s->vm_ok) {
		mj_obj(j, "vmalloc");
		mj_uint(j, "areas", s->vm.n - s->vm.map_ram);
		mj_uint(j, "bytes", s->vm.bytes);
		mj_uint(j, "pages", s->vm.pages);
		mj_arr(j, "callers");
		for (k = 0; k < s->nvmc && (long)k < top; k++) {
			mj_obj(j, NULL);
			mj_str(j, "caller", s->vmc[k].caller);
			mj_uint(j, "areas", s->vmc[k].areas);
			mj_uint(j, "bytes", s->vmc[k].bytes);
			mj_uint(j, "pages", s->vmc[k].pages);
			mj_obj_end(j);
		}
		mj_arr_end(j);
		mj_obj_end(j);
	} else {
		mj_null(j, "vmalloc");
	}
	if (s->procs_ok) {
		mj_arr(j, "processes");
		for (k = 0; k < s->procs.n && (long)k < top; k++) {
			const struct ml_proc *p = &s->procs.v[k];

			mj_obj(j, NULL);
			mj_uint(j, "pid", p->tgid);
			mj_str(j, "comm", p->comm);
			mj_int(j, "rss_kb", ml_proc_rss(p->pages) * kb);
			mj_int(j, "anon_kb", p->pages[ML_RSS_ANON] * kb);
			mj_int(j, "file_kb", p->pages[ML_RSS_FILE] * kb);
			mj_int(j, "shmem_kb", p->pages[ML_RSS_SHMEM] * kb);
			mj_int(j, "swap_kb", p->pages[ML_RSS_SWAP] * kb);
			mj_obj_end(j);
		}
		mj_arr_end(j);
	} else {
		mj_null(j, "processes");
	}
	ml_summary_json_cma_zram(j, s);
	mj_obj_end(j);
}

static void ml_summary_json_suspects(struct ml_json *j, const struct ml_seen *s, long top)
{
	size_t k;

	mj_arr(j, "suspects");
	for (k = 0; k < s->nsus && (long)k < top; k++) {
		struct ml_suspect *x = &s->sus[k];
		unsigned int f;

		mj_obj(j, NULL);
		mj_int(j, "rank", x->rank);
		mj_str(j, "kind", x->kind);
		mj_str(j, "what", x->what);
		mj_uint(j, "bytes", x->bytes);
		mj_uint(j, "count", x->count);
		mj_str(j, "evidence", x->evidence);
		mj_bool(j, "boot", x->boot);
		mj_str(j, "why", x->why);
		mj_double(j, "score", x->score, 0);
		if (x->judged) {
			mj_uint(j, "unreferenced", x->unref);
			mj_double(j, "unreferenced_share",
				  x->count ? (x->unref > x->count ? 1.0 : (double)x->unref / x->count)
					   : 0, 3);
		} else {
			mj_null(j, "unreferenced");
			mj_null(j, "unreferenced_share");
		}
		mj_uint(j, "kmemleak_reported", x->kmemleak);
		if (x->module)
			mj_str(j, "module", x->module);
		else
			mj_null(j, "module");
		if (x->tagged) {
			mj_obj(j, "allocinfo");
			mj_uint(j, "bytes", x->tag_bytes);
			mj_uint(j, "calls", x->tag_calls);
			mj_obj_end(j);
		} else {
			mj_null(j, "allocinfo");
		}
		mj_arr(j, "stack");
		for (f = 0; f < x->nr; f++)
			mj_str(j, NULL, ml_symbolize(x->stack[f]));
		mj_arr_end(j);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

static void ml_summary_json(struct ml_json *j, const struct ml_seen *s, long top)
{
	const char *miss[8];
	int nm, i;

	ml_summary_json_dump(j, s);
	ml_summary_json_oom(j, s);
	ml_summary_json_counts(j, s, top);
	ml_summary_json_outside(j, s, top);
	ml_summary_json_suspects(j, s, top);
	nm = ml_seen_missing(s, miss, 8);
	mj_arr(j, "missing");
	for (i = 0; i < nm; i++)
		mj_str(j, NULL, miss[i]);
	mj_arr_end(j);
}

/* ---- memleak summary ------------------------------------------------------ */

void ml_cmd_summary(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool json = false;
	long top = 5;
	struct ml_report r;
	struct ml_seen *s;
	int c;

	ml_opt_begin("summary", argc, argv);
	while ((c = getopt_long(argc, argv, "jn:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 1, LONG_MAX, &top))
				return;
			break;
		case 'h': ml_print_sub_help("summary"); return;
		default:
			ml_opt_error("summary", argc, argv, longopts);
			return;
		}
	}
	if (!ml_opt_end("summary", argc, argv))
		return;
	s = ml_seen_collect();
	ml_report_begin(&r, "summary", json);
	if (!s || ml_interrupted()) {
		ml_report_fail(&r);
		return;
	}
	ml_seen_suspects(s);
	if (json)
		ml_summary_json(&r.j, s, top);
	else
		ml_summary_text(s, top);
	ml_report_end(&r);
}
