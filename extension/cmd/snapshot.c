/*
 * snapshot.c: "memleak save FILE" and "memleak diff OLD [NEW]" -- the
 * before/after workflow. A snapshot is one JSON document of what memleak
 * sees in a dump (doc/snapshot.md, versioned); diff reads two (the current
 * dump is snapshotted in memory when NEW is not given) with mljson.c and
 * reports the growth per meminfo line, ledger item, zone and order, slab
 * cache, callsite and page_owner stack, largest growth first. Callers and
 * stacks are keyed by symbol names, never addresses (KASLR, other builds).
 *
 *   crash> memleak save before.json
 *   crash> memleak diff before.json [after.json] [-c CACHE] [-m MODULE] [--top N] [--json]
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <getopt.h>

#define ML_SNAPSHOT_VERSION 1

/* ---- writing ------------------------------------------------------------ */

static void ml_snapshot_write(struct ml_seen *s, FILE *out)
{
	struct ml_json j;
	size_t k;
	int i, o;
	unsigned long long psz = PAGESIZE();

	mj_init(&j, out, true);
	mj_obj(&j, NULL);
	mj_str(&j, "schema", "memleak-snapshot");
	mj_int(&j, "version", ML_SNAPSHOT_VERSION);
	mj_str(&j, "memleak", ML_VERSION);
	mj_obj(&j, "kernel");
	mj_str(&j, "release", ml_feat.release);
	mj_str(&j, "machine", ml_feat.machine);
	mj_int(&j, "page_size", ml_feat.page_size);
	mj_obj_end(&j);
	mj_double(&j, "uptime_s", s->uptime_s, 2);
	mj_str(&j, "panic", s->panic);
	if (s->zones && s->zones->ev.kind != ML_EVENT_NONE) {
		mj_obj(&j, "oom");
		mj_str(&j, "line", s->zones->ev_line);
		mj_int(&j, "order", s->zones->ev.order);
		mj_obj_end(&j);
	} else {
		mj_null(&j, "oom");
	}
	mj_arr(&j, "meminfo");
	for (i = 0; s->mi_ok && i < s->mi.n; i++) {
		if (s->mi.l[i].why)
			continue;
		mj_obj(&j, NULL);
		mj_str(&j, "name", s->mi.l[i].name);
		mj_uint(&j, "value", s->mi.l[i].val);
		mj_str(&j, "unit", s->mi.l[i].kb ? "kB" : "");
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_arr(&j, "ledger");
	for (i = 0; s->mi_ok && i <= ML_LG_NR; i++) {
		mj_obj(&j, NULL);
		mj_str(&j, "item", i < ML_LG_NR ? ml_ledger_name(i) : "unaccounted");
		mj_int(&j, "pages", i < ML_LG_NR ? s->mi.ledger.item[i] : s->mi.ledger.unaccounted);
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_arr(&j, "zones");
	for (i = 0; s->zones && i < s->zones->nz; i++) {
		struct ml_zone *z = &s->zones->zones[i];

		for (o = -1; o < s->zones->nr_orders; o++) {
			mj_obj(&j, NULL);
			mj_int(&j, "node", z->node);
			mj_str(&j, "zone", z->name);
			if (o < 0) {	/* the zone's free pages */
				mj_str(&j, "order", "all");
				mj_int(&j, "free_pages", z->free);
				mj_uint(&j, "managed", z->managed);
			} else {
				mj_int(&j, "order", o);
				mj_uint(&j, "free_blocks", z->nr_free[o]);
				mj_uint(&j, "free_pages", z->nr_free[o] << o);
			}
			mj_obj_end(&j);
		}
	}
	mj_arr_end(&j);
	mj_arr(&j, "slab_caches");
	for (k = 0; s->slab_ok && k < s->slab.n; k++) {
		struct ml_scache *c = &s->slab.caches[k];

		mj_obj(&j, NULL);
		mj_str(&j, "name", c->name);
		mj_uint(&j, "object_size", c->object_size);
		mj_uint(&j, "active", c->active);
		mj_uint(&j, "total", c->total);
		mj_uint(&j, "bytes", (unsigned long long)c->pages * psz);
		mj_bool(&j, "store_user", c->store_user);
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_arr(&j, "callsites");
	for (k = 0; k < s->ncs; k++) {
		struct ml_callsite *c = &s->cs[k];

		mj_obj(&j, NULL);
		mj_str(&j, "cache", c->cache);
		mj_str(&j, "caller", c->caller);
		mj_uint(&j, "count", c->count);
		mj_uint(&j, "bytes", c->bytes);
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_obj(&j, "page_owner");
	mj_bool(&j, "available", s->po_ok);
	if (s->po_why)
		mj_str(&j, "why", s->po_why);
	mj_arr(&j, "stacks");
	for (k = 0; k < s->nps; k++) {
		struct ml_postack *p = &s->ps[k];

		mj_obj(&j, NULL);
		mj_str(&j, "caller", p->caller);
		mj_str(&j, "stack", p->key);
		mj_uint(&j, "allocations", p->g->allocations);
		mj_uint(&j, "pages", p->g->pages);
		mj_uint(&j, "unaccounted_pages", p->unaccounted);
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_obj_end(&j);
	mj_obj_end(&j);
	mj_end(&j);
}

void ml_cmd_save(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_seen *s;
	FILE *out;
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
	s = ml_seen_collect("save", true);
	if (!s || ml_interrupted()) {
		fprintf(fp, "memleak save: interrupted, nothing written\n");
		return;
	}
	out = fopen(argv[optind], "w");
	if (!out) {
		fprintf(fp, "memleak save: %s: %s\n", argv[optind], strerror(errno));
		return;
	}
	ml_snapshot_write(s, out);
	if (fclose(out) != 0) {
		fprintf(fp, "memleak save: %s: %s\n", argv[optind], strerror(errno));
		return;
	}
	fprintf(fp, "memleak save: snapshot written to %s%s%s (%zu caches, %zu callsites, "
		"%zu page_owner stacks%s)\n",
		argv[optind][0] == '/' ? "" : (getcwd(cwd, sizeof(cwd)) ? cwd : "."),
		argv[optind][0] == '/' ? "" : "/", argv[optind], s->slab_ok ? s->slab.n : 0,
		s->ncs, s->nps, s->po_ok ? "" : ": page_owner unavailable");
}

/* ---- reading and comparing ------------------------------------------- */

static struct mlj_value *ml_snapshot_read(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	struct mlj_value *v;
	char perr[128];

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
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
		snprintf(err, errlen, "%s: not JSON: %s", path, perr);
		return NULL;
	}
	if (strcmp(mlj_str(v, "schema", ""), "memleak-snapshot") != 0) {
		snprintf(err, errlen, "%s: not a memleak snapshot (no \"schema\": \"memleak-snapshot\")",
			 path);
		return NULL;
	}
	if (mlj_int(v, "version", 0) > ML_SNAPSHOT_VERSION) {
		snprintf(err, errlen, "%s: snapshot version %lld is newer than this memleak's %d",
			 path, mlj_int(v, "version", 0), ML_SNAPSHOT_VERSION);
		return NULL;
	}
	return v;
}

/* the current dump as a parsed snapshot */
static struct mlj_value *ml_snapshot_current(char *err, size_t errlen)
{
	struct ml_seen *s = ml_seen_collect("diff", true);
	char *buf = NULL, perr[128];
	size_t len = 0;
	FILE *m;
	struct mlj_value *v;

	if (!s || ml_interrupted()) {
		snprintf(err, errlen, "interrupted");
		return NULL;
	}
	m = open_memstream(&buf, &len);
	if (!m) {
		snprintf(err, errlen, "open_memstream: %s", strerror(errno));
		return NULL;
	}
	ml_snapshot_write(s, m);
	fclose(m);
	v = mlj_parse(buf, len, perr, sizeof(perr));
	free(buf);
	if (!v)
		snprintf(err, errlen, "this dump's snapshot: %s", perr);
	return v;
}

struct ml_diff_opts {
	bool json;
	long top;
	const char *caches;	/* comma-separated */
	const char *module;
	long long min;
};

/* one row of a section: its key, the two entries, the deltas of fields[] */
struct ml_drow {
	char *key;
	const struct mlj_value *old, *new;
	long long delta[3];
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

static void ml_diff_section(const struct ml_dsection *d, const struct mlj_value *old,
			    const struct mlj_value *new, const struct ml_diff_opts *o,
			    struct ml_json *j)
{
	struct ml_drow *rows = NULL, *r, **v;
	const struct mlj_value *arr[2] = { mlj_get(old, d->name), mlj_get(new, d->name) };
	size_t i, n = 0, shown = 0;
	int side, f;
	long long tot[3] = { 0, 0, 0 };

	/* page_owner stacks live under "page_owner" */
	if (!strcmp(d->name, "stacks")) {
		arr[0] = mlj_get(mlj_get(old, "page_owner"), "stacks");
		arr[1] = mlj_get(mlj_get(new, "page_owner"), "stacks");
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
	v = ml_alloc((n + 1) * sizeof(*v));
	n = 0;
	for (r = rows; r; r = r->hh.next) {
		for (f = 0; f < d->nfields; f++)
			tot[f] += r->delta[f];
		for (f = 0; f < d->nfields; f++)
			if (r->delta[f])
				break;
		if (f == d->nfields)
			continue;
		if (llabs(r->delta[0]) < o->min)
			continue;
		v[n++] = r;
	}
	qsort(v, n, sizeof(*v), ml_drow_cmp);
	if (j) {
		mj_obj(j, d->name);
		mj_arr(j, "total_delta");
		for (f = 0; f < d->nfields; f++)
			mj_int(j, NULL, tot[f]);
		mj_arr_end(j);
		mj_uint(j, "changed", n);
		mj_arr(j, "rows");
	} else {
		fprintf(fp, "\n%s: %zu changed, total", d->title, n);
		for (f = 0; f < d->nfields; f++)
			fprintf(fp, " %s %+lld", d->fields[f], tot[f]);
		fputc('\n', fp);
	}
	for (i = 0; i < n && (!o->top || (long)shown < o->top); i++, shown++) {
		int k;

		r = v[i];
		if (j) {
			mj_obj(j, NULL);
			for (k = 0; k < d->nkeys; k++) {
				const struct mlj_value *e = r->new ? r->new : r->old;
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
			continue;
		}
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
	if (j) {
		mj_arr_end(j);
		mj_obj_end(j);
	} else if (n > shown) {
		fprintf(fp, "  (%zu more: --top N)\n", n - shown);
	}
}

static const char *const k_meminfo[] = { "name" }, *const f_meminfo[] = { "value" };
static const char *const k_ledger[] = { "item" }, *const f_ledger[] = { "pages" };
static const char *const k_zones[] = { "node", "zone", "order" },
	*const f_zones[] = { "free_pages", "free_blocks" };
static const char *const k_caches[] = { "name" }, *const f_caches[] = { "bytes", "active" };
static const char *const k_sites[] = { "cache", "caller" }, *const f_sites[] = { "bytes", "count" };
static const char *const k_stacks[] = { "caller", "stack" },
	*const f_stacks[] = { "pages", "allocations", "unaccounted_pages" };

static const struct ml_dsection ml_dsections[] = {
	{ "meminfo", "MEMINFO (kB; value)", k_meminfo, 1, f_meminfo, 1, NULL, NULL },
	{ "ledger", "LEDGER (pages)", k_ledger, 1, f_ledger, 1, NULL, NULL },
	{ "zones", "ZONES (free pages, free blocks; per order)", k_zones, 3, f_zones, 2, NULL, NULL },
	{ "slab_caches", "SLAB CACHES (bytes, active objects)", k_caches, 1, f_caches, 2, "name",
	  NULL },
	{ "callsites", "CALLSITES (bytes, objects)", k_sites, 2, f_sites, 2, "cache", "caller" },
	{ "stacks", "PAGE_OWNER STACKS (pages, allocations, pages in no counter)", k_stacks, 2,
	  f_stacks, 3, NULL, "stack" },
};

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

void ml_cmd_diff(int argc, char **argv)
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
	struct ml_diff_opts o = { .top = 10 };
	struct mlj_value *old, *new;
	struct ml_json jj, *j = NULL;
	char err[512], *end;
	const char *newsrc;
	size_t i;
	int c;

	ml_opt_begin("diff", argc, argv);
	while ((c = getopt_long(argc, argv, "jn:c:m:M:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 'c': o.caches = optarg; break;
		case 'm': o.module = optarg; break;
		case 'n':
		case 'M': {
			long long x = strtoll(optarg, &end, 10);

			if (end == optarg || *end || x < 0) {
				ml_usage_error("diff", "%s: not a count: '%s'",
					       c == 'n' ? "--top" : "--min", optarg);
				return;
			}
			if (c == 'n')
				o.top = (long)x;
			else
				o.min = x;
			break;
		}
		case 'h': ml_print_sub_help("diff"); return;
		default:
			ml_opt_error("diff", argc, argv, longopts);
			return;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		ml_usage_error("diff", argc - optind ? "OLD [NEW]: at most two snapshots"
			       : "OLD snapshot missing");
		return;
	}
	old = ml_snapshot_read(argv[optind], err, sizeof(err));
	if (!old) {
		fprintf(fp, "memleak diff: %s\n", err);
		return;
	}
	if (argc - optind == 2) {
		newsrc = argv[optind + 1];
		new = ml_snapshot_read(newsrc, err, sizeof(err));
	} else {
		newsrc = "this dump";
		new = ml_snapshot_current(err, sizeof(err));
	}
	if (!new) {
		fprintf(fp, "memleak diff: %s\n", err);
		return;
	}
	if (o.json) {
		j = &jj;
		mj_init(j, fp, true);
		mj_obj(j, NULL);
	}
	ml_diff_side(j, "old", argv[optind], old);
	ml_diff_side(j, "new", newsrc, new);
	if (strcmp(mlj_str(mlj_get(old, "kernel"), "release", ""),
		   mlj_str(mlj_get(new, "kernel"), "release", "")) && !j)
		fprintf(fp, "note: different kernels: callers and stacks are matched by symbol "
			"names; meminfo lines and caches by name\n");
	if (!j)
		fprintf(fp, "growth = new - old, largest first%s\n",
			o.top ? "; --top N rows per section (0: all)" : "");
	for (i = 0; i < sizeof(ml_dsections) / sizeof(ml_dsections[0]); i++)
		ml_diff_section(&ml_dsections[i], old, new, &o, j);
	if (j) {
		mj_obj_end(j);
		mj_end(j);
	}
}
