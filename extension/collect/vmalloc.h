/* collect/vmalloc.h: the vmalloc areas with their totals per caller, as
 * /proc/vmallocinfo shows them (collect/vmalloc.c); see collect/collect.h */
#ifndef ML_COLLECT_VMALLOC_H
#define ML_COLLECT_VMALLOC_H

#include "core/core.h"
#include "collect/vmap.h"

/* include/linux/vmalloc.h: VM_IOREMAP .. VM_DMA_COHERENT, the same values
 * since v2.6 (0x10, VM_VPAGES until v4.6, is VM_DMA_COHERENT since v5.5,
 * 512dd784eca5 "dma-mapping: use vmap instead of reimplementing it") --
 * #defines, so not in debuginfo */
#define ML_VM_IOREMAP 0x1UL
#define ML_VM_ALLOC 0x2UL
#define ML_VM_MAP 0x4UL
#define ML_VM_USERMAP 0x8UL
#define ML_VM_DMA_COHERENT 0x10UL

struct ml_vmalloc_caller {
	ulong caller;		/* vm_struct.caller, 0: none (vm_map_ram) */
	unsigned long areas;
	unsigned long long bytes;	/* sizes, guard pages included */
	unsigned long long pages;	/* nr_pages */
	unsigned long flags;	/* the flags of its areas, or'ed */
};

struct ml_vmalloc_data {
	struct ml_vmap_area *v;	/* the busy areas, by address */
	size_t n;
	struct ml_vmalloc_caller *callers;	/* sorted by bytes */
	size_t ncallers;
	unsigned long long bytes, pages;	/* over the areas with a vm_struct */
	unsigned long map_ram;	/* areas without a vm_struct (vm_map_ram) */
	enum ml_walk_status walk;
	bool numa;		/* the kernel has NUMA: vmallocinfo prints N<node>= */
};

/* 0, or -1 with ml_fail() saying why */
int ml_vmalloc_collect(struct ml_vmalloc_data *d);
/* the node of each page of an area: counts[node] (nodes entries); false
 * if the struct page array cannot be read */
bool ml_vmalloc_nodes(const struct ml_vmap_area *a, unsigned long *counts, int nodes);

#endif /* ML_COLLECT_VMALLOC_H */
