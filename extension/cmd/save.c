/*
 * save.c: "memleak save FILE" -- the first half of the before/after
 * workflow: a snapshot is one JSON document of what memleak sees in a dump
 * (doc/snapshot.md, versioned), written here and read by "memleak diff"
 * (cmd/diff.c), which also snapshots the current dump with
 * ml_snapshot_write(). Callers and stacks are keyed by symbol names, never
 * addresses (KASLR, other builds).
 *
 *   crash> memleak save before.json
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <getopt.h>

/* ---- writing ------------------------------------------------------------ */

/* schema, version, the kernel, the uptime and panic, the logged OOM */
static void ml_snapshot_head(struct ml_json *j, const struct ml_seen *s)
{
	mj_str(j, "schema", "memleak-snapshot");
	mj_int(j, "version", ML_SNAPSHOT_VERSION);
	mj_str(j, "memleak", ML_VERSION);
	mj_obj(j, "kernel");
	mj_str(j, "release", ml_feat.release);
	mj_str(j, "machine", ml_feat.machine);
	mj_int(j, "page_size", ml_feat.page_size);
	mj_obj_end(j);
	mj_double(j, "uptime_s", s->uptime_s, 2);
	mj_str(j, "panic", s->panic);
	if (s->zones && s->zones->ev.kind != ML_EVENT_NONE) {
		mj_obj(j, "oom");
		mj_str(j, "line", s->zones->ev_line);
		mj_int(j, "order", s->zones->ev.order);
		mj_obj_end(j);
	} else {
		mj_null(j, "oom");
	}
}

/* "meminfo" lines (those computable) and "ledger" items, pages */
static void ml_snapshot_meminfo(struct ml_json *j, const struct ml_seen *s)
{
	int i;

	mj_arr(j, "meminfo");
	for (i = 0; s->mi_ok && i < s->mi.n; i++) {
		if (s->mi.l[i].why)
			continue;
		mj_obj(j, NULL);
		mj_str(j, "name", s->mi.l[i].name);
		mj_uint(j, "value", s->mi.l[i].val);
		mj_str(j, "unit", s->mi.l[i].kb ? "kB" : "");
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_arr(j, "ledger");
	for (i = 0; s->mi_ok && i <= ML_LG_NR; i++) {
		mj_obj(j, NULL);
		mj_str(j, "item", i < ML_LG_NR ? ml_ledger_name(i) : "unaccounted");
		mj_int(j, "pages", i < ML_LG_NR ? s->mi.ledger.item[i] : s->mi.ledger.unaccounted);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

/* "zones": every zone as `memleak zones --json` shows it (version 2; in
 * version 1, rows per zone and order: diff.c reads both) */
static void ml_snapshot_zones(struct ml_json *j, const struct ml_seen *s)
{
	int i;

	mj_arr(j, "zones");
	for (i = 0; s->zones && i < s->zones->nz; i++)
		ml_zone_json(j, s->zones, &s->zones->zones[i]);
	mj_arr_end(j);
}

/* "slab_caches" and "callsites" */
static void ml_snapshot_slab(struct ml_json *j, const struct ml_seen *s)
{
	unsigned long long psz = PAGESIZE();
	size_t k;

	mj_arr(j, "slab_caches");
	for (k = 0; s->slab_ok && k < s->slab.n; k++) {
		struct ml_scache *c = &s->slab.caches[k];

		mj_obj(j, NULL);
		mj_str(j, "name", c->name);
		mj_uint(j, "object_size", c->object_size);
		mj_uint(j, "active", c->active);
		mj_uint(j, "total", c->total);
		mj_uint(j, "bytes", (unsigned long long)c->pages * psz);
		mj_bool(j, "store_user", c->store_user);
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_arr(j, "callsites");
	for (k = 0; k < s->ncs; k++) {
		struct ml_callsite *c = &s->cs[k];

		mj_obj(j, NULL);
		mj_str(j, "cache", c->cache);
		mj_str(j, "caller", c->caller);
		mj_uint(j, "count", c->count);
		mj_uint(j, "bytes", c->bytes);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

/* "page_owner": available (or why not), and its stacks */
static void ml_snapshot_pageowner(struct ml_json *j, const struct ml_seen *s)
{
	size_t k;

	mj_obj(j, "page_owner");
	mj_bool(j, "available", s->po_ok);
	if (s->po_why)
		mj_str(j, "why", s->po_why);
	mj_arr(j, "stacks");
	for (k = 0; k < s->nps; k++) {
		struct ml_postack *p = &s->ps[k];

		mj_obj(j, NULL);
		mj_str(j, "caller", p->caller);
		mj_str(j, "stack", p->key);
		mj_uint(j, "allocations", p->g->allocations);
		mj_uint(j, "pages", p->g->pages);
		mj_uint(j, "unaccounted_pages", p->unaccounted);
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_obj_end(j);
}

/* "orphans": the orphan scan's unreferenced objects by kind, cache and
 * caller; "orphans_available": whether the scan ran to its end */
static void ml_snapshot_orphans(struct ml_json *j, const struct ml_seen *s)
{
	size_t k;

	mj_bool(j, "orphans_available", s->orph_ok);
	mj_arr(j, "orphans");
	for (k = 0; k < s->nos; k++) {
		const struct ml_orphan_site *o = &s->os[k];

		mj_obj(j, NULL);
		mj_str(j, "kind", o->kind);
		mj_str(j, "where", o->where);
		mj_str(j, "caller", o->caller);
		mj_uint(j, "count", o->count);
		mj_uint(j, "bytes", o->bytes);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

/* "dma_buf_exporters", "vmalloc_callers" and "processes": what no counter
 * splits by owner, keyed by exporter, caller symbol and comm (never
 * addresses or pids: other boots). A part that could not be read is left
 * out, so diff takes it for no change; a kernel without dma-buf has none */
/* "cma_areas" (pages) by name and "zram_devices" (bytes) by device */
static void ml_snapshot_cma_zram(struct ml_json *j, const struct ml_seen *s)
{
	size_t k;

	if (s->cma_ok || s->cma_none) {
		mj_arr(j, "cma_areas");
		for (k = 0; k < s->cma.n; k++) {
			mj_obj(j, NULL);
			mj_str(j, "name", s->cma.v[k].name);
			mj_uint(j, "count", s->cma.v[k].count);
			mj_uint(j, "used", s->cma.v[k].used);
			mj_obj_end(j);
		}
		mj_arr_end(j);
	}
	if (!s->zram_ok && !s->zram_none)
		return;
	mj_arr(j, "zram_devices");
	for (k = 0; k < s->zram.n; k++) {
		const struct ml_zram_dev *z = &s->zram.v[k];
		char name[32];

		snprintf(name, sizeof(name), "zram%lu", z->index);
		mj_obj(j, NULL);
		mj_str(j, "device", name);
		mj_uint(j, "mem_used_total", z->stat[ML_ZS_MEM_USED_TOTAL]);
		mj_uint(j, "orig_data_size", z->stat[ML_ZS_ORIG_DATA_SIZE]);
		mj_uint(j, "compr_data_size", z->stat[ML_ZS_COMPR_DATA_SIZE]);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

static void ml_snapshot_outside(struct ml_json *j, const struct ml_seen *s)
{
	long long kb = ml_feat.page_size / 1024;
	size_t k;

	if (s->dbuf_ok || s->dbuf_none) {
		mj_arr(j, "dma_buf_exporters");
		for (k = 0; k < s->ndbx; k++) {
			const struct ml_seen_exporter *x = &s->dbx[k];

			mj_obj(j, NULL);
			mj_str(j, "exporter", x->exporter);
			mj_uint(j, "buffers", x->buffers);
			mj_uint(j, "bytes", x->bytes);
			mj_uint(j, "unheld_buffers", x->unheld_buffers);
			mj_uint(j, "unheld_bytes", x->unheld_bytes);
			mj_obj_end(j);
		}
		mj_arr_end(j);
	}
	if (s->vm_ok) {
		mj_arr(j, "vmalloc_callers");
		for (k = 0; k < s->nvmc; k++) {
			mj_obj(j, NULL);
			mj_str(j, "caller", s->vmc[k].caller);
			mj_uint(j, "areas", s->vmc[k].areas);
			mj_uint(j, "bytes", s->vmc[k].bytes);
			mj_uint(j, "pages", s->vmc[k].pages);
			mj_obj_end(j);
		}
		mj_arr_end(j);
	}
	ml_snapshot_cma_zram(j, s);
	if (!s->procs_ok)
		return;
	mj_arr(j, "processes");
	for (k = 0; k < s->ncomms; k++) {
		const struct ml_seen_comm *c = &s->comms[k];

		mj_obj(j, NULL);
		mj_str(j, "comm", c->comm);
		mj_uint(j, "tasks", c->tasks);
		mj_int(j, "rss_kb", ml_proc_rss(c->pages) * kb);
		mj_int(j, "anon_kb", c->pages[ML_RSS_ANON] * kb);
		mj_int(j, "file_kb", c->pages[ML_RSS_FILE] * kb);
		mj_int(j, "shmem_kb", c->pages[ML_RSS_SHMEM] * kb);
		mj_int(j, "swap_kb", c->pages[ML_RSS_SWAP] * kb);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

void ml_snapshot_write(const struct ml_seen *s, FILE *out)
{
	struct ml_json j;

	mj_init(&j, out, true);
	mj_obj(&j, NULL);
	ml_snapshot_head(&j, s);
	ml_snapshot_meminfo(&j, s);
	ml_snapshot_zones(&j, s);
	ml_snapshot_slab(&j, s);
	ml_snapshot_pageowner(&j, s);
	ml_snapshot_orphans(&j, s);
	ml_snapshot_outside(&j, s);
	mj_obj_end(&j);
	mj_end(&j);
}

/* ---- memleak save ----------------------------------------------------------- */

/* the snapshot of s into path; false after ml_fail() */
static bool ml_snapshot_save(const struct ml_seen *s, const char *path)
{
	FILE *out = fopen(path, "w");

	if (!out) {
		ml_fail("%s: %s", path, strerror(errno));
		return false;
	}
	ml_snapshot_write(s, out);
	if (fclose(out) != 0) {
		ml_fail("%s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

void ml_cmd_save(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_report r;
	struct ml_seen *s;
	const char *path;
	char cwd[PATH_MAX];
	int c;

	ml_opt_begin("save", argc, argv);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			ml_print_sub_help("save");
			return;
		}
		ml_opt_error("save", argc, argv, longopts);
		return;
	}
	if (argc - optind != 1) {
		ml_usage_error("save", argc - optind ? "one FILE only" : "FILE missing");
		return;
	}
	path = argv[optind];
	s = ml_seen_collect();
	ml_report_begin(&r, "save", false);
	if (!s || ml_interrupted()) {
		ml_fail("interrupted, nothing written");
		ml_report_fail(&r);
		return;
	}
	if (!ml_snapshot_save(s, path)) {
		ml_report_fail(&r);
		return;
	}
	fprintf(fp, "memleak save: snapshot written to %s%s%s (%zu caches, %zu callsites, "
		"%zu page_owner stacks%s)\n",
		path[0] == '/' ? "" : (getcwd(cwd, sizeof(cwd)) ? cwd : "."),
		path[0] == '/' ? "" : "/", path, s->slab_ok ? s->slab.n : 0,
		s->ncs, s->nps, s->po_ok ? "" : ": page_owner unavailable");
	ml_report_end(&r);
}
