/*
 * tasks.c: the tasks crash knows (its context table, threads included) and
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

size_t ml_tasks(const struct ml_task **v)
{
	struct task_context *tc = FIRST_CONTEXT();
	ulong i, n = RUNNING_TASKS();
	struct ml_task *t;

	*v = NULL;
	if (!tc || !n)
		return 0;
	t = ml_alloc(n * sizeof(*t));
	for (i = 0; i < n; i++, tc++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].task = tc->task;
		t[i].pid = tc->pid;
		t[i].tgid = task_tgid(tc->task);
		t[i].mm = tc->mm_struct;
		snprintf(t[i].comm, sizeof(t[i].comm), "%s", tc->comm);
		if (ML_HAS(task_struct, files))
			ml_read_ulong(tc->task + ML_OFF(task_struct, files), &t[i].files,
				      "task_struct.files");
	}
	*v = t;
	return n;
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
