/* collect/ps.h: every process's memory from its mm_struct's counters, as
 * /proc/PID/status shows it and as procrank lists it (collect/ps.c); see
 * collect/collect.h */
#ifndef ML_COLLECT_PS_H
#define ML_COLLECT_PS_H

#include "core/core.h"

/* the mm counters memleak reads (enum of include/linux/mm_types_task.h,
 * indexed here in this order whatever the kernel's own order) */
enum ml_rss { ML_RSS_FILE, ML_RSS_ANON, ML_RSS_SHMEM, ML_RSS_SWAP, ML_NR_RSS };

/* one process: a thread group (its tgid), its mm counted once */
struct ml_proc {
	ulong tgid;
	ulong task;		/* the group leader's task_struct (else its first thread) */
	ulong mm;		/* 0: none (a kernel thread, or exited) */
	char comm[TASK_COMM_LEN + 1];
	unsigned long threads;
	bool kthread;		/* a kernel thread (crash's is_kernel_thread) */
	/* pages: the mm's counters plus its threads' unsynced caches where
	 * the kernel has them (the truth the page tables hold) */
	long long pages[ML_NR_RSS];
	/* what /proc/PID/status shows: the mm's counters alone (get_mm_counter) */
	long long proc_pages[ML_NR_RSS];
	long long pgtables;	/* bytes of page tables (VmPTE) */
	unsigned long long vm;	/* bytes mapped (total_vm, VmSize) */
	int oom_score_adj;
	bool adj_known;
	ulong shares_mm;	/* tgid of a process listed with the same mm first, 0 */
	bool unreadable;	/* its counters are not in the dump: zeros */
};

enum ml_ps_key { ML_PS_RSS, ML_PS_ANON, ML_PS_FILE, ML_PS_SHMEM, ML_PS_SWAP,
		 ML_PS_PGTABLES, ML_PS_VSS, ML_PS_PID };

struct ml_ps_opts {
	enum ml_ps_key sort;
	long pid;		/* > 0: only the process with this tgid or thread */
	const char *comm;	/* only processes of this comm */
	bool kthreads;		/* list kernel threads too */
};

struct ml_ps_total {
	unsigned long processes, threads, mms;
	long long pages[ML_NR_RSS];	/* each mm once */
	long long pgtables;
	unsigned long long vm;
};

struct ml_ps_data {
	const char *counters;	/* how the kernel keeps mm_struct.rss_stat */
	bool thread_caches;	/* task_struct.rss_stat: SPLIT_RSS_COUNTING (< v6.2) */
	bool shmem_known;	/* MM_SHMEMPAGES (v4.5); else shmem is in file */
	const char *pgtables_from;	/* pgtables_bytes, or nr_ptes + nr_pmds (+ nr_puds) */
	struct ml_proc *v;	/* the processes the options keep, sorted */
	size_t n;
	struct ml_ps_total kept;	/* over v */
	unsigned long tasks;	/* every task crash knows */
	unsigned long processes;	/* thread groups with an mm */
	unsigned long kthreads, kthread_tasks;	/* kernel threads (groups, tasks) */
	unsigned long exited;	/* user processes without an mm: zombies */
	long long cached[ML_NR_RSS];	/* pages in the threads' caches, every mm */
	unsigned long cache_threads;	/* threads with something cached */
	unsigned long unreadable;	/* mm's whose counters are not in the dump */
};

/* 0, or -1 with ml_fail() saying why */
int ml_ps_collect(struct ml_ps_data *d, const struct ml_ps_opts *o);
/* the rss of a process: file + anon + shmem pages */
static inline long long ml_proc_rss(const long long *pages)
{
	return pages[ML_RSS_FILE] + pages[ML_RSS_ANON] + pages[ML_RSS_SHMEM];
}

#endif /* ML_COLLECT_PS_H */
