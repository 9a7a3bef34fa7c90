/*
 * trees.c: bounded walks of the kernel's index trees -- the XArray, which
 * an IDR wraps (include/linux/xarray.h).
 *
 * An entry whose two low bits are 10 is internal: above 4096 a node
 * (xa_to_node(): entry - 2), below it a sibling, retry or zero entry. An
 * entry with bit 0 set is a value, not a pointer. A node's slots[] hold
 * XA_CHUNK_SIZE entries (64, or 16 with CONFIG_BASE_SMALL: taken from the
 * debuginfo's size of slots[]), slot i of a node of shift s covering the
 * indices base + (i << s) onwards.
 */
#include "core/core.h"

#define ML_XA_MAX_DEPTH 12	/* 64-bit indices in 6-bit steps, with room */

struct ml_xa_walk {
	ml_xa_cb cb;
	void *arg;
	unsigned long max, n, nodes;
	unsigned int chunk, chunk_shift;
	enum ml_walk_status st;
	unsigned char *buf[ML_XA_MAX_DEPTH];
};

static bool ml_xa_is_node(ulong e)
{
	return (e & 3) == 2 && e > 4096;
}

/* false: stop the walk (st says why) */
static bool ml_xa_entry(struct ml_xa_walk *w, ulong e, unsigned long index, int depth);

static bool ml_xa_node(struct ml_xa_walk *w, ulong node, unsigned long base, int depth,
		       int parent_shift)
{
	unsigned char *buf;
	unsigned int shift, i;

	if (depth >= ML_XA_MAX_DEPTH) {
		w->st = ML_WALK_CYCLE;
		return false;
	}
	if (!w->buf[depth])
		w->buf[depth] = ml_alloc(ML_SIZE(xa_node));
	buf = w->buf[depth];
	if (!ml_read(node, buf, ML_SIZE(xa_node), "xa_node")) {
		w->st = ML_WALK_UNREADABLE;
		return true;	/* the rest of the tree may still be read */
	}
	if (++w->nodes > w->max) {
		w->st = ML_WALK_LIMIT;
		return false;
	}
	shift = buf[ML_OFF(xa_node, shift)];
	/* each level down takes chunk_shift bits; anything else is corrupt
	 * (and the depth bound stops a node that points back up) */
	if (shift % w->chunk_shift || shift >= 8 * sizeof(ulong) ||
	    (parent_shift >= 0 && (int)shift != parent_shift - (int)w->chunk_shift)) {
		w->st = ML_WALK_BAD_LINK;
		return true;
	}
	for (i = 0; i < w->chunk; i++) {
		ulong e = ml_get_ulong(buf, ML_OFF(xa_node, slots) + i * sizeof(ulong));

		if (!e)
			continue;
		if (ml_xa_is_node(e)) {
			if (!shift) {	/* a node below the leaves */
				w->st = ML_WALK_BAD_LINK;
				continue;
			}
			if (!ml_xa_node(w, e - 2, base + ((unsigned long)i << shift), depth + 1,
					shift))
				return false;
			continue;
		}
		if (!ml_xa_entry(w, e, base + ((unsigned long)i << shift), depth))
			return false;
	}
	return true;
}

static bool ml_xa_entry(struct ml_xa_walk *w, ulong e, unsigned long index, int depth)
{
	(void)depth;
	if ((e & 3) == 2 || (e & 1))	/* sibling/retry/zero, or a value */
		return true;
	if (w->n >= w->max) {
		w->st = ML_WALK_LIMIT;
		return false;
	}
	if ((w->n & 1023) == 0 && ml_interrupted()) {
		w->st = ML_WALK_INTERRUPTED;
		return false;
	}
	w->n++;
	if (w->cb && !w->cb(index, e, w->arg)) {
		w->st = ML_WALK_STOPPED;
		return false;
	}
	return true;
}

unsigned long ml_xa_walk(ulong xa, unsigned long max, ml_xa_cb cb, void *arg,
			 enum ml_walk_status *status)
{
	struct ml_xa_walk w;
	ulong head;

	memset(&w, 0, sizeof(w));
	w.cb = cb;
	w.arg = arg;
	w.max = max;
	w.st = ML_WALK_OK;
	if (!ML_HAS(xarray, xa_head) || !ML_HAS(xa_node, shift) || !ML_HAS(xa_node, slots) ||
	    ML_SIZE(xa_node) <= 0 || ML_MSIZE(xa_node, slots) <= 0) {
		w.st = ML_WALK_BAD_LINK;
		goto out;
	}
	w.chunk = ML_MSIZE(xa_node, slots) / sizeof(ulong);
	for (w.chunk_shift = 0; (1u << w.chunk_shift) < w.chunk; w.chunk_shift++)
		;
	if (!w.chunk || (1u << w.chunk_shift) != w.chunk) {
		w.st = ML_WALK_BAD_LINK;
		goto out;
	}
	if (!ml_read_ulong(xa + ML_OFF(xarray, xa_head), &head, "xarray.xa_head")) {
		w.st = ML_WALK_UNREADABLE;
		goto out;
	}
	if (!head)
		goto out;
	if (ml_xa_is_node(head))
		ml_xa_node(&w, head - 2, 0, 0, -1);
	else
		ml_xa_entry(&w, head, 0, 0);
out:
	if (status)
		*status = w.st;
	return w.n;
}
