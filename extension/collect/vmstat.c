/*
 * vmstat.c: the kernel's vm counters as /proc/vmstat would have printed
 * them at the moment of the dump: the reader "memleak vmstat" prints from
 * (cmd/vmstat.c) and meminfo and summary share. struct zone is read by
 * ml_zone_walk() (zones.c), which the zones model uses too.
 *
 * Where the numbers live (every length from the kernel's own enums, every
 * name from its vmstat_text[] array, never from a version number):
 *
 *  - zone items: vm_zone_stat[NR_VM_ZONE_STAT_ITEMS], zone->vm_stat[], and
 *    per-cpu deltas not folded yet: zone->per_cpu_zonestats->vm_stat_diff[]
 *    since commit 28f836b6777b ("mm/page_alloc: split per cpu page lists
 *    and zone stats") in v5.14, zone->pageset->vm_stat_diff[] before;
 *  - NUMA items: vm_numa_event[NR_VM_NUMA_EVENT_ITEMS] (unsigned long, with
 *    per-cpu per_cpu_zonestat.vm_numa_event[] that /proc/vmstat folds in
 *    first, fold_vm_numa_events()) since commit f19298b9516c ("mm/vmstat:
 *    convert NUMA statistics to basic NUMA counters") in v5.14;
 *    vm_numa_stat[NR_VM_NUMA_STAT_ITEMS] with u16 pageset deltas before;
 *  - node items: vm_node_stat[NR_VM_NODE_STAT_ITEMS], pgdat->vm_stat[],
 *    pgdat->per_cpu_nodestats->vm_node_stat_diff[]. The "_B" items
 *    (NR_SLAB_*_B, commit d42f3245c7e2 "mm: memcg: convert vmstat slab
 *    counters to bytes", v5.9) are bytes only for memcg: the node and global
 *    counters keep them in pages (__mod_node_page_state shifts the delta),
 *    so they print as they are;
 *  - writeback items: computed by global_dirty_limits() (counters.c); the
 *    section is enum vm_stat_item since commit 15995a352474 ("mm: report
 *    per-page metadata information", v6.11), which appends the atomics
 *    nr_memmap_pages and nr_memmap_boot_pages to the two thresholds (enum
 *    writeback_stat_item before): its length and order from the enums;
 *  - events: vm_event_states, per cpu, summed over online cpus; pgpgin and
 *    pgpgout halved (sectors to KiB) as vmstat_start() does.
 */
#include "collect/collect.h"

#include <ctype.h>

int ml_vm_item(const char *enumerator)
{
	long v;

	return ml_enum_value(enumerator, &v) ? (int)v : -1;
}

/* an integer of size bytes at buf+off, sign-extended when sgn */
static long ml_get_int(const void *buf, long off, long size, bool sgn)
{
	uint64_t u = ml_get_uint(buf, off, size);

	if (!sgn || size >= 8)
		return (long)u;
	if (u & (1ULL << (size * 8 - 1)))
		u |= ~0ULL << (size * 8);
	return (long)u;
}

/* Read n longs of a global array symbol. */
static long *ml_read_global_array(struct ml_vmstat *vs, const char *sym, int n)
{
	long *a = ml_alloc((n ? n : 1) * sizeof(long));

	if (n && (!symbol_exists((char *)sym) ||
		  !ml_read(symbol_value((char *)sym), a, n * sizeof(long), sym)))
		vs->failed++;
	return a;
}

/* Names of a section: vmstat_text[] in the dump, else the enumerators of
 * ENUM lower-cased (gdb's "ptype enum X" lists them in value order). */
static const char **ml_enum_names(const char *type, int n)
{
	const char **names = ml_alloc((n ? n : 1) * sizeof(char *));
	char cmd[128], line[BUFSIZE * 4];
	int i = 0;

	snprintf(cmd, sizeof(cmd), "ptype enum %s", type);
	open_tmpfile();
	if (gdb_pass_through(cmd, pc->tmpfile, GNU_RETURN_ON_ERROR)) {
		rewind(pc->tmpfile);
		while (fgets(line, sizeof(line), pc->tmpfile)) {
			char *p = strchr(line, '{'), *tok, *save = NULL;

			if (!p)
				continue;
			/* "A, B, C = 1, D": an explicit value restarts the count;
			 * of aliases (NR_ZONE_LRU_BASE, NR_ZONE_INACTIVE_ANON = 1)
			 * the last one names the item */
			for (tok = strtok_r(p + 1, ",}\n", &save); tok;
			     tok = strtok_r(NULL, ",}\n", &save)) {
				char name[64], *s;
				long val;

				if (sscanf(tok, " %63[A-Za-z0-9_] = %ld", name, &val) == 2)
					i = (int)val;
				else if (sscanf(tok, " %63[A-Za-z0-9_]", name) != 1)
					continue;
				if (i < 0 || i >= n)
					break;
				s = ml_strdup(name);
				for (char *q = s; *q; q++)
					*q = tolower((unsigned char)*q);
				names[i++] = s;
			}
		}
	}
	close_tmpfile();
	return names;
}

static void ml_read_names(struct ml_vmstat *vs)
{
	int total = vs->nzone + vs->nnuma + vs->nnode + vs->nwb + vs->nevent;
	int len = 0;
	const char **all = ml_alloc((total ? total : 1) * sizeof(char *));
	ulong *ptrs;
	int i, ok = 0;

	/* crash cannot always size "const char * const x[]" (0: unknown);
	 * where it can, the array must hold every section */
	if (symbol_exists("vmstat_text"))
		len = get_array_length("vmstat_text", NULL, 0);
	if (symbol_exists("vmstat_text") && (len <= 0 || len >= total) && total > 0) {
		ptrs = ml_alloc(total * sizeof(ulong));
		if (ml_read(symbol_value("vmstat_text"), ptrs, total * sizeof(ulong),
			    "vmstat_text")) {
			for (i = 0; i < total; i++) {
				char name[64];

				if (ptrs[i] && ml_read_cstring(ptrs[i], name, sizeof(name),
							       "vmstat_text[]")) {
					all[i] = ml_strdup(name);
					ok++;
				}
			}
		}
	}
	vs->names_from_dump = ok == total && total > 0;
	vs->zone_names = all;
	vs->numa_names = all + vs->nzone;
	vs->node_names = vs->numa_names + vs->nnuma;
	vs->wb_names = vs->node_names + vs->nnode;
	vs->event_names = vs->wb_names + vs->nwb;
	if (vs->names_from_dump)
		return;
	/* vmstat_text unreadable (excluded page, or a kernel without it) */
	vs->zone_names = ml_enum_names("zone_stat_item", vs->nzone);
	vs->numa_names = ml_enum_names("numa_stat_item", vs->nnuma);
	vs->node_names = ml_enum_names("node_stat_item", vs->nnode);
	/* enum writeback_stat_item (NR_DIRTY_THRESHOLD, NR_DIRTY_BG_THRESHOLD),
	 * or enum vm_stat_item from v6.11 (15995a352474), whose other items
	 * print as their enumerators (nr_memmap_pages, ...) */
	vs->wb_names = ml_enum_names(ml_vm_item("NR_VM_STAT_ITEMS") >= 0 ? "vm_stat_item"
				     : "writeback_stat_item", vs->nwb);
	{
		int thr = ml_enum_value_or("NR_DIRTY_THRESHOLD", 0);
		int bg = ml_enum_value_or("NR_DIRTY_BG_THRESHOLD", 1);

		if (thr >= 0 && thr < vs->nwb)
			vs->wb_names[thr] = "nr_dirty_threshold";
		if (bg >= 0 && bg < vs->nwb)
			vs->wb_names[bg] = "nr_dirty_background_threshold";
	}
	vs->event_names = ml_enum_names("vm_event_item", vs->nevent);
}

/* the per-cpu side of a populated zone: free pages on the per-cpu lists
 * and the counter deltas not folded yet */
static void ml_read_zone_pcp(struct ml_vmstat *vs, struct ml_vm_zone *z, const char *zbuf)
{
	ulong pcpstats = 0, pset = 0;
	int cpu, i;

	if (ML_HAS(zone, per_cpu_zonestats))
		pcpstats = ml_get_ulong(zbuf, ML_OFF(zone, per_cpu_zonestats));
	if (ML_HAS(zone, pageset))
		pset = ml_get_ulong(zbuf, ML_OFF(zone, pageset));
	{
		ulong pcp = ML_HAS(zone, per_cpu_pageset)
			? ml_get_ulong(zbuf, ML_OFF(zone, per_cpu_pageset)) : 0;
		/* per-cpu diffs: per_cpu_zonestat (5.14+) or per_cpu_pageset */
		ulong stats = pcpstats ? pcpstats : pset;
		long doff = pcpstats ? ML_OFF(per_cpu_zonestat, vm_stat_diff)
			: ML_OFF(per_cpu_pageset, vm_stat_diff);
		long dsize = pcpstats ? ML_MSIZE(per_cpu_zonestat, vm_stat_diff)
			: ML_MSIZE(per_cpu_pageset, vm_stat_diff);
		/* no NUMA counters without CONFIG_NUMA: -1, checked below */
		long noff = pcpstats ? ML_OFF_RAW(per_cpu_zonestat, vm_numa_event)
			: ML_OFF_RAW(per_cpu_pageset, vm_numa_stat_diff);
		long nsize = pcpstats ? ML_MSIZE(per_cpu_zonestat, vm_numa_event)
			: ML_MSIZE(per_cpu_pageset, vm_numa_stat_diff);
		long del = vs->nzone && dsize > 0 ? dsize / vs->nzone : 0;
		long nel = vs->nnuma && nsize > 0 ? nsize / vs->nnuma : 0;
		long cntoff = -1;

		if (!pcp && pset && ML_HAS(per_cpu_pageset, pcp) && ML_HAS(per_cpu_pages, count)) {
			pcp = pset;	/* before v5.14, pcp lived in the pageset */
			cntoff = ML_OFF(per_cpu_pageset, pcp) + ML_OFF(per_cpu_pages, count);
		} else if (pcp && ML_HAS(per_cpu_pages, count)) {
			cntoff = ML_OFF(per_cpu_pages, count);
		}
		for (cpu = 0; cpu < kt->cpus; cpu++) {
			unsigned char buf[1024];
			long need;

			if (!ml_cpu_online(cpu))
				continue;
			if (pcp && cntoff >= 0) {
				int count;

				if (ml_read(ml_percpu_addr(pcp, cpu) + cntoff, &count,
					    sizeof(count), "per_cpu_pages.count"))
					z->pcp_free += count > 0 ? count : 0;
				else
					vs->failed++;
			}
			if (!stats || doff < 0 || del <= 0)
				continue;
			need = doff + dsize;
			if (noff >= 0 && noff + nsize > need)
				need = noff + nsize;
			if (need > (long)sizeof(buf) ||
			    !ml_read(ml_percpu_addr(stats, cpu), buf, need, "per-cpu zone stats")) {
				vs->failed++;
				continue;
			}
			for (i = 0; i < vs->nzone; i++)
				z->stat_pcp[i] += ml_get_int(buf, doff + i * del, del, true);
			for (i = 0; noff >= 0 && nel > 0 && i < vs->nnuma; i++)
				z->numa_pcp[i] += ml_get_int(buf, noff + i * nel, nel, false);
		}
	}
}

/* Read one zone: its counters and, if populated, the per-cpu deltas;
 * zbuf: the struct (ml_zone_walk), NULL where it is not in the dump */
static void ml_read_zone(struct ml_vmstat *vs, struct ml_vm_zone *z, const char *zbuf)
{
	struct ml_zone_head h;
	int i;
	int wmark_low = ml_enum_value_or("WMARK_LOW", 1);
	int wmark_high = ml_enum_value_or("WMARK_HIGH", 2);

	z->stat = ml_alloc((vs->nzone + 1) * sizeof(long));
	z->stat_pcp = ml_alloc((vs->nzone + 1) * sizeof(long));
	z->numa = ml_alloc((vs->nnuma + 1) * sizeof(long));
	z->numa_pcp = ml_alloc((vs->nnuma + 1) * sizeof(long));
	if (!zbuf) {
		vs->failed++;
		return;
	}
	ml_zone_head(zbuf, &h);
	if (!ml_zone_name(zbuf, z->name, sizeof(z->name)))
		snprintf(z->name, sizeof(z->name), "?");
	z->present = h.present;
	z->managed = h.managed;
	if (wmark_low >= 0 && wmark_low < 3)
		z->wmark_low = h.wmark[wmark_low];
	z->wmark_low += h.boost;
	if (wmark_high >= 0 && wmark_high < 3)
		z->wmark_high = h.wmark[wmark_high] + h.boost;
	for (i = 0; i < vs->nzone; i++)
		z->stat[i] = ml_get_int(zbuf, ML_OFF(zone, vm_stat) + i * sizeof(long),
					sizeof(long), true);
	if (vs->nnuma) {
		long off = ML_HAS(zone, vm_numa_event) ? ML_OFF(zone, vm_numa_event)
			: ML_OFF(zone, vm_numa_stat);

		for (i = 0; off >= 0 && i < vs->nnuma; i++)
			z->numa[i] = ml_get_int(zbuf, off + i * sizeof(long), sizeof(long), true);
	}
	if (!z->present)
		return;	/* empty zones share the boot pagesets */
	ml_read_zone_pcp(vs, z, zbuf);
}

static void ml_read_node(struct ml_vmstat *vs, struct ml_vm_node *nd)
{
	long del = vs->nnode && ML_MSIZE(per_cpu_nodestat, vm_node_stat_diff) > 0
		? ML_MSIZE(per_cpu_nodestat, vm_node_stat_diff) / vs->nnode : 0;
	ulong pcp = 0;
	int cpu, i;

	nd->stat = ml_alloc((vs->nnode + 1) * sizeof(long));
	nd->stat_pcp = ml_alloc((vs->nnode + 1) * sizeof(long));
	if (!ml_read(nd->addr + ML_OFF(pglist_data, vm_stat), nd->stat,
		     vs->nnode * sizeof(long), "pglist_data.vm_stat"))
		vs->failed++;
	if (!ML_HAS(pglist_data, per_cpu_nodestats) || del <= 0 ||
	    !ml_read_ulong(nd->addr + ML_OFF(pglist_data, per_cpu_nodestats), &pcp,
			   "pglist_data.per_cpu_nodestats") || !pcp)
		return;
	for (cpu = 0; cpu < kt->cpus; cpu++) {
		unsigned char d[512];
		long sz = ML_MSIZE(per_cpu_nodestat, vm_node_stat_diff);

		if (!ml_cpu_online(cpu))
			continue;
		if (sz > (long)sizeof(d) ||
		    !ml_read(ml_percpu_addr(pcp, cpu) + ML_OFF(per_cpu_nodestat, vm_node_stat_diff),
			     d, sz, "per_cpu_nodestat.vm_node_stat_diff")) {
			vs->failed++;
			continue;
		}
		for (i = 0; i < vs->nnode; i++)
			nd->stat_pcp[i] += ml_get_int(d, i * del, del, true);
	}
}

unsigned long ml_vm_zone_val(const struct ml_vmstat *vs, int item, bool exact)
{
	if (item < 0 || item >= vs->nzone)
		return 0;
	return ml_clamp0(vs->zone[item] + (exact ? vs->zone_pcp[item] : 0));
}

unsigned long ml_vm_node_val(const struct ml_vmstat *vs, int item, bool exact)
{
	if (item < 0 || item >= vs->nnode)
		return 0;
	return ml_clamp0(vs->node[item] + (exact ? vs->node_pcp[item] : 0));
}

/* NUMA events: the kernel folds the per-cpu ones before printing
 * (v5.14+), so the printed value is the exact one there */
unsigned long ml_vm_numa_val(const struct ml_vmstat *vs, int item, bool exact)
{
	if (item < 0 || item >= vs->nnuma)
		return 0;
	return ml_clamp0(vs->numa[item] +
			 (exact || vs->numa_folded ? vs->numa_pcp[item] : 0));
}

/*
 * highmem_dirtyable_memory() (mm/page-writeback.c): what the HighMem zones
 * hold of free (above the high watermark) and file pages, left out of
 * dirtyable memory unless vm_highmem_is_dirtyable; 0 without HIGHMEM.
 * ZONE_MOVABLE counts where it was carved from HighMem (movable_zone).
 */
static bool ml_highmem_dirtyable(const struct ml_vmstat *vs, unsigned long *out)
{
	int high = ml_enum_value_or("ZONE_HIGHMEM", -1), mov = ml_enum_value_or("ZONE_MOVABLE", -1);
	int fr = ml_vm_item("NR_FREE_PAGES"), inact = ml_vm_item("NR_ZONE_INACTIVE_FILE");
	int act = ml_vm_item("NR_ZONE_ACTIVE_FILE");
	ulong dirtyable = 0, movable_zone = 0;
	int i;

	*out = 0;
	if (high < 0)
		return true;
	if (symbol_exists("vm_highmem_is_dirtyable")) {
		if (!ml_read_sym_ulong("vm_highmem_is_dirtyable", &dirtyable))
			return false;
		if ((int)dirtyable)
			return true;
	}
	if (symbol_exists("movable_zone"))
		ml_read_sym_ulong("movable_zone", &movable_zone);
	if (fr < 0 || fr >= vs->nzone || inact < 0 || inact >= vs->nzone ||
	    act < 0 || act >= vs->nzone)
		return false;
	for (i = 0; i < vs->nzones; i++) {
		const struct ml_vm_zone *z = &vs->zones[i];
		unsigned long n;

		if (!(z->idx == high || (z->idx == mov && (int)movable_zone == high)) ||
		    !z->present || !z->stat)
			continue;
		/* zone_page_state(): the atomic, clamped at 0 */
		n = ml_clamp0(z->stat[fr]);
		n -= n < z->wmark_high ? n : z->wmark_high;
		n += ml_clamp0(z->stat[inact]) + ml_clamp0(z->stat[act]);
		*out += n;
	}
	return true;
}

static void ml_compute_writeback(struct ml_vmstat *vs)
{
	struct ml_dirty_in in = { 0 };
	unsigned long v;
	/* enum writeback_stat_item, then enum vm_stat_item (v6.11,
	 * 15995a352474): the thresholds keep their places, 0 and 1 */
	int thr = ml_enum_value_or("NR_DIRTY_THRESHOLD", 0);
	int bg = ml_enum_value_or("NR_DIRTY_BG_THRESHOLD", 1);
	static const char *const memmap[][2] = {
		{ "NR_MEMMAP_PAGES", "nr_memmap_pages" },
		{ "NR_MEMMAP_BOOT_PAGES", "nr_memmap_boot_pages" },
	};
	size_t k;

	vs->wb = ml_alloc((vs->nwb + 1) * sizeof(*vs->wb));
	vs->wb_known = ml_alloc((vs->nwb + 1) * sizeof(*vs->wb_known));
	/* page metadata counters: atomic_long_t globals (v6.11+) */
	for (k = 0; k < sizeof(memmap) / sizeof(memmap[0]); k++) {
		int i = ml_vm_item(memmap[k][0]);

		if (i >= 0 && i < vs->nwb && ml_read_sym_ulong(memmap[k][1], &v)) {
			vs->wb[i] = (long)v < 0 ? 0 : v;
			vs->wb_known[i] = true;
		}
	}
	if (thr < 0 || thr >= vs->nwb || bg < 0 || bg >= vs->nwb)
		return;
	in.page_size = PAGESIZE();
	in.free = ml_vm_zone_val(vs, ml_vm_item("NR_FREE_PAGES"), false);
	in.active_file = ml_vm_node_val(vs, ml_vm_item("NR_ACTIVE_FILE"), false);
	in.inactive_file = ml_vm_node_val(vs, ml_vm_item("NR_INACTIVE_FILE"), false);
	if (!ml_highmem_dirtyable(vs, &in.highmem_dirtyable) ||
	    !ml_read_sym_ulong("totalreserve_pages", &in.totalreserve) ||
	    !ml_read_sym_ulong("vm_dirty_ratio", &in.dirty_ratio) ||
	    !ml_read_sym_ulong("dirty_background_ratio", &in.background_ratio) ||
	    !ml_read_sym_ulong("vm_dirty_bytes", &in.dirty_bytes) ||
	    !ml_read_sym_ulong("dirty_background_bytes", &in.background_bytes))
		return;
	ml_dirty_limits(&in, &vs->wb[bg], &v);
	vs->wb[thr] = v;
	vs->wb_known[thr] = vs->wb_known[bg] = true;
}

/* the sections' lengths, from the kernel's enums; -1 (ml_fail) where its
 * arrays do not agree with them */
static int ml_vmstat_sizes(struct ml_vmstat *vs)
{
	vs->nzone = ml_enum_value_or("NR_VM_ZONE_STAT_ITEMS", ML_MSIZE(zone, vm_stat) / sizeof(long));
	vs->nnode = ml_enum_value_or("NR_VM_NODE_STAT_ITEMS",
			       ML_MSIZE(pglist_data, vm_stat) / sizeof(long));
	if (symbol_exists("vm_numa_event"))	/* v5.14+, f19298b9516c */
		vs->nnuma = ml_enum_value_or("NR_VM_NUMA_EVENT_ITEMS",
				       ML_MSIZE(zone, vm_numa_event) / sizeof(long));
	else if (symbol_exists("vm_numa_stat"))
		vs->nnuma = ml_enum_value_or("NR_VM_NUMA_STAT_ITEMS",
				       ML_MSIZE(zone, vm_numa_stat) / sizeof(long));
	/* enum writeback_stat_item: the two dirty thresholds; enum
	 * vm_stat_item from v6.11 (15995a352474) adds the memmap pages */
	vs->nwb = ml_enum_value_or("NR_VM_STAT_ITEMS",
				   ml_enum_value_or("NR_VM_WRITEBACK_STAT_ITEMS", 2));
	if (symbol_exists("vm_event_states"))	/* CONFIG_VM_EVENT_COUNTERS */
		vs->nevent = ml_enum_value_or("NR_VM_EVENT_ITEMS",
					ML_MSIZE(vm_event_state, event) / sizeof(long));
	/* the kernel's arrays must agree with its enums */
	if (vs->nzone <= 0 || vs->nnode <= 0 ||
	    vs->nzone * (long)sizeof(long) != ML_MSIZE(zone, vm_stat) ||
	    vs->nnode * (long)sizeof(long) != ML_MSIZE(pglist_data, vm_stat))
		return ml_fail("zone/node counter arrays (%ld, %ld bytes) do not match "
			       "NR_VM_ZONE_STAT_ITEMS %d / NR_VM_NODE_STAT_ITEMS %d",
			       ML_MSIZE(zone, vm_stat), ML_MSIZE(pglist_data, vm_stat),
			       vs->nzone, vs->nnode);
	return 0;
}

/* ml_zone_walk()'s calls: a node's counters, then each of its zones' */
static void ml_vmstat_node(void *arg, int id, ulong pgdat)
{
	struct ml_vmstat *vs = arg;
	struct ml_vm_node *nd = &vs->nodes[vs->nnodes];

	nd->id = id;
	nd->addr = pgdat;
	ml_read_node(vs, nd);
	for (int j = 0; j < vs->nnode; j++)
		vs->node_pcp[j] += nd->stat_pcp[j];
	vs->nnodes++;
}

static void ml_vmstat_zone(void *arg, const struct ml_zone_ref *r)
{
	struct ml_vmstat *vs = arg;
	struct ml_vm_zone *zn = &vs->zones[vs->nzones++];

	zn->node = r->node;
	zn->idx = r->idx;
	zn->addr = r->addr;
	ml_read_zone(vs, zn, r->buf);
	for (int j = 0; j < vs->nzone; j++)
		vs->zone_pcp[j] += zn->stat_pcp[j];
	for (int j = 0; j < vs->nnuma; j++)
		vs->numa_pcp[j] += zn->numa_pcp[j];
}

/* events, summed over online cpus as all_vm_events() does */
static void ml_vmstat_events(struct ml_vmstat *vs)
{
	ulong base;
	unsigned long *ev;
	int pgpgin, pgpgout, cpu, i;

	vs->event = ml_alloc((vs->nevent + 1) * sizeof(unsigned long));
	if (!vs->nevent)
		return;
	base = symbol_value("vm_event_states");
	ev = ml_alloc(vs->nevent * sizeof(unsigned long));
	pgpgin = ml_vm_item("PGPGIN");
	pgpgout = ml_vm_item("PGPGOUT");
	for (cpu = 0; cpu < kt->cpus; cpu++) {
		if (!ml_cpu_online(cpu))
			continue;
		if (!ml_read(ml_percpu_addr(base, cpu) + ML_OFF(vm_event_state, event), ev,
			     vs->nevent * sizeof(unsigned long), "vm_event_states")) {
			vs->failed++;
			continue;
		}
		for (i = 0; i < vs->nevent; i++)
			vs->event[i] += ev[i];
	}
	/* vmstat_start(): sectors -> kbytes */
	if (pgpgin >= 0 && pgpgin < vs->nevent)
		vs->event[pgpgin] /= 2;
	if (pgpgout >= 0 && pgpgout < vs->nevent)
		vs->event[pgpgout] /= 2;
}

int ml_vmstat_read(struct ml_vmstat *vs)
{
	struct ml_zone_walk w = { .node = ml_vmstat_node, .zone = ml_vmstat_zone, .arg = vs };
	int n, cpu;

	memset(vs, 0, sizeof(*vs));
	if (ml_need(ML_M(zone, vm_stat), ML_M(zone, name), ML_M(zone, present_pages),
		    ML_M(pglist_data, node_zones), ML_M(pglist_data, vm_stat), ML_T(zone),
		    ML_NEED_END) < 0)
		return -1;
	if (!symbol_exists("vm_zone_stat") || !symbol_exists("vm_node_stat"))
		return ml_fail("vm_zone_stat/vm_node_stat not in this kernel");
	if (ml_vmstat_sizes(vs) < 0)
		return -1;
	vs->numa_folded = symbol_exists("fold_vm_numa_events");
	ml_read_names(vs);

	vs->zone = ml_read_global_array(vs, "vm_zone_stat", vs->nzone);
	vs->node = ml_read_global_array(vs, "vm_node_stat", vs->nnode);
	vs->numa = ml_read_global_array(vs, symbol_exists("vm_numa_event") ? "vm_numa_event"
					: "vm_numa_stat", vs->nnuma);
	vs->zone_pcp = ml_alloc((vs->nzone + 1) * sizeof(long));
	vs->node_pcp = ml_alloc((vs->nnode + 1) * sizeof(long));
	vs->numa_pcp = ml_alloc((vs->nnuma + 1) * sizeof(long));

	for (cpu = 0; cpu < kt->cpus; cpu++)
		vs->cpus += ml_cpu_online(cpu);

	/* nodes and zones: as many as ml_zone_walk() visits at most */
	n = vt->numnodes > 0 ? vt->numnodes : 1;
	vs->nodes = ml_alloc(n * sizeof(*vs->nodes));
	vs->zones = ml_alloc(n * ml_feat.nr_zones * sizeof(*vs->zones));
	if (ml_zone_walk(&w) < 0)
		return -1;
	ml_vmstat_events(vs);
	ml_compute_writeback(vs);
	if (vs->failed)
		ml_warn("%lu reads failed (excluded or corrupt pages): some counters may be low",
			vs->failed);
	if (!vs->names_from_dump)
		ml_warn("vmstat_text[] unreadable: names from the kernel's enums");
	return 0;
}
