/*
 * slabtop.c: "memleak slabtop" -- every SLUB cache by memory, from the slab
 * model (collect/slab.c: active objects counted by walking the freelists
 * of every slab the cache owns) -- and "memleak slabtop --by-callsite": the
 * allocated objects grouped by the alloc (or free) track SLUB keeps for
 * caches with SLAB_STORE_USER, as debugfs alloc_traces would have shown
 * them. Options, sorting for display, the text table and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>
#include <time.h>

enum ml_cache_sort { ML_CS_MEM, ML_CS_OBJS, ML_CS_ACTIVE, ML_CS_SIZE, ML_CS_LOSS,
		     ML_CS_SLABS, ML_CS_NAME };
static const char *const ml_cache_sort_names[] = { "mem", "objs", "active", "size", "loss",
						   "slabs", "name" };

struct ml_slabtop_opts {
	bool json, verbose, callsite, by_stack, free_track;
	long top;
	long min_count;
	const char *caches;	/* comma-separated names */
	const char *module;
	int sort;		/* enum ml_cache_sort, or ml_site_sort */
	bool sort_given;
};

/* ---- options ---------------------------------------------------------- */

/* -s KEY: a cache sort key, or with --by-callsite a callsite one */
static bool ml_parse_sort(const char *sort, struct ml_slabtop_opts *o)
{
	size_t i;

	o->sort = -1;
	if (o->callsite) {
		if (!strcmp(sort, "count"))
			o->sort = ML_SITE_BY_COUNT;
		else if (!strcmp(sort, "bytes"))
			o->sort = ML_SITE_BY_BYTES;
	} else {
		for (i = 0; i < sizeof(ml_cache_sort_names) / sizeof(ml_cache_sort_names[0]); i++)
			if (!strcmp(sort, ml_cache_sort_names[i]))
				o->sort = i;
	}
	o->sort_given = true;
	if (o->sort < 0) {
		ml_usage_error("slabtop", "unknown sort key '%s' (%s)", sort,
			       o->callsite ? "count, bytes"
			       : "mem, objs, active, size, loss, slabs, name");
		return false;
	}
	return true;
}

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_slabtop_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "by-callsite", no_argument, NULL, 'C' },
		{ "stack", no_argument, NULL, 'S' },
		{ "free", no_argument, NULL, 'F' },
		{ "top", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "cache", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *sort = NULL;
	int c;

	ml_opt_begin("slabtop", argc, argv);
	while ((c = getopt_long(argc, argv, "jvn:s:c:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'v': o->verbose = true; break;
		case 'C': o->callsite = true; break;
		case 'S': o->by_stack = true; break;
		case 'F': o->free_track = true; break;
		case 'c': o->caches = optarg; break;
		case 'm': o->module = optarg; break;
		case 's': sort = optarg; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'M':
			if (!ml_opt_num("--min", optarg, 0, LONG_MAX, &o->min_count))
				return -1;
			break;
		case 'h': ml_print_sub_help("slabtop"); return 1;
		default:
			ml_opt_error("slabtop", argc, argv, longopts);
			return -1;
		}
	}
	if (!ml_opt_end("slabtop", argc, argv))
		return -1;
	if ((o->by_stack || o->free_track || o->module || o->min_count) && !o->callsite) {
		ml_usage_error("slabtop", "--stack, --free, --module and --min go with --by-callsite");
		return -1;
	}
	if (sort && !ml_parse_sort(sort, o))
		return -1;
	return 0;
}

/* ---- the caches -------------------------------------------------------- */

static void ml_totals_of(const struct ml_scache *c, struct ml_slab_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->objects = c->active;
	t->total_objects = c->total;
	t->slabs = c->all_slabs;
	t->partial = c->slabs[ML_SK_PARTIAL];
	t->cpu_slabs = c->slabs[ML_SK_CPU] + c->slabs[ML_SK_CPU_PARTIAL];
	t->object_size = c->object_size;
	t->slab_size = c->size;
	t->order = c->order;
	t->page_size = PAGESIZE();
}

static enum ml_cache_sort ml_csort;
static int ml_cache_cmp(const void *a, const void *b)
{
	const struct ml_scache *x = *(struct ml_scache *const *)a;
	const struct ml_scache *y = *(struct ml_scache *const *)b;
	long long vx = 0, vy = 0;
	struct ml_slab_totals tx, ty;

	switch (ml_csort) {
	case ML_CS_MEM: vx = x->bytes; vy = y->bytes; break;
	case ML_CS_OBJS: vx = x->total; vy = y->total; break;
	case ML_CS_ACTIVE: vx = x->active; vy = y->active; break;
	case ML_CS_SIZE: vx = x->size; vy = y->size; break;
	case ML_CS_SLABS: vx = x->all_slabs; vy = y->all_slabs; break;
	case ML_CS_LOSS:
		ml_totals_of(x, &tx);
		ml_totals_of(y, &ty);
		vx = ml_slab_loss(&tx);
		vy = ml_slab_loss(&ty);
		break;
	case ML_CS_NAME:
		return strcmp(x->name, y->name);
	}
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* what the table's totals line says: over all caches, and the node
 * counters (have: read, and every cache is in the table) */
struct ml_cache_sums {
	unsigned long long recl, unrecl, active, total;	/* pages, pages, objects */
	unsigned long problems;
	bool have_ctr;
	struct ml_slab_counters ctr;		/* pages */
};

static void ml_cache_sums(struct ml_scache *const *v, size_t n, struct ml_cache_sums *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i]->reclaimable)
			s->recl += v[i]->pages;
		else
			s->unrecl += v[i]->pages;
		s->active += v[i]->active;
		s->total += v[i]->total;
		s->problems += v[i]->problem[0] != 0;
	}
}

/* one cache: each key the fact its text column (or flag) shows */
static void ml_json_cache(struct ml_json *j, const struct ml_scache *c)
{
	struct ml_slab_totals t;
	int k;

	ml_totals_of(c, &t);
	mj_obj(j, NULL);
	mj_str(j, "name", c->name);
	mj_uint(j, "object_size", c->object_size);	/* OBJSIZE */
	mj_uint(j, "slot_size", c->size);		/* SLOT: s->size, slabinfo's objsize */
	mj_uint(j, "active_objs", c->active);
	mj_uint(j, "num_objs", c->total);
	mj_uint(j, "objperslab", c->oo_objects);
	mj_uint(j, "pagesperslab", 1UL << c->order);
	mj_uint(j, "bytes", c->bytes);
	mj_bool(j, "reclaimable", c->reclaimable);
	mj_bool(j, "store_user", c->store_user);
	mj_obj(j, "slabs");
	mj_uint(j, "total", c->all_slabs);
	for (k = 0; k < ML_SK_NR; k++)
		mj_uint(j, ml_slab_kind_names[k], c->slabs[k]);
	mj_bool(j, "full_listed", c->full_listed);
	mj_obj_end(j);
	mj_int(j, "loss", ml_slab_loss(&t));
	mj_uint(j, "pct_free", ml_slab_pct_free(&t));
	mj_uint(j, "pct_eff", ml_slab_pct_eff(&t));
	mj_uint(j, "free_objs_walked", c->free_objects);
	mj_uint(j, "bad_slabs", c->bad_slabs);
	mj_uint(j, "corrupt", c->corrupt);
	mj_uint(j, "excluded_slabs", c->excluded_slabs);
	mj_uint(j, "inconsistent_slabs", c->inconsistent);
	if (c->problem[0])
		mj_str(j, "problem", c->problem);
	else
		mj_null(j, "problem");
	mj_obj_end(j);
}

static void ml_json_caches(struct ml_json *j, struct ml_scache *const *v, size_t n,
			   const struct ml_slabtop_opts *o, const struct ml_cache_sums *s)
{
	size_t i;

	mj_arr(j, "caches");
	for (i = 0; i < n && (!o->top || (long)i < o->top); i++)
		ml_json_cache(j, v[i]);
	mj_arr_end(j);
	mj_obj(j, "totals");
	mj_uint(j, "caches", n);
	mj_uint(j, "active_objs", s->active);
	mj_uint(j, "num_objs", s->total);
	mj_uint(j, "reclaimable_bytes", s->recl * PAGESIZE());
	mj_uint(j, "unreclaimable_bytes", s->unrecl * PAGESIZE());
	if (s->have_ctr) {
		/* as /proc/meminfo printed them, and with the per-cpu deltas
		 * folded: the walk is compared with the latter */
		mj_uint(j, "SReclaimable_kB", ml_pages_to_kb(s->ctr.recl, ml_feat.page_shift));
		mj_uint(j, "SUnreclaim_kB", ml_pages_to_kb(s->ctr.unrecl, ml_feat.page_shift));
		mj_uint(j, "SReclaimable_exact_kB", ml_pages_to_kb(s->ctr.recl_exact, ml_feat.page_shift));
		mj_uint(j, "SUnreclaim_exact_kB", ml_pages_to_kb(s->ctr.unrecl_exact, ml_feat.page_shift));
		mj_int(j, "reclaimable_diff_pages", (long long)s->recl - (long long)s->ctr.recl_exact);
		mj_int(j, "unreclaimable_diff_pages", (long long)s->unrecl - (long long)s->ctr.unrecl_exact);
	}
	mj_obj_end(j);
}

/* the table; returns the caches shown */
static size_t ml_text_table(struct ml_scache *const *v, size_t n, const struct ml_slabtop_opts *o)
{
	static const char *const hdr[] = { "NAME", "OBJSIZE", "SLOT", "OBJ/SLAB", "ORDER",
		"ACTIVE", "TOTAL", "SLABS", "PCPU", "PART", "FULL", "MEMORY", "LOSS", "%FR", "%EF",
		"FLAGS" };
	static const enum ml_align al[] = { ML_LEFT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT,
		ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT,
		ML_RIGHT, ML_RIGHT, ML_LEFT };
	struct ml_table *t = mt_new(16, hdr, al);
	char b1[32], b2[32];
	size_t i, shown = 0;

	for (i = 0; i < n && (!o->top || (long)i < o->top); i++) {
		struct ml_scache *c = v[i];
		struct ml_slab_totals tt;

		ml_totals_of(c, &tt);
		mt_cell(t, "%s", c->name);
		mt_cell(t, "%u", c->object_size);
		mt_cell(t, "%u", c->size);
		mt_cell(t, "%u", c->oo_objects);
		mt_cell(t, "%u", c->order);
		mt_cell(t, "%lu", c->active);
		mt_cell(t, "%lu", c->total);
		mt_cell(t, "%lu", c->all_slabs);
		mt_cell(t, "%lu", c->slabs[ML_SK_CPU] + c->slabs[ML_SK_CPU_PARTIAL]);
		mt_cell(t, "%lu", c->slabs[ML_SK_PARTIAL]);
		mt_cell(t, "%lu%s", c->slabs[ML_SK_FULL], c->full_listed ? "" : "*");
		mt_cell(t, "%s", ml_human_bytes(c->bytes, b1, sizeof(b1)));
		mt_cell(t, "%s", ml_human_bytes(ml_slab_loss(&tt) > 0 ? ml_slab_loss(&tt) : 0,
						b2, sizeof(b2)));
		mt_cell(t, "%u", ml_slab_pct_free(&tt));
		mt_cell(t, "%u", ml_slab_pct_eff(&tt));
		mt_cell(t, "%s%s%s", c->reclaimable ? "r" : "", c->store_user ? "U" : "",
			c->problem[0] ? "!" : "");
		shown++;
	}
	mt_print(t, fp, NULL);
	return shown;
}

static void ml_text_caches(struct ml_scache *const *v, size_t n, const struct ml_slabtop_opts *o,
			   const struct ml_cache_sums *s)
{
	size_t i, shown = ml_text_table(v, n, o);
	char b1[32], b2[32];

	fprintf(fp, "\n%zu of %zu caches; %llu of %llu objects active; slab memory %s "
		"(reclaimable %s, unreclaimable %s)\n", shown, n, s->active, s->total,
		ml_human_bytes((s->recl + s->unrecl) * PAGESIZE(), b1, sizeof(b1)),
		ml_human_bytes(s->recl * PAGESIZE(), b2, sizeof(b2)),
		ml_human_bytes(s->unrecl * PAGESIZE(), b1 + 16, 16));
	if (s->have_ctr) {
		long long dr = (long long)s->recl - (long long)s->ctr.recl_exact;
		long long du = (long long)s->unrecl - (long long)s->ctr.unrecl_exact;
		long long pr = (long long)s->ctr.recl_exact - (long long)s->ctr.recl;
		long long pu = (long long)s->ctr.unrecl_exact - (long long)s->ctr.unrecl;

		if (!dr && !du)
			fprintf(fp, "node counters agree: SReclaimable %lu kB, SUnreclaim %lu kB",
				ml_pages_to_kb(s->ctr.recl_exact, ml_feat.page_shift),
				ml_pages_to_kb(s->ctr.unrecl_exact, ml_feat.page_shift));
		else
			fprintf(fp, "node counters: SReclaimable %lu kB (walk %+lld pages), "
				"SUnreclaim %lu kB (walk %+lld pages)",
				ml_pages_to_kb(s->ctr.recl_exact, ml_feat.page_shift), dr,
				ml_pages_to_kb(s->ctr.unrecl_exact, ml_feat.page_shift), du);
		if (pr || pu)
			fprintf(fp, "; per-cpu deltas not yet in /proc/meminfo: %+lld, %+lld pages",
				pr, pu);
		fputc('\n', fp);
	}
	fprintf(fp, "FULL*: no full list without SLAB_STORE_USER, from the node counters; "
		"flags: r reclaimable, U store_user, ! problem\n");
	for (i = 0; i < n; i++)
		if (v[i]->problem[0] && (o->verbose || s->problems <= 10))
			fprintf(fp, "%s: %s\n", v[i]->name, v[i]->problem);
	if (s->problems > 10 && !o->verbose)
		fprintf(fp, "%lu caches with problems (-v lists them)\n", s->problems);
}

/* the caches sorted for display, as a table or into the document */
static void ml_print_caches(struct ml_report *r, const struct ml_slab_data *d,
			    const struct ml_slabtop_opts *o)
{
	struct ml_scache **v = ml_alloc((d->n ? d->n : 1) * sizeof(*v));
	struct ml_cache_sums s;
	size_t i;

	for (i = 0; i < d->n; i++)
		v[i] = &d->caches[i];
	ml_csort = o->sort_given ? (enum ml_cache_sort)o->sort : ML_CS_MEM;
	qsort(v, d->n, sizeof(*v), ml_cache_cmp);
	memset(&s, 0, sizeof(s));
	ml_cache_sums(v, d->n, &s);
	s.have_ctr = !o->caches && ml_slab_counters(&s.ctr);
	if (o->json)
		ml_json_caches(&r->j, v, d->n, o, &s);
	else
		ml_text_caches(v, d->n, o, &s);
}

/* ---- the callsites ----------------------------------------------------- */

/* one callsite group as printed: its cache, caller, stack, cpus, nodes */
struct ml_site_view {
	const struct ml_site *s;
	const struct ml_scache *c;
	const struct ml_sym *sym;
	const ulong *entries;
	unsigned int nr;
	enum ml_depot_status st;
	unsigned int hz;
	char cpus[128], nodes[64];
};

static const char *ml_age_str(const struct ml_site *s, unsigned int hz, char *buf, size_t len)
{
	double mn = (double)s->min_age / hz, mx = (double)s->max_age / hz;

	if (!s->aged)
		snprintf(buf, len, "age=?");
	else if (s->min_age == s->max_age)
		snprintf(buf, len, "age=%.2fs", mn);
	else
		snprintf(buf, len, "age=%.2f/%.2f/%.2fs", mn,
			 (double)s->sum_age / s->aged / hz, mx);
	return buf;
}

static void ml_json_site(struct ml_json *j, const struct ml_site_view *g)
{
	const struct ml_site *s = g->s;
	unsigned int k;

	mj_obj(j, NULL);
	mj_str(j, "cache", g->c->name);
	mj_str(j, "caller", s->key.addr ? g->sym->str : "<not-available>");
	mj_uint(j, "caller_addr", s->key.addr);
	if (g->sym->module)
		mj_str(j, "module", g->sym->module);
	else
		mj_null(j, "module");
	mj_uint(j, "count", s->count);
	mj_uint(j, "bytes", (unsigned long long)s->count * g->c->object_size);
	mj_uint(j, "waste", s->waste);
	if (s->aged) {
		mj_double(j, "age_min", (double)s->min_age / g->hz, 3);
		mj_double(j, "age_avg", (double)s->sum_age / s->aged / g->hz, 3);
		mj_double(j, "age_max", (double)s->max_age / g->hz, 3);
		mj_int(j, "pid_min", s->min_pid);
		mj_int(j, "pid_max", s->max_pid);
	}
	mj_str(j, "cpus", g->cpus);
	mj_str(j, "nodes", g->nodes);
	mj_uint(j, "handle", s->first_handle);
	mj_bool(j, "several_stacks", s->handles_differ);
	mj_str(j, "stack_status", ml_depot_status_str(g->st));
	mj_arr(j, "stack");
	for (k = 0; k < g->nr; k++)
		mj_str(j, NULL, ml_symbolize(g->entries[k]));
	mj_arr_end(j);
	mj_obj_end(j);
}

static void ml_text_site(const struct ml_site_view *g)
{
	const struct ml_site *s = g->s;
	char age[96];
	unsigned int k;

	fprintf(fp, "%7lu %s", s->count, s->key.addr ? g->sym->str : "<not-available>");
	fprintf(fp, " cache=%s bytes=%llu", g->c->name,
		(unsigned long long)s->count * g->c->object_size);
	if (s->waste)
		fprintf(fp, " waste=%llu/%llu", s->waste, s->waste / s->count);
	fprintf(fp, " %s", ml_age_str(s, g->hz, age, sizeof(age)));
	if (s->aged) {
		if (s->min_pid != s->max_pid)
			fprintf(fp, " pid=%ld-%ld", s->min_pid, s->max_pid);
		else
			fprintf(fp, " pid=%ld", s->min_pid);
	}
	if (kt->cpus > 1 && g->cpus[0])
		fprintf(fp, " cpus=%s%s", g->cpus, s->cpus_more ? ",..." : "");
	if (vt->numnodes > 1 && g->nodes[0])
		fprintf(fp, " nodes=%s", g->nodes);
	fputc('\n', fp);
	if (s->handles_differ)
		fprintf(fp, "        (several stacks; the first shown, --stack splits them)\n");
	if (g->nr)
		for (k = 0; k < g->nr; k++)
			fprintf(fp, "        %s\n", ml_symbolize(g->entries[k]));
	else if (s->first_handle || g->st != ML_DEPOT_NOHANDLE)
		fprintf(fp, "        (stack: %s)\n", ml_depot_status_str(g->st));
	fputc('\n', fp);
}

/* the groups sorted, filtered (--min, -m, --top) and printed */
static void ml_print_callsites(struct ml_report *r, struct ml_slab_data *d,
			       const struct ml_slabtop_opts *o)
{
	unsigned long *objsize, total = 0;
	struct ml_site **v;
	struct ml_site_view g;
	size_t n, i, shown = 0;

	objsize = ml_alloc((d->n + 1) * sizeof(*objsize));
	for (i = 0; i < d->n; i++)
		objsize[i] = d->caches[i].object_size;
	v = ml_sites_sorted(d->sites, o->sort_given ? (enum ml_site_sort)o->sort : ML_SITE_BY_COUNT,
			    objsize, &n);
	if (o->json) {
		mj_str(&r->j, "track", o->free_track ? "free" : "alloc");
		mj_str(&r->j, "group_by", o->by_stack ? "stack" : "caller");
		mj_uint(&r->j, "caches", d->with_tracks);
		mj_uint(&r->j, "objects", d->objects_seen);
		mj_double(&r->j, "hz", ml_feat.hz, 0);
		mj_arr(&r->j, "callsites");
	}
	memset(&g, 0, sizeof(g));
	g.hz = ml_feat.hz;
	for (i = 0; i < n; i++) {
		g.s = v[i];
		g.c = &d->caches[g.s->key.cache];
		g.sym = ml_sym_lookup(g.s->key.addr);
		if ((long)g.s->count < o->min_count)
			continue;
		if (o->module && (!g.sym->module || strcmp(g.sym->module, o->module)))
			continue;
		if (o->top && (long)shown >= o->top)
			break;
		shown++;
		total += g.s->count;
		g.nr = ml_slab_stack(d, g.s->first_handle, &g.entries, &g.st);
		ml_bitmap_list(g.s->cpus, ML_SITE_CPU_WORDS, g.cpus, sizeof(g.cpus));
		ml_bitmap_list(&g.s->nodes, 1, g.nodes, sizeof(g.nodes));
		if (o->json)
			ml_json_site(&r->j, &g);
		else
			ml_text_site(&g);
	}
	if (o->json) {
		mj_arr_end(&r->j);
		mj_uint(&r->j, "shown_objects", total);
		return;
	}
	fprintf(fp, "%zu of %zu callsites, %lu of %lu objects, %lu caches with tracks "
		"(%s track, by %s)\n", shown, n, total, d->objects_seen, d->with_tracks,
		o->free_track ? "free" : "alloc", o->by_stack ? "stack" : "caller");
	for (i = 0; i < d->n; i++)
		if (d->caches[i].problem[0])
			fprintf(fp, "%s: %s\n", d->caches[i].name, d->caches[i].problem);
}

/* ---- the command ------------------------------------------------------- */

static void ml_print_cost(const struct ml_slab_data *d, const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(fp, "walked %zu caches, %lu slabs (%.1f MiB read), %lu objects visited; "
		"%lu stacks from %lu depot pools; %.3f s\n", d->n, d->slabs_read,
		d->bytes_read / 1048576.0, d->objects_seen, ml_depot_stats.records,
		ml_depot_stats.pools_read,
		(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9);
}

void ml_cmd_slabtop(int argc, char **argv)
{
	struct ml_slabtop_opts o;
	struct ml_slab_collect_opts co;
	struct ml_slab_data d;
	struct ml_report r;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	memset(&co, 0, sizeof(co));
	co.callsites = co.tracked_only = o.callsite;
	co.free_track = o.free_track;
	co.by_stack = o.by_stack;
	co.caches = o.caches;
	/* nothing is printed before the model is built */
	rc = ml_slab_collect(&d, &co);
	ml_report_begin(&r, "slabtop", o.json);
	if (rc < 0) {
		ml_report_fail(&r);
		return;
	}
	if (o.caches && !d.n && !o.callsite) {
		ml_fail("no cache named %s", o.caches);
		ml_report_fail(&r);
		return;
	}
	if (o.callsite && !d.n && !o.caches) {
		ml_fail("no cache has SLAB_STORE_USER, so no alloc tracks: boot with "
			"slub_debug=U (or slub_debug=U,CACHE)");
		ml_report_fail(&r);
		return;
	}
	if (o.callsite && !d.n && !o.json) {
		/* -c named only caches without tracks: the warnings say so */
		ml_report_end(&r);
		return;
	}
	if (o.callsite) {
		if (ml_feat.track_handle && ml_depot_unavailable())
			ml_warn("stacks unavailable: %s", ml_depot_unavailable());
		ml_print_callsites(&r, &d, &o);
	} else {
		ml_print_caches(&r, &d, &o);
	}
	if (o.verbose && !o.json)
		ml_print_cost(&d, &t0);
	ml_report_end(&r);
}
