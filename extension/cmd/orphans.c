/*
 * orphans.c: "memleak orphans" -- kmemleak's reachability scan run on the
 * dump (collect/orphans.c): the allocated objects no pointer in memory
 * reaches, grouped by the callsite that allocated them, and what the scan
 * covered. Options, the text report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>
#include <time.h>

struct ml_orphans_opts {
	bool json, by_stack;
	long top, min_count;
	const char *caches, *module;
};

static double ml_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- options ---------------------------------------------------------- */

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_orphans_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "stack", no_argument, NULL, 'S' },
		{ "top", required_argument, NULL, 'n' },
		{ "cache", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	ml_opt_begin("orphans", argc, argv);
	while ((c = getopt_long(argc, argv, "jc:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'S': o->by_stack = true; break;
		case 'c': o->caches = optarg; break;
		case 'm': o->module = optarg; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'M':
			if (!ml_opt_num("--min", optarg, 0, LONG_MAX, &o->min_count))
				return -1;
			break;
		case 'h': ml_print_sub_help("orphans"); return 1;
		default:
			ml_opt_error("orphans", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("orphans", argc, argv) ? 0 : -1;
}

/* ---- progress: text mode only, every few seconds ----------------------- */

struct ml_progress {
	struct timespec t0;
	double last;
};

static void ml_progress_cb(void *arg, const char *phase, unsigned long done, unsigned long total)
{
	struct ml_progress *p = arg;
	double t = ml_since(&p->t0);

	if (t - p->last < 3.0)
		return;
	p->last = t;
	if (total)
		fprintf(fp, "orphans: %.0f s, %s %lu/%lu\n", t, phase, done, total);
	else
		fprintf(fp, "orphans: %.0f s, %s\n", t, phase);
	fflush(fp);
}

/* ---- the groups -------------------------------------------------------- */

static const char *ml_caller_str(const struct ml_orph_group *g)
{
	if (g->key.caller)
		return ml_symbolize(g->key.caller);
	return g->key.kind == ML_ORK_SLAB ? "<no alloc track>" : "<no stack>";
}

static void ml_json_group(struct ml_json *j, struct ml_orph_data *d, const struct ml_orph_group *g)
{
	enum ml_depot_status st;
	const ulong *e;
	unsigned int nr = ml_orphans_stack(d, g, &e, &st), k;

	mj_obj(j, NULL);
	mj_str(j, "kind", ml_orph_kind_name(g->key.kind));
	mj_str(j, "where", ml_orphans_where(d, g));
	ml_group_json(j, g, ml_caller_str(g));
	mj_arr(j, "stack");
	for (k = 0; k < nr; k++)
		mj_str(j, NULL, ml_symbolize(e[k]));
	mj_arr_end(j);
	mj_obj_end(j);
}

static void ml_text_group(struct ml_orph_data *d, const struct ml_orph_group *g, bool stack)
{
	fprintf(fp, "%7lu %s %s=%s", g->count, ml_caller_str(g),
		g->key.kind == ML_ORK_SLAB ? "cache" : "kind",
		g->key.kind == ML_ORK_SLAB ? ml_orphans_where(d, g) : ml_orph_kind_name(g->key.kind));
	ml_group_text_tail(g);
	if (stack) {
		enum ml_depot_status st;
		const ulong *e;
		unsigned int nr = ml_orphans_stack(d, g, &e, &st), k;

		if (g->handles_differ)
			fprintf(fp, "        (several stacks; the first shown)\n");
		for (k = 0; k < nr; k++)
			fprintf(fp, "        %s\n", ml_symbolize(e[k]));
		if (!nr && g->first_handle)
			fprintf(fp, "        (stack: %s)\n", ml_depot_status_str(st));
		fputc('\n', fp);
	}
}

/* ---- totals --------------------------------------------------------------- */

static void ml_json_totals(struct ml_json *j, const struct ml_orph_data *d, double secs)
{
	int k;

	mj_obj(j, "objects");
	for (k = 0; k < ML_ORK_NR; k++) {
		mj_obj(j, ml_orph_kind_name(k));
		mj_uint(j, "tracked", d->tracked[k]);
		mj_uint(j, "tracked_bytes", d->tracked_bytes[k]);
		mj_uint(j, "reached", d->reached[k]);
		mj_uint(j, "unreferenced", d->unref[k]);
		mj_uint(j, "unreferenced_bytes", d->unref_bytes[k]);
		mj_obj_end(j);
	}
	mj_uint(j, "not_judged", d->unknown_objects);
	mj_uint(j, "not_judged_slabs", d->unknown_slabs);
	mj_uint(j, "full_slabs_from_struct_page", d->full_unlisted);
	mj_uint(j, "caches_without_tracks", d->caches_untracked);
	mj_bool(j, "page_owner", d->page_owner);
	mj_bool(j, "vmalloc_areas_tracked", d->vmalloc);
	mj_obj_end(j);
	mj_obj(j, "roots");
	for (k = 0; k < ML_RK_NR; k++) {
		mj_obj(j, ml_root_kind_name(k));
		mj_uint(j, "ranges", d->roots[k].ranges);
		mj_uint(j, "bytes", d->roots[k].bytes);
		mj_uint(j, "unreadable", d->roots[k].unreadable);
		mj_obj_end(j);
	}
	mj_obj_end(j);
	mj_obj(j, "scan");
	mj_uint(j, "words", d->words);
	mj_uint(j, "bytes_read", d->bytes_read);
	mj_uint(j, "objects_unreadable", d->objects_unreadable);
	mj_uint(j, "reserved_pages_unreadable", d->reserved_unreadable);
	mj_uint(j, "pfns", d->pfns);
	mj_uint(j, "struct_pages_unreadable", d->pages_unreadable);
	mj_uint(j, "vmap_areas", d->vmap_areas);
	mj_uint(j, "cached_stacks", d->dead_stacks);
	mj_uint(j, "kernel_data_freed", d->image_freed);
	mj_uint(j, "memory", d->memory);
	mj_double(j, "seconds", secs, 3);
	mj_bool(j, "interrupted", d->interrupted);
	mj_obj_end(j);
}

static void ml_text_totals(const struct ml_orph_data *d, double secs)
{
	static const char *const unit[ML_ORK_NR] = { "objects", "allocations", "areas" };
	char b1[32], b2[32];
	int k;

	for (k = 0; k < ML_ORK_NR; k++)
		fprintf(fp, "%-8s %lu %s tracked (%s), %lu reached, %lu unreferenced (%s)\n",
			ml_orph_kind_name(k), d->tracked[k], unit[k],
			ml_human_bytes(d->tracked_bytes[k], b1, sizeof(b1)), d->reached[k],
			d->unref[k], ml_human_bytes(d->unref_bytes[k], b2, sizeof(b2)));
	if (d->unknown_objects)
		fprintf(fp, "         %lu slab objects not judged (%lu slabs not in the dump or "
			"with a broken freelist)\n", d->unknown_objects, d->unknown_slabs);
	fputs("roots   ", fp);
	for (k = 0; k < ML_RK_NR; k++) {
		fprintf(fp, "%s %s %lu %s", k ? "," : "", ml_root_kind_name(k), d->roots[k].ranges,
			ml_human_bytes(d->roots[k].bytes, b1, sizeof(b1)));
		if (d->roots[k].unreadable)
			fprintf(fp, " (%s not in the dump)",
				ml_human_bytes(d->roots[k].unreadable, b2, sizeof(b2)));
	}
	fputc('\n', fp);
	fprintf(fp, "scan     %llu words, %s read, %lu struct pages (%lu not in the dump), "
		"tables %s, %.2f s%s\n", d->words, ml_human_bytes(d->bytes_read, b1, sizeof(b1)),
		d->pfns, d->pages_unreadable, ml_human_bytes(d->memory, b2, sizeof(b2)), secs,
		d->interrupted ? " (interrupted: partial)" : "");
}

/* what the dump did not let the scan see, each with its fix */
static void ml_orphans_warnings(const struct ml_orph_data *d)
{
	if (!d->page_owner)
		ml_warn("page allocations are roots only, never reported: %s",
			ml_pageowner_unavailable() ? ml_pageowner_unavailable()
						   : "page_owner records unreadable (boot with page_owner=on)");
	if (d->caches_untracked)
		ml_warn("%lu of %zu caches keep no alloc tracks: their objects are grouped by "
			"cache; boot with slub_debug=U for callsites", d->caches_untracked, d->slab.n);
	if (d->objects_unreadable)
		ml_warn("%llu bytes of reached objects are not in the dump: what only they "
			"pointed at may be reported", d->objects_unreadable);
	if (d->roots[ML_RK_PAGES].unreadable > d->reserved_unreadable) {
		char b[160] = "";
		size_t i, n = 0;

		for (i = 0; i < d->nmissing && n < sizeof(b); i++)
			n += snprintf(b + n, sizeof(b) - n, "%s%llx-%llx", i ? ", " : "",
				      (unsigned long long)d->missing[i].start,
				      (unsigned long long)(d->missing[i].start + d->missing[i].len - 1));
		ml_warn("%llu bytes of root pages are not in the dump (pfns %s%s): what they "
			"pointed at may be reported",
			d->roots[ML_RK_PAGES].unreadable - d->reserved_unreadable, b,
			d->nmissing == sizeof(d->missing) / sizeof(d->missing[0]) ? ", ..." : "");
	}
	if (d->pagetables || d->split_pages)
		ml_warn("%lu page allocations are page tables (no object: referred to by "
			"physical address); %lu pages joined to the split allocation before them",
			d->pagetables, d->split_pages);
	if (d->interrupted)
		ml_warn("interrupted: the scan is partial, what it did not reach is reported");
}

/* ---- the command -------------------------------------------------------- */

static void ml_print(struct ml_report *r, struct ml_orph_data *d, const struct ml_orphans_opts *o,
		     double secs)
{
	size_t i, shown = 0;
	unsigned long objs = 0;

	if (o->json) {
		mj_str(&r->j, "group_by", o->by_stack ? "stack" : "caller");
		mj_arr(&r->j, "groups");
	} else {
		fprintf(fp, "UNREFERENCED: allocated objects no pointer in memory reaches, by %s\n",
			o->by_stack ? "stack" : "callsite");
	}
	for (i = 0; i < d->n; i++) {
		const struct ml_orph_group *g = d->v[i];

		if ((long)g->count < o->min_count)
			continue;
		if (o->top && (long)shown >= o->top)
			break;
		shown++;
		objs += g->count;
		if (o->json)
			ml_json_group(&r->j, d, g);
		else
			ml_text_group(d, g, o->by_stack);
	}
	if (o->json) {
		mj_arr_end(&r->j);
		mj_uint(&r->j, "shown_groups", shown);
		mj_uint(&r->j, "groups_total", d->n);
		mj_uint(&r->j, "shown_objects", objs);
		ml_json_totals(&r->j, d, secs);
		return;
	}
	fprintf(fp, "%s%zu of %zu groups, %lu of %lu unreferenced objects shown\n",
		shown ? "\n" : "", shown, d->n, objs, d->shown_objects);
	ml_text_totals(d, secs);
}

void ml_cmd_orphans(int argc, char **argv)
{
	struct ml_orphans_opts o;
	struct ml_orph_opts co;
	struct ml_orph_data d;
	struct ml_progress p;
	struct ml_report r;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	if (ml_parse_opts(argc, argv, &o))
		return;
	memset(&co, 0, sizeof(co));
	co.by_stack = o.by_stack;
	co.caches = o.caches;
	co.module = o.module;
	if (!o.json) {
		co.progress = ml_progress_cb;
		co.arg = &p;
	}
	rc = ml_orphans_collect(&d, &co);
	ml_report_begin(&r, "orphans", o.json);
	if (rc < 0) {
		ml_report_fail(&r);
		return;
	}
	ml_orphans_warnings(&d);
	if (o.caches) {
		size_t i;
		bool any = false;

		for (i = 0; i < d.slab.n; i++)
			any |= ml_name_in_list(d.slab.caches[i].name, o.caches);
		if (!any)
			ml_warn("no cache named %s", o.caches);
	}
	ml_print(&r, &d, &o, ml_since(&p.t0));
	ml_report_end(&r);
}
