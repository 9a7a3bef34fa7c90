/*
 * slab.c: the slab model -- every SLUB cache on slab_caches, with active
 * objects counted by walking the freelists of every slab the cache owns,
 * and (callsites) the allocated objects grouped by the alloc (or free)
 * track SLUB keeps for caches with SLAB_STORE_USER, as debugfs
 * alloc_traces would have shown them. cmd/slabtop.c prints it.
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
#include "collect/collect.h"

const char *const ml_slab_kind_names[ML_SK_NR] = { "cpu", "cpu_partial", "partial", "full" };

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
	void (*on_slab)(void *arg, const struct ml_slab_view *v);
	void *arg;
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
		/* no cpu partial chain without CONFIG_SLUB_CPU_PARTIAL: -1, checked */
		ml_so_next = ML_OFF_RAW(slab, next);
	} else {
		ml_so_cache = ML_OFF(page, slab_cache);
		ml_so_freelist = ML_OFF(page, freelist);
		ml_so_counters = ML_OFF(page, counters);
		ml_so_list = ML_OFF(page, slab_list);
		ml_so_next = ML_OFF_RAW(page, next);
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

/* the slab as decoded, to the caller's hook (orphans.c); buf NULL: its
 * objects are not in the dump, or its freelist is broken */
static void ml_emit(struct ml_walk *w, ulong slab, ulong base, unsigned int objects, bool ok)
{
	struct ml_slab_view v;

	if (!w->on_slab)
		return;
	v.cache = w->idx;
	v.c = w->c;
	v.slab = slab;
	v.base = base;
	v.objects = objects;
	v.free = ok ? w->map : NULL;
	v.buf = ok ? w->buf : NULL;
	w->on_slab(w->arg, &v);
}

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
				      p + c->offset, c->random, ml_feat.freelist_hardened,
				      (int)sizeof(ulong));
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
			   ml_slab_kind_names[w->kind]);
		return false;
	}
	if (ml_get_ulong(w->sbuf, ml_so_cache) != c->addr) {
		c->bad_slabs++;
		ml_problem(c, "slab %lx on the %s list belongs to cache %lx", slab,
			   ml_slab_kind_names[w->kind], ml_get_ulong(w->sbuf, ml_so_cache));
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
	    !ml_page_to_phys(slab, &phys)) {
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
	base = ml_ptov(phys);
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
		ml_emit(w, slab, base, objects, false);
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
		ml_emit(w, slab, base, objects, false);
		return true;
	}
	c->free_objects += nfree;
	ml_emit(w, slab, base, objects, true);
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
		ml_problem(w->c, "node %d %s list: %s", w->node, ml_slab_kind_names[kind],
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

unsigned int ml_slab_stack(struct ml_slab_data *d, uint32_t handle, const ulong **entries,
			   enum ml_depot_status *st)
{
	return ml_stack_of(d->w, handle, entries, st);
}

/* what the walk needs of the kernel's layout; -1 (ml_fail) if it is missing */
static int ml_slab_layout(const struct ml_slab_collect_opts *o)
{
	if (!ml_feat.slub)
		return ml_fail("not a SLUB kernel (no slab_caches/kmem_cache.oo)");
	if (ml_need(ML_M(kmem_cache, list), ML_M(kmem_cache, name),
		    ML_M(kmem_cache, flags), ML_M(kmem_cache, size),
		    ML_M(kmem_cache, object_size), ML_M(kmem_cache, offset),
		    ML_M(kmem_cache, inuse), ML_M(kmem_cache_node, partial),
		    ML_M(kmem_cache_node, nr_partial), ML_T(kmem_cache),
		    ML_T(kmem_cache_node), ML_NEED_END))
		return -1;
	ml_slab_offsets();
	if (ml_so_cache < 0 || ml_so_freelist < 0 || ml_so_counters < 0 || ml_so_list < 0)
		return ml_fail("cannot run: slab_cache/freelist/counters/slab_list "
			       "not found in struct %s", ml_feat.slab_struct ? "slab" : "page");
	if (o->callsites) {
		if (ml_need(ML_M(track, addr), ML_M(track, cpu), ML_M(track, pid),
			    ML_M(track, when), ML_T(track), ML_NEED_END))
			return -1;
	}
	return 0;
}

/* walk the caches at cl's addresses that o selects into d->caches */
static void ml_walk_caches(struct ml_slab_data *d, struct ml_walk *w,
			   const struct ml_cache_list *cl, const struct ml_slab_collect_opts *o)
{
	char *kc = ml_alloc(ML_SIZE(kmem_cache));
	size_t i, n = 0;

	d->caches = ml_alloc((cl->n ? cl->n : 1) * sizeof(*d->caches));
	for (i = 0; i < cl->n && !ml_interrupted(); i++) {
		struct ml_scache *c = &d->caches[n];

		memset(c, 0, sizeof(*c));
		if (!ml_read_cache(cl->addrs[i], kc, c)) {
			ml_warn("cache at %lx: %s", cl->addrs[i],
				c->problem[0] ? c->problem : "unreadable kmem_cache");
			continue;
		}
		if (o->caches && !ml_name_in_list(c->name, o->caches))
			continue;
		if (o->tracked_only && !c->store_user) {
			if (o->caches)
				ml_warn("cache %s has no SLAB_STORE_USER: no alloc tracks "
					"(boot with slub_debug=U,%s)", c->name, c->name);
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
	d->n = n;
}

int ml_slab_collect(struct ml_slab_data *d, const struct ml_slab_collect_opts *o)
{
	struct ml_cache_list cl;
	struct ml_walk *w;
	enum ml_walk_status st;

	memset(d, 0, sizeof(*d));
	if (ml_slab_layout(o) < 0)
		return -1;

	memset(&cl, 0, sizeof(cl));
	ml_list_walk(symbol_value("slab_caches"), ML_OFF(kmem_cache, list), 100000,
		     ml_collect_cache, &cl, &st);
	if (st != ML_WALK_OK)
		ml_warn("slab_caches walk ended early (%s) after %zu caches",
			ml_walk_status_str(st), cl.n);

	d->w = w = ml_alloc(sizeof(*w));
	w->objs = o->callsites;
	w->free_track = o->free_track;
	w->by_stack = o->by_stack;
	w->on_slab = o->on_slab;
	w->arg = o->arg;
	w->sites = ml_sites_new();
	w->slab_size = ml_feat.slab_struct ? ML_SIZE(slab) : ML_SIZE(page);
	w->sbuf = ml_alloc(w->slab_size);
	w->map = ml_alloc(((1UL << 16) / 64 + 1) * sizeof(uint64_t));
	if (o->callsites) {
		ulong j;

		if (ml_read_ulong(symbol_value("jiffies"), &j, "jiffies"))
			w->now = j;
	}
	ml_walk_caches(d, w, &cl, o);
	d->sites = w->sites;
	d->objects_seen = w->objects_seen;
	d->slabs_read = w->slabs_read;
	d->bytes_read = w->bytes_read;
	d->now = w->now;
	d->hz = ml_feat.hz;
	if (ml_interrupted())
		return ml_fail("interrupted");
	return 0;
}
