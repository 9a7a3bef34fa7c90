/*
 * help.c: the one help source of every subcommand -- its synopsis (one or
 * more forms), its one-line summary, the description and options "help
 * memleak" shows, and EXAMPLE output pasted from real sessions on the lab's
 * dumps. "help memleak", "memleak help", the usage lines of option errors
 * and "-h" all print from here; tests/source.t checks that the synopses in
 * doc/commands.md and the README are these.
 */
#include "cmd/cmd.h"

static const char *const ml_probe_help0[] = {
	"What memleak found in this kernel and dump: NUMA or contig_page_data,",
	"SPARSEMEM, page_owner (compiled in, enabled at boot), stack depot",
	"layout, SLUB features and the caches with SLAB_STORE_USER (alloc",
	"tracks), VMCOREINFO, makedumpfile dump level. -v lists every struct",
	"offset and size memleak resolved (-1: not in this kernel).",
	NULL
};
static const char *const ml_probe_examples[] = {
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
	NULL
};
static const struct ml_form ml_probe_forms[] = {
	ML_FORM("probe [--json] [-v]", ml_probe_help0),
	{ NULL, NULL }
};

static const char *const ml_zones_help0[] = {
	"Every populated zone of every node: spanned/present/managed and free",
	"pages, watermarks min/low/high and boost, lowmem_reserve; per order the",
	"free blocks (nr_free) and, from a bounded walk of each free_list, the",
	"blocks per migratetype; the unusable free space and fragmentation",
	"indexes exactly as mm/vmstat.c computes them (debugfs extfrag); the",
	"largest free order; pageblocks per migratetype; and a verdict for an",
	"order-N request against the min watermark: succeeds, fails out of",
	"memory, or fails fragmented. The last OOM report or page allocation",
	"failure in the dump's log is quoted and its order and zones marked *.",
	"  -o N            one line per zone for order-N requests",
	"  --buddyinfo     /proc/buddyinfo, line for line",
	"  --pagetypeinfo  /proc/pagetypeinfo (free lists, pageblocks, and the",
	"                  mixed pageblocks where page_owner is on)",
	"  --json          {\"zones\": [...]} with all of the above",
	"Free lists the dump left out (makedumpfile -d 31) are counted in one",
	"line; the counters (nr_free) are used instead.",
	NULL
};
static const char *const ml_zones_examples[] = {
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
	NULL
};
static const struct ml_form ml_zones_forms[] = {
	ML_FORM("zones [-o N] [--json | --buddyinfo | --pagetypeinfo]", ml_zones_help0),
	{ NULL, NULL }
};

static const char *const ml_vmstat_help0[] = {
	"Every counter /proc/vmstat printed at the dump, named as this kernel",
	"names them (its vmstat_text[]), in its order: zone, NUMA, node,",
	"writeback (nr_dirty_threshold computed as global_dirty_limits() does)",
	"and event counters (summed over online cpus).",
	"  -z              per zone (zone and NUMA items)",
	"  -n              per node (node items)",
	"  --exact         fold in the per-cpu deltas the global atomics lag",
	"  --drift         printed, pending per-cpu delta, exact, where they differ",
	"  --json          {\"vmstat\": {name: value}, \"drift\": {name: delta}}",
	NULL
};
static const char *const ml_vmstat_examples[] = {
	"  The counters the per-cpu deltas have not reached yet:",
	"",
	"    crash> memleak vmstat --drift",
	"    per-cpu deltas not yet folded into the global counters (2 online cpus):",
	"      NAME                   PRINTED  PENDING  EXACT",
	"      nr_zone_inactive_anon       60      -13     47",
	"      nr_kernel_stack            888       +8    896",
	"      ...",
	"",
	NULL
};
static const struct ml_form ml_vmstat_forms[] = {
	ML_FORM("vmstat [-z | -n] [--exact] [--drift] [--json]", ml_vmstat_help0),
	{ NULL, NULL }
};

static const char *const ml_meminfo_help0[] = {
	"/proc/meminfo rebuilt for this kernel: its lines (by its config), its",
	"order, its format; MemAvailable as si_mem_available(). A line that",
	"cannot be computed from the dump prints \"?\" and why. Then the ledger:",
	"MemTotal split into free (buddy and per-cpu lists), page cache, anon,",
	"slab, kernel stacks, page tables, vmalloc, percpu, hugetlb, other",
	"counters -- and unaccounted: pages allocated but in no counter. That is",
	"where alloc_pages() leaks hide: a driver that takes pages straight from",
	"the buddy allocator and never frees them grows only this line. Compare",
	"it with a healthy dump of the same kernel (a few MiB is normal).",
	"  --ledger        the ledger alone",
	"  --exact         the table from folded (exact) counters",
	"  --json          {\"meminfo\": {name: kB}, \"ledger\": {item: pages}}",
	NULL
};
static const char *const ml_meminfo_examples[] = {
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
	NULL
};
static const struct ml_form ml_meminfo_forms[] = {
	ML_FORM("meminfo [--ledger] [--exact] [--json]", ml_meminfo_help0),
	{ NULL, NULL }
};

static const char *const ml_slabtop_help0[] = {
	"Every slab cache like slabinfo: object and slot size, objects per",
	"slab, order, active objects (freelists walked, hardened pointers",
	"decoded), total objects, slabs per-CPU/partial/full, memory, Loss,",
	"%Fr, %Ef; totals against SReclaimable/SUnreclaim. Sorted by memory.",
	"  -s KEY          mem, objs, active, size, loss, slabs or name",
	"  --top N         the first N caches",
	"  -c CACHES       only these caches (comma-separated)",
	"  -v              problems of every cache, and the walk's cost",
	NULL
};
static const char *const ml_slabtop_help1[] = {
	"Allocated objects of the caches with SLAB_STORE_USER (slub_debug=U)",
	"grouped by caller, like debugfs alloc_traces: count, caller",
	"symbol+off/size [module], cache, bytes, waste, age, pids, cpus,",
	"nodes, stack.",
	"  --stack         one group per caller and stack",
	"  --free          the free track (free_traces) instead",
	"  -m MODULE       callers in this module only",
	"  --min N         groups of at least N objects",
	"  -s count|bytes  sort key (default count)",
	NULL
};
static const char *const ml_slabtop_examples[] = {
	"  Who holds the objects of the sample module's leaks (debian-6.1 leak dump):",
	"",
	"    crash> memleak slabtop -c mlsample_bufhandle,kmalloc-192",
	"    NAME                OBJSIZE  SLOT  OBJ/SLAB  ORDER  ACTIVE  TOTAL  SLABS  PCPU  PART  FULL     MEMORY       LOSS  %FR  %EF  FLAGS",
	"    mlsample_bufhandle      232   304        13      0    2000   2002    154     0     1   153  616.0 KiB  162.9 KiB    0   73  U",
	"    kmalloc-192             192   264        15      0    1295   1305     87     0     1    86  348.0 KiB  105.2 KiB    1   69  U",
	"    ...",
	"    crash> memleak slabtop --by-callsite -c kmalloc-192 --top 1",
	"       1000 mlsample_spec_attach.constprop.0+0x27/0x52 [memleak_sample] cache=kmalloc-192 bytes=192000 waste=16000/16 age=81.84/81.86/81.87s pid=93 cpus=1",
	"            kmalloc_trace+0x26/0x90",
	"            mlsample_spec_attach.constprop.0+0x27/0x52 [memleak_sample]",
	"            0xffffffffc033601f",
	"            do_one_initcall+0x59/0x220",
	"            ...",
	"",
	NULL
};
static const struct ml_form ml_slabtop_forms[] = {
	ML_FORM("slabtop [-s KEY] [--top N] [-c CACHE[,CACHE]] [-v] [--json]", ml_slabtop_help0),
	ML_FORM("slabtop --by-callsite [--stack] [--free] [-c CACHE] [-m MODULE] [--min N] [-s count|bytes] [--top N] [--json]", ml_slabtop_help1),
	{ NULL, NULL }
};

static const char *const ml_pageowner_help0[] = {
	"page_owner (boot with page_owner=on) from the dump: every allocated",
	"page's page_ext, read a section at a time, each allocation counted once",
	"(head page, 1 << order pages) and grouped like tools/mm/page_owner_sort",
	"--cull: allocations, pages, orders, gfp masks named from the kernel's",
	"gfpflag_names[], the pages' classes from struct page (slab, anon, file,",
	"pagetable, vmalloc, free, other), then the stack. A kernel without",
	"page_owner, or with it or the stack depot off, gets one line saying so.",
	"  --cull KEY      stacktrace (default), pid, comm or module",
	"  --sort KEY      pages (default), allocations or timestamp (newest);",
	"                  page_owner_sort's -m, -t, -a also work",
	"  --pid N, --comm NAME, --order N, --gfp FLAG|MASK, --module NAME",
	"                  only those allocations (--module vmlinux: no module)",
	"  --top N         the first N groups",
	"  --unaccounted   class other only: pages in no slab, LRU, page cache,",
	"                  page table or vmalloc area -- the alloc_pages() black",
	"                  hole; the kernel's placeholder stacks are left out",
	"  --freed         pages freed since, grouped by the stack that freed",
	"                  them (--alloc-stack: that allocated them)",
	"  --json          {\"stacks\": [{allocations, pages, stack: [...]}],",
	"                  \"total_pages\": N}; --pfns adds [pfn, ts] per allocation",
	NULL
};
static const char *const ml_pageowner_examples[] = {
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
static const struct ml_form ml_pageowner_forms[] = {
	ML_FORM("pageowner [--cull KEY] [--sort KEY] [filters] [--top N] [--unaccounted | --freed] [--json]", ml_pageowner_help0),
	{ NULL, NULL }
};

static const char *const ml_orphans_help0[] = {
	"kmemleak's scan, run on the dump: the allocated objects that no",
	"pointer in memory reaches, grouped by the callsite that allocated",
	"them (the SLUB alloc track, the page_owner stack's first frame past",
	"the allocator, vm_struct.caller): count, bytes, age, examples.",
	"Tracked: every allocated slab object (full slabs on no list found",
	"from struct page), the page allocations page_owner records (not slab,",
	"LRU, page table or vmalloc'ed), vmalloc areas. Roots: the kernel's",
	".data/.bss/ro_after_init, modules' data, the first percpu chunk's",
	"units, every task's kernel stack, vmap areas without a page array",
	"(dynamic percpu chunks, vmap, ioremap'd RAM), and every other",
	"allocated page (memblock and reserved memory: struct pages, hash",
	"tables; all page allocations when page_owner is off). A word refers",
	"to an object when it points anywhere inside it by direct-map or",
	"vmalloc address, or into a page allocation's struct page. Memory: 2",
	"bits per object, 56 bytes per slab, page allocation or vmalloc area,",
	"4 bytes per page frame. Ctrl-C stops it and reports what it reached.",
	"Caches without alloc tracks (no slub_debug=U) group by cache name.",
	"  --stack         one group per stack, each stack printed",
	"  -c CACHES       only objects of these caches (comma-separated)",
	"  -m MODULE       only callsites in MODULE (vmlinux: the kernel's)",
	"  --min N         groups of at least N objects",
	"  --top N         the first N groups (most bytes first)",
	NULL
};
static const char *const ml_orphans_examples[] = {
	"  The sample module's leaks on the custom-6.1 leak dump (slub_debug=U,",
	"  page_owner=on): the orphaned spec buffers, the private cache and the",
	"  black-hole pages are unreferenced; the leaked timers are not (the",
	"  timer wheel, a per-cpu root, still links them):",
	"",
	"    crash> memleak orphans -m memleak_sample",
	"    UNREFERENCED: allocated objects no pointer in memory reaches, by callsite",
	"        400 mlsample_blackhole_alloc+0x13/0x1e [memleak_sample] kind=page bytes=6144000 (5.9 MiB) age=51.30-51.30s e.g. ffff9ba242750000 ffff9ba2429f0000 ffff9ba2429f2000",
	"       2000 mlsample_bufhandle_alloc+0x15/0x1f [memleak_sample] cache=mlsample_bufhandle bytes=464000 (453.1 KiB) age=51.29-51.31s e.g. ffff9ba242c50130 ffff9ba242c50260 ffff9ba242c50390",
	"       1000 mlsample_spec_attach.constprop.0+0x22/0x49 [memleak_sample] cache=kmalloc-192 bytes=192000 (187.5 KiB) age=51.31-51.31s e.g. ffff9ba242aeb318 ffff9ba242aeb420 ffff9ba242aeb528",
	"    3 of 3 groups, 3400 of 3400 unreferenced objects shown",
	"    slab     26940 objects tracked (5.2 MiB), 23936 reached, 3004 unreferenced (641.0 KiB)",
	"    page     416 allocations tracked (6.0 MiB), 16 reached, 400 unreferenced (5.9 MiB)",
	"    vmalloc  38 areas tracked (604.0 KiB), 38 reached, 0 unreferenced (0 B)",
	"    roots    kernel 3 1.7 MiB, modules 1 12.0 KiB, percpu 2 2.0 MiB, stacks 34 544.0 KiB, vmap 5 48.0 KiB, pages 52 36.4 MiB (128.0 KiB not in the dump)",
	"    scan     6038534 words, 53.5 MiB read, 262144 struct pages (0 not in the dump), tables 2.6 MiB, 0.53 s",
	"    memleak orphans: 21 page allocations are page tables (no object: referred to by physical address); 8 pages joined to the split allocation before them",
	"",
	"  Without -m, the only other unreferenced objects of that dump are four",
	"  sysctl headers (__register_sysctl_table, kmalloc-96) the kernel itself",
	"  marks kmemleak_not_leak(); dentry, inode_cache and kernfs_node_cache",
	"  have none. --stack prints each group's stack.",
	"",
	NULL
};
static const struct ml_form ml_orphans_forms[] = {
	ML_FORM("orphans [-c CACHE] [-m MODULE] [--min N] [--top N] [--stack] [--json]", ml_orphans_help0),
	{ NULL, NULL }
};

static const char *const ml_kmemleak_help0[] = {
	"kmemleak's own findings, read from the dump (CONFIG_DEBUG_KMEMLEAK):",
	"every object on its object_list judged as its last scan left it --",
	"reported (what /sys/kernel/debug/kmemleak lists), unreported",
	"(unreferenced, not flagged yet), new (too young at the last scan, or no",
	"scan yet), referenced, ignored, freed -- and the reported ones grouped",
	"by the first frame of kmemleak's backtrace past the allocator: count,",
	"bytes, age, examples. Where kmemleak is not built in or is off, one",
	"line says so and how to turn it on; \"memleak orphans\" runs the same",
	"scan on any dump.",
	"  --all           also the unreported and new objects (state= column)",
	"  --objects       each object as kmemleak prints it: address, size,",
	"                  comm, pid, jiffies, hex dump, backtrace (crc)",
	"  --stack         one group per backtrace, each printed",
	"  -m MODULE       only callsites in MODULE",
	"  --min N         groups of at least N objects",
	"  --top N         the first N groups (most bytes first)",
	NULL
};
static const char *const ml_kmemleak_examples[] = {
	"  The sample module's leaks on the custom-7.2 leak dump (kmemleak on,",
	"  two scans in the guest just before the dump): the same 3049 objects",
	"  /sys/kernel/debug/kmemleak listed there, with their backtraces:",
	"",
	"    crash> memleak kmemleak",
	"    kmemleak enabled, last scan 3.87 s before the dump, min age 5.0 s, auto scan off, 15736 early pool objects free",
	"    objects  37368 on object_list: 3049 reported (1.2 MiB), 0 unreported (0 B), 106 new (56.3 KiB), 33853 referenced (35.2 MiB), 360 ignored (429.4 KiB), 0 freed (0 B)",
	"",
	"    REPORTED: what /sys/kernel/debug/kmemleak lists, by callsite",
	"         49 mlsample_vmalloc_leak+0x2e/0x50 [memleak_sample] kind=vmalloc bytes=602112 (588.0 KiB) age=31.24-31.25s e.g. ffffbfba401bc000 ffffbfba401c0000 ffffbfba401c4000",
	"       2000 mlsample_bufhandle_alloc+0x36/0x60 [memleak_sample] kind=linear bytes=464000 (453.1 KiB) age=31.28-31.30s e.g. ffffa316038e25f0 ffffa316038e2720 ffffa316038e2980",
	"       1000 mlsample_spec_attach.constprop.0+0x42/0x90 [memleak_sample] kind=linear bytes=192000 (187.5 KiB) age=31.31-31.32s e.g. ffffa31603856140 ffffa31603856a00 ffffa31603856640",
	"",
	"    crash> memleak kmemleak --objects -m memleak_sample",
	"    (the state and the groups as above, then each object:)",
	"    unreferenced object 0xffffa31603856140 (size 192):",
	"      comm \"insmod\", pid 41, jiffies 4294892725 (31.32 s before the dump)",
	"      hex dump (first 32 bytes):",
	"        01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................",
	"        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................",
	"      backtrace (crc 596c8d81):",
	"        __kmalloc_cache_noprof+0x14d/0x270",
	"        mlsample_spec_attach.constprop.0+0x42/0x90 [memleak_sample]",
	"        0xffffffffc08011b7",
	"",
	NULL
};
static const struct ml_form ml_kmemleak_forms[] = {
	ML_FORM("kmemleak [--all] [--objects] [--stack] [-m MODULE] [--min N] [--top N] [--json]", ml_kmemleak_help0),
	{ NULL, NULL }
};

static const char *const ml_allocinfo_help0[] = {
	"/proc/allocinfo rebuilt from the dump (CONFIG_MEM_ALLOC_PROFILING,",
	"6.10+): for each allocation call site of vmlinux and of every loaded",
	"module, the bytes and calls live at the dump, summed over every cpu,",
	"in the file's own line format. Tags without live allocations are left",
	"out unless --all.",
	"  -s KEY          sort by bytes (default) or calls",
	"  -m MODULE       only MODULE's tags (the totals stay the kernel's)",
	"  --min N         tags of at least N bytes",
	"  --top N         the first N tags",
	"  --all           tags without live allocations too",
	NULL
};
static const char *const ml_allocinfo_examples[] = {
	"  On the same dump: the module's tags, summed over the cpus, equal to",
	"  the guest's /proc/allocinfo:",
	"",
	"    crash> memleak allocinfo -m memleak_sample --top 5",
	"    allocation profiling enabled: 1140 tags in 2 ranges (vmlinux and each module), 58.4 MiB in 46662 live allocations",
	"    module memleak_sample: 17 tags, 7.9 MiB in 6467 allocations",
	"",
	"           bytes    calls tag",
	"         6144000      400 memleak_sample.c:305 [memleak_sample] func:mlsample_blackhole_alloc",
	"          620800      200 memleak_sample.c:427 [memleak_sample] func:mlsample_vmalloc_leak",
	"          608000     2000 memleak_sample.c:194 [memleak_sample] func:mlsample_bufhandle_alloc",
	"          320000     1000 memleak_sample.c:140 [memleak_sample] func:mlsample_spec_attach",
	"           96000      500 memleak_sample.c:523 [memleak_sample] func:mlsample_keep_vmap_alloc",
	"",
	"    5 of 13 tags shown (with live allocations)",
	"",
	NULL
};
static const struct ml_form ml_allocinfo_forms[] = {
	ML_FORM("allocinfo [-s bytes|calls] [-m MODULE] [--min N] [--top N] [--all] [--json]", ml_allocinfo_help0),
	{ NULL, NULL }
};

static const char *const ml_summary_help0[] = {
	"The verdict on one screen, from the collections above: the dump and",
	"its OOM report, the zones for the failing order (exhaustion or",
	"fragmentation), the ledger, the top N caches, callsites and page_owner",
	"stacks, what no counter splits by owner (the dma-bufs and those no",
	"process holds, the top N vmalloc callers and processes by rss, CMA",
	"areas and zram pools), the",
	"leak suspects ranked by evidence -- bytes weighed by the",
	"share no pointer reaches (the orphan scan), x2 for a stack through a",
	"module, more where kmemleak reported them; boot-time allocations last",
	"-- each with its facts, a why: line and its stack, and what the dump",
	"could not show. It runs the orphan scan (and reads kmemleak and",
	"allocinfo where the kernel has them).",
	"  --json          {\"suspects\": [{rank, kind, what, bytes, count,",
	"                  evidence, why, score, unreferenced, module, ...}],",
	"                  \"oom\", \"ledger\", \"outside_counters\": {dma_buf,",
	"                  vmalloc, processes}, \"missing\", ...}",
	NULL
};
static const char *const ml_summary_examples[] = {
	"  The verdict on the lab's OOM dump (custom-6.1, page_owner, panic_on_oom):",
	"",
	"    crash> memleak summary --top 3",
	"    DUMP      6.1.192-memleak-lab (x86_64), uptime 00:00:18, panic: \"Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\"",
	"    OOM       [   18.755069] insmod invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
	"              OOM: order-0 request, gfp 0xcc0, zones up to Normal",
	"    ZONES     order-0 requests at the dump:",
	"              node 0 DMA      free 988, min 15, largest free order 9: fails, out of memory (exhaustion)",
	"              node 0 DMA32    free 945, min 990, largest free order 7: fails, out of memory (exhaustion)",
	"    LEDGER    MemTotal 993.9 MiB: free 8.6 MiB, slab 7.4 MiB, page cache 2.1 MiB, anon 164.0 KiB, unaccounted 975.0 MiB (98.1%)",
	"    ...",
	"    SUSPECTS (ranked by evidence: bytes weighed by the unreferenced share, module stacks, kmemleak; allocated at boot last)",
	"     1. [page_owner stack] mlsample_oom_hog [memleak_sample]: 951.7 MiB, 243635",
	"        243635 allocations, 243635 pages (951.7 MiB) in no counter of 243635 pages, 3 stacks; orders 0; allocated at 17.6-18.8 s of 18.8 s (page_owner clock); pid 1577 insmod",
	"        why: unreferenced 243632 of 243635 (100%); allocated through module memleak_sample",
	"          get_page_from_freelist+0xb01/0xb80",
	"          __alloc_pages+0x113/0x1b0",
	"          mlsample_oom_hog+0x13/0x1e [memleak_sample]",
	"              ...",
	"",
	NULL
};
static const struct ml_form ml_summary_forms[] = {
	ML_FORM("summary [--top N] [--json]", ml_summary_help0),
	{ NULL, NULL }
};

static const char *const ml_save_help0[] = {
	"Write a JSON snapshot of all of it (doc/snapshot.md) to FILE: with the",
	"dma-bufs per exporter, vmalloc areas per caller, processes per comm,",
	"CMA areas and zram devices.",
	NULL
};
static const char *const ml_save_examples[] = {
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
	NULL
};
static const struct ml_form ml_save_forms[] = {
	ML_FORM("save FILE", ml_save_help0),
	{ NULL, NULL }
};

static const char *const ml_diff_help0[] = {
	"Growth from snapshot OLD to this dump (or snapshot NEW) per meminfo",
	"line, ledger item, zone and order, cache, callsite, page_owner stack,",
	"unreferenced callsite, dma-buf exporter, vmalloc caller, process",
	"comm, CMA area and zram device, largest first; callers and stacks",
	"matched by symbol name.",
	NULL
};
static const char *const ml_diff_examples[] = {
	NULL
};
static const struct ml_form ml_diff_forms[] = {
	ML_FORM("diff OLD [NEW] [-c CACHE[,CACHE]] [-m MODULE] [--min N] [--top N] [--json]", ml_diff_help0),
	{ NULL, NULL }
};

static const char *const ml_help_help0[] = {
	"List the subcommands.",
	NULL
};
static const char *const ml_help_examples[] = {
	NULL
};
static const struct ml_form ml_help_forms[] = {
	ML_FORM("help", ml_help_help0),
	{ NULL, NULL }
};

const struct ml_subcmd ml_subcmds[] = {
	{ "probe", ml_cmd_probe, "what memleak found in this kernel and dump: layouts, features, dump level",
	  ml_probe_forms, ml_probe_examples },
	{ "zones", ml_cmd_zones, "free areas, watermarks, fragmentation indexes and verdicts per zone",
	  ml_zones_forms, ml_zones_examples },
	{ "vmstat", ml_cmd_vmstat, "the kernel's vm counters as /proc/vmstat printed them, per-cpu drift",
	  ml_vmstat_forms, ml_vmstat_examples },
	{ "meminfo", ml_cmd_meminfo, "/proc/meminfo rebuilt, and the ledger of MemTotal down to unaccounted pages",
	  ml_meminfo_forms, ml_meminfo_examples },
	{ "slabtop", ml_cmd_slabtop, "slab caches by memory; allocated objects grouped by who allocated them",
	  ml_slabtop_forms, ml_slabtop_examples },
	{ "pageowner", ml_cmd_pageowner, "page_owner: allocated pages grouped by stack, pid, comm or module",
	  ml_pageowner_forms, ml_pageowner_examples },
	{ "orphans", ml_cmd_orphans, "kmemleak's scan on the dump: allocated objects no pointer reaches, by callsite",
	  ml_orphans_forms, ml_orphans_examples },
	{ "kmemleak", ml_cmd_kmemleak, "kmemleak's own object list from the dump: what its last scan reported",
	  ml_kmemleak_forms, ml_kmemleak_examples },
	{ "allocinfo", ml_cmd_allocinfo, "/proc/allocinfo from the dump: live bytes and calls per allocation site",
	  ml_allocinfo_forms, ml_allocinfo_examples },
	{ "dmabuf", ml_cmd_dmabuf, "every dma-buf with the processes that hold it, per exporter and process",
	  ml_dmabuf_forms, ml_dmabuf_examples },
	{ "vmalloc", ml_cmd_vmalloc, "the vmalloc areas summed per caller, or /proc/vmallocinfo's lines",
	  ml_vmalloc_forms, ml_vmalloc_examples },
	{ "ps", ml_cmd_ps, "every process's resident, swapped and page-table memory, as procrank lists it",
	  ml_ps_forms, ml_ps_examples },
	{ "cma", ml_cmd_cma, "each CMA area's size and used pages, and the stacks that hold them",
	  ml_cma_forms, ml_cma_examples },
	{ "zram", ml_cmd_zram, "each zram device's mm_stat figures and its zsmalloc pool",
	  ml_zram_forms, ml_zram_examples },
	{ "summary", ml_cmd_summary, "the OOM verdict: ledger, zones, top caches and stacks, ranked leak suspects",
	  ml_summary_forms, ml_summary_examples },
	{ "save", ml_cmd_save, "write a JSON snapshot of everything memleak sees, for memleak diff",
	  ml_save_forms, ml_save_examples },
	{ "diff", ml_cmd_diff, "growth since a snapshot: meminfo, zones, caches, callsites, stacks, dma-bufs, ...",
	  ml_diff_forms, ml_diff_examples },
	{ "help", ml_cmd_help, "list the subcommands",
	  ml_help_forms, ml_help_examples },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* the lines of "help memleak" before the subcommands and after them */
const char *const ml_help_intro[] = {
	"  memleak tells where the memory of a dead system went: free areas and",
	"  fragmentation, the kernel's counters, slab caches and who allocated",
	"  their objects, page_owner stacks -- from the dump, without a live system.",
	"",
	"  Subcommands:",
	NULL
};
const char *const ml_help_outro[] = {
	"",
	"  Every subcommand accepts --json and writes a JSON document instead of",
	"  the table, so results can be saved (memleak probe --json > probe.json),",
	"  diffed and fed to jq.",
	"",
	NULL
};
