/*
 * cma.c: "memleak cma" -- each CMA area (collect/cma.c) with its size and
 * use as debugfs cma/<name>/ shows them, and with --stacks the page_owner
 * stacks that hold its pages. Options, the text report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

struct ml_cma_opts {
	bool json, stacks;
	long top;
	const char *name;
};

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_cma_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "stacks", no_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'N' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->top = 5;
	ml_opt_begin("cma", argc, argv);
	while ((c = getopt_long(argc, argv, "jsN:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 's': o->stacks = true; break;
		case 'N': o->name = optarg; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'h': ml_print_sub_help("cma"); return 1;
		default:
			ml_opt_error("cma", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("cma", argc, argv) ? 0 : -1;
}

static bool ml_cma_shown(const struct ml_cma_area *a, const struct ml_cma_opts *o)
{
	return !o->name || ml_name_in_list(a->name, o->name);
}

static void ml_cma_text_stacks(struct ml_cma_area *a, const struct ml_cma_opts *o)
{
	char b[32];
	size_t i;

	if (!a->po_ok)
		return;
	fprintf(fp, "\n%s: %lu pages allocated in %lu allocations, by %zu stack%s%s\n", a->name,
		a->po.pages, a->po.allocations, a->po.n, a->po.n == 1 ? "" : "s",
		a->po.pages < a->used ? " (fewer than used: pages allocated before page_owner "
		"started, or without a record)" : "");
	for (i = 0; i < a->po.n && (!o->top || (long)i < o->top); i++) {
		const struct ml_po_group *g = a->po.v[i];

		fprintf(fp, "\n%lu times, %lu pages (%s):\n", g->allocations, g->pages,
			ml_human_bytes((unsigned long long)g->pages * PAGESIZE(), b, sizeof(b)));
		ml_po_print_stack(&a->po, g->handle);
	}
	if (o->top && (long)a->po.n > o->top)
		fprintf(fp, "\n%zu of %zu stacks shown (--top 0: all)\n", (size_t)o->top, a->po.n);
}

static void ml_text(struct ml_cma_data *d, const struct ml_cma_opts *o)
{
	char b1[32], b2[32];
	size_t i;
	int r;

	fprintf(fp, "%zu CMA area%s, %s; %lu pages used (%s)\n", d->n, d->n == 1 ? "" : "s",
		ml_human_bytes((unsigned long long)d->count * PAGESIZE(), b1, sizeof(b1)), d->used,
		ml_human_bytes((unsigned long long)d->used * PAGESIZE(), b2, sizeof(b2)));
	if (!d->n)
		return;
	fprintf(fp, "\n%-16s %12s %10s %10s %10s %13s\n", "name", "base_pfn", "count", "used",
		"maxchunk", "order_per_bit");
	for (i = 0; i < d->n; i++) {
		const struct ml_cma_area *a = &d->v[i];

		if (!ml_cma_shown(a, o))
			continue;
		for (r = 0; r < a->nr; r++)
			fprintf(fp, "%-16s %12lu %10lu %10lu %10lu %13u%s%s\n", r ? "" : a->name,
				a->r[r].base_pfn, a->r[r].count, a->r[r].used, a->r[r].maxchunk,
				a->order_per_bit, a->r[r].ok ? "" : "  bitmap unreadable",
				a->hugetlb && !r ? "  hugetlb_cma" : "");
	}
	if (!o->stacks)
		return;
	if (d->po_why) {
		fprintf(fp, "\nno stacks: %s\n", d->po_why);
		return;
	}
	for (i = 0; i < d->n && !ml_interrupted(); i++)
		if (ml_cma_shown(&d->v[i], o))
			ml_cma_text_stacks(&d->v[i], o);
}

static void ml_json_stacks(struct ml_json *j, struct ml_cma_area *a, const struct ml_cma_opts *o)
{
	size_t i;

	if (!a->po_ok) {
		mj_null(j, "stacks");
		return;
	}
	mj_uint(j, "owner_pages", a->po.pages);
	mj_arr(j, "stacks");
	for (i = 0; i < a->po.n && (!o->top || (long)i < o->top); i++) {
		const struct ml_po_group *g = a->po.v[i];

		mj_obj(j, NULL);
		mj_uint(j, "allocations", g->allocations);
		mj_uint(j, "pages", g->pages);
		ml_po_json_stack(j, &a->po, ML_PO_BY_STACK, g);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

static void ml_json(struct ml_json *j, struct ml_cma_data *d, const struct ml_cma_opts *o)
{
	size_t i;
	int r;

	mj_uint(j, "page_size", PAGESIZE());
	mj_uint(j, "count", d->count);
	mj_uint(j, "used", d->used);
	if (o->stacks && d->po_why)
		mj_str(j, "stacks_unavailable", d->po_why);
	mj_arr(j, "areas");
	for (i = 0; i < d->n; i++) {
		struct ml_cma_area *a = &d->v[i];

		if (!ml_cma_shown(a, o))
			continue;
		mj_obj(j, NULL);
		mj_str(j, "name", a->name);
		mj_uint(j, "base_pfn", a->r[0].base_pfn);
		mj_uint(j, "count", a->count);
		mj_uint(j, "used", a->used);
		mj_uint(j, "maxchunk", a->maxchunk);
		mj_uint(j, "order_per_bit", a->order_per_bit);
		mj_bool(j, "bitmap_read", a->ok);
		mj_bool(j, "hugetlb", a->hugetlb);
		mj_arr(j, "ranges");
		for (r = 0; r < a->nr; r++) {
			mj_obj(j, NULL);
			mj_uint(j, "base_pfn", a->r[r].base_pfn);
			mj_uint(j, "count", a->r[r].count);
			mj_uint(j, "used", a->r[r].used);
			mj_uint(j, "maxchunk", a->r[r].maxchunk);
			mj_obj_end(j);
		}
		mj_arr_end(j);
		if (o->stacks && !d->po_why)
			ml_json_stacks(j, a, o);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

void ml_cmd_cma(int argc, char **argv)
{
	struct ml_cma_opts o;
	struct ml_cma_data d;
	struct ml_report r;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "cma", o.json);
	if (ml_cma_collect(&d, o.stacks) < 0 || ml_interrupted()) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_json(&r.j, &d, &o);
	else
		ml_text(&d, &o);
	ml_report_end(&r);
}
