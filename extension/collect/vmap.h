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
};
/* the busy areas on vmap_area_list, by ascending address (the list's
 * order); NULL with *why when this kernel's list is not found (v6.9 moved
 * the areas to per-node vmap_nodes[]); *st: how the walk ended */
struct ml_vmap_area *ml_vmap_areas(size_t *n, enum ml_walk_status *st, const char **why);

#endif /* ML_COLLECT_VMAP_H */
