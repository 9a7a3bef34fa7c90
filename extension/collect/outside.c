/*
 * outside.c: the ledger's items that no counter of the kernel has, from
 * the collectors that find them: dma-bufs (collect/dmabuf.c) and the CMA
 * areas' allocated pages (collect/cma.c).
 */
#include "collect/collect.h"

/*
 * What no counter has: dma-bufs (the system and CMA heaps, drivers'
 * alloc_pages()) and the pages cma_alloc() took from a CMA area (coherent
 * DMA, CMA heaps). The two overlap where a CMA heap exports a buffer: its
 * exporter is the heap's name, which is the area's (cma_heap.c:
 * exp_info.exp_name = dma_heap_get_name()), and those bytes stay under
 * dma_buf. hugetlb_cma's areas hold hugetlb pages: under hugetlb. A
 * shmem-backed exporter (DRM GEM) is page cache as well: counted twice.
 */
void ml_ledger_outside(struct ml_ledger *lg, int page_shift)
{
	struct ml_dbuf_data db;
	struct ml_cma_data cd;
	unsigned long long bytes = 0, heap = 0;
	unsigned long cma = 0;
	size_t i, k;
	bool db_ok = ml_dmabuf_read(&db), cma_ok = ml_cma_used_pages(&cd, &cma);

	if (db_ok) {
		for (i = 0; i < db.n; i++)
			bytes += db.v[i].size;
		lg->item[ML_LG_DMABUF] = (long long)((bytes + PAGESIZE() - 1) >> page_shift);
		lg->known[ML_LG_DMABUF] = true;
	}
	if (!cma_ok)
		return;
	for (i = 0; db_ok && i < db.n; i++)
		for (k = 0; k < cd.n; k++)
			if (!cd.v[k].hugetlb && cd.v[k].name[0] &&
			    strcmp(db.v[i].exp_name, cd.v[k].name) == 0)
				heap += db.v[i].size;
	heap >>= page_shift;
	lg->item[ML_LG_CMA] = cma > heap ? (long long)(cma - heap) : 0;
	lg->known[ML_LG_CMA] = true;
}

