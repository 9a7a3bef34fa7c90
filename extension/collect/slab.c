/*
 * slab.c: "memleak slabtop" -- every SLUB cache by memory, with active
 * objects counted by walking the freelists of every slab the cache owns --
 * and "memleak slabtop --by-callsite": the allocated objects grouped by the
 * alloc (or free) track SLUB keeps for caches with SLAB_STORE_USER, as
 * debugfs alloc_traces would have shown them.
 *
 * Where a cache's slabs are:
 *   - per CPU: kmem_cache_cpu.slab with its lockless freelist, and the CPU
 *     partial list chained by slab.next (kmem_cache_cpu is gone in v7.0,
 *     commit 32c894c7274b "slab: remove struct kmem_cache_cpu");
 *   - per node: kmem_cache_node.partial, and .full -- kept only for debug
 *     caches (SLAB_STORE_USER), so other caches' full slabs come from the
 *     node counters (nr_slabs, total_objects); kmem_cache.node[] became
 *     per_node[].node in v7.1 (commit 5ba6bc27b1f9).
 * struct slab split from struct page in v5.17 (commit d122019bf061); the
 * same members are read from struct page before.
 *
 * Each slab is read in one piece (objects, free pointers and tracks); the
 * free pointers are decoded as mm/slub.c freelist_ptr() does (hardened:
 * ptr ^ s->random ^ swab(ptr_addr)). The track sits at get_info_end():
 * s->inuse, plus a word when the free pointer lies outside the object
 * (s->offset >= s->inuse; commit cbfc35a48609, backported to stable, so
 * decided from the layout, never from the version).
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <time.h>

static const char *const ml_slab_kind_name[] = { "cpu", "cpu_partial", "partial", "full" };

/* inline stacks of struct track.addrs[] (before v5.18), interned so they
 * group like depot handles */
#define ML_TRACK_ADDRS_MAX 16
struct ml_inline_stack {
	ulong addrs[ML_TRACK_ADDRS_MAX];
	uint32_t id;
	unsigned int nr;
	UT_hash_handle hh, hh_id;
};

struct ml_walk {
	struct ml_scache *c;
	uint32_t idx;
	bool objs;		/* visit allocated objects (by-callsite) */
	bool free_track;
	bool by_stack;
	struct ml_sites *sites;
	ulong now;
	int node;
	enum ml_slab_kind kind;
	char *buf;		/* one slab */
	size_t buflen;
	char *sbuf;		/* struct slab / struct page */
	long slab_size;
	uint64_t *map;		/* free objects of the slab */
	size_t mapwords;
	unsigned long objects_seen;
	unsigned long slabs_read;
	unsigned long long bytes_read;
	struct ml_inline_stack *istacks, *istacks_by_id;
	uint32_t next_istack;
};

/* member offsets in struct slab, or in struct page before v5.17 */
static long ml_so_cache, ml_so_freelist, ml_so_counters, ml_so_list, ml_so_next;

static void ml_slab_offsets(void)
{
	if (ml_feat.slab_struct) {
		ml_so_cache = ML_OFF(slab, slab_cache);
		ml_so_freelist = ML_OFF(slab, freelist);
		ml_so_counters = ML_OFF(slab, counters);
		ml_so_list = ML_OFF(slab, slab_list);
		ml_so_next = ML_OFF(slab, next);
	} else {
		ml_so_cache = ML_OFF(page, slab_cache);
		ml_so_freelist = ML_OFF(page, freelist);
		ml_so_counters = ML_OFF(page, counters);
		ml_so_list = ML_OFF(page, slab_list);
		ml_so_next = ML_OFF(page, next);
	}
}

static void ml_problem(struct ml_scache *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ml_problem(struct ml_scache *c, const char *fmt, ...)
{
	va_list ap;

	if (c->problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->problem, sizeof(c->problem), fmt, ap);
	va_end(ap);
}

/* node of a physical address (crash's node table) */
static int ml_phys_node(physaddr_t phys)
{
	int i;

	for (i = 0; i < vt->numnodes; i++) {
		struct node_table *nt = &vt->node_table[i];

		if (phys >= nt->start_paddr &&
		    phys < nt->start_paddr + (physaddr_t)nt->size * PAGESIZE())
			return nt->node_id;
	}
	return 0;
}

/* ---- tracks ----------------------------------------------------------- */

static uint32_t ml_intern_stack(struct ml_walk *w, const ulong *addrs, unsigned int max)
{
	struct ml_inline_stack key, *s;
	unsigned int n = 0;

	memset(&key, 0, sizeof(key));
	while (n < max && n < ML_TRACK_ADDRS_MAX && addrs[n]) {
		key.addrs[n] = addrs[n];
		n++;
	}
	if (!n)
		return 0;
	HASH_FIND(hh, w->istacks, key.addrs, sizeof(key.addrs), s);
	if (s)
		return s->id;
	s = ml_alloc(sizeof(*s));
	memcpy(s->addrs, key.addrs, sizeof(key.addrs));
	s->nr = n;
	s->id = ++w->next_istack;
	HASH_ADD(hh, w->istacks, addrs, sizeof(s->addrs), s);
	HASH_ADD(hh_id, w->istacks_by_id, id, sizeof(s->id), s);
	return s->id;
}

/* the stack of a group: depot handle, or interned addrs[] id */
static unsigned int ml_stack_of(struct ml_walk *w, uint32_t handle, const ulong **entries,
				enum ml_depot_status *st)
{
	unsigned int nr = 0;

	*entries = NULL;
	if (ml_feat.track_handle) {
		*st = ml_depot_fetch(handle, entries, &nr);
		return nr;
	} else {
		struct ml_inline_stack *s;

		HASH_FIND(hh_id, w->istacks_by_id, &handle, sizeof(handle), s);
		*st = s ? ML_DEPOT_OK : ML_DEPOT_NOHANDLE;
		if (s) {
			*entries = s->addrs;
			nr = s->nr;
		}
	}
	return nr;
}

static void ml_add_object(struct ml_walk *w, const char *obj)
{
	struct ml_scache *c = w->c;
	const char *t = obj + c->info_end + (w->free_track ? ML_SIZE(track) : 0);
	struct ml_site_obj o;

	memset(&o, 0, sizeof(o));
	o.addr = ml_get_ulong(t, ML_OFF(track, addr));
	if (ml_feat.track_handle)
		o.handle = ml_get_u32(t, ML_OFF(track, handle));
	else if (ML_HAS(track, addrs))
		o.handle = ml_intern_stack(w, (const ulong *)(t + ML_OFF(track, addrs)),
					   ML_MSIZE(track, addrs) / sizeof(ulong));
	o.cpu = (int)ml_get_u32(t, ML_OFF(track, cpu));
	o.pid = (int)ml_get_u32(t, ML_OFF(track, pid));
	o.when = ml_get_ulong(t, ML_OFF(track, when));
	o.now = w->now;
	o.node = w->node;
	if (!w->free_track && c->orig_size == ML_ORIG_YES) {
		unsigned int req = ml_get_u32(obj, c->info_end + 2 * ML_SIZE(track));

		o.waste = c->object_size - req;
	}
	ml_sites_add(w->sites, w->idx, w->by_stack, &o);
}

/*
 * SLAB_KMALLOC caches store the requested size after the two tracks
 * (mm/slub.c set_orig_size(), v6.1). No symbol or member tells whether
 * this kernel does, so it is decided from the data: every allocated object
 * of the first slab holding any must carry a size in 1..object_size.
 */
static void ml_decide_orig_size(struct ml_walk *w, unsigned int objects)
{
	struct ml_scache *c = w->c;
	unsigned int i, seen = 0;
	long at = (long)c->red_left_pad + c->info_end + 2 * ML_SIZE(track);

	if (c->orig_size != ML_ORIG_UNKNOWN)
		return;
	if (!c->store_user || !(c->flags & ml_feat.slab_kmalloc) ||
	    at + 4 > (long)c->size) {
		c->orig_size = ML_ORIG_NO;
		return;
	}
	for (i = 0; i < objects; i++) {
		unsigned int req;

		if (w->map[i / 64] & (1ULL << (i % 64)))
			continue;
		req = ml_get_u32(w->buf, (long)i * c->size + at);
		if (req == 0 || req > c->object_size) {
			c->orig_size = ML_ORIG_NO;
			return;
		}
		seen++;
	}
	if (seen)
		c->orig_size = ML_ORIG_YES;
}

/* ---- one slab --------------------------------------------------------- */

/* follow a freelist inside the slab; false on corruption */
static bool ml_chain(struct ml_walk *w, ulong base, ulong head, unsigned int objects,
		     unsigned long *nfree, const char *which, ulong slab)
{
	struct ml_scache *c = w->c;
	ulong p = head;
	unsigned int steps = 0;

	while (p) {
		ulong off = p - base - c->red_left_pad;
		unsigned int i;

		if (p < base + c->red_left_pad || off % c->size || off / c->size >= objects) {
			ml_problem(c, "slab %lx: %s freelist points outside the slab (%lx)",
				   slab, which, p);
			c->corrupt++;
			return false;
		}
		i = off / c->size;
		if (w->map[i / 64] & (1ULL << (i % 64))) {
			ml_problem(c, "slab %lx: %s freelist cycle at object %lx", slab, which, p);
			c->corrupt++;
			return false;
		}
		w->map[i / 64] |= 1ULL << (i % 64);
		(*nfree)++;
		if (++steps > objects)
			break;
		p = ml_freeptr_decode(ml_get_ulong(w->buf, p - base + c->offset),
				      p + c->offset, c->random, ml_feat.freelist_hardened);
	}
	return true;
}

/*
 * Visit the slab at address slab (struct slab/page). cpu_freelist: the
 * owning CPU's lockless freelist for a CPU slab. *next: slab.next (CPU
 * partial chain). Returns false if this is not a slab of the cache.
 */
static bool ml_visit_slab(struct ml_walk *w, ulong slab, ulong cpu_freelist, ulong *next)
{
	struct ml_scache *c = w->c;
	physaddr_t phys;
	ulong base, freelist, counters;
	unsigned int objects, inuse, frozen, i;
	unsigned long nfree = 0;
	size_t len;
	bool ok;

	if (next)
		*next = 0;
	if (!ml_read(slab, w->sbuf, w->slab_size, "struct slab")) {
		c->bad_slabs++;
		ml_problem(c, "slab %lx on the %s list is unreadable", slab,
			   ml_slab_kind_name[w->kind]);
		return false;
	}
	if (ml_get_ulong(w->sbuf, ml_so_cache) != c->addr) {
		c->bad_slabs++;
		ml_problem(c, "slab %lx on the %s list belongs to cache %lx", slab,
			   ml_slab_kind_name[w->kind], ml_get_ulong(w->sbuf, ml_so_cache));
		return false;
	}
	if (next && ml_so_next >= 0)
		*next = ml_get_ulong(w->sbuf, ml_so_next);
	freelist = ml_get_ulong(w->sbuf, ml_so_freelist);
	counters = ml_get_ulong(w->sbuf, ml_so_counters);
	objects = ml_bits(counters, ml_feat.slab_objects.shift, ml_feat.slab_objects.bits);
	inuse = ml_bits(counters, ml_feat.slab_inuse.shift, ml_feat.slab_inuse.bits);
	frozen = ml_bits(counters, ml_feat.slab_frozen.shift, ml_feat.slab_frozen.bits);
	len = (size_t)objects * c->size;
	if (!objects || inuse > objects || len > ((size_t)PAGESIZE() << 10) ||
	    !is_page_ptr(slab, &phys)) {
		c->bad_slabs++;
		ml_problem(c, "slab %lx: not a slab page (objects %u, inuse %u)", slab,
			   objects, inuse);
		return false;
	}
	c->slabs[w->kind]++;
	/* pages of this slab: the smallest order that holds its objects */
	{
		unsigned int o = 0;

		while (((size_t)PAGESIZE() << o) < len)
			o++;
		c->pages += 1UL << o;
	}
	c->walked_objects += objects;
	if (w->kind == ML_SK_CPU || w->kind == ML_SK_CPU_PARTIAL)
		w->node = ml_phys_node(phys);
	base = PTOV(phys);
	if (len > w->buflen) {
		ml_free(w->buf);
		w->buflen = len;
		w->buf = ml_alloc(len);
	}
	if (!ml_read(base, w->buf, len, "slab objects")) {
		/* excluded from the dump: trust the slab's counter */
		c->excluded_slabs++;
		if (!frozen)
			c->free_objects += objects - inuse;
		return true;
	}
	w->mapwords = (objects + 63) / 64;
	w->slabs_read++;
	w->bytes_read += len;
	memset(w->map, 0, w->mapwords * sizeof(uint64_t));
	ok = ml_chain(w, base, freelist, objects, &nfree, "slab", slab);
	if (ok && cpu_freelist)
		ok = ml_chain(w, base, cpu_freelist, objects, &nfree, "cpu", slab);
	if (!ok) {
		/* a broken chain: count what the counter says is free, visit
		 * no object of this slab */
		if (!frozen)
			c->free_objects += objects - inuse;
		else
			c->free_objects += nfree;
		return true;
	}
	c->free_objects += nfree;
	if (!frozen && objects - nfree != inuse)
		c->inconsistent++;
	if (!w->objs || !c->store_user)
		return true;
	ml_decide_orig_size(w, objects);
	for (i = 0; i < objects; i++) {
		if (w->map[i / 64] & (1ULL << (i % 64)))
			continue;
		ml_add_object(w, w->buf + (size_t)i * c->size + c->red_left_pad);
		w->objects_seen++;
	}
	return true;
}

/* ---- one cache -------------------------------------------------------- */

static bool ml_list_cb(ulong entry, void *arg)
{
	struct ml_walk *w = arg;

	ml_visit_slab(w, entry, 0, NULL);
	return !ml_interrupted();
}

static void ml_walk_node_list(struct ml_walk *w, ulong head, enum ml_slab_kind kind)
{
	enum ml_walk_status st;

	w->kind = kind;
	ml_list_walk(head, ml_so_list, 1UL << 26, ml_list_cb, w, &st);
	if (st != ML_WALK_OK && st != ML_WALK_STOPPED) {
		w->c->node_walk = st;
		ml_problem(w->c, "node %d %s list: %s", w->node, ml_slab_kind_name[kind],
			   ml_walk_status_str(st));
	}
}

static void ml_walk_cpus(struct ml_walk *w)
{
	struct ml_scache *c = w->c;
	long csize = ML_SIZE(kmem_cache_cpu);
	char *cbuf;
	int cpu;

	if (!c->cpu_slab || csize <= 0)
		return;
	cbuf = ml_alloc(csize);
	for (cpu = 0; cpu < kt->cpus && cpu < NR_CPUS; cpu++) {
		ulong pc_addr = c->cpu_slab + kt->__per_cpu_offset[cpu];
		ulong slab, freelist, partial;
		unsigned long n = 0;
		struct ml_cycle cy;

		if (!ml_read(pc_addr, cbuf, csize, "kmem_cache_cpu"))
			continue;
		freelist = ML_HAS(kmem_cache_cpu, freelist) ? ml_get_ulong(cbuf, ML_OFF(kmem_cache_cpu, freelist)) : 0;
		slab = ML_HAS(kmem_cache_cpu, slab) ? ml_get_ulong(cbuf, ML_OFF(kmem_cache_cpu, slab))
		     : ML_HAS(kmem_cache_cpu, page) ? ml_get_ulong(cbuf, ML_OFF(kmem_cache_cpu, page)) : 0;
		partial = ML_HAS(kmem_cache_cpu, partial) ? ml_get_ulong(cbuf, ML_OFF(kmem_cache_cpu, partial)) : 0;
		if (slab) {
			w->kind = ML_SK_CPU;
			ml_visit_slab(w, slab, freelist, NULL);
		}
		/* CPU partial slabs chained by slab.next; Brent's cycle check */
		w->kind = ML_SK_CPU_PARTIAL;
		ml_cycle_init(&cy, 0);
		while (partial && !ml_interrupted()) {
			ulong next;

			if (ml_cycle_step(&cy, partial)) {
				ml_problem(c, "cpu %d partial list: cycle", cpu);
				c->corrupt++;
				break;
			}
			if (++n > (1UL << 20) || !ml_visit_slab(w, partial, 0, &next))
				break;
			partial = next;
		}
	}
	ml_free(cbuf);
}

/* kmem_cache.node[] is allocated for nr_node_ids entries only (the rest
 * of MAX_NUMNODES is not there): its length */
static int ml_nr_node_ids(void)
{
	unsigned int v;

	if (symbol_exists("nr_node_ids") &&
	    ml_read_uint(symbol_value("nr_node_ids"), &v, "nr_node_ids") && v > 0 && v <= 1U << 16)
		return v;
	return vt->numnodes > 0 ? vt->numnodes : 1;
}

static ulong ml_cache_node(const char *kc, int i, int *nr)
{
	if (ML_HAS(kmem_cache, node)) {
		*nr = ML_MSIZE(kmem_cache, node) / sizeof(ulong);
		if (*nr > ml_nr_node_ids())
			*nr = ml_nr_node_ids();
		return i < *nr ? ml_get_ulong(kc, ML_OFF(kmem_cache, node) + i * sizeof(ulong)) : 0;
	}
	if (ML_HAS(kmem_cache, per_node) && ML_SIZE(kmem_cache_per_node_ptrs) > 0 &&
	    ML_HAS(kmem_cache_per_node_ptrs, node)) {
		long es = ML_SIZE(kmem_cache_per_node_ptrs);

		*nr = ML_MSIZE(kmem_cache, per_node) / es;
		if (*nr > ml_nr_node_ids())
			*nr = ml_nr_node_ids();
		return i < *nr ? ml_get_ulong(kc, ML_OFF(kmem_cache, per_node) + i * es +
					      ML_OFF(kmem_cache_per_node_ptrs, node)) : 0;
	}
	*nr = 0;
	return 0;
}

static void ml_walk_nodes(struct ml_walk *w, const char *kc)
{
	struct ml_scache *c = w->c;
	long nsize = ML_SIZE(kmem_cache_node);
	char *nbuf = ml_alloc(nsize > 0 ? nsize : 1);
	int i, nr = 0;

	c->counters = ML_HAS(kmem_cache_node, nr_slabs) && ML_HAS(kmem_cache_node, total_objects);
	for (i = 0; i == 0 || i < nr; i++) {
		ulong n = ml_cache_node(kc, i, &nr);

		if (!n)
			continue;
		if (!ml_read(n, nbuf, nsize, "kmem_cache_node")) {
			ml_problem(c, "kmem_cache_node %lx unreadable", n);
			c->counters = false;
			continue;
		}
		w->node = i;
		if (c->counters) {
			c->nr_slabs += ml_get_ulong(nbuf, ML_OFF(kmem_cache_node, nr_slabs));
			c->total_objects += ml_get_ulong(nbuf, ML_OFF(kmem_cache_node, total_objects));
		}
		c->nr_partial += ml_get_ulong(nbuf, ML_OFF(kmem_cache_node, nr_partial));
		ml_walk_node_list(w, n + ML_OFF(kmem_cache_node, partial), ML_SK_PARTIAL);
		if (c->full_listed)
			ml_walk_node_list(w, n + ML_OFF(kmem_cache_node, full), ML_SK_FULL);
	}
	ml_free(nbuf);
}

static bool ml_read_cache(ulong addr, char *kc, struct ml_scache *c)
{
	ulong nameptr, oo;

	c->addr = addr;
	if (!ml_read(addr, kc, ML_SIZE(kmem_cache), "kmem_cache"))
		return false;
	nameptr = ml_get_ulong(kc, ML_OFF(kmem_cache, name));
	if (!ml_read_cstring(nameptr, c->name, sizeof(c->name), "kmem_cache.name"))
		snprintf(c->name, sizeof(c->name), "(cache %lx)", addr);
	c->flags = ml_get_uint(kc, ML_OFF(kmem_cache, flags), ML_MSIZE(kmem_cache, flags));
	c->size = ml_get_u32(kc, ML_OFF(kmem_cache, size));
	c->object_size = ml_get_u32(kc, ML_OFF(kmem_cache, object_size));
	c->offset = ml_get_u32(kc, ML_OFF(kmem_cache, offset));
	c->inuse = ml_get_u32(kc, ML_OFF(kmem_cache, inuse));
	c->red_left_pad = ML_HAS(kmem_cache, red_left_pad)
		? ml_get_u32(kc, ML_OFF(kmem_cache, red_left_pad)) : 0;
	/* struct kmem_cache_order_objects: order << OO_SHIFT (16) | objects */
	oo = ml_get_uint(kc, ML_OFF(kmem_cache, oo), ML_MSIZE(kmem_cache, oo));
	c->order = oo >> 16;
	c->oo_objects = oo & 0xffff;
	c->random = ml_feat.freelist_hardened ? ml_get_ulong(kc, ML_OFF(kmem_cache, random)) : 0;
	c->cpu_slab = ML_HAS(kmem_cache, cpu_slab) ? ml_get_ulong(kc, ML_OFF(kmem_cache, cpu_slab)) : 0;
	c->store_user = (c->flags & ml_feat.slab_store_user) != 0;
	c->reclaimable = (c->flags & ml_feat.slab_reclaim_account) != 0;
	c->full_listed = c->store_user;
	c->info_end = c->offset >= c->inuse ? c->inuse + sizeof(void *) : c->inuse;
	if (!c->size || c->size > (1U << 24) || c->order > 10 || c->offset + sizeof(ulong) > c->size) {
		ml_problem(c, "implausible kmem_cache (size %u, order %u, offset %u)",
			   c->size, c->order, c->offset);
		return false;
	}
	return true;
}

static void ml_finish_cache(struct ml_scache *c)
{
	unsigned long listed = c->slabs[ML_SK_CPU] + c->slabs[ML_SK_CPU_PARTIAL] +
			       c->slabs[ML_SK_PARTIAL] + c->slabs[ML_SK_FULL];

	if (c->counters) {
		c->all_slabs = c->nr_slabs;
		c->total = c->total_objects;
		/* full slabs have no free object: active = total - free found */
		c->active = c->total >= c->free_objects ? c->total - c->free_objects : 0;
		if (!c->full_listed) {
			c->slabs[ML_SK_FULL] = c->nr_slabs > listed ? c->nr_slabs - listed : 0;
			c->pages += c->slabs[ML_SK_FULL] << c->order;
		}
	} else {
		c->all_slabs = listed;
		c->total = c->walked_objects;
		c->active = c->walked_objects - c->free_objects;
	}
	c->bytes = (unsigned long)c->pages * PAGESIZE();
}

static void ml_totals_of(const struct ml_scache *c, struct ml_slab_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->objects = c->active;
	t->total_objects = c->total;
	t->slabs = c->all_slabs;
	t->partial = c->slabs[ML_SK_PARTIAL];
	t->cpu_slabs = c->slabs[ML_SK_CPU] + c->slabs[ML_SK_CPU_PARTIAL];
	t->object_size = c->object_size;
	t->slab_size = c->size;
	t->order = c->order;
	t->page_size = PAGESIZE();
}

/* ---- the command ------------------------------------------------------ */

enum ml_cache_sort { ML_CS_MEM, ML_CS_OBJS, ML_CS_ACTIVE, ML_CS_SIZE, ML_CS_LOSS,
		     ML_CS_SLABS, ML_CS_NAME };
static const char *const ml_cache_sort_names[] = { "mem", "objs", "active", "size", "loss",
						   "slabs", "name" };

struct ml_slabtop_opts {
	bool json, verbose, callsite, by_stack, free_track;
	long top;
	long min_count;
	const char *caches;	/* comma-separated names */
	const char *module;
	int sort;		/* enum ml_cache_sort, or ml_site_sort */
	bool sort_given;
};

static enum ml_cache_sort ml_csort;
static int ml_cache_cmp(const void *a, const void *b)
{
	const struct ml_scache *x = *(struct ml_scache *const *)a;
	const struct ml_scache *y = *(struct ml_scache *const *)b;
	long long vx = 0, vy = 0;
	struct ml_slab_totals tx, ty;

	switch (ml_csort) {
	case ML_CS_MEM: vx = x->bytes; vy = y->bytes; break;
	case ML_CS_OBJS: vx = x->total; vy = y->total; break;
	case ML_CS_ACTIVE: vx = x->active; vy = y->active; break;
	case ML_CS_SIZE: vx = x->size; vy = y->size; break;
	case ML_CS_SLABS: vx = x->all_slabs; vy = y->all_slabs; break;
	case ML_CS_LOSS:
		ml_totals_of(x, &tx);
		ml_totals_of(y, &ty);
		vx = ml_slab_loss(&tx);
		vy = ml_slab_loss(&ty);
		break;
	case ML_CS_NAME:
		return strcmp(x->name, y->name);
	}
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct ml_cache_list {
	ulong *addrs;
	size_t n, cap;
};

static bool ml_collect_cache(ulong cache, void *arg)
{
	struct ml_cache_list *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->addrs = ml_realloc(l->addrs, l->cap * sizeof(ulong));
	}
	l->addrs[l->n++] = cache;
	return true;
}

/* the node counters behind SReclaimable / SUnreclaim, in pages */
static bool ml_slab_counters(unsigned long *recl, unsigned long *unrecl)
{
	long ir, iu;
	ulong base;
	long v;

	/* bytes-named since commit d42f3245c7e2 ("mm: memcg: convert vmstat
	 * slab counters to bytes", v5.9), still stored in pages */
	if (!ml_enum_value("NR_SLAB_RECLAIMABLE_B", &ir) &&
	    !ml_enum_value("NR_SLAB_RECLAIMABLE", &ir))
		return false;
	if (!ml_enum_value("NR_SLAB_UNRECLAIMABLE_B", &iu) &&
	    !ml_enum_value("NR_SLAB_UNRECLAIMABLE", &iu))
		return false;
	if (!symbol_exists("vm_node_stat"))
		return false;
	base = symbol_value("vm_node_stat");
	if (!ml_read_long(base + ir * sizeof(long), &v, "vm_node_stat"))
		return false;
	*recl = v < 0 ? 0 : v;
	if (!ml_read_long(base + iu * sizeof(long), &v, "vm_node_stat"))
		return false;
	*unrecl = v < 0 ? 0 : v;
	return true;
}

static int ml_parse_opts(int argc, char **argv, struct ml_slabtop_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "by-callsite", no_argument, NULL, 'C' },
		{ "stack", no_argument, NULL, 'S' },
		{ "free", no_argument, NULL, 'F' },
		{ "top", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "cache", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *sort = NULL;
	char *end;
	int c;

	ml_opt_begin("slabtop", argc, argv);
	while ((c = getopt_long(argc, argv, "jvn:s:c:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'v': o->verbose = true; break;
		case 'C': o->callsite = true; break;
		case 'S': o->by_stack = true; break;
		case 'F': o->free_track = true; break;
		case 'c': o->caches = optarg; break;
		case 'm': o->module = optarg; break;
		case 's': sort = optarg; break;
		case 'n':
		case 'M':
			{
				long v = strtol(optarg, &end, 10);

				if (*end || v < 0) {
					ml_usage_error("slabtop", "%s wants a number, not '%s'",
						       c == 'n' ? "--top" : "--min", optarg);
					return -1;
				}
				if (c == 'n')
					o->top = v;
				else
					o->min_count = v;
			}
			break;
		case 'h': ml_print_sub_help("slabtop"); return 1;
		default:
			ml_opt_error("slabtop", argc, argv, longopts);
			return -1;
		}
	}
	if (!ml_opt_end("slabtop", argc, argv))
		return -1;
	if ((o->by_stack || o->free_track || o->module || o->min_count) && !o->callsite) {
		ml_usage_error("slabtop", "--stack, --free, --module and --min go with --by-callsite");
		return -1;
	}
	if (sort) {
		size_t i;

		o->sort = -1;
		if (o->callsite) {
			if (!strcmp(sort, "count"))
				o->sort = ML_SITE_BY_COUNT;
			else if (!strcmp(sort, "bytes"))
				o->sort = ML_SITE_BY_BYTES;
		} else {
			for (i = 0; i < sizeof(ml_cache_sort_names) / sizeof(ml_cache_sort_names[0]); i++)
				if (!strcmp(sort, ml_cache_sort_names[i]))
					o->sort = i;
		}
		o->sort_given = true;
		if (o->sort < 0) {
			ml_usage_error("slabtop", "unknown sort key '%s' (%s)", sort,
				       o->callsite ? "count, bytes"
				       : "mem, objs, active, size, loss, slabs, name");
			return -1;
		}
	}
	return 0;
}

static void ml_print_caches(struct ml_scache **v, size_t n, const struct ml_slabtop_opts *o,
			    bool have_ctr, unsigned long ctr_recl, unsigned long ctr_unrecl)
{
	static const char *const hdr[] = { "NAME", "OBJSIZE", "SLOT", "OBJ/SLAB", "ORDER",
		"ACTIVE", "TOTAL", "SLABS", "CPU", "PART", "FULL", "MEMORY", "LOSS", "%FR", "%EF",
		"FLAGS" };
	static const enum ml_align al[] = { ML_LEFT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT,
		ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT, ML_RIGHT,
		ML_RIGHT, ML_RIGHT, ML_LEFT };
	unsigned long long recl = 0, unrecl = 0, active = 0, total = 0;
	unsigned long problems = 0;
	size_t i, shown = 0;
	char b1[32], b2[32];

	for (i = 0; i < n; i++) {
		if (v[i]->reclaimable)
			recl += v[i]->pages;
		else
			unrecl += v[i]->pages;
		active += v[i]->active;
		total += v[i]->total;
		problems += v[i]->problem[0] != 0;
	}
	if (o->json) {
		struct ml_json j;

		mj_init(&j, fp, true);
		mj_obj(&j, NULL);
		mj_arr(&j, "caches");
		for (i = 0; i < n && (!o->top || (long)i < o->top); i++) {
			struct ml_scache *c = v[i];
			struct ml_slab_totals t;
			int k;

			ml_totals_of(c, &t);
			mj_obj(&j, NULL);
			mj_str(&j, "name", c->name);
			mj_uint(&j, "objsize", c->size);
			mj_uint(&j, "object_size", c->object_size);
			mj_uint(&j, "active_objs", c->active);
			mj_uint(&j, "num_objs", c->total);
			mj_uint(&j, "objperslab", c->oo_objects);
			mj_uint(&j, "pagesperslab", 1UL << c->order);
			mj_uint(&j, "bytes", c->bytes);
			mj_bool(&j, "reclaimable", c->reclaimable);
			mj_bool(&j, "store_user", c->store_user);
			mj_obj(&j, "slabs");
			mj_uint(&j, "total", c->all_slabs);
			for (k = 0; k < ML_SK_NR; k++)
				mj_uint(&j, ml_slab_kind_name[k], c->slabs[k]);
			mj_bool(&j, "full_listed", c->full_listed);
			mj_obj_end(&j);
			mj_int(&j, "loss", ml_slab_loss(&t));
			mj_uint(&j, "pct_free", ml_slab_pct_free(&t));
			mj_uint(&j, "pct_eff", ml_slab_pct_eff(&t));
			mj_uint(&j, "free_objs_walked", c->free_objects);
			mj_uint(&j, "bad_slabs", c->bad_slabs);
			mj_uint(&j, "corrupt", c->corrupt);
			mj_uint(&j, "excluded_slabs", c->excluded_slabs);
			mj_uint(&j, "inconsistent_slabs", c->inconsistent);
			if (c->problem[0])
				mj_str(&j, "problem", c->problem);
			else
				mj_null(&j, "problem");
			mj_obj_end(&j);
		}
		mj_arr_end(&j);
		mj_obj(&j, "totals");
		mj_uint(&j, "caches", n);
		mj_uint(&j, "active_objs", active);
		mj_uint(&j, "num_objs", total);
		mj_uint(&j, "reclaimable_bytes", recl * PAGESIZE());
		mj_uint(&j, "unreclaimable_bytes", unrecl * PAGESIZE());
		if (have_ctr) {
			mj_uint(&j, "SReclaimable_kB", ml_pages_to_kb(ctr_recl, ml_feat.page_shift));
			mj_uint(&j, "SUnreclaim_kB", ml_pages_to_kb(ctr_unrecl, ml_feat.page_shift));
			mj_int(&j, "reclaimable_diff_pages", (long long)recl - (long long)ctr_recl);
			mj_int(&j, "unreclaimable_diff_pages", (long long)unrecl - (long long)ctr_unrecl);
		}
		mj_obj_end(&j);
		mj_obj_end(&j);
		mj_end(&j);
		return;
	}
	{
		struct ml_table *t = mt_new(16, hdr, al);

		for (i = 0; i < n && (!o->top || (long)i < o->top); i++) {
			struct ml_scache *c = v[i];
			struct ml_slab_totals tt;

			ml_totals_of(c, &tt);
			mt_cell(t, "%s", c->name);
			mt_cell(t, "%u", c->object_size);
			mt_cell(t, "%u", c->size);
			mt_cell(t, "%u", c->oo_objects);
			mt_cell(t, "%u", c->order);
			mt_cell(t, "%lu", c->active);
			mt_cell(t, "%lu", c->total);
			mt_cell(t, "%lu", c->all_slabs);
			mt_cell(t, "%lu", c->slabs[ML_SK_CPU] + c->slabs[ML_SK_CPU_PARTIAL]);
			mt_cell(t, "%lu", c->slabs[ML_SK_PARTIAL]);
			mt_cell(t, "%lu%s", c->slabs[ML_SK_FULL], c->full_listed ? "" : "*");
			mt_cell(t, "%s", ml_human_bytes(c->bytes, b1, sizeof(b1)));
			mt_cell(t, "%s", ml_human_bytes(ml_slab_loss(&tt) > 0 ? ml_slab_loss(&tt) : 0,
							b2, sizeof(b2)));
			mt_cell(t, "%u", ml_slab_pct_free(&tt));
			mt_cell(t, "%u", ml_slab_pct_eff(&tt));
			mt_cell(t, "%s%s%s", c->reclaimable ? "r" : "", c->store_user ? "U" : "",
				c->problem[0] ? "!" : "");
			shown++;
		}
		mt_print(t, fp, NULL);
	}
	fprintf(fp, "\n%zu of %zu caches; %llu of %llu objects active; slab memory %s "
		"(reclaimable %s, unreclaimable %s)\n", shown, n, active, total,
		ml_human_bytes((recl + unrecl) * PAGESIZE(), b1, sizeof(b1)),
		ml_human_bytes(recl * PAGESIZE(), b2, sizeof(b2)),
		ml_human_bytes(unrecl * PAGESIZE(), b1 + 16, 16));
	if (have_ctr) {
		long long dr = (long long)recl - (long long)ctr_recl;
		long long du = (long long)unrecl - (long long)ctr_unrecl;

		if (!dr && !du)
			fprintf(fp, "node counters agree: SReclaimable %lu kB, SUnreclaim %lu kB\n",
				ml_pages_to_kb(ctr_recl, ml_feat.page_shift), ml_pages_to_kb(ctr_unrecl, ml_feat.page_shift));
		else
			fprintf(fp, "node counters: SReclaimable %lu kB (walk %+lld pages), "
				"SUnreclaim %lu kB (walk %+lld pages)\n",
				ml_pages_to_kb(ctr_recl, ml_feat.page_shift), dr,
				ml_pages_to_kb(ctr_unrecl, ml_feat.page_shift), du);
	}
	fprintf(fp, "FULL*: no full list without SLAB_STORE_USER, from the node counters; "
		"flags: r reclaimable, U store_user, ! problem\n");
	for (i = 0; i < n; i++)
		if (v[i]->problem[0] && (o->verbose || problems <= 10))
			fprintf(fp, "%s: %s\n", v[i]->name, v[i]->problem);
	if (problems > 10 && !o->verbose)
		fprintf(fp, "%lu caches with problems (-v lists them)\n", problems);
}

static const char *ml_age_str(const struct ml_site *s, unsigned int hz, char *buf, size_t len)
{
	double mn = (double)s->min_age / hz, mx = (double)s->max_age / hz;

	if (!s->aged)
		snprintf(buf, len, "age=?");
	else if (s->min_age == s->max_age)
		snprintf(buf, len, "age=%.2fs", mn);
	else
		snprintf(buf, len, "age=%.2f/%.2f/%.2fs", mn,
			 (double)s->sum_age / s->aged / hz, mx);
	return buf;
}

static void ml_print_callsites(struct ml_walk *w, struct ml_scache *caches, size_t ncaches,
			       const struct ml_slabtop_opts *o, unsigned long ncaches_seen)
{
	unsigned long *objsize;
	struct ml_site **v;
	size_t n, i, shown = 0;
	unsigned int hz = ml_feat.hz;
	struct ml_json j;
	unsigned long total = 0;
	char cpus[128], nodes[64], age[96];
	bool multi_node = vt->numnodes > 1, multi_cpu = kt->cpus > 1;

	objsize = ml_alloc((ncaches + 1) * sizeof(*objsize));
	for (i = 0; i < ncaches; i++)
		objsize[i] = caches[i].object_size;
	v = ml_sites_sorted(w->sites, o->sort_given ? (enum ml_site_sort)o->sort : ML_SITE_BY_COUNT,
			    objsize, &n);
	if (o->json) {
		mj_init(&j, fp, true);
		mj_obj(&j, NULL);
		mj_str(&j, "track", o->free_track ? "free" : "alloc");
		mj_str(&j, "group_by", o->by_stack ? "stack" : "caller");
		mj_uint(&j, "caches", ncaches_seen);
		mj_uint(&j, "objects", w->objects_seen);
		mj_double(&j, "hz", hz, 0);
		mj_arr(&j, "callsites");
	}
	for (i = 0; i < n; i++) {
		struct ml_site *s = v[i];
		struct ml_scache *c = &caches[s->key.cache];
		const struct ml_sym *sym = ml_sym_lookup(s->key.addr);
		const ulong *entries;
		unsigned int nr, k;
		enum ml_depot_status st;

		if ((long)s->count < o->min_count)
			continue;
		if (o->module && (!sym->module || strcmp(sym->module, o->module)))
			continue;
		if (o->top && (long)shown >= o->top)
			break;
		shown++;
		total += s->count;
		nr = ml_stack_of(w, s->first_handle, &entries, &st);
		ml_bitmap_list(s->cpus, ML_SITE_CPU_WORDS, cpus, sizeof(cpus));
		ml_bitmap_list(&s->nodes, 1, nodes, sizeof(nodes));
		if (o->json) {
			mj_obj(&j, NULL);
			mj_str(&j, "cache", c->name);
			mj_str(&j, "caller", s->key.addr ? sym->str : "<not-available>");
			mj_uint(&j, "caller_addr", s->key.addr);
			if (sym->module)
				mj_str(&j, "module", sym->module);
			else
				mj_null(&j, "module");
			mj_uint(&j, "count", s->count);
			mj_uint(&j, "bytes", (unsigned long long)s->count * c->object_size);
			mj_uint(&j, "waste", s->waste);
			if (s->aged) {
				mj_double(&j, "age_min", (double)s->min_age / hz, 3);
				mj_double(&j, "age_avg", (double)s->sum_age / s->aged / hz, 3);
				mj_double(&j, "age_max", (double)s->max_age / hz, 3);
				mj_int(&j, "pid_min", s->min_pid);
				mj_int(&j, "pid_max", s->max_pid);
			}
			mj_str(&j, "cpus", cpus);
			mj_str(&j, "nodes", nodes);
			mj_uint(&j, "handle", s->first_handle);
			mj_bool(&j, "several_stacks", s->handles_differ);
			mj_str(&j, "stack_status", ml_depot_status_str(st));
			mj_arr(&j, "stack");
			for (k = 0; k < nr; k++)
				mj_str(&j, NULL, ml_symbolize(entries[k]));
			mj_arr_end(&j);
			mj_obj_end(&j);
			continue;
		}
		fprintf(fp, "%7lu %s", s->count, s->key.addr ? sym->str : "<not-available>");
		fprintf(fp, " cache=%s bytes=%llu", c->name,
			(unsigned long long)s->count * c->object_size);
		if (s->waste)
			fprintf(fp, " waste=%llu/%llu", s->waste, s->waste / s->count);
		fprintf(fp, " %s", ml_age_str(s, hz, age, sizeof(age)));
		if (s->aged) {
			if (s->min_pid != s->max_pid)
				fprintf(fp, " pid=%ld-%ld", s->min_pid, s->max_pid);
			else
				fprintf(fp, " pid=%ld", s->min_pid);
		}
		if (multi_cpu && cpus[0])
			fprintf(fp, " cpus=%s%s", cpus, s->cpus_more ? ",..." : "");
		if (multi_node && nodes[0])
			fprintf(fp, " nodes=%s", nodes);
		fputc('\n', fp);
		if (s->handles_differ)
			fprintf(fp, "        (several stacks; the first shown, --stack splits them)\n");
		if (nr)
			for (k = 0; k < nr; k++)
				fprintf(fp, "        %s\n", ml_symbolize(entries[k]));
		else if (s->first_handle || st != ML_DEPOT_NOHANDLE)
			fprintf(fp, "        (stack: %s)\n", ml_depot_status_str(st));
		fputc('\n', fp);
	}
	if (o->json) {
		mj_arr_end(&j);
		mj_uint(&j, "shown_objects", total);
		mj_obj_end(&j);
		mj_end(&j);
		return;
	}
	fprintf(fp, "%zu of %zu callsites, %lu of %lu objects, %lu caches with tracks "
		"(%s track, by %s)\n", shown, n, total, w->objects_seen, ncaches_seen,
		o->free_track ? "free" : "alloc", o->by_stack ? "stack" : "caller");
}

unsigned int ml_slab_stack(struct ml_slab_data *d, uint32_t handle, const ulong **entries,
			   enum ml_depot_status *st)
{
	return ml_stack_of(d->w, handle, entries, st);
}

int ml_slab_collect(struct ml_slab_data *d, const char *sub, const struct ml_slab_collect_opts *o)
{
	struct ml_cache_list cl;
	struct ml_scache *caches;
	struct ml_walk *w;
	enum ml_walk_status st;
	char *kc;
	size_t i, n = 0;

	memset(d, 0, sizeof(*d));
	if (!ml_feat.slub) {
		fprintf(fp, "memleak %s: not a SLUB kernel (no slab_caches/kmem_cache.oo)\n", sub);
		return -1;
	}
	if (ml_need(ML_M(kmem_cache, list), ML_M(kmem_cache, name),
		    ML_M(kmem_cache, flags), ML_M(kmem_cache, size),
		    ML_M(kmem_cache, object_size), ML_M(kmem_cache, offset),
		    ML_M(kmem_cache, inuse), ML_M(kmem_cache_node, partial),
		    ML_M(kmem_cache_node, nr_partial), ML_T(kmem_cache),
		    ML_T(kmem_cache_node), ML_NEED_END))
		return -1;
	ml_slab_offsets();
	if (ml_so_cache < 0 || ml_so_freelist < 0 || ml_so_counters < 0 || ml_so_list < 0) {
		fprintf(fp, "memleak %s: cannot run: slab_cache/freelist/counters/slab_list "
			"not found in struct %s\n", sub, ml_feat.slab_struct ? "slab" : "page");
		return -1;
	}
	if (o->callsites) {
		if (ml_need(ML_M(track, addr), ML_M(track, cpu), ML_M(track, pid),
			    ML_M(track, when), ML_T(track), ML_NEED_END))
			return -1;
	}
	ml_depot_begin();
	ml_symbols_begin();

	memset(&cl, 0, sizeof(cl));
	ml_list_walk(symbol_value("slab_caches"), ML_OFF(kmem_cache, list), 100000,
		     ml_collect_cache, &cl, &st);
	if (st != ML_WALK_OK)
		fprintf(fp, "memleak %s: slab_caches walk ended early (%s) after %zu caches\n",
			sub, ml_walk_status_str(st), cl.n);

	d->w = w = ml_alloc(sizeof(*w));
	w->objs = o->callsites;
	w->free_track = o->free_track;
	w->by_stack = o->by_stack;
	w->sites = ml_sites_new();
	w->slab_size = ml_feat.slab_struct ? ML_SIZE(slab) : ML_SIZE(page);
	w->sbuf = ml_alloc(w->slab_size);
	w->map = ml_alloc(((1UL << 16) / 64 + 1) * sizeof(uint64_t));
	if (o->callsites) {
		ulong j;

		if (ml_read_ulong(symbol_value("jiffies"), &j, "jiffies"))
			w->now = j;
	}
	kc = ml_alloc(ML_SIZE(kmem_cache));
	caches = ml_alloc((cl.n ? cl.n : 1) * sizeof(*caches));
	for (i = 0; i < cl.n && !ml_interrupted(); i++) {
		struct ml_scache *c = &caches[n];

		memset(c, 0, sizeof(*c));
		if (!ml_read_cache(cl.addrs[i], kc, c)) {
			fprintf(fp, "memleak %s: cache at %lx: %s\n", sub, cl.addrs[i],
				c->problem[0] ? c->problem : "unreadable kmem_cache");
			continue;
		}
		if (o->caches && !ml_name_in_list(c->name, o->caches))
			continue;
		if (o->tracked_only && !c->store_user) {
			if (o->caches)
				fprintf(fp, "cache %s has no SLAB_STORE_USER: no alloc tracks "
					"(boot with slub_debug=U,%s)\n", c->name, c->name);
			continue;
		}
		w->c = c;
		w->idx = n;
		ml_walk_cpus(w);
		ml_walk_nodes(w, kc);
		ml_finish_cache(c);
		d->with_tracks += c->store_user;
		n++;
	}
	d->caches = caches;
	d->n = n;
	d->sites = w->sites;
	d->objects_seen = w->objects_seen;
	d->now = w->now;
	d->hz = ml_feat.hz;
	if (ml_interrupted()) {
		fprintf(fp, "memleak %s: interrupted\n", sub);
		return -1;
	}
	return 0;
}

void ml_cmd_slabtop(int argc, char **argv)
{
	struct ml_slabtop_opts o;
	struct ml_slab_collect_opts co;
	struct ml_slab_data d;
	struct ml_scache *caches, **v;
	struct ml_walk *w;
	size_t i, n;
	unsigned long with_tracks, recl = 0, unrecl = 0;
	bool have_ctr;
	int rc;

	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&o, 0, sizeof(o));
	rc = ml_parse_opts(argc, argv, &o);
	if (rc)
		return;
	memset(&co, 0, sizeof(co));
	co.callsites = co.tracked_only = o.callsite;
	co.free_track = o.free_track;
	co.by_stack = o.by_stack;
	co.caches = o.caches;
	if (ml_slab_collect(&d, "slabtop", &co) < 0)
		return;
	caches = d.caches;
	n = d.n;
	w = d.w;
	with_tracks = d.with_tracks;
	if (o.caches && !n && !o.callsite) {
		fprintf(fp, "memleak slabtop: no cache named %s\n", o.caches);
		return;
	}
	if (o.callsite) {
		if (!n) {
			if (!o.caches)
				fprintf(fp, "memleak slabtop: no cache has SLAB_STORE_USER, so no "
					"alloc tracks: boot with slub_debug=U (or slub_debug=U,CACHE)\n");
			return;
		}
		if (ml_feat.track_handle && ml_depot_unavailable())
			fprintf(fp, "memleak slabtop: stacks unavailable: %s\n",
				ml_depot_unavailable());
		ml_print_callsites(w, caches, n, &o, with_tracks);
		for (i = 0; i < n && !o.json; i++)
			if (caches[i].problem[0])
				fprintf(fp, "%s: %s\n", caches[i].name, caches[i].problem);
		goto stats;
	}
	v = ml_alloc((n ? n : 1) * sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &caches[i];
	ml_csort = o.sort_given ? (enum ml_cache_sort)o.sort : ML_CS_MEM;
	qsort(v, n, sizeof(*v), ml_cache_cmp);
	have_ctr = !o.caches && ml_slab_counters(&recl, &unrecl);
	ml_print_caches(v, n, &o, have_ctr, recl, unrecl);
stats:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.verbose && !o.json)
		fprintf(fp, "walked %zu caches, %lu slabs (%.1f MiB read), %lu objects visited; "
			"%lu stacks from %lu depot pools; %.3f s\n", n, w->slabs_read,
			w->bytes_read / 1048576.0, w->objects_seen, ml_depot_stats.records,
			ml_depot_stats.pools_read,
			(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
}
