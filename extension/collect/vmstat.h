/* collect/vmstat.h: the vmstat model (collect/vmstat.c); see collect/collect.h */
#ifndef ML_COLLECT_VMSTAT_H
#define ML_COLLECT_VMSTAT_H

#include "core/core.h"

/* ---- the kernel's vm counters, read once per command (vmstat.c) ------- */

struct ml_vm_zone {
	int node;
	char name[32];
	ulong addr;
	unsigned long managed, present;
	int idx;			/* its index in node_zones[] (enum zone_type) */
	unsigned long wmark_low;	/* _watermark[WMARK_LOW] + watermark_boost */
	unsigned long wmark_high;	/* _watermark[WMARK_HIGH] + watermark_boost */
	unsigned long pcp_free;		/* pages on the per-cpu free lists */
	long *stat, *stat_pcp;		/* [nzone]: zone->vm_stat, per-cpu deltas */
	long *numa, *numa_pcp;		/* [nnuma] */
};

struct ml_vm_node {
	int id;
	ulong addr;
	long *stat, *stat_pcp;		/* [nnode] */
};

struct ml_vmstat {
	/* section lengths, from the kernel's enums (vmstat.c) */
	int nzone, nnuma, nnode, nwb, nevent;
	/* /proc/vmstat names, vmstat_text[] order: zone, numa, node,
	 * writeback, events; NULL where unknown */
	const char **zone_names, **numa_names, **node_names, **wb_names,
		**event_names;
	bool names_from_dump;	/* vmstat_text[] (else enumerator names) */
	/* global atomics and the per-cpu deltas not yet folded into them */
	long *zone, *zone_pcp, *numa, *numa_pcp, *node, *node_pcp;
	bool numa_folded;	/* the kernel folds NUMA events before printing */
	unsigned long *event;	/* vm_event_states summed over online cpus */
	/* the section after the node items: enum writeback_stat_item (the
	 * two dirty thresholds), enum vm_stat_item from v6.11 (the thresholds
	 * and the memmap pages); [nwb], wb_known[i]: computed or read */
	unsigned long *wb;
	bool *wb_known;
	struct ml_vm_zone *zones;
	int nzones;
	struct ml_vm_node *nodes;
	int nnodes;
	int cpus;		/* online cpus whose deltas were read */
	unsigned long failed;	/* reads that failed */
};

/* 0 on success; -1 with the reason in ml_fail(). Reads that failed and
 * names not from vmstat_text[] are ml_warn()s */
int ml_vmstat_read(struct ml_vmstat *vs);
/* index of an enumerator in its section, -1 if this kernel lacks it */
int ml_vm_item(const char *enumerator);
/* value of a zone/node/numa item, clamped at 0 like the kernel's readers;
 * exact: with the per-cpu deltas folded in */
unsigned long ml_vm_zone_val(const struct ml_vmstat *vs, int item, bool exact);
unsigned long ml_vm_node_val(const struct ml_vmstat *vs, int item, bool exact);
unsigned long ml_vm_numa_val(const struct ml_vmstat *vs, int item, bool exact);

#endif /* ML_COLLECT_VMSTAT_H */
