/*
 * counters.c: the arithmetic behind "memleak vmstat" and "memleak meminfo"
 * -- what the kernel computes from its counters just before printing
 * /proc/vmstat and /proc/meminfo, and the ledger of where MemTotal went.
 * Pure logic: no crash headers (see pure/pure.h), unit-tested in tests/unit.
 *
 * The formulas follow the kernel (v6.1 read: mm/page_alloc.c
 * si_mem_available(), mm/page-writeback.c global_dirty_limits(),
 * mm/util.c vm_commit_limit(), fs/proc/meminfo.c show_val_kb()).
 */
#include <limits.h>
#include <string.h>

#include "pure/pure.h"

unsigned long ml_clamp0(long long x)
{
	return x < 0 ? 0 : (unsigned long)x;
}

unsigned long ml_pages_to_kb(unsigned long pages, int page_shift)
{
	return page_shift >= 10 ? pages << (page_shift - 10) : pages >> (10 - page_shift);
}

static unsigned long ml_min(unsigned long a, unsigned long b)
{
	return a < b ? a : b;
}

/*
 * MemAvailable: free pages above the reserves, plus the page cache and the
 * reclaimable kernel memory that could be dropped -- of each, the kernel
 * assumes half (at most the low watermark's worth) must stay.
 */
unsigned long ml_si_mem_available(const struct ml_avail_in *in)
{
	long long avail = (long long)in->free - (long long)in->totalreserve;
	unsigned long cache = in->active_file + in->inactive_file;
	unsigned long recl = in->slab_reclaimable + in->misc_reclaimable;

	avail += cache - ml_min(cache / 2, in->wmark_low);
	avail += recl - ml_min(recl / 2, in->wmark_low);
	return ml_clamp0(avail);
}

/*
 * nr_dirty_threshold and nr_dirty_background_threshold as /proc/vmstat
 * prints them: a ratio (kept per PAGE_SIZE for precision) of dirtyable
 * memory, or the byte settings when set. The real-time task bonus does not
 * apply: /proc/vmstat is read by an ordinary task.
 */
void ml_dirty_limits(const struct ml_dirty_in *in, unsigned long *background,
		     unsigned long *dirty)
{
	unsigned long avail = in->free, ratio, bg_ratio, thresh, bg;

	avail -= ml_min(avail, in->totalreserve);
	avail += in->inactive_file + in->active_file;
	/* highmem_dirtyable_memory() is capped at the total */
	avail -= ml_min(avail, in->highmem_dirtyable);
	avail += 1;	/* the kernel never returns 0 */

	ratio = in->dirty_ratio * in->page_size / 100;
	bg_ratio = in->background_ratio * in->page_size / 100;
	if (in->dirty_bytes)
		thresh = (in->dirty_bytes + in->page_size - 1) / in->page_size;
	else
		thresh = ratio * avail / in->page_size;
	if (in->background_bytes)
		bg = (in->background_bytes + in->page_size - 1) / in->page_size;
	else
		bg = bg_ratio * avail / in->page_size;
	if (thresh > UINT_MAX)
		thresh = UINT_MAX;
	if (bg >= thresh)
		bg = thresh / 2;
	*background = bg;
	*dirty = thresh;
}

unsigned long ml_commit_limit(unsigned long totalram, unsigned long hugetlb_pages,
			      unsigned long overcommit_kbytes,
			      unsigned long overcommit_ratio,
			      unsigned long total_swap, int page_shift)
{
	unsigned long allowed;

	if (overcommit_kbytes)
		allowed = overcommit_kbytes >> (page_shift - 10);
	else
		allowed = (totalram - ml_min(totalram, hugetlb_pages)) * overcommit_ratio / 100;
	return allowed + total_swap;
}

int ml_meminfo_line(char *buf, size_t len, const char *name, unsigned long val,
		    int width, bool kb)
{
	char label[64];

	snprintf(label, sizeof(label), "%s:", name);
	return snprintf(buf, len, "%-*s%*lu%s", 24 - width, label, width, val,
			kb ? " kB" : "");
}

int ml_meminfo_na(char *buf, size_t len, const char *name, const char *why)
{
	char label[64];

	snprintf(label, sizeof(label), "%s:", name);
	return snprintf(buf, len, "%-16s%8s (%s)", label, "?", why);
}

static const char *const ml_ledger_names[ML_LG_NR] = {
	[ML_LG_FREE] = "free",
	[ML_LG_PCP] = "free_pcp",
	[ML_LG_FILE] = "page_cache",
	[ML_LG_ANON] = "anon",
	[ML_LG_SLAB_RECLAIMABLE] = "slab_reclaimable",
	[ML_LG_SLAB_UNRECLAIMABLE] = "slab_unreclaimable",
	[ML_LG_KERNEL_STACK] = "kernel_stack",
	[ML_LG_PAGE_TABLES] = "page_tables",
	[ML_LG_VMALLOC] = "vmalloc",
	[ML_LG_PERCPU] = "percpu",
	[ML_LG_HUGETLB] = "hugetlb",
	[ML_LG_DMABUF] = "dma_buf",
	[ML_LG_CMA] = "cma",
	[ML_LG_ZSMALLOC] = "zsmalloc",
	[ML_LG_OTHER] = "other",
};

const char *ml_ledger_name(enum ml_ledger_item i)
{
	return (unsigned)i < ML_LG_NR ? ml_ledger_names[i] : "?";
}

/* unaccounted = MemTotal - every counter we know of: pages taken from the
 * buddy allocator that no counter tracks (alloc_pages() callers that do not
 * account, leaks). Unknown items count as 0 and clear complete. */
void ml_ledger_compute(struct ml_ledger *l)
{
	int i;

	l->accounted = 0;
	l->complete = true;
	for (i = 0; i < ML_LG_NR; i++) {
		if (!l->known[i]) {
			l->complete = false;
			continue;
		}
		l->accounted += l->item[i];
	}
	l->unaccounted = (long long)l->total - l->accounted;
}
