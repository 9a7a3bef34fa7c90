/*
 * meminfo.c: "memleak meminfo" -- the lines of /proc/meminfo as this
 * kernel prints them, and the ledger of MemTotal down to the unaccounted
 * pages (collect/meminfo.c builds both).
 */
#include "cmd/cmd.h"

#include <getopt.h>

static void ml_ledger_print(const struct ml_ledger *lg, int page_shift)
{
	static const char *const h[] = { "LEDGER", "PAGES", "KB", "%" };
	static const enum ml_align a[] = { ML_LEFT, ML_RIGHT, ML_RIGHT, ML_RIGHT };
	struct ml_table *t = mt_new(4, h, a);
	double tot = lg->total ? (double)lg->total : 1;
	int i;

	for (i = 0; i < ML_LG_NR; i++) {
		mt_cell(t, "%s", ml_ledger_name(i));
		if (!lg->known[i]) {
			mt_cell(t, "?");
			mt_cell(t, "?");
			mt_cell(t, "unreadable");
			continue;
		}
		mt_cell(t, "%lld", lg->item[i]);
		mt_cell(t, "%lld", lg->item[i] << (page_shift - 10));
		mt_cell(t, "%.1f", 100.0 * lg->item[i] / tot);
	}
	mt_cell(t, "unaccounted");
	mt_cell(t, "%lld", lg->unaccounted);
	mt_cell(t, "%lld", lg->unaccounted * (1LL << (page_shift - 10)));
	mt_cell(t, "%.1f", 100.0 * lg->unaccounted / tot);
	mt_cell(t, "MemTotal");
	mt_cell(t, "%lu", lg->total);
	mt_cell(t, "%lu", lg->total << (page_shift - 10));
	mt_cell(t, "100.0");
	mt_print(t, fp, "");
	fprintf(fp, "unaccounted: pages allocated but in no counter (alloc_pages() callers "
		"that keep no statistics, leaks)%s\n",
		lg->complete ? "" : "; an unreadable item above counts as 0");
}

/* /proc/meminfo's lines, then the ledger */
static void ml_meminfo_text(const struct ml_meminfo *m, bool ledger_only)
{
	char line[128];
	int i;

	if (!ledger_only) {
		for (i = 0; i < m->n; i++) {
			if (m->l[i].why)
				ml_meminfo_na(line, sizeof(line), m->l[i].name, m->l[i].why);
			else
				ml_meminfo_line(line, sizeof(line), m->l[i].name, m->l[i].val,
						m->l[i].width, m->l[i].kb);
			fprintf(fp, "%s\n", line);
		}
		fputc('\n', fp);
	}
	ml_ledger_print(&m->ledger, m->page_shift);
}

static void ml_meminfo_json(struct ml_json *j, const struct ml_meminfo *m,
			    const struct ml_vmstat *vs, bool ledger_only, bool exact)
{
	const struct ml_ledger *lg = &m->ledger;
	int i;

	if (!ledger_only) {
		mj_obj(j, "meminfo");
		for (i = 0; i < m->n; i++) {
			if (m->l[i].why)
				mj_null(j, m->l[i].name);
			else
				mj_uint(j, m->l[i].name, m->l[i].val);
		}
		mj_obj_end(j);
		mj_obj(j, "not_computed");
		for (i = 0; i < m->n; i++)
			if (m->l[i].why)
				mj_str(j, m->l[i].name, m->l[i].why);
		mj_obj_end(j);
	}
	mj_obj(j, "ledger");
	mj_str(j, "unit", "pages");
	mj_int(j, "page_size", 1L << m->page_shift);
	mj_uint(j, "total", lg->total);
	for (i = 0; i < ML_LG_NR; i++) {
		if (lg->known[i])
			mj_int(j, ml_ledger_name(i), lg->item[i]);
		else
			mj_null(j, ml_ledger_name(i));
	}
	mj_int(j, "unaccounted", lg->unaccounted);
	mj_bool(j, "complete", lg->complete);
	mj_obj_end(j);
	mj_bool(j, "exact", exact);
	mj_uint(j, "failed_reads", vs->failed);
}

void ml_cmd_meminfo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ledger", no_argument, NULL, 'l' },
		{ "exact", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_opts o = { 0 };
	bool ledger_only = false, exact = false;
	struct ml_vmstat vs;
	struct ml_meminfo m = { 0 };
	struct ml_report r;
	int c;

	ml_opt_begin("meminfo", argc, argv);
	while ((c = getopt_long(argc, argv, "jleh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 'l': ledger_only = true; break;
		case 'e': exact = true; break;
		case 'h': ml_print_sub_help("meminfo"); return;
		default:
			ml_opt_error("meminfo", argc, argv, longopts);
			return;
		}
	}
	if (!ml_opt_end("meminfo", argc, argv))
		return;
	ml_report_begin(&r, "meminfo", o.json);
	if (ml_meminfo_collect(&m, &vs, exact) < 0) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_meminfo_json(&r.j, &m, &vs, ledger_only, exact);
	else
		ml_meminfo_text(&m, ledger_only);
	ml_report_end(&r);
}
