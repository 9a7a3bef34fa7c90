/*
 * vmstat.c: "memleak vmstat" -- the kernel's vm counters as /proc/vmstat
 * would have printed them at the moment of the dump, per zone (-z) or node
 * (-n), with the per-cpu deltas folded in (--exact) or shown (--drift),
 * from the reader in collect/vmstat.c.
 *
 *   crash> memleak vmstat [-z | -n] [--exact] [--drift] [--json]
 */
#include "cmd/cmd.h"

#include <getopt.h>

/* THP node items /proc/vmstat prints in huge pages (vmstat_item_print_in_thp) */
static bool ml_print_in_thp(int item)
{
	static const char *const thp[] = { "NR_ANON_THPS", "NR_FILE_THPS", "NR_SHMEM_THPS",
					   "NR_SHMEM_PMDMAPPED", "NR_FILE_PMDMAPPED" };
	size_t i;

	if (!symbol_exists("transparent_hugepage_flags"))
		return false;
	for (i = 0; i < sizeof(thp) / sizeof(thp[0]); i++)
		if (ml_vm_item(thp[i]) == item)
			return true;
	return false;
}

/*
 * HPAGE_PMD_NR: the pages a PMD maps, one page-table page of 8-byte
 * entries -- x86_64 512, arm64 512/2048/8192 with 4K/16K/64K pages, ARM
 * LPAE 512 (THP needs LPAE there). crash's ARM64 defs.h has no PMD_SHIFT.
 */
static unsigned long ml_hpage_pmd_nr(void)
{
	return (unsigned long)PAGESIZE() / 8;
}

static const char *ml_name_or(const char **names, int i, char *buf, size_t len,
			      const char *section)
{
	if (names && names[i])
		return names[i];
	snprintf(buf, len, "%s_%d", section, i);
	return buf;
}

struct ml_vm_line {
	const char *name;
	unsigned long val, exact;
	long pending;
	bool known;
};

/* every /proc/vmstat line, in its order */
static struct ml_vm_line *ml_vmstat_lines(const struct ml_vmstat *vs, int *nlines)
{
	int total = vs->nzone + vs->nnuma + vs->nnode + vs->nwb + vs->nevent + 1;
	struct ml_vm_line *l = ml_alloc(total * sizeof(*l));
	unsigned long hp = ml_hpage_pmd_nr();
	char buf[64];
	int n = 0, i;

	for (i = 0; i < vs->nzone; i++, n++) {
		l[n].name = ml_strdup(ml_name_or(vs->zone_names, i, buf, sizeof(buf), "zone"));
		l[n].val = ml_vm_zone_val(vs, i, false);
		l[n].exact = ml_vm_zone_val(vs, i, true);
		l[n].pending = vs->zone_pcp[i];
		l[n].known = true;
	}
	for (i = 0; i < vs->nnuma; i++, n++) {
		l[n].name = ml_strdup(ml_name_or(vs->numa_names, i, buf, sizeof(buf), "numa"));
		l[n].val = ml_vm_numa_val(vs, i, false);
		l[n].exact = ml_vm_numa_val(vs, i, true);
		l[n].pending = vs->numa_pcp[i];
		l[n].known = true;
	}
	for (i = 0; i < vs->nnode; i++, n++) {
		bool thp = ml_print_in_thp(i);

		l[n].name = ml_strdup(ml_name_or(vs->node_names, i, buf, sizeof(buf), "node"));
		l[n].val = ml_vm_node_val(vs, i, false) / (thp ? hp : 1);
		l[n].exact = ml_vm_node_val(vs, i, true) / (thp ? hp : 1);
		l[n].pending = vs->node_pcp[i];
		l[n].known = true;
	}
	for (i = 0; i < vs->nwb; i++, n++) {
		l[n].name = ml_strdup(ml_name_or(vs->wb_names, i, buf, sizeof(buf), "writeback"));
		l[n].known = vs->wb_known[i];
		l[n].val = l[n].exact = l[n].known ? vs->wb[i] : 0;
	}
	for (i = 0; i < vs->nevent; i++, n++) {
		l[n].name = ml_strdup(ml_name_or(vs->event_names, i, buf, sizeof(buf), "event"));
		l[n].val = l[n].exact = vs->event[i];
		l[n].known = true;
	}
	/* vmstat_show() appends the deprecated "nr_unstable 0" since NFS
	 * unstable pages were folded into writeback, commit 8d92890bd6b8
	 * ("mm/writeback: discard NR_UNSTABLE_NFS, use NR_WRITEBACK instead",
	 * v5.8): the enumerator is gone where the line is printed */
	if (ml_vm_item("NR_UNSTABLE_NFS") < 0) {
		l[n].name = "nr_unstable";
		l[n].known = true;
		n++;
	}
	*nlines = n;
	return l;
}

static void ml_vmstat_zones(const struct ml_vmstat *vs, bool exact, bool json,
			    struct ml_json *j)
{
	char buf[64];
	int z, i;

	if (json)
		mj_arr(j, "zones");
	for (z = 0; z < vs->nzones; z++) {
		const struct ml_vm_zone *zn = &vs->zones[z];

		if (!zn->present)
			continue;
		if (json) {
			mj_obj(j, NULL);
			mj_int(j, "node", zn->node);
			mj_str(j, "zone", zn->name);
			/* free pages on the per-CPU lists (per_cpu_pages.count),
			 * which NR_FREE_PAGES does not count: zoneinfo's pagesets */
			mj_uint(j, "pcp_pages", zn->pcp_free);
			mj_obj(j, "vmstat");
		} else {
			fprintf(fp, "Node %d, zone %8s\n", zn->node, zn->name);
		}
		for (i = 0; i < vs->nzone + vs->nnuma; i++) {
			bool numa = i >= vs->nzone;
			int k = numa ? i - vs->nzone : i;
			const char *name = numa ? ml_name_or(vs->numa_names, k, buf, sizeof(buf), "numa")
				: ml_name_or(vs->zone_names, k, buf, sizeof(buf), "zone");
			long long v = numa ? zn->numa[k] + (exact || vs->numa_folded ? zn->numa_pcp[k] : 0)
				: zn->stat[k] + (exact ? zn->stat_pcp[k] : 0);

			if (json)
				mj_uint(j, name, ml_clamp0(v));
			else
				fprintf(fp, "    %s %lu\n", name, ml_clamp0(v));
		}
		if (json) {
			mj_obj_end(j);
			mj_obj_end(j);
		}
	}
	if (json)
		mj_arr_end(j);
}

static void ml_vmstat_nodes(const struct ml_vmstat *vs, bool exact, bool json,
			    struct ml_json *j)
{
	char buf[64];
	int n, i;

	if (json)
		mj_arr(j, "nodes");
	for (n = 0; n < vs->nnodes; n++) {
		const struct ml_vm_node *nd = &vs->nodes[n];

		if (json) {
			mj_obj(j, NULL);
			mj_int(j, "node", nd->id);
			mj_obj(j, "vmstat");
		} else {
			fprintf(fp, "Node %d\n", nd->id);
		}
		for (i = 0; i < vs->nnode; i++) {
			const char *name = ml_name_or(vs->node_names, i, buf, sizeof(buf), "node");
			unsigned long v = ml_clamp0(nd->stat[i] + (exact ? nd->stat_pcp[i] : 0));

			if (json)
				mj_uint(j, name, v);
			else
				fprintf(fp, "    %s %lu\n", name, v);
		}
		if (json) {
			mj_obj_end(j);
			mj_obj_end(j);
		}
	}
	if (json)
		mj_arr_end(j);
}

/* ---- memleak vmstat --------------------------------------------------- */

struct ml_vmstat_opts {
	bool json, zones, nodes, exact, drift;
};

/* false after a usage error (or -h) */
static bool ml_vmstat_opts(int argc, char **argv, struct ml_vmstat_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "zone", no_argument, NULL, 'z' },
		{ "node", no_argument, NULL, 'n' },
		{ "exact", no_argument, NULL, 'e' },
		{ "drift", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	ml_opt_begin("vmstat", argc, argv);
	while ((c = getopt_long(argc, argv, "jznedh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'z': o->zones = true; break;
		case 'n': o->nodes = true; break;
		case 'e': o->exact = true; break;
		case 'd': o->drift = true; break;
		case 'h': ml_print_sub_help("vmstat"); return false;
		default:
			ml_opt_error("vmstat", argc, argv, longopts);
			return false;
		}
	}
	if (!ml_opt_end("vmstat", argc, argv))
		return false;
	if (o->zones && o->nodes) {
		ml_usage_error("vmstat", "-z and -n are exclusive");
		return false;
	}
	return true;
}

/* the document's members (the report adds "warnings") */
static void ml_vmstat_json(const struct ml_vmstat *vs, const struct ml_vmstat_opts *o,
			   struct ml_json *j)
{
	struct ml_vm_line *l;
	int i, n;

	if (o->zones) {
		ml_vmstat_zones(vs, o->exact, true, j);
	} else if (o->nodes) {
		ml_vmstat_nodes(vs, o->exact, true, j);
	} else {
		l = ml_vmstat_lines(vs, &n);
		mj_obj(j, "vmstat");
		for (i = 0; i < n; i++) {
			if (!l[i].known)
				mj_null(j, l[i].name);
			else
				mj_uint(j, l[i].name, o->exact ? l[i].exact : l[i].val);
		}
		mj_obj_end(j);
		/* what the per-cpu deltas would change: exact - printed */
		mj_obj(j, "drift");
		for (i = 0; i < n; i++)
			if (l[i].known && l[i].exact != l[i].val)
				mj_int(j, l[i].name, (long)(l[i].exact - l[i].val));
		mj_obj_end(j);
	}
	mj_bool(j, "exact", o->exact);
	mj_bool(j, "names_from_vmstat_text", vs->names_from_dump);
	mj_int(j, "cpus", vs->cpus);
	mj_uint(j, "failed_reads", vs->failed);
}

/* --drift: the counters the per-cpu deltas would change */
static void ml_vmstat_drift(const struct ml_vmstat *vs)
{
	static const char *const h[] = { "NAME", "PRINTED", "PENDING", "EXACT" };
	static const enum ml_align a[] = { ML_LEFT, ML_RIGHT, ML_RIGHT, ML_RIGHT };
	struct ml_vm_line *l;
	struct ml_table *t;
	int i, n, shown = 0;

	l = ml_vmstat_lines(vs, &n);
	t = mt_new(4, h, a);
	for (i = 0; i < n; i++) {
		if (!l[i].known || l[i].exact == l[i].val)
			continue;
		mt_cell(t, "%s", l[i].name);
		mt_cell(t, "%lu", l[i].val);
		mt_cell(t, "%+ld", (long)(l[i].exact - l[i].val));
		mt_cell(t, "%lu", l[i].exact);
		shown++;
	}
	fprintf(fp, "per-cpu deltas not yet folded into the global counters "
		"(%d online cpus):\n", vs->cpus);
	if (shown)
		mt_print(t, fp, "  ");
	else
		fprintf(fp, "  none: every counter is exact\n");
}

/* /proc/vmstat, line for line */
static void ml_vmstat_text(const struct ml_vmstat *vs, bool exact)
{
	struct ml_vm_line *l;
	int i, n;

	l = ml_vmstat_lines(vs, &n);
	for (i = 0; i < n; i++) {
		if (l[i].known)
			fprintf(fp, "%s %lu\n", l[i].name, exact ? l[i].exact : l[i].val);
		else
			fprintf(fp, "%s ? (not computable from this dump)\n", l[i].name);
	}
}

void ml_cmd_vmstat(int argc, char **argv)
{
	struct ml_vmstat_opts o;
	struct ml_vmstat vs;
	struct ml_report r;

	if (!ml_vmstat_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "vmstat", o.json);
	if (ml_vmstat_read(&vs) < 0) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_vmstat_json(&vs, &o, &r.j);
	else if (o.zones)
		ml_vmstat_zones(&vs, o.exact, false, NULL);
	else if (o.nodes)
		ml_vmstat_nodes(&vs, o.exact, false, NULL);
	else if (o.drift)
		ml_vmstat_drift(&vs);
	else
		ml_vmstat_text(&vs, o.exact);
	/* the reader's warnings: reads that failed, names not from the dump */
	ml_report_end(&r);
}
