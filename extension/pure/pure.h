/*
 * pure.h: the parts of memleak that are pure logic -- JSON and table
 * output, arithmetic on kernel data already read -- with no crash headers,
 * so the unit tests (tests/unit) build them without crash.
 */
#ifndef ML_PURE_H
#define ML_PURE_H

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

/* ---- a small JSON reader (mljson.c): snapshots for memleak diff ------- */

enum mlj_type { MLJ_NULL, MLJ_BOOL, MLJ_NUMBER, MLJ_STRING, MLJ_ARRAY, MLJ_OBJECT };
struct mlj_value {
	enum mlj_type type;
	bool b;
	double num;
	long long i;		/* the number as an integer (truncated if not integral) */
	bool integral;
	char *str;		/* MLJ_STRING, unescaped, NUL-terminated */
	size_t len;
	struct mlj_value **items;	/* array elements or member values */
	const char **keys;		/* member names (objects) */
	size_t n, cap;
};
/* the document, arena-allocated; NULL with "what at byte N" in err */
struct mlj_value *mlj_parse(const char *text, size_t len, char *err, size_t errlen);
const struct mlj_value *mlj_get(const struct mlj_value *obj, const char *key);
const struct mlj_value *mlj_at(const struct mlj_value *arr, size_t i);
size_t mlj_len(const struct mlj_value *v);	/* elements or members; 0 otherwise */
const char *mlj_str(const struct mlj_value *obj, const char *key, const char *dflt);
long long mlj_int(const struct mlj_value *obj, const char *key, long long dflt);
double mlj_num(const struct mlj_value *obj, const char *key, double dflt);

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

/* pagetypeinfo's "Number of mixed blocks" (mm/page_owner.c
 * pagetypeinfo_showmixedcount_print(), unchanged 5.10..7.x): pageblocks
 * holding an allocated page whose gfp migratetype is not the block's */
struct ml_mixed_pfn {		/* one pfn as the kernel's walk sees it */
	bool ok;		/* struct page read and page_zone() is this zone */
	bool buddy;		/* PageBuddy: a free block of buddy_order */
	unsigned int buddy_order;
	bool reserved;		/* PageReserved */
	bool has_ext;		/* page_ext_get() found an entry */
	bool allocated;		/* PAGE_EXT_OWNER_ALLOCATED */
	uint32_t gfp;		/* page_owner.gfp_mask */
	unsigned int order;	/* page_owner.order */
};
struct ml_mixed_walk {
	uint64_t start_pfn, end_pfn;	/* the zone's span */
	unsigned int pb_order;		/* pageblock_order */
	int nr_orders;			/* buddy orders (MAX_ORDER_NR_PAGES = 1 << (n-1)) */
	int nr_mt;			/* MIGRATE_TYPES */
	int movable_mt, cma_mt;		/* MIGRATE_MOVABLE, MIGRATE_CMA (-1: none) */
	uint32_t gfp_mt_mask;		/* GFP_MOVABLE_MASK */
	int gfp_mt_shift;		/* GFP_MOVABLE_SHIFT */
	bool mobility_disabled;		/* page_group_by_mobility_disabled */
	/* get_pageblock_migratetype() of an online pfn's block, -1 offline */
	int (*block_mt)(void *arg, uint64_t pfn);
	/* fill *p for pfn; false stops the walk (interrupted) */
	bool (*pfn)(void *arg, uint64_t pfn, struct ml_mixed_pfn *p);
	void *arg;
};
/* count[nr_mt] += mixed blocks; false if a callback stopped the walk */
bool ml_mixed_blocks(const struct ml_mixed_walk *w, unsigned long *count);

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
	ML_LG_DMABUF,		/* dma-bufs on the kernel's list (their sizes) */
	ML_LG_CMA,		/* CMA areas' allocated pages not in another item */
	ML_LG_ZSMALLOC,		/* zsmalloc's pages (zram, zswap): NR_ZSPAGES */
	ML_LG_OTHER,		/* other counters: misc reclaimable, bounce, ... */
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

/* ---- SLUB and stack depot arithmetic (slabcalc.c) --------------------- */

/* uthash (Debian's uthash-dev) allocating from the command arena */
#ifndef uthash_malloc
#define uthash_malloc(sz) ml_alloc(sz)
#define uthash_free(ptr, sz) ml_free(ptr)
#endif
#include <uthash.h>

uint64_t ml_swab64(uint64_t x);
/* mm/slub.c freelist_ptr(): the free pointer stored at ptr_addr, decoded;
 * with SLAB_FREELIST_HARDENED it is ptr ^ s->random ^ swab(ptr_addr), swab
 * of the target's long (long_bytes 4 or 8) */
uint64_t ml_freeptr_decode(uint64_t stored, uint64_t ptr_addr,
			   uint64_t random, bool hardened, int long_bytes);

/* union handle_parts, bit positions as DWARF gives them (shift -1: absent) */
struct ml_handle_layout {
	int index_shift, index_bits;
	int offset_shift, offset_bits;
	int valid_shift;
	int extra_shift, extra_bits;
	int align;		/* DEPOT_STACK_ALIGN: offset unit 1 << align */
};
struct ml_handle_parts {
	uint32_t index, offset, valid, extra;
	uint64_t byte_offset;	/* offset << align: record's place in its pool */
};
void ml_handle_decode(uint32_t handle, const struct ml_handle_layout *l,
		      struct ml_handle_parts *p);
/* the handle without the extra bits its users store in it */
uint32_t ml_handle_strip_extra(uint32_t handle, const struct ml_handle_layout *l);
/* bytes of one depot pool: the offset field spans it */
uint64_t ml_handle_pool_size(const struct ml_handle_layout *l);

/* an integer bitfield of a word: (word >> shift) & ((1 << bits) - 1) */
uint64_t ml_bits(uint64_t word, int shift, int bits);

/* tools/mm/slabinfo.c's columns, from a cache's totals */
struct ml_slab_totals {
	unsigned long objects;		/* active objects */
	unsigned long total_objects;
	unsigned long slabs, partial, cpu_slabs;
	unsigned long object_size, slab_size;	/* s->object_size, s->size */
	unsigned int order, page_size;
};
unsigned long long ml_slab_bytes(const struct ml_slab_totals *t);	/* slabs' memory */
long long ml_slab_loss(const struct ml_slab_totals *t);	/* memory - objects * object_size */
unsigned int ml_slab_pct_free(const struct ml_slab_totals *t);	/* %Fr: partial slabs */
unsigned int ml_slab_pct_eff(const struct ml_slab_totals *t);	/* %Ef: payload / memory */

/* age of a track: jiffies at dump minus track.when, in seconds */
double ml_jiffies_age_s(unsigned long now, unsigned long when, unsigned int hz);
/* HZ from jiffies_64, which counts from INITIAL_JIFFIES = (u32)(-300 * HZ),
 * and the monotonic time (ns) of its last update (last_jiffies_update):
 * the usual HZ values that fit, 0 if none does */
unsigned int ml_hz_from_clocks(uint64_t jiffies64, int64_t mono_ns);
/* INITIAL_JIFFIES of that HZ */
uint64_t ml_initial_jiffies(unsigned int hz);

/* Callsites: objects grouped like debugfs alloc_traces (add_location). */
struct ml_site_key {
	uint64_t addr;		/* track.addr: the caller */
	uint32_t cache;		/* the caller's index of the cache */
	uint32_t handle;	/* stack depot handle when grouping by stack, else 0 */
};
#define ML_SITE_CPU_WORDS 4	/* cpus 0..255 listed; beyond: cpus_more */
struct ml_site {
	struct ml_site_key key;
	unsigned long count;
	unsigned long long waste;	/* sum of object_size - requested size */
	unsigned long long sum_age;	/* jiffies */
	unsigned long min_age, max_age;
	unsigned long aged;		/* objects whose track had a time */
	long min_pid, max_pid;
	uint64_t cpus[ML_SITE_CPU_WORDS];
	bool cpus_more;
	uint64_t nodes;		/* nodes 0..63 */
	uint32_t first_handle;	/* the stack shown for this group */
	bool handles_differ;	/* more than one stack in this group */
	UT_hash_handle hh;
};
struct ml_sites;		/* a set of callsites, hashed by key */
struct ml_sites *ml_sites_new(void);
struct ml_site_obj {		/* one allocated object's track */
	uint64_t addr;
	uint32_t handle;
	unsigned long when, now;	/* jiffies; when 0: no time recorded */
	long pid;
	int cpu, node;
	unsigned long waste;
};
void ml_sites_add(struct ml_sites *s, uint32_t cache, bool by_stack,
		  const struct ml_site_obj *o);
unsigned long ml_sites_count(const struct ml_sites *s);
/* the groups sorted by count (or bytes = count * objsize[cache]), largest
 * first, ties by caller address; n set to their number */
enum ml_site_sort { ML_SITE_BY_COUNT, ML_SITE_BY_BYTES };
struct ml_site **ml_sites_sorted(struct ml_sites *s, enum ml_site_sort by,
				 const unsigned long *objsize, size_t *n);
/* "0-1,3" as the kernel's %*pbl prints a bitmap */
const char *ml_bitmap_list(const uint64_t *words, int nwords, char *buf, size_t len);

/* ---- page_owner: page_ext, page classes, gfp names, groups (pocalc.c) -- */

/* mm/page_ext.c: bit 0 of mem_section.page_ext marks a section going offline */
#define ML_PAGE_EXT_INVALID 0x1ULL
bool ml_page_ext_invalid(uint64_t section_page_ext);
/* address of pfn's entry: SPARSEMEM (section->page_ext is stored pre-offset,
 * base - section_start_pfn * size), FLATMEM (pgdat->node_page_ext); 0: none */
uint64_t ml_page_ext_sparse(uint64_t section_page_ext, uint64_t pfn, uint64_t ext_size);
uint64_t ml_page_ext_flat(uint64_t node_page_ext, uint64_t node_start_pfn, uint64_t pfn,
			  uint64_t max_order_nr_pages, uint64_t ext_size);

/* what a page is, from struct page flags, page_type and mapping */
enum ml_po_class {
	ML_PO_SLAB, ML_PO_ANON, ML_PO_FILE, ML_PO_PAGETABLE, ML_PO_VMALLOC,
	ML_PO_FREE, ML_PO_OTHER, ML_PO_NCLASS
};
struct ml_page_bits {
	int pg_slab, pg_lru, pg_swapbacked;	/* enum pageflags, -1: none */
	bool type_top_byte;	/* v6.12+: page_type >> 24 is enum pagetype */
	/* page_type of a buddy/table/slab page: the whole word (~PG_x) or,
	 * with type_top_byte, the top byte (PGTY_x); -1 unknown */
	int64_t type_buddy, type_table, type_slab;
};
bool ml_page_is_buddy(const struct ml_page_bits *b, uint32_t page_type);
enum ml_po_class ml_page_class(const struct ml_page_bits *b, uint64_t flags,
			       uint32_t page_type, uint64_t mapping, bool vmalloc);
const char *ml_po_class_name(enum ml_po_class c);

/* gfp masks as %pGg prints them: names from the kernel's gfpflag_names[] */
struct ml_flag_name {
	uint64_t mask;
	const char *name;
};
const char *ml_gfp_format(uint64_t mask, const struct ml_flag_name *names, size_t n,
			  char *buf, size_t len);
uint64_t ml_gfp_parse(const char *s, const struct ml_flag_name *names, size_t n);

/* allocations grouped like tools/mm/page_owner_sort --cull */
#define ML_PO_NAME_LEN 64
#define ML_PO_GFP_MAX 4
enum ml_po_cull { ML_PO_BY_STACK, ML_PO_BY_PID, ML_PO_BY_COMM, ML_PO_BY_MODULE };
enum ml_po_sort { ML_PO_SORT_PAGES, ML_PO_SORT_ALLOCS, ML_PO_SORT_TS };
struct ml_po_rec {		/* one allocation (its head page) */
	uint32_t handle;	/* stack depot handle, extra bits stripped */
	int pid, tgid;
	char comm[16];
	const char *module;	/* for ML_PO_BY_MODULE */
	unsigned int order;
	uint32_t gfp;
	uint64_t ts_nsec;
	enum ml_po_class cls;
	uint64_t pfn;
};
struct ml_po_key {
	uint32_t handle;
	int pid;
	char name[ML_PO_NAME_LEN];
};
struct ml_po_group {
	struct ml_po_key key;
	unsigned long allocations, pages;
	unsigned long class_pages[ML_PO_NCLASS];
	uint32_t orders;	/* bit n: an order-n allocation */
	uint32_t gfp[ML_PO_GFP_MAX];
	int nr_gfp;
	bool gfp_more;
	uint64_t ts_min, ts_max;
	uint32_t handle;	/* first allocation's stack */
	bool handles_differ;
	int pid, tgid;
	bool pids_differ;
	char comm[ML_PO_NAME_LEN];
	uint64_t *pfn_ts;	/* keep_pfns: pfn, ts pairs of each allocation */
	size_t nr_pfn_ts, cap_pfn_ts;
	UT_hash_handle hh;
};
struct ml_po_groups;
/* keep_pfns: each group lists its allocations' pfns (memory grows with pages) */
struct ml_po_groups *ml_po_groups_new(enum ml_po_cull cull, bool keep_pfns);
void ml_po_add(struct ml_po_groups *gs, const struct ml_po_rec *r);
unsigned long ml_po_groups_count(const struct ml_po_groups *gs);
/* largest first (pages, allocations, or newest allocation), ties by key */
struct ml_po_group **ml_po_sorted(struct ml_po_groups *gs, enum ml_po_sort by, size_t *n);
const char *ml_po_orders_str(uint32_t orders, char *buf, size_t len);

/* ---- orphans: the reachability scan's pure parts (orphcalc.c) --------- */

/* address ranges: sorted by start, looked up by binary search */
struct ml_range {
	uint64_t start, len;
	uint64_t id;		/* the caller's: a region index, a pfn, ... */
};
void ml_ranges_sort(struct ml_range *v, size_t n);
/* the index of the range holding addr, -1 if none (v sorted, disjoint) */
long ml_range_find(const struct ml_range *v, size_t n, uint64_t addr);
/* sorts, then merges overlapping and touching ranges (ids of the first
 * kept); returns the new count */
size_t ml_ranges_merge(struct ml_range *v, size_t n);
/* a sorted set of 64-bit values (word addresses to skip) */
void ml_u64_sort(uint64_t *v, size_t n);
bool ml_u64_in(const uint64_t *v, size_t n, uint64_t x);

/* bitmaps of 64-bit words */
static inline bool ml_bit_test(const uint64_t *m, uint64_t i)
{
	return m[i / 64] >> (i % 64) & 1;
}
static inline void ml_bit_set(uint64_t *m, uint64_t i)
{
	m[i / 64] |= 1ULL << (i % 64);
}
/* bits set in [from, from + n) */
uint64_t ml_bits_count(const uint64_t *m, uint64_t from, uint64_t n);

/* a frame of the allocator itself (page allocator, slab, vmalloc,
 * page_owner), by symbol name: skipped to find who allocated */
bool ml_allocator_frame(const char *name);
/* the caller of a page-table page: page tables are referred to by
 * physical address in their parent's entries, never by pointer */
bool ml_pagetable_frame(const char *name);
/* an allocator that splits its block into order-0 pages (split_page():
 * alloc_pages_exact()), each recorded alone by page_owner */
bool ml_splitting_frame(const char *name);

/* unreferenced objects grouped by kind, cache and callsite (and stack) */
enum ml_orph_kind { ML_ORK_SLAB, ML_ORK_PAGE, ML_ORK_VMALLOC, ML_ORK_NR };
const char *ml_orph_kind_name(enum ml_orph_kind k);	/* "slab", "page", "vmalloc" */
#define ML_ORPH_EXAMPLES 3
struct ml_orph_key {
	uint32_t kind;		/* enum ml_orph_kind */
	uint32_t cache;		/* slab: the caller's cache index, else 0 */
	uint64_t caller;	/* 0: no callsite known (no tracks) */
	uint32_t handle;	/* stack depot handle with --stack, else 0 */
};
struct ml_orph_group {
	struct ml_orph_key key;
	unsigned long count;
	unsigned long long bytes;
	double age_min, age_max;	/* seconds; aged: how many had one */
	unsigned long aged;
	uint64_t example[ML_ORPH_EXAMPLES];
	int nr_examples;
	uint32_t first_handle;	/* the stack shown */
	bool handles_differ;
	UT_hash_handle hh;
};
struct ml_orph_groups;
struct ml_orph_groups *ml_orph_groups_new(void);
/* one object at addr of bytes; age in seconds, < 0 unknown; handle: its
 * stack (0: none) */
void ml_orph_add(struct ml_orph_groups *gs, const struct ml_orph_key *k, uint64_t addr,
		 unsigned long long bytes, double age, uint32_t handle);
unsigned long ml_orph_groups_count(const struct ml_orph_groups *gs);
/* most bytes first, then most objects, ties by key */
struct ml_orph_group **ml_orph_sorted(struct ml_orph_groups *gs, size_t *n);

/* ---- small pieces (util.c) --------------------------------------------- */

/* Brent's cycle check over a chain of positions (pointers): init with the
 * first, step with each next; true once the chain came back to a position
 * it passed (a cycle) */
struct ml_cycle {
	uint64_t saved;
	unsigned long power, lam;
};
void ml_cycle_init(struct ml_cycle *c, uint64_t start);
bool ml_cycle_step(struct ml_cycle *c, uint64_t pos);
/* Of two symbols at one address, which the kernel's kallsyms prints (its
 * table is sorted by address, then as scripts/kallsyms.c's
 * compare_symbols(): strong before weak, then names a linker script did
 * not provide, then fewer leading underscores; a lookup takes the first
 * alias): < 0 for a, > 0 for b, 0 where only the table order decides. */
int ml_ksym_alias_cmp(const char *a, bool a_weak, const char *b, bool b_weak);

/* name is one of the comma-separated names of list */
bool ml_name_in_list(const char *name, const char *list);

/* A kernel bitmap (unsigned long words) read as bytes: on a little-endian
 * target bit i is bit i % 8 of byte i / 8 whatever the word size, so a
 * 32-bit ARM bitmap and an x86_64 one read alike. nbits bits. */
uint64_t ml_lebits_weight(const unsigned char *b, uint64_t nbits);
/* the longest run of clear bits (cma_maxchunk_get()'s answer) */
uint64_t ml_lebits_max_clear_run(const unsigned char *b, uint64_t nbits);

#endif /* ML_PURE_H */
