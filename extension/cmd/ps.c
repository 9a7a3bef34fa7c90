/*
 * ps.c: "memleak ps" -- every process's memory (collect/ps.c) as procrank
 * lists it: resident pages by kind, swap, page tables, mapped size and
 * oom_score_adj, largest first; each address space counted once in the
 * totals. Options, the text report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

struct ml_ps_cmd_opts {
	bool json, proc;
	long top;
	struct ml_ps_opts c;
};

static const char *const ml_ps_keys[] = {
	[ML_PS_RSS] = "rss", [ML_PS_ANON] = "anon", [ML_PS_FILE] = "file",
	[ML_PS_SHMEM] = "shmem", [ML_PS_SWAP] = "swap", [ML_PS_PGTABLES] = "pgtables",
	[ML_PS_VSS] = "vss", [ML_PS_PID] = "pid",
};

static bool ml_ps_sort_of(const char *s, enum ml_ps_key *k)
{
	size_t i;

	for (i = 0; i < sizeof(ml_ps_keys) / sizeof(ml_ps_keys[0]); i++)
		if (strcmp(s, ml_ps_keys[i]) == 0) {
			*k = (enum ml_ps_key)i;
			return true;
		}
	return false;
}

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_ps_cmd_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "sort", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "kthreads", no_argument, NULL, 'k' },
		{ "proc", no_argument, NULL, 'P' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	ml_opt_begin("ps", argc, argv);
	while ((c = getopt_long(argc, argv, "js:p:c:kn:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 's':
			if (!ml_ps_sort_of(optarg, &o->c.sort)) {
				ml_usage_error("ps", "unknown sort key '%s' (rss, anon, file, shmem, "
					       "swap, pgtables, vss, pid)", optarg);
				return -1;
			}
			break;
		case 'p':
			if (!ml_opt_num("-p", optarg, 1, LONG_MAX, &o->c.pid))
				return -1;
			break;
		case 'c': o->c.comm = optarg; break;
		case 'k': o->c.kthreads = true; break;
		case 'P': o->proc = true; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'h': ml_print_sub_help("ps"); return 1;
		default:
			ml_opt_error("ps", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("ps", argc, argv) ? 0 : -1;
}

static unsigned long long ml_kb(long long pages)
{
	return pages > 0 ? (unsigned long long)pages * (ml_feat.page_size / 1024) : 0;
}

static void ml_ps_line(const struct ml_proc *p, const long long *pg)
{
	char adj[8];

	if (p->adj_known)
		snprintf(adj, sizeof(adj), "%d", p->oom_score_adj);
	else
		snprintf(adj, sizeof(adj), "?");
	fprintf(fp, "%7lu %4lu %10llu %9llu %9llu %9llu %8llu %8llu %7llu %5s  %s%s\n", p->tgid,
		p->threads, p->vm / 1024, ml_kb(ml_proc_rss(pg)), ml_kb(pg[ML_RSS_ANON]),
		ml_kb(pg[ML_RSS_FILE]), ml_kb(pg[ML_RSS_SHMEM]), ml_kb(pg[ML_RSS_SWAP]),
		(unsigned long long)(p->pgtables > 0 ? p->pgtables : 0) / 1024, adj, p->comm,
		p->unreadable ? " (counters not in the dump)" :
		p->shares_mm ? " (shares an mm: not counted again)" :
		p->kthread ? " [kernel thread]" : "");
}

/* the total of /proc's values: each address space once, as the kept total */
static void ml_proc_total(const struct ml_ps_data *d, long long *pg)
{
	size_t i;
	int k;

	memset(pg, 0, ML_NR_RSS * sizeof(*pg));
	for (i = 0; i < d->n; i++)
		if (d->v[i].mm && !d->v[i].shares_mm)
			for (k = 0; k < ML_NR_RSS; k++)
				pg[k] += d->v[i].proc_pages[k];
}

static void ml_text(const struct ml_ps_data *d, const struct ml_ps_cmd_opts *o)
{
	const struct ml_ps_total *t = &d->kept;
	long long proc[ML_NR_RSS];
	const long long *tp = t->pages;
	size_t i;

	if (o->proc) {
		ml_proc_total(d, proc);
		tp = proc;
	}

	fprintf(fp, "%lu processes with an address space, %lu kernel threads (%lu tasks), "
		"%lu exited; %lu tasks in all\n", d->processes, d->kthreads, d->kthread_tasks,
		d->exited, d->tasks);
	fprintf(fp, "(rss_stat: %s%s; page tables: %s)\n", d->counters,
		o->proc ? ", values as /proc/PID/status shows them" :
		d->thread_caches ? ", threads' unsynced counts added" : "",
		d->pgtables_from ? d->pgtables_from : "not in this kernel");
	if (!d->shmem_known)
		fputs("(no MM_SHMEMPAGES before v4.5: shmem is counted in FILE)\n", fp);
	fprintf(fp, "\n%7s %4s %10s %9s %9s %9s %8s %8s %7s %5s  %s\n", "PID", "THR", "VSS(kB)",
		"RSS", "ANON", "FILE", "SHMEM", "SWAP", "PGTBL", "ADJ", "COMM");
	for (i = 0; i < d->n; i++) {
		if (o->top && (long)i >= o->top)
			break;
		ml_ps_line(&d->v[i], o->proc ? d->v[i].proc_pages : d->v[i].pages);
	}
	fprintf(fp, "%7s %4lu %10llu %9llu %9llu %9llu %8llu %8llu %7llu %5s  %lu processes, "
		"%lu address spaces\n", "TOTAL", t->threads, t->vm / 1024,
		ml_kb(ml_proc_rss(tp)), ml_kb(tp[ML_RSS_ANON]), ml_kb(tp[ML_RSS_FILE]),
		ml_kb(tp[ML_RSS_SHMEM]), ml_kb(tp[ML_RSS_SWAP]), (unsigned long long)(t->pgtables > 0 ? t->pgtables : 0) / 1024,
		"", t->processes, t->mms);
	if (o->top && d->n > (size_t)o->top)
		fprintf(fp, "(%ld of %zu processes shown; the total is over all of them)\n", o->top,
			d->n);
}

static void ml_json_pages(struct ml_json *j, const char *key, const long long *pg)
{
	mj_obj(j, key);
	mj_int(j, "rss", ml_proc_rss(pg));
	mj_int(j, "anon", pg[ML_RSS_ANON]);
	mj_int(j, "file", pg[ML_RSS_FILE]);
	mj_int(j, "shmem", pg[ML_RSS_SHMEM]);
	mj_int(j, "swap", pg[ML_RSS_SWAP]);
	mj_obj_end(j);
}

static void ml_json_proc(struct ml_json *j, const struct ml_proc *p)
{
	char a[32];

	mj_obj(j, NULL);
	mj_uint(j, "pid", p->tgid);
	mj_str(j, "comm", p->comm);
	snprintf(a, sizeof(a), "0x%lx", p->task);
	mj_str(j, "task", a);
	snprintf(a, sizeof(a), "0x%lx", p->mm);
	if (p->mm)
		mj_str(j, "mm", a);
	else
		mj_null(j, "mm");
	mj_uint(j, "threads", p->threads);
	mj_bool(j, "kernel_thread", p->kthread);
	mj_bool(j, "counters_readable", !p->unreadable);
	if (p->shares_mm)
		mj_uint(j, "shares_mm_with", p->shares_mm);
	else
		mj_null(j, "shares_mm_with");
	ml_json_pages(j, "pages", p->pages);
	ml_json_pages(j, "proc_pages", p->proc_pages);
	mj_int(j, "pgtables_bytes", p->pgtables);
	mj_uint(j, "vm_bytes", p->vm);
	if (p->adj_known)
		mj_int(j, "oom_score_adj", p->oom_score_adj);
	else
		mj_null(j, "oom_score_adj");
	mj_obj_end(j);
}

static void ml_json(struct ml_json *j, const struct ml_ps_data *d, const struct ml_ps_cmd_opts *o)
{
	long long proc[ML_NR_RSS];
	size_t i;

	mj_str(j, "sort", ml_ps_keys[o->c.sort]);
	mj_int(j, "page_size", ml_feat.page_size);
	mj_str(j, "rss_stat", d->counters);
	mj_bool(j, "thread_caches", d->thread_caches);
	mj_bool(j, "shmem_counted", d->shmem_known);
	if (d->pgtables_from)
		mj_str(j, "pgtables_from", d->pgtables_from);
	else
		mj_null(j, "pgtables_from");
	mj_uint(j, "tasks", d->tasks);
	mj_uint(j, "user_processes", d->processes);
	mj_uint(j, "kernel_threads", d->kthreads);
	mj_uint(j, "exited", d->exited);
	mj_arr(j, "processes");
	for (i = 0; i < d->n && (!o->top || (long)i < o->top); i++)
		ml_json_proc(j, &d->v[i]);
	mj_arr_end(j);
	ml_proc_total(d, proc);
	mj_obj(j, "total");
	mj_uint(j, "processes", d->kept.processes);
	mj_uint(j, "threads", d->kept.threads);
	mj_uint(j, "address_spaces", d->kept.mms);
	ml_json_pages(j, "pages", d->kept.pages);
	ml_json_pages(j, "proc_pages", proc);
	mj_int(j, "pgtables_bytes", d->kept.pgtables);
	mj_uint(j, "vm_bytes", d->kept.vm);
	mj_obj_end(j);
}

void ml_cmd_ps(int argc, char **argv)
{
	struct ml_ps_cmd_opts o;
	struct ml_ps_data d;
	struct ml_report r;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "ps", o.json);
	if (ml_ps_collect(&d, &o.c) < 0 || ml_interrupted()) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_json(&r.j, &d, &o);
	else
		ml_text(&d, &o);
	ml_report_end(&r);
}
