/* collect/orphans.h: the reachability scan (collect/orphans.c, orphobjs.c,
 * orphroots.c); see collect/collect.h */
#ifndef ML_COLLECT_ORPHANS_H
#define ML_COLLECT_ORPHANS_H

#include "core/core.h"
#include "collect/slab.h"
#include "collect/vmap.h"

/* ---- kmemleak's scan, run on the dump ("memleak orphans") ------------ */

struct ml_orph_opts {
	bool by_stack;		/* group by the whole stack, not the caller */
	const char *caches;	/* report only these caches (comma list) */
	const char *module;	/* report only callsites in this module */
	/* what the scan is doing, now and then (the collector never prints:
	 * cmd/ decides whether to show it) */
	void (*progress)(void *arg, const char *phase, unsigned long done,
			 unsigned long total);
	void *arg;
};

/* the roots: what is scanned whether or not anything points at it */
enum ml_root_kind {
	ML_RK_KERNEL,		/* .data, .bss, ro_after_init */
	ML_RK_MODULE,		/* each module's data */
	ML_RK_PERCPU,		/* every unit of the first percpu chunk */
	ML_RK_STACK,		/* every task's kernel stack */
	ML_RK_VMAP,		/* vmap areas without a page array: percpu
				 * chunks, vmap(), ioremap */
	ML_RK_PAGES,		/* allocated pages that are no tracked object */
	ML_RK_NR
};
const char *ml_root_kind_name(enum ml_root_kind k);
struct ml_root_stats {
	unsigned long ranges;
	unsigned long long bytes;	/* scanned */
	unsigned long long unreadable;	/* bytes the dump lacks */
};

struct ml_or_ctx;
struct ml_orph_data {
	struct ml_or_ctx *x;
	struct ml_slab_data slab;	/* the caches (names, sizes, tracks) */
	struct ml_orph_group **v;	/* unreferenced, grouped, most bytes first */
	size_t n;
	/* per kind (enum ml_orph_kind) */
	unsigned long tracked[ML_ORK_NR], reached[ML_ORK_NR], unref[ML_ORK_NR];
	unsigned long long tracked_bytes[ML_ORK_NR], unref_bytes[ML_ORK_NR];
	unsigned long shown_objects;	/* in the groups (after -c, -m) */
	unsigned long long shown_bytes;
	/* slab objects not judged: their slab is not in the dump, or its
	 * freelist is broken */
	unsigned long unknown_objects, unknown_slabs;
	unsigned long full_unlisted;	/* full slabs found from struct page */
	unsigned long slab_inconsistent;	/* of those, inuse != objects */
	struct ml_root_stats roots[ML_RK_NR];
	unsigned long long words, bytes_read;
	unsigned long long objects_unreadable;	/* bytes of reached objects the dump lacks */
	unsigned long pfns, pages_unreadable;	/* struct pages not in the dump */
	unsigned long pagetables;	/* page allocations that are page tables */
	unsigned long split_pages;	/* pages merged into a split allocation */
	struct ml_range missing[4];	/* the first root page runs not in the dump (pfns) */
	size_t nmissing;
	/* of roots[ML_RK_PAGES].unreadable: PG_reserved pages (firmware
	 * holes, zero pages makedumpfile left out), not named */
	unsigned long long reserved_unreadable;
	unsigned long vmap_areas;		/* busy vmap areas seen */
	unsigned long dead_stacks;		/* exited tasks' cached stacks: not scanned */
	unsigned long long image_freed;		/* bytes of kernel data freed after boot: no root */
	bool page_owner;		/* page allocations are tracked objects */
	bool vmalloc;			/* vmalloc areas are tracked objects */
	unsigned long caches_untracked;	/* caches without alloc tracks */
	unsigned long long memory;	/* bytes the scan's own tables took */
	ulong now;			/* jiffies at the dump */
	bool interrupted;
};
/* the scan; 0, or -1 with the reason in ml_failure(). What is partial
 * (no page_owner, no vmalloc list, unreadable roots) is an ml_warn() */
int ml_orphans_collect(struct ml_orph_data *d, const struct ml_orph_opts *o);
/* a group's stack (slab track handle, page_owner handle), if any */
unsigned int ml_orphans_stack(struct ml_orph_data *d, const struct ml_orph_group *g,
			      const ulong **entries, enum ml_depot_status *st);
/* where a group's objects are: the cache's name, "(pages)", "(vmalloc)" */
const char *ml_orphans_where(const struct ml_orph_data *d, const struct ml_orph_group *g);

/* ---- within the collector: orphans.c, orphobjs.c, orphroots.c -------- */

enum ml_rg_kind { ML_RG_SLAB, ML_RG_PAGE, ML_RG_VMALLOC };
/* pfn table values besides region index + 1 */
#define ML_PFN_NONE 0U
#define ML_PFN_BACKING 0xffffffffU	/* a vmalloc'ed or vmap'ed page */
#define ML_PFN_ROOT 0xfffffffeU		/* scanned as an explicit root */
#define ML_PFN_MAXRG 0xfffffff0U
#define ML_PFN_BLOCK_SHIFT 15

/* one container of tracked objects: a slab, a page allocation or a
 * vmalloc area; its objects' bits are bit .. bit + nobj - 1 */
struct ml_or_region {
	ulong start;		/* first slot / first byte */
	ulong len;		/* bytes covered */
	ulong aux;		/* slab: struct slab; page: pfn; vmalloc: vm_struct */
	union {
		uint64_t ts;	/* page: page_owner ts_nsec */
		ulong caller;	/* vmalloc: vm_struct.caller */
	};
	uint32_t bit, nobj;
	uint32_t size;		/* slab: slot size; else len (capped) */
	uint32_t cache;		/* slab: cache index; page: stack handle */
	uint8_t kind;		/* enum ml_rg_kind */
	bool queued;
	uint8_t order;		/* page: allocation order */
	bool vmstruct;		/* slab: holds a vm_struct (see vmx) */
};

/* a task's kernel stack and the stack pointer its last switch saved
 * (0: running at the dump, or unknown: the whole stack is live) */
struct ml_or_tstack {
	ulong stack, sp;
};

struct ml_or_ctx {
	struct ml_orph_data *d;
	const struct ml_orph_opts *o;
	struct ml_or_region *rg;
	size_t nrg, caprg;
	/* two bits per object: reached (or free), scanned (or free) */
	uint64_t *rbit, *sbit;
	uint64_t nbits, capbits;
	/* pfn -> region index + 1, or ML_PFN_* (4 bytes per page frame):
	 * blocks of 1 << ML_PFN_BLOCK_SHIFT pfns, only where memory is */
	uint32_t **pfn_blk;
	ulong pfn0, npfn, nblk, blocks;
	struct ml_po_chunk *ch;		/* sections, by pfn */
	size_t nch;
	struct ml_range *mm;		/* mem_map of each section, by address */
	size_t nmm;
	struct ml_range *vm;		/* vmalloc regions by address */
	size_t nvm;
	struct ml_range *vmx;		/* vm_struct slot -> its area's region:
					 * a pointer to the vm_struct refers
					 * to the area, as kmemleak's excess_ref */
	size_t nvmx;
	struct ml_range *caches;	/* kmem_cache address -> index */
	uint64_t *skip;			/* bookkeeping words of the vmap areas */
	size_t nskip, capskip;
	struct ml_range *vroots;	/* vmap areas scanned as roots */
	size_t nvroots, capvroots;
	struct ml_range *proots;	/* pfn runs of root pages */
	size_t nproots, capproots;
	struct ml_or_tstack *tstacks;	/* every task's stack */
	size_t ntstacks, captstacks;
	uint32_t *work;			/* regions queued */
	size_t nwork;
	uint32_t *pend;			/* page allocations reached, read in runs */
	size_t npend;
	bool own_struct_pages;		/* scanning page allocations' struct pages */
	/* address windows a word is tested against */
	ulong dm_lo, dm_span, vm_lo, vm_span, mm_lo, mm_span;
	physaddr_t dm_phys0;
	int shift;
	long psize;			/* sizeof(struct page) */
	long task_stack_off;
	long task_sp_off;
	ulong vmap_area_cache;		/* vmap_area_cachep's kmem_cache, 0 */		/* the saved stack pointer in task_struct, -1 */
	char *buf;
	size_t buflen;
	unsigned long pops;
};

/* the pfn table's entry of pfn, NULL where no memory section is */
static inline uint32_t *ml_or_pfn_slot(const struct ml_or_ctx *x, ulong pfn)
{
	ulong rel = pfn - x->pfn0, b = rel >> ML_PFN_BLOCK_SHIFT;

	if (rel >= x->npfn || !x->pfn_blk[b])
		return NULL;
	return &x->pfn_blk[b][rel & ((1UL << ML_PFN_BLOCK_SHIFT) - 1)];
}

/* orphobjs.c: the objects */
int ml_or_objects(struct ml_or_ctx *x);
/* the struct page pass: full slabs on no list, page allocations, root
 * pages (after the explicit roots marked their pfns) */
void ml_or_page_pass(struct ml_or_ctx *x);
/* the pfn of a direct-map address; n pfns from pfn marked v in the table */
ulong ml_or_pfn_of(const struct ml_or_ctx *x, ulong vaddr);
void ml_or_mark(struct ml_or_ctx *x, ulong pfn, ulong n, uint32_t v);
/* every object of r reached and scanned: never judged, never read */
void ml_or_settle(struct ml_or_ctx *x, const struct ml_or_region *r);
/* orphvmap.c: the vmalloc areas (tracked, roots, skipped words) */
void ml_or_vmalloc(struct ml_or_ctx *x);
/* the va_start/va_end/vm words of the allocated objects of a slab of
 * vmap_area_cachep (free: bit i set for a free object; NULL: all allocated) */
void ml_or_vmap_area_skips(struct ml_or_ctx *x, const struct ml_scache *c, ulong base,
			   unsigned int objects, const uint64_t *free);
/* orphroots.c: the roots, then the flood fill */
void ml_or_roots(struct ml_or_ctx *x);
/* orphans.c: the scan of a buffer read from vaddr */
void ml_or_scan(struct ml_or_ctx *x, const char *buf, size_t len, ulong vaddr);
/* read [vaddr, vaddr + len) in pieces and scan it; unreadable bytes
 * counted in *bad */
void ml_or_scan_range(struct ml_or_ctx *x, ulong vaddr, ulong len, unsigned long long *bad);
/* the flood fill: scan queued regions until none is left */
void ml_or_drain(struct ml_or_ctx *x);
/* objects overlapping [vaddr, vaddr + len) held by a root: reached, and
 * not scanned as objects (the root range is) */
void ml_or_hold(struct ml_or_ctx *x, ulong vaddr, ulong len);
/* a buffer of at least len bytes (x->buf) */
char *ml_or_buf(struct ml_or_ctx *x, size_t len);
/* a new region with nobj objects, bits cleared; its index */
uint32_t ml_or_region_new(struct ml_or_ctx *x, enum ml_rg_kind kind, uint32_t nobj);
void ml_or_progress(struct ml_or_ctx *x, const char *phase, unsigned long done,
		    unsigned long total);

#endif /* ML_COLLECT_ORPHANS_H */
