/*
 * pageowner.c: "memleak pageowner" -- page_owner records grouped by stack,
 * pid, comm or module, like tools/mm/page_owner_sort --cull, from the dump.
 *
 * The walk mirrors mm/page_owner.c read_page_owner(): every valid pfn, a
 * buddy block skipped whole, the page_ext entry (mm/page_ext.c) tested for
 * PAGE_EXT_OWNER and PAGE_EXT_OWNER_ALLOCATED (bit numbers from the
 * kernel's enum page_ext_flags), tail pages of an allocation skipped
 * (pfn not aligned to its order), records without a stack skipped. Each
 * allocation counts once, 1 << order pages.
 *
 * Memory is read in bulk: the struct pages and the page_ext entries of a
 * whole section (or, FLATMEM, of a chunk of a node) per read; stacks come
 * from the shared depot decoder (depot.c), each handle decoded and
 * symbolized once. Memory grows with the number of stacks, not pages.
 *
 * struct page_owner gained members over time, each read only where
 * debuginfo has it: pid and ts_nsec in v5.11 (commit 9cc7e96aa846
 * "mm/page_owner: record timestamp and pid"), free_ts_nsec in v5.13
 * (commit 866b48526217 "mm/page_owner: record the timestamp of all pages
 * during free"), tgid and comm in v5.18 (commits bf215eab785a
 * "mm/page_owner.c: record tgid" and 865ed6a32786 "mm/page_owner: record
 * task command name"), free_pid/free_tgid in v6.8. The per-stack counts of
 * v6.9 (commit 217b2119b9e2 "mm,page_owner: implement the tracking of the
 * stacks count": stack_list, stack_record.count) are used as a cross-check.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <time.h>

struct ml_po_opts {
	bool json, unaccounted, freed;
	bool alloc_stack;	/* --freed: group by the stack that allocated */
	bool pfns;		/* --pfns: list each allocation's pfn (JSON) */
	enum ml_po_cull cull;
	enum ml_po_sort sort;
	long top;		/* 0: all */
	bool have_pid, have_order;
	long pid, order;
	const char *comm, *gfp, *module;
	uint64_t gfp_mask;
};

/* what the kernel keeps for a stack (a handle), decoded once */
struct ml_po_stack {
	uint32_t handle;
	enum ml_depot_status st;
	const ulong *entries;
	unsigned int nr;
	const char *module;	/* innermost frame in a module, NULL: vmlinux */
	bool in_module;		/* some frame in o->module (--module) */
	UT_hash_handle hh;
};

struct ml_po_ctx {
	struct ml_po_opts o;
	struct ml_page_bits bits;
	long page_size;		/* sizeof(struct page) */
	long ext_size, owner_off;
	int bit_owner, bit_allocated;
	struct ml_flag_name *gfp_names;
	size_t nr_gfp_names;
	uint32_t special[3];	/* early_handle, dummy_handle, failure_handle */
	ulong *vm_pfns;		/* sorted pfns of vmalloc'ed pages */
	size_t nr_vm_pfns, vm_cursor;
	bool vm_known;
	struct ml_po_stack *stacks;
	struct ml_po_groups *groups;
	/* totals */
	unsigned long allocations, pages, class_pages[ML_PO_NCLASS];
	unsigned long no_stack, buddy_allocated, special_pages, filtered;
	ulong *stale;		/* --pfns: pfn, order of those free blocks */
	size_t nr_stale, cap_stale;
	unsigned long pfns, chunks, unreadable_pages, unreadable_ext;
	unsigned long stack_list_ok, stack_list_differ;
	bool interrupted;
};

/* ---- one-line reasons ----------------------------------------------- */

/* NULL if page_owner records can be read, else one line: what and how to fix */
static const char *ml_po_unavailable(void)
{
	const char *d;

	if (!ml_feat.page_owner_compiled)
		return "page_owner is not compiled in (kernel built without CONFIG_PAGE_OWNER): "
		       "rebuild with CONFIG_PAGE_OWNER=y and boot with page_owner=on";
	if (ml_feat.page_owner_enabled == ML_NO)
		return "page_owner is compiled in but was not enabled at boot (page_owner_inited "
		       "is off): boot with page_owner=on";
	if (ml_feat.page_owner_enabled != ML_YES)
		return "page_owner state unknown (page_owner_inited not readable in this dump)";
	d = ml_depot_unavailable();
	if (d && ml_feat.depot_disabled == ML_YES)
		return "the stack depot was disabled at boot (stack_depot_disable=on), page_owner "
		       "recorded no stacks: boot without stack_depot_disable=on";
	if (d)
		return d;
	if (ml_feat.page_ext_size <= 0 || ml_feat.page_owner_offset < 0 ||
	    ml_feat.page_ext_owner_bit < 0 || ml_feat.page_ext_owner_allocated_bit < 0)
		return "page_ext layout not found in debuginfo (page_ext_size, page_owner_ops.offset, "
		       "PAGE_EXT_OWNER*)";
	return NULL;
}

/* ---- the kernel's constants ------------------------------------------ */

static void ml_po_page_bits(struct ml_page_bits *b)
{
	long v;

	b->pg_slab = ml_pg_bit("PG_slab");	/* a page type from v6.10 */
	b->pg_lru = ml_pg_bit("PG_lru");
	b->pg_swapbacked = ml_pg_bit("PG_swapbacked");
	b->type_buddy = b->type_table = b->type_slab = -1;
	/* v6.12: the page type is the top byte of page_type (enum pagetype) */
	if ((v = ml_enum_value_or("PGTY_buddy", -1)) >= 0) {
		b->type_top_byte = true;
		b->type_buddy = v;
		b->type_table = ml_enum_value_or("PGTY_table", -1);
		b->type_slab = ml_enum_value_or("PGTY_slab", -1);
		return;
	}
	/* before: page_type is ~PG_x for a page of type x (one type at a
	 * time); crash_core.c exports PAGE_BUDDY_MAPCOUNT_VALUE (~PG_buddy)
	 * and, once slab became a page type, PAGE_SLAB_MAPCOUNT_VALUE */
	b->type_buddy = ml_vmcoreinfo_long("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", &v)
		? (int64_t)(uint32_t)v : (int64_t)(uint32_t)~0x80U;
	if (ml_vmcoreinfo_long("NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", &v)) {
		b->type_slab = (uint32_t)v;
	} else {
		/* PG_table is 0x200 from v5.9 (PG_kmemcg gone) until the page
		 * types moved to the top bits; no VMCOREINFO entry for it */
		b->type_table = (uint32_t)~0x200U;
	}
}

/* gfpflag_names[] (mm/debug.c): struct trace_print_flags { mask; name; },
 * ended by { 0, NULL }; its length is not in the debuginfo of every unit
 * (an extern array of unknown size), so read until the terminator */
static void ml_po_gfp_names(struct ml_po_ctx *c)
{
	enum { ML_GFP_MAX = 128, ML_GFP_BATCH = 16 };
	ulong raw[2 * ML_GFP_BATCH], base;
	long i, esz = 2 * sizeof(ulong);

	if (!symbol_exists("gfpflag_names"))
		return;
	base = symbol_value("gfpflag_names");
	c->gfp_names = ml_alloc(ML_GFP_MAX * sizeof(*c->gfp_names));
	for (i = 0; i < ML_GFP_MAX; i++) {
		char name[64];
		long k = i % ML_GFP_BATCH;

		if (k == 0 && !ml_read(base + i * esz, raw, sizeof(raw), "gfpflag_names"))
			return;
		if (!raw[2 * k + 1])
			return;
		if (!ml_read_cstring(raw[2 * k + 1], name, sizeof(name), "gfpflag name"))
			continue;
		c->gfp_names[c->nr_gfp_names].mask = raw[2 * k];
		c->gfp_names[c->nr_gfp_names].name = ml_strdup(name);
		c->nr_gfp_names++;
	}
}

static const char *ml_po_gfp_str(const struct ml_po_ctx *c, uint32_t gfp, char *buf, size_t len)
{
	char names[512];

	snprintf(buf, len, "0x%x(%s)", gfp,
		 ml_gfp_format(gfp, c->gfp_names, c->nr_gfp_names, names, sizeof(names)));
	return buf;
}

/* ---- vmalloc'ed pages: vmap_area_list ---------------------------------- */

struct ml_po_chunk {
	ulong pfn0, npfn;
	ulong mem_map;		/* struct page of pfn0 */
	ulong ext;		/* page_ext entry of pfn0, 0: none */
};

static int ml_ulong_cmp(const void *a, const void *b)
{
	ulong x = *(const ulong *)a, y = *(const ulong *)b;

	return x < y ? -1 : x > y;
}

struct ml_po_vmwalk {
	struct ml_po_ctx *c;
	const struct ml_po_chunk *chunks;
	size_t nchunks;
	size_t cap;
};

/* pfn of a struct page address, -1 if in no chunk's mem_map */
static long ml_po_page_pfn(const struct ml_po_chunk *ch, size_t n, long psz, ulong page)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (page < ch[mid].mem_map)
			hi = mid;
		else if (page >= ch[mid].mem_map + ch[mid].npfn * psz)
			lo = mid + 1;
		else
			return ch[mid].pfn0 + (page - ch[mid].mem_map) / psz;
	}
	return -1;
}

static int ml_chunk_mm_cmp(const void *a, const void *b)
{
	const struct ml_po_chunk *x = a, *y = b;

	return x->mem_map < y->mem_map ? -1 : x->mem_map > y->mem_map;
}

static bool ml_po_vmarea(ulong va, void *arg)
{
	struct ml_po_vmwalk *w = arg;
	struct ml_po_ctx *c = w->c;
	ulong vm = 0, pages = 0, *pp;
	unsigned int nr = 0;
	unsigned int i;

	if (!ml_read_ulong(va + ML_OFF(vmap_area, vm), &vm, "vmap_area.vm") || !vm)
		return true;
	if (!ml_read_ulong(vm + ML_OFF(vm_struct, pages), &pages, "vm_struct.pages") || !pages ||
	    !ml_read_uint(vm + ML_OFF(vm_struct, nr_pages), &nr, "vm_struct.nr_pages") ||
	    !nr || nr > (1U << 26))
		return true;
	pp = ml_alloc(nr * sizeof(ulong));
	if (ml_read(pages, pp, nr * sizeof(ulong), "vm_struct.pages[]")) {
		for (i = 0; i < nr; i++) {
			long pfn = ml_po_page_pfn(w->chunks, w->nchunks, c->page_size, pp[i]);

			if (pfn < 0)
				continue;
			if (c->nr_vm_pfns == w->cap) {
				w->cap = w->cap ? 2 * w->cap : 4096;
				c->vm_pfns = ml_realloc(c->vm_pfns, w->cap * sizeof(ulong));
			}
			c->vm_pfns[c->nr_vm_pfns++] = pfn;
		}
	}
	ml_free(pp);
	return !ml_interrupted();
}

static void ml_po_vmalloc(struct ml_po_ctx *c, const struct ml_po_chunk *chunks, size_t n)
{
	struct ml_po_vmwalk w = { c, NULL, 0, 0 };
	struct ml_po_chunk *sorted;
	enum ml_walk_status st;

	/* vmap_area_list went away with the per-node vmap areas (v6.9) */
	if (!symbol_exists("vmap_area_list") || !ML_HAS(vmap_area, list) ||
	    !ML_HAS(vmap_area, vm) || !ML_HAS(vm_struct, pages) || !ML_HAS(vm_struct, nr_pages))
		return;
	sorted = ml_alloc(n * sizeof(*sorted));
	memcpy(sorted, chunks, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), ml_chunk_mm_cmp);
	w.chunks = sorted;
	w.nchunks = n;
	ml_list_walk(symbol_value("vmap_area_list"), ML_OFF(vmap_area, list), 1UL << 24,
		     ml_po_vmarea, &w, &st);
	c->vm_known = st == ML_WALK_OK;
	if (c->nr_vm_pfns)
		qsort(c->vm_pfns, c->nr_vm_pfns, sizeof(ulong), ml_ulong_cmp);
	ml_free(sorted);
}

/* pfns are visited in increasing order: a cursor over the sorted set */
static bool ml_po_is_vmalloc(struct ml_po_ctx *c, ulong pfn)
{
	while (c->vm_cursor < c->nr_vm_pfns && c->vm_pfns[c->vm_cursor] < pfn)
		c->vm_cursor++;
	return c->vm_cursor < c->nr_vm_pfns && c->vm_pfns[c->vm_cursor] == pfn;
}

/* ---- the pfn ranges: sections, or FLATMEM nodes ------------------------ */

static struct ml_po_chunk *ml_po_chunks(struct ml_po_ctx *c, size_t *n)
{
	struct ml_po_chunk *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (IS_SPARSEMEM()) {
		ulong nr, pps = PAGES_PER_SECTION();

		for (nr = 0; nr <= vt->max_mem_section_nr; nr++) {
			ulong ms = valid_section_nr(nr), ext = 0, mm = 0;

			if (!ms)
				continue;
			if (!phys_to_page(PTOB(nr * pps), &mm) || !mm)
				continue;
			if (ML_HAS(mem_section, page_ext))
				ml_read_ulong(ms + ML_OFF(mem_section, page_ext), &ext,
					      "mem_section.page_ext");
			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				v = ml_realloc(v, cap * sizeof(*v));
			}
			v[*n].pfn0 = nr * pps;
			v[*n].npfn = pps;
			v[*n].mem_map = mm;
			v[*n].ext = ml_page_ext_sparse(ext, nr * pps, c->ext_size);
			(*n)++;
		}
		return v;
	}
	/* FLATMEM: pgdat->node_page_ext, from the node's first pfn rounded
	 * down to MAX_ORDER_NR_PAGES (1 << the largest order) */
	{
		int i;
		ulong step = 1UL << 15;

		for (i = 0; i < vt->numnodes; i++) {
			struct node_table *nt = &vt->node_table[i];
			ulong start = nt->start_paddr >> PAGESHIFT(), npfn = nt->size, off;
			ulong npe = 0;

			if (ML_HAS(pglist_data, node_page_ext))
				ml_read_ulong(nt->pgdat + ML_OFF(pglist_data, node_page_ext), &npe,
					      "pglist_data.node_page_ext");
			for (off = 0; off < npfn; off += step) {
				if (*n == cap) {
					cap = cap ? 2 * cap : 64;
					v = ml_realloc(v, cap * sizeof(*v));
				}
				v[*n].pfn0 = start + off;
				v[*n].npfn = npfn - off < step ? npfn - off : step;
				v[*n].mem_map = nt->mem_map + off * c->page_size;
				v[*n].ext = ml_page_ext_flat(npe, start, start + off,
							     1UL << (ml_feat.nr_orders - 1), c->ext_size);
				(*n)++;
			}
		}
	}
	return v;
}

/* read len bytes in one go, else page by page: ok[] marks what was read */
static bool ml_po_bulk(ulong addr, char *buf, ulong len, const char *what,
		       unsigned long *bad_bytes)
{
	ulong off;
	bool any = false;

	if (ml_read(addr, buf, len, what))
		return true;
	for (off = 0; off < len;) {
		ulong chunk = PAGESIZE() - ((addr + off) & (PAGESIZE() - 1));

		if (chunk > len - off)
			chunk = len - off;
		if (ml_read(addr + off, buf + off, chunk, what)) {
			any = true;
		} else {
			memset(buf + off, 0, chunk);
			*bad_bytes += chunk;
		}
		off += chunk;
	}
	return any;
}

/* ---- stacks ------------------------------------------------------------ */

static struct ml_po_stack *ml_po_stack(struct ml_po_ctx *c, uint32_t handle)
{
	struct ml_po_stack *s;
	unsigned int i;

	HASH_FIND(hh, c->stacks, &handle, sizeof(handle), s);
	if (s)
		return s;
	s = ml_alloc(sizeof(*s));
	s->handle = handle;
	s->st = ml_depot_fetch(handle, &s->entries, &s->nr);
	for (i = 0; i < s->nr; i++) {
		const struct ml_sym *sym = ml_sym_lookup(s->entries[i]);

		if (!sym->module)
			continue;
		if (!s->module)
			s->module = sym->module;
		if (c->o.module && strcmp(sym->module, c->o.module) == 0)
			s->in_module = true;
	}
	if (c->o.module && strcmp(c->o.module, "vmlinux") == 0)
		s->in_module = !s->module;
	HASH_ADD(hh, c->stacks, handle, sizeof(handle), s);
	return s;
}

static bool ml_po_special(const struct ml_po_ctx *c, uint32_t handle)
{
	int i;

	for (i = 0; i < 3; i++)
		if (c->special[i] && c->special[i] == handle)
			return true;
	return false;
}

static const char *ml_po_special_name(const struct ml_po_ctx *c, uint32_t handle)
{
	static const char *const names[3] = {
		"allocated before page_owner was initialised (early_handle)",
		"allocated by page_owner itself (dummy_handle)",
		"the stack could not be saved (failure_handle)",
	};
	int i;

	for (i = 0; i < 3; i++)
		if (c->special[i] && c->special[i] == handle)
			return names[i];
	return NULL;
}

/* ---- the walk ---------------------------------------------------------- */

static void ml_po_record(struct ml_po_ctx *c, ulong pfn, const char *page, const char *owner,
			 uint32_t handle)
{
	struct ml_po_rec r = { 0 };
	struct ml_po_stack *s;
	ulong mapping = 0;
	uint64_t flags = 0;
	uint32_t page_type = 0;
	long off;

	r.handle = handle;
	r.pfn = pfn;
	r.order = ml_get_uint(owner, ML_OFF(page_owner, order), ML_MSIZE(page_owner, order));
	if (ML_HAS(page_owner, gfp_mask))
		r.gfp = ml_get_uint(owner, ML_OFF(page_owner, gfp_mask), 4);
	if (ML_HAS(page_owner, pid))
		r.pid = (int)ml_get_uint(owner, ML_OFF(page_owner, pid), 4);
	if (ML_HAS(page_owner, tgid))
		r.tgid = (int)ml_get_uint(owner, ML_OFF(page_owner, tgid), 4);
	if (ML_HAS(page_owner, comm)) {
		long n = ML_MSIZE(page_owner, comm);

		memcpy(r.comm, owner + ML_OFF(page_owner, comm),
		       n > 0 && n < (long)sizeof(r.comm) ? n : (long)sizeof(r.comm) - 1);
	}
	off = c->o.freed ? ML_OFF(page_owner, free_ts_nsec) : ML_OFF(page_owner, ts_nsec);
	if (off >= 0)
		r.ts_nsec = ml_get_uint(owner, off, 8);

	flags = ml_get_ulong(page, ML_OFF(page, flags));
	if (ml_feat.page_type_off >= 0)
		page_type = ml_get_u32(page, ml_feat.page_type_off);
	if (ML_HAS(page, mapping))
		mapping = ml_get_ulong(page, ML_OFF(page, mapping));
	/* a freed page is on the buddy or the per-cpu free lists */
	r.cls = c->o.freed ? ML_PO_FREE
		: ml_page_class(&c->bits, flags, page_type, mapping,
				c->nr_vm_pfns && ml_po_is_vmalloc(c, pfn));

	/* filters */
	if (c->o.unaccounted && (r.cls != ML_PO_OTHER || ml_po_special(c, handle)))
		goto filtered;
	if (c->o.have_pid && r.pid != c->o.pid)
		goto filtered;
	if (c->o.have_order && (long)r.order != c->o.order)
		goto filtered;
	if (c->o.comm && strncmp(r.comm, c->o.comm, sizeof(r.comm)) != 0)
		goto filtered;
	if (c->o.gfp && (r.gfp & c->o.gfp_mask) != c->o.gfp_mask)
		goto filtered;
	s = ml_po_stack(c, handle);
	if (c->o.module && !s->in_module)
		goto filtered;
	r.module = s->module ? s->module : "vmlinux";

	ml_po_add(c->groups, &r);
	c->allocations++;
	c->pages += 1UL << r.order;
	c->class_pages[r.cls] += 1UL << r.order;
	if (ml_po_special(c, handle))
		c->special_pages += 1UL << r.order;
	return;
filtered:
	c->filtered++;
}

static void ml_po_walk(struct ml_po_ctx *c, const struct ml_po_chunk *ch, size_t n)
{
	long psz = c->page_size, esz = c->ext_size;
	long off_type = ml_feat.page_type_off;
	long off_priv = ML_OFF(page, private), off_eflags = ML_OFF(page_ext, flags);
	long off_handle = c->o.freed && !c->o.alloc_stack ? ML_OFF(page_owner, free_handle)
							   : ML_OFF(page_owner, handle);
	ulong skip_to = 0;
	char *pages = NULL, *exts = NULL;
	ulong cap = 0;
	size_t k;

	if (off_eflags < 0)
		off_eflags = 0;
	for (k = 0; k < n; k++) {
		const struct ml_po_chunk *x = &ch[k];
		unsigned long badp = 0, bade = 0;
		ulong i;

		if (ml_interrupted()) {
			c->interrupted = true;
			break;
		}
		if (!x->ext)
			continue;
		if (x->npfn > cap) {
			ml_free(pages);
			ml_free(exts);
			cap = x->npfn;
			pages = ml_alloc(cap * psz);
			exts = ml_alloc(cap * esz);
		}
		c->chunks++;
		c->pfns += x->npfn;
		if (!ml_po_bulk(x->mem_map, pages, x->npfn * psz, "struct page", &badp) ||
		    !ml_po_bulk(x->ext, exts, x->npfn * esz, "page_ext", &bade)) {
			c->unreadable_pages += x->npfn;
			continue;
		}
		c->unreadable_pages += badp / psz;
		c->unreadable_ext += bade / esz;
		for (i = 0; i < x->npfn; i++) {
			ulong pfn = x->pfn0 + i;
			const char *page = pages + i * psz, *ext = exts + i * esz, *owner;
			uint64_t eflags;
			unsigned int order;
			uint32_t handle;

			if (pfn < skip_to)
				continue;
			if (off_type >= 0 && ml_page_is_buddy(&c->bits, ml_get_u32(page, off_type))) {
				ulong o = off_priv >= 0 ? ml_get_ulong(page, off_priv) : 0;
				/* read_page_owner() skips a free block whole */
				if (!c->o.freed && o < (ulong)ml_feat.nr_orders)
					skip_to = pfn + (1UL << o);
				eflags = ml_get_ulong(ext, off_eflags);
				if (!c->o.freed && (eflags >> c->bit_owner & 1) &&
				    (eflags >> c->bit_allocated & 1)) {
					c->buddy_allocated++;
					if (c->o.pfns) {
						if (c->nr_stale + 2 > c->cap_stale) {
							c->cap_stale = c->cap_stale ? 2 * c->cap_stale : 16;
							c->stale = ml_realloc(c->stale, c->cap_stale * sizeof(ulong));
						}
						c->stale[c->nr_stale++] = pfn;
						c->stale[c->nr_stale++] = o;
					}
				}
				if (!c->o.freed)
					continue;
			}
			eflags = ml_get_ulong(ext, off_eflags);
			if (!(eflags >> c->bit_owner & 1))
				continue;
			if (!!(eflags >> c->bit_allocated & 1) == c->o.freed)
				continue;
			owner = ext + c->owner_off;
			order = ml_get_uint(owner, ML_OFF(page_owner, order),
					    ML_MSIZE(page_owner, order));
			if (order >= 64 || (pfn & ((1UL << order) - 1)))
				continue;
			handle = ml_get_u32(owner, off_handle);
			if (!handle) {
				c->no_stack += 1UL << order;
				continue;
			}
			ml_po_record(c, pfn, page, owner, handle);
		}
	}
}

/* v6.9+: the kernel's own per-stack page counts (stack_list) */
static void ml_po_stack_list(struct ml_po_ctx *c)
{
	ulong s = 0;
	unsigned long n = 0;
	struct ml_po_group **v;
	size_t nv, i;

	if (!ml_feat.page_owner_stack_list || c->o.freed || c->o.cull != ML_PO_BY_STACK ||
	    c->o.unaccounted || c->o.have_pid || c->o.have_order || c->o.comm || c->o.gfp ||
	    c->o.module || !ML_HAS(stack, stack_record) || !ML_HAS(stack, next) ||
	    !ML_HAS(stack_record, handle))
		return;
	v = ml_po_sorted(c->groups, ML_PO_SORT_PAGES, &nv);
	if (!ml_read_ulong(symbol_value("stack_list"), &s, "stack_list"))
		return;
	while (s && n++ < (1UL << 20) && !ml_interrupted()) {
		ulong rec = 0;
		uint32_t handle = 0;
		int count = 0;

		if (!ml_read_ulong(s + ML_OFF(stack, stack_record), &rec, "stack.stack_record"))
			break;
		if (rec && ml_read(rec + ML_OFF(stack_record, handle), &handle, 4, "stack_record.handle") &&
		    ml_read(rec + ML_OFF(stack_record, count), &count, 4, "stack_record.count")) {
			unsigned long ours = 0;

			for (i = 0; i < nv; i++)
				if (v[i]->key.handle == handle)
					ours = v[i]->pages;
			/* refcount_t count starts at 1 and adds 1 << order per allocation */
			if (count > 1 || ours) {
				if ((unsigned long)(count - 1) == ours)
					c->stack_list_ok++;
				else
					c->stack_list_differ++;
			}
		}
		if (!ml_read_ulong(s + ML_OFF(stack, next), &s, "stack.next"))
			break;
	}
}

/* ---- output ------------------------------------------------------------ */

static const char *ml_po_cull_name(enum ml_po_cull c)
{
	switch (c) {
	case ML_PO_BY_STACK: return "stacktrace";
	case ML_PO_BY_PID: return "pid";
	case ML_PO_BY_COMM: return "comm";
	case ML_PO_BY_MODULE: return "module";
	}
	return "?";
}

static const char *ml_po_sort_name(enum ml_po_sort s)
{
	switch (s) {
	case ML_PO_SORT_PAGES: return "pages";
	case ML_PO_SORT_ALLOCS: return "allocations";
	case ML_PO_SORT_TS: return "timestamp";
	}
	return "?";
}

static void ml_po_print_stack(struct ml_po_ctx *c, uint32_t handle)
{
	struct ml_po_stack *s = ml_po_stack(c, handle);
	const char *sp = ml_po_special_name(c, handle);
	unsigned int i;

	if (s->st != ML_DEPOT_OK) {
		fprintf(fp, " (stack %#x: %s)\n", handle, ml_depot_status_str(s->st));
		return;
	}
	for (i = 0; i < s->nr; i++)
		fprintf(fp, " %s\n", ml_symbolize(s->entries[i]));
	if (sp)
		fprintf(fp, " (%s)\n", sp);
}

static void ml_po_text(struct ml_po_ctx *c, struct ml_po_group **v, size_t nv, double secs)
{
	char buf[256], b2[64];
	size_t i, shown = c->o.top > 0 && (size_t)c->o.top < nv ? (size_t)c->o.top : nv;
	int k;

	fprintf(fp, "page_owner: %lu %s, %lu pages (%s) in %zu %s%s%s\n", c->allocations,
		c->o.freed ? "freed allocations" : "allocations", c->pages,
		ml_human_bytes((unsigned long long)c->pages * PAGESIZE(), b2, sizeof(b2)), nv,
		c->o.cull == ML_PO_BY_STACK ? "stacks" : "groups",
		c->o.unaccounted ? ", class \"other\" only (unaccounted)" : "",
		!c->o.freed ? "" : c->o.alloc_stack ? ", grouped by the stack that allocated them"
		: ", grouped by the stack that freed them");
	fprintf(fp, "  pages by class:");
	for (k = 0; k < ML_PO_NCLASS; k++)
		if (c->class_pages[k])
			fprintf(fp, " %s %lu", ml_po_class_name(k), c->class_pages[k]);
	fputc('\n', fp);
	if (c->special_pages && !c->o.unaccounted)
		fprintf(fp, "  %lu pages carry the kernel's placeholder stacks (early_handle: "
			"allocated before page_owner was ready)\n", c->special_pages);
	if (c->o.unaccounted)
		fprintf(fp, "  placeholder stacks (early_handle, dummy_handle, failure_handle) "
			"are left out: their pages were not allocated through a recorded path\n");
	if (c->no_stack)
		fprintf(fp, "  %lu pages with no stack recorded (handle 0), not counted\n", c->no_stack);
	if (c->buddy_allocated)
		fprintf(fp, "  %lu free block(s) still marked allocated, skipped as the kernel does\n",
			c->buddy_allocated);
	if (c->unreadable_pages || c->unreadable_ext)
		fprintf(fp, "  not in the dump: %lu struct pages, %lu page_ext entries\n",
			c->unreadable_pages, c->unreadable_ext);
	if (!c->vm_known)
		fprintf(fp, "  vmalloc pages not identified (vmap_area_list not walked): counted as other\n");
	if (c->stack_list_ok || c->stack_list_differ)
		fprintf(fp, "  kernel's stack_list counts: %lu stacks agree, %lu differ\n",
			c->stack_list_ok, c->stack_list_differ);
	if (c->interrupted)
		fprintf(fp, "  INTERRUPTED: partial result\n");
	fprintf(fp, "  (%lu pfns walked in %.2f s)\n", c->pfns, secs);

	for (i = 0; i < shown; i++) {
		struct ml_po_group *g = v[i];

		fprintf(fp, "\n%lu times, %lu pages (%s), order%s %s", g->allocations, g->pages,
			ml_human_bytes((unsigned long long)g->pages * PAGESIZE(), b2, sizeof(b2)),
			(g->orders & (g->orders - 1)) ? "s" : "",
			ml_po_orders_str(g->orders, buf, sizeof(buf)));
		/* gfp masks per stack; a pid, comm or module has too many */
		for (k = 0; c->o.cull == ML_PO_BY_STACK && k < g->nr_gfp; k++)
			fprintf(fp, "%s%s", k ? ", " : ", mask ",
				ml_po_gfp_str(c, g->gfp[k], buf, sizeof(buf)));
		if (c->o.cull == ML_PO_BY_STACK && g->gfp_more)
			fprintf(fp, ", ...");
		fprintf(fp, ",");
		for (k = 0; k < ML_PO_NCLASS; k++)
			if (g->class_pages[k])
				fprintf(fp, " %s %lu", ml_po_class_name(k), g->class_pages[k]);
		switch (c->o.cull) {
		case ML_PO_BY_STACK:
			fprintf(fp, ":\n");
			ml_po_print_stack(c, g->handle);
			break;
		case ML_PO_BY_PID:
			fprintf(fp, ", PID %d, TGID %d, task_comm_name: %s\n", g->key.pid, g->tgid,
				g->comm);
			break;
		case ML_PO_BY_COMM:
			fprintf(fp, ", task_comm_name: %s\n", g->key.name);
			break;
		case ML_PO_BY_MODULE:
			fprintf(fp, ", module: %s\n", g->key.name);
			break;
		}
	}
	if (shown < nv)
		fprintf(fp, "\n(%zu more %s not shown: --top %ld)\n", nv - shown,
			c->o.cull == ML_PO_BY_STACK ? "stacks" : "groups", c->o.top);
}

static void ml_po_json(struct ml_po_ctx *c, struct ml_po_group **v, size_t nv, double secs)
{
	struct ml_json j;
	char buf[512];
	size_t i, shown = c->o.top > 0 && (size_t)c->o.top < nv ? (size_t)c->o.top : nv;
	int k;

	mj_init(&j, fp, true);
	mj_obj(&j, NULL);
	mj_str(&j, "cull", ml_po_cull_name(c->o.cull));
	mj_str(&j, "sort", ml_po_sort_name(c->o.sort));
	mj_str(&j, "records", c->o.freed ? "freed" : "allocated");
	if (c->o.freed)
		mj_str(&j, "stack_of", c->o.alloc_stack ? "allocation" : "free");
	mj_bool(&j, "unaccounted", c->o.unaccounted);
	mj_uint(&j, "total_allocations", c->allocations);
	mj_uint(&j, "total_pages", c->pages);
	mj_uint(&j, "groups", nv);
	mj_obj(&j, "classes");
	for (k = 0; k < ML_PO_NCLASS; k++)
		mj_uint(&j, ml_po_class_name(k), c->class_pages[k]);
	mj_obj_end(&j);
	mj_uint(&j, "placeholder_pages", c->special_pages);
	mj_uint(&j, "no_stack_pages", c->no_stack);
	mj_uint(&j, "free_blocks_marked_allocated", c->buddy_allocated);
	if (c->o.pfns && !c->o.freed) {
		size_t p;

		/* [pfn, order] of each (--pfns) */
		mj_arr(&j, "free_blocks_marked_allocated_pfns");
		for (p = 0; p + 1 < c->nr_stale; p += 2)
			fprintf(fp, "%s[%lu,%lu]", p ? "," : "", c->stale[p], c->stale[p + 1]);
		mj_arr_end(&j);
	}
	mj_uint(&j, "pfns", c->pfns);
	mj_uint(&j, "unreadable_pages", c->unreadable_pages);
	mj_uint(&j, "unreadable_page_ext", c->unreadable_ext);
	mj_bool(&j, "vmalloc_identified", c->vm_known);
	if (c->stack_list_ok || c->stack_list_differ) {
		mj_obj(&j, "stack_list");
		mj_uint(&j, "agree", c->stack_list_ok);
		mj_uint(&j, "differ", c->stack_list_differ);
		mj_obj_end(&j);
	}
	mj_bool(&j, "interrupted", c->interrupted);
	mj_double(&j, "seconds", secs, 3);
	mj_arr(&j, "stacks");
	for (i = 0; i < shown; i++) {
		struct ml_po_group *g = v[i];
		struct ml_po_stack *s = ml_po_stack(c, g->handle);
		const char *sp = ml_po_special_name(c, g->handle);
		unsigned int f;

		mj_obj(&j, NULL);
		mj_uint(&j, "allocations", g->allocations);
		mj_uint(&j, "pages", g->pages);
		switch (c->o.cull) {
		case ML_PO_BY_STACK: break;
		case ML_PO_BY_PID:
			mj_int(&j, "pid", g->key.pid);
			mj_int(&j, "tgid", g->tgid);
			mj_str(&j, "comm", g->comm);
			break;
		case ML_PO_BY_COMM: mj_str(&j, "comm", g->key.name); break;
		case ML_PO_BY_MODULE: mj_str(&j, "module", g->key.name); break;
		}
		mj_arr(&j, "orders");
		for (k = 0; k < 32; k++)
			if (g->orders >> k & 1)
				mj_int(&j, NULL, k);
		mj_arr_end(&j);
		mj_arr(&j, "gfp");
		for (k = 0; k < g->nr_gfp; k++)
			mj_str(&j, NULL, ml_po_gfp_str(c, g->gfp[k], buf, sizeof(buf)));
		mj_arr_end(&j);
		mj_obj(&j, "classes");
		for (k = 0; k < ML_PO_NCLASS; k++)
			if (g->class_pages[k])
				mj_uint(&j, ml_po_class_name(k), g->class_pages[k]);
		mj_obj_end(&j);
		mj_uint(&j, "ts_min_nsec", g->ts_min);
		mj_uint(&j, "ts_max_nsec", g->ts_max);
		if (g->pfn_ts) {
			size_t p;

			/* [pfn, timestamp] of each allocation (--pfns) */
			mj_arr(&j, "pfns");
			for (p = 0; p + 1 < g->nr_pfn_ts; p += 2) {
				fprintf(fp, "%s[%llu,%llu]", p ? "," : "",
					(unsigned long long)g->pfn_ts[p],
					(unsigned long long)g->pfn_ts[p + 1]);
			}
			mj_arr_end(&j);
		}
		if (c->o.cull == ML_PO_BY_STACK) {
			mj_uint(&j, "handle", g->handle);
			if (sp)
				mj_str(&j, "placeholder", sp);
			if (s->st != ML_DEPOT_OK)
				mj_str(&j, "stack_error", ml_depot_status_str(s->st));
			mj_arr(&j, "stack");
			for (f = 0; f < s->nr; f++)
				mj_str(&j, NULL, ml_symbolize(s->entries[f]));
			mj_arr_end(&j);
		} else {
			mj_bool(&j, "stacks_differ", g->handles_differ);
		}
		mj_obj_end(&j);
	}
	mj_arr_end(&j);
	mj_obj_end(&j);
	mj_end(&j);
}

/* ---- the command ------------------------------------------------------- */

static bool ml_po_parse_long(const char *s, long *v)
{
	char *end;

	*v = strtol(s, &end, 0);
	return *s && !*end;
}

/* the walk, with c->o's options; 0, or -1 after printing why not */
static int ml_po_collect(struct ml_po_ctx *c, const char *sub)
{
	struct ml_po_opts *o = &c->o;
	struct ml_po_chunk *ch;
	size_t n;
	const char *why;

	if ((why = ml_po_unavailable())) {
		fprintf(fp, "memleak %s: %s\n", sub, why);
		return -1;
	}
	if (ml_need(ML_M(page, flags), ML_M(page, private), ML_M(page_owner, order),
		    ML_M(page_owner, handle), ML_T(page), ML_NEED_END) < 0)
		return -1;
	if (o->freed && !ML_HAS(page_owner, free_handle)) {
		fprintf(fp, "memleak %s: this kernel's page_owner keeps no free stacks "
			"(no page_owner.free_handle)\n", sub);
		return -1;
	}

	ml_depot_begin();
	ml_symbols_begin();
	c->page_size = ML_SIZE(page);
	c->ext_size = ml_feat.page_ext_size;
	c->owner_off = ml_feat.page_owner_offset;
	c->bit_owner = ml_feat.page_ext_owner_bit;
	c->bit_allocated = ml_feat.page_ext_owner_allocated_bit;
	ml_po_page_bits(&c->bits);
	ml_po_gfp_names(c);
	if (o->gfp && !(o->gfp_mask = ml_gfp_parse(o->gfp, c->gfp_names, c->nr_gfp_names))) {
		ml_usage_error("pageowner", "--gfp: unknown flag '%s' (a name of this kernel's "
			       "gfpflag_names[] or a mask)", o->gfp);
		return -1;
	}
	{
		static const char *const sym[3] = { "early_handle", "dummy_handle", "failure_handle" };
		int i;

		for (i = 0; i < 3; i++) {
			ulong h = 0;

			if (ml_read_sym_ulong(sym[i], &h))
				c->special[i] = (uint32_t)h;
		}
	}
	c->groups = ml_po_groups_new(o->cull, o->pfns && o->json);
	ch = ml_po_chunks(c, &n);
	if (!n) {
		fprintf(fp, "memleak %s: no memory sections with page_ext found\n", sub);
		return -1;
	}
	ml_po_vmalloc(c, ch, n);
	ml_po_walk(c, ch, n);
	ml_po_stack_list(c);
	return 0;
}

/* ---- struct page and page_ext by pfn, for zones.c's mixed blocks ------ */

struct ml_po_pages {
	struct ml_po_ctx c;
	struct ml_po_chunk *ch;
	size_t n, cur;		/* chunk in the buffers, n: none */
	char *pages, *exts;
	ulong cap;
	bool pages_ok, exts_ok;
	long off_type, off_priv, off_eflags, off_gfp, off_order, order_size;
	int pg_reserved;
	unsigned long unreadable;	/* pfns whose struct page is not in the dump */
};

/* NULL if pfns' page_owner entries can be read (stacks not needed) */
static const char *ml_po_pages_unavailable(void)
{
	const char *why = ml_po_unavailable();

	if (why && ml_feat.page_owner_enabled == ML_YES && ml_feat.page_ext_size > 0 &&
	    ml_feat.page_owner_offset >= 0 && ml_feat.page_ext_owner_allocated_bit >= 0)
		return NULL;	/* only the stack depot is missing */
	return why;
}

struct ml_po_pages *ml_po_pages_open(const char **why)
{
	struct ml_po_pages *p;

	if ((*why = ml_po_pages_unavailable()))
		return NULL;
	if (!ML_HAS(page, flags) || !ML_HAS(page_owner, order) || !ML_HAS(page_owner, gfp_mask) ||
	    ML_SIZE(page) <= 0) {
		*why = "struct page or struct page_owner members not found in debuginfo";
		return NULL;
	}
	p = ml_alloc(sizeof(*p));
	p->c.page_size = ML_SIZE(page);
	p->c.ext_size = ml_feat.page_ext_size;
	p->c.owner_off = ml_feat.page_owner_offset;
	p->c.bit_allocated = ml_feat.page_ext_owner_allocated_bit;
	ml_po_page_bits(&p->c.bits);
	p->ch = ml_po_chunks(&p->c, &p->n);
	if (!p->n) {
		*why = "no memory sections found";
		return NULL;
	}
	p->cur = p->n;
	p->off_type = ml_feat.page_type_off;
	p->off_priv = ML_OFF(page, private);
	p->off_eflags = ML_HAS(page_ext, flags) ? ML_OFF(page_ext, flags) : 0;
	p->off_gfp = p->c.owner_off + ML_OFF(page_owner, gfp_mask);
	p->off_order = p->c.owner_off + ML_OFF(page_owner, order);
	p->order_size = ML_MSIZE(page_owner, order);
	p->pg_reserved = ml_pg_bit("PG_reserved");
	return p;
}

/* the chunk holding pfn, read into the buffers; false if none */
static bool ml_po_pages_chunk(struct ml_po_pages *p, ulong pfn)
{
	size_t lo = 0, hi = p->n;
	const struct ml_po_chunk *x;
	unsigned long bad = 0;

	if (p->cur < p->n && pfn - p->ch[p->cur].pfn0 < p->ch[p->cur].npfn)
		return true;
	while (lo < hi) {	/* chunks ascend by pfn0 */
		size_t mid = (lo + hi) / 2;

		if (p->ch[mid].pfn0 + p->ch[mid].npfn <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == p->n || pfn < p->ch[lo].pfn0)
		return false;
	x = &p->ch[lo];
	p->cur = lo;
	if (x->npfn > p->cap) {
		ml_free(p->pages);
		ml_free(p->exts);
		p->cap = x->npfn;
		p->pages = ml_alloc(p->cap * p->c.page_size);
		p->exts = ml_alloc(p->cap * p->c.ext_size);
	}
	p->pages_ok = ml_po_bulk(x->mem_map, p->pages, x->npfn * p->c.page_size,
				 "struct page", &bad);
	p->exts_ok = x->ext && ml_po_bulk(x->ext, p->exts, x->npfn * p->c.ext_size,
					  "page_ext", &bad);
	return true;
}

bool ml_po_pages_get(struct ml_po_pages *p, ulong pfn, struct ml_mixed_pfn *out)
{
	const char *page, *ext;
	ulong i;
	uint64_t flags, eflags;

	memset(out, 0, sizeof(*out));
	if (!ml_po_pages_chunk(p, pfn) || !p->pages_ok) {
		p->unreadable++;
		return true;
	}
	i = pfn - p->ch[p->cur].pfn0;
	page = p->pages + i * p->c.page_size;
	flags = ml_get_ulong(page, ML_OFF(page, flags));
	out->ok = true;
	if (p->off_type >= 0 && ml_page_is_buddy(&p->c.bits, ml_get_u32(page, p->off_type))) {
		out->buddy = true;
		out->buddy_order = p->off_priv >= 0 ? (unsigned int)ml_get_ulong(page, p->off_priv)
						    : ~0U;
		return true;
	}
	out->reserved = p->pg_reserved >= 0 && (flags >> p->pg_reserved & 1);
	if (!p->exts_ok)
		return true;
	ext = p->exts + i * p->c.ext_size;
	out->has_ext = true;
	eflags = ml_get_ulong(ext, p->off_eflags);
	out->allocated = eflags >> p->c.bit_allocated & 1;
	out->gfp = ml_get_u32(ext, p->off_gfp);
	out->order = ml_get_uint(ext, p->off_order, p->order_size);
	return true;
}

unsigned long ml_po_pages_unreadable(const struct ml_po_pages *p)
{
	return p->unreadable;
}

void ml_po_pages_close(struct ml_po_pages *p)
{
	if (!p)
		return;
	ml_free(p->pages);
	ml_free(p->exts);
	ml_free(p->ch);
	ml_free(p);
}

const char *ml_pageowner_unavailable(void)
{
	return ml_po_unavailable();
}

int ml_pageowner_collect(struct ml_po_data *d, const char *sub)
{
	struct ml_po_ctx *c = ml_alloc(sizeof(*c));

	memset(d, 0, sizeof(*d));
	/* c->o zeroed: group by stack, sort by pages, no filters */
	if (ml_po_collect(c, sub) < 0)
		return -1;
	d->c = c;
	d->v = ml_po_sorted(c->groups, ML_PO_SORT_PAGES, &d->n);
	d->allocations = c->allocations;
	d->pages = c->pages;
	memcpy(d->class_pages, c->class_pages, sizeof(d->class_pages));
	d->special_pages = c->special_pages;
	return 0;
}

unsigned int ml_pageowner_stack(struct ml_po_data *d, uint32_t handle, const ulong **entries,
				enum ml_depot_status *st, const char **special)
{
	struct ml_po_stack *s = ml_po_stack(d->c, handle);

	*entries = s->entries;
	*st = s->st;
	*special = ml_po_special_name(d->c, handle);
	return s->st == ML_DEPOT_OK ? s->nr : 0;
}

void ml_cmd_pageowner(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cull", required_argument, NULL, 'c' },
		{ "sort", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'C' },
		{ "order", required_argument, NULL, 'o' },
		{ "gfp", required_argument, NULL, 'g' },
		{ "module", required_argument, NULL, 'M' },
		{ "top", required_argument, NULL, 'n' },
		{ "unaccounted", no_argument, NULL, 'u' },
		{ "freed", no_argument, NULL, 'f' },
		{ "alloc-stack", no_argument, NULL, 'A' },
		{ "pfns", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_po_ctx *c = ml_alloc(sizeof(*c));
	struct ml_po_opts *o = &c->o;
	struct ml_po_group **v;
	size_t nv;
	struct timespec t0, t1;
	int opt;

	ml_opt_begin("pageowner", argc, argv);
	while ((opt = getopt_long(argc, argv, "c:s:p:C:o:g:M:n:ufjhmta", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!strcmp(optarg, "stack") || !strcmp(optarg, "stacktrace") ||
			    !strcmp(optarg, "st"))
				o->cull = ML_PO_BY_STACK;
			else if (!strcmp(optarg, "pid") || !strcmp(optarg, "p"))
				o->cull = ML_PO_BY_PID;
			else if (!strcmp(optarg, "comm") || !strcmp(optarg, "name") ||
				 !strcmp(optarg, "n"))
				o->cull = ML_PO_BY_COMM;
			else if (!strcmp(optarg, "module") || !strcmp(optarg, "mod"))
				o->cull = ML_PO_BY_MODULE;
			else {
				ml_usage_error("pageowner", "--cull: unknown key '%s'", optarg);
				return;
			}
			break;
		case 's':
			if (!strcmp(optarg, "pages") || !strcmp(optarg, "memory"))
				o->sort = ML_PO_SORT_PAGES;
			else if (!strcmp(optarg, "allocations") || !strcmp(optarg, "times"))
				o->sort = ML_PO_SORT_ALLOCS;
			else if (!strcmp(optarg, "timestamp") || !strcmp(optarg, "ts"))
				o->sort = ML_PO_SORT_TS;
			else {
				ml_usage_error("pageowner", "--sort: unknown key '%s'", optarg);
				return;
			}
			break;
		/* page_owner_sort's own sort letters */
		case 'm': o->sort = ML_PO_SORT_PAGES; break;
		case 't': o->sort = ML_PO_SORT_ALLOCS; break;
		case 'a': o->sort = ML_PO_SORT_TS; break;
		case 'p':
			if (!ml_po_parse_long(optarg, &o->pid)) {
				ml_usage_error("pageowner", "--pid: not a number: '%s'", optarg);
				return;
			}
			o->have_pid = true;
			break;
		case 'o':
			if (!ml_po_parse_long(optarg, &o->order) || o->order < 0 || o->order > 63) {
				ml_usage_error("pageowner", "--order: not an order: '%s'", optarg);
				return;
			}
			o->have_order = true;
			break;
		case 'n':
			if (!ml_po_parse_long(optarg, &o->top) || o->top < 0) {
				ml_usage_error("pageowner", "--top: not a count: '%s'", optarg);
				return;
			}
			break;
		case 'C': o->comm = optarg; break;
		case 'g': o->gfp = optarg; break;
		case 'M': o->module = optarg; break;
		case 'u': o->unaccounted = true; break;
		case 'f': o->freed = true; break;
		case 'A': o->alloc_stack = true; break;
		case 'P': o->pfns = true; break;
		case 'j': o->json = true; break;
		case 'h': ml_print_sub_help("pageowner"); return;
		default:
			ml_opt_error("pageowner", argc, argv, longopts);
			return;
		}
	}
	if (!ml_opt_end("pageowner", argc, argv))
		return;
	if (o->alloc_stack && !o->freed) {
		ml_usage_error("pageowner", "--alloc-stack goes with --freed");
		return;
	}
	if (o->unaccounted && o->freed) {
		ml_usage_error("pageowner", "--unaccounted and --freed exclude each other");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ml_po_collect(c, "pageowner") < 0)
		return;
	v = ml_po_sorted(c->groups, o->sort, &nv);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	{
		double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

		if (o->json)
			ml_po_json(c, v, nv, secs);
		else
			ml_po_text(c, v, nv, secs);
	}
}
