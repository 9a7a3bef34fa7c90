/*
 * ps.c: every process's memory, read from its mm_struct the way
 * /proc/PID/status reads it (task_mem(), get_mm_counter()) and the way
 * Android's procrank lists it: resident pages by kind, swap entries, page
 * tables, mapped size, oom_score_adj. Threads share their mm: each thread
 * group is one process and each mm is counted once in the totals (a
 * vfork()ed child shares its parent's mm too: it is listed, marked, and not
 * counted again).
 *
 * The counters, mm_struct.rss_stat, indexed by the enumerators
 * MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS and MM_SHMEMPAGES:
 *  - struct mm_rss_stat { atomic_long_t count[NR_MM_COUNTERS]; } since
 *    v2.6.34 (d559db086ff5 "mm: clean up mm_counter"). With
 *    SPLIT_RSS_COUNTING (34e55232e59f "mm: avoid false sharing of
 *    mm_counter", v2.6.34) a faulting thread counts its own mm's pages in
 *    task_struct.rss_stat (struct task_rss_stat { int events; int
 *    count[]; }) and folds them into the mm every 64 faults
 *    (TASK_RSS_EVENTS_THRESH) or when it sleeps in the kernel or exits.
 *    /proc reads the mm's counters alone; memleak adds every thread's cache
 *    for the true value (what the page tables map) and keeps /proc's apart.
 *  - an array of struct percpu_counter since v6.2 (f1a7941243c1 "mm:
 *    convert mm's rss stats into percpu_counter"), which also removed the
 *    per-thread caches: summed over the cpus as percpu_counter_sum() does.
 *    /proc shows that sum, clamped at 0, since v6.16 ("mm: fix the
 *    inaccurate memory statistics issue for users", also in 6.12 stable);
 *    from v6.2 to v6.15 it showed the central count alone
 *    (percpu_counter_read_positive), which lags the sum by at most the
 *    counter's batch per cpu. memleak shows the sum both ways.
 *  - MM_SHMEMPAGES since v4.5 (eca56ff906bd "mm, shmem: add internal shmem
 *    resident memory accounting"); before, shmem is counted in file.
 * Page tables: mm_struct.pgtables_bytes since v4.15 (af5b0f6a09e4 "mm:
 * consolidate page table accounting"); before, the pages in nr_ptes,
 * nr_pmds (v4.0, dc6c9a35b66b "mm: account pmd page tables to the
 * process") and nr_puds (v4.14, b4e98d9ac775 "mm: account pud page
 * tables"). oom_score_adj: signal_struct.oom_score_adj, a short, since
 * v2.6.36 (a63d83f427fb "oom: badness heuristic rewrite").
 *
 * PSS is not computed: it needs a walk of every process's page tables and
 * each mapped page's mapcount.
 */
#include "collect/collect.h"

#include <uthash.h>

/* the kernel's names of the counters, in enum ml_rss order */
static const char *const ml_rss_enum[ML_NR_RSS] = {
	"MM_FILEPAGES", "MM_ANONPAGES", "MM_SHMEMPAGES", "MM_SWAPENTS",
};

struct ml_ps_mm {
	ulong mm;
	ulong first_tgid;	/* the first process seen with it */
	long long pages[ML_NR_RSS], proc_pages[ML_NR_RSS], cached[ML_NR_RSS];
	long long pgtables;
	unsigned long long vm;
	bool unreadable;
	bool counted;		/* in the totals already */
	UT_hash_handle hh;
};

struct ml_ps_proc {
	struct ml_proc p;
	UT_hash_handle hh;
};

struct ml_ps_ctx {
	struct ml_ps_data *d;
	long idx[ML_NR_RSS];	/* the kernel's index of each counter, -1 none */
	long nr;		/* NR_MM_COUNTERS */
	struct ml_ps_mm *mms;
	struct ml_ps_proc *procs;
	size_t nprocs;
};

static int ml_ps_layout(struct ml_ps_ctx *x)
{
	struct ml_ps_data *d = x->d;
	int i;

	if (ml_need(ML_M(mm_struct, rss_stat), ML_NEED_END))
		return -1;
	x->nr = ml_enum_value_or("NR_MM_COUNTERS", ML_NR_RSS);
	if (x->nr < 3 || x->nr > 16)
		return ml_fail("NR_MM_COUNTERS is %ld: not a kernel memleak knows", x->nr);
	for (i = 0; i < ML_NR_RSS; i++) {
		if (!ml_enum_value(ml_rss_enum[i], &x->idx[i]) || x->idx[i] < 0 ||
		    x->idx[i] >= x->nr)
			x->idx[i] = -1;
		if (x->idx[i] < 0 && i != ML_RSS_SHMEM)
			return ml_fail("the enumerator %s is not in this kernel's debuginfo",
				       ml_rss_enum[i]);
	}
	d->shmem_known = x->idx[ML_RSS_SHMEM] >= 0;
	if (ML_HAS(mm_rss_stat, count)) {
		d->thread_caches = ML_HAS(task_struct, rss_stat) && ML_HAS(task_rss_stat, count);
		d->counters = d->thread_caches ? "atomic_long_t count[], with per-thread caches"
					       : "atomic_long_t count[]";
	} else if (ML_SIZE(percpu_counter) > 0 && ML_HAS(percpu_counter, count)) {
		d->counters = "percpu_counter[]";
	} else {
		return ml_fail("mm_struct.rss_stat is neither struct mm_rss_stat nor an array of "
			       "struct percpu_counter");
	}
	if (ML_HAS(mm_struct, pgtables_bytes))
		d->pgtables_from = "pgtables_bytes";
	else if (ML_HAS(mm_struct, nr_ptes))
		d->pgtables_from = "nr_ptes + nr_pmds + nr_puds";
	else
		d->pgtables_from = NULL;
	return 0;
}

/* the mm's counters (pages[] the true sum, proc_pages[] what /proc shows),
 * page tables and mapped size */
static void ml_ps_read_mm(struct ml_ps_ctx *x, struct ml_ps_mm *m)
{
	ulong rss = m->mm + ML_OFF(mm_struct, rss_stat);
	long cnt[16];
	ulong v;
	int i;

	if (ML_HAS(mm_rss_stat, count)) {
		if (!ml_read(rss + ML_OFF(mm_rss_stat, count), cnt, x->nr * (long)sizeof(long),
			     "mm_struct.rss_stat")) {
			m->unreadable = true;
			return;
		}
		for (i = 0; i < ML_NR_RSS; i++)
			if (x->idx[i] >= 0)
				m->proc_pages[i] = m->pages[i] = cnt[x->idx[i]];
	} else {
		for (i = 0; i < ML_NR_RSS; i++) {
			ulong pc = rss + x->idx[i] * ML_SIZE(percpu_counter);
			long long sum;

			if (x->idx[i] < 0)
				continue;
			if (!ml_percpu_counter_sum(pc, &sum)) {
				m->unreadable = true;
				return;
			}
			m->pages[i] = sum;
			m->proc_pages[i] = sum < 0 ? 0 : sum;
		}
	}
	if (ML_HAS(mm_struct, pgtables_bytes)) {
		if (ml_read_ulong(m->mm + ML_OFF(mm_struct, pgtables_bytes), &v,
				  "mm_struct.pgtables_bytes"))
			m->pgtables = (long)v;
	} else {
		if (ML_HAS(mm_struct, nr_ptes) &&
		    ml_read_ulong(m->mm + ML_OFF(mm_struct, nr_ptes), &v, "mm_struct.nr_ptes"))
			m->pgtables += (long)v * ml_feat.page_size;
		if (ML_HAS(mm_struct, nr_pmds) &&
		    ml_read_ulong(m->mm + ML_OFF(mm_struct, nr_pmds), &v, "mm_struct.nr_pmds"))
			m->pgtables += (long)v * ml_feat.page_size;
		if (ML_HAS(mm_struct, nr_puds) &&
		    ml_read_ulong(m->mm + ML_OFF(mm_struct, nr_puds), &v, "mm_struct.nr_puds"))
			m->pgtables += (long)v * ml_feat.page_size;
	}
	if (ML_HAS(mm_struct, total_vm) &&
	    ml_read_ulong(m->mm + ML_OFF(mm_struct, total_vm), &v, "mm_struct.total_vm"))
		m->vm = (unsigned long long)v * ml_feat.page_size;
}

/* a thread's unsynced counts of its mm's pages (task_struct.rss_stat) */
static void ml_ps_thread_cache(struct ml_ps_ctx *x, struct ml_ps_mm *m, ulong task)
{
	int cnt[16];
	bool any = false;
	int i;

	if (!ml_read(task + ML_OFF(task_struct, rss_stat) + ML_OFF(task_rss_stat, count), cnt,
		     x->nr * (long)sizeof(int), "task_struct.rss_stat"))
		return;
	for (i = 0; i < ML_NR_RSS; i++) {
		if (x->idx[i] < 0 || !cnt[x->idx[i]])
			continue;
		m->cached[i] += cnt[x->idx[i]];
		x->d->cached[i] += cnt[x->idx[i]];
		any = true;
	}
	x->d->cache_threads += any;
}

static struct ml_ps_mm *ml_ps_mm(struct ml_ps_ctx *x, ulong mm, ulong tgid)
{
	struct ml_ps_mm *m;

	HASH_FIND(hh, x->mms, &mm, sizeof(mm), m);
	if (m)
		return m;
	m = ml_alloc(sizeof(*m));
	memset(m, 0, sizeof(*m));
	m->mm = mm;
	m->first_tgid = tgid;
	HASH_ADD(hh, x->mms, mm, sizeof(m->mm), m);
	return m;
}

/* group the tasks into processes, and their mm's */
static void ml_ps_group(struct ml_ps_ctx *x, const struct ml_task *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct ml_ps_proc *p;

		HASH_FIND(hh, x->procs, &t[i].tgid, sizeof(t[i].tgid), p);
		if (!p) {
			p = ml_alloc(sizeof(*p));
			memset(p, 0, sizeof(*p));
			p->p.tgid = t[i].tgid;
			p->p.task = t[i].task;
			snprintf(p->p.comm, sizeof(p->p.comm), "%s", t[i].comm);
			HASH_ADD(hh, x->procs, p.tgid, sizeof(p->p.tgid), p);
			x->nprocs++;
		}
		p->p.threads++;
		if (t[i].pid == t[i].tgid) {
			p->p.task = t[i].task;
			snprintf(p->p.comm, sizeof(p->p.comm), "%s", t[i].comm);
		}
		if (!t[i].mm)
			continue;
		if (!p->p.mm)
			p->p.mm = t[i].mm;
		if (x->d->thread_caches)
			ml_ps_thread_cache(x, ml_ps_mm(x, t[i].mm, t[i].tgid), t[i].task);
		else
			ml_ps_mm(x, t[i].mm, t[i].tgid);
	}
}

static void ml_ps_adj(struct ml_proc *p)
{
	ulong sig;
	int16_t adj;

	if (!ML_HAS(task_struct, signal) || !ML_HAS(signal_struct, oom_score_adj))
		return;
	if (!ml_read_ulong(p->task + ML_OFF(task_struct, signal), &sig, "task_struct.signal") ||
	    !sig || !ml_read(sig + ML_OFF(signal_struct, oom_score_adj), &adj, sizeof(adj),
			     "signal_struct.oom_score_adj"))
		return;
	p->oom_score_adj = adj;
	p->adj_known = true;
}

/* one process from its mm */
static void ml_ps_fill(struct ml_ps_ctx *x, struct ml_proc *p)
{
	struct ml_ps_mm *m;
	int i;

	p->kthread = is_kernel_thread(p->task) != 0;
	ml_ps_adj(p);
	if (!p->mm)
		return;
	HASH_FIND(hh, x->mms, &p->mm, sizeof(p->mm), m);
	if (!m)
		return;
	if (m->first_tgid != p->tgid)
		p->shares_mm = m->first_tgid;
	p->unreadable = m->unreadable;
	for (i = 0; i < ML_NR_RSS; i++) {
		/* both clamped at 0 as get_mm_counter() does: a counter a
		 * thread's cache has yet to bring back up may be below it */
		p->proc_pages[i] = m->proc_pages[i] > 0 ? m->proc_pages[i] : 0;
		p->pages[i] = m->pages[i] + m->cached[i] > 0 ? m->pages[i] + m->cached[i] : 0;
	}
	p->pgtables = m->pgtables;
	p->vm = m->vm;
}

/* tgid: the process -p asks for (the tgid of that thread), or ~0UL */
static bool ml_ps_kept(const struct ml_proc *p, const struct ml_ps_opts *o, ulong tgid)
{
	if (o->pid > 0)
		return p->tgid == tgid && (!o->comm || !strcmp(p->comm, o->comm));
	if (p->kthread && !o->kthreads)
		return false;
	return !o->comm || !strcmp(p->comm, o->comm);
}

static ulong ml_ps_tgid_of(const struct ml_task *t, size_t n, long pid)
{
	size_t i;

	for (i = 0; pid > 0 && i < n; i++)
		if (t[i].pid == (ulong)pid)
			return t[i].tgid;
	return ~0UL;
}

static enum ml_ps_key ml_ps_sort_key;

static long long ml_ps_value(const struct ml_proc *p)
{
	switch (ml_ps_sort_key) {
	case ML_PS_ANON: return p->pages[ML_RSS_ANON];
	case ML_PS_FILE: return p->pages[ML_RSS_FILE];
	case ML_PS_SHMEM: return p->pages[ML_RSS_SHMEM];
	case ML_PS_SWAP: return p->pages[ML_RSS_SWAP];
	case ML_PS_PGTABLES: return p->pgtables;
	case ML_PS_VSS: return (long long)p->vm;
	case ML_PS_PID: return 0;
	case ML_PS_RSS: break;
	}
	return ml_proc_rss(p->pages);
}

static int ml_ps_cmp(const void *a, const void *b)
{
	const struct ml_proc *x = a, *y = b;
	long long vx = ml_ps_value(x), vy = ml_ps_value(y);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

static void ml_ps_count(struct ml_ps_data *d, const struct ml_proc *p, bool kept,
			struct ml_ps_mm *mms)
{
	struct ml_ps_mm *m = NULL;
	int i;

	if (p->kthread) {
		d->kthreads++;
		d->kthread_tasks += p->threads;
	} else if (!p->mm) {
		d->exited++;
	} else {
		d->processes++;
	}
	if (!kept)
		return;
	d->kept.processes++;
	d->kept.threads += p->threads;
	if (!p->mm)
		return;
	HASH_FIND(hh, mms, &p->mm, sizeof(p->mm), m);
	if (!m || m->counted)
		return;
	m->counted = true;
	d->kept.mms++;
	d->unreadable += m->unreadable;
	for (i = 0; i < ML_NR_RSS; i++)
		d->kept.pages[i] += p->pages[i];
	d->kept.pgtables += p->pgtables;
	d->kept.vm += p->vm;
}

int ml_ps_collect(struct ml_ps_data *d, const struct ml_ps_opts *o)
{
	struct ml_ps_ctx x;
	const struct ml_task *t;
	struct ml_ps_proc *p, *tmp;
	struct ml_ps_mm *m, *mt;
	ulong tgid;
	size_t n;

	memset(d, 0, sizeof(*d));
	memset(&x, 0, sizeof(x));
	x.d = d;
	if (ml_ps_layout(&x))
		return -1;
	n = ml_tasks(&t);
	if (!n)
		return ml_fail("crash knows no task in this dump");
	d->tasks = n;
	tgid = ml_ps_tgid_of(t, n, o->pid);
	ml_ps_group(&x, t, n);
	HASH_ITER(hh, x.mms, m, mt) {
		if (ml_interrupted())
			return ml_fail("interrupted");
		ml_ps_read_mm(&x, m);
	}
	d->v = ml_alloc(x.nprocs * sizeof(*d->v));
	HASH_ITER(hh, x.procs, p, tmp) {
		bool kept;

		ml_ps_fill(&x, &p->p);
		kept = ml_ps_kept(&p->p, o, tgid);
		ml_ps_count(d, &p->p, kept, x.mms);
		if (kept)
			d->v[d->n++] = p->p;
	}
	if (d->unreadable)
		ml_warn("%lu address spaces' counters are not in the dump: counted as 0",
			d->unreadable);
	ml_ps_sort_key = o->sort;
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), ml_ps_cmp);
	return 0;
}
