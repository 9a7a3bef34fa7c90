/*
 * zram.c: the zram devices for "memleak zram": each device's figures as
 * /sys/block/zram<N>/mm_stat prints them (drivers/block/zram/zram_drv.c
 * mm_stat_show()) and its zsmalloc pool's pages.
 *
 * The devices: `static DEFINE_IDR(zram_index_idr)` of struct zram, the
 * index being N of zram<N> (zram_add(): "zram%d"); an IDR's tree is an
 * XArray since v4.20 (core/trees.c). mm_stat's columns and the struct
 * members behind them (struct zram_stats unless named):
 *   orig_data_size   pages_stored << PAGE_SHIFT
 *   compr_data_size  compr_data_size
 *   mem_used_total   zs_pool.pages_allocated << PAGE_SHIFT (zs_get_total_pages())
 *   mem_limit        zram.limit_pages << PAGE_SHIFT
 *   mem_used_max     max_used_pages << PAGE_SHIFT
 *   same_pages       same_pages (zero_pages before v4.13)
 *   pages_compacted  zs_pool.stats.pages_compacted
 *   huge_pages       huge_pages (a column since v4.19)
 *   huge_pages_since huge_pages_since (a column since v5.15)
 * A figure whose member this kernel lacks is left out, never guessed.
 * The pool exists once disksize is set (init_done()); before, mm_stat
 * shows 0 for the pool's figures and so does memleak.
 * The compressor: zram.compressor[] until v6.1, comp_algs[0] (a pointer)
 * since v6.2 ("zram: add recompression algorithm sysfs knob").
 */
#include "collect/collect.h"

#define ML_ZRAM_MAX 1024UL		/* devices listed at most */

const char *const ml_zram_stat_names[ML_ZS_NR] = {
	[ML_ZS_ORIG_DATA_SIZE] = "orig_data_size",
	[ML_ZS_COMPR_DATA_SIZE] = "compr_data_size",
	[ML_ZS_MEM_USED_TOTAL] = "mem_used_total",
	[ML_ZS_MEM_LIMIT] = "mem_limit",
	[ML_ZS_MEM_USED_MAX] = "mem_used_max",
	[ML_ZS_SAME_PAGES] = "same_pages",
	[ML_ZS_PAGES_COMPACTED] = "pages_compacted",
	[ML_ZS_HUGE_PAGES] = "huge_pages",
	[ML_ZS_HUGE_PAGES_SINCE] = "huge_pages_since",
};

struct ml_zram_walk {
	struct ml_zram_data *d;
	size_t cap;
	char *buf;
};

/* an 8-byte (atomic64_t) or long (atomic_long_t) counter of zram_stats */
static void ml_zram_stat(struct ml_zram_dev *z, const char *buf, enum ml_zram_stat i, long off,
			 long size, int shift)
{
	if (off < 0)
		return;
	z->stat[i] = ml_get_uint(buf, ML_OFF(zram, stats) + off, size) << shift;
	z->known[i] = true;
}

static void ml_zram_comp(struct ml_zram_dev *z, const char *buf)
{
	ulong p;

	if (ML_HAS(zram, compressor) && ML_MSIZE(zram, compressor) > (long)sizeof(ulong)) {
		snprintf(z->comp, sizeof(z->comp), "%.*s", (int)ML_MSIZE(zram, compressor),
			 buf + ML_OFF(zram, compressor));
	} else if (ML_HAS(zram, comp_algs)) {
		p = ml_get_ulong(buf, ML_OFF(zram, comp_algs));
		if (p && !ml_read_cstring(p, z->comp, sizeof(z->comp), "zram.comp_algs[0]"))
			z->comp[0] = '\0';
	}
}

/* the pool's figures: mem_used_total and pages_compacted */
static void ml_zram_pool(struct ml_zram_dev *z, int shift)
{
	ulong v, name;

	z->known[ML_ZS_MEM_USED_TOTAL] = ML_HAS(zs_pool, pages_allocated);
	z->known[ML_ZS_PAGES_COMPACTED] = ML_HAS(zs_pool, stats) &&
					  ML_HAS(zs_pool_stats, pages_compacted);
	if (!z->pool)
		return;
	if (z->known[ML_ZS_MEM_USED_TOTAL] &&
	    ml_read_ulong(z->pool + ML_OFF(zs_pool, pages_allocated), &v, "zs_pool.pages_allocated")) {
		z->pool_pages = v;
		z->stat[ML_ZS_MEM_USED_TOTAL] = (unsigned long long)v << shift;
	} else {
		z->known[ML_ZS_MEM_USED_TOTAL] = false;
	}
	if (z->known[ML_ZS_PAGES_COMPACTED] &&
	    ml_read_ulong(z->pool + ML_OFF(zs_pool, stats) + ML_OFF(zs_pool_stats, pages_compacted),
			  &v, "zs_pool.stats.pages_compacted"))
		z->stat[ML_ZS_PAGES_COMPACTED] = v;
	if (ML_HAS(zs_pool, name) &&
	    ml_read_ulong(z->pool + ML_OFF(zs_pool, name), &name, "zs_pool.name") && name)
		ml_read_cstring(name, z->pool_name, sizeof(z->pool_name), "zs_pool.name");
}

static bool ml_zram_one(unsigned long index, ulong addr, void *arg)
{
	struct ml_zram_walk *w = arg;
	struct ml_zram_data *d = w->d;
	struct ml_zram_dev *z;
	int shift = ml_feat.page_shift;

	if (!ml_read(addr, w->buf, ML_SIZE(zram), "struct zram")) {
		ml_warn("zram%lu: its struct zram (0x%lx) is unreadable", index, addr);
		return !ml_interrupted();
	}
	if (d->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		d->v = ml_realloc(d->v, w->cap * sizeof(*d->v));
	}
	z = &d->v[d->n++];
	memset(z, 0, sizeof(*z));
	z->index = index;
	z->addr = addr;
	z->disksize = ML_HAS(zram, disksize) ? ml_get_uint(w->buf, ML_OFF(zram, disksize), 8) : 0;
	z->pool = z->disksize ? ml_get_ulong(w->buf, ML_OFF(zram, mem_pool)) : 0;
#define ST(i, m, sh) ml_zram_stat(z, w->buf, i, ML_OFF_RAW(zram_stats, m), \
				  ML_MSIZE(zram_stats, m), sh)
	ST(ML_ZS_ORIG_DATA_SIZE, pages_stored, shift);
	ST(ML_ZS_COMPR_DATA_SIZE, compr_data_size, 0);
	ST(ML_ZS_MEM_USED_MAX, max_used_pages, shift);
	ST(ML_ZS_SAME_PAGES, same_pages, 0);
	ST(ML_ZS_HUGE_PAGES, huge_pages, 0);
	ST(ML_ZS_HUGE_PAGES_SINCE, huge_pages_since, 0);
#undef ST
	if (ML_HAS(zram, limit_pages)) {
		z->stat[ML_ZS_MEM_LIMIT] = (unsigned long long)ml_get_ulong(w->buf,
			ML_OFF(zram, limit_pages)) << shift;
		z->known[ML_ZS_MEM_LIMIT] = true;
	}
	ml_zram_comp(z, w->buf);
	ml_zram_pool(z, shift);
	d->pool_pages += z->pool_pages;
	return !ml_interrupted();
}

static int ml_zram_dev_cmp(const void *a, const void *b)
{
	const struct ml_zram_dev *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

int ml_zram_collect(struct ml_zram_data *d)
{
	struct ml_zram_walk w;

	memset(d, 0, sizeof(*d));
	if (!symbol_exists("zram_index_idr"))
		return ml_fail("this kernel has no zram devices (no zram_index_idr): built without "
			       "CONFIG_ZRAM, or the zram module is not loaded");
	if (ML_SIZE(zram) <= 0 || !ML_HAS(zram, stats) || !ML_HAS(zram, mem_pool))
		return ml_fail("struct zram is not in the debuginfo crash has (zram built as a "
			       "module: load its debuginfo with \"mod -s zram\")");
	memset(&w, 0, sizeof(w));
	w.d = d;
	w.buf = ml_alloc(ML_SIZE(zram));
	ml_xa_walk(symbol_value("zram_index_idr"), ML_ZRAM_MAX, ml_zram_one, &w, &d->walk);
	if (d->walk != ML_WALK_OK && d->walk != ML_WALK_STOPPED)
		ml_warn("zram: the device index (zram_index_idr) ended early (%s): %zu devices read",
			ml_walk_status_str(d->walk), d->n);
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), ml_zram_dev_cmp);
	ml_free(w.buf);
	return 0;
}
