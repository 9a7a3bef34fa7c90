/*
 * cmd/probe.c: "memleak probe" -- what memleak found in this kernel and dump:
 * layouts, features, dump level, and the caches with SLAB_STORE_USER
 * (collect/probe.c).
 */
#include "cmd/cmd.h"

#include <getopt.h>

/* what probe shows beyond ml_feat and ml_layout */
struct ml_probe_view {
	struct ml_probe_caches pc;
	/* who names module addresses: crash, or modsyms.c from the modules' kallsyms */
	const char *ms;
	char msbuf[320];
	enum ml_modsyms_source ms_src;
	unsigned long ms_modules, ms_symbols;
	bool verbose;		/* -v: every offset and size */
};

static const char *ml_tri(enum ml_tristate t)
{
	return t == ML_YES ? "yes" : t == ML_NO ? "no" : "unknown";
}

static const char *ml_dump_level_str(int level, char *buf, size_t len)
{
	if (level < 0) {
		snprintf(buf, len, "unknown (not a makedumpfile dump)");
		return buf;
	}
	snprintf(buf, len, "%d (excluded:%s%s%s%s%s%s)", level,
		 level & 1 ? " zero" : "", level & 2 ? " cache" : "",
		 level & 4 ? " cache-private" : "", level & 8 ? " user" : "",
		 level & 16 ? " free" : "", level == 0 ? " nothing" : "");
	return buf;
}

/* ---- JSON ---------------------------------------------------------------- */

/* "kernel", "memory_model", "page_owner", "stack_depot" */
static void ml_probe_json_kernel(struct ml_json *j)
{
	mj_obj(j, "kernel");
	mj_str(j, "release", ml_feat.release);
	mj_str(j, "machine", ml_feat.machine);
	mj_int(j, "page_size", ml_feat.page_size);
	mj_int(j, "hz", ml_feat.hz);
	mj_str(j, "hz_source", ml_feat.hz_source);
	mj_obj_end(j);
	mj_obj(j, "memory_model");
	mj_bool(j, "numa", ml_feat.numa);
	mj_str(j, "pgdat", ml_feat.numa ? "node_data" : "contig_page_data");
	mj_int(j, "nodes", ml_feat.nr_nodes);
	mj_str(j, "model", ml_feat.sparsemem ? "SPARSEMEM" : "FLATMEM");
	mj_bool(j, "sparsemem_extreme", ml_feat.sparsemem_extreme);
	mj_bool(j, "vmemmap", ml_feat.vmemmap);
	mj_int(j, "nr_zones", ml_feat.nr_zones);
	mj_int(j, "nr_page_orders", ml_feat.nr_orders);
	mj_int(j, "nr_migratetypes", ml_feat.nr_migratetypes);
	mj_obj_end(j);
	mj_obj(j, "page_owner");
	mj_bool(j, "compiled", ml_feat.page_owner_compiled);
	mj_str(j, "enabled", ml_tri(ml_feat.page_owner_enabled));
	mj_int(j, "page_ext_size", ml_feat.page_ext_size);
	mj_int(j, "offset", ml_feat.page_owner_offset);
	mj_int(j, "PAGE_EXT_OWNER", ml_feat.page_ext_owner_bit);
	mj_int(j, "PAGE_EXT_OWNER_ALLOCATED", ml_feat.page_ext_owner_allocated_bit);
	mj_bool(j, "stack_list", ml_feat.page_owner_stack_list);
	mj_obj_end(j);
	mj_obj(j, "kmemleak");
	mj_bool(j, "compiled", ml_feat.kmemleak_compiled);
	mj_str(j, "enabled", ml_tri(ml_feat.kmemleak_enabled));
	mj_obj_end(j);
	mj_obj(j, "alloc_profiling");
	mj_bool(j, "compiled", ml_feat.alloc_profiling_compiled);
	mj_str(j, "enabled", ml_tri(ml_feat.alloc_profiling_enabled));
	mj_obj_end(j);
	mj_obj(j, "stack_depot");
	mj_str(j, "layout", ml_depot_layout_name(ml_feat.depot));
	mj_str(j, "disabled", ml_tri(ml_feat.depot_disabled));
	mj_obj(j, "handle_bits");
	mj_int(j, "index_shift", ml_feat.depot_index.shift);
	mj_int(j, "index_bits", ml_feat.depot_index.bits);
	mj_int(j, "offset_shift", ml_feat.depot_offset.shift);
	mj_int(j, "offset_bits", ml_feat.depot_offset.bits);
	mj_int(j, "valid_shift", ml_feat.depot_valid.shift);
	mj_int(j, "extra_shift", ml_feat.depot_extra.shift);
	mj_int(j, "extra_bits", ml_feat.depot_extra.bits);
	mj_obj_end(j);
	mj_obj_end(j);
}

/* "slub", "dump", "module_symbols" */
static void ml_probe_json_slub(struct ml_json *j, const struct ml_probe_view *v)
{
	int i;

	mj_obj(j, "slub");
	mj_bool(j, "present", ml_feat.slub);
	mj_bool(j, "struct_slab", ml_feat.slab_struct);
	mj_str(j, "track", ml_feat.track_handle ? "depot_handle" : "addrs");
	mj_bool(j, "freelist_hardened", ml_feat.freelist_hardened);
	mj_bool(j, "freelist_random", ml_feat.freelist_random);
	mj_uint(j, "SLAB_STORE_USER", ml_feat.slab_store_user);
	mj_uint(j, "SLAB_RECLAIM_ACCOUNT", ml_feat.slab_reclaim_account);
	mj_int(j, "caches", ml_feat.nr_caches);
	mj_str(j, "caches_walk", ml_walk_status_str(v->pc.st));
	mj_arr(j, "store_user_caches");
	for (i = 0; i < v->pc.nnames; i++)
		mj_str(j, NULL, v->pc.names[i]);
	mj_arr_end(j);
	mj_obj_end(j);
	mj_obj(j, "dump");
	mj_str(j, "format", ml_feat.dump_format);
	mj_bool(j, "vmcoreinfo", ml_feat.vmcoreinfo);
	mj_int(j, "dump_level", ml_feat.dump_level);
	mj_obj_end(j);
	mj_obj(j, "module_symbols");
	mj_str(j, "source", v->ms_src == ML_MODSYMS_CRASH ? "crash"
	       : v->ms_src == ML_MODSYMS_KALLSYMS ? "kallsyms" : "unavailable");
	mj_uint(j, "modules", v->ms_modules);
	if (v->ms_src == ML_MODSYMS_KALLSYMS)
		mj_uint(j, "symbols", v->ms_symbols);
	mj_str(j, "text", v->ms);
	mj_obj_end(j);
}

/* -v: "offsets" and "sizes", null where not in this kernel */
static void ml_probe_json_layout(struct ml_json *j)
{
	char buf[128];
	int i;

	mj_obj(j, "offsets");
	for (i = 0; i < ML_NR_MEMBERS; i++) {
		ml_member_name(i, buf, sizeof(buf));
		if (ml_layout.off[i] < 0)
			mj_null(j, buf);
		else
			mj_int(j, buf, ml_layout.off[i]);
	}
	mj_obj_end(j);
	mj_obj(j, "sizes");
	for (i = 0; i < ML_NR_SIZES; i++) {
		if (ml_layout.size[i] < 0)
			mj_null(j, ml_size_names[i]);
		else
			mj_int(j, ml_size_names[i], ml_layout.size[i]);
	}
	mj_obj_end(j);
}

static void ml_probe_json(struct ml_json *j, const struct ml_probe_view *v)
{
	mj_str(j, "memleak_version", ML_VERSION);
	ml_probe_json_kernel(j);
	ml_probe_json_slub(j, v);
	if (v->verbose)
		ml_probe_json_layout(j);
}

/* ---- text ---------------------------------------------------------------- */

/* the kernel, memory model, page_owner and stack depot lines */
static void ml_probe_text_kernel(void)
{
	fprintf(fp, "kernel:        %s (%s), page size %d, HZ %u (%s)\n", ml_feat.release,
		ml_feat.machine, ml_feat.page_size, ml_feat.hz, ml_feat.hz_source);
	fprintf(fp, "memory model:  %s, %s%s%s, %d node%s, %d zones, %d page orders, %d migratetypes\n",
		ml_feat.numa ? "NUMA (node_data[])" : "non-NUMA (contig_page_data)",
		ml_feat.sparsemem ? "SPARSEMEM" : "FLATMEM",
		ml_feat.sparsemem_extreme ? " EXTREME" : "",
		ml_feat.vmemmap ? " VMEMMAP" : "", ml_feat.nr_nodes,
		ml_feat.nr_nodes == 1 ? "" : "s", ml_feat.nr_zones, ml_feat.nr_orders,
		ml_feat.nr_migratetypes);
	if (!ml_feat.page_owner_compiled)
		fprintf(fp, "page_owner:    not compiled in (kernel built without CONFIG_PAGE_OWNER)\n");
	else if (ml_feat.page_owner_enabled == ML_YES)
		fprintf(fp, "page_owner:    enabled (page_ext %ld bytes, owner at +%ld, %s)\n",
			ml_feat.page_ext_size, ml_feat.page_owner_offset,
			ml_feat.page_owner_stack_list ? "stack_list counts" : "no stack_list");
	else if (ml_feat.page_owner_enabled == ML_NO)
		fprintf(fp, "page_owner:    compiled in but not enabled: boot with page_owner=on\n");
	else
		fprintf(fp, "page_owner:    compiled in, state unknown (page_owner_inited unreadable)\n");
	if (!ml_feat.kmemleak_compiled)
		fprintf(fp, "kmemleak:      not compiled in (CONFIG_DEBUG_KMEMLEAK=n)\n");
	else
		fprintf(fp, "kmemleak:      %s\n", ml_feat.kmemleak_enabled == ML_YES ? "enabled (memleak kmemleak)"
			: ml_feat.kmemleak_enabled == ML_NO ? "compiled in, off (boot with kmemleak=on)"
			: "compiled in, state unknown");
	if (!ml_feat.alloc_profiling_compiled)
		fprintf(fp, "allocinfo:     not compiled in (CONFIG_MEM_ALLOC_PROFILING=n)\n");
	else
		fprintf(fp, "allocinfo:     %s\n", ml_feat.alloc_profiling_enabled == ML_YES ?
			"allocation profiling enabled (memleak allocinfo)"
			: ml_feat.alloc_profiling_enabled == ML_NO ?
			"compiled in, off (boot with sysctl.vm.mem_profiling=1)"
			: "compiled in, state unknown");
	if (ml_feat.depot == ML_DEPOT_NONE)
		fprintf(fp, "stack depot:   not found in this kernel\n");
	else
		fprintf(fp, "stack depot:   %s, handle index %d@%d offset %d@%d%s%s, %s\n",
			ml_depot_layout_name(ml_feat.depot),
			ml_feat.depot_index.bits, ml_feat.depot_index.shift,
			ml_feat.depot_offset.bits, ml_feat.depot_offset.shift,
			ml_feat.depot_valid.shift >= 0 ? " valid" : "",
			ml_feat.depot_extra.shift >= 0 ? " extra" : "",
			ml_feat.depot_disabled == ML_YES ? "DISABLED (stack_depot_disable=on): no stacks"
			: ml_feat.depot_disabled == ML_NO ? "enabled" : "state unknown");
}

/* the slub line, SLAB_STORE_USER and, unless on all, the caches with it */
static void ml_probe_text_slub(const struct ml_probe_caches *pc)
{
	int col = 2, i;

	if (!ml_feat.slub) {
		fprintf(fp, "slab:          not SLUB: slab subcommands unavailable\n");
		return;
	}
	fprintf(fp, "slub:          %d caches%s, %s, track %s, freelist %s%s\n",
		ml_feat.nr_caches, pc->st == ML_WALK_OK ? "" : " (slab_caches walk incomplete)",
		ml_feat.slab_struct ? "struct slab" : "slab in struct page",
		ml_feat.track_handle ? "stack depot handle" : "addrs[]",
		ml_feat.freelist_hardened ? "hardened" : "plain",
		ml_feat.freelist_random ? " random" : "");
	if (pc->store_user && pc->store_user == ml_feat.nr_caches)
		fprintf(fp, "SLAB_STORE_USER: %#lx, on all %d caches (alloc/free tracks)\n",
			ml_feat.slab_store_user, ml_feat.nr_caches);
	else
		fprintf(fp, "SLAB_STORE_USER: %#lx, on %d of %d caches%s\n",
			ml_feat.slab_store_user, pc->store_user, ml_feat.nr_caches,
			pc->store_user ? ":" : ": no alloc tracks, boot with slub_debug=U");
	if (!pc->nnames || pc->store_user == ml_feat.nr_caches)
		return;
	fputs("  ", fp);
	for (i = 0; i < pc->nnames; i++) {
		int l = strlen(pc->names[i]) + 1;

		if (col + l > 78) {
			fputs("\n  ", fp);
			col = 2;
		}
		fprintf(fp, "%s ", pc->names[i]);
		col += l;
	}
	fputc('\n', fp);
}

static void ml_probe_text(const struct ml_probe_view *v)
{
	char buf[128];
	int i;

	ml_probe_text_kernel();
	ml_probe_text_slub(&v->pc);
	fprintf(fp, "dump:          %s, VMCOREINFO %s, dump level %s\n",
		ml_feat.dump_format, ml_feat.vmcoreinfo ? "present" : "absent",
		ml_dump_level_str(ml_feat.dump_level, buf, sizeof(buf)));
	fprintf(fp, "module symbols: %s\n", v->ms);
	if (!v->verbose)
		return;
	fprintf(fp, "\noffsets (-1: not in this kernel):\n");
	for (i = 0; i < ML_NR_MEMBERS; i++)
		fprintf(fp, "  %-40s %5ld  size %ld\n",
			ml_member_name(i, buf, sizeof(buf)), ml_layout.off[i],
			ml_layout.msize[i]);
	fprintf(fp, "sizes:\n");
	for (i = 0; i < ML_NR_SIZES; i++)
		fprintf(fp, "  %-40s %5ld\n", ml_size_names[i], ml_layout.size[i]);
}

/* ---- memleak probe -------------------------------------------------------- */

void ml_cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_probe_view v;
	struct ml_report r;
	bool json = false;
	int c;

	memset(&v, 0, sizeof(v));
	ml_opt_begin("probe", argc, argv);
	while ((c = getopt_long(argc, argv, "jvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'v': v.verbose = true; break;
		case 'h': ml_print_sub_help("probe"); return;
		default:
			ml_opt_error("probe", argc, argv, longopts);
			return;
		}
	}
	if (!ml_opt_end("probe", argc, argv))
		return;
	/* not SLUB: no caches to show, the rest of the table still holds */
	ml_probe_caches(&v.pc);
	v.ms = ml_modsyms_status(v.msbuf, sizeof(v.msbuf), &v.ms_src, &v.ms_modules,
				 &v.ms_symbols);
	ml_report_begin(&r, "probe", json);
	if (json)
		ml_probe_json(&r.j, &v);
	else
		ml_probe_text(&v);
	ml_report_end(&r);
}
