/* collect/pageowner.h: the pageowner model (collect/pageowner.c); see collect/collect.h */
#ifndef ML_COLLECT_PAGEOWNER_H
#define ML_COLLECT_PAGEOWNER_H

#include "core/core.h"

/* ---- page_owner records grouped by stack, walked once (pageowner.c) --- */
struct ml_po_ctx;
struct ml_po_data {
	struct ml_po_ctx *c;
	struct ml_po_group **v;		/* by stack, most pages first */
	size_t n;
	unsigned long allocations, pages, class_pages[ML_PO_NCLASS];
	unsigned long special_pages;	/* early/dummy/failure placeholder stacks */
};
/* NULL if page_owner records can be read, else what is missing and how to fix */
const char *ml_pageowner_unavailable(void);
/* 0, or -1 after printing why not ("memleak SUB: ...") */
int ml_pageowner_collect(struct ml_po_data *d, const char *sub);
/* a group's stack; *special: the placeholder stack's name, or NULL */
unsigned int ml_pageowner_stack(struct ml_po_data *d, uint32_t handle, const ulong **entries,
				enum ml_depot_status *st, const char **special);

/* struct page and page_ext by ascending pfn, bulk-read a section at a
 * time (zones.c's mixed blocks); NULL and *why if page_owner is off */
struct ml_po_pages;
struct ml_po_pages *ml_po_pages_open(const char **why);
/* always true; out->ok false where the struct page is not in the dump */
bool ml_po_pages_get(struct ml_po_pages *p, ulong pfn, struct ml_mixed_pfn *out);
unsigned long ml_po_pages_unreadable(const struct ml_po_pages *p);
void ml_po_pages_close(struct ml_po_pages *p);

#endif /* ML_COLLECT_PAGEOWNER_H */
