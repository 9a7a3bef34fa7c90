/*
 * slabctr.c: the node counters behind /proc/meminfo's SReclaimable and
 * SUnreclaim, as printed and with the per-cpu deltas folded, read through
 * the vmstat reader (vmstat.c); slabtop compares its walk with them.
 */
#include "collect/collect.h"

/* the node counters behind SReclaimable / SUnreclaim, in pages */
bool ml_slab_counters(struct ml_slab_counters *c)
{
	struct ml_vmstat vs;
	int ir, iu;

	/* bytes-named since commit d42f3245c7e2 ("mm: memcg: convert vmstat
	 * slab counters to bytes", v5.9), still stored in pages */
	ir = ml_vm_item("NR_SLAB_RECLAIMABLE_B");
	if (ir < 0)
		ir = ml_vm_item("NR_SLAB_RECLAIMABLE");
	iu = ml_vm_item("NR_SLAB_UNRECLAIMABLE_B");
	if (iu < 0)
		iu = ml_vm_item("NR_SLAB_UNRECLAIMABLE");
	/* the global atomics (as /proc/meminfo printed them) and, with the
	 * per-cpu deltas folded, the exact values the walk is compared with */
	if (ir < 0 || iu < 0 || ml_vmstat_read(&vs) < 0) {
		ml_fail_to_warning();
		return false;
	}
	c->recl = ml_vm_node_val(&vs, ir, false);
	c->unrecl = ml_vm_node_val(&vs, iu, false);
	c->recl_exact = ml_vm_node_val(&vs, ir, true);
	c->unrecl_exact = ml_vm_node_val(&vs, iu, true);
	return true;
}
