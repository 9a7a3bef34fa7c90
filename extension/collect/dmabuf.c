/*
 * dmabuf.c: every dma-buf on the kernel's list, as debugfs dma_buf/bufinfo
 * prints it (size, file flags and mode, file references, exporter, inode,
 * name, attached devices), with the tasks whose fd tables hold it.
 *
 * The list: `static struct dma_buf_list db_list { head, lock }` in
 * drivers/dma-buf/dma-buf.c since v3.10 ("dma-buf: Add debugfs support",
 * b89e35636bc7); renamed to a plain list_head, debugfs_list ("dma-buf:
 * Rename debugfs symbols", v6.16) and then dmabuf_list ("dma-buf: Add
 * dma-buf iterator", v6.16) -- cited by subject. Each buffer is linked by
 * dma_buf.list_node. dma_buf.name exists since v5.3 ("dma-buf: add
 * DMA_BUF_SET_NAME ioctls", bb2bb9030425).
 *
 * Holders: a task holds a buffer while a descriptor of its fd table points
 * to the buffer's file. Mappings without a descriptor (an mmap() whose fd
 * was closed) and references the kernel took are not seen here: they are
 * what makes "count" larger than the holders.
 */
#include "collect/collect.h"

#define ML_DBUF_MAX (1UL << 20)		/* more buffers than any list holds */
#define ML_DBUF_ATT_MAX 256UL		/* attachments read per buffer */

struct ml_dbuf_walk {
	struct ml_dbuf_data *d;
	size_t cap;
	char *buf;
};

static const char *ml_cstr(ulong addr, const char *what)
{
	char s[128];

	if (!addr || !ml_read_cstring(addr, s, sizeof(s), what))
		return "";
	return ml_strdup(s);
}

static bool ml_dbuf_attach(ulong at, void *arg)
{
	struct ml_dbuf *b = arg;
	ulong dev = 0, name = 0;

	if (!ml_read_ulong(at + ML_OFF(dma_buf_attachment, dev), &dev, "dma_buf_attachment.dev"))
		return !ml_interrupted();
	if (dev && ML_HAS(device, kobj) && ML_HAS(kobject, name))
		ml_read_ulong(dev + ML_OFF(device, kobj) + ML_OFF(kobject, name), &name,
			      "device.kobj.name");
	b->devices = ml_realloc(b->devices, (b->ndevices + 1) * sizeof(*b->devices));
	b->devices[b->ndevices++] = name ? ml_cstr(name, "dev_name") : "?";
	return !ml_interrupted();
}

static void ml_dbuf_file(struct ml_dbuf *b)
{
	ulong inode = 0, ino = 0;
	unsigned int v;

	b->refs = -1;
	if (!b->file)
		return;
	if (!ml_file_refs(b->file, &b->refs))
		b->refs = -1;
	if (ML_HAS(file, f_flags) && ml_read_uint(b->file + ML_OFF(file, f_flags), &v, "file.f_flags"))
		b->flags = v;
	if (ML_HAS(file, f_mode) && ml_read_uint(b->file + ML_OFF(file, f_mode), &v, "file.f_mode"))
		b->mode = v;
	if (ML_HAS(file, f_inode) && ML_HAS(inode, i_ino) &&
	    ml_read_ulong(b->file + ML_OFF(file, f_inode), &inode, "file.f_inode") && inode &&
	    ml_read_ulong(inode + ML_OFF(inode, i_ino), &ino, "inode.i_ino"))
		b->ino = ino;
}

static bool ml_dbuf_one(ulong addr, void *arg)
{
	struct ml_dbuf_walk *w = arg;
	struct ml_dbuf_data *d = w->d;
	struct ml_dbuf *b;
	enum ml_walk_status st;

	if (!ml_read(addr, w->buf, ML_SIZE(dma_buf), "dma_buf"))
		return !ml_interrupted();
	if (d->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		d->v = ml_realloc(d->v, w->cap * sizeof(*d->v));
	}
	b = &d->v[d->n++];
	memset(b, 0, sizeof(*b));
	b->addr = addr;
	b->size = ml_get_ulong(w->buf, ML_OFF(dma_buf, size));
	b->file = ml_get_ulong(w->buf, ML_OFF(dma_buf, file));
	b->exp_name = ml_cstr(ml_get_ulong(w->buf, ML_OFF(dma_buf, exp_name)), "dma_buf.exp_name");
	b->name = ML_HAS(dma_buf, name) ?
		  ml_cstr(ml_get_ulong(w->buf, ML_OFF(dma_buf, name)), "dma_buf.name") : "";
	d->bytes += b->size;
	ml_dbuf_file(b);
	if (ML_HAS(dma_buf, attachments) && ML_HAS(dma_buf_attachment, node))
		ml_list_walk(addr + ML_OFF(dma_buf, attachments), ML_OFF(dma_buf_attachment, node),
			     ML_DBUF_ATT_MAX, ml_dbuf_attach, b, &st);
	return !ml_interrupted();
}

/* the list's anchor, NULL name when this kernel has none */
static ulong ml_dbuf_head(const char **name)
{
	static char *const plain[] = { "dmabuf_list", "debugfs_list" };
	size_t i;

	*name = NULL;
	if (symbol_exists("db_list") && ML_HAS(dma_buf_list, head)) {
		*name = "db_list";
		return symbol_value("db_list") + ML_OFF(dma_buf_list, head);
	}
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (symbol_exists(plain[i])) {
			*name = plain[i];
			return symbol_value(plain[i]);
		}
	return 0;
}

static bool ml_dbuf_known(void)
{
	const char *name;

	return ml_dbuf_head(&name) && ML_SIZE(dma_buf) > 0 && ML_HAS(dma_buf, list_node) &&
	       ML_HAS(dma_buf, size) && ML_HAS(dma_buf, file);
}

static int ml_dbuf_walk_list(struct ml_dbuf_data *d)
{
	struct ml_dbuf_walk w;
	ulong head = ml_dbuf_head(&d->list);

	if (!ml_dbuf_known())
		return ml_fail("this kernel has no dma-buf list (no db_list, dmabuf_list or "
			       "struct dma_buf in its debuginfo): built without CONFIG_DMA_SHARED_BUFFER");
	memset(&w, 0, sizeof(w));
	w.d = d;
	w.buf = ml_alloc(ML_SIZE(dma_buf));
	ml_list_walk(head, ML_OFF(dma_buf, list_node), ML_DBUF_MAX, ml_dbuf_one, &w, &d->walk);
	if (d->walk != ML_WALK_OK)
		ml_warn("dmabuf: the list of dma-bufs (%s) ended early (%s): %zu buffers read",
			d->list, ml_walk_status_str(d->walk), d->n);
	return 0;
}

/* ---- holders ------------------------------------------------------------ */

struct ml_fkey {
	ulong file;
	size_t idx;
};

static int ml_fkey_cmp(const void *a, const void *b)
{
	const struct ml_fkey *x = a, *y = b;

	return x->file < y->file ? -1 : x->file > y->file;
}

struct ml_hold_walk {
	struct ml_dbuf_data *d;
	const struct ml_fkey *keys;
	size_t nkeys;
	const struct ml_task *t;
};

static bool ml_dbuf_fd(unsigned int fd, ulong file, void *arg)
{
	struct ml_hold_walk *h = arg;
	struct ml_fkey k = { file, 0 };
	const struct ml_fkey *hit;
	struct ml_dbuf *b;

	h->d->fds++;
	hit = bsearch(&k, h->keys, h->nkeys, sizeof(k), ml_fkey_cmp);
	if (!hit)
		return true;
	b = &h->d->v[hit->idx];
	b->holders = ml_realloc(b->holders, (b->nholders + 1) * sizeof(*b->holders));
	b->holders[b->nholders].pid = h->t->tgid ? h->t->tgid : h->t->pid;
	b->holders[b->nholders].comm = h->t->comm;
	b->holders[b->nholders].fd = fd;
	b->nholders++;
	return !ml_interrupted();
}

/* tasks sharing one files_struct (threads): walked once, as the first
 * task crash lists with it -- the group leader comes first */
static int ml_task_files_cmp(const void *a, const void *b)
{
	const struct ml_task *x = *(const struct ml_task *const *)a;
	const struct ml_task *y = *(const struct ml_task *const *)b;

	if (x->files != y->files)
		return x->files < y->files ? -1 : 1;
	if ((x->pid == x->tgid) != (y->pid == y->tgid))
		return x->pid == x->tgid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void ml_dbuf_holders(struct ml_dbuf_data *d)
{
	const struct ml_task *tasks, **by;
	struct ml_hold_walk h;
	struct ml_fkey *keys;
	enum ml_walk_status st;
	size_t i, nt, nk = 0;

	keys = ml_alloc((d->n ? d->n : 1) * sizeof(*keys));
	for (i = 0; i < d->n; i++)
		if (d->v[i].file)
			keys[nk].file = d->v[i].file, keys[nk++].idx = i;
	qsort(keys, nk, sizeof(*keys), ml_fkey_cmp);
	nt = ml_tasks(&tasks);
	by = ml_alloc((nt ? nt : 1) * sizeof(*by));
	for (i = 0; i < nt; i++)
		by[i] = &tasks[i];
	qsort(by, nt, sizeof(*by), ml_task_files_cmp);
	memset(&h, 0, sizeof(h));
	h.d = d, h.keys = keys, h.nkeys = nk;
	for (i = 0; i < nt && !ml_interrupted(); i++) {
		if (!by[i]->files || (i && by[i - 1]->files == by[i]->files))
			continue;
		h.t = by[i];
		d->tasks++;
		ml_task_files(by[i]->files, ml_dbuf_fd, &h, &st);
		if (st != ML_WALK_OK && st != ML_WALK_STOPPED)
			d->bad_tables++;
	}
	if (d->bad_tables)
		ml_warn("dmabuf: %lu fd tables could not be read: their buffers may show no holder",
			d->bad_tables);
}

/* ---- totals --------------------------------------------------------------- */

static int ml_total_cmp(const void *a, const void *b)
{
	const struct ml_dbuf_total *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void ml_total_add(struct ml_dbuf_total **v, size_t *n, const char *key, ulong pid,
			 unsigned long long bytes)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].pid == pid && strcmp((*v)[i].key, key) == 0)
			break;
	if (i == *n) {
		*v = ml_realloc(*v, (*n + 1) * sizeof(**v));
		memset(&(*v)[i], 0, sizeof(**v));
		(*v)[i].key = key, (*v)[i].pid = pid;
		(*n)++;
	}
	(*v)[i].buffers++;
	(*v)[i].bytes += bytes;
}

static void ml_dbuf_totals(struct ml_dbuf_data *d)
{
	size_t i, j, k;

	for (i = 0; i < d->n; i++) {
		const struct ml_dbuf *b = &d->v[i];

		ml_total_add(&d->exporters, &d->nexporters, b->exp_name, 0, b->size);
		if (!b->nholders) {
			d->unheld++;
			d->unheld_bytes += b->size;
		}
		for (j = 0; j < b->nholders; j++) {
			/* a process holding one buffer twice counts it once */
			for (k = 0; k < j && b->holders[k].pid != b->holders[j].pid; k++)
				;
			if (k == j)
				ml_total_add(&d->procs, &d->nprocs, b->holders[j].comm,
					     b->holders[j].pid, b->size);
		}
	}
	if (d->nexporters)
		qsort(d->exporters, d->nexporters, sizeof(*d->exporters), ml_total_cmp);
	if (d->nprocs)
		qsort(d->procs, d->nprocs, sizeof(*d->procs), ml_total_cmp);
}

static const struct ml_dbuf *ml_size_base;

static int ml_size_cmp(const void *a, const void *b)
{
	const struct ml_dbuf *x = &ml_size_base[*(const size_t *)a];
	const struct ml_dbuf *y = &ml_size_base[*(const size_t *)b];

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static void ml_dbuf_order(struct ml_dbuf_data *d)
{
	size_t i, *v = ml_alloc((d->n + 1) * sizeof(*v));

	for (i = 0; i < d->n; i++)
		v[i] = i;
	ml_size_base = d->v;
	if (d->n)
		qsort(v, d->n, sizeof(*v), ml_size_cmp);
	d->by_size = v;
}

int ml_dmabuf_collect(struct ml_dbuf_data *d, bool holders)
{
	memset(d, 0, sizeof(*d));
	if (ml_dbuf_walk_list(d) < 0)
		return -1;
	if (holders)
		ml_dbuf_holders(d);
	ml_dbuf_totals(d);
	ml_dbuf_order(d);
	return 0;
}

bool ml_dmabuf_read(struct ml_dbuf_data *d)
{
	const char *name;

	memset(d, 0, sizeof(*d));
	if (!ml_dbuf_head(&name))
		return true;		/* no dma-buf in this kernel: none */
	return ml_dbuf_known() && ml_dmabuf_collect(d, false) == 0;
}
