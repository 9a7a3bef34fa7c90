/*
 * orphobjs.c: the objects "memleak orphans" tracks (see orphans.c).
 *
 *   - slab objects: every slab the slab walk visits (slab.c, its on_slab
 *     hook: cpu, partial, and the full list of SLAB_STORE_USER caches),
 *     the free ones from its decoded freelists; and the full slabs of the
 *     other caches, which are on no list: a slab page of struct page that
 *     the walk did not see, its cache and counters from the struct slab in
 *     that struct page (all objects allocated when inuse == objects);
 *   - page allocations page_owner recorded (one object per allocation,
 *     head pfn and order) of pages neither slab, LRU (anon or page cache),
 *     page table, free nor vmalloc'ed; placeholder records (early_handle:
 *     allocated before page_owner was ready) and every other allocated
 *     page are roots (orphroots.c);
 *   - vmalloc areas with a page array; their own bookkeeping words
 *     (vmap_area.va_start/va_end, vm_struct.addr) are no references.
 * Every allocated task_struct's stack pointer is kept for the roots.
 */
#include "collect/collect.h"

/* ---- address windows and the pfn table ---------------------------------- */

ulong ml_or_pfn_of(const struct ml_or_ctx *x, ulong vaddr)
{
	return (ulong)((x->dm_phys0 + (vaddr - x->dm_lo)) >> x->shift);
}

void ml_or_mark(struct ml_or_ctx *x, ulong pfn, ulong n, uint32_t v)
{
	ulong i;

	for (i = pfn; i < pfn + n; i++) {
		uint32_t *sl = ml_or_pfn_slot(x, i);

		if (sl && *sl == ML_PFN_NONE)
			*sl = v;
	}
}

static int ml_or_setup(struct ml_or_ctx *x)
{
	size_t i;
	ulong hm = 0;
	uint64_t end;

	x->shift = ml_feat.page_shift;
	x->psize = ML_SIZE(page);
	if (x->psize <= 0 || !ML_HAS(page, flags))
		return ml_fail("struct page not in debuginfo");
	x->ch = ml_po_chunks(x->psize, ml_feat.page_ext_size > 0 ? ml_feat.page_ext_size : 0,
			     &x->nch);
	if (!x->nch)
		return ml_fail("no memory sections found");
	x->pfn0 = x->ch[0].pfn0;
	x->npfn = x->ch[x->nch - 1].pfn0 + x->ch[x->nch - 1].npfn - x->pfn0;
	/* a block of the table for each block of pfns a section touches */
	x->nblk = (x->npfn >> ML_PFN_BLOCK_SHIFT) + 1;
	x->pfn_blk = ml_alloc(x->nblk * sizeof(uint32_t *));
	for (i = 0; i < x->nch; i++) {
		ulong b = (x->ch[i].pfn0 - x->pfn0) >> ML_PFN_BLOCK_SHIFT;
		ulong e = (x->ch[i].pfn0 + x->ch[i].npfn - 1 - x->pfn0) >> ML_PFN_BLOCK_SHIFT;

		for (; b <= e; b++)
			if (!x->pfn_blk[b]) {
				x->pfn_blk[b] = ml_alloc(sizeof(uint32_t) << ML_PFN_BLOCK_SHIFT);
				x->blocks++;
			}
	}
	x->mm = ml_alloc(x->nch * sizeof(*x->mm));
	for (i = 0; i < x->nch; i++) {
		x->mm[i].start = x->ch[i].mem_map;
		x->mm[i].len = x->ch[i].npfn * x->psize;
		x->mm[i].id = x->ch[i].pfn0;
	}
	x->nmm = x->nch;
	ml_ranges_sort(x->mm, x->nmm);
	x->mm_lo = x->mm[0].start;
	x->mm_span = x->mm[x->nmm - 1].start + x->mm[x->nmm - 1].len - x->mm_lo;
	/* the direct map, linear from the first pfn up to high_memory */
	x->dm_phys0 = (physaddr_t)x->pfn0 << x->shift;
	x->dm_lo = ml_ptov(x->dm_phys0);
	/* in 64 bits: 4 GiB of pfns is 0 in a 32-bit long (ARM LPAE); there
	 * the direct map is lowmem only, which ends at high_memory */
	end = (uint64_t)x->npfn << x->shift;
	if (ml_read_sym_ulong("high_memory", &hm) && hm > x->dm_lo && hm - x->dm_lo < end)
		end = hm - x->dm_lo;
	if (end > ULONG_MAX - x->dm_lo)
		end = ULONG_MAX - x->dm_lo;
	x->dm_span = (ulong)end;
	return 0;
}

/* ---- slabs ------------------------------------------------------------- */

/* the pages a slab of len bytes takes: the smallest order holding it */
static unsigned int ml_or_slab_order(ulong len)
{
	unsigned int o = 0;

	while (((ulong)PAGESIZE() << o) < len)
		o++;
	return o;
}

static uint32_t ml_or_slab_region(struct ml_or_ctx *x, uint32_t cache, const struct ml_scache *c,
				  ulong slab, ulong base, unsigned int objects)
{
	uint32_t ri = ml_or_region_new(x, ML_RG_SLAB, objects);
	struct ml_or_region *r = &x->rg[ri];

	r->start = base;
	r->len = (ulong)objects * c->size;
	r->size = c->size;
	r->cache = cache;
	r->aux = slab;
	ml_or_mark(x, ml_or_pfn_of(x, base), 1UL << ml_or_slab_order(r->len), ri + 1);
	return ri;
}

/* every object of r reached and scanned: never judged, never read */
void ml_or_settle(struct ml_or_ctx *x, const struct ml_or_region *r)
{
	uint32_t i;

	for (i = 0; i < r->nobj; i++) {
		ml_bit_set(x->rbit, r->bit + i);
		ml_bit_set(x->sbit, r->bit + i);
	}
}

/* every object of r: not judged (reached and scanned), and counted */
static void ml_or_unknown(struct ml_or_ctx *x, const struct ml_or_region *r)
{
	ml_or_settle(x, r);
	x->d->unknown_objects += r->nobj;
	x->d->unknown_slabs++;
}

/*
 * kmemleak's own metadata (caches made with SLAB_NOLEAKTRACE:
 * kmemleak_object, kmemleak_scan_area): every kmemleak_object points at the
 * object it tracks. kmemleak neither tracks nor scans these caches, and
 * neither does this scan: their objects are reached and never read.
 */
static bool ml_or_kmemleak_meta(struct ml_or_ctx *x, const struct ml_scache *c,
				const struct ml_or_region *r)
{
	if (!(c->flags & ml_feat.slab_noleaktrace))
		return false;
	ml_or_settle(x, r);
	return true;
}

static void ml_or_task_stacks(struct ml_or_ctx *x, const struct ml_slab_view *v)
{
	const struct ml_scache *c = v->c;
	unsigned int i;

	if (x->task_stack_off < 0 || x->task_stack_off + sizeof(ulong) > c->object_size)
		return;
	for (i = 0; i < v->objects; i++) {
		long obj = (long)i * c->size + c->red_left_pad;
		struct ml_or_tstack *t;
		ulong s;

		if (ml_bit_test(v->free, i))
			continue;
		s = ml_get_ulong(v->buf, obj + x->task_stack_off);
		if (!s)
			continue;
		if (x->ntstacks == x->captstacks) {
			x->captstacks = x->captstacks ? 2 * x->captstacks : 256;
			x->tstacks = ml_realloc(x->tstacks, x->captstacks * sizeof(*x->tstacks));
		}
		t = &x->tstacks[x->ntstacks++];
		t->stack = s;
		t->sp = 0;
		/* a task off the cpus: below the stack pointer of its last switch
		 * the stack is dead, stale values kmemleak would take as
		 * references; a task on a cpu at the dump: all of it */
		if (x->task_sp_off >= 0 && x->task_sp_off + sizeof(ulong) <= c->object_size &&
		    !is_task_active(v->base + obj))
			t->sp = ml_get_ulong(v->buf, obj + x->task_sp_off);
	}
}

static void ml_or_on_slab(void *arg, const struct ml_slab_view *v)
{
	struct ml_or_ctx *x = arg;
	uint32_t ri, i, *sl;
	struct ml_or_region *r;

	if (v->base - x->dm_lo >= x->dm_span)
		return;
	sl = ml_or_pfn_slot(x, ml_or_pfn_of(x, v->base));
	if (!sl || *sl != ML_PFN_NONE)
		return;		/* visited before (a slab on two lists) */
	ri = ml_or_slab_region(x, v->cache, v->c, v->slab, v->base, v->objects);
	r = &x->rg[ri];
	if (ml_or_kmemleak_meta(x, v->c, r))
		return;
	if (!v->free) {
		ml_or_unknown(x, r);
		return;
	}
	for (i = 0; i < v->objects; i++) {
		if (ml_bit_test(v->free, i)) {
			ml_bit_set(x->rbit, r->bit + i);
			ml_bit_set(x->sbit, r->bit + i);
		} else {
			x->d->tracked[ML_ORK_SLAB]++;
			x->d->tracked_bytes[ML_ORK_SLAB] += v->c->object_size;
		}
	}
	if (strcmp(v->c->name, "task_struct") == 0)
		ml_or_task_stacks(x, v);
	ml_or_vmap_area_skips(x, v->c, v->base, v->objects, v->free);
}

/* the caches by address, for the slabs found from struct page */
static void ml_or_cache_index(struct ml_or_ctx *x)
{
	size_t i;

	x->caches = ml_alloc((x->d->slab.n + 1) * sizeof(*x->caches));
	for (i = 0; i < x->d->slab.n; i++) {
		x->caches[i].start = x->d->slab.caches[i].addr;
		x->caches[i].len = 1;
		x->caches[i].id = i;
		x->d->caches_untracked += !x->d->slab.caches[i].store_user;
	}
	ml_ranges_sort(x->caches, x->d->slab.n);
}

/* ---- the struct page pass ------------------------------------------------ */

struct ml_or_pass {
	struct ml_page_bits bits;
	bool po;			/* page_owner records read */
	long ext_size, off_type, off_priv, off_map, off_ref, off_head;
	long so_cache, so_counters;
	int pg_reserved;
	uint32_t special[3];
	char *pages, *exts;
	ulong cap;
	struct ml_or_handle *handles;	/* page-table verdicts, by handle */
	long last_page;			/* the last page allocation's region, -1 */
};

/* whether the allocations of a stack are page tables, decided once */
struct ml_or_handle {
	uint32_t handle;
	bool pagetable;
	bool splits;		/* through alloc_pages_exact(): split into pages */
	UT_hash_handle hh;
};

static struct ml_or_handle *ml_or_handle(struct ml_or_pass *p, uint32_t handle)
{
	struct ml_or_handle *h;
	const ulong *e;
	unsigned int nr = 0, i;
	bool caller = false;

	HASH_FIND(hh, p->handles, &handle, sizeof(handle), h);
	if (h)
		return h;
	h = ml_alloc(sizeof(*h));
	h->handle = handle;
	if (ml_depot_fetch(handle, &e, &nr) == ML_DEPOT_OK) {
		for (i = 0; i < nr && !caller; i++) {
			const char *name = ml_sym_lookup(e[i])->name;

			h->splits |= ml_splitting_frame(name);
			if (ml_allocator_frame(name))
				continue;
			h->pagetable = ml_pagetable_frame(name);
			caller = true;
		}
	}
	HASH_ADD(hh, p->handles, handle, sizeof(h->handle), h);
	return h;
}

/* a root page; reserved: PG_reserved (memblock, firmware, holes) */
static void ml_or_root_page(struct ml_or_ctx *x, ulong pfn, bool reserved)
{
	if (x->nproots && x->proots[x->nproots - 1].start + x->proots[x->nproots - 1].len == pfn &&
	    x->proots[x->nproots - 1].id == reserved) {
		x->proots[x->nproots - 1].len++;
		return;
	}
	if (x->nproots == x->capproots) {
		x->capproots = x->capproots ? 2 * x->capproots : 1024;
		x->proots = ml_realloc(x->proots, x->capproots * sizeof(*x->proots));
	}
	x->proots[x->nproots].start = pfn;
	x->proots[x->nproots].len = 1;
	x->proots[x->nproots++].id = reserved;
}

/* a slab page the walk did not see: a full slab on no list */
static void ml_or_full_slab(struct ml_or_ctx *x, struct ml_or_pass *p, ulong pfn,
			    const char *page, ulong page_addr)
{
	ulong cache = ml_get_ulong(page, p->so_cache), counters;
	unsigned int objects, inuse;
	const struct ml_scache *c;
	long k = ml_range_find(x->caches, x->d->slab.n, cache);
	uint32_t ri;

	if (k < 0)
		return;
	c = &x->d->slab.caches[x->caches[k].id];
	counters = ml_get_ulong(page, p->so_counters);
	objects = ml_bits(counters, ml_feat.slab_objects.shift, ml_feat.slab_objects.bits);
	inuse = ml_bits(counters, ml_feat.slab_inuse.shift, ml_feat.slab_inuse.bits);
	if (!objects || (ulong)objects * c->size > ((ulong)PAGESIZE() << 10))
		return;
	ri = ml_or_slab_region(x, x->caches[k].id, c, page_addr,
			       ml_ptov((physaddr_t)pfn << x->shift), objects);
	x->d->full_unlisted++;
	if (ml_or_kmemleak_meta(x, c, &x->rg[ri]))
		return;
	if (inuse != objects) {
		/* free objects the walk never decoded: not judged */
		x->d->slab_inconsistent++;
		ml_or_unknown(x, &x->rg[ri]);
		return;
	}
	x->d->tracked[ML_ORK_SLAB] += objects;
	x->d->tracked_bytes[ML_ORK_SLAB] += (unsigned long long)objects * c->object_size;
	ml_or_vmap_area_skips(x, c, ml_ptov((physaddr_t)pfn << x->shift), objects, NULL);
}

/*
 * alloc_pages_exact() splits its block (split_page()) and page_owner keeps
 * an order-0 record on each page, with the block's stack and the time each
 * page's record was written (mm/page_owner.c __set_page_owner_handle()
 * reads local_clock() per page): the pages right after a page allocation
 * of such a stack, of the same stack, within a millisecond, are that
 * allocation.
 */
static bool ml_or_split(struct ml_or_ctx *x, struct ml_or_pass *p, ulong pfn, unsigned int order,
			uint32_t handle, uint64_t ts)
{
	struct ml_or_region *r;

	if (p->last_page < 0 || order)
		return false;
	r = &x->rg[p->last_page];
	if (r->cache != handle || ts < r->ts || ts - r->ts > 1000000 || r->order ||
	    r->aux + (r->len >> x->shift) != pfn)
		return false;
	r->len += PAGESIZE();
	r->size = r->len > 0xffffffffUL ? 0xffffffffU : r->len;
	ml_or_mark(x, pfn, 1, p->last_page + 1);
	x->d->tracked_bytes[ML_ORK_PAGE] += PAGESIZE();
	x->d->split_pages++;
	return true;
}

/* a page allocation page_owner recorded at pfn; false if it is none */
static bool ml_or_page_alloc(struct ml_or_ctx *x, struct ml_or_pass *p, ulong pfn, const char *ext)
{
	const char *owner = ext + ml_feat.page_owner_offset;
	uint64_t eflags = ml_get_ulong(ext, ML_HAS(page_ext, flags) ? ML_OFF(page_ext, flags) : 0);
	unsigned int order, i;
	uint32_t handle, ri;
	struct ml_or_region *r;
	struct ml_or_handle *h;
	uint64_t ts;

	if (!(eflags >> ml_feat.page_ext_owner_bit & 1) ||
	    !(eflags >> ml_feat.page_ext_owner_allocated_bit & 1))
		return false;
	order = ml_get_uint(owner, ML_OFF(page_owner, order), ML_MSIZE(page_owner, order));
	handle = ml_get_u32(owner, ML_OFF(page_owner, handle));
	if (order >= (unsigned int)ml_feat.nr_orders || (pfn & ((1UL << order) - 1)) || !handle)
		return false;
	for (i = 0; i < 3; i++)
		if (p->special[i] && handle == p->special[i])
			return false;
	h = ml_or_handle(p, handle);
	if (h->pagetable) {
		ml_or_mark(x, pfn, 1UL << order, ML_PFN_BACKING);
		x->d->pagetables++;
		return true;
	}
	ts = ML_HAS(page_owner, ts_nsec) ? ml_get_uint(owner, ML_OFF(page_owner, ts_nsec), 8) : 0;
	if (h->splits && ml_or_split(x, p, pfn, order, handle, ts))
		return true;
	ri = ml_or_region_new(x, ML_RG_PAGE, 1);
	r = &x->rg[ri];
	r->start = ml_ptov((physaddr_t)pfn << x->shift);
	r->len = (ulong)PAGESIZE() << order;
	r->size = r->len;
	r->aux = pfn;
	r->order = order;
	r->cache = handle;
	r->ts = ts;
	p->last_page = ri;
	ml_or_mark(x, pfn, 1UL << order, ri + 1);
	x->d->tracked[ML_ORK_PAGE]++;
	x->d->tracked_bytes[ML_ORK_PAGE] += r->len;
	return true;
}

static void ml_or_pfn(struct ml_or_ctx *x, struct ml_or_pass *p, const struct ml_po_chunk *ch,
		      ulong i, bool exts_ok, ulong *skip_to)
{
	ulong pfn = ch->pfn0 + i;
	const char *page = p->pages + i * x->psize;
	uint64_t flags = ml_get_ulong(page, ML_OFF(page, flags));
	uint32_t ptype = p->off_type >= 0 ? ml_get_u32(page, p->off_type) : 0;
	ulong mapping = p->off_map >= 0 ? ml_get_ulong(page, p->off_map) : 0;
	enum ml_po_class cls;

	if (p->off_type >= 0 && ml_page_is_buddy(&p->bits, ptype)) {
		ulong o = p->off_priv >= 0 ? ml_get_ulong(page, p->off_priv) : 0;

		if (o < (ulong)ml_feat.nr_orders)
			*skip_to = pfn + (1UL << o);
		return;
	}
	if (p->off_head >= 0 && (ml_get_ulong(page, p->off_head) & 1)) {
		/* a compound page's tail (TAIL_MAPPING, _refcount 0): a root
		 * if its head was, else its head's region or nothing */
		if (x->nproots && x->proots[x->nproots - 1].start + x->proots[x->nproots - 1].len == pfn)
			ml_or_root_page(x, pfn, x->proots[x->nproots - 1].id);
		return;
	}
	cls = ml_page_class(&p->bits, flags, ptype, mapping, false);
	if (cls == ML_PO_SLAB) {
		ml_or_full_slab(x, p, pfn, page, ch->mem_map + i * x->psize);
		return;
	}
	if (cls != ML_PO_OTHER)
		return;
	if (p->off_ref >= 0 && (int)ml_get_u32(page, p->off_ref) <= 0)
		return;		/* free, on a per-cpu list */
	if (p->po && exts_ok && ml_or_page_alloc(x, p, pfn, p->exts + i * p->ext_size))
		return;
	ml_or_root_page(x, pfn, p->pg_reserved >= 0 && (flags >> p->pg_reserved & 1));
}

static void ml_or_pass_init(struct ml_or_ctx *x, struct ml_or_pass *p)
{
	static const char *const sym[3] = { "early_handle", "dummy_handle", "failure_handle" };
	int i;

	memset(p, 0, sizeof(*p));
	p->last_page = -1;
	p->pg_reserved = ml_pg_bit("PG_reserved");
	ml_po_page_bits(&p->bits);
	p->po = ml_feat.page_owner_enabled == ML_YES && ml_feat.page_ext_size > 0 &&
		ml_feat.page_owner_offset >= 0 && ml_feat.page_ext_owner_bit >= 0 &&
		ml_feat.page_ext_owner_allocated_bit >= 0 && ML_HAS(page_owner, order) &&
		ML_HAS(page_owner, handle);
	p->ext_size = ml_feat.page_ext_size;
	p->off_type = ml_feat.page_type_off;
	p->off_priv = ML_OFF_RAW(page, private);
	p->off_map = ML_OFF_RAW(page, mapping);
	p->off_ref = ML_OFF_RAW(page, _refcount);
	p->off_head = ML_HAS(page, compound_head) ? ML_OFF(page, compound_head) : ML_OFF_RAW(page, lru);
	p->so_cache = ml_feat.slab_struct ? ML_OFF_RAW(slab, slab_cache) : ML_OFF_RAW(page, slab_cache);
	p->so_counters = ml_feat.slab_struct ? ML_OFF_RAW(slab, counters) : ML_OFF_RAW(page, counters);
	for (i = 0; i < 3; i++) {
		ulong h = 0;

		if (p->po && ml_read_sym_ulong(sym[i], &h))
			p->special[i] = (uint32_t)h;
	}
	x->d->page_owner = p->po;
}

static void ml_or_pages(struct ml_or_ctx *x)
{
	struct ml_or_pass p;
	ulong skip_to = 0;
	size_t k;

	ml_or_pass_init(x, &p);
	for (k = 0; k < x->nch && !ml_interrupted(); k++) {
		const struct ml_po_chunk *ch = &x->ch[k];
		unsigned long bad = 0, bade = 0;
		bool exts_ok = false;
		ulong i;

		if (ch->npfn > p.cap) {
			ml_free(p.pages);
			ml_free(p.exts);
			p.cap = ch->npfn;
			p.pages = ml_alloc(p.cap * x->psize);
			p.exts = p.po ? ml_alloc(p.cap * p.ext_size) : NULL;
		}
		x->d->pfns += ch->npfn;
		if (!ml_po_bulk(ch->mem_map, p.pages, ch->npfn * x->psize, "struct page", &bad)) {
			x->d->pages_unreadable += ch->npfn;
			continue;
		}
		x->d->pages_unreadable += bad / x->psize;
		if (p.po && ch->ext)
			exts_ok = ml_po_bulk(ch->ext, p.exts, ch->npfn * p.ext_size, "page_ext", &bade);
		for (i = 0; i < ch->npfn; i++) {
			ulong pfn = ch->pfn0 + i;

			if (pfn < skip_to || *ml_or_pfn_slot(x, pfn) != ML_PFN_NONE)
				continue;
			if (ml_get_ulong(p.pages + i * x->psize, ML_OFF(page, flags)) == 0 &&
			    p.off_ref >= 0 && ml_get_u32(p.pages + i * x->psize, p.off_ref) == 0)
				continue;	/* never initialised, or not in the dump */
			ml_or_pfn(x, &p, ch, i, exts_ok, &skip_to);
		}
		if (k % 8 == 0)
			ml_or_progress(x, "struct pages", k, x->nch);
	}
	ml_free(p.pages);
	ml_free(p.exts);
}

int ml_or_objects(struct ml_or_ctx *x)
{
	struct ml_slab_collect_opts so;

	if (ml_or_setup(x) < 0)
		return -1;
	x->task_stack_off = ML_OFF_RAW(task_struct, stack);
	/* the saved kernel stack pointer: x86's thread.sp, arm64's
	 * thread.cpu_context.sp (32-bit ARM keeps it in thread_info: the
	 * whole stack is scanned there) */
	x->task_sp_off = -1;
	if (ML_HAS(task_struct, thread) && ML_HAS(thread_struct, sp))
		x->task_sp_off = ML_OFF(task_struct, thread) + ML_OFF(thread_struct, sp);
	else if (ML_HAS(task_struct, thread) && ML_HAS(thread_struct, cpu_context) &&
		 ML_HAS(cpu_context, sp))
		x->task_sp_off = ML_OFF(task_struct, thread) + ML_OFF(thread_struct, cpu_context) +
				 ML_OFF(cpu_context, sp);
	if (symbol_exists("vmap_area_cachep"))
		ml_read_ulong(symbol_value("vmap_area_cachep"), &x->vmap_area_cache,
			      "vmap_area_cachep");
	memset(&so, 0, sizeof(so));
	so.on_slab = ml_or_on_slab;
	so.arg = x;
	ml_or_progress(x, "slabs", 0, 0);
	if (ml_slab_collect(&x->d->slab, &so) < 0)
		return -1;
	x->d->now = x->d->slab.now;
	if (!x->d->now) {
		ulong j;

		if (ml_read_ulong(symbol_value("jiffies"), &j, "jiffies"))
			x->d->now = j;
	}
	ml_or_cache_index(x);
	ml_or_progress(x, "vmalloc areas", 0, 0);
	ml_or_vmalloc(x);
	/* the roots in the direct map (orphroots.c) mark their pfns first */
	return 0;
}

/* the page pass, after the explicit roots marked their pfns ML_PFN_ROOT */
void ml_or_page_pass(struct ml_or_ctx *x)
{
	ml_or_progress(x, "struct pages", 0, x->nch);
	ml_or_pages(x);
	ml_u64_sort(x->skip, x->nskip);	/* vmap_areas of full slabs joined it */
}
