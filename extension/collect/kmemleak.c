/*
 * kmemleak.c: kmemleak's own view, read back from the dump
 * (CONFIG_DEBUG_KMEMLEAK, mm/kmemleak.c).
 *
 * kmemleak keeps one struct kmemleak_object per tracked allocation on
 * object_list. Each scan resets every object's count, counts the pointers
 * it finds to it, and at the end flags OBJECT_REPORTED on the objects left
 * white (count < min_count) that are older than jiffies_min_age at the
 * scan's start (jiffies_last_scan). /sys/kernel/debug/kmemleak lists the
 * objects that are reported and still unreferenced (kmemleak_seq_show()).
 * This file sorts every object the same way, so what memleak reports is
 * what that file would have shown at the dump, plus what it did not judge.
 *
 * Layouts (doc/layouts.md, "kmemleak"):
 *  - the backtrace is a stack depot handle, trace_handle, since v6.2
 *    (56a61617dd22 "mm: use stack_depot for recording kmemleak's
 *    backtrace"); before it, trace[MAX_TRACE] and trace_len;
 *  - flags: read at the debuginfo's size (unsigned long in older kernels,
 *    unsigned int in newer ones);
 *  - the OBJECT_* flags are #defines, not in the debuginfo: ALLOCATED (bit
 *    0), REPORTED (1) and NO_SCAN (2) since kmemleak's start (v2.6.31);
 *    PHYS (4) since v6.0 ("mm: kmemleak: add OBJECT_PHYS flag for objects
 *    allocated with physical address"); PERCPU (5) since v6.12
 *    (6c99d4eb7c5e "kmemleak: enable tracking for percpu pointers"). Bits 4
 *    and 5 were unused before, so reading them is safe on older kernels.
 */
#include "collect/collect.h"

#include <uthash.h>

#define ML_OBJECT_ALLOCATED (1u << 0)
#define ML_OBJECT_REPORTED (1u << 1)
#define ML_OBJECT_PHYS (1u << 4)
#define ML_OBJECT_PERCPU (1u << 5)
#define ML_KMEMLEAK_BLACK (-1)	/* min_count/count: ignored, never colored */

#define ML_KML_MAX_OBJECTS (64UL << 20)	/* a bound on object_list */

const char *ml_kml_state_name(enum ml_kml_state s)
{
	static const char *const names[ML_KML_NR] = {
		"reported", "unreported", "new", "referenced", "ignored", "freed",
	};

	return s < ML_KML_NR ? names[s] : "?";
}

const char *ml_kml_kind_name(enum ml_kml_kind k)
{
	static const char *const names[ML_KMK_NR] = { "linear", "vmalloc", "percpu", "phys" };

	return k < ML_KMK_NR ? names[k] : "?";
}

/* the stack's callsite, per stack (handle or trace hash) */
struct ml_kml_caller {
	uint32_t id;
	ulong caller;
	UT_hash_handle hh;
};

struct ml_kml_ctx {
	struct ml_kml_data *d;
	const struct ml_kml_opts *o;
	unsigned char *buf;
	long objsize;
	long flags_size;
	unsigned int max_trace;
	struct ml_kml_caller *callers;
	struct ml_orph_groups *gs;
	size_t cap;
};

unsigned int ml_kmemleak_stack(const struct ml_kml_object *ob, const ulong **entries,
			       enum ml_depot_status *st)
{
	unsigned int nr = 0;

	*entries = NULL;
	if (ob->trace) {
		*entries = ob->trace;
		*st = ob->trace_len ? ML_DEPOT_OK : ML_DEPOT_NOHANDLE;
		return ob->trace_len;
	}
	*st = ml_depot_fetch(ob->handle, entries, &nr);
	return *st == ML_DEPOT_OK ? nr : 0;
}

static ulong ml_kml_first_caller(const struct ml_kml_object *ob)
{
	enum ml_depot_status st;
	const ulong *e;
	unsigned int nr = ml_kmemleak_stack(ob, &e, &st), i;

	for (i = 0; i < nr; i++)
		if (!ml_allocator_frame(ml_sym_lookup(e[i])->name))
			return e[i];
	return nr ? e[nr - 1] : 0;
}

static ulong ml_kml_caller(struct ml_kml_ctx *x, const struct ml_kml_object *ob)
{
	struct ml_kml_caller *c;

	if (!ob->stack_id)
		return 0;
	HASH_FIND(hh, x->callers, &ob->stack_id, sizeof(ob->stack_id), c);
	if (!c) {
		c = ml_alloc(sizeof(*c));
		c->id = ob->stack_id;
		c->caller = ml_kml_first_caller(ob);
		HASH_ADD(hh, x->callers, id, sizeof(c->id), c);
	}
	return c->caller;
}

/* FNV-1a over trace[], never 0 (0: no stack) */
static uint32_t ml_kml_trace_id(const ulong *t, unsigned int n)
{
	uint32_t h = 2166136261u;
	unsigned int i, k;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		for (k = 0; k < sizeof(ulong); k++) {
			h ^= (t[i] >> (8 * k)) & 0xff;
			h *= 16777619u;
		}
	return h ? h : 1;
}

static enum ml_kml_state ml_kml_judge(const struct ml_kml_data *d, const struct ml_kml_object *ob)
{
	if (!(ob->flags & ML_OBJECT_ALLOCATED))
		return ML_KML_FREED;
	if (ob->min_count == ML_KMEMLEAK_BLACK)
		return ML_KML_IGNORED;
	/* unreferenced_object(): time_before_eq(jiffies + min_age, last scan) */
	if (!d->scanned || (long)(ob->jiffies + d->min_age - d->last_scan) > 0 ||
	    ob->count == ML_KMEMLEAK_BLACK)
		return ML_KML_NEW;
	if (ob->count < ob->min_count)	/* color_white() */
		return ob->flags & ML_OBJECT_REPORTED ? ML_KML_REPORTED : ML_KML_UNREPORTED;
	return ML_KML_REFERENCED;
}

static bool ml_kml_one(ulong meta, void *arg)
{
	struct ml_kml_ctx *x = arg;
	struct ml_kml_data *d = x->d;
	const unsigned char *b = x->buf;
	struct ml_kml_object ob, *kept;
	struct ml_orph_key key;

	d->walked++;
	if (!ml_read(meta, x->buf, x->objsize, "kmemleak_object")) {
		d->unreadable++;
		return true;
	}
	memset(&ob, 0, sizeof(ob));
	ob.meta = meta;
	ob.pointer = ml_get_ulong(b, ML_OFF(kmemleak_object, pointer));
	ob.size = ml_get_uint(b, ML_OFF(kmemleak_object, size), ML_MSIZE(kmemleak_object, size));
	ob.flags = ml_get_uint(b, ML_OFF(kmemleak_object, flags), x->flags_size);
	ob.min_count = (int)ml_get_u32(b, ML_OFF(kmemleak_object, min_count));
	ob.count = (int)ml_get_u32(b, ML_OFF(kmemleak_object, count));
	ob.jiffies = ml_get_ulong(b, ML_OFF(kmemleak_object, jiffies));
	ob.state = ml_kml_judge(d, &ob);
	d->count[ob.state]++;
	d->bytes[ob.state] += ob.size;
	if (!(ob.state == ML_KML_REPORTED ||
	      (x->o->all && (ob.state == ML_KML_UNREPORTED || ob.state == ML_KML_NEW))))
		return true;
	/* a kept object: the rest of it */
	if (ML_HAS(kmemleak_object, checksum))
		ob.checksum = ml_get_u32(b, ML_OFF(kmemleak_object, checksum));
	if (ML_HAS(kmemleak_object, pid))
		ob.pid = (int)ml_get_u32(b, ML_OFF(kmemleak_object, pid));
	if (ML_HAS(kmemleak_object, comm))
		memcpy(ob.comm, b + ML_OFF(kmemleak_object, comm),
		       ML_MSIZE(kmemleak_object, comm) < ML_KML_COMM
			       ? (size_t)ML_MSIZE(kmemleak_object, comm) : ML_KML_COMM);
	if (d->depot) {
		ob.handle = ml_get_u32(b, ML_OFF(kmemleak_object, trace_handle));
		ob.stack_id = ob.handle;
	} else {
		unsigned int n = ml_get_uint(b, ML_OFF(kmemleak_object, trace_len),
					     ML_MSIZE(kmemleak_object, trace_len));
		ulong *t;

		if (n > x->max_trace)
			n = x->max_trace;
		t = ml_alloc((n + 1) * sizeof(ulong));
		memcpy(t, b + ML_OFF(kmemleak_object, trace), n * sizeof(ulong));
		ob.trace = t;
		ob.trace_len = n;
		ob.stack_id = ml_kml_trace_id(t, n);
	}
	if (ob.flags & ML_OBJECT_PERCPU)
		ob.kind = ML_KMK_PERCPU;
	else if (ob.flags & ML_OBJECT_PHYS)
		ob.kind = ML_KMK_PHYS;
	else if (ml_is_vmalloc_addr(ob.pointer))
		ob.kind = ML_KMK_VMALLOC;
	else
		ob.kind = ML_KMK_LINEAR;
	ob.age = ml_feat.hz ? ml_jiffies_age_s(d->jiffies, ob.jiffies, ml_feat.hz) : -1;
	ob.caller = ml_kml_caller(x, &ob);
	if (x->o->module) {
		const struct ml_sym *s = ml_sym_lookup(ob.caller);

		if (!ob.caller || !s->module || strcmp(s->module, x->o->module))
			return true;
	}
	if (d->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		d->v = ml_realloc(d->v, x->cap * sizeof(*d->v));
	}
	kept = &d->v[d->n++];
	*kept = ob;
	d->kept_bytes += ob.size;
	memset(&key, 0, sizeof(key));
	key.kind = ob.state;
	key.cache = ob.kind;
	key.caller = ob.caller;
	key.handle = x->o->by_stack ? ob.stack_id : 0;
	ml_orph_add(x->gs, &key, ob.pointer, ob.size, ob.age, ob.stack_id);
	return true;
}

const struct ml_kml_object *ml_kmemleak_group_object(const struct ml_kml_data *d,
						    const struct ml_orph_group *g)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct ml_kml_object *ob = &d->v[i];

		if (ob->state == g->key.kind && ob->kind == g->key.cache &&
		    ob->caller == g->key.caller && ob->stack_id == g->first_handle)
			return ob;
	}
	return NULL;
}

/* kmemleak's switches and clocks */
static void ml_kml_state(struct ml_kml_data *d)
{
	ulong v;

	d->enabled = ml_read_sym_ulong("kmemleak_enabled", &v) && v;
	d->have_error = ml_read_sym_ulong("kmemleak_error", &v);
	d->error = d->have_error && v;
	d->free_enabled = ml_read_sym_ulong("kmemleak_free_enabled", &v) && v;
	if (ml_read_sym_ulong("jiffies_last_scan", &v))
		d->last_scan = v;
	d->scanned = d->last_scan != 0;
	if (ml_read_sym_ulong("jiffies_min_age", &v))
		d->min_age = v;
	else
		d->min_age = (ulong)ml_feat.hz * 5;	/* MSECS_MIN_AGE: 5000 ms */
	if (ml_read_sym_ulong("jiffies", &v))
		d->jiffies = v;
	if (d->scanned && ml_feat.hz)
		d->last_scan_age = (double)(d->jiffies - d->last_scan) / ml_feat.hz;
	d->auto_scan = ml_read_sym_ulong("scan_thread", &v) && v;
	if (ml_read_sym_ulong("jiffies_scan_wait", &v) && ml_feat.hz)
		d->scan_wait = (double)v / ml_feat.hz;
	d->mem_pool_free = ml_read_sym_ulong("mem_pool_free_count", &v) ? (long)(unsigned int)v : -1;
}

int ml_kmemleak_collect(struct ml_kml_data *d, const struct ml_kml_opts *o)
{
	struct ml_kml_ctx x;

	memset(d, 0, sizeof(*d));
	memset(&x, 0, sizeof(x));
	if (!symbol_exists("kmemleak_scan") || !symbol_exists("object_list"))
		return ml_fail("kmemleak is not in this kernel (CONFIG_DEBUG_KMEMLEAK=n): build "
			       "with CONFIG_DEBUG_KMEMLEAK=y, or run \"memleak orphans\" for the "
			       "same scan on this dump");
	if (ml_need(ML_T(kmemleak_object), ML_M(kmemleak_object, object_list),
		    ML_M(kmemleak_object, flags), ML_M(kmemleak_object, pointer),
		    ML_M(kmemleak_object, size), ML_M(kmemleak_object, min_count),
		    ML_M(kmemleak_object, count), ML_M(kmemleak_object, jiffies), ML_NEED_END))
		return -1;
	d->depot = ML_HAS(kmemleak_object, trace_handle);
	if (!d->depot && (!ML_HAS(kmemleak_object, trace) || !ML_HAS(kmemleak_object, trace_len)))
		return ml_fail("kmemleak_object has neither trace_handle nor trace[]: "
			       "a layout memleak does not know");
	x.d = d;
	x.o = o;
	x.objsize = ML_SIZE(kmemleak_object);
	x.buf = ml_alloc(x.objsize);
	x.flags_size = ML_MSIZE(kmemleak_object, flags);
	x.max_trace = d->depot ? 0 : ML_MSIZE(kmemleak_object, trace) / sizeof(ulong);
	x.gs = ml_orph_groups_new();
	ml_kml_state(d);
	ml_list_walk(symbol_value("object_list"), ML_OFF(kmemleak_object, object_list),
		     ML_KML_MAX_OBJECTS, ml_kml_one, &x, &d->walk);
	d->groups = ml_orph_sorted(x.gs, &d->ngroups);
	if (d->walk == ML_WALK_INTERRUPTED)
		return ml_fail("interrupted");
	return 0;
}
