/*
 * cmd/probe.c: "memleak probe" -- what memleak found in this kernel and dump:
 * layouts, features, dump level.
 */
#include "cmd/cmd.h"

#include <getopt.h>

/* ---- memleak probe ---------------------------------------------------- */

struct ml_cache_scan {
	unsigned long flags_off, name_off;
	int total, store_user;
	char **names;		/* caches with SLAB_STORE_USER */
	int nnames, cap;
};

static bool ml_scan_cache(ulong cache, void *arg)
{
	struct ml_cache_scan *sc = arg;
	ulong flags = 0, nameptr = 0;
	char name[64];

	sc->total++;
	if (!ml_read(cache + sc->flags_off, &flags,
		     ML_MSIZE(kmem_cache, flags) == 4 ? 4 : sizeof(flags), "kmem_cache.flags"))
		return true;
	if (!(flags & ml_feat.slab_store_user))
		return true;
	sc->store_user++;
	if (!ml_read_ulong(cache + sc->name_off, &nameptr, "kmem_cache.name") ||
	    !ml_read_cstring(nameptr, name, sizeof(name), "kmem_cache name"))
		snprintf(name, sizeof(name), "(cache %lx)", cache);
	if (sc->nnames == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 64;
		sc->names = ml_realloc(sc->names, sc->cap * sizeof(char *));
	}
	sc->names[sc->nnames++] = ml_strdup(name);
	return true;
}

static int ml_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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

void ml_cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_opts o = { 0 };
	struct ml_cache_scan sc = { 0 };
	enum ml_walk_status st = ML_WALK_OK;
	char buf[128], msbuf[320];
	const char *ms;
	enum ml_modsyms_source ms_src;
	unsigned long ms_modules, ms_symbols;
	int c, i;

	ml_opt_begin("probe", argc, argv);
	while ((c = getopt_long(argc, argv, "jvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 'v': o.verbose = true; break;
		case 'h': ml_print_sub_help("probe"); return;
		default:
			ml_opt_error("probe", argc, argv, longopts);
			return;
		}
	}
	if (!ml_opt_end("probe", argc, argv))
		return;

	if (ml_feat.slub && ML_HAS(kmem_cache, list) && ML_HAS(kmem_cache, flags)) {
		sc.flags_off = ML_OFF(kmem_cache, flags);
		sc.name_off = ML_OFF(kmem_cache, name);
		ml_feat.nr_caches = ml_list_walk(symbol_value("slab_caches"),
						 ML_OFF(kmem_cache, list), 100000,
						 ml_scan_cache, &sc, &st);
		ml_feat.nr_store_user_caches = sc.store_user;
		if (sc.nnames)
			qsort(sc.names, sc.nnames, sizeof(char *), ml_strcmp_p);
	}

	/* who names module addresses: crash, or modsyms.c from the modules' kallsyms */
	ms = ml_modsyms_status(msbuf, sizeof(msbuf), &ms_src, &ms_modules, &ms_symbols);

	if (o.json) {
		struct ml_json j;

		mj_init(&j, fp, true);
		mj_obj(&j, NULL);
		mj_str(&j, "memleak_version", ML_VERSION);
		mj_obj(&j, "kernel");
		mj_str(&j, "release", ml_feat.release);
		mj_str(&j, "machine", ml_feat.machine);
		mj_int(&j, "page_size", ml_feat.page_size);
		mj_int(&j, "hz", ml_feat.hz);
		mj_str(&j, "hz_source", ml_feat.hz_source);
		mj_obj_end(&j);
		mj_obj(&j, "memory_model");
		mj_bool(&j, "numa", ml_feat.numa);
		mj_str(&j, "pgdat", ml_feat.numa ? "node_data" : "contig_page_data");
		mj_int(&j, "nodes", ml_feat.nr_nodes);
		mj_str(&j, "model", ml_feat.sparsemem ? "SPARSEMEM" : "FLATMEM");
		mj_bool(&j, "sparsemem_extreme", ml_feat.sparsemem_extreme);
		mj_bool(&j, "vmemmap", ml_feat.vmemmap);
		mj_int(&j, "nr_zones", ml_feat.nr_zones);
		mj_int(&j, "nr_page_orders", ml_feat.nr_orders);
		mj_int(&j, "nr_migratetypes", ml_feat.nr_migratetypes);
		mj_obj_end(&j);
		mj_obj(&j, "page_owner");
		mj_bool(&j, "compiled", ml_feat.page_owner_compiled);
		mj_str(&j, "enabled", ml_tri(ml_feat.page_owner_enabled));
		mj_int(&j, "page_ext_size", ml_feat.page_ext_size);
		mj_int(&j, "offset", ml_feat.page_owner_offset);
		mj_int(&j, "PAGE_EXT_OWNER", ml_feat.page_ext_owner_bit);
		mj_int(&j, "PAGE_EXT_OWNER_ALLOCATED", ml_feat.page_ext_owner_allocated_bit);
		mj_bool(&j, "stack_list", ml_feat.page_owner_stack_list);
		mj_obj_end(&j);
		mj_obj(&j, "stack_depot");
		mj_str(&j, "layout", ml_depot_layout_name(ml_feat.depot));
		mj_str(&j, "disabled", ml_tri(ml_feat.depot_disabled));
		mj_obj(&j, "handle_bits");
		mj_int(&j, "index_shift", ml_feat.depot_index.shift);
		mj_int(&j, "index_bits", ml_feat.depot_index.bits);
		mj_int(&j, "offset_shift", ml_feat.depot_offset.shift);
		mj_int(&j, "offset_bits", ml_feat.depot_offset.bits);
		mj_int(&j, "valid_shift", ml_feat.depot_valid.shift);
		mj_int(&j, "extra_shift", ml_feat.depot_extra.shift);
		mj_int(&j, "extra_bits", ml_feat.depot_extra.bits);
		mj_obj_end(&j);
		mj_obj_end(&j);
		mj_obj(&j, "slub");
		mj_bool(&j, "present", ml_feat.slub);
		mj_bool(&j, "struct_slab", ml_feat.slab_struct);
		mj_str(&j, "track", ml_feat.track_handle ? "depot_handle" : "addrs");
		mj_bool(&j, "freelist_hardened", ml_feat.freelist_hardened);
		mj_bool(&j, "freelist_random", ml_feat.freelist_random);
		mj_uint(&j, "SLAB_STORE_USER", ml_feat.slab_store_user);
		mj_uint(&j, "SLAB_RECLAIM_ACCOUNT", ml_feat.slab_reclaim_account);
		mj_int(&j, "caches", ml_feat.nr_caches);
		mj_str(&j, "caches_walk", ml_walk_status_str(st));
		mj_arr(&j, "store_user_caches");
		for (i = 0; i < sc.nnames; i++)
			mj_str(&j, NULL, sc.names[i]);
		mj_arr_end(&j);
		mj_obj_end(&j);
		mj_obj(&j, "dump");
		mj_str(&j, "format", ml_feat.dump_format);
		mj_bool(&j, "vmcoreinfo", ml_feat.vmcoreinfo);
		mj_int(&j, "dump_level", ml_feat.dump_level);
		mj_obj_end(&j);
		mj_obj(&j, "module_symbols");
		mj_str(&j, "source", ms_src == ML_MODSYMS_CRASH ? "crash"
		       : ms_src == ML_MODSYMS_KALLSYMS ? "kallsyms" : "unavailable");
		mj_uint(&j, "modules", ms_modules);
		if (ms_src == ML_MODSYMS_KALLSYMS)
			mj_uint(&j, "symbols", ms_symbols);
		mj_str(&j, "text", ms);
		mj_obj_end(&j);
		if (o.verbose) {
			mj_obj(&j, "offsets");
			for (i = 0; i < ML_NR_MEMBERS; i++) {
				ml_member_name(i, buf, sizeof(buf));
				if (ml_layout.off[i] < 0)
					mj_null(&j, buf);
				else
					mj_int(&j, buf, ml_layout.off[i]);
			}
			mj_obj_end(&j);
			mj_obj(&j, "sizes");
			for (i = 0; i < ML_NR_SIZES; i++) {
				if (ml_layout.size[i] < 0)
					mj_null(&j, ml_size_names[i]);
				else
					mj_int(&j, ml_size_names[i], ml_layout.size[i]);
			}
			mj_obj_end(&j);
		}
		mj_obj_end(&j);
		mj_end(&j);
		return;
	}

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
	if (!ml_feat.slub) {
		fprintf(fp, "slab:          not SLUB: slab subcommands unavailable\n");
	} else {
		fprintf(fp, "slub:          %d caches%s, %s, track %s, freelist %s%s\n",
			ml_feat.nr_caches, st == ML_WALK_OK ? "" : " (slab_caches walk incomplete)",
			ml_feat.slab_struct ? "struct slab" : "slab in struct page",
			ml_feat.track_handle ? "stack depot handle" : "addrs[]",
			ml_feat.freelist_hardened ? "hardened" : "plain",
			ml_feat.freelist_random ? " random" : "");
		if (sc.store_user && sc.store_user == ml_feat.nr_caches)
			fprintf(fp, "SLAB_STORE_USER: %#lx, on all %d caches (alloc/free tracks)\n",
				ml_feat.slab_store_user, ml_feat.nr_caches);
		else
			fprintf(fp, "SLAB_STORE_USER: %#lx, on %d of %d caches%s\n",
				ml_feat.slab_store_user, sc.store_user, ml_feat.nr_caches,
				sc.store_user ? ":" : ": no alloc tracks, boot with slub_debug=U");
		if (sc.nnames && sc.store_user != ml_feat.nr_caches) {
			int col = 2;

			fputs("  ", fp);
			for (i = 0; i < sc.nnames; i++) {
				int l = strlen(sc.names[i]) + 1;

				if (col + l > 78) {
					fputs("\n  ", fp);
					col = 2;
				}
				fprintf(fp, "%s ", sc.names[i]);
				col += l;
			}
			fputc('\n', fp);
		}
	}
	fprintf(fp, "dump:          %s, VMCOREINFO %s, dump level %s\n",
		ml_feat.dump_format, ml_feat.vmcoreinfo ? "present" : "absent",
		ml_dump_level_str(ml_feat.dump_level, buf, sizeof(buf)));
	fprintf(fp, "module symbols: %s\n", ms);
	if (o.verbose) {
		fprintf(fp, "\noffsets (-1: not in this kernel):\n");
		for (i = 0; i < ML_NR_MEMBERS; i++)
			fprintf(fp, "  %-40s %5ld  size %ld\n",
				ml_member_name(i, buf, sizeof(buf)), ml_layout.off[i],
				ml_layout.msize[i]);
		fprintf(fp, "sizes:\n");
		for (i = 0; i < ML_NR_SIZES; i++)
			fprintf(fp, "  %-40s %5ld\n", ml_size_names[i], ml_layout.size[i]);
	}
}
