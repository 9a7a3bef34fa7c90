/*
 * pagext.c: struct page and page_ext from the dump, a section at a time --
 * the memory the page_owner collector reads (pageowner.c walks it in pfn
 * order; ml_po_pages_* read it by pfn for zones.c's mixed blocks).
 *
 * The pfn ranges are the memory sections (SPARSEMEM: mem_section.page_ext)
 * or, FLATMEM, chunks of a node (pglist_data.node_page_ext); a chunk's
 * struct pages and page_ext entries are each one bulk read, page by page
 * where that read fails.
 */
#include "collect/collect.h"

/* ---- the kernel's constants ------------------------------------------ */

void ml_po_page_bits(struct ml_page_bits *b)
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

/* ---- the pfn ranges: sections, or FLATMEM nodes ------------------------ */

struct ml_po_chunk *ml_po_chunks(long page_size, long ext_size, size_t *n)
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
			v[*n].ext = ml_page_ext_sparse(ext, nr * pps, ext_size);
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
				v[*n].mem_map = nt->mem_map + off * page_size;
				v[*n].ext = ml_page_ext_flat(npe, start, start + off,
							     1UL << (ml_feat.nr_orders - 1), ext_size);
				(*n)++;
			}
		}
	}
	return v;
}

/* read len bytes in one go, else page by page (zeroing what is not there) */
bool ml_po_bulk(ulong addr, char *buf, ulong len, const char *what,
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

/* ---- struct page and page_ext by pfn, for zones.c's mixed blocks ------ */

struct ml_po_pages {
	struct ml_page_bits bits;
	long page_size, ext_size, owner_off;
	int bit_allocated;
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
	const char *why = ml_pageowner_unavailable();

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
	p->page_size = ML_SIZE(page);
	p->ext_size = ml_feat.page_ext_size;
	p->owner_off = ml_feat.page_owner_offset;
	p->bit_allocated = ml_feat.page_ext_owner_allocated_bit;
	ml_po_page_bits(&p->bits);
	p->ch = ml_po_chunks(p->page_size, p->ext_size, &p->n);
	if (!p->n) {
		*why = "no memory sections found";
		return NULL;
	}
	p->cur = p->n;
	p->off_type = ml_feat.page_type_off;
	p->off_priv = ML_OFF(page, private);
	p->off_eflags = ML_HAS(page_ext, flags) ? ML_OFF(page_ext, flags) : 0;
	p->off_gfp = p->owner_off + ML_OFF(page_owner, gfp_mask);
	p->off_order = p->owner_off + ML_OFF(page_owner, order);
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
		p->pages = ml_alloc(p->cap * p->page_size);
		p->exts = ml_alloc(p->cap * p->ext_size);
	}
	p->pages_ok = ml_po_bulk(x->mem_map, p->pages, x->npfn * p->page_size,
				 "struct page", &bad);
	p->exts_ok = x->ext && ml_po_bulk(x->ext, p->exts, x->npfn * p->ext_size,
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
	page = p->pages + i * p->page_size;
	flags = ml_get_ulong(page, ML_OFF(page, flags));
	out->ok = true;
	if (p->off_type >= 0 && ml_page_is_buddy(&p->bits, ml_get_u32(page, p->off_type))) {
		out->buddy = true;
		out->buddy_order = p->off_priv >= 0 ? (unsigned int)ml_get_ulong(page, p->off_priv)
						    : ~0U;
		return true;
	}
	out->reserved = p->pg_reserved >= 0 && (flags >> p->pg_reserved & 1);
	if (!p->exts_ok)
		return true;
	ext = p->exts + i * p->ext_size;
	out->has_ext = true;
	eflags = ml_get_ulong(ext, p->off_eflags);
	out->allocated = eflags >> p->bit_allocated & 1;
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
