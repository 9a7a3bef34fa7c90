/* collect/vmap.h: the vmalloc areas (collect/vmap.c); see collect/collect.h */
#ifndef ML_COLLECT_VMAP_H
#define ML_COLLECT_VMAP_H

#include "core/core.h"

/* one busy vmap_area and its vm_struct, as mm/vmalloc.c keeps them */
struct ml_vmap_area {
	ulong va;		/* the struct vmap_area */
	ulong start, end;	/* va_start, va_end */
	ulong vm;		/* struct vm_struct; 0: none (a vm_map_ram area) */
	ulong addr, size;	/* vm_struct.addr, .size (guard page included) */
	ulong caller;		/* vm_struct.caller */
	ulong pages;		/* vm_struct.pages: the struct page array, 0: none */
	unsigned int nr_pages;
	unsigned long flags;	/* vm_struct.flags (VM_ALLOC, VM_IOREMAP, ...) */
	unsigned long long phys;	/* vm_struct.phys_addr (ioremap) */
};
/* the busy areas: vmap_area_list, or each vmap_nodes[i].busy list (v6.9),
 * in list order; NULL with *why when neither is found; *st: how the walk
 * ended (the first walk that did not end well) */
struct ml_vmap_area *ml_vmap_areas(size_t *n, enum ml_walk_status *st, const char **why);
/* every vmap_area that is not busy -- the free list, the purge list, or
 * each node's lazy list (v6.9) -- to cb, as ml_list_walk does */
void ml_vmap_idle_areas(ml_walk_cb cb, void *arg);

#endif /* ML_COLLECT_VMAP_H */
