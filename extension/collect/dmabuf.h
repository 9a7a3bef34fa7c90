/* collect/dmabuf.h: the kernel's dma-bufs and the tasks that hold them
 * (collect/dmabuf.c); see collect/collect.h */
#ifndef ML_COLLECT_DMABUF_H
#define ML_COLLECT_DMABUF_H

#include "core/core.h"

/* a task holding a dma-buf through its fd table */
struct ml_dbuf_holder {
	ulong pid;
	const char *comm;
	unsigned int fd;
};

/* one struct dma_buf, as debugfs dma_buf/bufinfo prints it */
struct ml_dbuf {
	ulong addr;		/* the struct dma_buf */
	ulong file;		/* its struct file */
	unsigned long long size;
	unsigned int flags, mode;	/* file->f_flags, f_mode */
	long refs;		/* file references ("count"); -1: unreadable */
	unsigned long ino;	/* the file's inode number */
	const char *exp_name, *name;	/* "" when none or unreadable */
	const char **devices;	/* attached devices (dev_name) */
	size_t ndevices;
	struct ml_dbuf_holder *holders;
	size_t nholders;
};

/* per exporter or per holding process */
struct ml_dbuf_total {
	const char *key;	/* exporter name, or comm */
	ulong pid;		/* per process: the pid; else 0 */
	unsigned long buffers;
	unsigned long long bytes;
};

struct ml_dbuf_data {
	const char *list;	/* the list read: "db_list", "dmabuf_list", ... */
	struct ml_dbuf *v;	/* in list order (newest first) */
	size_t n;
	const size_t *by_size;	/* indices into v, largest first (ino breaks ties) */
	unsigned long long bytes;
	struct ml_dbuf_total *exporters, *procs;	/* sorted by bytes */
	size_t nexporters, nprocs;
	unsigned long unheld;	/* buffers no task's fd table holds */
	unsigned long long unheld_bytes;
	unsigned long tasks, fds;	/* fd tables walked, descriptors seen */
	unsigned long bad_tables;	/* fd tables that could not be read */
	enum ml_walk_status walk;	/* the buffer list */
};

/* 0, or -1 with ml_fail() saying why (no dma-buf in this kernel) */
int ml_dmabuf_collect(struct ml_dbuf_data *d, bool holders);
/* the buffers without their holders (the ledger): none in a kernel
 * without dma-buf; false when its list cannot be read */
bool ml_dmabuf_read(struct ml_dbuf_data *d);

#endif /* ML_COLLECT_DMABUF_H */
