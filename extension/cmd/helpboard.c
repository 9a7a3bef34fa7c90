/*
 * helpboard.c: the help of the commands for where an Android board's
 * pages go outside the counters (dmabuf, vmalloc, ps, cma, zram); help.c
 * lists them.
 */
#include "cmd/cmd.h"

static const char *const ml_dmabuf_help0[] = {
	"Every dma-buf on the kernel's list, as debugfs dma_buf/bufinfo shows",
	"it (size, file references, exporter, inode, name, attached devices),",
	"with the processes whose descriptors hold it; totals per exporter and",
	"per holding process, and the buffers no process holds -- nothing but",
	"the kernel's list and its own references keeps those (a buffer mapped",
	"with mmap() after its descriptor was closed shows no holder either).",
	"  -e EXPORTER     only buffers of this exporter (exp_name)",
	"  -p PID          only buffers process PID holds",
	"  --unheld        only buffers no process holds",
	"  --top N         the N largest buffers (the table is sorted by size)",
	"  --bufinfo       debugfs dma_buf/bufinfo's own format (without fences)",
	NULL
};
const char *const ml_dmabuf_examples[] = {
	"  crash> memleak dmabuf --top 3",
	"  24 dma-bufs, 960.0 KiB; held by no process's descriptor: 16, 640.0 KiB",
	"  (list db_list; 4 fd tables, 18 descriptors read)",
	"",
	"        size count      ino exp_name         name                 attached     holders",
	"       65536     1        4 memleak_sample   mlsample-buf-3       -            sleep(95):fd7",
	"       65536     1        8 memleak_sample   mlsample-buf-7       -            sleep(95):fd11",
	"       65536     1       12 memleak_sample   mlsample-buf-11      -            -",
	"",
	"  per exporter:",
	"         bytes  buffers  exporter",
	"        983040       24  memleak_sample",
	"",
	"  per holding process:",
	"         bytes  buffers  process",
	"        327680        8  sleep(95)",
	"        655360       16  (held by no process)",
	NULL
};
const struct ml_form ml_dmabuf_forms[] = {
	ML_FORM("dmabuf [-e EXPORTER] [-p PID] [--unheld] [--top N] [--bufinfo] [--json]", ml_dmabuf_help0),
	{ NULL, NULL }
};

static const char *const ml_ps_help0[] = {
	"Every process's memory from its mm_struct's counters, as procrank",
	"lists it: VSS (total_vm), RSS = ANON + FILE + SHMEM, SWAP (swap",
	"entries), PGTBL (page tables), ADJ (oom_score_adj), in kB, largest",
	"first. Threads are one process; an mm shared by several (vfork) is",
	"counted once in the TOTAL. Before v6.2 each thread keeps unsynced",
	"counts of its mm's pages: memleak adds them (what the page tables",
	"hold); --proc prints the mm's counters alone, as /proc/PID/status.",
	"PSS/USS are not computed (they need every page table walked).",
	"  -s KEY          sort by rss (default), anon, file, shmem, swap,",
	"                  pgtables, vss or pid",
	"  -p PID          only the process of this pid (or thread id)",
	"  -c COMM         only processes of this comm",
	"  -k, --kthreads  list kernel threads too",
	"  --proc          the values /proc/PID/status shows",
	"  --top N         the first N processes",
	NULL
};
const struct ml_form ml_ps_forms[] = {
	ML_FORM("ps [-s KEY] [-p PID] [-c COMM] [-k] [--proc] [--top N] [--json]", ml_ps_help0),
	{ NULL, NULL }
};
const char *const ml_ps_examples[] = {
	"  crash> memleak ps",
	"  3 processes with an address space, 31 kernel threads (31 tasks), 0 exited; 34 tasks in all",
	"  (rss_stat: atomic_long_t count[], with per-thread caches, threads' unsynced counts added; page tables: pgtables_bytes)",
	"",
	"      PID  THR    VSS(kB)       RSS      ANON      FILE    SHMEM     SWAP   PGTBL   ADJ  COMM",
	"        1    1       2256      1800       132         4     1664        0      28     0  init",
	"     1792    1       2256      1444        52         4     1388        0      28     0  sleep",
	"       36    1       2256      1440        48         4     1388        0      28     0  sleep",
	"    TOTAL    3       6768      4684       232        12     4440        0      84        3 processes, 3 address spaces",
	NULL
};

static const char *const ml_vmalloc_help0[] = {
	"The busy vmalloc areas (vmap_area_list, or each vmap_node's busy list",
	"since v6.9) summed per caller: bytes (guard pages included, as",
	"vmallocinfo's sizes), areas, pages and the areas' flags, largest",
	"first -- a caller that leaks vmalloc() areas grows here.",
	"  -m MODULE       only areas whose caller is in this module",
	"  --top N         the first N callers (default 20; 0: all)",
	"  --vmallocinfo   /proc/vmallocinfo's own lines (without its",
	"                  \"unpurged vm_area\" lines)",
	NULL
};
const struct ml_form ml_vmalloc_forms[] = {
	ML_FORM("vmalloc [-m MODULE] [--top N] [--vmallocinfo] [--json]", ml_vmalloc_help0),
	{ NULL, NULL }
};
const char *const ml_vmalloc_examples[] = {
	"  crash> memleak vmalloc --top 3",
	"  132 vmalloc areas, 8.2 MiB mapped (guard pages included), 5.7 MiB in 1455 pages; 0 vm_map_ram areas",
	"",
	"         bytes   areas     pages  flags                    caller",
	"       2101248       1       512  vmalloc                  bpf_prog_pack_alloc+0x292/0x3b0",
	"       2101248       1       512  vmalloc                  pcpu_create_chunk+0x167/0x1b0",
	"       2097152       1         0  vmalloc                  pcpu_get_vm_areas+0x0/0x1080",
	"",
	"  3 of 18 callers shown (--top 0: all)",
	NULL
};

static const char *const ml_cma_help0[] = {
	"Each CMA area (cma_areas[]): its pfn range, and its use from its",
	"allocation bitmap as debugfs cma/<name>/ shows it: used (pages",
	"allocated by cma_alloc(): coherent DMA, CMA dma-buf heaps, hugetlb_cma)",
	"and maxchunk (the largest free run). Movable pages the buddy allocator",
	"placed in an area are not \"used\": they are in the usual counters.",
	"  -N NAME,...     only these areas",
	"  --stacks        with page_owner: the stacks that allocated the pages",
	"                  in each area (one walk of the area's struct pages)",
	"  --top N         stacks per area (default 5; 0: all)",
	NULL
};
const struct ml_form ml_cma_forms[] = {
	ML_FORM("cma [-N NAME] [--stacks] [--top N] [--json]", ml_cma_help0),
	{ NULL, NULL }
};
const char *const ml_cma_examples[] = {
	"  crash> memleak cma --stacks --top 1",
	"  1 CMA area, 16.0 MiB; 128 pages used (512.0 KiB)",
	"",
	"  name                 base_pfn      count       used   maxchunk order_per_bit",
	"  reserved               257024       4096        128       3968             0",
	"",
	"  reserved: 128 pages allocated in 128 allocations, by 1 stack",
	"",
	"  128 times, 128 pages (512.0 KiB):",
	"   split_map_pages+0x77/0x130",
	"   isolate_freepages_range+0x133/0x150",
	"   alloc_contig_range+0x195/0x230",
	"   cma_alloc+0x123/0x210",
	"   __dma_direct_alloc_pages.constprop.0+0xc3/0x2d0",
	"   dma_direct_alloc+0x40/0x150",
	"   0xffffffffc01fe40f",
	"   do_one_initcall+0x4b/0x180",
	"   do_init_module+0x45/0x1b0",
	"   ...",
	NULL
};

static const char *const ml_zram_help0[] = {
	"Each zram device (zram_index_idr) with the figures of its",
	"/sys/block/zram<N>/mm_stat -- orig_data_size, compr_data_size,",
	"mem_used_total (its zsmalloc pool's pages), mem_limit, mem_used_max,",
	"same_pages, pages_compacted, huge_pages, huge_pages_since -- the",
	"compressor and the disk size. A figure this kernel does not keep is",
	"left out (\"-\" in --mm-stat, null in --json).",
	"  --mm-stat       one line per device, in mm_stat's own format",
	NULL
};
const struct ml_form ml_zram_forms[] = {
	ML_FORM("zram [--mm-stat] [--json]", ml_zram_help0),
	{ NULL, NULL }
};
const char *const ml_zram_examples[] = {
	"  crash> memleak zram",
	"  1 zram device; zsmalloc pools: 587 pages (2.3 MiB)",
	"",
	"  zram0: disksize 64.0 MiB, compressor lzo-rle",
	"    stores 5.8 MiB in 2.3 MiB of pool (587 pages), ratio 2.52",
	"    orig_data_size          6057984 bytes",
	"    compr_data_size         2367715 bytes",
	"    mem_used_total          2404352 bytes",
	"    mem_limit                     0 bytes",
	"    mem_used_max            2404352 bytes",
	"    same_pages                  256 pages",
	"    pages_compacted               0 pages",
	"    huge_pages                  512 pages",
	"    huge_pages_since            512 pages",
	"",
	"  crash> memleak zram --mm-stat",
	"  zram0:  6057984  2367715  2404352        0  2404352      256        0      512      512",
	NULL
};
