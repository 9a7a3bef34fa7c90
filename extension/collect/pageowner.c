/*
 * pageowner.c: the page_owner model -- page_owner records grouped by stack,
 * pid, comm or module, like tools/mm/page_owner_sort --cull, from the dump
 * ("memleak pageowner" prints them, cmd/pageowner.c; summary, save and diff
 * read the stacks).
 *
 * The walk mirrors mm/page_owner.c read_page_owner(): every valid pfn, a
 * buddy block skipped whole, the page_ext entry (mm/page_ext.c) tested for
 * PAGE_EXT_OWNER and PAGE_EXT_OWNER_ALLOCATED (bit numbers from the
 * kernel's enum page_ext_flags), tail pages of an allocation skipped
 * (pfn not aligned to its order), records without a stack skipped. Each
 * allocation counts once, 1 << order pages.
 *
 * Memory is read in bulk: the struct pages and the page_ext entries of a
 * whole section (or, FLATMEM, of a chunk of a node) per read (pagext.c);
 * stacks come from the shared depot decoder (depot.c), each handle decoded
 * and symbolized once. Memory grows with the number of stacks, not pages.
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
#include "collect/collect.h"

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
	struct ml_po_data *d;	/* the totals */
	uint64_t gfp_mask;	/* of o.gfp */
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
	unsigned long filtered, chunks;
	size_t cap_stale;
};

/* ---- one-line reasons ----------------------------------------------- */

/* NULL if page_owner records can be read, else one line: what and how to fix */
const char *ml_pageowner_unavailable(void)
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

/* ---- the kernel's gfp flag names ------------------------------------- */

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

/* ---- vmalloc'ed pages: vmap_area_list ---------------------------------- */

static int ml_ulong_cmp(const void *a, const void *b)
{
	ulong x = *(const ulong *)a, y = *(const ulong *)b;

	return x < y ? -1 : x > y;
}

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

/* the pfns of every vmalloc'ed area's pages (vm_struct.pages[]), sorted */
static void ml_po_vmalloc(struct ml_po_ctx *c, const struct ml_po_chunk *chunks, size_t n)
{
	struct ml_po_chunk *sorted;
	struct ml_vmap_area *va;
	enum ml_walk_status st;
	const char *why;
	size_t nva, k, cap = 0;

	if (!(va = ml_vmap_areas(&nva, &st, &why)))
		return;
	sorted = ml_alloc(n * sizeof(*sorted));
	memcpy(sorted, chunks, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), ml_chunk_mm_cmp);
	for (k = 0; k < nva && !ml_interrupted(); k++) {
		unsigned int i, nr = va[k].nr_pages;
		ulong *pp;

		if (!va[k].pages || !nr)
			continue;
		pp = ml_alloc(nr * sizeof(ulong));
		if (ml_read(va[k].pages, pp, nr * sizeof(ulong), "vm_struct.pages[]")) {
			for (i = 0; i < nr; i++) {
				long pfn = ml_po_page_pfn(sorted, n, c->page_size, pp[i]);

				if (pfn < 0)
					continue;
				if (c->nr_vm_pfns == cap) {
					cap = cap ? 2 * cap : 4096;
					c->vm_pfns = ml_realloc(c->vm_pfns, cap * sizeof(ulong));
				}
				c->vm_pfns[c->nr_vm_pfns++] = pfn;
			}
		}
		ml_free(pp);
	}
	c->d->vm_known = st == ML_WALK_OK;
	if (c->nr_vm_pfns)
		qsort(c->vm_pfns, c->nr_vm_pfns, sizeof(ulong), ml_ulong_cmp);
	ml_free(sorted);
	ml_free(va);
}

/* pfns are visited in increasing order: a cursor over the sorted set */
static bool ml_po_is_vmalloc(struct ml_po_ctx *c, ulong pfn)
{
	while (c->vm_cursor < c->nr_vm_pfns && c->vm_pfns[c->vm_cursor] < pfn)
		c->vm_cursor++;
	return c->vm_cursor < c->nr_vm_pfns && c->vm_pfns[c->vm_cursor] == pfn;
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
	if (c->o.gfp && (r.gfp & c->gfp_mask) != c->gfp_mask)
		goto filtered;
	s = ml_po_stack(c, handle);
	if (c->o.module && !s->in_module)
		goto filtered;
	r.module = s->module ? s->module : "vmlinux";

	ml_po_add(c->groups, &r);
	c->d->allocations++;
	c->d->pages += 1UL << r.order;
	c->d->class_pages[r.cls] += 1UL << r.order;
	if (ml_po_special(c, handle))
		c->d->special_pages += 1UL << r.order;
	return;
filtered:
	c->filtered++;
}

/* a chunk with pfns the ranges asked for (all, without ranges) */
static bool ml_po_chunk_wanted(const struct ml_po_ctx *c, const struct ml_po_chunk *x)
{
	size_t i;

	if (!c->o.pfn_in)
		return true;
	for (i = 0; i < c->o.nr_pfn_in; i++)
		if (c->o.pfn_in[i].start < x->pfn0 + x->npfn &&
		    x->pfn0 < c->o.pfn_in[i].start + c->o.pfn_in[i].len)
			return true;
	return false;
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
			c->d->interrupted = true;
			break;
		}
		if (!x->ext || !ml_po_chunk_wanted(c, x))
			continue;
		if (x->npfn > cap) {
			ml_free(pages);
			ml_free(exts);
			cap = x->npfn;
			pages = ml_alloc(cap * psz);
			exts = ml_alloc(cap * esz);
		}
		c->chunks++;
		c->d->pfns += x->npfn;
		if (!ml_po_bulk(x->mem_map, pages, x->npfn * psz, "struct page", &badp) ||
		    !ml_po_bulk(x->ext, exts, x->npfn * esz, "page_ext", &bade)) {
			c->d->unreadable_pages += x->npfn;
			continue;
		}
		c->d->unreadable_pages += badp / psz;
		c->d->unreadable_ext += bade / esz;
		for (i = 0; i < x->npfn; i++) {
			ulong pfn = x->pfn0 + i;
			const char *page = pages + i * psz, *ext = exts + i * esz, *owner;
			uint64_t eflags;
			unsigned int order;
			uint32_t handle;

			if (pfn < skip_to)
				continue;
			if (c->o.pfn_in && ml_range_find(c->o.pfn_in, c->o.nr_pfn_in, pfn) < 0)
				continue;
			if (off_type >= 0 && ml_page_is_buddy(&c->bits, ml_get_u32(page, off_type))) {
				ulong o = off_priv >= 0 ? ml_get_ulong(page, off_priv) : 0;
				/* read_page_owner() skips a free block whole */
				if (!c->o.freed && o < (ulong)ml_feat.nr_orders)
					skip_to = pfn + (1UL << o);
				eflags = ml_get_ulong(ext, off_eflags);
				if (!c->o.freed && (eflags >> c->bit_owner & 1) &&
				    (eflags >> c->bit_allocated & 1)) {
					c->d->buddy_allocated++;
					if (c->o.pfns) {
						if (c->d->nr_stale + 2 > c->cap_stale) {
							c->cap_stale = c->cap_stale ? 2 * c->cap_stale : 16;
							c->d->stale = ml_realloc(c->d->stale, c->cap_stale * sizeof(ulong));
						}
						c->d->stale[c->d->nr_stale++] = pfn;
						c->d->stale[c->d->nr_stale++] = o;
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
			if (order >= ML_BITS_PER_LONG || (pfn & ((1UL << order) - 1)))
				continue;
			handle = ml_get_u32(owner, off_handle);
			if (!handle) {
				c->d->no_stack += 1UL << order;
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
	    c->o.pfn_in ||
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
					c->d->stack_list_ok++;
				else
					c->d->stack_list_differ++;
			}
		}
		if (!ml_read_ulong(s + ML_OFF(stack, next), &s, "stack.next"))
			break;
	}
}

/* the kernel's placeholder stacks (mm/page_owner.c) */
static void ml_po_special_handles(struct ml_po_ctx *c)
{
	static const char *const sym[3] = { "early_handle", "dummy_handle", "failure_handle" };
	int i;

	for (i = 0; i < 3; i++) {
		ulong h = 0;

		if (ml_read_sym_ulong(sym[i], &h))
			c->special[i] = (uint32_t)h;
	}
}

/* the walk, with c->o's options, into c->d; 0, or -1 after ml_fail() */
static int ml_po_collect(struct ml_po_ctx *c)
{
	struct ml_po_opts *o = &c->o;
	struct ml_po_chunk *ch;
	size_t n;
	const char *why;

	if ((why = ml_pageowner_unavailable()))
		return ml_fail("%s", why);
	if (ml_need(ML_M(page, flags), ML_M(page, private), ML_M(page_owner, order),
		    ML_M(page_owner, handle), ML_T(page), ML_NEED_END) < 0)
		return -1;
	if (o->freed && !ML_HAS(page_owner, free_handle))
		return ml_fail("this kernel's page_owner keeps no free stacks "
			       "(no page_owner.free_handle)");

	c->page_size = ML_SIZE(page);
	c->ext_size = ml_feat.page_ext_size;
	c->owner_off = ml_feat.page_owner_offset;
	c->bit_owner = ml_feat.page_ext_owner_bit;
	c->bit_allocated = ml_feat.page_ext_owner_allocated_bit;
	ml_po_page_bits(&c->bits);
	ml_po_gfp_names(c);
	c->d->gfp_names = c->gfp_names;
	c->d->nr_gfp_names = c->nr_gfp_names;
	if (o->gfp && !(c->gfp_mask = ml_gfp_parse(o->gfp, c->gfp_names, c->nr_gfp_names))) {
		c->d->gfp_unknown = true;
		return ml_fail("--gfp: unknown flag '%s' (a name of this kernel's "
			       "gfpflag_names[] or a mask)", o->gfp);
	}
	ml_po_special_handles(c);
	c->groups = ml_po_groups_new(o->cull, o->pfns);
	ch = ml_po_chunks(c->page_size, c->ext_size, &n);
	if (!n)
		return ml_fail("no memory sections with page_ext found");
	ml_po_vmalloc(c, ch, n);
	ml_po_walk(c, ch, n);
	ml_po_stack_list(c);
	return 0;
}

int ml_pageowner_select(struct ml_po_data *d, const struct ml_po_opts *o)
{
	struct ml_po_ctx *c = ml_alloc(sizeof(*c));

	memset(d, 0, sizeof(*d));
	if (o)
		c->o = *o;
	/* else c->o zeroed: group by stack, sort by pages, no filters */
	c->d = d;
	d->c = c;
	if (ml_po_collect(c) < 0)
		return -1;
	d->v = ml_po_sorted(c->groups, c->o.sort, &d->n);
	return 0;
}

int ml_pageowner_collect(struct ml_po_data *d)
{
	return ml_pageowner_select(d, NULL);
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
