/*
 * cma.c: the CMA areas for "memleak cma" and the ledger: each area's pfn
 * range, and its use from its allocation bitmap, as debugfs cma/<name>/
 * shows them (mm/cma_debug.c: used = the bitmap's weight << order_per_bit,
 * maxchunk = its longest clear run << order_per_bit). With page_owner, the
 * stacks that hold the area's pages.
 *
 * The areas: `struct cma cma_areas[MAX_CMA_AREAS]` and cma_area_count
 * (mm/cma.c since v3.17, "CMA: generalize CMA reserved area management
 * functionality"). Layouts of struct cma (mm/cma.h), cited by subject:
 *  - base_pfn, count, bitmap, order_per_bit: every version;
 *  - name: a `const char *` since v4.11 ("cma: Store a name in the cma
 *    structure"), `char name[CMA_MAX_NAME]` since v5.10 ("mm: cma: use
 *    CMA_MAX_NAME to define the length of cma name array"): told apart by
 *    the member's size;
 *  - ranges[] of struct cma_memrange { base_pfn, count, bitmap } and
 *    nranges since v6.15 ("mm, cma: support multiple contiguous ranges, if
 *    requested"): one bitmap per range, order_per_bit shared.
 * hugetlb_cma[] (mm/hugetlb.c, v5.7 cf11e85fc08c "mm: hugetlb: optionally
 * allocate gigantic hugepages using cma") names the areas whose pages are
 * hugetlb pages: counted in the ledger's hugetlb item already.
 */
#include "collect/collect.h"

#define ML_CMA_AREAS_MAX 64U		/* more than MAX_CMA_AREAS of any config */
#define ML_CMA_BITMAP_MAX (64UL << 20)	/* bytes of one bitmap read at most */

/* one range's bitmap: used and maxchunk, in pages */
static void ml_cma_bitmap(ulong bitmap, struct ml_cma_range *r, unsigned int opb)
{
	ulong bits = r->count >> opb, bytes = (bits + 7) / 8;
	unsigned char *b;

	if (!bitmap || bytes > ML_CMA_BITMAP_MAX)
		return;
	b = ml_alloc(bytes ? bytes : 1);
	if (ml_read(bitmap, b, bytes, "cma.bitmap")) {
		r->used = ml_lebits_weight(b, bits) << opb;
		r->maxchunk = ml_lebits_max_clear_run(b, bits) << opb;
		r->ok = true;
	}
	ml_free(b);
}

static void ml_cma_name(const char *buf, struct ml_cma_area *a)
{
	long off = ML_OFF_RAW(cma, name), sz = ML_MSIZE(cma, name);

	a->name[0] = '\0';
	if (off < 0)
		return;
	if (sz == (long)sizeof(ulong)) {	/* v4.11-v5.9: a pointer */
		ulong p = ml_get_ulong(buf, off);

		if (!p || !ml_read_cstring(p, a->name, sizeof(a->name), "cma.name"))
			a->name[0] = '\0';
		return;
	}
	snprintf(a->name, sizeof(a->name), "%.*s",
		 (int)(sz < (long)sizeof(a->name) ? sz : (long)sizeof(a->name) - 1), buf + off);
}

/* the ranges of one area: its own base_pfn/count/bitmap, or ranges[] */
static void ml_cma_ranges(const char *buf, struct ml_cma_area *a)
{
	int i, n = 1;

	if (ML_HAS(cma, ranges) && ML_HAS(cma, nranges) && ML_SIZE(cma_memrange) > 0) {
		n = (int)ml_get_uint(buf, ML_OFF(cma, nranges), ML_MSIZE(cma, nranges));
		if (n < 0 || n > ML_CMA_RANGES_MAX) {
			ml_warn("cma %s: %d ranges, more than %d: the first read", a->name, n,
				ML_CMA_RANGES_MAX);
			n = n < 0 ? 0 : ML_CMA_RANGES_MAX;
		}
		for (i = 0; i < n; i++) {
			const char *m = buf + ML_OFF(cma, ranges) + i * ML_SIZE(cma_memrange);

			a->r[i].base_pfn = ml_get_ulong(m, ML_OFF(cma_memrange, base_pfn));
			a->r[i].count = ml_get_ulong(m, ML_OFF(cma_memrange, count));
			ml_cma_bitmap(ml_get_ulong(m, ML_OFF(cma_memrange, bitmap)), &a->r[i],
				      a->order_per_bit);
		}
	} else {
		a->r[0].base_pfn = ml_get_ulong(buf, ML_OFF(cma, base_pfn));
		a->r[0].count = ml_get_ulong(buf, ML_OFF(cma, count));
		ml_cma_bitmap(ml_get_ulong(buf, ML_OFF(cma, bitmap)), &a->r[0], a->order_per_bit);
	}
	a->nr = n;
	a->ok = true;
	for (i = 0; i < n; i++) {
		a->count += a->r[i].count;
		a->used += a->r[i].used;
		if (a->r[i].maxchunk > a->maxchunk)
			a->maxchunk = a->r[i].maxchunk;
		a->ok = a->ok && a->r[i].ok;
	}
}

/* hugetlb_cma[nid] == addr */
static bool ml_cma_is_hugetlb(ulong addr)
{
	ulong p;
	int i, n;

	if (!symbol_exists("hugetlb_cma"))
		return false;
	n = get_array_length("hugetlb_cma", NULL, sizeof(ulong));
	for (i = 0; i < n && i < 1024; i++)
		if (ml_read_ulong(symbol_value("hugetlb_cma") + i * sizeof(ulong), &p,
				  "hugetlb_cma") && p == addr)
			return true;
	return false;
}

/* page_owner's records of the pages in the area's ranges, by stack */
static void ml_cma_stacks(struct ml_cma_data *d, struct ml_cma_area *a)
{
	struct ml_po_opts o;
	struct ml_range *rg = ml_alloc(ML_CMA_RANGES_MAX * sizeof(*rg));
	int i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < a->nr; i++) {
		rg[i].start = a->r[i].base_pfn;
		rg[i].len = a->r[i].count;
		rg[i].id = i;
	}
	o.pfn_in = rg;
	o.nr_pfn_in = ml_ranges_merge(rg, a->nr);
	a->po_ok = ml_pageowner_select(&a->po, &o) == 0;
	if (!a->po_ok && !d->po_why)
		d->po_why = ml_strdup(ml_failure() ? ml_failure() : "page_owner unreadable");
	if (!a->po_ok)
		ml_fail_to_warning();
}

static int ml_cma_known(unsigned int *nareas)
{
	unsigned long n;

	if (!symbol_exists("cma_areas") || !symbol_exists("cma_area_count"))
		return ml_fail("this kernel has no CMA areas (no cma_areas[]): built without "
			       "CONFIG_CMA");
	if (ML_SIZE(cma) <= 0 || !ML_HAS(cma, order_per_bit) ||
	    (!ML_HAS(cma, ranges) && (!ML_HAS(cma, base_pfn) || !ML_HAS(cma, bitmap))))
		return ml_fail("struct cma is not in this kernel's debuginfo");
	if (!ml_read_sym_ulong("cma_area_count", &n))
		return ml_fail("cma_area_count unreadable");
	if (n > ML_CMA_AREAS_MAX)
		return ml_fail("cma_area_count is %lu: not a count (corrupt?)", n);
	*nareas = (unsigned int)n;
	if (!n)
		ml_warn("cma: this kernel reserved no CMA area (cma_area_count 0): boot with "
			"cma=SIZE, or build with CONFIG_CMA_SIZE_MBYTES, to have one");
	return 0;
}

int ml_cma_collect(struct ml_cma_data *d, bool stacks)
{
	unsigned int i, n = 0;
	char *buf;

	memset(d, 0, sizeof(*d));
	if (ml_cma_known(&n) < 0)
		return -1;
	if (stacks)
		d->po_why = ml_pageowner_unavailable();
	d->v = ml_alloc((n + 1) * sizeof(*d->v));
	memset(d->v, 0, (n + 1) * sizeof(*d->v));
	buf = ml_alloc(ML_SIZE(cma));
	for (i = 0; i < n && !ml_interrupted(); i++) {
		struct ml_cma_area *a = &d->v[d->n];
		ulong addr = symbol_value("cma_areas") + i * ML_SIZE(cma);

		if (!ml_read(addr, buf, ML_SIZE(cma), "struct cma")) {
			ml_warn("cma: area %u (0x%lx) unreadable", i, addr);
			continue;
		}
		d->n++;
		a->addr = addr;
		a->order_per_bit = ml_get_u32(buf, ML_OFF(cma, order_per_bit));
		if (a->order_per_bit >= 32) {
			ml_warn("cma: area %u: order_per_bit %u (corrupt?)", i, a->order_per_bit);
			a->order_per_bit = 0;
		}
		ml_cma_name(buf, a);
		ml_cma_ranges(buf, a);
		if (!a->ok)
			ml_warn("cma %s: its allocation bitmap is unreadable: used pages unknown",
				a->name);
		a->hugetlb = ml_cma_is_hugetlb(addr);
		d->count += a->count;
		d->used += a->used;
		if (stacks && !d->po_why)
			ml_cma_stacks(d, a);
	}
	ml_free(buf);
	return 0;
}

bool ml_cma_used_pages(struct ml_cma_data *d, unsigned long *pages)
{
	size_t i;

	*pages = 0;
	memset(d, 0, sizeof(*d));
	if (!symbol_exists("cma_areas"))
		return true;
	if (ml_cma_collect(d, false) < 0)
		return false;
	for (i = 0; i < d->n; i++)
		if (!d->v[i].hugetlb)
			*pages += d->v[i].used;
	return true;
}
