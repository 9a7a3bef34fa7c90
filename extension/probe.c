/*
 * probe.c: the one place where memleak learns the kernel's layout.
 *
 * At load, every struct offset and size listed in memleak.h (ML_MEMBERS,
 * ML_SIZES) is read from the vmlinux debuginfo, and the features of this
 * kernel and dump are probed: members, symbols, enumerators and VMCOREINFO,
 * never the version number (distributions backport). A missing member is
 * recorded as -1, never fatal: the subcommand that needs it says so (ml_need).
 *
 * "memleak probe" prints the result.
 */
#include "memleak.h"

#include <ctype.h>
#include <getopt.h>

struct ml_layout ml_layout;
struct ml_features ml_feat;

#define ML_NAME_MEMBER(s, m) { #s, #m },
#define ML_NAME_SIZE(s) #s,
static const struct {
	const char *s, *m;
} ml_member_names[] = { ML_MEMBERS(ML_NAME_MEMBER) };
static const char *const ml_size_names[] = { ML_SIZES(ML_NAME_SIZE) };
#undef ML_NAME_MEMBER
#undef ML_NAME_SIZE

/* datatype names that are typedefs rather than struct tags */
static bool ml_is_typedef(const char *name)
{
	return strcmp(name, "atomic_long_t") == 0;
}

static void ml_resolve_layout(void)
{
	int i;

	for (i = 0; i < ML_NR_MEMBERS; i++) {
		char *s = (char *)ml_member_names[i].s;
		char *m = (char *)ml_member_names[i].m;
		long off = -1, sz = -1;

		if (STRUCT_EXISTS(s)) {
			off = MEMBER_OFFSET(s, m);
			sz = MEMBER_SIZE(s, m);
			/* members of anonymous unions/structs (struct page, slab) */
			if (off < 0) {
				off = ANON_MEMBER_OFFSET(s, m);
				if (off >= 0)
					sz = ANON_MEMBER_SIZE(s, m);
			}
		}
		ml_layout.off[i] = off < 0 ? -1 : off;
		ml_layout.msize[i] = off < 0 ? -1 : sz;
	}
	for (i = 0; i < ML_NR_SIZES; i++) {
		char *s = (char *)ml_size_names[i];

		if (ml_is_typedef(s))
			ml_layout.size[i] = datatype_info(s, NULL, STRUCT_SIZE_REQUEST);
		else
			ml_layout.size[i] = STRUCT_EXISTS(s) ? STRUCT_SIZE(s) : -1;
		if (ml_layout.size[i] < 0)
			ml_layout.size[i] = -1;
	}
}

const char *ml_member_name(int id, char *buf, size_t len)
{
	if (id < ML_NR_MEMBERS)
		snprintf(buf, len, "%s.%s", ml_member_names[id].s,
			 ml_member_names[id].m);
	else if (id - ML_NR_MEMBERS < ML_NR_SIZES)
		snprintf(buf, len, "sizeof(%s)", ml_size_names[id - ML_NR_MEMBERS]);
	else
		snprintf(buf, len, "?");
	return buf;
}

int ml_need(const char *sub, ...)
{
	va_list ap;
	int id, missing = 0;
	char name[128];

	va_start(ap, sub);
	while ((id = va_arg(ap, int)) != ML_NEED_END) {
		bool ok = id < ML_NR_MEMBERS ? ml_layout.off[id] >= 0
			: ml_layout.size[id - ML_NR_MEMBERS] > 0;

		if (ok)
			continue;
		fprintf(fp, "%s%s", missing++ ? ", " : "", ml_member_name(id, name, sizeof(name)));
	}
	va_end(ap);
	if (missing)
		fprintf(fp, ": not in this kernel's debuginfo\n"
			"memleak %s: cannot run on this kernel (layout not recognised)\n", sub);
	return missing ? -1 : 0;
}

/* ---- helpers for feature probes --------------------------------------- */

static bool ml_read_symbol(const char *sym, void *buf, long size)
{
	if (!symbol_exists((char *)sym))
		return false;
	return ml_read(symbol_value((char *)sym), buf, size, sym);
}

static long ml_array_len(long array_size, long elem_size)
{
	return (array_size > 0 && elem_size > 0) ? array_size / elem_size : 0;
}

static bool ml_enum(const char *name, long *val)
{
	return enumerator_value((char *)name, val) != 0;
}

/*
 * Bit positions of a union/struct's bitfields, from gdb's "ptype /o", whose
 * lines read "/ * BYTE: BIT | SIZE * /  TYPE NAME : BITS;". The kernel never
 * states them as constants we could trust across versions and configs.
 */
static bool ml_bitfield(const char *type, const char *member, struct ml_bitfield *bf)
{
	char cmd[128], line[BUFSIZE];
	bool found = false;

	bf->shift = -1;
	bf->bits = 0;
	snprintf(cmd, sizeof(cmd), "ptype /o %s", type);
	open_tmpfile();
	if (!gdb_pass_through(cmd, pc->tmpfile, GNU_RETURN_ON_ERROR)) {
		close_tmpfile();
		return false;
	}
	rewind(pc->tmpfile);
	while (fgets(line, sizeof(line), pc->tmpfile)) {
		int byte, bit, size, bits;
		char name[64];
		char *p = strstr(line, "*/");

		if (!p || sscanf(line, " /* %d : %d | %d", &byte, &bit, &size) != 3)
			continue;
		p += 2;
		/* "TYPE NAME : BITS;" -- the name is the word before the colon */
		{
			char *colon = strchr(p, ':'), *e, *b;

			if (!colon || sscanf(colon + 1, "%d", &bits) != 1)
				continue;
			e = colon;
			while (e > p && e[-1] == ' ')
				e--;
			b = e;
			while (b > p && (isalnum((unsigned char)b[-1]) || b[-1] == '_'))
				b--;
			if (e - b <= 0 || (size_t)(e - b) >= sizeof(name))
				continue;
			memcpy(name, b, e - b);
			name[e - b] = '\0';
		}
		if (strcmp(name, member) == 0) {
			bf->shift = byte * 8 + bit;
			bf->bits = bits;
			found = true;
			break;
		}
	}
	close_tmpfile();
	return found;
}

/* ---- feature probes --------------------------------------------------- */

static void ml_probe_memory_model(void)
{
	ml_feat.page_size = PAGESIZE();
	ml_feat.page_shift = PAGESHIFT();
	/* CONFIG_NUMA: node_data[]; otherwise the single contig_page_data */
	ml_feat.numa = symbol_exists("node_data") && !symbol_exists("contig_page_data");
	ml_feat.nr_nodes = vt->numnodes;
	ml_feat.sparsemem = IS_SPARSEMEM() != 0;
	ml_feat.sparsemem_extreme = IS_SPARSEMEM_EX() != 0;
	ml_feat.vmemmap = symbol_exists("vmemmap_base") || (machdep->flags & VMEMMAP);
	ml_feat.nr_zones = ml_array_len(ML_MSIZE(pglist_data, node_zones), ML_SIZE(zone));
	/* NR_PAGE_ORDERS from the array itself: MAX_ORDER became inclusive in
	 * v6.4 (commit 23baf831a32c "mm, treewide: redefine MAX_ORDER sanely")
	 * and was renamed in v6.8 (commit 5e0a760b4441 "mm, treewide: rename
	 * MAX_ORDER to MAX_PAGE_ORDER"); the array length never lies */
	ml_feat.nr_orders = ml_array_len(ML_MSIZE(zone, free_area), ML_SIZE(free_area));
	ml_feat.nr_migratetypes = ml_array_len(ML_MSIZE(free_area, free_list),
					       ML_SIZE(list_head));
}

/*
 * HZ. crash guesses it from mq-deadline's write_expire (5 * HZ) and falls
 * back to 1000 when that scheduler is a module (Debian 6.12+, HZ 250): ages
 * and uptimes would be off fourfold. The dump tells: jiffies_64 counts from
 * INITIAL_JIFFIES = (u32)(-300 * HZ), and tick-sched.c's static
 * last_jiffies_update is the monotonic time (ns) of its last tick; only the
 * right HZ maps the one onto the other (ml_hz_from_clocks).
 */
static void ml_probe_hz(void)
{
	uint64_t j64 = 0;
	int64_t mono = 0;
	unsigned int hz = 0;

	if (symbol_exists("jiffies_64") && symbol_exists("last_jiffies_update") &&
	    ml_read(symbol_value("jiffies_64"), &j64, sizeof(j64), "jiffies_64") &&
	    ml_read(symbol_value("last_jiffies_update"), &mono, sizeof(mono),
		    "last_jiffies_update"))
		hz = ml_hz_from_clocks(j64, mono);
	if (hz) {
		ml_feat.hz = hz;
		ml_feat.hz_source = hz == (unsigned int)machdep->hz ? "jiffies_64 clock, as crash"
			: "jiffies_64 clock (crash assumed another)";
	} else {
		ml_feat.hz = machdep->hz > 0 ? machdep->hz : 100;
		ml_feat.hz_source = machdep->hz > 0 ? "crash" : "default";
	}
	if (!j64 && symbol_exists("jiffies_64"))
		ml_read(symbol_value("jiffies_64"), &j64, sizeof(j64), "jiffies_64");
	if (j64)
		ml_feat.uptime_jiffies = j64 - ml_initial_jiffies(ml_feat.hz);
}

static void ml_probe_page_owner(void)
{
	long v;

	ml_feat.page_owner_compiled = symbol_exists("page_owner_ops");
	ml_feat.page_owner_enabled = ML_NO;
	if (ml_feat.page_owner_compiled) {
		/* DEFINE_STATIC_KEY_FALSE(page_owner_inited): enabled.counter > 0
		 * once page_owner=on took effect at boot */
		int counter;
		long off = ML_HAS(static_key, enabled) ? ML_OFF(static_key, enabled) : 0;

		ml_feat.page_owner_enabled = ML_UNKNOWN;
		if (symbol_exists("page_owner_inited") &&
		    ml_read(symbol_value("page_owner_inited") + off, &counter,
			    sizeof(counter), "page_owner_inited"))
			ml_feat.page_owner_enabled = counter > 0 ? ML_YES : ML_NO;
	}
	ml_feat.page_ext = ML_HAS(mem_section, page_ext) || symbol_exists("node_page_ext") ||
			   (STRUCT_EXISTS("pglist_data") && MEMBER_EXISTS("pglist_data", "node_page_ext"));
	ml_feat.page_ext_size = -1;
	{
		ulong sz;

		if (ml_read_symbol("page_ext_size", &sz, sizeof(sz)))
			ml_feat.page_ext_size = sz;
		else if (ML_SIZE(page_ext) > 0)
			ml_feat.page_ext_size = ML_SIZE(page_ext);
	}
	ml_feat.page_owner_offset = -1;
	if (ml_feat.page_owner_compiled && ML_HAS(page_ext_operations, offset)) {
		ulong off = 0;

		if (ml_read(symbol_value("page_owner_ops") + ML_OFF(page_ext_operations, offset),
			    &off, ML_MSIZE(page_ext_operations, offset) == 4 ? 4 : sizeof(off),
			    "page_owner_ops.offset"))
			ml_feat.page_owner_offset = off;
	}
	ml_feat.page_ext_owner_bit = ml_enum("PAGE_EXT_OWNER", &v) ? v : -1;
	ml_feat.page_ext_owner_allocated_bit = ml_enum("PAGE_EXT_OWNER_ALLOCATED", &v) ? v : -1;
	/* per-stack counts: commit 217b2119b9e2 ("mm,page_owner: implement
	 * the tracking of the stacks count") in v6.9 */
	ml_feat.page_owner_stack_list = ml_feat.page_owner_compiled &&
		symbol_exists("stack_list") && ML_HAS(stack_record, count);
}

static void ml_probe_stack_depot(void)
{
	unsigned char b;
	const char *t = "union handle_parts";

	ml_feat.depot = ML_DEPOT_NONE;
	ml_feat.depot_index.shift = ml_feat.depot_offset.shift = -1;
	ml_feat.depot_valid.shift = ml_feat.depot_extra.shift = -1;
	/*
	 * stack_slabs[] until v6.3, then stack_pools[]: commit 961c949b012f
	 * ("lib/stackdepot: rename slab to pool") in v6.3. The valid bit went in
	 * v6.8 ("lib/stackdepot: drop valid bit from handles"). pool_index holds
	 * index + 1 since commit 3ee34eabac2a ("lib/stackdepot: fix first entry
	 * having a 0-handle") in v6.9, where the field is pool_index_plus_1 --
	 * but 6.8.2+ stable kernels got that fix under the old name, so the
	 * decoder must validate a pool_index layout both ways (depot.c).
	 */
	if (symbol_exists("stack_pools")) {
		if (ml_bitfield(t, "pool_index_plus_1", &ml_feat.depot_index))
			ml_feat.depot = ML_DEPOT_POOLS_PLUS1;
		else if (ml_bitfield(t, "pool_index", &ml_feat.depot_index))
			ml_feat.depot = ML_DEPOT_POOLS;
	} else if (symbol_exists("stack_slabs")) {
		if (ml_bitfield(t, "slabindex", &ml_feat.depot_index))
			ml_feat.depot = ML_DEPOT_SLABS;
	}
	if (ml_feat.depot != ML_DEPOT_NONE) {
		ml_bitfield(t, "offset", &ml_feat.depot_offset);
		ml_bitfield(t, "valid", &ml_feat.depot_valid);
		ml_bitfield(t, "extra", &ml_feat.depot_extra);
	}
	/* DEPOT_STACK_ALIGN has been 4 in every version: records sit on
	 * 16-byte boundaries and the offset field counts those units */
	ml_feat.depot_align = 4;
	ml_feat.depot_disabled = ML_UNKNOWN;
	if (ml_read_symbol("stack_depot_disabled", &b, 1) ||
	    ml_read_symbol("stack_depot_disable", &b, 1))
		ml_feat.depot_disabled = b ? ML_YES : ML_NO;
	else if (ml_feat.depot == ML_DEPOT_NONE)
		ml_feat.depot_disabled = ML_NO;
}

/* SLAB_* flag values: fixed constants until v6.9, where they became bits
 * numbered by enum _slab_flag_bits ("mm, slab: use an enum to define SLAB_
 * cache creation flags"): SLAB_STORE_USER is no longer 0x10000 there, and
 * its value depends on the config. Take the bit from the enum when present. */
static unsigned long ml_slab_flag(const char *enumerator, unsigned long legacy)
{
	long bit;

	if (ml_enum(enumerator, &bit) && bit >= 0 && bit < (long)(8 * sizeof(long)))
		return 1UL << bit;
	return legacy;
}

static void ml_probe_slub(void)
{
	ml_feat.slub = symbol_exists("slab_caches") && ML_HAS(kmem_cache, oo);
	/* struct slab split out of struct page in v5.17: commit d122019bf061
	 * ("mm: Split slab into its own type") */
	ml_feat.slab_struct = ML_SIZE(slab) > 0 && ML_HAS(slab, slab_cache);
	/* struct track stores a stack depot handle since v5.18: commit
	 * 5cf909c553e9 ("mm/slub: use stackdepot to save stack trace in objects") */
	ml_feat.track_handle = ML_HAS(track, handle);
	ml_feat.freelist_hardened = ML_HAS(kmem_cache, random);
	ml_feat.freelist_random = ML_HAS(kmem_cache, random_seq);
	ml_feat.slab_store_user = ml_slab_flag("_SLAB_STORE_USER", 0x00010000UL);
	ml_feat.slab_reclaim_account = ml_slab_flag("_SLAB_RECLAIM_ACCOUNT", 0x00020000UL);
	ml_feat.slab_red_zone = ml_slab_flag("_SLAB_RED_ZONE", 0x00000400UL);
	ml_feat.slab_poison = ml_slab_flag("_SLAB_POISON", 0x00000800UL);
	ml_feat.slab_kmalloc = ml_slab_flag("_SLAB_KMALLOC", 0x00001000UL);
	/* slab.counters = { inuse:16, objects:15, frozen:1 } in every SLUB
	 * so far; take the positions from DWARF anyway, struct page before
	 * d122019bf061 (v5.17); the constants are the fallback */
	{
		const char *t = ml_feat.slab_struct ? "struct slab" : "struct page";
		long base = ml_feat.slab_struct ? ML_OFF(slab, counters) : ML_OFF(page, counters);
		struct { const char *m; struct ml_bitfield *bf; int shift, bits; } f[] = {
			{ "inuse", &ml_feat.slab_inuse, 0, 16 },
			{ "objects", &ml_feat.slab_objects, 16, 15 },
			{ "frozen", &ml_feat.slab_frozen, 31, 1 },
		};
		size_t i;

		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			if (base < 0 || !ml_bitfield(t, f[i].m, f[i].bf) ||
			    f[i].bf->shift < base * 8) {
				f[i].bf->shift = f[i].shift;
				f[i].bf->bits = f[i].bits;
			} else {
				f[i].bf->shift -= base * 8;	/* relative to counters */
			}
		}
	}
}

static void ml_probe_dump(void)
{
	ml_feat.vmcoreinfo = (pc->flags2 & VMCOREINFO) != 0;
	if (!DUMPFILE())
		ml_feat.dump_format = "live system";
	else if (pc->flags2 & QEMU_MEM_DUMP_ELF)
		ml_feat.dump_format = "ELF (QEMU)";
	else if (DISKDUMP_DUMPFILE())
		ml_feat.dump_format = "kdump-compressed";
	else if (KDUMP_DUMPFILE())
		ml_feat.dump_format = "ELF (kdump)";
	else if (pc->flags & NETDUMP)
		ml_feat.dump_format = "ELF (netdump)";
	else
		ml_feat.dump_format = "other";
	ml_feat.dump_level = DISKDUMP_DUMPFILE() ? get_dump_level() : -1;
}

void ml_probe_init(void)
{
	memset(&ml_feat, 0, sizeof(ml_feat));
	ml_resolve_layout();
	snprintf(ml_feat.release, sizeof(ml_feat.release), "%s", kt->utsname.release);
	snprintf(ml_feat.machine, sizeof(ml_feat.machine), "%s", kt->utsname.machine);
	ml_probe_memory_model();
	ml_probe_hz();
	ml_probe_page_owner();
	ml_probe_stack_depot();
	ml_probe_slub();
	ml_probe_dump();
}

const char *ml_depot_layout_name(enum ml_depot_layout l)
{
	switch (l) {
	case ML_DEPOT_NONE: return "none";
	case ML_DEPOT_SLABS: return "stack_slabs";
	case ML_DEPOT_POOLS: return "stack_pools";
	case ML_DEPOT_POOLS_PLUS1: return "stack_pools+1";
	}
	return "?";
}

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

static const char *const ml_probe_usage =
	"memleak probe [--json] [-v]\n"
	"  Print what memleak found in this kernel and dump: memory model,\n"
	"  page_owner, stack depot, SLUB, dump format, and (-v) every offset.\n";

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

	ml_opt_begin();
	while ((c = getopt_long(argc, argv, "jvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 'v': o.verbose = true; break;
		case 'h': fputs(ml_probe_usage, fp); return;
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
