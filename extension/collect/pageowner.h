/* collect/pageowner.h: the pageowner model (collect/pageowner.c); see collect/collect.h */
#ifndef ML_COLLECT_PAGEOWNER_H
#define ML_COLLECT_PAGEOWNER_H

#include "core/core.h"

/* ---- page_owner records grouped by stack, walked once (pageowner.c) --- */

/* which records to collect, how to group and sort them ("memleak
 * pageowner"'s options); zeroed: the allocated pages, by stack, by pages */
struct ml_po_opts {
	bool unaccounted;	/* class "other" only, placeholder stacks left out */
	bool freed;		/* the freed records (page_owner.free_handle) */
	bool alloc_stack;	/* freed: group by the stack that allocated */
	bool pfns;		/* keep pfns: each allocation's (ml_po_group.pfn_ts),
				 * and the free blocks' still marked allocated */
	enum ml_po_cull cull;
	enum ml_po_sort sort;
	bool have_pid, have_order;	/* filters: pid, order, comm, gfp, module */
	long pid, order;
	const char *comm, *gfp, *module;	/* NULL: any; module "vmlinux": none */
	/* only the pfns of these ranges (start, len in pfns; sorted and
	 * disjoint: ml_ranges_merge()), NULL: all (a CMA area's) */
	const struct ml_range *pfn_in;
	size_t nr_pfn_in;
};

struct ml_po_ctx;
struct ml_po_data {
	struct ml_po_ctx *c;
	struct ml_po_group **v;		/* the groups, by the sort asked (pages) */
	size_t n;
	unsigned long allocations, pages, class_pages[ML_PO_NCLASS];
	unsigned long special_pages;	/* early/dummy/failure placeholder stacks */
	unsigned long no_stack;		/* pages whose record has no stack (handle 0) */
	unsigned long buddy_allocated;	/* free blocks still marked allocated, skipped */
	ulong *stale;			/* pfns: pfn, order of each of those blocks */
	size_t nr_stale;
	unsigned long pfns;		/* pfns walked */
	unsigned long unreadable_pages, unreadable_ext;	/* not in the dump */
	bool vm_known;			/* vmalloc'ed pages identified (vmap_area_list) */
	unsigned long stack_list_ok, stack_list_differ;	/* v6.9+ stack_list counts */
	bool interrupted;		/* the walk stopped early: partial */
	const struct ml_flag_name *gfp_names;	/* the kernel's gfpflag_names[] */
	size_t nr_gfp_names;
	bool gfp_unknown;		/* failed: opts' gfp names no flag of this kernel */
};
/* NULL if page_owner records can be read, else what is missing and how to fix */
const char *ml_pageowner_unavailable(void);
/* the records o selects (NULL: the allocated pages, by stack, most pages
 * first), grouped and sorted; 0, or -1 with the reason in ml_failure() */
int ml_pageowner_select(struct ml_po_data *d, const struct ml_po_opts *o);
int ml_pageowner_collect(struct ml_po_data *d);	/* ml_pageowner_select(d, NULL) */
/* a group's stack; *special: the placeholder stack's name, or NULL */
unsigned int ml_pageowner_stack(struct ml_po_data *d, uint32_t handle, const ulong **entries,
				enum ml_depot_status *st, const char **special);

/* struct page and page_ext by ascending pfn, bulk-read a section at a
 * time (zones.c's mixed blocks); NULL and *why if page_owner is off
 * (pagext.c) */
struct ml_po_pages;
struct ml_po_pages *ml_po_pages_open(const char **why);
/* always true; out->ok false where the struct page is not in the dump */
bool ml_po_pages_get(struct ml_po_pages *p, ulong pfn, struct ml_mixed_pfn *out);
unsigned long ml_po_pages_unreadable(const struct ml_po_pages *p);
void ml_po_pages_close(struct ml_po_pages *p);

/* ---- within the page_owner collector: pagext.c for pageowner.c ------- */

/* a pfn range whose struct pages and page_ext entries are read in bulk */
struct ml_po_chunk {
	ulong pfn0, npfn;
	ulong mem_map;		/* struct page of pfn0 */
	ulong ext;		/* page_ext entry of pfn0, 0: none */
};
/* the memory sections (SPARSEMEM), or chunks of each node (FLATMEM), by
 * ascending pfn; page_size: sizeof(struct page), ext_size: of an entry */
struct ml_po_chunk *ml_po_chunks(long page_size, long ext_size, size_t *n);
/* read len bytes in one go, else page by page: false if nothing was read;
 * what could not be read is zeroed and counted in *bad_bytes */
bool ml_po_bulk(ulong addr, char *buf, ulong len, const char *what,
		unsigned long *bad_bytes);
/* the page flag bits and page types that classify a page */
void ml_po_page_bits(struct ml_page_bits *b);

#endif /* ML_COLLECT_PAGEOWNER_H */
