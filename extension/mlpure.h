/*
 * mlpure.h: the parts of memleak that are pure logic -- JSON and table
 * output, arithmetic on kernel data already read -- with no crash headers,
 * so the unit tests (tests/unit) build them without crash.
 */
#ifndef MLPURE_H
#define MLPURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* command arena (mem.c in the extension, a calloc stub in unit tests) */
void *ml_alloc(size_t size);		/* zeroed; never returns NULL */
void *ml_realloc(void *p, size_t size);
char *ml_strdup(const char *s);
void ml_free(void *p);

/* ---- output: tables and JSON (out.c) ---------------------------------- */

struct ml_json {
	FILE *fp;
	int depth;
	bool first[64];		/* no member written yet at this depth */
	bool pretty;
};

void mj_init(struct ml_json *j, FILE *fp, bool pretty);
void mj_obj(struct ml_json *j, const char *key);	/* key NULL in arrays */
void mj_obj_end(struct ml_json *j);
void mj_arr(struct ml_json *j, const char *key);
void mj_arr_end(struct ml_json *j);
void mj_str(struct ml_json *j, const char *key, const char *val);
void mj_strn(struct ml_json *j, const char *key, const char *val, size_t n);
void mj_int(struct ml_json *j, const char *key, long long val);
void mj_uint(struct ml_json *j, const char *key, unsigned long long val);
void mj_bool(struct ml_json *j, const char *key, bool val);
void mj_null(struct ml_json *j, const char *key);
void mj_double(struct ml_json *j, const char *key, double val, int prec);
void mj_end(struct ml_json *j);	/* closes the document: newline */
/* escape s into JSON string syntax (with quotes) on fp */
void mj_write_string(FILE *fp, const char *s, size_t n);

/* Aligned text table; cells are formatted strings, columns sized to fit. */
enum ml_align { ML_LEFT, ML_RIGHT };
struct ml_table;
struct ml_table *mt_new(int ncols, const char *const *headers,
			const enum ml_align *align);
void mt_cell(struct ml_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mt_print(struct ml_table *t, FILE *out, const char *indent);

/* human-readable sizes: "1.5 MiB" */
const char *ml_human_bytes(unsigned long long bytes, char *buf, size_t len);

/* ---- fragmentation arithmetic (frag.c) -------------------------------- */

/* mm/vmstat.c's struct contig_page_info, from a zone's nr_free[] */
struct ml_contig_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};
void ml_contig_info(const unsigned long *nr_free, int nr_orders,
		    unsigned int suitable_order, struct ml_contig_info *info);
/* indexes in thousandths, exactly as the kernel's unusable_free_index()
 * and __fragmentation_index() (-1000: the request would succeed) */
int ml_unusable_index(unsigned int order, const struct ml_contig_info *info);
int ml_fragmentation_index(unsigned int order, int nr_orders,
			   const struct ml_contig_info *info);
/* "%*d.%03d" as debugfs extfrag prints it: width 0 for unusable_index,
 * 2 for extfrag_index */
const char *ml_index_str(int index, int width, char *buf, size_t len);
/* highest order with a free block, -1 if none */
int ml_largest_free_order(const unsigned long *nr_free, int nr_orders);

/* Would an order-N request of an ordinary caller (no access to reserves,
 * no CMA) pass __zone_watermark_ok() against mark in this zone? */
enum ml_verdict {
	ML_VERDICT_OK = 0,		/* succeeds */
	ML_VERDICT_OOM,			/* free pages at or below the watermark */
	ML_VERDICT_FRAGMENTED,		/* enough free pages, no block that big */
	ML_VERDICT_IMPOSSIBLE,		/* order beyond the buddy allocator's */
};
struct ml_wmark_input {
	long free_pages;		/* NR_FREE_PAGES */
	long mark;			/* watermark incl. boost */
	long lowmem_reserve;		/* lowmem_reserve[highest_zoneidx] */
	long nr_reserved_highatomic;
	long free_cma;			/* NR_FREE_CMA_PAGES */
	int nr_orders;
	/* per order: free blocks on the lists such a request may take from
	 * (MIGRATE_PCPTYPES); nr_free when the lists could not be walked */
	const unsigned long *usable_blocks;
};
enum ml_verdict ml_watermark_verdict(const struct ml_wmark_input *in,
				     unsigned int order);
const char *ml_verdict_str(enum ml_verdict v);	/* "fails, fragmented" */
const char *ml_verdict_key(enum ml_verdict v);	/* "fragmented" (JSON) */

/* pageblock_order from the distance between consecutive sections'
 * mem_section_usage (one boot allocation per node); -1 if none or several
 * orders fit */
int ml_pageblock_order_from_stride(unsigned long stride, unsigned long usage_size,
				   unsigned long pages_per_section,
				   unsigned int pageblock_bits, int nr_orders);

/* an OOM report or page allocation failure in the kernel log */
enum ml_event_kind { ML_EVENT_NONE = 0, ML_EVENT_OOM, ML_EVENT_ALLOC_FAILURE };
struct ml_alloc_event {
	enum ml_event_kind kind;
	int order;
	unsigned long gfp;
	bool gfp_known;
};
bool ml_parse_alloc_event(const char *line, struct ml_alloc_event *ev);

/* ---- counter arithmetic for vmstat and meminfo (counters.c) ---------- */

/* the kernel's readers clamp transiently negative counters at 0 */
unsigned long ml_clamp0(long long x);
/* KiB held by n pages of 1 << page_shift bytes */
unsigned long ml_pages_to_kb(unsigned long pages, int page_shift);

/* si_mem_available() inputs, in pages */
struct ml_avail_in {
	unsigned long free, totalreserve;
	unsigned long active_file, inactive_file;
	unsigned long slab_reclaimable, misc_reclaimable;
	unsigned long wmark_low;	/* sum over zones of the low watermark */
};
unsigned long ml_si_mem_available(const struct ml_avail_in *in);

/* global_dirty_limits() inputs, pages, bytes and percentages */
struct ml_dirty_in {
	unsigned long free, totalreserve, active_file, inactive_file;
	unsigned long highmem_dirtyable;	/* 0 without HIGHMEM */
	unsigned long dirty_bytes, background_bytes;
	unsigned long dirty_ratio, background_ratio;
	unsigned long page_size;
};
void ml_dirty_limits(const struct ml_dirty_in *in, unsigned long *background,
		     unsigned long *dirty);

/* vm_commit_limit() in pages */
unsigned long ml_commit_limit(unsigned long totalram, unsigned long hugetlb_pages,
			      unsigned long overcommit_kbytes,
			      unsigned long overcommit_ratio,
			      unsigned long total_swap, int page_shift);

/* One /proc/meminfo line: "Name:" padded so the value, printed in width
 * columns, ends in column 24, then " kB" if kb. */
int ml_meminfo_line(char *buf, size_t len, const char *name, unsigned long val,
		    int width, bool kb);
/* the same line for a value that cannot be computed from the dump */
int ml_meminfo_na(char *buf, size_t len, const char *name, const char *why);

/* The ledger: where every page of MemTotal went. */
enum ml_ledger_item {
	ML_LG_FREE,		/* buddy free lists (NR_FREE_PAGES) */
	ML_LG_PCP,		/* per-cpu free lists: free, but not in NR_FREE_PAGES */
	ML_LG_FILE,		/* page cache incl. shmem, swap cache (NR_FILE_PAGES) */
	ML_LG_ANON,		/* mapped anonymous (NR_ANON_MAPPED) */
	ML_LG_SLAB_RECLAIMABLE,
	ML_LG_SLAB_UNRECLAIMABLE,
	ML_LG_KERNEL_STACK,	/* NR_KERNEL_STACK_KB, vmap'ed or not */
	ML_LG_PAGE_TABLES,
	ML_LG_VMALLOC,		/* vmalloc pages, less vmap'ed kernel stacks */
	ML_LG_PERCPU,		/* dynamic percpu chunks (first chunk is memblock) */
	ML_LG_HUGETLB,
	ML_LG_OTHER,		/* other counters: misc reclaimable, zspages, ... */
	ML_LG_NR
};
struct ml_ledger {
	unsigned long total;		/* MemTotal, pages */
	long long item[ML_LG_NR];	/* pages */
	bool known[ML_LG_NR];		/* false: could not be read */
	long long accounted, unaccounted;
	bool complete;			/* every item known */
};
const char *ml_ledger_name(enum ml_ledger_item i);
void ml_ledger_compute(struct ml_ledger *l);

#endif /* MLPURE_H */
