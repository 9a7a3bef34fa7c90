/*
 * allocinfo.c: /proc/allocinfo rebuilt from the dump: allocation profiling
 * (CONFIG_MEM_ALLOC_PROFILING, v6.10: 22d407b164ff "lib: add allocation
 * tagging support for memory allocation profiling") keeps one struct
 * alloc_tag per allocation call site, with per-cpu counters of the bytes
 * and calls live from it (lib/alloc_tag.c).
 *
 * Where the tags are:
 *  - alloc_tag_cttype, a struct codetag_type, keeps in mod_idr one struct
 *    codetag_module per range of tags: vmlinux's (the alloc_tags section,
 *    __start_alloc_tags..__stop_alloc_tags, mod NULL) and each loaded
 *    module's, each [range.start, range.stop) of desc.tag_size steps. This
 *    is what allocinfo_start()/codetag_next() walk, so it is what the file
 *    lists. The module ranges live in the modules' own memory (v6.10-6.12)
 *    or in one area for every module's tags (v6.13, 0db6f8d7820a
 *    "alloc_tag: load module tags into separate contiguous memory"): the
 *    IDR finds them either way.
 *  - when the IDR cannot be read, vmlinux's section alone, by its symbols.
 *
 * The counters pointer is __percpu: a static per-cpu variable for vmlinux's
 * tags, alloc_percpu() memory for a module's. The tags of one range have
 * their counters close together, so each cpu's counters of a range are read
 * in one block where they span little.
 *
 * Whether it counts: the static key mem_alloc_profiling_key (sysctl
 * vm.mem_profiling, boot parameter sysctl.vm.mem_profiling=); since v6.12
 * mem_profiling_support false means it was turned off for good at boot.
 */
#include "collect/collect.h"

#include <uthash.h>

#define ML_AI_MAX_TAGS (4UL << 20)	/* a bound on tags per range */
#define ML_AI_MAX_RANGES 65536
#define ML_AI_BLOCK (1UL << 20)	/* a range's counters read in one block up to this */
#define ML_CODETAG_FLAG_INACCURATE (1u << 0)	/* include/linux/codetag.h, v6.12 */

struct ml_ai_str {
	ulong addr;
	char *s;
	UT_hash_handle hh;
};

struct ml_ai_ctx {
	struct ml_ai_data *d;
	const struct ml_ai_opts *o;
	struct ml_ai_str *strs;
	long tag_size;
	size_t cap;
	ulong vmlinux_start;	/* seen in the IDR */
};

/* a string of the tags (file names repeat): read once */
static const char *ml_ai_string(struct ml_ai_ctx *x, ulong addr)
{
	struct ml_ai_str *e;
	char buf[256];

	if (!addr)
		return NULL;
	HASH_FIND(hh, x->strs, &addr, sizeof(addr), e);
	if (e)
		return e->s;
	e = ml_alloc(sizeof(*e));
	e->addr = addr;
	e->s = ml_strdup(ml_read_cstring(addr, buf, sizeof(buf), "codetag string") ? buf : "");
	HASH_ADD(hh, x->strs, addr, sizeof(e->addr), e);
	return e->s;
}

/* every cpu's counters of tags[0..n) (their __percpu pointers in ptr[]) */
static void ml_ai_counters(struct ml_atag *t, const ulong *ptr, size_t n)
{
	long csz = 2 * sizeof(uint64_t);
	long ob = ML_OFF(alloc_tag_counters, bytes), oc = ML_OFF(alloc_tag_counters, calls);
	ulong lo = ~0UL, hi = 0;
	unsigned char *blk = NULL;
	size_t i;
	int cpu;

	for (i = 0; i < n; i++) {
		if (!ptr[i])
			continue;
		lo = ptr[i] < lo ? ptr[i] : lo;
		hi = ptr[i] > hi ? ptr[i] : hi;
	}
	if (lo > hi)
		return;
	if (hi - lo + csz <= ML_AI_BLOCK)
		blk = ml_alloc(hi - lo + csz);
	for (cpu = 0; cpu < kt->cpus; cpu++) {
		bool bulk = blk && ml_read(ml_percpu_addr(lo, cpu), blk, hi - lo + csz,
					   "alloc_tag_counters");

		for (i = 0; i < n; i++) {
			unsigned char c[16];
			const unsigned char *p = c;

			if (!ptr[i])
				continue;
			if (bulk)
				p = blk + (ptr[i] - lo);
			else if (!ml_read(ml_percpu_addr(ptr[i], cpu), c, csz, "alloc_tag_counters")) {
				t[i].unreadable = true;
				continue;
			}
			t[i].bytes += ml_get_uint(p, ob, 8);
			t[i].calls += ml_get_uint(p, oc, 8);
		}
	}
	if (blk)
		ml_free(blk);
}

/* the tags of [start, stop) */
static void ml_ai_range(struct ml_ai_ctx *x, ulong start, ulong stop)
{
	struct ml_ai_data *d = x->d;
	unsigned long n = (stop - start) / x->tag_size, i, first = d->n;
	long ct = ML_OFF(alloc_tag, ct);
	unsigned char *buf;
	ulong *ptr;

	if (stop <= start || n > ML_AI_MAX_TAGS)
		return;
	d->modules++;
	buf = ml_alloc(n * x->tag_size);
	if (!ml_read(start, buf, n * x->tag_size, "alloc_tag")) {
		/* one by one: keep what the dump holds */
		for (i = 0; i < n; i++)
			if (!ml_read(start + i * x->tag_size, buf + i * x->tag_size, x->tag_size,
				     "alloc_tag"))
				memset(buf + i * x->tag_size, 0xff, x->tag_size);
	}
	if (d->n + n > x->cap) {
		x->cap = (d->n + n) * 2;
		d->v = ml_realloc(d->v, x->cap * sizeof(*d->v));
	}
	ptr = ml_alloc(n * sizeof(ulong));
	for (i = 0; i < n; i++) {
		const unsigned char *b = buf + i * x->tag_size;
		struct ml_atag *t = &d->v[d->n];
		ulong mod = ml_get_ulong(b, ct + ML_OFF(codetag, modname));
		const char *modname;

		d->tags++;
		if (ml_get_ulong(b, ML_OFF(alloc_tag, counters)) == ~0UL) {
			d->unreadable_tags++;
			continue;
		}
		modname = ml_ai_string(x, mod);
		memset(t, 0, sizeof(*t));
		t->addr = start + i * x->tag_size;
		t->modname = modname;
		t->function = ml_ai_string(x, ml_get_ulong(b, ct + ML_OFF(codetag, function)));
		t->filename = ml_ai_string(x, ml_get_ulong(b, ct + ML_OFF(codetag, filename)));
		if (!t->function)
			t->function = "";
		if (!t->filename)
			t->filename = "";
		t->lineno = ml_get_u32(b, ct + ML_OFF(codetag, lineno));
		t->inaccurate = ml_get_u32(b, ct + ML_OFF(codetag, flags)) & ML_CODETAG_FLAG_INACCURATE;
		ptr[d->n - first] = ml_get_ulong(b, ML_OFF(alloc_tag, counters));
		d->n++;
	}
	ml_ai_counters(d->v + first, ptr, d->n - first);
	for (i = first; i < d->n; i++)
		d->unreadable_counters += d->v[i].unreadable;
	ml_free(ptr);
	ml_free(buf);
}

/* one struct codetag_module of the IDR */
static bool ml_ai_module(unsigned long index, ulong cmod, void *arg)
{
	struct ml_ai_ctx *x = arg;
	ulong r = cmod + ML_OFF(codetag_module, range), start, stop;

	(void)index;
	if (x->d->modules >= ML_AI_MAX_RANGES)
		return false;
	if (!ml_read_ulong(r + ML_OFF(codetag_range, start), &start, "codetag_range.start") ||
	    !ml_read_ulong(r + ML_OFF(codetag_range, stop), &stop, "codetag_range.stop")) {
		x->d->unreadable_tags++;
		return true;
	}
	if (symbol_exists("__start_alloc_tags") && start == symbol_value("__start_alloc_tags"))
		x->vmlinux_start = start;
	ml_ai_range(x, start, stop);
	return true;
}

static int ml_ai_cmp_bytes(const void *a, const void *b)
{
	const struct ml_atag *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int ml_ai_cmp_calls(const void *a, const void *b)
{
	const struct ml_atag *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return ml_ai_cmp_bytes(a, b);
}

/* the sums over every tag, then only the tags -m keeps */
static void ml_ai_filter(struct ml_ai_data *d, const struct ml_ai_opts *o)
{
	size_t i, k = 0;

	for (i = 0; i < d->n; i++) {
		d->bytes += d->v[i].bytes;
		d->calls += d->v[i].calls;
	}
	if (!o->module) {
		d->kept_bytes = d->bytes;
		d->kept_calls = d->calls;
		return;
	}
	for (i = 0; i < d->n; i++) {
		if (!d->v[i].modname || strcmp(d->v[i].modname, o->module))
			continue;
		d->kept_bytes += d->v[i].bytes;
		d->kept_calls += d->v[i].calls;
		d->v[k++] = d->v[i];
	}
	d->n = k;
}

int ml_allocinfo_collect(struct ml_ai_data *d, const struct ml_ai_opts *o)
{
	struct ml_ai_ctx x;
	ulong v, cttype;
	unsigned int key = 0;

	memset(d, 0, sizeof(*d));
	memset(&x, 0, sizeof(x));
	if (!symbol_exists("alloc_tag_cttype") || !symbol_exists("mem_alloc_profiling_key"))
		return ml_fail("allocation profiling is not in this kernel "
			       "(CONFIG_MEM_ALLOC_PROFILING=n, or a kernel before 6.10): build with "
			       "CONFIG_MEM_ALLOC_PROFILING=y");
	if (ml_need(ML_T(alloc_tag), ML_M(alloc_tag, ct), ML_M(alloc_tag, counters),
		    ML_M(codetag, flags), ML_M(codetag, lineno), ML_M(codetag, modname),
		    ML_M(codetag, function), ML_M(codetag, filename),
		    ML_M(alloc_tag_counters, bytes), ML_M(alloc_tag_counters, calls), ML_NEED_END))
		return -1;
	x.d = d;
	x.o = o;
	x.tag_size = ML_SIZE(alloc_tag);
	d->supported = !symbol_exists("mem_profiling_support") ||
		       (ml_read_sym_ulong("mem_profiling_support", &v) && v);
	d->enabled = ML_HAS(static_key, enabled) &&
		     ml_read_uint(symbol_value("mem_alloc_profiling_key") + ML_OFF(static_key, enabled),
				  &key, "mem_alloc_profiling_key") && key;
	d->walk = ML_WALK_UNREADABLE;
	if (ML_HAS(codetag_type, mod_idr) && ML_HAS(codetag_module, range) &&
	    ML_HAS(codetag_range, start) && ML_HAS(codetag_range, stop) &&
	    ml_read_ulong(symbol_value("alloc_tag_cttype"), &cttype, "alloc_tag_cttype") && cttype) {
		ulong ts;

		if (ML_HAS(codetag_type, desc) && ML_HAS(codetag_type_desc, tag_size) &&
		    ml_read_ulong(cttype + ML_OFF(codetag_type, desc) +
					  ML_OFF(codetag_type_desc, tag_size), &ts, "tag_size") &&
		    ts >= (ulong)x.tag_size && ts < 4096)
			x.tag_size = ts;
		ml_xa_walk(cttype + ML_OFF(codetag_type, mod_idr), ML_AI_MAX_RANGES, ml_ai_module, &x,
			   &d->walk);
		d->source = "alloc_tag_cttype's module IDR";
	}
	if (!x.vmlinux_start && symbol_exists("__start_alloc_tags") &&
	    symbol_exists("__stop_alloc_tags")) {
		/* the IDR did not give vmlinux's tags: its section */
		ml_ai_range(&x, symbol_value("__start_alloc_tags"), symbol_value("__stop_alloc_tags"));
		d->source = d->modules > 1 ? "the module IDR and vmlinux's alloc_tags section"
					   : "vmlinux's alloc_tags section (modules not found)";
	}
	if (d->walk == ML_WALK_INTERRUPTED)
		return ml_fail("interrupted");
	if (!d->tags)
		return ml_fail("no allocation tag could be read from the dump");
	ml_ai_filter(d, o);
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v),
		      o->sort == ML_AI_CALLS ? ml_ai_cmp_calls : ml_ai_cmp_bytes);
	return 0;
}
