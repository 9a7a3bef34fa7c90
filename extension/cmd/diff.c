/*
 * diff.c: "memleak diff OLD [NEW]" -- the second half of the before/after
 * workflow: reads two snapshots (cmd/save.c; the current dump is
 * snapshotted in memory when NEW is not given) with the JSON reader
 * pure/mljson.c and reports the growth per meminfo line, ledger item, zone
 * and order, slab cache, callsite, page_owner stack, unreferenced
 * callsite, dma-buf exporter, vmalloc caller and process comm, largest
 * growth first. Callers and stacks are keyed by symbol names, never addresses
 * (KASLR, other builds).
 *
 *   crash> memleak diff before.json [after.json] [-c CACHE] [-m MODULE] [--top N] [--json]
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>

/* ---- reading ------------------------------------------------------------ */

/*
 * "zones" as rows per node, zone and order, the form diff compares: a
 * version-1 snapshot has them; version 2 holds zone objects as `memleak
 * zones --json` shows them, whose free_area[] becomes the rows here (and
 * the zone's free pages the row of order "all"). v itself, or NULL after
 * ml_fail().
 */
static struct mlj_value *ml_snapshot_zone_rows(struct mlj_value *v, const char *what)
{
	const struct mlj_value *zones = mlj_get(v, "zones");
	struct mlj_value *rows;
	char *buf = NULL, perr[128];
	size_t len = 0, i, k, o;
	FILE *m;

	if (!zones || !mlj_len(zones) || !mlj_get(mlj_at(zones, 0), "free_area"))
		return v;
	m = open_memstream(&buf, &len);
	if (!m) {
		ml_fail("open_memstream: %s", strerror(errno));
		return NULL;
	}
	fputc('[', m);
	for (i = 0; i < mlj_len(zones); i++) {
		const struct mlj_value *z = mlj_at(zones, i), *fa = mlj_get(z, "free_area");
		long long node = mlj_int(z, "node", -1);
		const char *name = mlj_str(z, "zone", "?");

		/* zone names are the kernel's (DMA, DMA32, Normal, ...): no escapes */
		fprintf(m, "%s{\"node\":%lld,\"zone\":\"%s\",\"order\":\"all\",\"free_pages\":%lld,"
			"\"managed\":%lld}", i ? "," : "", node, name, mlj_int(z, "free", 0),
			mlj_int(z, "managed", 0));
		for (o = 0; o < mlj_len(fa); o++) {
			const struct mlj_value *a = mlj_at(fa, o);

			fprintf(m, ",{\"node\":%lld,\"zone\":\"%s\",\"order\":%lld,"
				"\"free_blocks\":%lld,\"free_pages\":%lld}", node, name,
				mlj_int(a, "order", (long long)o), mlj_int(a, "nr_free", 0),
				mlj_int(a, "pages", 0));
		}
	}
	fputc(']', m);
	fclose(m);
	rows = mlj_parse(buf, len, perr, sizeof(perr));
	free(buf);
	if (!rows) {
		ml_fail("%s: its zones: %s", what, perr);
		return NULL;
	}
	for (k = 0; k < v->n; k++)
		if (!strcmp(v->keys[k], "zones"))
			v->items[k] = rows;
	return v;
}

/* the snapshot in path, parsed; NULL after ml_fail() */
static struct mlj_value *ml_snapshot_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	struct mlj_value *v;
	char perr[128];

	if (!f) {
		ml_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 65536 > cap) {
			cap = cap ? 2 * cap : 1 << 20;
			buf = ml_realloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && !ml_interrupted());
	fclose(f);
	v = mlj_parse(buf ? buf : "", len, perr, sizeof(perr));
	if (!v) {
		ml_fail("%s: not JSON: %s", path, perr);
		return NULL;
	}
	if (strcmp(mlj_str(v, "schema", ""), "memleak-snapshot") != 0) {
		ml_fail("%s: not a memleak snapshot (no \"schema\": \"memleak-snapshot\")", path);
		return NULL;
	}
	if (mlj_int(v, "version", 0) > ML_SNAPSHOT_VERSION) {
		ml_fail("%s: snapshot version %lld is newer than this memleak's %d",
			path, mlj_int(v, "version", 0), ML_SNAPSHOT_VERSION);
		return NULL;
	}
	return ml_snapshot_zone_rows(v, path);
}

/* the current dump as a parsed snapshot; NULL after ml_fail() */
static struct mlj_value *ml_snapshot_current(void)
{
	struct ml_seen *s = ml_seen_collect();
	char *buf = NULL, perr[128];
	size_t len = 0;
	FILE *m;
	struct mlj_value *v;

	if (!s || ml_interrupted()) {
		ml_fail("interrupted");
		return NULL;
	}
	m = open_memstream(&buf, &len);
	if (!m) {
		ml_fail("open_memstream: %s", strerror(errno));
		return NULL;
	}
	ml_snapshot_write(s, m);
	fclose(m);
	v = mlj_parse(buf, len, perr, sizeof(perr));
	free(buf);
	if (!v) {
		ml_fail("this dump's snapshot: %s", perr);
		return NULL;
	}
	return ml_snapshot_zone_rows(v, "this dump's snapshot");
}

/* ---- comparing ------------------------------------------------------------ */

struct ml_diff_opts {
	bool json;
	long top;
	const char *caches;	/* comma-separated */
	const char *module;
	long long min;
};

#define ML_DFIELDS 6		/* numbers a section compares, at most */

/* one row of a section: its key, the two entries, the deltas of fields[] */
struct ml_drow {
	char *key;
	const struct mlj_value *old, *new;
	long long delta[ML_DFIELDS];
	UT_hash_handle hh;
};

struct ml_dsection {
	const char *name;		/* JSON array of both snapshots */
	const char *title;
	const char *const *keys;	/* members that make the key */
	int nkeys;
	const char *const *fields;	/* numbers compared; fields[0] sorts */
	int nfields;
	const char *cache_key;		/* member filtered by -c */
	const char *caller_key;		/* member filtered by -m */
};

/* a section's changed rows, largest growth first, and its total deltas */
struct ml_drows {
	struct ml_drow **v;
	size_t n;
	long long tot[ML_DFIELDS];
};

static char *ml_row_key(const struct mlj_value *e, const struct ml_dsection *d)
{
	char buf[4096];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < d->nkeys; i++) {
		const struct mlj_value *v = mlj_get(e, d->keys[i]);

		if (v && v->type == MLJ_STRING)
			off += snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? "\t" : "", v->str);
		else if (v && v->type == MLJ_NUMBER)
			off += snprintf(buf + off, sizeof(buf) - off, "%s%lld", i ? "\t" : "", v->i);
		else
			off += snprintf(buf + off, sizeof(buf) - off, "%s-", i ? "\t" : "");
		if (off >= sizeof(buf))
			break;
	}
	return ml_strdup(buf);
}

static bool ml_row_selected(const struct mlj_value *e, const struct ml_dsection *d,
			    const struct ml_diff_opts *o)
{
	if (o->caches && d->cache_key && !ml_name_in_list(mlj_str(e, d->cache_key, ""), o->caches))
		return false;
	if (o->module && d->caller_key) {
		char want[160];

		snprintf(want, sizeof(want), "[%s]", o->module);
		if (!strstr(mlj_str(e, d->caller_key, ""), want))
			return false;
	}
	return true;
}

static int ml_drow_cmp(const void *a, const void *b)
{
	const struct ml_drow *x = *(struct ml_drow *const *)a, *y = *(struct ml_drow *const *)b;

	if (x->delta[0] != y->delta[0])
		return x->delta[0] > y->delta[0] ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* the rows -c/-m select of both snapshots' section d, by key; the changed
 * ones (by at least --min) sorted into out */
/* a boolean member, false when absent */
static bool ml_snapshot_flag(const struct mlj_value *v, const char *key)
{
	const struct mlj_value *b = mlj_get(v, key);

	return b && b->type == MLJ_BOOL && b->b;
}

static void ml_diff_rows(const struct ml_dsection *d, const struct mlj_value *old,
			 const struct mlj_value *new, const struct ml_diff_opts *o,
			 struct ml_drows *out)
{
	struct ml_drow *rows = NULL, *r;
	const struct mlj_value *arr[2] = { mlj_get(old, d->name), mlj_get(new, d->name) };
	size_t i, n = 0;
	int side, f;

	/* page_owner stacks live under "page_owner" */
	if (!strcmp(d->name, "stacks")) {
		arr[0] = mlj_get(mlj_get(old, "page_owner"), "stacks");
		arr[1] = mlj_get(mlj_get(new, "page_owner"), "stacks");
	}
	/* a section one snapshot does not have (an older memleak's, or the
	 * orphan scan did not finish) is no change */
	if (!arr[0] || !arr[1] ||
	    (!strcmp(d->name, "orphans") && (!ml_snapshot_flag(old, "orphans_available") ||
					     !ml_snapshot_flag(new, "orphans_available")))) {
		memset(out, 0, sizeof(*out));
		return;
	}
	for (side = 0; side < 2; side++) {
		for (i = 0; i < mlj_len(arr[side]); i++) {
			const struct mlj_value *e = mlj_at(arr[side], i);
			char *key;

			if (!ml_row_selected(e, d, o))
				continue;
			key = ml_row_key(e, d);
			HASH_FIND_STR(rows, key, r);
			if (!r) {
				r = ml_alloc(sizeof(*r));
				r->key = key;
				HASH_ADD_KEYPTR(hh, rows, r->key, strlen(r->key), r);
				n++;
			}
			/* duplicates of a key (same symbols, different addresses) add up */
			for (f = 0; f < d->nfields; f++)
				r->delta[f] += (side ? 1 : -1) * mlj_int(e, d->fields[f], 0);
			if (side)
				r->new = e;
			else
				r->old = e;
		}
	}
	memset(out, 0, sizeof(*out));
	out->v = ml_alloc((n + 1) * sizeof(*out->v));
	for (r = rows; r; r = r->hh.next) {
		for (f = 0; f < d->nfields; f++)
			out->tot[f] += r->delta[f];
		for (f = 0; f < d->nfields; f++)
			if (r->delta[f])
				break;
		if (f == d->nfields)
			continue;
		if (llabs(r->delta[0]) < o->min)
			continue;
		out->v[out->n++] = r;
	}
	qsort(out->v, out->n, sizeof(*out->v), ml_drow_cmp);
}

/* how many rows --top shows */
static size_t ml_diff_shown(const struct ml_drows *rows, const struct ml_diff_opts *o)
{
	return o->top && rows->n > (size_t)o->top ? (size_t)o->top : rows->n;
}

/* "NAME": {"total_delta": [...], "changed": N, "rows": [{keys, old_F, new_F,
 * delta_F}, ...]} */
static void ml_diff_section_json(struct ml_json *j, const struct ml_dsection *d,
				 const struct ml_drows *rows, const struct ml_diff_opts *o)
{
	size_t i, shown = ml_diff_shown(rows, o);
	int f, k;

	mj_obj(j, d->name);
	mj_arr(j, "total_delta");
	for (f = 0; f < d->nfields; f++)
		mj_int(j, NULL, rows->tot[f]);
	mj_arr_end(j);
	mj_uint(j, "changed", rows->n);
	mj_arr(j, "rows");
	for (i = 0; i < shown; i++) {
		const struct ml_drow *r = rows->v[i];
		const struct mlj_value *e = r->new ? r->new : r->old;

		mj_obj(j, NULL);
		for (k = 0; k < d->nkeys; k++) {
			const struct mlj_value *kv = mlj_get(e, d->keys[k]);

			if (kv && kv->type == MLJ_NUMBER)
				mj_int(j, d->keys[k], kv->i);
			else
				mj_str(j, d->keys[k], kv && kv->type == MLJ_STRING ? kv->str : "");
		}
		for (f = 0; f < d->nfields; f++) {
			char nm[64];

			snprintf(nm, sizeof(nm), "old_%s", d->fields[f]);
			mj_int(j, nm, r->old ? mlj_int(r->old, d->fields[f], 0) : 0);
			snprintf(nm, sizeof(nm), "new_%s", d->fields[f]);
			mj_int(j, nm, r->new ? mlj_int(r->new, d->fields[f], 0) : 0);
			snprintf(nm, sizeof(nm), "delta_%s", d->fields[f]);
			mj_int(j, nm, r->delta[f]);
		}
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_obj_end(j);
}

/* one row: the deltas, the key's parts, (new) or (gone) */
static void ml_diff_row_text(const struct ml_dsection *d, const struct ml_drow *r)
{
	int f, k;

	fprintf(fp, " ");
	for (f = 0; f < d->nfields; f++)
		fprintf(fp, " %+12lld", r->delta[f]);
	fprintf(fp, "  ");
	for (k = 0; k < d->nkeys; k++) {
		const char *kk = r->key;
		int skip = k;

		/* the key's k-th tab-separated part */
		while (skip-- > 0 && (kk = strchr(kk, '\t')))
			kk++;
		if (!kk)
			break;
		fprintf(fp, "%s%.*s", k ? " " : "", (int)strcspn(kk, "\t"), kk);
	}
	if (!r->old)
		fprintf(fp, "  (new)");
	else if (!r->new)
		fprintf(fp, "  (gone)");
	fputc('\n', fp);
}

static void ml_diff_section_text(const struct ml_dsection *d, const struct ml_drows *rows,
				 const struct ml_diff_opts *o)
{
	size_t i, shown = ml_diff_shown(rows, o);
	int f;

	fprintf(fp, "\n%s: %zu changed, total", d->title, rows->n);
	for (f = 0; f < d->nfields; f++)
		fprintf(fp, " %s %+lld", d->fields[f], rows->tot[f]);
	fputc('\n', fp);
	for (i = 0; i < shown; i++)
		ml_diff_row_text(d, rows->v[i]);
	if (rows->n > shown)
		fprintf(fp, "  (%zu more: --top N)\n", rows->n - shown);
}

static const char *const k_meminfo[] = { "name" }, *const f_meminfo[] = { "value" };
static const char *const k_ledger[] = { "item" }, *const f_ledger[] = { "pages" };
static const char *const k_zones[] = { "node", "zone", "order" },
	*const f_zones[] = { "free_pages", "free_blocks" };
static const char *const k_caches[] = { "name" }, *const f_caches[] = { "bytes", "active" };
static const char *const k_sites[] = { "cache", "caller" }, *const f_sites[] = { "bytes", "count" };
static const char *const k_stacks[] = { "caller", "stack" },
	*const f_stacks[] = { "pages", "allocations", "unaccounted_pages" };
static const char *const k_orphans[] = { "kind", "where", "caller" },
	*const f_orphans[] = { "bytes", "count" };
static const char *const k_dbx[] = { "exporter" },
	*const f_dbx[] = { "bytes", "buffers", "unheld_bytes", "unheld_buffers" };
static const char *const k_vmc[] = { "caller" }, *const f_vmc[] = { "bytes", "areas", "pages" };
static const char *const k_procs[] = { "comm" },
	*const f_procs[] = { "rss_kb", "anon_kb", "file_kb", "shmem_kb", "swap_kb", "tasks" };

static const char *const k_cma[] = { "name" }, *const f_cma[] = { "used", "count" };
static const char *const k_zram[] = { "device" },
	*const f_zram[] = { "mem_used_total", "orig_data_size", "compr_data_size" };

static const struct ml_dsection ml_dsections[] = {
	{ "meminfo", "MEMINFO (kB; value)", k_meminfo, 1, f_meminfo, 1, NULL, NULL },
	{ "ledger", "LEDGER (pages)", k_ledger, 1, f_ledger, 1, NULL, NULL },
	{ "zones", "ZONES (free pages, free blocks; per order)", k_zones, 3, f_zones, 2, NULL, NULL },
	{ "slab_caches", "SLAB CACHES (bytes, active objects)", k_caches, 1, f_caches, 2, "name",
	  NULL },
	{ "callsites", "CALLSITES (bytes, objects)", k_sites, 2, f_sites, 2, "cache", "caller" },
	{ "stacks", "PAGE_OWNER STACKS (pages, allocations, pages in no counter)", k_stacks, 2,
	  f_stacks, 3, NULL, "stack" },
	{ "orphans", "UNREFERENCED (orphan scan: bytes, objects)", k_orphans, 3, f_orphans, 2,
	  "where", "caller" },
	{ "dma_buf_exporters", "DMA-BUFS (bytes, buffers, unheld bytes, unheld buffers; per "
	  "exporter)", k_dbx, 1, f_dbx, 4, NULL, NULL },
	{ "vmalloc_callers", "VMALLOC CALLERS (bytes, areas, pages)", k_vmc, 1, f_vmc, 3, NULL,
	  "caller" },
	{ "processes", "PROCESSES (kB: rss, anon, file, shmem, swap; processes; per comm)",
	  k_procs, 1, f_procs, 6, NULL, NULL },
	{ "cma_areas", "CMA AREAS (used pages, pages)", k_cma, 1, f_cma, 2, NULL, NULL },
	{ "zram_devices", "ZRAM (bytes: pool, stored, compressed)", k_zram, 1, f_zram, 3, NULL,
	  NULL },
};

/* ---- memleak diff ------------------------------------------------------- */

static void ml_diff_side(struct ml_json *j, const char *key, const char *src,
			 const struct mlj_value *v)
{
	const struct mlj_value *k = mlj_get(v, "kernel");

	if (j) {
		mj_obj(j, key);
		mj_str(j, "source", src);
		mj_str(j, "release", mlj_str(k, "release", ""));
		mj_double(j, "uptime_s", mlj_num(v, "uptime_s", 0), 2);
		mj_bool(j, "page_owner", mlj_get(mlj_get(v, "page_owner"), "available") &&
			mlj_get(mlj_get(v, "page_owner"), "available")->b);
		mj_obj_end(j);
	} else {
		fprintf(fp, "%s %s: %s, uptime %.0f s%s\n", key, src, mlj_str(k, "release", "?"),
			mlj_num(v, "uptime_s", 0),
			mlj_get(mlj_get(v, "page_owner"), "available") &&
			mlj_get(mlj_get(v, "page_owner"), "available")->b ? "" : ", no page_owner");
	}
}

/* both sides, then every section; j NULL: text */
static void ml_diff_print(struct ml_json *j, const char *oldsrc, const struct mlj_value *old,
			  const char *newsrc, const struct mlj_value *new,
			  const struct ml_diff_opts *o)
{
	struct ml_drows rows;
	size_t i;

	ml_diff_side(j, "old", oldsrc, old);
	ml_diff_side(j, "new", newsrc, new);
	if (strcmp(mlj_str(mlj_get(old, "kernel"), "release", ""),
		   mlj_str(mlj_get(new, "kernel"), "release", "")) && !j)
		fprintf(fp, "note: different kernels: callers and stacks are matched by symbol "
			"names; meminfo lines and caches by name\n");
	if (!j)
		fprintf(fp, "growth = new - old, largest first%s\n",
			o->top ? "; --top N rows per section (0: all)" : "");
	for (i = 0; i < sizeof(ml_dsections) / sizeof(ml_dsections[0]); i++) {
		ml_diff_rows(&ml_dsections[i], old, new, o, &rows);
		if (j)
			ml_diff_section_json(j, &ml_dsections[i], &rows, o);
		else
			ml_diff_section_text(&ml_dsections[i], &rows, o);
	}
}

/* the options into o; false after a usage error (or -h) */
static bool ml_diff_options(int argc, char **argv, struct ml_diff_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 'n' },
		{ "cache", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long min;
	int c;

	ml_opt_begin("diff", argc, argv);
	while ((c = getopt_long(argc, argv, "jn:c:m:M:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'c': o->caches = optarg; break;
		case 'm': o->module = optarg; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return false;
			break;
		case 'M':
			if (!ml_opt_num("--min", optarg, 0, LONG_MAX, &min))
				return false;
			o->min = min;
			break;
		case 'h': ml_print_sub_help("diff"); return false;
		default:
			ml_opt_error("diff", argc, argv, longopts);
			return false;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		ml_usage_error("diff", argc - optind ? "OLD [NEW]: at most two snapshots"
			       : "OLD snapshot missing");
		return false;
	}
	return true;
}

void ml_cmd_diff(int argc, char **argv)
{
	struct ml_diff_opts o = { .top = 10 };
	struct mlj_value *old, *new = NULL;
	const char *oldsrc, *newsrc = "this dump";
	struct ml_report r;

	if (!ml_diff_options(argc, argv, &o))
		return;
	oldsrc = argv[optind];
	old = ml_snapshot_read(oldsrc);
	if (old && argc - optind == 2) {
		newsrc = argv[optind + 1];
		new = ml_snapshot_read(newsrc);
	} else if (old) {
		new = ml_snapshot_current();
	}
	ml_report_begin(&r, "diff", o.json);
	if (!old || !new) {
		ml_report_fail(&r);
		return;
	}
	ml_diff_print(o.json ? &r.j : NULL, oldsrc, old, newsrc, new, &o);
	ml_report_end(&r);
}
