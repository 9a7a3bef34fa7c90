/*
 * orphans.c: kmemleak's reachability scan (mm/kmemleak.c), run on the dump
 * -- the model "memleak orphans" prints (cmd/orphans.c).
 *
 * The tracked objects (orphobjs.c) are every allocated slab object, every
 * page allocation page_owner names that is neither slab, LRU, page table,
 * free nor a vmalloc'ed page, and every vmalloc area with a page array.
 * The roots (orphroots.c) are the kernel's and the modules' data, the
 * percpu units, every task's kernel stack, the vmap areas without a page
 * array and every other allocated page. Every aligned word of a root is a
 * reference when it points anywhere inside a tracked object: by its
 * direct-map address, its vmalloc address, or the address of (a member
 * of) the struct page of a page allocation. A referenced object is
 * scanned in turn, once; what no reference reached is unreferenced,
 * grouped here by the callsite that allocated it.
 *
 * Memory: two bits per object (reached, scanned; a free slot has both), a
 * region per slab, page allocation or vmalloc area (56 bytes on 64-bit), and a pfn
 * -> region table of 4 bytes per page frame. The flood fill keeps regions,
 * not objects, on its work stack: a slab is read once per visit, in one
 * read from its first to its last pending object.
 */
#include "collect/collect.h"

#define ML_OR_PIECE (1UL << 20)	/* roots and large objects: read this much at once */

const char *ml_root_kind_name(enum ml_root_kind k)
{
	static const char *const names[ML_RK_NR] = {
		"kernel", "modules", "percpu", "stacks", "vmap", "pages",
	};

	return k < ML_RK_NR ? names[k] : "?";
}

/* ---- regions and the work stack --------------------------------------- */

uint32_t ml_or_region_new(struct ml_or_ctx *x, enum ml_rg_kind kind, uint32_t nobj)
{
	struct ml_or_region *r;

	if (x->nrg == x->caprg) {
		x->caprg = x->caprg ? 2 * x->caprg : 4096;
		x->rg = ml_realloc(x->rg, x->caprg * sizeof(*x->rg));
	}
	if (x->nbits + nobj > x->capbits) {
		uint64_t cap = x->capbits ? 2 * x->capbits : 1 << 20;

		while (cap < x->nbits + nobj)
			cap *= 2;
		x->rbit = ml_realloc(x->rbit, cap / 8);
		x->sbit = ml_realloc(x->sbit, cap / 8);
		memset((char *)x->rbit + x->capbits / 8, 0, (cap - x->capbits) / 8);
		memset((char *)x->sbit + x->capbits / 8, 0, (cap - x->capbits) / 8);
		x->capbits = cap;
	}
	r = &x->rg[x->nrg];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->bit = x->nbits;
	r->nobj = nobj;
	x->nbits += nobj;
	return x->nrg++;
}

char *ml_or_buf(struct ml_or_ctx *x, size_t len)
{
	if (len > x->buflen) {
		ml_free(x->buf);
		x->buflen = len;
		x->buf = ml_alloc(len);
	}
	return x->buf;
}

void ml_or_progress(struct ml_or_ctx *x, const char *phase, unsigned long done,
		    unsigned long total)
{
	if (x->o->progress)
		x->o->progress(x->o->arg, phase, done, total);
}

/* object bit of region r reached: queue r once */
static inline void ml_or_reach(struct ml_or_ctx *x, uint32_t r, uint64_t bit)
{
	if (ml_bit_test(x->rbit, bit))
		return;
	ml_bit_set(x->rbit, bit);
	if (!x->rg[r].queued) {
		x->rg[r].queued = true;
		x->work[x->nwork++] = r;	/* at most every region once */
	}
}

/* ---- references -------------------------------------------------------- */

/* a pointer (at: where it is stored) to the slot of a vm_struct: its
 * vmalloc area is referred to as well, unless it is vmap_area.vm */
static void ml_or_ref_vmstruct(struct ml_or_ctx *x, ulong slot, ulong at)
{
	long i = ml_range_find(x->vmx, x->nvmx, slot);

	if (i >= 0 && !ml_u64_in(x->skip, x->nskip, at))
		ml_or_reach(x, x->vmx[i].id, x->rg[x->vmx[i].id].bit);
}

/* a direct-map address (v, stored at at) in page frame pfn */
static inline void ml_or_ref_pfn(struct ml_or_ctx *x, ulong pfn, ulong v, ulong at)
{
	const uint32_t *sl = ml_or_pfn_slot(x, pfn);
	struct ml_or_region *r;
	uint32_t e;
	ulong slot;

	if (!sl)
		return;
	e = *sl;
	if (e == ML_PFN_NONE || e > ML_PFN_MAXRG)
		return;
	r = &x->rg[e - 1];
	if (r->kind == ML_RG_SLAB) {
		/* the slab's own struct slab pointing into it -- freelist,
		 * obj_exts (v6.10+: the slabobj_ext vector, which may sit in
		 * the slab's memory) -- is metadata, not a reference */
		if (v < r->start || at - r->aux < (ulong)x->psize)
			return;
		slot = (v - r->start) / r->size;
		if (slot >= r->nobj)
			return;
		ml_or_reach(x, e - 1, r->bit + slot);
		if (r->vmstruct)
			ml_or_ref_vmstruct(x, r->start + slot * r->size, at);
	} else if (r->kind == ML_RG_PAGE) {
		ml_or_reach(x, e - 1, r->bit);
	}
}

/* a vmalloc address v stored at word address at */
static inline void ml_or_ref_vmalloc(struct ml_or_ctx *x, ulong v, ulong at)
{
	long i = ml_range_find(x->vm, x->nvm, v);

	if (i < 0 || ml_u64_in(x->skip, x->nskip, at))
		return;
	ml_or_reach(x, x->vm[i].id, x->rg[x->vm[i].id].bit);
}

/* the pfn table entry of the page whose struct page holds address v;
 * NULL outside the memmap */
static inline const uint32_t *ml_or_memmap_slot(struct ml_or_ctx *x, ulong v)
{
	long i = ml_range_find(x->mm, x->nmm, v);

	return i < 0 ? NULL : ml_or_pfn_slot(x, x->mm[i].id + (v - x->mm[i].start) / x->psize);
}

/* an address v inside the struct page of a page allocation, stored at at */
static inline void ml_or_ref_page(struct ml_or_ctx *x, ulong v, ulong at)
{
	const uint32_t *sl = ml_or_memmap_slot(x, v), *from;
	uint32_t e;

	if (!sl)
		return;
	e = *sl;
	if (e == ML_PFN_NONE || e > ML_PFN_MAXRG || x->rg[e - 1].kind != ML_RG_PAGE)
		return;
	/* from the struct pages of a page allocation: a reference only when
	 * that allocation is scanned (ml_or_scan_pend), never its own */
	if (at - x->mm_lo < x->mm_span && (from = ml_or_memmap_slot(x, at)) &&
	    *from != ML_PFN_NONE && *from <= ML_PFN_MAXRG && x->rg[*from - 1].kind == ML_RG_PAGE &&
	    (*from == e || !x->own_struct_pages))
		return;
	ml_or_reach(x, e - 1, x->rg[e - 1].bit);
}

void ml_or_scan(struct ml_or_ctx *x, const char *buf, size_t len, ulong vaddr)
{
	const size_t ws = sizeof(ulong);
	size_t i = (ws - vaddr % ws) % ws;	/* aligned words only */

	for (; i + ws <= len; i += ws) {
		ulong v;

		memcpy(&v, buf + i, ws);
		/* the memmap before the vmalloc areas: their span (lowest to
		 * highest area, modules included) can hold it (x86_64's
		 * vmemmap_base lies between vmalloc and the module area) */
		if (v - x->dm_lo < x->dm_span)
			ml_or_ref_pfn(x, (ulong)((x->dm_phys0 + (v - x->dm_lo)) >> x->shift), v,
				      vaddr + i);
		else if (v - x->mm_lo < x->mm_span)
			ml_or_ref_page(x, v, vaddr + i);
		else if (v - x->vm_lo < x->vm_span)
			ml_or_ref_vmalloc(x, v, vaddr + i);
	}
	x->d->words += len / ws;
}

void ml_or_scan_range(struct ml_or_ctx *x, ulong vaddr, ulong len, unsigned long long *bad)
{
	ulong off;

	for (off = 0; off < len && !ml_interrupted(); off += ML_OR_PIECE) {
		ulong n = len - off < ML_OR_PIECE ? len - off : ML_OR_PIECE;
		char *b = ml_or_buf(x, n);
		unsigned long missing = 0;

		if (!ml_po_bulk(vaddr + off, b, n, "orphans: scanned memory", &missing)) {
			*bad += n;
			continue;
		}
		*bad += missing;
		x->d->bytes_read += n - missing;
		ml_or_scan(x, b, n, vaddr + off);
	}
}

/* ---- the flood fill ----------------------------------------------------- */

static void ml_or_scan_slab(struct ml_or_ctx *x, struct ml_or_region *r)
{
	const struct ml_scache *c = &x->d->slab.caches[r->cache];
	uint32_t i, first = r->nobj, last = 0;
	unsigned long missing = 0;
	char *b;

	for (i = 0; i < r->nobj; i++) {
		if (ml_bit_test(x->rbit, r->bit + i) && !ml_bit_test(x->sbit, r->bit + i)) {
			if (first == r->nobj)
				first = i;
			last = i;
		}
	}
	if (first == r->nobj)
		return;
	b = ml_or_buf(x, (size_t)(last - first + 1) * r->size);
	if (!ml_po_bulk(r->start + (ulong)first * r->size, b, (ulong)(last - first + 1) * r->size,
			"orphans: slab objects", &missing)) {
		for (i = first; i <= last; i++)
			ml_bit_set(x->sbit, r->bit + i);
		x->d->objects_unreadable += (ulong)(last - first + 1) * r->size;
		return;
	}
	x->d->objects_unreadable += missing;
	x->d->bytes_read += (ulong)(last - first + 1) * r->size - missing;
	for (i = first; i <= last; i++) {
		if (!ml_bit_test(x->rbit, r->bit + i) || ml_bit_test(x->sbit, r->bit + i))
			continue;
		ml_bit_set(x->sbit, r->bit + i);
		ml_or_scan(x, b + (size_t)(i - first) * r->size + c->red_left_pad, c->object_size,
			   r->start + (ulong)i * r->size + c->red_left_pad);
	}
}

/* the struct page of pfn in the kernel's memmap, 0 if none */
static ulong ml_or_struct_page(const struct ml_or_ctx *x, ulong pfn)
{
	size_t lo = 0, hi = x->nch;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (pfn < x->ch[m].pfn0)
			hi = m;
		else if (pfn >= x->ch[m].pfn0 + x->ch[m].npfn)
			lo = m + 1;
		else
			return x->ch[m].mem_map + (pfn - x->ch[m].pfn0) * x->psize;
	}
	return 0;
}

/*
 * Ranges v (sorted by address) read in runs of at most ML_OR_PIECE with
 * gaps of at most ML_OR_GAP and scanned each: one read per run, not per
 * range (a dump reader's cost is per call; a lab guest holding 120k
 * order-0 pages took a minute read one by one). Ranges over ML_OR_PIECE
 * are read alone, in pieces.
 */
#define ML_OR_GAP (64UL << 10)
static void ml_or_scan_runs(struct ml_or_ctx *x, const struct ml_range *v, size_t n)
{
	size_t a = 0, b;

	while (a < n && !ml_interrupted()) {
		ulong lo = v[a].start, hi = lo + v[a].len;
		unsigned long missing = 0;
		char *buf;

		for (b = a + 1; b < n; b++) {
			if (v[b].start < hi || v[b].start - hi > ML_OR_GAP ||
			    v[b].start + v[b].len - lo > ML_OR_PIECE)
				break;
			hi = v[b].start + v[b].len;
		}
		if (b == a + 1 || hi - lo > ML_OR_PIECE) {	/* alone, or large */
			unsigned long long bad = 0;

			ml_or_scan_range(x, lo, hi - lo, &bad);
			x->d->objects_unreadable += bad;
			a++;
			continue;
		}
		buf = ml_or_buf(x, hi - lo);
		if (!ml_po_bulk(lo, buf, hi - lo, "orphans: page allocations", &missing))
			missing = hi - lo;
		x->d->bytes_read += hi - lo - missing;
		x->d->objects_unreadable += missing;	/* gaps included: an upper bound */
		for (; a < b; a++)
			if (missing != hi - lo)
				ml_or_scan(x, buf + (v[a].start - lo), v[a].len, v[a].start);
	}
}

/*
 * The page allocations reached: their pages, then their struct pages --
 * part of the allocation, scanned with it (a driver's page list runs
 * through page->lru), and only then: left in the memmap root, the stale
 * free-list links in the struct pages of allocated pages would reach the
 * blocks that were their neighbours on a free list.
 */
static void ml_or_scan_pend(struct ml_or_ctx *x)
{
	struct ml_range *v = ml_alloc((x->npend + 1) * sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < x->npend; i++) {
		const struct ml_or_region *r = &x->rg[x->pend[i]];

		v[i].start = r->start;
		v[i].len = r->len;
		v[i].id = x->pend[i];
	}
	ml_ranges_sort(v, x->npend);
	ml_or_scan_runs(x, v, x->npend);
	for (i = 0; i < x->npend; i++) {
		const struct ml_or_region *r = &x->rg[x->pend[i]];
		ulong sp = ml_or_struct_page(x, r->aux);

		if (sp) {
			v[n].start = sp;
			v[n].len = (r->len >> x->shift ? r->len >> x->shift : 1) * x->psize;
			n++;
		}
	}
	ml_ranges_sort(v, n);
	x->own_struct_pages = true;
	ml_or_scan_runs(x, v, n);
	x->own_struct_pages = false;
	ml_free(v);
	x->npend = 0;
}

void ml_or_drain(struct ml_or_ctx *x)
{
	while ((x->nwork || x->npend) && !ml_interrupted()) {
		uint32_t i;
		struct ml_or_region *r;
		unsigned long long bad = 0;

		if (!x->nwork) {
			ml_or_scan_pend(x);
			continue;
		}
		i = x->work[--x->nwork];
		r = &x->rg[i];
		r->queued = false;
		if (++x->pops % 16384 == 0)
			ml_or_progress(x, "flood fill", x->pops, x->nrg);
		if (r->kind == ML_RG_SLAB) {
			ml_or_scan_slab(x, r);
			continue;
		}
		if (ml_bit_test(x->sbit, r->bit))
			continue;
		ml_bit_set(x->sbit, r->bit);
		if (r->kind == ML_RG_PAGE) {
			x->pend[x->npend++] = i;	/* each page allocation once: sbit */
			continue;
		}
		ml_or_scan_range(x, r->start, r->len, &bad);
		x->d->objects_unreadable += bad;
	}
}

void ml_or_hold(struct ml_or_ctx *x, ulong vaddr, ulong len)
{
	long i;

	if (!len)
		return;
	if (vaddr - x->vm_lo < x->vm_span) {
		ulong a = vaddr;

		/* every vmalloc region the range touches */
		while (a < vaddr + len && (i = ml_range_find(x->vm, x->nvm, a)) >= 0) {
			struct ml_or_region *r = &x->rg[x->vm[i].id];

			ml_bit_set(x->rbit, r->bit);
			ml_bit_set(x->sbit, r->bit);
			a = x->vm[i].start + x->vm[i].len;
		}
		return;
	}
	if (vaddr - x->dm_lo < x->dm_span) {
		ulong a;

		for (a = vaddr; a < vaddr + len; a += sizeof(ulong)) {
			ulong pfn = (ulong)((x->dm_phys0 + (a - x->dm_lo)) >> x->shift);
			const uint32_t *sl = ml_or_pfn_slot(x, pfn);
			uint32_t e = sl ? *sl : ML_PFN_NONE;
			struct ml_or_region *r;
			uint64_t bit;

			if (e == ML_PFN_NONE || e > ML_PFN_MAXRG) {
				a = (a | ((1UL << x->shift) - 1)) + 1 - sizeof(ulong);
				continue;
			}
			r = &x->rg[e - 1];
			if (r->kind == ML_RG_SLAB && a >= r->start && (a - r->start) / r->size < r->nobj)
				bit = r->bit + (a - r->start) / r->size;
			else if (r->kind == ML_RG_PAGE)
				bit = r->bit;
			else
				continue;
			ml_bit_set(x->rbit, bit);
			ml_bit_set(x->sbit, bit);
		}
	}
}

/* ---- the report: unreferenced objects by callsite ---------------------- */

static bool ml_or_module_ok(const struct ml_orph_opts *o, ulong caller)
{
	const struct ml_sym *s;

	if (!o->module)
		return true;
	s = ml_sym_lookup(caller);
	if (strcmp(o->module, "vmlinux") == 0)
		return caller && !s->module;
	return caller && s->module && strcmp(s->module, o->module) == 0;
}

/* the unreferenced objects of one slab, with their tracks when it has them */
static void ml_or_report_slab(struct ml_or_ctx *x, struct ml_orph_groups *gs,
			      const struct ml_or_region *r)
{
	const struct ml_scache *c = &x->d->slab.caches[r->cache];
	const char *b = NULL;
	uint32_t i;

	if (x->o->caches && !ml_name_in_list(c->name, x->o->caches))
		return;
	if (c->store_user && ML_HAS(track, addr)) {
		char *buf = ml_or_buf(x, (size_t)r->nobj * r->size);
		unsigned long missing = 0;

		if (ml_po_bulk(r->start, buf, (ulong)r->nobj * r->size, "orphans: slab tracks", &missing))
			b = buf;
	}
	for (i = 0; i < r->nobj; i++) {
		struct ml_orph_key k = { ML_ORK_SLAB, r->cache, 0, 0 };
		uint32_t handle = 0;
		double age = -1;

		if (ml_bit_test(x->rbit, r->bit + i))
			continue;
		if (b) {
			const char *t = b + (size_t)i * r->size + c->red_left_pad + c->info_end;
			ulong when = ML_HAS(track, when) ? ml_get_ulong(t, ML_OFF(track, when)) : 0;

			k.caller = ml_get_ulong(t, ML_OFF(track, addr));
			if (ml_feat.track_handle && ML_HAS(track, handle))
				handle = ml_get_u32(t, ML_OFF(track, handle));
			if (when && ml_feat.hz)
				age = ml_jiffies_age_s(x->d->now, when, ml_feat.hz);
		}
		if (!ml_or_module_ok(x->o, k.caller))
			continue;
		k.handle = x->o->by_stack ? handle : 0;
		ml_orph_add(gs, &k, r->start + (ulong)i * r->size + c->red_left_pad, c->object_size,
			    age, handle);
	}
}

/* the frame of a page_owner stack that called the allocator */
static ulong ml_or_page_caller(uint32_t handle)
{
	const ulong *e;
	unsigned int nr = 0, i;

	if (ml_depot_fetch(handle, &e, &nr) != ML_DEPOT_OK)
		return 0;
	for (i = 0; i < nr; i++) {
		const struct ml_sym *s = ml_sym_lookup(e[i]);

		if (!ml_allocator_frame(s->name))
			return e[i];
	}
	return nr ? e[nr - 1] : 0;
}

static void ml_or_report_other(struct ml_or_ctx *x, struct ml_orph_groups *gs,
			       const struct ml_or_region *r)
{
	struct ml_orph_key k = { 0, 0, 0, 0 };
	double age = -1;
	uint32_t handle = 0;

	if (x->o->caches)
		return;		/* -c names caches: no page or vmalloc object is in one */
	if (r->kind == ML_RG_PAGE) {
		unsigned long long now_ns = ml_feat.hz ?
			ml_feat.uptime_jiffies * 1000000000ULL / ml_feat.hz : 0;

		k.kind = ML_ORK_PAGE;
		handle = r->cache;
		k.caller = ml_or_page_caller(handle);
		if (r->ts && now_ns > r->ts)
			age = (now_ns - r->ts) / 1e9;
	} else {
		k.kind = ML_ORK_VMALLOC;
		k.caller = r->caller;
	}
	if (!ml_or_module_ok(x->o, k.caller))
		return;
	k.handle = x->o->by_stack ? handle : 0;
	ml_orph_add(gs, &k, r->start, r->len, age, handle);
}

static void ml_or_report(struct ml_or_ctx *x)
{
	struct ml_orph_data *d = x->d;
	struct ml_orph_groups *gs = ml_orph_groups_new();
	size_t i, k;

	for (i = 0; i < x->nrg; i++) {
		const struct ml_or_region *r = &x->rg[i];
		int kind = r->kind == ML_RG_SLAB ? ML_ORK_SLAB
			 : r->kind == ML_RG_PAGE ? ML_ORK_PAGE : ML_ORK_VMALLOC;
		uint32_t unref = r->nobj - ml_bits_count(x->rbit, r->bit, r->nobj);
		ulong objbytes = r->kind == ML_RG_SLAB ? d->slab.caches[r->cache].object_size : r->len;

		d->unref[kind] += unref;
		d->unref_bytes[kind] += (unsigned long long)unref * objbytes;
		if (!unref)
			continue;
		if (r->kind == ML_RG_SLAB)
			ml_or_report_slab(x, gs, r);
		else
			ml_or_report_other(x, gs, r);
	}
	for (k = 0; k < ML_ORK_NR; k++)
		d->reached[k] = d->tracked[k] - d->unref[k];
	d->v = ml_orph_sorted(gs, &d->n);
	for (i = 0; i < d->n; i++) {
		d->shown_objects += d->v[i]->count;
		d->shown_bytes += d->v[i]->bytes;
	}
}

unsigned int ml_orphans_stack(struct ml_orph_data *d, const struct ml_orph_group *g,
			      const ulong **entries, enum ml_depot_status *st)
{
	unsigned int nr = 0;

	(void)d;
	*entries = NULL;
	*st = ML_DEPOT_NOHANDLE;
	if (!g->first_handle || (g->key.kind == ML_ORK_SLAB && !ml_feat.track_handle))
		return 0;
	*st = ml_depot_fetch(g->first_handle, entries, &nr);
	return *st == ML_DEPOT_OK ? nr : 0;
}

const char *ml_orphans_where(const struct ml_orph_data *d, const struct ml_orph_group *g)
{
	if (g->key.kind == ML_ORK_SLAB && g->key.cache < d->slab.n)
		return d->slab.caches[g->key.cache].name;
	return g->key.kind == ML_ORK_PAGE ? "(pages)" : "(vmalloc)";
}

int ml_orphans_collect(struct ml_orph_data *d, const struct ml_orph_opts *o)
{
	struct ml_or_ctx *x = ml_alloc(sizeof(*x));

	memset(d, 0, sizeof(*d));
	d->x = x;
	x->d = d;
	x->o = o;
	if (ml_or_objects(x) < 0)
		return -1;
	ml_or_roots(x);
	ml_or_progress(x, "flood fill", x->pops, x->nrg);
	ml_or_drain(x);
	d->interrupted = ml_interrupted();
	ml_or_progress(x, "report", 0, 0);
	ml_or_report(x);
	d->memory = (unsigned long long)x->caprg * sizeof(*x->rg) + x->capbits / 4 +
		    (unsigned long long)x->blocks * (sizeof(uint32_t) << ML_PFN_BLOCK_SHIFT) +
		    (unsigned long long)x->nblk * sizeof(uint32_t *) +
		    (unsigned long long)x->caprg * sizeof(uint32_t) +
		    (unsigned long long)x->capskip * sizeof(uint64_t) + x->buflen;
	return 0;
}
