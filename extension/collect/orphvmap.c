/*
 * orphvmap.c: the vmalloc areas of "memleak orphans" (see orphans.c):
 * each busy area with a page array is a tracked object, the others
 * (percpu chunks, vmap(), ioremap) are roots; the words that hold an
 * area's address without referring to it (vmap_area.va_start, va_end,
 * vm; vm_struct.addr) are skipped; exited tasks' cached stacks are
 * reached and never scanned.
 */
#include "collect/collect.h"

static void ml_or_skip(struct ml_or_ctx *x, ulong word)
{
	if (x->nskip == x->capskip) {
		x->capskip = x->capskip ? 2 * x->capskip : 1024;
		x->skip = ml_realloc(x->skip, x->capskip * sizeof(uint64_t));
	}
	x->skip[x->nskip++] = word;
}

static bool ml_or_skip_area(ulong va, void *arg)
{
	struct ml_or_ctx *x = arg;

	ml_or_skip(x, va + ML_OFF(vmap_area, va_start));
	ml_or_skip(x, va + ML_OFF(vmap_area, va_end));
	ml_or_skip(x, va + ML_OFF(vmap_area, vm));
	return !ml_interrupted();
}

/*
 * Every allocated vmap_area, on whatever list (busy, free, lazy, a node's
 * pool of preloaded areas, v6.9's vmap_node.pool[]) or none, holds the
 * addresses of its area and of the next one (va_start, va_end): neither
 * refers to an area. The objects of vmap_area_cachep (mm/vmalloc.c) are
 * found in the slab walk and the page pass; the lists are walked as well
 * (ml_or_vmalloc) for kernels that kmalloc'ed them (before v5.2).
 */
void ml_or_vmap_area_skips(struct ml_or_ctx *x, const struct ml_scache *c, ulong base,
				  unsigned int objects, const uint64_t *free)
{
	unsigned int i;

	if (!x->vmap_area_cache || c->addr != x->vmap_area_cache)
		return;
	for (i = 0; i < objects; i++)
		if (!free || !ml_bit_test(free, i))
			ml_or_skip_area(base + (ulong)i * c->size + c->red_left_pad, x);
}

/* ---- vmalloc areas ------------------------------------------------------ */


static void ml_or_vroot(struct ml_or_ctx *x, ulong start, ulong len)
{
	if (x->nvroots && x->vroots[x->nvroots - 1].start + x->vroots[x->nvroots - 1].len == start) {
		x->vroots[x->nvroots - 1].len += len;
		return;
	}
	if (x->nvroots == x->capvroots) {
		x->capvroots = x->capvroots ? 2 * x->capvroots : 256;
		x->vroots = ml_realloc(x->vroots, x->capvroots * sizeof(*x->vroots));
	}
	x->vroots[x->nvroots].start = start;
	x->vroots[x->nvroots].len = len;
	x->vroots[x->nvroots++].id = 0;
}

/* an area without a page array: its RAM pages are scanned as a root, and
 * are none of the page allocations */
static void ml_or_vmap_root(struct ml_or_ctx *x, const struct ml_vmap_area *a)
{
	ulong len = a->size > (ulong)PAGESIZE() ? a->size - PAGESIZE() : a->size, off;

	for (off = 0; off < len && !ml_interrupted(); off += PAGESIZE()) {
		physaddr_t phys;
		ulong pfn;

		if (!kvtop(NULL, a->addr + off, &phys, 0))
			continue;
		pfn = (ulong)(phys >> x->shift);
		if (!ml_or_pfn_slot(x, pfn))
			continue;	/* not RAM: ioremap */
		ml_or_mark(x, pfn, 1, ML_PFN_BACKING);
		ml_or_vroot(x, a->addr + off, PAGESIZE());
	}
}

static void ml_or_vmalloc_area(struct ml_or_ctx *x, const struct ml_vmap_area *a)
{
	uint32_t ri = ml_or_region_new(x, ML_RG_VMALLOC, 1);
	struct ml_or_region *r = &x->rg[ri];
	ulong *pp = ml_alloc(a->nr_pages * sizeof(ulong));
	unsigned int i;

	r->start = a->addr;
	r->len = (ulong)a->nr_pages * PAGESIZE();
	r->size = r->len > 0xffffffffUL ? 0xffffffffU : r->len;
	r->aux = a->vm;
	r->caller = a->caller;
	x->d->tracked[ML_ORK_VMALLOC]++;
	x->d->tracked_bytes[ML_ORK_VMALLOC] += r->len;
	if (ml_read(a->pages, pp, a->nr_pages * sizeof(ulong), "vm_struct.pages[]")) {
		for (i = 0; i < a->nr_pages; i++) {
			long k = ml_range_find(x->mm, x->nmm, pp[i]);

			if (k >= 0)
				ml_or_mark(x, x->mm[k].id + (pp[i] - x->mm[k].start) / x->psize, 1,
					   ML_PFN_BACKING);
		}
	}
	ml_free(pp);
}

/* each tracked area's vm_struct: its slot refers to the area */
static void ml_or_vmstructs(struct ml_or_ctx *x)
{
	size_t i;

	x->vmx = ml_alloc((x->nvm + 1) * sizeof(*x->vmx));
	for (i = 0; i < x->nvm; i++) {
		struct ml_or_region *a = &x->rg[x->vm[i].id], *r;
		const uint32_t *sl = ml_or_pfn_slot(x, ml_or_pfn_of(x, a->aux));
		uint32_t e;

		if (a->aux - x->dm_lo >= x->dm_span || !sl)
			continue;
		e = *sl;
		if (e == ML_PFN_NONE || e > ML_PFN_MAXRG || x->rg[e - 1].kind != ML_RG_SLAB)
			continue;
		r = &x->rg[e - 1];
		if (a->aux < r->start || (a->aux - r->start) / r->size >= r->nobj)
			continue;
		r->vmstruct = true;
		x->vmx[x->nvmx].start = r->start + (a->aux - r->start) / r->size * r->size;
		x->vmx[x->nvmx].len = r->size;
		x->vmx[x->nvmx++].id = x->vm[i].id;
	}
	ml_ranges_sort(x->vmx, x->nvmx);
}

/*
 * Thread stacks a task left when it exited, cached per cpu for the next
 * fork (kernel/fork.c: cached_stacks[NR_CACHED_STACKS], VMAP_STACK): busy
 * vmalloc areas a percpu root reaches, whose whole content is dead frames
 * -- the last pointers the exited task handled, leaked objects among them.
 * They are reached and never scanned.
 */
static void ml_or_cached_stacks(struct ml_or_ctx *x)
{
	int n, cpu, k;
	ulong base;

	if (!symbol_exists("cached_stacks") || !ML_HAS(vm_struct, addr) || !x->nvm)
		return;
	n = get_array_length("cached_stacks", NULL, 0);
	base = symbol_value("cached_stacks");
	for (cpu = 0; n > 0 && n <= 64 && cpu < kt->cpus; cpu++) {
		for (k = 0; k < n; k++) {
			ulong vm, addr;
			long i;

			if (!ml_read_ulong(ml_percpu_addr(base, cpu) + k * sizeof(ulong), &vm,
					   "cached_stacks[]") || !vm ||
			    !ml_read_ulong(vm + ML_OFF(vm_struct, addr), &addr, "vm_struct.addr") ||
			    (i = ml_range_find(x->vm, x->nvm, addr)) < 0)
				continue;
			ml_or_settle(x, &x->rg[x->vm[i].id]);
			x->d->dead_stacks++;
		}
	}
}

/*
 * arm64 maps the kernel image in the vmalloc range (KIMAGE_VADDR) and
 * registers each segment as a vmap area without pages (map_kernel_segment(),
 * vm_area_add_early()): the image's data is a kernel root, scanned through
 * its section symbols (orphroots.c), not a vmap root.
 */
static bool ml_or_in_image(ulong addr, ulong size)
{
	static ulong text, end;

	if (!text && symbol_exists("_text") && symbol_exists("_end")) {
		text = symbol_value("_text");
		end = symbol_value("_end");
	}
	return text && addr < end && addr + size > text;
}

void ml_or_vmalloc(struct ml_or_ctx *x)
{
	struct ml_vmap_area *a;
	enum ml_walk_status st;
	const char *why;
	size_t n, i;

	if (!(a = ml_vmap_areas(&n, &st, &why))) {
		ml_warn("vmalloc areas not tracked: %s", why);
		return;
	}
	if (st != ML_WALK_OK)
		ml_warn("the vmap area walk ended early (%s) after %zu areas",
			ml_walk_status_str(st), n);
	x->d->vmalloc = true;
	x->d->vmap_areas = n;
	for (i = 0; i < n && !ml_interrupted(); i++) {
		ml_or_skip_area(a[i].va, x);
		if (!a[i].vm)
			continue;
		ml_or_skip(x, a[i].vm + ML_OFF(vm_struct, addr));
		if (a[i].pages && a[i].nr_pages)
			ml_or_vmalloc_area(x, &a[i]);
		else if (!ml_or_in_image(a[i].addr, a[i].size))
			ml_or_vmap_root(x, &a[i]);
	}
	/* free and lazily freed areas keep addresses of their neighbours */
	ml_vmap_idle_areas(ml_or_skip_area, x);
	ml_u64_sort(x->skip, x->nskip);
	x->vm = ml_alloc((x->nrg + 1) * sizeof(*x->vm));
	for (i = 0; i < x->nrg; i++) {
		if (x->rg[i].kind != ML_RG_VMALLOC)
			continue;
		x->vm[x->nvm].start = x->rg[i].start;
		x->vm[x->nvm].len = x->rg[i].len;
		x->vm[x->nvm++].id = i;
	}
	ml_ranges_sort(x->vm, x->nvm);
	ml_or_vmstructs(x);
	ml_or_cached_stacks(x);
	if (x->nvm) {
		x->vm_lo = x->vm[0].start;
		x->vm_span = x->vm[x->nvm - 1].start + x->vm[x->nvm - 1].len - x->vm_lo;
	}
	ml_free(a);
}

