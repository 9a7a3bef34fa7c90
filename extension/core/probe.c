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
#include "core/core.h"

#include <ctype.h>
#include <getopt.h>

struct ml_layout ml_layout;
struct ml_features ml_feat;

#define ML_NAME_MEMBER(s, m) { #s, #m },
#define ML_NAME_SIZE(s) #s,
static const struct {
	const char *s, *m;
} ml_member_names[] = { ML_MEMBERS(ML_NAME_MEMBER) };
const char *const ml_size_names[] = { ML_SIZES(ML_NAME_SIZE) };
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

#ifdef ML_DEBUG_LAYOUT
long ml_off_checked(int id, const char *func, const char *file, int line)
{
	char name[128];

	if (ml_layout.off[id] < 0)
		ml_warn("ML_DEBUG_LAYOUT: %s is not in this kernel, yet %s() uses its offset (%s:%d)",
			ml_member_name(id, name, sizeof(name)), func, file, line);
	return ml_layout.off[id];
}
#endif

int ml_need(int first, ...)
{
	va_list ap;
	int id, missing = 0;
	char names[400] = "", name[128];

	va_start(ap, first);
	for (id = first; id != ML_NEED_END; id = va_arg(ap, int)) {
		bool ok = id < ML_NR_MEMBERS ? ml_layout.off[id] >= 0
			: ml_layout.size[id - ML_NR_MEMBERS] > 0;
		size_t l = strlen(names);

		if (ok)
			continue;
		snprintf(names + l, sizeof(names) - l, "%s%s", missing++ ? ", " : "",
			 ml_member_name(id, name, sizeof(name)));
	}
	va_end(ap);
	if (missing)
		return ml_fail("cannot run on this kernel (layout not recognised): %s not in its "
			       "debuginfo", names);
	return 0;
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
	/* the page type word: page.page_type since commit 6e292b9be7f4 ("mm:
	 * split page_type out from _mapcount", v4.18), the same word as
	 * _mapcount before */
	ml_feat.page_type_off = ML_HAS(page, page_type) ? ML_OFF(page, page_type)
							 : ML_OFF(page, _mapcount);
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
	ml_feat.page_ext_owner_bit = ml_enum_value("PAGE_EXT_OWNER", &v) ? v : -1;
	ml_feat.page_ext_owner_allocated_bit = ml_enum_value("PAGE_EXT_OWNER_ALLOCATED", &v) ? v : -1;
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

	if (ml_enum_value(enumerator, &bit) && bit >= 0 && bit < (long)(8 * sizeof(long)))
		return 1UL << bit;
	return legacy;
}


/* kmemleak (CONFIG_DEBUG_KMEMLEAK) and allocation profiling
 * (CONFIG_MEM_ALLOC_PROFILING, v6.10): built in, and on at the dump */
static void ml_probe_leak_tools(void)
{
	unsigned long v;
	unsigned int key;

	ml_feat.kmemleak_compiled = symbol_exists("kmemleak_scan") && symbol_exists("object_list");
	ml_feat.kmemleak_enabled = !ml_feat.kmemleak_compiled ? ML_NO :
		!symbol_exists("kmemleak_enabled") || !ml_read_sym_ulong("kmemleak_enabled", &v) ?
		ML_UNKNOWN : v ? ML_YES : ML_NO;
	ml_feat.alloc_profiling_compiled = symbol_exists("alloc_tag_cttype") &&
					   symbol_exists("mem_alloc_profiling_key");
	ml_feat.alloc_profiling_enabled = ML_NO;
	if (ml_feat.alloc_profiling_compiled)
		ml_feat.alloc_profiling_enabled = !ML_HAS(static_key, enabled) ||
			!ml_read_uint(symbol_value("mem_alloc_profiling_key") +
					      ML_OFF(static_key, enabled), &key,
				      "mem_alloc_profiling_key") ? ML_UNKNOWN : key ? ML_YES : ML_NO;
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
	/* kmemleak's metadata caches (kmemleak_object, kmemleak_scan_area) are
	 * made with SLAB_NOLEAKTRACE; only kernels with CONFIG_DEBUG_KMEMLEAK
	 * (kmemleak_scan exists) set it. A bit of enum _slab_flag_bits since
	 * v6.9 ("mm, slab: use an enum to define SLAB_ cache creation flags"),
	 * 0x00800000 before */
	ml_feat.slab_noleaktrace = symbol_exists("kmemleak_scan") ?
		ml_slab_flag("_SLAB_NOLEAKTRACE", 0x00800000UL) : 0;
	ml_probe_leak_tools();
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
