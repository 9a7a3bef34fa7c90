/*
 * pageowner.c: "memleak pageowner" -- page_owner records grouped by stack,
 * pid, comm or module, like tools/mm/page_owner_sort --cull, from the dump
 * (collect/pageowner.c walks them): the options, the text and the JSON.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>
#include <time.h>

struct ml_po_cmd {
	struct ml_po_opts sel;	/* what the collector selects, groups, sorts */
	bool json;
	bool pfns;		/* --pfns: list each allocation's pfn (JSON) */
	long top;		/* 0: all */
};

/* ---- names ------------------------------------------------------------- */

static const char *ml_po_cull_name(enum ml_po_cull c)
{
	switch (c) {
	case ML_PO_BY_STACK: return "stacktrace";
	case ML_PO_BY_PID: return "pid";
	case ML_PO_BY_COMM: return "comm";
	case ML_PO_BY_MODULE: return "module";
	}
	return "?";
}

static const char *ml_po_sort_name(enum ml_po_sort s)
{
	switch (s) {
	case ML_PO_SORT_PAGES: return "pages";
	case ML_PO_SORT_ALLOCS: return "allocations";
	case ML_PO_SORT_TS: return "timestamp";
	}
	return "?";
}

static const char *ml_po_gfp_str(const struct ml_po_data *d, uint32_t gfp, char *buf, size_t len)
{
	char names[512];

	snprintf(buf, len, "0x%x(%s)", gfp,
		 ml_gfp_format(gfp, d->gfp_names, d->nr_gfp_names, names, sizeof(names)));
	return buf;
}

/* ---- text -------------------------------------------------------------- */

void ml_po_print_stack(struct ml_po_data *d, uint32_t handle)
{
	const ulong *e;
	enum ml_depot_status st;
	const char *sp;
	unsigned int i, nr = ml_pageowner_stack(d, handle, &e, &st, &sp);

	if (st != ML_DEPOT_OK) {
		fprintf(fp, " (stack %#x: %s)\n", handle, ml_depot_status_str(st));
		return;
	}
	for (i = 0; i < nr; i++)
		fprintf(fp, " %s\n", ml_symbolize(e[i]));
	if (sp)
		fprintf(fp, " (%s)\n", sp);
}

/* the totals, and what the walk could not see */
static void ml_po_text_head(const struct ml_po_data *d, const struct ml_po_cmd *o, double secs)
{
	const struct ml_po_opts *s = &o->sel;
	char b2[64];
	int k;

	fprintf(fp, "page_owner: %lu %s, %lu pages (%s) in %zu %s%s%s\n", d->allocations,
		s->freed ? "freed allocations" : "allocations", d->pages,
		ml_human_bytes((unsigned long long)d->pages * PAGESIZE(), b2, sizeof(b2)), d->n,
		s->cull == ML_PO_BY_STACK ? "stacks" : "groups",
		s->unaccounted ? ", class \"other\" only (unaccounted)" : "",
		!s->freed ? "" : s->alloc_stack ? ", grouped by the stack that allocated them"
		: ", grouped by the stack that freed them");
	fprintf(fp, "  pages by class:");
	for (k = 0; k < ML_PO_NCLASS; k++)
		if (d->class_pages[k])
			fprintf(fp, " %s %lu", ml_po_class_name(k), d->class_pages[k]);
	fputc('\n', fp);
	if (d->special_pages && !s->unaccounted)
		fprintf(fp, "  %lu pages carry the kernel's placeholder stacks (early_handle: "
			"allocated before page_owner was ready)\n", d->special_pages);
	if (s->unaccounted)
		fprintf(fp, "  placeholder stacks (early_handle, dummy_handle, failure_handle) "
			"are left out: their pages were not allocated through a recorded path\n");
	if (d->no_stack)
		fprintf(fp, "  %lu pages with no stack recorded (handle 0), not counted\n", d->no_stack);
	if (d->buddy_allocated)
		fprintf(fp, "  %lu free block(s) still marked allocated, skipped as the kernel does\n",
			d->buddy_allocated);
	if (d->unreadable_pages || d->unreadable_ext)
		fprintf(fp, "  not in the dump: %lu struct pages, %lu page_ext entries\n",
			d->unreadable_pages, d->unreadable_ext);
	if (!d->vm_known)
		fprintf(fp, "  vmalloc pages not identified (vmap_area_list not walked): counted as other\n");
	if (d->stack_list_ok || d->stack_list_differ)
		fprintf(fp, "  kernel's stack_list counts: %lu stacks agree, %lu differ\n",
			d->stack_list_ok, d->stack_list_differ);
	if (d->interrupted)
		fprintf(fp, "  INTERRUPTED: partial result\n");
	fprintf(fp, "  (%lu pfns walked in %.2f s)\n", d->pfns, secs);
}

/* one group, page_owner_sort style */
static void ml_po_text_group(struct ml_po_data *d, enum ml_po_cull cull,
			     const struct ml_po_group *g)
{
	char buf[256], b2[64];
	int k;

	fprintf(fp, "\n%lu times, %lu pages (%s), order%s %s", g->allocations, g->pages,
		ml_human_bytes((unsigned long long)g->pages * PAGESIZE(), b2, sizeof(b2)),
		(g->orders & (g->orders - 1)) ? "s" : "",
		ml_po_orders_str(g->orders, buf, sizeof(buf)));
	/* gfp masks per stack; a pid, comm or module has too many */
	for (k = 0; cull == ML_PO_BY_STACK && k < g->nr_gfp; k++)
		fprintf(fp, "%s%s", k ? ", " : ", mask ",
			ml_po_gfp_str(d, g->gfp[k], buf, sizeof(buf)));
	if (cull == ML_PO_BY_STACK && g->gfp_more)
		fprintf(fp, ", ...");
	fprintf(fp, ",");
	for (k = 0; k < ML_PO_NCLASS; k++)
		if (g->class_pages[k])
			fprintf(fp, " %s %lu", ml_po_class_name(k), g->class_pages[k]);
	switch (cull) {
	case ML_PO_BY_STACK:
		fprintf(fp, ":\n");
		ml_po_print_stack(d, g->handle);
		break;
	case ML_PO_BY_PID:
		fprintf(fp, ", PID %d, TGID %d, task_comm_name: %s\n", g->key.pid, g->tgid,
			g->comm);
		break;
	case ML_PO_BY_COMM:
		fprintf(fp, ", task_comm_name: %s\n", g->key.name);
		break;
	case ML_PO_BY_MODULE:
		fprintf(fp, ", module: %s\n", g->key.name);
		break;
	}
}

static void ml_po_text(struct ml_po_data *d, const struct ml_po_cmd *o, double secs)
{
	size_t i, shown = o->top > 0 && (size_t)o->top < d->n ? (size_t)o->top : d->n;

	ml_po_text_head(d, o, secs);
	for (i = 0; i < shown; i++)
		ml_po_text_group(d, o->sel.cull, d->v[i]);
	if (shown < d->n)
		fprintf(fp, "\n(%zu more %s not shown: --top %ld)\n", d->n - shown,
			o->sel.cull == ML_PO_BY_STACK ? "stacks" : "groups", o->top);
}

/* ---- JSON -------------------------------------------------------------- */

static void ml_po_json_head(struct ml_json *j, const struct ml_po_data *d,
			    const struct ml_po_cmd *o, double secs)
{
	const struct ml_po_opts *s = &o->sel;
	int k;

	mj_str(j, "cull", ml_po_cull_name(s->cull));
	mj_str(j, "sort", ml_po_sort_name(s->sort));
	mj_str(j, "records", s->freed ? "freed" : "allocated");
	if (s->freed)
		mj_str(j, "stack_of", s->alloc_stack ? "allocation" : "free");
	mj_bool(j, "unaccounted", s->unaccounted);
	mj_uint(j, "total_allocations", d->allocations);
	mj_uint(j, "total_pages", d->pages);
	mj_uint(j, "groups", d->n);
	mj_obj(j, "classes");
	for (k = 0; k < ML_PO_NCLASS; k++)
		mj_uint(j, ml_po_class_name(k), d->class_pages[k]);
	mj_obj_end(j);
	mj_uint(j, "placeholder_pages", d->special_pages);
	mj_uint(j, "no_stack_pages", d->no_stack);
	mj_uint(j, "free_blocks_marked_allocated", d->buddy_allocated);
	if (o->pfns && !s->freed) {
		size_t p;

		/* [pfn, order] of each (--pfns) */
		mj_arr(j, "free_blocks_marked_allocated_pfns");
		for (p = 0; p + 1 < d->nr_stale; p += 2)
			fprintf(fp, "%s[%lu,%lu]", p ? "," : "", d->stale[p], d->stale[p + 1]);
		mj_arr_end(j);
	}
	mj_uint(j, "pfns", d->pfns);
	mj_uint(j, "unreadable_pages", d->unreadable_pages);
	mj_uint(j, "unreadable_page_ext", d->unreadable_ext);
	mj_bool(j, "vmalloc_identified", d->vm_known);
	if (d->stack_list_ok || d->stack_list_differ) {
		mj_obj(j, "stack_list");
		mj_uint(j, "agree", d->stack_list_ok);
		mj_uint(j, "differ", d->stack_list_differ);
		mj_obj_end(j);
	}
	mj_bool(j, "interrupted", d->interrupted);
	mj_double(j, "seconds", secs, 3);
}

/* a group's stack (cull by stack), else whether its stacks differ */
void ml_po_json_stack(struct ml_json *j, struct ml_po_data *d, enum ml_po_cull cull,
			     const struct ml_po_group *g)
{
	const ulong *e;
	enum ml_depot_status st;
	const char *sp;
	unsigned int f, nr;

	if (cull != ML_PO_BY_STACK) {
		mj_bool(j, "stacks_differ", g->handles_differ);
		return;
	}
	nr = ml_pageowner_stack(d, g->handle, &e, &st, &sp);
	mj_uint(j, "handle", g->handle);
	if (sp)
		mj_str(j, "placeholder", sp);
	if (st != ML_DEPOT_OK)
		mj_str(j, "stack_error", ml_depot_status_str(st));
	mj_arr(j, "stack");
	for (f = 0; f < nr; f++)
		mj_str(j, NULL, ml_symbolize(e[f]));
	mj_arr_end(j);
}

static void ml_po_json_group(struct ml_json *j, struct ml_po_data *d, enum ml_po_cull cull,
			     const struct ml_po_group *g)
{
	char buf[512];
	int k;

	mj_obj(j, NULL);
	mj_uint(j, "allocations", g->allocations);
	mj_uint(j, "pages", g->pages);
	switch (cull) {
	case ML_PO_BY_STACK: break;
	case ML_PO_BY_PID:
		mj_int(j, "pid", g->key.pid);
		mj_int(j, "tgid", g->tgid);
		mj_str(j, "comm", g->comm);
		break;
	case ML_PO_BY_COMM: mj_str(j, "comm", g->key.name); break;
	case ML_PO_BY_MODULE: mj_str(j, "module", g->key.name); break;
	}
	mj_arr(j, "orders");
	for (k = 0; k < 32; k++)
		if (g->orders >> k & 1)
			mj_int(j, NULL, k);
	mj_arr_end(j);
	mj_arr(j, "gfp");
	for (k = 0; k < g->nr_gfp; k++)
		mj_str(j, NULL, ml_po_gfp_str(d, g->gfp[k], buf, sizeof(buf)));
	mj_arr_end(j);
	mj_obj(j, "classes");
	for (k = 0; k < ML_PO_NCLASS; k++)
		if (g->class_pages[k])
			mj_uint(j, ml_po_class_name(k), g->class_pages[k]);
	mj_obj_end(j);
	mj_uint(j, "ts_min_nsec", g->ts_min);
	mj_uint(j, "ts_max_nsec", g->ts_max);
	if (g->pfn_ts) {
		size_t p;

		/* [pfn, timestamp] of each allocation (--pfns) */
		mj_arr(j, "pfns");
		for (p = 0; p + 1 < g->nr_pfn_ts; p += 2) {
			fprintf(fp, "%s[%llu,%llu]", p ? "," : "",
				(unsigned long long)g->pfn_ts[p],
				(unsigned long long)g->pfn_ts[p + 1]);
		}
		mj_arr_end(j);
	}
	ml_po_json_stack(j, d, cull, g);
	mj_obj_end(j);
}

static void ml_po_json(struct ml_json *j, struct ml_po_data *d, const struct ml_po_cmd *o,
		       double secs)
{
	size_t i, shown = o->top > 0 && (size_t)o->top < d->n ? (size_t)o->top : d->n;

	ml_po_json_head(j, d, o, secs);
	mj_arr(j, "stacks");
	for (i = 0; i < shown; i++)
		ml_po_json_group(j, d, o->sel.cull, d->v[i]);
	mj_arr_end(j);
}

/* ---- the command ------------------------------------------------------- */

static bool ml_po_parse_cull(const char *arg, enum ml_po_cull *cull)
{
	if (!strcmp(arg, "stack") || !strcmp(arg, "stacktrace") || !strcmp(arg, "st"))
		*cull = ML_PO_BY_STACK;
	else if (!strcmp(arg, "pid") || !strcmp(arg, "p"))
		*cull = ML_PO_BY_PID;
	else if (!strcmp(arg, "comm") || !strcmp(arg, "name") || !strcmp(arg, "n"))
		*cull = ML_PO_BY_COMM;
	else if (!strcmp(arg, "module") || !strcmp(arg, "mod"))
		*cull = ML_PO_BY_MODULE;
	else {
		ml_usage_error("pageowner", "--cull: unknown key '%s'", arg);
		return false;
	}
	return true;
}

static bool ml_po_parse_sort(const char *arg, enum ml_po_sort *sort)
{
	if (!strcmp(arg, "pages") || !strcmp(arg, "memory"))
		*sort = ML_PO_SORT_PAGES;
	else if (!strcmp(arg, "allocations") || !strcmp(arg, "times"))
		*sort = ML_PO_SORT_ALLOCS;
	else if (!strcmp(arg, "timestamp") || !strcmp(arg, "ts"))
		*sort = ML_PO_SORT_TS;
	else {
		ml_usage_error("pageowner", "--sort: unknown key '%s'", arg);
		return false;
	}
	return true;
}

/* the options into o; false when done (-h, or after a usage error) */
static bool ml_po_options(int argc, char **argv, struct ml_po_cmd *o)
{
	static const struct option longopts[] = {
		{ "cull", required_argument, NULL, 'c' },
		{ "sort", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'C' },
		{ "order", required_argument, NULL, 'o' },
		{ "gfp", required_argument, NULL, 'g' },
		{ "module", required_argument, NULL, 'M' },
		{ "top", required_argument, NULL, 'n' },
		{ "unaccounted", no_argument, NULL, 'u' },
		{ "freed", no_argument, NULL, 'f' },
		{ "alloc-stack", no_argument, NULL, 'A' },
		{ "pfns", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_po_opts *s = &o->sel;
	int opt;

	ml_opt_begin("pageowner", argc, argv);
	while ((opt = getopt_long(argc, argv, "c:s:p:C:o:g:M:n:ufjhmta", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!ml_po_parse_cull(optarg, &s->cull))
				return false;
			break;
		case 's':
			if (!ml_po_parse_sort(optarg, &s->sort))
				return false;
			break;
		/* page_owner_sort's own sort letters */
		case 'm': s->sort = ML_PO_SORT_PAGES; break;
		case 't': s->sort = ML_PO_SORT_ALLOCS; break;
		case 'a': s->sort = ML_PO_SORT_TS; break;
		case 'p':
			if (!ml_opt_num("--pid", optarg, 0, INT_MAX, &s->pid))
				return false;
			s->have_pid = true;
			break;
		case 'o':
			if (!ml_opt_num("--order", optarg, 0, 63, &s->order))
				return false;
			s->have_order = true;
			break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return false;
			break;
		case 'C': s->comm = optarg; break;
		case 'g': s->gfp = optarg; break;
		case 'M': s->module = optarg; break;
		case 'u': s->unaccounted = true; break;
		case 'f': s->freed = true; break;
		case 'A': s->alloc_stack = true; break;
		case 'P': o->pfns = true; break;
		case 'j': o->json = true; break;
		case 'h': ml_print_sub_help("pageowner"); return false;
		default:
			ml_opt_error("pageowner", argc, argv, longopts);
			return false;
		}
	}
	if (!ml_opt_end("pageowner", argc, argv))
		return false;
	if (s->alloc_stack && !s->freed) {
		ml_usage_error("pageowner", "--alloc-stack goes with --freed");
		return false;
	}
	if (s->unaccounted && s->freed) {
		ml_usage_error("pageowner", "--unaccounted and --freed exclude each other");
		return false;
	}
	/* the pfns only JSON prints */
	s->pfns = o->pfns && o->json;
	return true;
}

void ml_cmd_pageowner(int argc, char **argv)
{
	struct ml_po_cmd o = { 0 };
	struct ml_po_data d;
	struct ml_report r;
	struct timespec t0, t1;
	double secs;
	int rc;

	if (!ml_po_options(argc, argv, &o))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ml_pageowner_select(&d, &o.sel);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0 && d.gfp_unknown) {
		ml_usage_error("pageowner", "%s", ml_failure());
		return;
	}
	ml_report_begin(&r, "pageowner", o.json);
	if (rc < 0) {
		ml_report_fail(&r);
		return;
	}
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (o.json)
		ml_po_json(&r.j, &d, &o, secs);
	else
		ml_po_text(&d, &o, secs);
	ml_report_end(&r);
}
