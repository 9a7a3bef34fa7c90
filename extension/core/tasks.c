/*
 * tasks.c: the kernel's tasks (its task list, threads included) and
 * a task's open files, read from its fd table -- the holders memleak dmabuf
 * names, the processes memleak ps lists.
 *
 * The fd table: task_struct.files -> files_struct.fdt -> fdtable { max_fds,
 * fd (struct file **) }, as fs/file.c keeps it since v2.6.14. A file's
 * reference count is file.f_count (atomic_long_t) until v6.13, then
 * file.f_ref, a file_ref_t whose counter holds the count minus one
 * ("fs: add file_ref", 08ef26ea9ab3; "fs: port files to file_ref",
 * 90ee6ed776c0).
 */
#include "core/core.h"

/* more descriptors than any real table holds: a corrupt max_fds */
#define ML_MAX_FDS (1U << 20)
/* descriptors read per block */
#define ML_FD_BLOCK 512U
/* more tasks than a kernel runs (PID_MAX_LIMIT is 4M) */
#define ML_TASKS_MAX (1UL << 22)

struct ml_tasks_walk {
	struct ml_task *v;
	size_t n, cap;
	bool leaders;		/* walking init_task.tasks, not a thread list */
	ulong signal_off, thread_head;	/* of the leader being expanded */
};

static void ml_task_fill(struct ml_task *t, ulong task)
{
	unsigned int v;

	memset(t, 0, sizeof(*t));
	t->task = task;
	if (ml_read_uint(task + ML_OFF(task_struct, pid), &v, "task_struct.pid"))
		t->pid = v;
	t->tgid = t->pid;
	if (ML_HAS(task_struct, tgid) &&
	    ml_read_uint(task + ML_OFF(task_struct, tgid), &v, "task_struct.tgid"))
		t->tgid = v;
	if (ML_HAS(task_struct, mm))
		ml_read_ulong(task + ML_OFF(task_struct, mm), &t->mm, "task_struct.mm");
	if (ML_HAS(task_struct, files))
		ml_read_ulong(task + ML_OFF(task_struct, files), &t->files, "task_struct.files");
	if (ML_HAS(task_struct, comm))
		ml_read_cstring(task + ML_OFF(task_struct, comm), t->comm,
				ML_MSIZE(task_struct, comm) > 0 &&
				(size_t)ML_MSIZE(task_struct, comm) < sizeof(t->comm) ?
				(size_t)ML_MSIZE(task_struct, comm) + 1 : sizeof(t->comm),
				"task_struct.comm");
}

static bool ml_task_add(ulong task, void *arg)
{
	struct ml_tasks_walk *w = arg;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		w->v = ml_realloc(w->v, w->cap * sizeof(*w->v));
	}
	ml_task_fill(&w->v[w->n++], task);
	return !ml_interrupted();
}

/* the threads of each thread group after its leader: signal->thread_head,
 * linked by task_struct.thread_node (v3.14, 0c740d0afc3b "introduce
 * for_each_thread() to replace the buggy while_each_thread()") */
static void ml_tasks_threads(struct ml_tasks_walk *w)
{
	size_t i, leaders = w->n;
	enum ml_walk_status st;
	ulong signal;

	if (!ML_HAS(task_struct, thread_node) || !ML_HAS(signal_struct, thread_head) ||
	    !ML_HAS(task_struct, signal))
		return;
	for (i = 0; i < leaders && !ml_interrupted(); i++) {
		struct ml_tasks_walk t;
		size_t j;

		if (!ml_read_ulong(w->v[i].task + ML_OFF(task_struct, signal), &signal,
				   "task_struct.signal") || !signal)
			continue;
		memset(&t, 0, sizeof(t));
		ml_list_walk(signal + ML_OFF(signal_struct, thread_head),
			     ML_OFF(task_struct, thread_node), ML_TASKS_MAX, ml_task_add, &t, &st);
		for (j = 0; j < t.n; j++)
			if (t.v[j].task != w->v[i].task)
				ml_task_add(t.v[j].task, w);
		ml_free(t.v);
	}
}

/* crash's own table, where the task list cannot be walked */
static void ml_tasks_crash(struct ml_tasks_walk *w)
{
	struct task_context *tc = FIRST_CONTEXT();
	ulong i, n = RUNNING_TASKS();

	for (i = 0; tc && i < n; i++, tc++)
		ml_task_add(tc->task, w);
}

size_t ml_tasks(const struct ml_task **v)
{
	struct ml_tasks_walk w;
	enum ml_walk_status st = ML_WALK_UNREADABLE;

	memset(&w, 0, sizeof(w));
	/* every thread group leader on init_task.tasks (init_task itself is
	 * the anchor: the idle task, no process); crash 8.0.2 lists only the
	 * idle tasks of some 6.1 dumps, so memleak walks the list itself */
	if (symbol_exists("init_task") && ML_HAS(task_struct, tasks) && ML_HAS(task_struct, pid)) {
		ml_list_walk(symbol_value("init_task") + ML_OFF(task_struct, tasks),
			     ML_OFF(task_struct, tasks), ML_TASKS_MAX, ml_task_add, &w, &st);
		if (st != ML_WALK_OK)
			ml_warn("the task list (init_task.tasks) ended early (%s): %zu processes read",
				ml_walk_status_str(st), w.n);
		ml_tasks_threads(&w);
	}
	if (!w.n)
		ml_tasks_crash(&w);
	*v = w.v;
	return w.n;
}

unsigned long ml_task_files(ulong files, ml_file_cb cb, void *arg, enum ml_walk_status *st)
{
	ulong fdt, fd, buf[ML_FD_BLOCK];
	unsigned int max_fds, i, j, k;
	unsigned long n = 0;

	*st = ML_WALK_OK;
	if (!files)
		return 0;
	if (!ML_HAS(files_struct, fdt) || !ML_HAS(fdtable, max_fds) || !ML_HAS(fdtable, fd)) {
		*st = ML_WALK_UNREADABLE;
		return 0;
	}
	if (!ml_read_ulong(files + ML_OFF(files_struct, fdt), &fdt, "files_struct.fdt") ||
	    !ml_read_uint(fdt + ML_OFF(fdtable, max_fds), &max_fds, "fdtable.max_fds") ||
	    !ml_read_ulong(fdt + ML_OFF(fdtable, fd), &fd, "fdtable.fd")) {
		*st = ML_WALK_UNREADABLE;
		return 0;
	}
	if (max_fds > ML_MAX_FDS || !IS_KVADDR(fd)) {
		*st = ML_WALK_BAD_LINK;
		return 0;
	}
	for (i = 0; i < max_fds; i += k) {
		k = max_fds - i < ML_FD_BLOCK ? max_fds - i : ML_FD_BLOCK;
		if (ml_interrupted()) {
			*st = ML_WALK_INTERRUPTED;
			return n;
		}
		if (!ml_read(fd + (ulong)i * sizeof(ulong), buf, (long)(k * sizeof(ulong)),
			     "fdtable.fd[]")) {
			*st = ML_WALK_UNREADABLE;
			return n;
		}
		for (j = 0; j < k; j++) {
			if (!buf[j])
				continue;
			n++;
			if (!cb(i + j, buf[j], arg)) {
				*st = ML_WALK_STOPPED;
				return n;
			}
		}
	}
	return n;
}

bool ml_file_refs(ulong file, long *refs)
{
	long v;

	if (ML_HAS(file, f_ref)) {
		/* file_ref_t: count - 1 while the file lives (FILE_REF_ONEREF 0) */
		if (!ml_read_long(file + ML_OFF(file, f_ref), &v, "file.f_ref"))
			return false;
		*refs = v + 1;
		return true;
	}
	if (!ML_HAS(file, f_count))
		return false;
	if (!ml_read_long(file + ML_OFF(file, f_count), &v, "file.f_count"))
		return false;
	*refs = v;
	return true;
}
