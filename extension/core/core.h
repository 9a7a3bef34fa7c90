/*
 * core.h: what memleak knows of crash and of the kernel's layout -- the
 * offset/size table and features probed at load, the command arena,
 * guarded reads and bounded list walks, the kernel's constants, symbols and
 * module symbols, the stack depot, the kernel log, and the diagnostics
 * (warnings, failure reasons) the layers above report. Never includes
 * collect/ or cmd/.
 *
 * Conventions:
 *  - every symbol of the extension starts with ml_ (functions, types) or
 *    ML_ (macros), and is static unless shared between these files;
 *  - kernel offsets, sizes and features are resolved once, at load, in
 *    probe.c; subcommands read them through ML_OFF()/ML_SIZE()/ml_feat and
 *    say which ones they need (ml_need) before they start;
 *  - memory reads go through mem.c (RETURN_ON_ERROR|QUIET, counted), never
 *    FAULT_ON_ERROR: a bad pointer costs one object, not the session;
 *  - memory allocated by a subcommand comes from the command arena (mem.c),
 *    released at the end of the command and, if crash long-jumped out of it
 *    (Ctrl-C, SIGPIPE from "| head", a usage error), at the next one.
 */
#ifndef ML_CORE_H
#define ML_CORE_H

#include "defs.h"
#include "pure/pure.h"

#define ML_VERSION "0.1.0"

/* ---- kernel layout: offsets and sizes resolved at load (probe.c) ------ */

#include "core/layout.h"

#define ML_ENUM_MEMBER(s, m) ML_O_##s##__##m,
#define ML_ENUM_SIZE(s) ML_S_##s,
enum ml_member_id { ML_MEMBERS(ML_ENUM_MEMBER) ML_NR_MEMBERS };
enum ml_size_id { ML_SIZES(ML_ENUM_SIZE) ML_NR_SIZES };
#undef ML_ENUM_MEMBER
#undef ML_ENUM_SIZE

struct ml_layout {
	long off[ML_NR_MEMBERS];	/* -1: no such member */
	long msize[ML_NR_MEMBERS];	/* -1: unknown */
	long size[ML_NR_SIZES];		/* -1: no such type */
};
extern struct ml_layout ml_layout;

/*
 * ML_OFF(s, m): the offset of a member the code is about to read. A member
 * this kernel lacks is -1, and a read at -1 is a wrong number three calls
 * later: test ML_HAS(s, m) first, or use ML_OFF_RAW(s, m) where -1 is
 * handled on the spot. The debug build (make debug, which the tests load)
 * reports every ML_OFF of a missing member as a warning naming the member,
 * function, file and line (ml_off_checked, probe.c).
 */
#define ML_OFF_RAW(s, m) (ml_layout.off[ML_O_##s##__##m])
#ifdef ML_DEBUG_LAYOUT
long ml_off_checked(int id, const char *func, const char *file, int line);
#define ML_OFF(s, m) ml_off_checked(ML_O_##s##__##m, __func__, __FILE__, __LINE__)
#else
#define ML_OFF(s, m) ML_OFF_RAW(s, m)
#endif
#define ML_MSIZE(s, m) (ml_layout.msize[ML_O_##s##__##m])
#define ML_HAS(s, m) (ML_OFF_RAW(s, m) >= 0)
#define ML_SIZE(s) (ml_layout.size[ML_S_##s])
/* for ml_need(): the id of a member or a size */
#define ML_M(s, m) (ML_O_##s##__##m)
#define ML_T(s) (ML_NR_MEMBERS + ML_S_##s)
#define ML_NEED_END (-1)

/* ---- features of this dump, probed at load (probe.c) ------------------ */

enum ml_tristate { ML_NO = 0, ML_YES = 1, ML_UNKNOWN = 2 };

enum ml_depot_layout {
	ML_DEPOT_NONE = 0,	/* no stack depot in this kernel */
	ML_DEPOT_SLABS,		/* stack_slabs[], handle_parts.slabindex (5.x-6.2) */
	ML_DEPOT_POOLS,		/* stack_pools[], handle_parts.pool_index (6.3-6.8) */
	ML_DEPOT_POOLS_PLUS1,	/* stack_pools[], pool_index_plus_1 (6.9+) */
};

struct ml_bitfield {
	int shift;		/* -1: absent */
	int bits;
};

struct ml_features {
	char release[65];
	char machine[65];
	int page_size;
	int page_shift;
	long page_type_off;	/* struct page's page_type (or _mapcount) word, -1 */
	unsigned int hz;	/* HZ: jiffies per second (ml_probe_hz) */
	const char *hz_source;
	/* jiffies since boot at the dump: jiffies_64 - INITIAL_JIFFIES */
	unsigned long long uptime_jiffies;
	/* memory model */
	bool numa;		/* node_data[] (true) or contig_page_data */
	int nr_nodes;		/* online nodes crash found */
	bool sparsemem;
	bool sparsemem_extreme;
	bool vmemmap;
	int nr_zones;		/* MAX_NR_ZONES: length of node_zones[] */
	int nr_orders;		/* NR_PAGE_ORDERS: length of free_area[] */
	int nr_migratetypes;	/* MIGRATE_TYPES: length of free_list[] */
	/* page_owner */
	bool page_owner_compiled;	/* symbol page_owner_ops */
	enum ml_tristate page_owner_enabled;	/* static key page_owner_inited */
	bool page_ext;		/* mem_section.page_ext or node_page_ext */
	long page_ext_size;	/* page_ext_size variable or sizeof */
	long page_owner_offset;	/* page_owner_ops.offset */
	long page_ext_owner_bit;	/* enum page_ext_flags PAGE_EXT_OWNER */
	long page_ext_owner_allocated_bit;
	bool page_owner_stack_list;	/* 6.9+: stack_list of stack_record counts */
	/* stack depot */
	enum ml_depot_layout depot;
	enum ml_tristate depot_disabled;
	struct ml_bitfield depot_index;	/* slabindex / pool_index(_plus_1) */
	struct ml_bitfield depot_offset;
	struct ml_bitfield depot_valid;
	struct ml_bitfield depot_extra;
	int depot_align;	/* DEPOT_STACK_ALIGN: offset unit is 1 << align */
	/* SLUB */
	bool slub;
	bool slab_struct;	/* struct slab split from struct page (5.17) */
	bool track_handle;	/* struct track holds a depot handle (5.18) */
	bool freelist_hardened;	/* kmem_cache.random */
	bool freelist_random;	/* kmem_cache.random_seq */
	unsigned long slab_store_user;	/* SLAB_STORE_USER value in this kernel */
	unsigned long slab_reclaim_account;
	unsigned long slab_red_zone;
	unsigned long slab_poison;
	unsigned long slab_kmalloc;	/* SLAB_KMALLOC: orig_size after the tracks */
	unsigned long slab_noleaktrace;	/* SLAB_NOLEAKTRACE: kmemleak's own caches (0: no kmemleak) */
	/* slab.counters bitfields (inuse, objects, frozen), from DWARF */
	struct ml_bitfield slab_inuse, slab_objects, slab_frozen;
	int nr_caches;
	int nr_store_user_caches;
	/* the kernel's own leak tools */
	bool kmemleak_compiled;		/* CONFIG_DEBUG_KMEMLEAK: kmemleak_scan */
	enum ml_tristate kmemleak_enabled;	/* kmemleak_enabled */
	bool alloc_profiling_compiled;	/* CONFIG_MEM_ALLOC_PROFILING: alloc_tag_cttype */
	enum ml_tristate alloc_profiling_enabled;	/* mem_alloc_profiling_key */
	/* the dump */
	bool vmcoreinfo;
	const char *dump_format;
	int dump_level;		/* makedumpfile -d, -1 unknown */
};
extern struct ml_features ml_feat;

void ml_probe_init(void);
/* 0 if every listed id (ML_M/ML_T, ended by ML_NEED_END) resolved;
 * otherwise ml_fail() names the missing ones and it returns -1 */
int ml_need(int first, ...);
const char *ml_member_name(int id, char *buf, size_t len);
/* the type name of each ML_SIZES entry, by ml_size_id */
extern const char *const ml_size_names[];
const char *ml_depot_layout_name(enum ml_depot_layout l);

/* ---- memory: command arena and guarded reads (mem.c) ------------------ */
/* ml_alloc() and friends are declared in mlpure.h */

void ml_arena_reset(void);		/* free everything ml_alloc'ed */
/* the glue calls this before and after every command: arena, counters,
 * interrupt latch */
void ml_command_reset(void);

struct ml_readstats {
	unsigned long ok;
	unsigned long failed;		/* unreadable: excluded or not in dump */
};
extern struct ml_readstats ml_reads;

/* KVADDR reads, RETURN_ON_ERROR|QUIET; return true on success */
bool ml_read(ulong addr, void *buf, long size, const char *what);
bool ml_read_ulong(ulong addr, ulong *val, const char *what);
bool ml_read_uint(ulong addr, unsigned int *val, const char *what);
bool ml_read_long(ulong addr, long *val, const char *what);
/* NUL-terminated string at addr into buf (at most len-1 chars) */
bool ml_read_cstring(ulong addr, char *buf, size_t len, const char *what);
/* an integer of 1, 2, 4 or 8 bytes at buf+off, zero-extended */
uint64_t ml_get_uint(const void *buf, long off, long size);
static inline ulong ml_get_ulong(const void *buf, long off)
{
	return *(const ulong *)((const char *)buf + off);
}
static inline unsigned int ml_get_u32(const void *buf, long off)
{
	return *(const unsigned int *)((const char *)buf + off);
}

/*
 * Bounded, cycle-checked walk of a kernel list_head list.
 * head: address of the list_head anchor; link_off: offset of the list_head
 * inside each entry. cb gets each entry's address; returning false stops.
 * Returns the number of entries visited; *status says how the walk ended.
 */
enum ml_walk_status {
	ML_WALK_OK = 0,
	ML_WALK_UNREADABLE,	/* a kernel address the dump does not hold (excluded) */
	ML_WALK_BAD_LINK,	/* a NULL or non-kernel pointer in a link (corrupt) */
	ML_WALK_CYCLE,		/* came back to an entry that is not the head */
	ML_WALK_LIMIT,		/* more than max entries */
	ML_WALK_STOPPED,	/* the callback asked to stop */
	ML_WALK_INTERRUPTED,	/* Ctrl-C */
};
typedef bool (*ml_walk_cb)(ulong entry, void *arg);
unsigned long ml_list_walk(ulong head, long link_off, unsigned long max,
			   ml_walk_cb cb, void *arg, enum ml_walk_status *status);
const char *ml_walk_status_str(enum ml_walk_status s);

/*
 * Bounded walk of an XArray (an IDR's idr_rt is one; XArray since v4.20,
 * f8d5d0cc145c "xarray: Add definition of struct xarray"). xa: the struct
 * xarray's address. cb gets each pointer entry with its index (value and
 * internal entries are skipped); returning false stops. At most max
 * entries; returns the number visited, *status how the walk ended.
 */
typedef bool (*ml_xa_cb)(unsigned long index, ulong entry, void *arg);
unsigned long ml_xa_walk(ulong xa, unsigned long max, ml_xa_cb cb, void *arg,
			 enum ml_walk_status *status);

/* Ctrl-C: true once the user interrupted the current command */
bool ml_interrupted(void);

/* ---- stack depot (depot.c): handles to stacks, shared by slabtop and
 * pageowner. ml_command_reset() calls ml_depot_begin() before each command: its caches
 * live in the command arena. ------------------------------------------- */

enum ml_depot_status {
	ML_DEPOT_OK = 0,
	ML_DEPOT_NOHANDLE,	/* handle 0: no stack recorded */
	ML_DEPOT_BADHANDLE,	/* index/offset out of range or record mismatch */
	ML_DEPOT_UNREADABLE,	/* pool or record not in the dump */
	ML_DEPOT_UNAVAILABLE,	/* no depot in this kernel, or disabled */
};
void ml_depot_begin(void);
/* why stacks cannot be decoded in this kernel, NULL if they can */
const char *ml_depot_unavailable(void);
/* the return addresses of a handle's stack (cached, arena-owned) */
enum ml_depot_status ml_depot_fetch(uint32_t handle, const ulong **entries,
				    unsigned int *nr);
const char *ml_depot_status_str(enum ml_depot_status st);
struct ml_depot_stats {
	unsigned long records, pools_read, failed;
};
extern struct ml_depot_stats ml_depot_stats;

/* ---- symbols (symbols.c): addresses as the kernel's %pS prints them ---- */

struct ml_sym {
	ulong addr;
	const char *name;	/* NULL: no symbol */
	ulong offset, size;
	const char *module;	/* NULL: vmlinux */
	const char *str;	/* "name+0xoff/0xsize [module]" or "0x..." */
};
void ml_symbols_begin(void);
const struct ml_sym *ml_sym_lookup(ulong addr);	/* cached, arena-owned */
static inline const char *ml_symbolize(ulong addr)
{
	return ml_sym_lookup(addr)->str;
}

/* ---- module symbols from the kernel's own kallsyms (modsyms.c), for
 * when crash has none (--no_modules, or its module init failed) -------- */

/* addr in a module's text: fill sym and write "name+0xoff/0xsize [module]"
 * to buf, as find_kallsyms_symbol() resolves it; false otherwise */
bool ml_modsym_lookup(ulong addr, struct ml_sym *sym, char *buf, size_t len);
/* crash read the kernel's modules itself */
bool ml_crash_has_modules(void);
enum ml_modsyms_source { ML_MODSYMS_CRASH, ML_MODSYMS_KALLSYMS, ML_MODSYMS_UNAVAILABLE };
/* who resolves module addresses, for memleak probe: one line into buf */
const char *ml_modsyms_status(char *buf, size_t len, enum ml_modsyms_source *src,
			      unsigned long *modules, unsigned long *symbols);

/* ---- the target's address translation (target.c) ---------------------- */

/* defs.h's PTOV() and IS_VMALLOC_ADDR(), for every target; use these, not
 * the macros (target.c says why) */
ulong ml_ptov(physaddr_t pa);
/* the target's long in bits: crash is built with the target's long width
 * (a 32-bit program for ARM dumps), so the host's ulong is the target's */
#define ML_BITS_PER_LONG ((unsigned long)(8 * sizeof(ulong)))
bool ml_is_vmalloc_addr(ulong va);
/* [VMALLOC_START, VMALLOC_END) of the kernel; false where unknown */
bool ml_vmalloc_range(ulong *start, ulong *end);
/* is_page_ptr(): a struct page address to its physical address, false if it
 * is none; linear arithmetic on a vmemmap (target.c says why) */
bool ml_page_to_phys(ulong page, physaddr_t *phys);

/* ---- the kernel's constants and globals (kernel.c) --------------------- */

/* an enumerator's value (cached for the session); false if this kernel's
 * debuginfo lacks it */
bool ml_enum_value(const char *enumerator, long *val);
/* the same, or fallback where the debuginfo lacks it */
long ml_enum_value_or(const char *enumerator, long fallback);
/* a global variable of 1, 2, 4 or 8 bytes (its debuginfo size) */
bool ml_read_sym_ulong(const char *sym, unsigned long *val);
/* a VMCOREINFO number ("NUMBER(PG_slab)", "PAGESIZE", ...) */
bool ml_vmcoreinfo_long(const char *key, long *val);
/* a page flag's bit: enum pageflags, else VMCOREINFO NUMBER(PG_x); -1 */
int ml_pg_bit(const char *name);
/* the per-cpu address of a __percpu pointer or percpu symbol offset */
ulong ml_percpu_addr(ulong ptr, int cpu);
bool ml_cpu_online(int cpu);
/* read a percpu_counter the way percpu_counter_sum() does */
bool ml_percpu_counter_sum(ulong addr, long long *sum);
/* an address as "name [module]" (no offset), "?" if no symbol (symbols.c) */
const char *ml_sym_key(ulong addr, char *buf, size_t len);

/* ---- tasks and their open files (tasks.c) ------------------------------ */

struct ml_task {
	ulong task;		/* task_struct */
	ulong pid, tgid;
	ulong mm;		/* mm_struct; 0: a kernel thread */
	ulong files;		/* files_struct (threads may share it); 0: none */
	char comm[TASK_COMM_LEN + 1];
};
/* every task: the thread group leaders on init_task.tasks, then each
 * group's other threads (crash's own table if that list is unreadable);
 * arena-owned */
size_t ml_tasks(const struct ml_task **v);
/* each open file of a files_struct: cb(fd, struct file) in fd order,
 * bounded; returns the files seen, *st how the walk ended */
typedef bool (*ml_file_cb)(unsigned int fd, ulong file, void *arg);
unsigned long ml_task_files(ulong files, ml_file_cb cb, void *arg, enum ml_walk_status *st);
/* a struct file's reference count */
bool ml_file_refs(ulong file, long *refs);

/* ---- the kernel log, read once per command (klog.c) ------------------- */

/* the log as crash's "log" prints it, NUL-terminated; NULL if unreadable */
const char *ml_klog(size_t *len);
/* the next line at *pos into buf (no newline); false at the end.
 * for (p = ml_klog(&n); ml_klog_line(&p, line, sizeof(line));) */
bool ml_klog_line(const char **pos, char *buf, size_t len);
void ml_klog_reset(void);

/* ---- diagnostics of the current command (diag.c): nothing below cmd/
 * prints; collectors say why they failed and what is partial here ------- */

/* record why the current command cannot build its model (the first reason
 * given wins); returns -1 so a collector can "return ml_fail(...)" */
int ml_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the reason, NULL if nothing failed */
const char *ml_failure(void);
/* a command that carries on without the part that failed: the reason
 * becomes a warning, and the next failure can be heard */
void ml_fail_to_warning(void);
/* a warning about what was read (partial, excluded, corrupt), once each */
void ml_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the warnings so far; *dropped: how many did not fit */
size_t ml_warnings(const char *const **v, unsigned long *dropped);
void ml_diag_reset(void);

#endif /* ML_CORE_H */
