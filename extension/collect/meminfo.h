/* collect/meminfo.h: the meminfo model (collect/meminfo.c); see collect/collect.h */
#ifndef ML_COLLECT_MEMINFO_H
#define ML_COLLECT_MEMINFO_H

#include "core/core.h"
#include "collect/vmstat.h"

/* ---- /proc/meminfo and the ledger, collected once (meminfo.c) --------- */

struct ml_mi_line {
	const char *name;
	unsigned long val;	/* in the line's unit (kB, or a count) */
	int width;		/* 8, or 5 for HugePages_* and HardwareCorrupted */
	bool kb;		/* " kB" suffix */
	const char *why;	/* non-NULL: not computable, and why */
};

struct ml_meminfo {
	struct ml_mi_line *l;
	int n, cap;
	struct ml_ledger ledger;
	int page_shift;
};

/* reads the counters (vs) and builds the lines and the ledger; 0, or -1
 * with the reason in ml_failure(); failed reads are an ml_warn() */
int ml_meminfo_collect(struct ml_meminfo *m, struct ml_vmstat *vs, bool exact);

/* the ledger's dma_buf and cma items (outside.c): known where they could
 * be read, none in a kernel without dma-buf or CMA */
void ml_ledger_outside(struct ml_ledger *lg, int page_shift);

#endif /* ML_COLLECT_MEMINFO_H */
