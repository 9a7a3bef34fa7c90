/*
 * slabcalc.c: the pure arithmetic of "memleak slabtop" and of the stack
 * depot decoder -- free pointer and handle decoding, slabinfo's columns,
 * track ages, and the grouping of objects into callsites the way debugfs
 * alloc_traces groups them. No crash headers (see pure/pure.h); unit-tested in
 * tests/unit/test_slabcalc.c.
 */
#include <stdlib.h>
#include <string.h>

#include "pure/pure.h"

uint64_t ml_swab64(uint64_t x)
{
	return __builtin_bswap64(x);
}

uint64_t ml_freeptr_decode(uint64_t stored, uint64_t ptr_addr, uint64_t random,
			   bool hardened, int long_bytes)
{
	if (!hardened)
		return stored;
	/* swab() is the kernel's swab32 where longs are 32 bits (ARM) */
	if (long_bytes == 4)
		return (uint32_t)(stored ^ random ^ __builtin_bswap32((uint32_t)ptr_addr));
	return stored ^ random ^ ml_swab64(ptr_addr);
}

uint64_t ml_bits(uint64_t word, int shift, int bits)
{
	if (shift < 0 || bits <= 0 || shift >= 64)
		return 0;
	word >>= shift;
	return bits >= 64 ? word : word & ((1ULL << bits) - 1);
}

void ml_handle_decode(uint32_t handle, const struct ml_handle_layout *l,
		      struct ml_handle_parts *p)
{
	p->index = ml_bits(handle, l->index_shift, l->index_bits);
	p->offset = ml_bits(handle, l->offset_shift, l->offset_bits);
	p->valid = l->valid_shift >= 0 ? ml_bits(handle, l->valid_shift, 1) : 1;
	p->extra = ml_bits(handle, l->extra_shift, l->extra_bits);
	p->byte_offset = (uint64_t)p->offset << l->align;
}

uint32_t ml_handle_strip_extra(uint32_t handle, const struct ml_handle_layout *l)
{
	if (l->extra_shift < 0 || l->extra_bits <= 0 || l->extra_shift >= 32)
		return handle;
	return handle & ~(uint32_t)((((1ULL << l->extra_bits) - 1)) << l->extra_shift);
}

uint64_t ml_handle_pool_size(const struct ml_handle_layout *l)
{
	return 1ULL << (l->offset_bits + l->align);
}

/* ---- slabinfo's columns (tools/mm/slabinfo.c) ------------------------- */

unsigned long long ml_slab_bytes(const struct ml_slab_totals *t)
{
	return (unsigned long long)t->slabs * ((unsigned long long)t->page_size << t->order);
}

long long ml_slab_loss(const struct ml_slab_totals *t)
{
	return (long long)ml_slab_bytes(t) - (long long)t->objects * (long long)t->object_size;
}

unsigned int ml_slab_pct_free(const struct ml_slab_totals *t)
{
	return t->slabs ? (unsigned int)(t->partial * 100 / t->slabs) : 100;
}

unsigned int ml_slab_pct_eff(const struct ml_slab_totals *t)
{
	unsigned long long mem = ml_slab_bytes(t);

	return mem ? (unsigned int)((unsigned long long)t->objects * t->object_size * 100 / mem)
		   : 100;
}

double ml_jiffies_age_s(unsigned long now, unsigned long when, unsigned int hz)
{
	/* unsigned difference: jiffies wrap (INITIAL_JIFFIES is near 2^32) */
	return hz ? (double)(unsigned long)(now - when) / hz : 0.0;
}

uint64_t ml_initial_jiffies(unsigned int hz)
{
	/* include/linux/jiffies.h: ((unsigned long)(unsigned int) (-300*HZ)) */
	return (uint32_t)(-300 * (int64_t)hz);
}

/*
 * Each candidate HZ predicts the time since boot as (jiffies_64 -
 * INITIAL_JIFFIES) / HZ; INITIAL_JIFFIES moves 300 s worth of jiffies with
 * HZ, so only the right one lands near the clock (within the ticks before
 * the tick device started: a second plus 2 %).
 */
unsigned int ml_hz_from_clocks(uint64_t jiffies64, int64_t mono_ns)
{
	static const unsigned int cand[] = { 100, 250, 300, 1000, 24, 32, 48, 64, 128,
					     200, 256, 500, 512, 1024, 1200 };
	unsigned int best = 0;
	double best_err = 0;
	size_t i;

	if (mono_ns <= 0)
		return 0;
	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		uint64_t init = ml_initial_jiffies(cand[i]);
		double pred, err;

		if (jiffies64 < init)
			continue;
		pred = (double)(jiffies64 - init) * (1e9 / cand[i]);
		err = pred > mono_ns ? pred - mono_ns : mono_ns - pred;
		if (!best || err < best_err) {
			best = cand[i];
			best_err = err;
		}
	}
	return best && best_err <= 1e9 + 0.02 * mono_ns ? best : 0;
}

/* ---- callsites -------------------------------------------------------- */

struct ml_sites {
	struct ml_site *head;	/* uthash table */
	unsigned long n;
};

struct ml_sites *ml_sites_new(void)
{
	return ml_alloc(sizeof(struct ml_sites));
}

unsigned long ml_sites_count(const struct ml_sites *s)
{
	return s->n;
}

static void ml_site_bit(uint64_t *words, int nwords, int bit, bool *more)
{
	if (bit < 0)
		return;
	if (bit >= 64 * nwords) {
		if (more)
			*more = true;
		return;
	}
	words[bit / 64] |= 1ULL << (bit % 64);
}

void ml_sites_add(struct ml_sites *s, uint32_t cache, bool by_stack,
		  const struct ml_site_obj *o)
{
	struct ml_site_key k;
	struct ml_site *site;
	unsigned long age = o->now - o->when;

	memset(&k, 0, sizeof(k));	/* padding is part of the hashed key */
	k.addr = o->addr;
	k.cache = cache;
	k.handle = by_stack ? o->handle : 0;
	HASH_FIND(hh, s->head, &k, sizeof(k), site);
	if (!site) {
		site = ml_alloc(sizeof(*site));
		site->key = k;
		site->first_handle = o->handle;
		site->min_age = (unsigned long)-1;
		site->min_pid = o->pid;
		site->max_pid = o->pid;
		HASH_ADD(hh, s->head, key, sizeof(k), site);
		s->n++;
	} else if (o->handle != site->first_handle) {
		site->handles_differ = true;
	}
	site->count++;
	site->waste += o->waste;
	/* like add_location(): a track without a time adds to the count and
	 * the nodes only */
	if (o->when) {
		site->aged++;
		site->sum_age += age;
		if (age < site->min_age)
			site->min_age = age;
		if (age > site->max_age)
			site->max_age = age;
		if (o->pid < site->min_pid)
			site->min_pid = o->pid;
		if (o->pid > site->max_pid)
			site->max_pid = o->pid;
		ml_site_bit(site->cpus, ML_SITE_CPU_WORDS, o->cpu, &site->cpus_more);
	}
	ml_site_bit(&site->nodes, 1, o->node, NULL);
}

static enum ml_site_sort ml_sort_by;
static const unsigned long *ml_sort_objsize;

static unsigned long long ml_site_bytes(const struct ml_site *s)
{
	return (unsigned long long)s->count * (ml_sort_objsize ? ml_sort_objsize[s->key.cache] : 1);
}

static int ml_site_cmp(const void *a, const void *b)
{
	const struct ml_site *x = *(struct ml_site *const *)a, *y = *(struct ml_site *const *)b;
	unsigned long long vx, vy;

	if (ml_sort_by == ML_SITE_BY_BYTES) {
		vx = ml_site_bytes(x);
		vy = ml_site_bytes(y);
	} else {
		vx = x->count;
		vy = y->count;
	}
	if (vx != vy)
		return vx > vy ? -1 : 1;
	if (x->key.addr != y->key.addr)
		return x->key.addr < y->key.addr ? -1 : 1;
	if (x->key.cache != y->key.cache)
		return x->key.cache < y->key.cache ? -1 : 1;
	if (x->key.handle != y->key.handle)
		return x->key.handle < y->key.handle ? -1 : 1;
	return 0;
}

struct ml_site **ml_sites_sorted(struct ml_sites *s, enum ml_site_sort by,
				 const unsigned long *objsize, size_t *n)
{
	struct ml_site **v = ml_alloc((s->n ? s->n : 1) * sizeof(*v));
	struct ml_site *site, *tmp;
	size_t i = 0;

	HASH_ITER(hh, s->head, site, tmp)
		v[i++] = site;
	ml_sort_by = by;
	ml_sort_objsize = objsize;
	qsort(v, i, sizeof(*v), ml_site_cmp);
	*n = i;
	return v;
}

const char *ml_bitmap_list(const uint64_t *words, int nwords, char *buf, size_t len)
{
	int bit = 0, nbits = 64 * nwords;
	size_t used = 0;

	buf[0] = '\0';
	while (bit < nbits) {
		int start;

		if (!(words[bit / 64] & (1ULL << (bit % 64)))) {
			bit++;
			continue;
		}
		start = bit;
		while (bit + 1 < nbits && (words[(bit + 1) / 64] & (1ULL << ((bit + 1) % 64))))
			bit++;
		if (used < len) {
			int w = start == bit
				? snprintf(buf + used, len - used, "%s%d", used ? "," : "", start)
				: snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", start, bit);
			used += w > 0 ? (size_t)w : 0;
		}
		bit++;
	}
	if (used >= len && len)
		buf[len - 1] = '\0';
	return buf;
}
