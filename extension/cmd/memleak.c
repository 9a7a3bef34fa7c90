/*
 * memleak.c: the crash glue -- command table, help text, subcommand
 * dispatch, load and unload. Kept thin: the work is in the other files.
 *
 *   crash> extend memleak.so
 *   crash> memleak probe
 */
#include "cmd/cmd.h"

#include <getopt.h>

void ml_opt_begin(void)
{
	optind = 0;	/* glibc: 0 also resets getopt's internal state */
	opterr = 0;
}

void ml_opt_error(const char *sub, int argc, char **argv, const struct option *longopts)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	const struct option *lo;

	/* getopt sets optopt to the option whose value is missing, 0 for a
	 * long option it does not know */
	for (lo = longopts; optopt && lo && lo->name; lo++) {
		if (lo->val == optopt && lo->has_arg == required_argument) {
			ml_usage_error(sub, "option '%s' needs a value", arg);
			return;
		}
	}
	if (optopt > 0 && optopt < 128 && arg[0] == '-' && arg[1] != '-' && strlen(arg) > 2)
		ml_usage_error(sub, "invalid option '-%c' in '%s'", optopt, arg);
	else
		ml_usage_error(sub, "invalid option '%s'", arg);
}

bool ml_opt_end(const char *sub, int argc, char **argv)
{
	if (optind < argc) {
		ml_usage_error(sub, "unexpected argument '%s'", argv[optind]);
		return false;
	}
	return true;
}

static void ml_cmd_help(int argc, char **argv);

struct ml_subcmd {
	const char *name;
	ml_subcmd_fn fn;
	const char *synopsis;
	const char *summary;
};

static const struct ml_subcmd ml_subcmds[] = {
	{ "probe", ml_cmd_probe, "probe [--json] [-v]",
	  "what memleak found in this kernel and dump: layouts, features, dump level" },
	{ "zones", ml_cmd_zones, "zones [-o N] [--json|--buddyinfo|--pagetypeinfo]",
	  "free areas, watermarks, fragmentation indexes and verdicts per zone" },
	{ "vmstat", ml_cmd_vmstat, "vmstat [-z|-n] [--exact] [--drift] [--json]",
	  "the kernel's vm counters as /proc/vmstat printed them, per-cpu drift" },
	{ "meminfo", ml_cmd_meminfo, "meminfo [--ledger] [--exact] [--json]",
	  "/proc/meminfo rebuilt, and the ledger of MemTotal down to unaccounted pages" },
	{ "slabtop", ml_cmd_slabtop, "slabtop [--by-callsite] [-c CACHE] [--top N] [--json]",
	  "slab caches by memory; allocated objects grouped by who allocated them" },
	{ "pageowner", ml_cmd_pageowner,
	  "pageowner [--cull KEY] [--sort KEY] [filters] [--top N] [--unaccounted|--freed] [--json]",
	  "page_owner: allocated pages grouped by stack, pid, comm or module" },
	{ "summary", ml_cmd_summary, "summary [--top N] [--json]",
	  "the OOM verdict: ledger, zones, top caches and stacks, ranked leak suspects" },
	{ "save", ml_cmd_save, "save FILE",
	  "write a JSON snapshot of everything memleak sees, for memleak diff" },
	{ "diff", ml_cmd_diff, "diff OLD [NEW] [-c CACHE] [-m MODULE] [--top N] [--json]",
	  "growth since a snapshot: meminfo, zones, caches, callsites, page_owner stacks" },
	{ "help", ml_cmd_help, "help", "list the subcommands" },
};
#define ML_NR_SUBCMDS (int)(sizeof(ml_subcmds) / sizeof(ml_subcmds[0]))

static const struct ml_subcmd *ml_find_subcmd(const char *name)
{
	int i;

	for (i = 0; i < ML_NR_SUBCMDS; i++)
		if (strcmp(ml_subcmds[i].name, name) == 0)
			return &ml_subcmds[i];
	return NULL;
}

void ml_usage_error(const char *sub, const char *fmt, ...)
{
	const struct ml_subcmd *s = ml_find_subcmd(sub);
	va_list ap;

	fprintf(fp, "memleak %s: ", sub);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	if (s)
		fprintf(fp, "Usage: memleak %s\n", s->synopsis);
}

static void ml_cmd_help(int argc, char **argv)
{
	int i;

	(void)argc;
	(void)argv;
	fprintf(fp, "memleak %s: post-mortem memory leak and fragmentation analysis\n\n",
		ML_VERSION);
	for (i = 0; i < ML_NR_SUBCMDS; i++)
		fprintf(fp, "  memleak %-28s %s\n", ml_subcmds[i].synopsis,
			ml_subcmds[i].summary);
	fprintf(fp, "\nEvery subcommand takes --json. \"help memleak\" has the details.\n");
}

static void ml_cmd_memleak(void)
{
	const struct ml_subcmd *s;

	/* a previous command may have been left by longjmp (Ctrl-C, a usage
	 * error, SIGPIPE): release what it allocated before starting */
	ml_command_reset();
	if (argcnt < 2) {
		ml_cmd_help(0, NULL);
		return;
	}
	s = ml_find_subcmd(args[1]);
	if (!s) {
		fprintf(fp, "memleak: unknown subcommand '%s'\n", args[1]);
		ml_cmd_help(0, NULL);
		return;
	}
	s->fn(argcnt - 1, args + 1);
	fflush(fp);
	ml_command_reset();
}

static char *ml_help[] = {
	"memleak",
	"post-mortem memory leak and fragmentation analysis",
	"SUBCOMMAND [options]",
	"  memleak tells where the memory of a dead system went: free areas and",
	"  fragmentation, the kernel's counters, slab caches and who allocated",
	"  their objects, page_owner stacks -- from the dump, without a live system.",
	"",
	"  Subcommands:",
	"    probe [--json] [-v]",
	"        What memleak found in this kernel and dump: NUMA or contig_page_data,",
	"        SPARSEMEM, page_owner (compiled in, enabled at boot), stack depot",
	"        layout, SLUB features and the caches with SLAB_STORE_USER (alloc",
	"        tracks), VMCOREINFO, makedumpfile dump level. -v lists every struct",
	"        offset and size memleak resolved (-1: not in this kernel).",
	"    zones [-o N] [--json | --buddyinfo | --pagetypeinfo]",
	"        Every populated zone of every node: spanned/present/managed and free",
	"        pages, watermarks min/low/high and boost, lowmem_reserve; per order the",
	"        free blocks (nr_free) and, from a bounded walk of each free_list, the",
	"        blocks per migratetype; the unusable free space and fragmentation",
	"        indexes exactly as mm/vmstat.c computes them (debugfs extfrag); the",
	"        largest free order; pageblocks per migratetype; and a verdict for an",
	"        order-N request against the min watermark: succeeds, fails out of",
	"        memory, or fails fragmented. The last OOM report or page allocation",
	"        failure in the dump's log is quoted and its order and zones marked *.",
	"          -o N            one line per zone for order-N requests",
	"          --buddyinfo     /proc/buddyinfo, line for line",
	"          --pagetypeinfo  /proc/pagetypeinfo (free lists, pageblocks, and the",
	"                          mixed pageblocks where page_owner is on)",
	"          --json          {\"zones\": [...]} with all of the above",
	"        Free lists the dump left out (makedumpfile -d 31) are counted in one",
	"        line; the counters (nr_free) are used instead.",
	"    vmstat [-z | -n] [--exact] [--drift] [--json]",
	"        Every counter /proc/vmstat printed at the dump, named as this kernel",
	"        names them (its vmstat_text[]), in its order: zone, NUMA, node,",
	"        writeback (nr_dirty_threshold computed as global_dirty_limits() does)",
	"        and event counters (summed over online cpus).",
	"          -z              per zone (zone and NUMA items)",
	"          -n              per node (node items)",
	"          --exact         fold in the per-cpu deltas the global atomics lag",
	"          --drift         printed, pending per-cpu delta, exact, where they differ",
	"          --json          {\"vmstat\": {name: value}, \"drift\": {name: delta}}",
	"    meminfo [--ledger] [--exact] [--json]",
	"        /proc/meminfo rebuilt for this kernel: its lines (by its config), its",
	"        order, its format; MemAvailable as si_mem_available(). A line that",
	"        cannot be computed from the dump prints \"?\" and why. Then the ledger:",
	"        MemTotal split into free (buddy and per-cpu lists), page cache, anon,",
	"        slab, kernel stacks, page tables, vmalloc, percpu, hugetlb, other",
	"        counters -- and unaccounted: pages allocated but in no counter. That is",
	"        where alloc_pages() leaks hide: a driver that takes pages straight from",
	"        the buddy allocator and never frees them grows only this line. Compare",
	"        it with a healthy dump of the same kernel (a few MiB is normal).",
	"          --ledger        the ledger alone",
	"          --exact         the table from folded (exact) counters",
	"          --json          {\"meminfo\": {name: kB}, \"ledger\": {item: pages}}",
	"    slabtop [-s KEY] [--top N] [-c CACHE[,CACHE]] [-v] [--json]",
	"        Every slab cache like slabinfo: object and slot size, objects per",
	"        slab, order, active objects (freelists walked, hardened pointers",
	"        decoded), total objects, slabs per-CPU/partial/full, memory, Loss,",
	"        %Fr, %Ef; totals against SReclaimable/SUnreclaim. Sorted by memory.",
	"          -s KEY          mem, objs, active, size, loss, slabs or name",
	"          --top N         the first N caches",
	"          -c CACHES       only these caches (comma-separated)",
	"          -v              problems of every cache, and the walk's cost",
	"    slabtop --by-callsite [--stack] [--free] [-c CACHE] [-m MODULE] [--min N]",
	"        Allocated objects of the caches with SLAB_STORE_USER (slub_debug=U)",
	"        grouped by caller, like debugfs alloc_traces: count, caller",
	"        symbol+off/size [module], cache, bytes, waste, age, pids, cpus,",
	"        nodes, stack.",
	"          --stack         one group per caller and stack",
	"          --free          the free track (free_traces) instead",
	"          -m MODULE       callers in this module only",
	"          --min N         groups of at least N objects",
	"          -s count|bytes  sort key (default count)",
	"    pageowner [--cull KEY] [--sort KEY] [filters] [--top N] [--unaccounted | --freed]",
	"        page_owner (boot with page_owner=on) from the dump: every allocated",
	"        page's page_ext, read a section at a time, each allocation counted once",
	"        (head page, 1 << order pages) and grouped like tools/mm/page_owner_sort",
	"        --cull: allocations, pages, orders, gfp masks named from the kernel's",
	"        gfpflag_names[], the pages' classes from struct page (slab, anon, file,",
	"        pagetable, vmalloc, free, other), then the stack. A kernel without",
	"        page_owner, or with it or the stack depot off, gets one line saying so.",
	"          --cull KEY      stacktrace (default), pid, comm or module",
	"          --sort KEY      pages (default), allocations or timestamp (newest);",
	"                          page_owner_sort's -m, -t, -a also work",
	"          --pid N, --comm NAME, --order N, --gfp FLAG|MASK, --module NAME",
	"                          only those allocations (--module vmlinux: no module)",
	"          --top N         the first N groups",
	"          --unaccounted   class other only: pages in no slab, LRU, page cache,",
	"                          page table or vmalloc area -- the alloc_pages() black",
	"                          hole; the kernel's placeholder stacks are left out",
	"          --freed         pages freed since, grouped by the stack that freed",
	"                          them (--alloc-stack: that allocated them)",
	"          --json          {\"stacks\": [{allocations, pages, stack: [...]}],",
	"                          \"total_pages\": N}; --pfns adds [pfn, ts] per allocation",
	"    summary [--top N] [--json]",
	"        The verdict on one screen, from the collections above: the dump and",
	"        its OOM report, the zones for the failing order (exhaustion or",
	"        fragmentation), the ledger, the top N caches, callsites and page_owner",
	"        stacks, the leak suspects ranked by bytes (boot-time allocations last)",
	"        with their evidence and stack, and what the dump could not show.",
	"          --json          {\"suspects\": [{rank, kind, what, bytes, count,",
	"                          evidence}], \"oom\", \"ledger\", \"missing\", ...}",
	"    save FILE",
	"        Write a JSON snapshot of all of it (doc/snapshot.md) to FILE.",
	"    diff OLD [NEW] [-c CACHE] [-m MODULE] [--min N] [--top N] [--json]",
	"        Growth from snapshot OLD to this dump (or snapshot NEW) per meminfo",
	"        line, ledger item, zone and order, cache, callsite and page_owner",
	"        stack, largest first; callers and stacks matched by symbol name.",
	"    help",
	"        List the subcommands.",
	"",
	"  Every subcommand accepts --json and writes a JSON document instead of",
	"  the table, so results can be saved (memleak probe --json > probe.json),",
	"  diffed and fed to jq.",
	"",
	"EXAMPLE",
	"  What memleak can see in a makedumpfile -d 31 dump of a non-NUMA 6.1",
	"  kernel with page_owner, booted with slub_debug=U page_owner=on:",
	"",
	"    crash> memleak probe",
	"    kernel:        6.1.192-memleak-lab (x86_64), page size 4096",
	"    memory model:  non-NUMA (contig_page_data), SPARSEMEM EXTREME VMEMMAP, 1 node, 4 zones, 11 page orders, 4 migratetypes",
	"    page_owner:    enabled (page_ext 64 bytes, owner at +8, no stack_list)",
	"    stack depot:   stack_slabs, handle index 16@0 offset 10@16 valid extra, enabled",
	"    slub:          102 caches, struct slab, track stack depot handle, freelist hardened random",
	"    SLAB_STORE_USER: 0x10000, on all 102 caches (alloc/free tracks)",
	"    dump:          kdump-compressed, VMCOREINFO present, dump level 31 (excluded: zero cache cache-private user free)",
	"",
	"  The same on Debian's 6.1 cloud kernel (NUMA, no page_owner):",
	"",
	"    crash> memleak probe",
	"    kernel:        6.1.0-56-cloud-amd64 (x86_64), page size 4096",
	"    memory model:  NUMA (node_data[]), SPARSEMEM EXTREME VMEMMAP, 1 node, 5 zones, 11 page orders, 5 migratetypes",
	"    page_owner:    not compiled in (kernel built without CONFIG_PAGE_OWNER)",
	"    stack depot:   stack_slabs, handle index 16@0 offset 10@16 valid extra, enabled",
	"    slub:          212 caches, struct slab, track stack depot handle, freelist hardened random",
	"    SLAB_STORE_USER: 0x10000, on all 212 caches (alloc/free tracks)",
	"    dump:          kdump-compressed, VMCOREINFO present, dump level 1 (excluded: zero)",
	"",
	"  Who holds the objects of the sample module's leaks (debian-6.1 leak dump):",
	"",
	"    crash> memleak slabtop -c mlsample_bufhandle,kmalloc-192",
	"    NAME                OBJSIZE  SLOT  OBJ/SLAB  ORDER  ACTIVE  TOTAL  SLABS  CPU  PART  FULL     MEMORY       LOSS  %FR  %EF  FLAGS",
	"    mlsample_bufhandle      232   304        13      0    2000   2002    154    0     1   153  616.0 KiB  162.9 KiB    0   73  U",
	"    kmalloc-192             192   264        15      0    1296   1305     87    0     1    86  348.0 KiB  105.0 KiB    1   69  U",
	"    ...",
	"    crash> memleak slabtop --by-callsite -c kmalloc-192 --top 1",
	"       1000 mlsample_spec_attach.constprop.0+0x27/0x52 [memleak_sample] cache=kmalloc-192 bytes=192000 waste=16000/16 age=81.84/81.86/81.87s pid=93 cpus=1",
	"            kmalloc_trace+0x26/0x90",
	"            mlsample_spec_attach.constprop.0+0x27/0x52 [memleak_sample]",
	"            0xffffffffc033601f",
	"            do_one_initcall+0x59/0x220",
	"            ...",
	"",
	"  Order-1 requests on a dump where every other order-0 page was kept",
	"  (the lab's frag scenario, makedumpfile -d 31):",
	"",
	"    crash> memleak zones -o 1",
	"    order-1 requests (8 KiB each; counts in pages of 4 KiB, verdict against the min watermark):",
	"      node  zone     free    min  blocks>=order  unusable  extfrag  order-N request",
	"         0  DMA      3808    175              7     0.000   -1.000  succeeds",
	"         0  DMA32  166217  11088            126     0.326   -1.000  succeeds",
	"",
	"  The same as the kernel printed /proc/buddyinfo, to diff with a capture:",
	"",
	"    crash> memleak zones --buddyinfo",
	"    Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3 ",
	"    Node 0, zone    DMA32  54311      3      3      2      0      2      3      2      1      3    107 ",
	"",
	"  Pageblocks holding pages of another migratetype, which compaction cannot",
	"  empty (the lab's frag scenario on the custom 6.1 kernel, page_owner=on):",
	"",
	"    crash> memleak zones --pagetypeinfo | tail -3",
	"    Number of mixed blocks    Unmovable      Movable  Reclaimable   HighAtomic ",
	"    Node 0, zone      DMA            0            0            0            0 ",
	"    Node 0, zone    DMA32            7            1            1            0 ",
	"",
	"  Where did the memory go? 1500 pages leaked with alloc_pages() by the",
	"  lab's module (scenario leak, makedumpfile -d 31) show as unaccounted;",
	"  the same kernel without the leak has 938 unaccounted pages:",
	"",
	"    crash> memleak meminfo --ledger",
	"    LEDGER               PAGES      KB      %",
	"    free                233322  933288   93.7",
	"    free_pcp              4994   19976    2.0",
	"    page_cache             575    2300    0.2",
	"    anon                    43     172    0.0",
	"    slab_reclaimable      3373   13492    1.4",
	"    slab_unreclaimable    2904   11616    1.2",
	"    kernel_stack           224     896    0.1",
	"    page_tables             14      56    0.0",
	"    vmalloc               1075    4300    0.4",
	"    percpu                   6      24    0.0",
	"    hugetlb                  0       0    0.0",
	"    other                    0       0    0.0",
	"    unaccounted           2437    9748    1.0",
	"    MemTotal            248967  995868  100.0",
	"",
	"  The verdict on the lab's OOM dump (custom-6.1, page_owner, panic_on_oom):",
	"",
	"    crash> memleak summary --top 3",
	"    DUMP      6.1.192-memleak-lab (x86_64), uptime 00:01:17, panic: \"Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\"",
	"    OOM       [  122.179854] insmod invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
	"              OOM: order-0 request, gfp 0xcc0, zones up to Normal",
	"    ZONES     order-0 requests at the dump:",
	"              node 0 DMA      free 988, min 15, largest free order 9: fails, out of memory (exhaustion)",
	"              node 0 DMA32    free 985, min 990, largest free order 8: fails, out of memory (exhaustion)",
	"    LEDGER    MemTotal 993.9 MiB: free 8.5 MiB, slab 7.2 MiB, page cache 2.1 MiB, anon 156.0 KiB, unaccounted 975.3 MiB (98.1%)",
	"    ...",
	"    SUSPECTS (ranked by bytes; allocated at boot ranked last)",
	"     1. [page_owner stack] mlsample_oom_hog [memleak_sample]: 950.1 MiB, 243226",
	"        243226 allocations, 243226 pages (950.1 MiB) in no counter of 243226 pages, 3 stacks; orders 0; allocated at 113.1-122.2 s of 122.4 s (page_owner clock); pid 1578 insmod",
	"          get_page_from_freelist+0xb01/0xb80",
	"          __alloc_pages+0x113/0x1b0",
	"          mlsample_oom_hog+0x13/0x1e [memleak_sample]",
	"          ...",
	"",
	"  Before and after: a snapshot of the leak2 dump, compared with the leak dump",
	"  (the module leaked 500, 400 and 200 objects more):",
	"",
	"    crash> memleak save /tmp/leak2.json",
	"    memleak save: snapshot written to /tmp/leak2.json (102 caches, 261 callsites, 312 page_owner stacks)",
	"    crash> memleak diff /tmp/leak2.json",
	"    ...",
	"    CALLSITES (bytes, objects): 6 changed, total bytes +233536 count +1536",
	"           +116000         +500  mlsample_bufhandle mlsample_bufhandle_alloc [memleak_sample]",
	"            +76800         +400  kmalloc-192 mlsample_spec_attach.constprop.0 [memleak_sample]",
	"            +27904         +436  vmap_area alloc_vmap_area",
	"            +12800         +200  kmalloc-64 mlsample_wifi_timer_create [memleak_sample]",
	"",
	"  The counters the per-cpu deltas have not reached yet:",
	"",
	"    crash> memleak vmstat --drift",
	"    per-cpu deltas not yet folded into the global counters (2 online cpus):",
	"      NAME                   PRINTED  PENDING  EXACT",
	"      nr_zone_inactive_anon       60      -13     47",
	"      nr_kernel_stack            888       +8    896",
	"      ...",
	"",
	"  Who holds the pages no counter shows? The lab's leak scenario",
	"  (custom 6.1 kernel, page_owner=on, makedumpfile -d 31):",
	"",
	"    crash> memleak pageowner --unaccounted --top 1",
	"    page_owner: 453 allocations, 1553 pages (6.1 MiB) in 18 stacks, class \"other\" only (unaccounted)",
	"      pages by class: other 1553",
	"      placeholder stacks (early_handle, dummy_handle, failure_handle) are left out: their pages were not allocated through a recorded path",
	"      1 free block(s) still marked allocated, skipped as the kernel does",
	"      (262144 pfns walked in 0.14 s)",
	"",
	"    400 times, 1500 pages (5.9 MiB), orders 0-3, mask 0x2cc0(GFP_KERNEL|__GFP_NOWARN), other 1500:",
	"     get_page_from_freelist+0xb01/0xb80",
	"     __alloc_pages+0x113/0x1b0",
	"     mlsample_blackhole_alloc+0x13/0x1e [memleak_sample]",
	"     0xffffffffc0399166",
	"     do_one_initcall+0x4b/0x180",
	"     do_init_module+0x45/0x1b0",
	"     __do_sys_finit_module+0x8d/0xc0",
	"     do_syscall_64+0x3c/0x90",
	"     entry_SYSCALL_64_after_hwframe+0x4b/0xb5",
	"",
	"    (17 more stacks not shown: --top 1)",
	"",
	"    crash> memleak pageowner --cull module",
	"    ...",
	"    6318 times, 7034 pages (27.5 MiB), orders 0-3, slab 1829 anon 579 file 80 pagetable 13 vmalloc 151 other 4382, module: vmlinux",
	"",
	"    636 times, 1736 pages (6.8 MiB), orders 0-3, slab 236 other 1500, module: memleak_sample",
	NULL
};

static struct command_table_entry ml_command_table[] = {
	{ "memleak", ml_cmd_memleak, ml_help, 0 },
	{ NULL, NULL, NULL, 0 }
};

#ifndef ML_CRASH_BUILD_VERSION
#define ML_CRASH_BUILD_VERSION ""
#endif

/* "8.0.2" -> 8; the major number of crash versions changes defs.h's structs */
static int ml_major(const char *v)
{
	return atoi(v);
}

/*
 * defs.h exposes crash's internal structures (pc, vt, kt), so an extension
 * built against another crash major version would read them at the wrong
 * offsets: refuse to register rather than misbehave.
 */
static bool ml_crash_version_ok(void)
{
	const char *built = ML_CRASH_BUILD_VERSION, *running = pc->program_version;

	if (!*built || !running)
		return true;
	if (ml_major(built) != ml_major(running)) {
		fprintf(fp, "memleak: built against crash %s headers, this is crash %s:\n"
			"  rebuild it: make CRASH_INCLUDE=<dir of crash %s's defs.h> CRASH=<that crash>\n",
			built, running, running);
		return false;
	}
	if (strcmp(built, running) != 0)
		fprintf(fp, "memleak: note: built against crash %s headers, running in crash %s\n",
			built, running);
	return true;
}

static void __attribute__((constructor)) ml_init(void)
{
	if (!ml_crash_version_ok())
		return;
	/* a second copy of memleak (another path) would shadow the first */
	if (get_command_table_entry("memleak")) {
		fprintf(fp, "memleak: a memleak command is already loaded; "
			"\"extend -u\" it first\n");
		return;
	}
	ml_probe_init();
	register_extension(ml_command_table);
}

static void __attribute__((destructor)) ml_fini(void)
{
	ml_command_reset();
}
