/*
 * orphroots.c: the roots of "memleak orphans" (see orphans.c) and the
 * flood fill from them.
 *
 *   - the kernel's .data, .bss and ro_after_init (_sdata.._edata,
 *     __bss_start..__bss_stop, __start_ro_after_init..__end_ro_after_init,
 *     whichever this kernel has);
 *   - each module's data: struct module.mem[MOD_DATA] and
 *     mem[MOD_RO_AFTER_INIT] (v6.4, commit ac3b43283923 "module: replace
 *     module_layout with module_memory"), before that core_layout from
 *     text_size to size (rodata, ro_after_init, data and bss);
 *   - every unit of the first percpu chunk (pcpu_base_addr +
 *     pcpu_unit_offsets[cpu], pcpu_unit_size bytes, every possible cpu);
 *     the dynamic chunks are vmap areas without a page array, scanned as
 *     such (orphobjs.c), as are vmap() and ioremap areas held in RAM;
 *   - every task's kernel stack: task_struct.stack of every allocated
 *     task_struct, THREAD_SIZE bytes (crash's STACKSIZE(), from the
 *     kernel's thread_union); of a task not on a cpu at the dump, only
 *     the live part, from the stack pointer its last switch saved
 *     (thread.sp, arm64's thread.cpu_context.sp) up: below it are dead
 *     frames, whose stale pointers would hold leaked objects;
 *   - every other allocated page: neither free, slab, LRU, page table,
 *     vmalloc'ed nor a tracked page allocation -- memblock and reserved
 *     memory (the struct page array, page_ext, hash tables), and every
 *     page allocation when page_owner is off.
 * The objects a root lies in are held (reached, not scanned as objects);
 * the kernel image and the percpu units are marked in the pfn table so
 * the page pass does not take their pages as root pages again.
 */
#include "collect/collect.h"

struct ml_or_roots {
	struct ml_range *v;	/* id: enum ml_root_kind */
	size_t n, cap;
};

static void ml_or_root_add(struct ml_or_roots *rs, enum ml_root_kind k, ulong start, ulong len)
{
	if (!len)
		return;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 256;
		rs->v = ml_realloc(rs->v, rs->cap * sizeof(*rs->v));
	}
	rs->v[rs->n].start = start;
	rs->v[rs->n].len = len;
	rs->v[rs->n++].id = k;
}

/* the pfns of [vaddr, vaddr + len) (kernel image or direct map): roots */
static void ml_or_mark_root(struct ml_or_ctx *x, ulong vaddr, ulong len)
{
	physaddr_t p0, p1;
	ulong pfn;

	if (!len || !kvtop(NULL, vaddr, &p0, 0) || !kvtop(NULL, vaddr + len - 1, &p1, 0) ||
	    p1 < p0 || p1 - p0 != len - 1)
		return;		/* not physically contiguous: leave it */
	for (pfn = p0 >> x->shift; pfn <= (ulong)(p1 >> x->shift); pfn++) {
		uint32_t *sl = ml_or_pfn_slot(x, pfn);

		if (sl && *sl == ML_PFN_NONE)
			*sl = ML_PFN_ROOT;
	}
}

/* ---- the kernel image ---------------------------------------------------- */

/*
 * [a, a + len) of the image as roots, less what the kernel freed after boot
 * and reuses: x86's unused part of .bss..decrypted, __start_bss_decrypted_unused
 * to __end_bss_decrypted (inside .bss, handed to the page allocator by
 * mem_encrypt_free_decrypted_mem(), "unused decrypted"), and any page the
 * walk found to be a tracked object now (a slab, a page allocation): the
 * image mapping still maps such pages, but their content is no kernel data.
 */
static void ml_or_image_root(struct ml_or_ctx *x, struct ml_or_roots *rs, enum ml_root_kind k,
			     ulong a, ulong len)
{
	ulong psz = 1UL << x->shift, end = a + len, run = a, va;
	ulong fu = 0, fe = 0;
	physaddr_t p0, p1;
	bool contig;

	if (symbol_exists("__start_bss_decrypted_unused") && symbol_exists("__end_bss_decrypted")) {
		fu = symbol_value("__start_bss_decrypted_unused");
		fe = symbol_value("__end_bss_decrypted");
	}
	contig = kvtop(NULL, a, &p0, 0) && kvtop(NULL, end - 1, &p1, 0) && p1 >= p0 &&
		 p1 - p0 == len - 1;
	for (va = a; va < end; va = (va & ~(psz - 1)) + psz) {
		bool gone = fe > fu && va >= fu && va < fe;

		if (!gone && contig) {
			const uint32_t *sl = ml_or_pfn_slot(x, (ulong)((p0 + (va - a)) >> x->shift));

			gone = sl && (*sl == ML_PFN_BACKING || (*sl != ML_PFN_NONE && *sl <= ML_PFN_MAXRG));
		}
		if (!gone)
			continue;
		if (va > run)
			ml_or_root_add(rs, k, run, va - run);
		run = (va & ~(psz - 1)) + psz;
		x->d->image_freed += psz;
	}
	if (end > run)
		ml_or_root_add(rs, k, run, end - run);
}

static void ml_or_kernel(struct ml_or_ctx *x, struct ml_or_roots *rs)
{
	static const char *const sec[][2] = {
		{ "_sdata", "_edata" },
		{ "__bss_start", "__bss_stop" },
		{ "__start_ro_after_init", "__end_ro_after_init" },
	};
	/* scanned through the symbols above; their pages are not root pages */
	static const char *const image[][2] = {
		{ "_text", "_etext" },
		{ "__start_rodata", "__end_rodata" },
	};
	size_t i, found = 0;

	for (i = 0; i < sizeof(sec) / sizeof(sec[0]); i++) {
		ulong a, b;

		if (!symbol_exists((char *)sec[i][0]) || !symbol_exists((char *)sec[i][1]))
			continue;
		a = symbol_value((char *)sec[i][0]);
		b = symbol_value((char *)sec[i][1]);
		if (b <= a || b - a > (1UL << 30))
			continue;
		ml_or_image_root(x, rs, ML_RK_KERNEL, a, b - a);
		ml_or_mark_root(x, a, b - a);
		found++;
	}
	if (!found)
		ml_warn("orphans: none of _sdata/_edata, __bss_start/__bss_stop found: "
			"the kernel's data is no root, every object may look unreferenced");
	for (i = 0; i < sizeof(image) / sizeof(image[0]); i++)
		if (symbol_exists((char *)image[i][0]) && symbol_exists((char *)image[i][1]))
			ml_or_mark_root(x, symbol_value((char *)image[i][0]),
					symbol_value((char *)image[i][1]) -
					symbol_value((char *)image[i][0]));
}

/* ---- modules ------------------------------------------------------------- */

struct ml_or_modwalk {
	struct ml_or_ctx *x;
	struct ml_or_roots *rs;
	char *buf;
	long unformed;
	long data_types[2];	/* MOD_DATA, MOD_RO_AFTER_INIT */
	unsigned long modules;
};

static bool ml_or_module(ulong mod, void *arg)
{
	struct ml_or_modwalk *w = arg;
	const char *b = w->buf;

	if (!ml_read(mod, w->buf, ML_SIZE(module), "struct module"))
		return !ml_interrupted();
	if (ML_HAS(module, state) &&
	    (long)ml_get_uint(b, ML_OFF(module, state), ML_MSIZE(module, state)) == w->unformed)
		return !ml_interrupted();
	w->modules++;
	if (ML_HAS(module, mem)) {
		long es = ML_SIZE(module_memory), nr = ML_MSIZE(module, mem) / es, t;

		for (t = 0; t < nr; t++) {
			long o = ML_OFF(module, mem) + t * es;
			ulong base = ml_get_ulong(b, o + ML_OFF(module_memory, base));
			ulong size = ml_get_uint(b, o + ML_OFF(module_memory, size),
						 ML_MSIZE(module_memory, size));

			if (!base || !size)
				continue;
			ml_or_hold(w->x, base, size);
			if (t == w->data_types[0] || t == w->data_types[1])
				ml_or_root_add(w->rs, ML_RK_MODULE, base, size);
		}
	} else {
		long o = ML_OFF(module, core_layout);
		ulong base = ml_get_ulong(b, o + ML_OFF(module_layout, base));
		ulong text = ml_get_uint(b, o + ML_OFF(module_layout, text_size),
					 ML_MSIZE(module_layout, text_size));
		ulong size = ml_get_uint(b, o + ML_OFF(module_layout, size),
					 ML_MSIZE(module_layout, size));

		if (base && size > text && size < (1UL << 30)) {
			ml_or_hold(w->x, base, size);
			ml_or_root_add(w->rs, ML_RK_MODULE, base + text, size - text);
		}
	}
	return !ml_interrupted();
}

static void ml_or_modules(struct ml_or_ctx *x, struct ml_or_roots *rs)
{
	struct ml_or_modwalk w;
	enum ml_walk_status st;

	if (!symbol_exists("modules") || !ML_HAS(module, list) || ML_SIZE(module) <= 0 ||
	    (!(ML_HAS(module, mem) && ML_HAS(module_memory, base) && ML_HAS(module_memory, size) &&
	       ML_SIZE(module_memory) > 0) &&
	     !(ML_HAS(module, core_layout) && ML_HAS(module_layout, base) &&
	       ML_HAS(module_layout, text_size) && ML_HAS(module_layout, size)))) {
		ml_warn("orphans: struct module's memory layout not found: modules' data is no root");
		return;
	}
	memset(&w, 0, sizeof(w));
	w.x = x;
	w.rs = rs;
	w.buf = ml_alloc(ML_SIZE(module));
	w.unformed = ml_enum_value_or("MODULE_STATE_UNFORMED", -1);
	w.data_types[0] = ml_enum_value_or("MOD_DATA", -1);
	w.data_types[1] = ml_enum_value_or("MOD_RO_AFTER_INIT", -1);
	ml_list_walk(symbol_value("modules"), ML_OFF(module, list), 1 << 16, ml_or_module, &w, &st);
	if (st != ML_WALK_OK)
		ml_warn("orphans: the modules list walk ended early (%s) after %lu modules",
			ml_walk_status_str(st), w.modules);
	ml_free(w.buf);
}

/* ---- percpu and stacks ------------------------------------------------------ */

static void ml_or_percpu(struct ml_or_ctx *x, struct ml_or_roots *rs)
{
	ulong base = 0, offs = 0, usize = 0, ncpu = 0, cpu, chunk = 0, cbase = 0;
	unsigned int npages = 0;

	if (!ml_read_sym_ulong("pcpu_base_addr", &base) || !base ||
	    !ml_read_sym_ulong("pcpu_unit_offsets", &offs) || !offs ||
	    !ml_read_sym_ulong("pcpu_unit_size", &usize) || !usize ||
	    !ml_read_sym_ulong("nr_cpu_ids", &ncpu) || !ncpu || ncpu > (1UL << 16)) {
		ml_warn("orphans: the first percpu chunk was not found (pcpu_base_addr, "
			"pcpu_unit_offsets, pcpu_unit_size): per-cpu data is no root");
		return;
	}
	/* of each unit, only what the first chunk covers: the embedding
	 * (pcpu_embed_first_chunk()) gives the rest of the unit, past the
	 * static, reserved and dynamic areas, back to the page allocator */
	if (ML_HAS(pcpu_chunk, base_addr) && ML_HAS(pcpu_chunk, nr_pages) &&
	    ml_read_sym_ulong("pcpu_first_chunk", &chunk) && chunk &&
	    ml_read_ulong(chunk + ML_OFF(pcpu_chunk, base_addr), &cbase, "pcpu_chunk.base_addr") &&
	    ml_read_uint(chunk + ML_OFF(pcpu_chunk, nr_pages), &npages, "pcpu_chunk.nr_pages") &&
	    cbase <= base && npages) {
		ulong used = (cbase - base) + ((ulong)npages << x->shift);

		if (used && used < usize)
			usize = used;
	}
	for (cpu = 0; cpu < ncpu; cpu++) {
		ulong off;

		if (!ml_read_ulong(offs + cpu * sizeof(ulong), &off, "pcpu_unit_offsets[]"))
			continue;
		ml_or_image_root(x, rs, ML_RK_PERCPU, base + off, usize);
		ml_or_mark_root(x, base + off, usize);
	}
}

static int ml_or_tstack_cmp(const void *a, const void *b)
{
	const struct ml_or_tstack *p = a, *q = b;

	if (p->stack != q->stack)
		return p->stack < q->stack ? -1 : 1;
	return p->sp < q->sp ? -1 : p->sp > q->sp;
}

static void ml_or_stacks(struct ml_or_ctx *x, struct ml_or_roots *rs)
{
	ulong size = STACKSIZE();
	size_t i;

	if (x->task_stack_off < 0 || !size) {
		ml_warn("orphans: task_struct.stack or THREAD_SIZE unknown: kernel stacks are no root");
		return;
	}
	if (!x->ntstacks)
		ml_warn("orphans: no task_struct object found (cache task_struct): only "
			"init_task's stack (in .data) is a root");
	qsort(x->tstacks, x->ntstacks, sizeof(*x->tstacks), ml_or_tstack_cmp);
	for (i = 0; i < x->ntstacks; i++) {
		const struct ml_or_tstack *t = &x->tstacks[i];
		ulong from = t->stack;

		if (i && t->stack == x->tstacks[i - 1].stack)
			continue;	/* the smallest sp first: a shared stack whole */
		/* the live part: from the saved stack pointer (aligned) up */
		if (t->sp > t->stack && t->sp < t->stack + size)
			from = t->sp & ~(ulong)(sizeof(ulong) - 1);
		ml_or_root_add(rs, ML_RK_STACK, from, t->stack + size - from);
		if (t->stack - x->dm_lo < x->dm_span)
			ml_or_mark_root(x, t->stack, size);
	}
}

/* ---- the scan -------------------------------------------------------------- */

static void ml_or_scan_root(struct ml_or_ctx *x, enum ml_root_kind k, ulong start, ulong len)
{
	struct ml_root_stats *s = &x->d->roots[k];
	unsigned long long bad = 0;

	s->ranges++;
	ml_or_hold(x, start, len);
	ml_or_scan_range(x, start, len, &bad);
	s->bytes += len - (bad < len ? bad : len);
	s->unreadable += bad;
}

/*
 * The memmap, a root through its own addresses (vmemmap): its pages are
 * marked so the page pass does not scan them again through the direct
 * map, where a word could no longer be told to lie in the struct page of
 * a tracked page allocation (ml_or_ref_page: those count only when the
 * allocation is scanned; an empty page->lru points to itself).
 */
static void ml_or_memmap(struct ml_or_ctx *x, struct ml_or_roots *rs)
{
	size_t i;

	for (i = 0; i < x->nmm; i++) {
		ulong a, end = x->mm[i].start + x->mm[i].len;

		if (x->mm[i].start - x->dm_lo < x->dm_span)
			continue;	/* FLATMEM: in the direct map, a root page */
		ml_or_root_add(rs, ML_RK_PAGES, x->mm[i].start, x->mm[i].len);
		for (a = x->mm[i].start & ~((1UL << x->shift) - 1); a < end; a += 1UL << x->shift) {
			physaddr_t p;
			uint32_t *sl;

			if (kvtop(NULL, a, &p, 0) && (sl = ml_or_pfn_slot(x, p >> x->shift)) &&
			    *sl == ML_PFN_NONE)
				*sl = ML_PFN_ROOT;
		}
	}
}

void ml_or_roots(struct ml_or_ctx *x)
{
	struct ml_or_roots rs;
	size_t i;

	memset(&rs, 0, sizeof(rs));
	ml_or_progress(x, "roots", 0, 0);
	ml_or_kernel(x, &rs);
	ml_or_modules(x, &rs);
	ml_or_percpu(x, &rs);
	ml_or_stacks(x, &rs);
	ml_or_memmap(x, &rs);
	/* the objects are complete once the pages are classified */
	ml_or_page_pass(x);
	x->work = ml_alloc((x->nrg + 1) * sizeof(uint32_t));
	x->pend = ml_alloc((x->nrg + 1) * sizeof(uint32_t));
	/* every root held before any is scanned: a root inside a tracked
	 * object (a task's live stack in its vmalloc'ed stack) is scanned as
	 * the root says, never whole because another root's scan reached the
	 * object first (the kernel's .data reaches every task_struct, and
	 * task_struct.stack the stack's area) */
	for (i = 0; i < rs.n; i++)
		ml_or_hold(x, rs.v[i].start, rs.v[i].len);
	for (i = 0; i < rs.n && !ml_interrupted(); i++) {
		ml_or_scan_root(x, rs.v[i].id, rs.v[i].start, rs.v[i].len);
		ml_or_drain(x);
	}
	for (i = 0; i < x->nvroots && !ml_interrupted(); i++) {
		ml_or_scan_root(x, ML_RK_VMAP, x->vroots[i].start, x->vroots[i].len);
		ml_or_drain(x);
	}
	for (i = 0; i < x->nproots && !ml_interrupted(); i++) {
		ulong pfn = x->proots[i].start, n = x->proots[i].len;
		unsigned long long bad;
		ulong va = ml_ptov((physaddr_t)pfn << x->shift);

		if (va - x->dm_lo >= x->dm_span)
			continue;	/* highmem: not in the direct map */
		bad = x->d->roots[ML_RK_PAGES].unreadable;
		ml_or_scan_root(x, ML_RK_PAGES, va, n << x->shift);
		bad = x->d->roots[ML_RK_PAGES].unreadable - bad;
		if (bad && x->proots[i].id)
			x->d->reserved_unreadable += bad;
		else if (bad && x->d->nmissing < sizeof(x->d->missing) / sizeof(x->d->missing[0]))
			x->d->missing[x->d->nmissing++] = x->proots[i];
		if (i % 64 == 0)
			ml_or_progress(x, "root pages", i, x->nproots);
		ml_or_drain(x);
	}
	ml_free(rs.v);
}
