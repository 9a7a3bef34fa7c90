// SPDX-License-Identifier: GPL-2.0
/*
 * memleak_sample: a kernel module that reproduces the field stories memleak
 * exists for, each from its own noinline function with a distinctive name and
 * an exact count, so tests can compare memleak's findings with a known truth.
 *
 * Every scenario is off by default; the lab turns them on with parameters:
 *
 *   spec_leaks=N    N objects orphaned in a kmalloc cache by an overwritten
 *                   owner pointer; live from mlsample_spec_attach: exactly N
 *   cache_leaks=N   N objects leaked from the private, unmergeable cache
 *                   "mlsample_bufhandle"; live from mlsample_bufhandle_alloc: N
 *   wifi_cycles=N   N connect/suspend cycles; each connect creates 5 timer
 *                   objects, each suspend frees 4; live from
 *                   mlsample_wifi_timer_create: exactly N (armed timers)
 *   page_leaks=N    N alloc_pages() calls of orders 0,1,2,3,0,1,... never
 *                   freed and referenced by nothing: the "black hole";
 *                   held by mlsample_blackhole_alloc
 *   frag_pages=N    allocate up to N order-0 pages (fewer when memory runs
 *                   out first), then free those whose pfn has bit 2 clear:
 *                   freed pages merge into order-2 blocks at most, because
 *                   the other half of every aligned 8-page group stays held;
 *                   then take every free block of order >= frag_drain_order
 *                   (default 3) left. Free memory stays plentiful, orders 0-2
 *                   stay available (a failing request of order <= 3 would
 *                   OOM-kill, and with only init left panic), and order-3 and
 *                   larger requests fail for fragmentation. The kept pages
 *                   are held by mlsample_frag_hold, the drained blocks by
 *                   mlsample_frag_drain
 *   oom_order=K     (with oom=1) allocate order-K blocks from
 *                   mlsample_oom_hog until the allocator gives up or the OOM
 *                   killer fires (the lab sets vm.panic_on_oom=1)
 *   vmalloc_leaks=N N vmalloc() areas of 3 pages whose address is dropped:
 *                   orphaned; from mlsample_vmalloc_leak
 *   dmabuf_leaks=N  N dma-bufs exported by this module (exporter
 *                   "memleak_sample", named mlsample-buf-I, of 4, 8, 12, 16
 *                   pages in turn, backed by alloc_pages_exact()) and never
 *                   released. The first dmabuf_held of them are handed as
 *                   file descriptors to whoever opens the debugfs file
 *                   memleak_sample_dmabuf (the lab's guest: a sleeping
 *                   process holds them), the first two of those are also
 *                   attached to the device "mlsample"; nothing holds the
 *                   others but the kernel's list of dma-bufs.
 *                   From mlsample_dmabuf_held_alloc and
 *                   mlsample_dmabuf_lost_alloc (kind=dmabuf); needs
 *                   CONFIG_DMA_SHARED_BUFFER, else the line says
 *                   allocations=0
 *   cma_leaks=N     N dma_alloc_coherent() buffers of 8 pages for the device
 *                   "mlsample", never freed: with CONFIG_DMA_CMA they come
 *                   from the default CMA area (cma_alloc), else from the
 *                   page allocator; from mlsample_cma_alloc (kind=cma)
 *   keep=N          objects the module keeps referenced, each way from its
 *                   own function, so that a reachability scan (memleak
 *                   orphans) can be checked for false positives:
 *                     mlsample_keep_list_alloc     N, on a static list (the
 *                                                  list_head inside them)
 *                     mlsample_keep_parent_alloc   N parents, on a static list
 *                     mlsample_keep_child_alloc    N, each pointed to (at a
 *                                                  member, not its start)
 *                                                  only from its parent
 *                     mlsample_keep_array_alloc    N, pointers in a kmalloc'd
 *                                                  array (mlsample_keep_table)
 *                     mlsample_keep_vmap_alloc     N, pointers in a vmalloc'd
 *                                                  array (mlsample_keep_vtable)
 *                     mlsample_keep_percpu_alloc   MLSAMPLE_PCPU_SLOTS per
 *                                                  possible CPU, pointers in
 *                                                  a per-cpu variable
 *
 * For each scenario the module prints one line to the kernel log:
 *   memleak_sample: scenario=NAME function=FN allocations=A pages=P bytes=B kind=K held=H
 * which the lab's oracle keeps as the ground truth of what was leaked. K is
 * what FN allocates: slab (objects), pages (alloc_pages()) or vmalloc
 * (vmalloc areas; the allocations are vmalloc calls, the pages are all
 * their pages, each a page allocation of its own). H says
 * what still points to the allocations: "none" (orphaned: nothing does), or
 * list, inner (a pointer inside another slab object), array (a kmalloc'd
 * array), vmalloc (a vmalloc'd array), percpu, static (a module variable),
 * timer (the timer wheel: armed timers), fd (open file descriptors of a
 * task), dmabuf_list (only the kernel's list of dma-bufs).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/timer.h>
#include <linux/list.h>
#include <linux/version.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/dma-mapping.h>
#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
#include <linux/dma-buf.h>
#include <linux/scatterlist.h>
#endif

static int spec_leaks;
module_param(spec_leaks, int, 0444);
MODULE_PARM_DESC(spec_leaks, "objects orphaned by an overwritten owner pointer");
static int cache_leaks;
module_param(cache_leaks, int, 0444);
MODULE_PARM_DESC(cache_leaks, "objects leaked from the private cache mlsample_bufhandle");
static int wifi_cycles;
module_param(wifi_cycles, int, 0444);
MODULE_PARM_DESC(wifi_cycles, "connect/suspend cycles, one timer object leaked per cycle");
static int page_leaks;
module_param(page_leaks, int, 0444);
MODULE_PARM_DESC(page_leaks, "alloc_pages() calls (orders 0..3 in turn) never freed");
static int frag_pages;
module_param(frag_pages, int, 0444);
MODULE_PARM_DESC(frag_pages, "order-0 pages allocated, every other one freed");
static int frag_drain_order = 3;
module_param(frag_drain_order, int, 0444);
MODULE_PARM_DESC(frag_drain_order, "frag: take every free block of this order and above");
static int oom;
module_param(oom, int, 0444);
MODULE_PARM_DESC(oom, "allocate until the OOM killer fires");
static int oom_order;
module_param(oom_order, int, 0444);
MODULE_PARM_DESC(oom_order, "order of the blocks the OOM scenario allocates");
static int vmalloc_leaks;
module_param(vmalloc_leaks, int, 0444);
MODULE_PARM_DESC(vmalloc_leaks, "vmalloc() areas whose address is dropped");
static int keep;
module_param(keep, int, 0444);
MODULE_PARM_DESC(keep, "objects kept referenced, each way (list, parent, array, vmalloc, per-cpu)");
static int cma_leaks;
module_param(cma_leaks, int, 0444);
MODULE_PARM_DESC(cma_leaks, "coherent DMA buffers of 8 pages never freed (from CMA where there is one)");
static int dmabuf_leaks;
module_param(dmabuf_leaks, int, 0444);
MODULE_PARM_DESC(dmabuf_leaks, "dma-bufs exported and never released");
static int dmabuf_held;
module_param(dmabuf_held, int, 0444);
MODULE_PARM_DESC(dmabuf_held, "of those, how many go to the opener of debugfs memleak_sample_dmabuf");

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define mlsample_timer_delete_sync timer_delete_sync
#else
#define mlsample_timer_delete_sync del_timer_sync
#endif

static void mlsample_report(const char *scenario, const char *fn,
			    unsigned long allocs, unsigned long pages,
			    unsigned long bytes, const char *held)
{
	const char *kind = strstr(fn, "dmabuf") ? "dmabuf" : strstr(fn, "cma") ? "cma" : !pages ? "slab" :
			   strstr(fn, "vmalloc") || strstr(fn, "vtable") ? "vmalloc" : "pages";

	pr_info("memleak_sample: scenario=%s function=%s allocations=%lu pages=%lu bytes=%lu kind=%s held=%s\n",
		scenario, fn, allocs, pages, bytes, kind, held);
}

/* ---- 1. slab leak through an overwritten owner pointer ---------------- */

/* 176 bytes: lands in kmalloc-192 (or a kmalloc-rnd-*-192 copy) */
struct mlsample_spec {
	u32 id;
	u8 payload[172];
};

struct mlsample_dev {
	struct mlsample_spec *spec;
	int generation;
};

static struct mlsample_dev mlsample_dev0;

/* The driver is careful: it frees the old spec before attaching a new one. */
static noinline int mlsample_spec_attach(struct mlsample_dev *dev)
{
	kfree(dev->spec);
	dev->spec = kzalloc(sizeof(*dev->spec), GFP_KERNEL);
	if (!dev->spec)
		return -ENOMEM;
	dev->spec->id = ++dev->generation;
	return 0;
}

/* The caller is not: it wipes the struct, orphaning the spec it pointed to. */
static noinline void mlsample_dev_reinit(struct mlsample_dev *dev)
{
	int gen = dev->generation;

	memset(dev, 0, sizeof(*dev));
	dev->generation = gen;
}

static int mlsample_run_spec(int n)
{
	int i, err;

	for (i = 0; i <= n; i++) {
		if (i)
			mlsample_dev_reinit(&mlsample_dev0);
		err = mlsample_spec_attach(&mlsample_dev0);
		if (err)
			return err;
	}
	/* orderly teardown of the one spec still owned: exactly n stay live */
	kfree(mlsample_dev0.spec);
	mlsample_dev0.spec = NULL;
	mlsample_report("spec", "mlsample_spec_attach", n, 0,
			(unsigned long)n * sizeof(struct mlsample_spec), "none");
	return 0;
}

/* ---- 2. leak from a private named cache ------------------------------- */

struct mlsample_bufhandle {
	u64 handle;
	u8 data[224];
};

static struct kmem_cache *mlsample_bufhandle_cache;

/* A constructor makes the cache unmergeable on every kernel. */
static void mlsample_bufhandle_ctor(void *obj)
{
	memset(obj, 0, sizeof(struct mlsample_bufhandle));
}

static noinline struct mlsample_bufhandle *mlsample_bufhandle_alloc(u64 h)
{
	struct mlsample_bufhandle *b;

	b = kmem_cache_alloc(mlsample_bufhandle_cache, GFP_KERNEL);
	if (b)
		b->handle = h;
	return b;
}

static int mlsample_run_cache(int n)
{
	int i;

	mlsample_bufhandle_cache = kmem_cache_create("mlsample_bufhandle",
			sizeof(struct mlsample_bufhandle), 0, 0,
			mlsample_bufhandle_ctor);
	if (!mlsample_bufhandle_cache)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!mlsample_bufhandle_alloc(i))
			return -ENOMEM;
	mlsample_report("cache", "mlsample_bufhandle_alloc", n, 0,
			(unsigned long)n * sizeof(struct mlsample_bufhandle), "none");
	return 0;
}

/* ---- 3. timer leak on every reconnect --------------------------------- */

#define MLSAMPLE_TIMERS_PER_CONNECT 5

struct mlsample_wtimer {
	struct timer_list timer;
	struct list_head node;
	int kind;		/* 0 scan, 1 auth, 2 assoc, 3 keepalive, 4 roam */
	int cycle;
};

static LIST_HEAD(mlsample_wifi_timers);

static void mlsample_wifi_timer_fn(struct timer_list *t)
{
}

static noinline struct mlsample_wtimer *mlsample_wifi_timer_create(int kind, int cycle)
{
	struct mlsample_wtimer *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->kind = kind;
	w->cycle = cycle;
	timer_setup(&w->timer, mlsample_wifi_timer_fn, 0);
	mod_timer(&w->timer, jiffies + 3600 * HZ);
	list_add_tail(&w->node, &mlsample_wifi_timers);
	return w;
}

static noinline int mlsample_wifi_connect(int cycle)
{
	int k;

	for (k = 0; k < MLSAMPLE_TIMERS_PER_CONNECT; k++)
		if (!mlsample_wifi_timer_create(k, cycle))
			return -ENOMEM;
	return 0;
}

/* Frees every timer but the roam timer, which it forgets about. */
static noinline void mlsample_wifi_suspend(void)
{
	struct mlsample_wtimer *w, *tmp;

	list_for_each_entry_safe(w, tmp, &mlsample_wifi_timers, node) {
		list_del(&w->node);
		if (w->kind == MLSAMPLE_TIMERS_PER_CONNECT - 1)
			continue;	/* leaked: still armed, on no list */
		mlsample_timer_delete_sync(&w->timer);
		kfree(w);
	}
}

static int mlsample_run_wifi(int n)
{
	int i, err;

	for (i = 0; i < n; i++) {
		err = mlsample_wifi_connect(i);
		mlsample_wifi_suspend();
		if (err)
			return err;
	}
	mlsample_report("wifi", "mlsample_wifi_timer_create", n, 0,
			(unsigned long)n * sizeof(struct mlsample_wtimer), "timer");
	return 0;
}

/*
 * The allocating functions below do some bookkeeping after alloc_pages():
 * a bare "return alloc_pages(...)" compiles to a tail call, and the
 * function would then be missing from every recorded stack.
 */
static unsigned long mlsample_pages_taken;

static noinline struct page *mlsample_take(struct page *page, unsigned int order)
{
	if (page)
		mlsample_pages_taken += 1UL << order;
	return page;
}

/* ---- 4. black hole: pages from the buddy allocator, never freed -------- */

static noinline struct page *mlsample_blackhole_alloc(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

	return mlsample_take(page, order);
}

static int mlsample_run_blackhole(int n)
{
	unsigned long pages = 0;
	int i;

	for (i = 0; i < n; i++) {
		unsigned int order = i % 4;

		if (!mlsample_blackhole_alloc(order))
			return -ENOMEM;
		pages += 1UL << order;
	}
	mlsample_report("blackhole", "mlsample_blackhole_alloc", n, pages,
			pages * PAGE_SIZE, "none");
	return 0;
}

/* ---- 5. fragmentation: keep every other page, drain the rest ---------- */

/* the largest order alloc_pages() accepts (MAX_ORDER became inclusive in
 * 6.4 and was renamed MAX_PAGE_ORDER in 6.8) */
#if defined(MAX_PAGE_ORDER)
#define MLSAMPLE_TOP_ORDER MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MLSAMPLE_TOP_ORDER MAX_ORDER
#else
#define MLSAMPLE_TOP_ORDER (MAX_ORDER - 1)
#endif

static struct page **mlsample_frag;

static noinline struct page *mlsample_frag_hold(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0);

	return mlsample_take(page, 0);
}

static noinline struct page *mlsample_frag_drain(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, order);

	return mlsample_take(page, order);
}

static int mlsample_run_frag(int n)
{
	unsigned long kept = 0, drained = 0, dblocks = 0;
	int i, got = 0;
	int order;

	mlsample_frag = vzalloc(array_size(n, sizeof(*mlsample_frag)));
	if (!mlsample_frag)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		mlsample_frag[i] = mlsample_frag_hold();
		if (!mlsample_frag[i])
			break;		/* memory ran out first: fine */
		got++;
	}
	/* by pfn, not by index: the halves of each aligned 8-page group are
	 * freed and kept in turn, whatever order the allocator handed them out */
	for (i = 0; i < got; i++) {
		if (!(page_to_pfn(mlsample_frag[i]) & 4)) {
			__free_page(mlsample_frag[i]);
			mlsample_frag[i] = NULL;
		} else {
			kept++;
		}
	}
	/* what is left in large blocks is not what a fragmented system has:
	 * take it, so requests of frag_drain_order and above find nothing */
	for (order = MLSAMPLE_TOP_ORDER; order >= max(frag_drain_order, 1); order--) {
		while (mlsample_frag_drain(order)) {
			drained += 1UL << order;
			dblocks++;
		}
	}
	/* the kept pages: by struct page pointer, from a vmalloc'd array */
	mlsample_report("frag", "mlsample_frag_hold", kept, kept, kept * PAGE_SIZE, "vmalloc");
	mlsample_report("fragdrain", "mlsample_frag_drain", dblocks, drained,
			drained * PAGE_SIZE, "none");
	return 0;
}

/* ---- 6. OOM: allocate until the kernel gives up ----------------------- */

static noinline struct page *mlsample_oom_hog(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);

	return mlsample_take(page, order);
}

static void mlsample_run_oom(unsigned int order)
{
	unsigned long allocs = 0;

	pr_info("memleak_sample: scenario=oom function=mlsample_oom_hog order=%u starting\n",
		order);
	while (mlsample_oom_hog(order)) {
		allocs++;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	/* reached only when panic_on_oom is off */
	mlsample_report("oom", "mlsample_oom_hog", allocs, allocs << order,
			(allocs << order) * PAGE_SIZE, "none");
}

/* ---- 7. vmalloc areas whose address is dropped ------------------------ */

#define MLSAMPLE_VLEAK_PAGES 3

static noinline void *mlsample_vmalloc_leak(int i)
{
	u32 *p = vmalloc(MLSAMPLE_VLEAK_PAGES * PAGE_SIZE);

	if (p)
		p[0] = i;
	return p;
}

static int mlsample_run_vmalloc(int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!mlsample_vmalloc_leak(i))
			return -ENOMEM;
	mlsample_report("vmalloc", "mlsample_vmalloc_leak", n,
			(unsigned long)n * MLSAMPLE_VLEAK_PAGES,
			(unsigned long)n * MLSAMPLE_VLEAK_PAGES * PAGE_SIZE, "none");
	return 0;
}

/* ---- 8. objects kept referenced, each way ----------------------------- */

/* 96 bytes (kmalloc-96); the links sit inside, not at the start, so the
 * references are interior pointers as kmemleak allows them */
struct mlsample_kept {
	u64 cookie[3];
	struct list_head node;
	struct mlsample_kept *child;	/* parents: the child's node member */
	u8 pad[48];
};

#define MLSAMPLE_PCPU_SLOTS 32
struct mlsample_pcpu_slots {
	void *slot[MLSAMPLE_PCPU_SLOTS];
};

static LIST_HEAD(mlsample_kept_list);
static LIST_HEAD(mlsample_parent_list);
static struct mlsample_kept **mlsample_keep_table;
static struct mlsample_kept **mlsample_keep_vtable;
static DEFINE_PER_CPU(struct mlsample_pcpu_slots, mlsample_pcpu);

/* each allocating function calls kzalloc() itself: SLUB's alloc track then
 * names it */
static noinline struct mlsample_kept *mlsample_keep_list_alloc(int i)
{
	struct mlsample_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (k) {
		k->cookie[0] = i;
		list_add_tail(&k->node, &mlsample_kept_list);
	}
	return k;
}

static noinline struct mlsample_kept *mlsample_keep_child_alloc(int i)
{
	struct mlsample_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (k) {
		k->cookie[0] = i;
		INIT_LIST_HEAD(&k->node);
	}
	return k;
}

static noinline struct mlsample_kept *mlsample_keep_parent_alloc(int i)
{
	struct mlsample_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);
	struct mlsample_kept *c;

	if (!k)
		return NULL;
	k->cookie[0] = i;
	list_add_tail(&k->node, &mlsample_parent_list);
	c = mlsample_keep_child_alloc(i);
	if (!c)
		return NULL;
	/* the only pointer to the child, and to a member of it */
	k->child = (struct mlsample_kept *)&c->node;
	return k;
}

static noinline struct mlsample_kept *mlsample_keep_array_alloc(int i)
{
	struct mlsample_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (k) {
		k->cookie[0] = i;
		mlsample_keep_table[i] = k;
	}
	return k;
}

static noinline struct mlsample_kept *mlsample_keep_vmap_alloc(int i)
{
	struct mlsample_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (k) {
		k->cookie[0] = i;
		mlsample_keep_vtable[i] = k;
	}
	return k;
}

static noinline struct mlsample_kept *mlsample_keep_percpu_alloc(int cpu, int s)
{
	struct mlsample_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (k) {
		k->cookie[0] = s;
		per_cpu(mlsample_pcpu, cpu).slot[s] = k;
	}
	return k;
}

static noinline void *mlsample_keep_table_alloc(int n)
{
	mlsample_keep_table = kcalloc(n, sizeof(*mlsample_keep_table), GFP_KERNEL);
	return mlsample_keep_table;
}

static noinline void *mlsample_keep_vtable_alloc(int n)
{
	mlsample_keep_vtable = vzalloc(array_size(n, sizeof(*mlsample_keep_vtable)));
	return mlsample_keep_vtable;
}

#define MLSAMPLE_KEPT(what, fn, n, held) \
	mlsample_report(what, fn, n, 0, (unsigned long)(n) * sizeof(struct mlsample_kept), held)

static int mlsample_run_keep(int n)
{
	unsigned long pcpu = 0;
	int i, cpu;

	if (!mlsample_keep_table_alloc(n) || !mlsample_keep_vtable_alloc(n))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!mlsample_keep_list_alloc(i) || !mlsample_keep_parent_alloc(i) ||
		    !mlsample_keep_array_alloc(i) || !mlsample_keep_vmap_alloc(i))
			return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		for (i = 0; i < MLSAMPLE_PCPU_SLOTS; i++) {
			if (!mlsample_keep_percpu_alloc(cpu, i))
				return -ENOMEM;
			pcpu++;
		}
	}
	MLSAMPLE_KEPT("keep_list", "mlsample_keep_list_alloc", n, "list");
	MLSAMPLE_KEPT("keep_parent", "mlsample_keep_parent_alloc", n, "list");
	MLSAMPLE_KEPT("keep_child", "mlsample_keep_child_alloc", n, "inner");
	MLSAMPLE_KEPT("keep_array", "mlsample_keep_array_alloc", n, "array");
	MLSAMPLE_KEPT("keep_vmap", "mlsample_keep_vmap_alloc", n, "vmalloc");
	MLSAMPLE_KEPT("keep_percpu", "mlsample_keep_percpu_alloc", pcpu, "percpu");
	mlsample_report("keep_table", "mlsample_keep_table_alloc", 1, 0,
			(unsigned long)n * sizeof(void *), "static");
	mlsample_report("keep_vtable", "mlsample_keep_vtable_alloc", 1,
			PAGE_ALIGN((unsigned long)n * sizeof(void *)) >> PAGE_SHIFT,
			(unsigned long)n * sizeof(void *), "static");
	return 0;
}

/* ---- 10. coherent DMA buffers never freed (CMA) ----------------------- */

#define MLSAMPLE_CMA_PAGES 8
static struct device *mlsample_device;

static struct device *mlsample_dev(void)
{
	if (!mlsample_device) {
		mlsample_device = root_device_register("mlsample");
		if (IS_ERR(mlsample_device)) {
			mlsample_device = NULL;
			return NULL;
		}
		mlsample_device->coherent_dma_mask = DMA_BIT_MASK(32);
		mlsample_device->dma_mask = &mlsample_device->coherent_dma_mask;
	}
	return mlsample_device;
}

static noinline void *mlsample_cma_alloc(struct device *dev, dma_addr_t *h)
{
	return dma_alloc_coherent(dev, MLSAMPLE_CMA_PAGES * PAGE_SIZE, h, GFP_KERNEL);
}

static int mlsample_run_cma(int n)
{
	struct device *dev = mlsample_dev();
	dma_addr_t handle;
	int i;

	if (!dev)
		return -ENODEV;
	for (i = 0; i < n; i++)
		if (!mlsample_cma_alloc(dev, &handle))
			return -ENOMEM;
	mlsample_report("cma", "mlsample_cma_alloc", n, (unsigned long)n * MLSAMPLE_CMA_PAGES,
			(unsigned long)n * MLSAMPLE_CMA_PAGES * PAGE_SIZE, "none");
	return 0;
}

/* ---- 9. dma-bufs exported and never released -------------------------- */

#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
/* the namespace of dma-buf's symbols: v5.16 (16b0314aa746), a string
 * since v6.13 (cdd30ebb1b9f) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("DMA_BUF");
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
MODULE_IMPORT_NS(DMA_BUF);
#endif

static struct sg_table *mlsample_dmabuf_map(struct dma_buf_attachment *at,
					    enum dma_data_direction dir)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static void mlsample_dmabuf_unmap(struct dma_buf_attachment *at, struct sg_table *sgt,
				  enum dma_data_direction dir)
{
}

static void mlsample_dmabuf_release(struct dma_buf *buf)
{
	free_pages_exact(buf->priv, buf->size);
}

static int mlsample_dmabuf_mmap(struct dma_buf *buf, struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const struct dma_buf_ops mlsample_dmabuf_ops = {
	.map_dma_buf = mlsample_dmabuf_map,
	.unmap_dma_buf = mlsample_dmabuf_unmap,
	.release = mlsample_dmabuf_release,
	.mmap = mlsample_dmabuf_mmap,
};

#define MLSAMPLE_DMABUF_MAX 256
static struct dma_buf *mlsample_dmabuf_held[MLSAMPLE_DMABUF_MAX];
static int mlsample_dmabuf_nheld;
static bool mlsample_dmabuf_given;

/* one buffer of 4, 8, 12 or 16 pages, its memory from alloc_pages_exact();
 * the callers pass different flags, so that gcc's identical code folding
 * cannot give them one address (and the kernel one name) */
static struct dma_buf *mlsample_dmabuf_export(int i, gfp_t gfp)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *buf;
	void *mem;

	info.size = (size_t)(4 + 4 * (i % 4)) * PAGE_SIZE;
	mem = alloc_pages_exact(info.size, gfp);
	if (!mem)
		return ERR_PTR(-ENOMEM);
	info.ops = &mlsample_dmabuf_ops;
	info.flags = O_RDWR;
	info.priv = mem;
	buf = dma_buf_export(&info);
	if (IS_ERR(buf)) {
		free_pages_exact(mem, info.size);
		return buf;
	}
	/* freed by dma_buf_release() with the buffer */
	buf->name = kasprintf(GFP_KERNEL, "mlsample-buf-%d", i);
	return buf;
}

static noinline struct dma_buf *mlsample_dmabuf_held_alloc(int i)
{
	return mlsample_dmabuf_export(i, GFP_KERNEL | __GFP_ZERO);
}

static noinline struct dma_buf *mlsample_dmabuf_lost_alloc(int i)
{
	return mlsample_dmabuf_export(i, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
}

/* the opener gets a descriptor of every held buffer (one reference each:
 * the module's, handed over); once */
static int mlsample_dmabuf_open(struct inode *inode, struct file *file)
{
	int i;

	if (mlsample_dmabuf_given)
		return 0;
	mlsample_dmabuf_given = true;
	for (i = 0; i < mlsample_dmabuf_nheld; i++)
		if (dma_buf_fd(mlsample_dmabuf_held[i], 0) < 0)
			pr_err("memleak_sample: dma_buf_fd failed\n");
	return 0;
}

static const struct file_operations mlsample_dmabuf_fops = {
	.owner = THIS_MODULE,
	.open = mlsample_dmabuf_open,
};

static int mlsample_run_dmabuf(int n, int held)
{
	unsigned long pages[2] = { 0, 0 };
	int i, got[2] = { 0, 0 };

	held = min3(held, n, MLSAMPLE_DMABUF_MAX);
	for (i = 0; i < n; i++) {
		struct dma_buf *buf = i < held ? mlsample_dmabuf_held_alloc(i) :
					mlsample_dmabuf_lost_alloc(i);

		if (IS_ERR(buf))
			return PTR_ERR(buf);
		pages[i >= held] += buf->size >> PAGE_SHIFT;
		got[i >= held]++;
		if (i < held) {
			mlsample_dmabuf_held[mlsample_dmabuf_nheld++] = buf;
			/* attached, never detached */
			if (i < 2 && mlsample_dev() &&
			    IS_ERR(dma_buf_attach(buf, mlsample_dev())))
				pr_err("memleak_sample: dma_buf_attach failed\n");
		}
	}
	if (held)
		debugfs_create_file("memleak_sample_dmabuf", 0444, NULL, NULL,
				    &mlsample_dmabuf_fops);
	mlsample_report("dmabuf_held", "mlsample_dmabuf_held_alloc", got[0], pages[0],
			pages[0] * PAGE_SIZE, "fd");
	mlsample_report("dmabuf_lost", "mlsample_dmabuf_lost_alloc", got[1], pages[1],
			pages[1] * PAGE_SIZE, "dmabuf_list");
	return 0;
}
#else
static int mlsample_run_dmabuf(int n, int held)
{
	mlsample_report("dmabuf_held", "mlsample_dmabuf_held_alloc", 0, 0, 0, "fd");
	mlsample_report("dmabuf_lost", "mlsample_dmabuf_lost_alloc", 0, 0, 0, "dmabuf_list");
	return 0;
}
#endif

static int __init mlsample_init(void)
{
	int err = 0;

	if (spec_leaks > 0)
		err = mlsample_run_spec(spec_leaks);
	if (!err && cache_leaks > 0)
		err = mlsample_run_cache(cache_leaks);
	if (!err && wifi_cycles > 0)
		err = mlsample_run_wifi(wifi_cycles);
	if (!err && page_leaks > 0)
		err = mlsample_run_blackhole(page_leaks);
	if (!err && vmalloc_leaks > 0)
		err = mlsample_run_vmalloc(vmalloc_leaks);
	if (!err && keep > 0)
		err = mlsample_run_keep(keep);
	if (!err && cma_leaks > 0)
		err = mlsample_run_cma(cma_leaks);
	if (!err && dmabuf_leaks > 0)
		err = mlsample_run_dmabuf(dmabuf_leaks, dmabuf_held);
	if (!err && frag_pages > 0)
		err = mlsample_run_frag(frag_pages);
	if (!err && oom)
		mlsample_run_oom(oom_order);
	if (err)
		pr_err("memleak_sample: scenario failed: %d\n", err);
	pr_info("memleak_sample: done\n");
	/* stay loaded whatever happened: the leaks must outlive init */
	return 0;
}

/* No exit function: like a buggy driver, the module cannot be unloaded. */
module_init(mlsample_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memleak lab: reproduces slab, timer, page leaks, fragmentation and OOM");
