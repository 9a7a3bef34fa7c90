/*
 * meminfo.c: the meminfo model -- /proc/meminfo rebuilt from the dump, line
 * for line as this kernel prints it (fs/proc/meminfo.c, v6.1 read), and the
 * ledger of where MemTotal went, down to the pages no counter accounts for.
 * "memleak meminfo" prints it (cmd/meminfo.c).
 *
 * Which lines a kernel prints depends on its config; each optional line is
 * gated on what the config leaves in the debuginfo: an enumerator
 * (NR_SECONDARY_PAGETABLE, NR_KERNEL_SCS_KB, NR_UNACCEPTED, NR_BALLOON_PAGES), a symbol
 * (hstates for HugePages_*, cma_area_count for Cma*, zswap_stored_pages,
 * num_poisoned_pages, transparent_hugepage_flags, direct_pages_count).
 * A value that cannot be read says so on its line ("?") instead of a number.
 */
#include "collect/collect.h"

static void ml_mi_add(struct ml_meminfo *m, const char *name, unsigned long val,
		      int width, bool kb, const char *why)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->l = ml_realloc(m->l, m->cap * sizeof(*m->l));
	}
	m->l[m->n++] = (struct ml_mi_line){ name, val, width, kb, why };
}

/* a page count as a kB line */
static void ml_mi_pages(struct ml_meminfo *m, const char *name, unsigned long pages)
{
	ml_mi_add(m, name, ml_pages_to_kb(pages, m->page_shift), 8, true, NULL);
}

static void ml_mi_na(struct ml_meminfo *m, const char *name, const char *why)
{
	ml_mi_add(m, name, 0, 8, true, why);
}

/* ---- values that are not plain counters ------------------------------- */

struct ml_bdev_sum {
	long mapping_off, nrpages_off;
	unsigned long pages;
	bool ok;
};

static bool ml_bdev_inode(ulong inode, void *arg)
{
	struct ml_bdev_sum *b = arg;
	ulong mapping, nr;

	if (!ml_read_ulong(inode + b->mapping_off, &mapping, "inode.i_mapping") ||
	    !ml_read_ulong(mapping + b->nrpages_off, &nr, "address_space.nrpages")) {
		b->ok = false;
		return true;
	}
	b->pages += nr;
	return true;
}

/* nr_blockdev_pages(): the page cache of block devices, from the inodes of
 * the bdev pseudo filesystem */
static bool ml_buffers(unsigned long *pages)
{
	struct ml_bdev_sum b = { 0 };
	enum ml_walk_status st;
	ulong sb;

	if (!ML_HAS(super_block, s_inodes) || !ML_HAS(inode, i_sb_list) ||
	    !ML_HAS(inode, i_mapping) || !ML_HAS(address_space, nrpages) ||
	    !ml_read_sym_ulong("blockdev_superblock", &sb) || !sb)
		return false;
	b.mapping_off = ML_OFF(inode, i_mapping);
	b.nrpages_off = ML_OFF(address_space, nrpages);
	b.ok = true;
	ml_list_walk(sb + ML_OFF(super_block, s_inodes), ML_OFF(inode, i_sb_list), 1000000,
		     ml_bdev_inode, &b, &st);
	*pages = b.pages;
	return b.ok && st == ML_WALK_OK;
}

/* si_swapinfo(): swap being turned off (SWP_USED without SWP_WRITEOK) still
 * counts, with its in-use pages */
static bool ml_swapinfo(unsigned long *total, unsigned long *freesw)
{
	unsigned long tot, nr, nfiles = 0, unused = 0, i;
	long used = ml_enum_value_or("SWP_USED", 1), wok = ml_enum_value_or("SWP_WRITEOK", 2);

	if (!symbol_exists("nr_swap_pages")) {	/* !CONFIG_SWAP */
		*total = *freesw = 0;
		return true;
	}
	if (!ml_read_sym_ulong("total_swap_pages", &tot) ||
	    !ml_read_sym_ulong("nr_swap_pages", &nr))
		return false;
	if (ml_read_sym_ulong("nr_swapfiles", &nfiles) && symbol_exists("swap_info") &&
	    ML_HAS(swap_info_struct, flags) && ML_HAS(swap_info_struct, inuse_pages)) {
		for (i = 0; i < nfiles && i < 64; i++) {
			ulong si;
			unsigned long flags = 0, inuse = 0;
			unsigned char buf[8];

			if (!ml_read_ulong(symbol_value("swap_info") + i * sizeof(ulong), &si,
					   "swap_info[]") || !si)
				continue;
			if (!ml_read(si + ML_OFF(swap_info_struct, flags), buf,
				     ML_MSIZE(swap_info_struct, flags), "swap_info_struct.flags"))
				return false;
			flags = ml_get_uint(buf, 0, ML_MSIZE(swap_info_struct, flags));
			if (!(flags & used) || (flags & wok))
				continue;
			if (!ml_read(si + ML_OFF(swap_info_struct, inuse_pages), buf,
				     ML_MSIZE(swap_info_struct, inuse_pages), "inuse_pages"))
				return false;
			inuse = ml_get_uint(buf, 0, ML_MSIZE(swap_info_struct, inuse_pages));
			unused += inuse;
		}
	}
	*total = (long)tot < 0 ? 0 : tot + unused;
	*freesw = (long)nr < 0 ? unused : nr + unused;
	return true;
}

/*
 * SwapCached where there is no NR_SWAPCACHE: total_swapcache_pages() sums
 * the nrpages of every swap type's address spaces, swapper_spaces[type]
 * (nr_swapper_spaces[type] of them; NULL while swapoff frees them). The
 * node item NR_SWAPCACHE replaced that walk in commit b6038942480e ("mm:
 * memcg: add swapcache stat for memcg v2", v5.12).
 */
static bool ml_swapcache_spaces(unsigned long *pages)
{
	unsigned int nfiles = 0, nr;
	int len;
	ulong i, j, spaces, si;
	long asz = ML_SIZE(address_space);

	*pages = 0;
	if (!symbol_exists("swapper_spaces") || !symbol_exists("nr_swapper_spaces") ||
	    !symbol_exists("swap_info") || !ML_HAS(address_space, nrpages) || asz <= 0 ||
	    !symbol_exists("nr_swapfiles") ||
	    !ml_read_uint(symbol_value("nr_swapfiles"), &nfiles, "nr_swapfiles"))
		return false;
	len = get_array_length("swapper_spaces", NULL, 0);
	for (i = 0; i < nfiles && (long)i < len; i++) {
		if (!ml_read_ulong(symbol_value("swap_info") + i * sizeof(ulong), &si,
				   "swap_info[]") ||
		    !ml_read_ulong(symbol_value("swapper_spaces") + i * sizeof(ulong), &spaces,
				   "swapper_spaces[]") ||
		    !ml_read_uint(symbol_value("nr_swapper_spaces") + i * sizeof(unsigned int),
				  &nr, "nr_swapper_spaces[]"))
			return false;
		if (!si || !spaces)
			continue;
		for (j = 0; j < nr && j < (1UL << 20); j++) {
			ulong v;

			if (!ml_read_ulong(spaces + j * asz + ML_OFF(address_space, nrpages), &v,
					   "address_space.nrpages"))
				return false;
			*pages += v;
		}
	}
	return true;
}

struct ml_hstate {
	unsigned long order, nr, free, resv, surplus;
};

/* hstates[0 .. hugetlb_max_hstate); *def = default_hstate_idx */
static int ml_hstates(struct ml_hstate **out, int *def)
{
	unsigned long max = 0, d = 0;
	struct ml_hstate *h;
	char *buf;
	int i, n;

	if (!symbol_exists("hstates") || ML_SIZE(hstate) <= 0 || !ML_HAS(hstate, order) ||
	    !ml_read_sym_ulong("hugetlb_max_hstate", &max) ||
	    !ml_read_sym_ulong("default_hstate_idx", &d))
		return -1;
	n = max > 16 ? 16 : (int)max;
	h = ml_alloc((n + 1) * sizeof(*h));
	buf = ml_alloc(ML_SIZE(hstate));
	for (i = 0; i < n; i++) {
		if (!ml_read(symbol_value("hstates") + i * ML_SIZE(hstate), buf, ML_SIZE(hstate),
			     "hstates[]"))
			return -1;
		h[i].order = ml_get_uint(buf, ML_OFF(hstate, order), ML_MSIZE(hstate, order));
		h[i].nr = ml_get_uint(buf, ML_OFF(hstate, nr_huge_pages),
				      ML_MSIZE(hstate, nr_huge_pages));
		h[i].free = ml_get_uint(buf, ML_OFF(hstate, free_huge_pages),
					ML_MSIZE(hstate, free_huge_pages));
		h[i].resv = ml_get_uint(buf, ML_OFF(hstate, resv_huge_pages),
					ML_MSIZE(hstate, resv_huge_pages));
		h[i].surplus = ml_get_uint(buf, ML_OFF(hstate, surplus_huge_pages),
					   ML_MSIZE(hstate, surplus_huge_pages));
	}
	*out = h;
	*def = (int)d;
	return n;
}

/* Pages of the percpu first chunk (and reserved chunk): memblock memory,
 * outside MemTotal. pcpu_setup_first_chunk() adds PFN_DOWN(size_sum) to
 * pcpu_nr_populated; size_sum ends where the first chunk's map ends. */
static bool ml_pcpu_first_pages(unsigned long *pages)
{
	ulong chunk, base, cbase = 0, nr = 0, endoff = 0;
	unsigned char buf[8];

	if (!ML_HAS(pcpu_chunk, base_addr) || !ML_HAS(pcpu_chunk, nr_pages) ||
	    !ML_HAS(pcpu_chunk, end_offset) ||
	    !ml_read_sym_ulong("pcpu_first_chunk", &chunk) || !chunk ||
	    !ml_read_sym_ulong("pcpu_base_addr", &base))
		return false;
	if (!ml_read_ulong(chunk + ML_OFF(pcpu_chunk, base_addr), &cbase, "pcpu_chunk.base_addr") ||
	    !ml_read(chunk + ML_OFF(pcpu_chunk, nr_pages), buf, ML_MSIZE(pcpu_chunk, nr_pages),
		     "pcpu_chunk.nr_pages"))
		return false;
	nr = ml_get_uint(buf, 0, ML_MSIZE(pcpu_chunk, nr_pages));
	if (!ml_read(chunk + ML_OFF(pcpu_chunk, end_offset), buf,
		     ML_MSIZE(pcpu_chunk, end_offset), "pcpu_chunk.end_offset"))
		return false;
	endoff = ml_get_uint(buf, 0, ML_MSIZE(pcpu_chunk, end_offset));
	if (cbase < base)
		return false;
	*pages = (cbase + (nr << PAGESHIFT()) - endoff - base) >> PAGESHIFT();
	return true;
}

/*
 * zswap's pool pages, as zswap_total_pages() sums them: the global
 * zswap_pool_total_size (bytes) in older kernels (6.1); then the pages of
 * each pool on zswap_pools, through its zpool (6.12) or straight from its
 * zs_pool once zpool was gone (7.2); zsmalloc counts them in
 * zs_pool.pages_allocated. Commits not verified: the members are probed.
 */
static bool ml_zswap_pages(unsigned long *pages, const char **why)
{
	ulong head, pos;
	unsigned long n = 0, v, total = 0;

	if (ml_read_sym_ulong("zswap_pool_total_size", &v)) {
		*pages = v >> PAGESHIFT();
		return true;
	}
	*why = "zswap pools unreadable";
	if (!symbol_exists("zswap_pools") || !ML_HAS(zswap_pool, list) ||
	    !ML_HAS(zs_pool, pages_allocated) ||
	    (!ML_HAS(zswap_pool, zs_pool) && !(ML_HAS(zswap_pool, zpool) && ML_HAS(zpool, pool))))
		return false;
	head = symbol_value("zswap_pools");
	if (!ml_read_ulong(head, &pos, "zswap_pools"))
		return false;
	while (pos && pos != head && n++ < 1024) {
		ulong pool = pos - ML_OFF(zswap_pool, list), zs = 0;
		long pa;

		if (ML_HAS(zswap_pool, zs_pool)) {
			if (!ml_read_ulong(pool + ML_OFF(zswap_pool, zs_pool), &zs, "zswap_pool.zs_pool"))
				return false;
		} else {
			ulong zp, drv = 0, typep = 0;
			char type[32];

			if (!ml_read_ulong(pool + ML_OFF(zswap_pool, zpool), &zp, "zswap_pool.zpool") ||
			    !ml_read_ulong(zp + ML_OFF(zpool, pool), &zs, "zpool.pool"))
				return false;
			/* only zsmalloc's pool is a zs_pool (zbud, z3fold) */
			if (!ML_HAS(zpool, driver) || !ML_HAS(zpool_driver, type) ||
			    !ml_read_ulong(zp + ML_OFF(zpool, driver), &drv, "zpool.driver") ||
			    !ml_read_ulong(drv + ML_OFF(zpool_driver, type), &typep, "zpool_driver.type") ||
			    !ml_read_cstring(typep, type, sizeof(type), "zpool type") ||
			    strcmp(type, "zsmalloc")) {
				*why = "zswap pool is not zsmalloc";
				return false;
			}
		}
		if (!ml_read_long(zs + ML_OFF(zs_pool, pages_allocated), &pa, "zs_pool.pages_allocated"))
			return false;
		total += pa > 0 ? pa : 0;
		if (!ml_read_ulong(pos, &pos, "zswap_pool.list"))
			return false;
	}
	if (pos != head)
		return false;
	*pages = total;
	return true;
}

/* ---- the lines, in the order meminfo_proc_show() prints them ---------- */

/* what meminfo_proc_show() reads before it prints (si_meminfo(),
 * si_swapinfo(), the hstates), and the lines being built */
struct ml_mi_src {
	struct ml_meminfo *m;
	const struct ml_vmstat *vs;
	bool exact;
	unsigned long totalram, freeram, bufferram, swapcache, swap_total, swap_free;
	unsigned long sreclaimable, sunreclaim, misc, hugetlb_pages, vmalloc_pages;
	bool have_total, have_buffers, have_swap, have_vmalloc, have_hugetlb, have_swapcache;
	struct ml_hstate *hs;
	int nhs, defh;
};

/* a zone or node item of x's counters (per-cpu deltas folded in with
 * --exact); HAS: this kernel has the enumerator */
#define ZV(e) ml_vm_zone_val(x->vs, ml_vm_item(e), x->exact)
#define NV(e) ml_vm_node_val(x->vs, ml_vm_item(e), x->exact)
#define HAS(e) (ml_vm_item(e) >= 0)

static void ml_mi_read(struct ml_mi_src *x)
{
	int i;

	x->m->page_shift = PAGESHIFT();
	x->have_total = ml_read_sym_ulong("_totalram_pages", &x->totalram) ||
			ml_read_sym_ulong("totalram_pages", &x->totalram);
	x->freeram = ZV("NR_FREE_PAGES");
	x->have_buffers = ml_buffers(&x->bufferram);
	x->have_swapcache = true;
	if (HAS("NR_SWAPCACHE"))
		x->swapcache = NV("NR_SWAPCACHE");
	else if (symbol_exists("nr_swap_pages"))	/* CONFIG_SWAP */
		x->have_swapcache = ml_swapcache_spaces(&x->swapcache);
	x->have_swap = ml_swapinfo(&x->swap_total, &x->swap_free);
	x->sreclaimable = NV("NR_SLAB_RECLAIMABLE_B");
	x->sunreclaim = NV("NR_SLAB_UNRECLAIMABLE_B");
	x->misc = NV("NR_KERNEL_MISC_RECLAIMABLE");
	x->nhs = ml_hstates(&x->hs, &x->defh);
	for (i = 0; i < x->nhs; i++)
		x->hugetlb_pages += x->hs[i].nr << x->hs[i].order;
	x->have_hugetlb = x->nhs >= 0;
	/* a node counter since "mm: vmalloc: streamline vmalloc memory
	 * accounting" (v7.1, commit not verified), the atomic before */
	if (HAS("NR_VMALLOC")) {
		x->vmalloc_pages = NV("NR_VMALLOC");
		x->have_vmalloc = true;
	} else {
		x->have_vmalloc = ml_read_sym_ulong("nr_vmalloc_pages", &x->vmalloc_pages);
	}
}

/* CONFIG_HIGHMEM: HighTotal, HighFree, LowTotal, LowFree */
static void ml_mi_highmem(struct ml_mi_src *x)
{
	const struct ml_vmstat *vs = x->vs;
	unsigned long v, hfree = 0, hmanaged = 0;
	bool high = false;
	int i;

	for (i = 0; i < vs->nzones; i++)
		if (strcmp(vs->zones[i].name, "HighMem") == 0) {
			high = true;
			hmanaged += vs->zones[i].managed;
			hfree += ml_clamp0(vs->zones[i].stat[ml_vm_item("NR_FREE_PAGES")] +
					   (x->exact ? vs->zones[i].stat_pcp[ml_vm_item("NR_FREE_PAGES")] : 0));
		}
	/* totalhigh_pages(): the _totalhigh_pages counter, or from v6.x
	 * (__totalhigh_pages(), mm/highmem.c) the HighMem zones' managed pages */
	if (!ml_read_sym_ulong("_totalhigh_pages", &v)) {
		if (!high)
			return;	/* CONFIG_HIGHMEM off: the kernel prints no High/Low lines */
		v = hmanaged;
	}
	ml_mi_pages(x->m, "HighTotal", v);
	ml_mi_pages(x->m, "HighFree", hfree);
	ml_mi_pages(x->m, "LowTotal", x->totalram - v);
	ml_mi_pages(x->m, "LowFree", x->freeram - hfree);
}

/* MemTotal .. Mlocked, the high/low split: si_meminfo() and the LRUs */
static void ml_mi_memory(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;
	struct ml_avail_in av = { 0 };
	int i;

	if (x->have_total)
		ml_mi_pages(m, "MemTotal", x->totalram);
	else
		ml_mi_na(m, "MemTotal", "_totalram_pages unreadable");
	ml_mi_pages(m, "MemFree", x->freeram);
	av.free = x->freeram;
	av.active_file = NV("NR_ACTIVE_FILE");
	av.inactive_file = NV("NR_INACTIVE_FILE");
	av.slab_reclaimable = x->sreclaimable;
	av.misc_reclaimable = x->misc;
	for (i = 0; i < x->vs->nzones; i++)
		av.wmark_low += x->vs->zones[i].wmark_low;
	if (ml_read_sym_ulong("totalreserve_pages", &av.totalreserve))
		ml_mi_pages(m, "MemAvailable", ml_si_mem_available(&av));
	else
		ml_mi_na(m, "MemAvailable", "totalreserve_pages unreadable");
	if (x->have_buffers)
		ml_mi_pages(m, "Buffers", x->bufferram);
	else
		ml_mi_na(m, "Buffers", "block device inodes unreadable");
	if (x->have_buffers && x->have_swapcache)
		ml_mi_pages(m, "Cached", ml_clamp0((long long)NV("NR_FILE_PAGES") -
						   (long long)x->swapcache - (long long)x->bufferram));
	else
		ml_mi_na(m, "Cached", x->have_buffers ? "needs SwapCached" : "needs Buffers");
	if (x->have_swapcache)
		ml_mi_pages(m, "SwapCached", x->swapcache);
	else
		ml_mi_na(m, "SwapCached", "swapper_spaces unreadable");
	ml_mi_pages(m, "Active", NV("NR_ACTIVE_ANON") + NV("NR_ACTIVE_FILE"));
	ml_mi_pages(m, "Inactive", NV("NR_INACTIVE_ANON") + NV("NR_INACTIVE_FILE"));
	ml_mi_pages(m, "Active(anon)", NV("NR_ACTIVE_ANON"));
	ml_mi_pages(m, "Inactive(anon)", NV("NR_INACTIVE_ANON"));
	ml_mi_pages(m, "Active(file)", NV("NR_ACTIVE_FILE"));
	ml_mi_pages(m, "Inactive(file)", NV("NR_INACTIVE_FILE"));
	ml_mi_pages(m, "Unevictable", NV("NR_UNEVICTABLE"));
	ml_mi_pages(m, "Mlocked", ZV("NR_MLOCK"));
	ml_mi_highmem(x);
}

/* SwapTotal, SwapFree; Zswap, Zswapped (CONFIG_ZSWAP) */
static void ml_mi_swap(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;
	unsigned long v;

	if (x->have_swap) {
		ml_mi_pages(m, "SwapTotal", x->swap_total);
		ml_mi_pages(m, "SwapFree", x->swap_free);
	} else {
		ml_mi_na(m, "SwapTotal", "swap_info unreadable");
		ml_mi_na(m, "SwapFree", "swap_info unreadable");
	}
	if (symbol_exists("zswap_stored_pages")) {
		const char *why = NULL;

		if (ml_zswap_pages(&v, &why))
			ml_mi_pages(m, "Zswap", v);
		else
			ml_mi_na(m, "Zswap", why);
		/* atomic_t, atomic_long_t in later kernels: read at its size */
		if (ml_read_sym_ulong("zswap_stored_pages", &v))
			ml_mi_pages(m, "Zswapped", v);
		else
			ml_mi_na(m, "Zswapped", "zswap_stored_pages unreadable");
	}
}

/* Dirty .. WritebackTmp: page cache state, slab, stacks, page tables */
static void ml_mi_kernel(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;

	ml_mi_pages(m, "Dirty", NV("NR_FILE_DIRTY"));
	ml_mi_pages(m, "Writeback", NV("NR_WRITEBACK"));
	ml_mi_pages(m, "AnonPages", NV("NR_ANON_MAPPED"));
	ml_mi_pages(m, "Mapped", NV("NR_FILE_MAPPED"));
	ml_mi_pages(m, "Shmem", NV("NR_SHMEM"));
	ml_mi_pages(m, "KReclaimable", x->sreclaimable + x->misc);
	ml_mi_pages(m, "Slab", x->sreclaimable + x->sunreclaim);
	ml_mi_pages(m, "SReclaimable", x->sreclaimable);
	ml_mi_pages(m, "SUnreclaim", x->sunreclaim);
	ml_mi_add(m, "KernelStack", NV("NR_KERNEL_STACK_KB"), 8, true, NULL);
	if (HAS("NR_KERNEL_SCS_KB"))	/* CONFIG_SHADOW_CALL_STACK */
		ml_mi_add(m, "ShadowCallStack", NV("NR_KERNEL_SCS_KB"), 8, true, NULL);
	ml_mi_pages(m, "PageTables", NV("NR_PAGETABLE"));
	if (HAS("NR_SECONDARY_PAGETABLE"))
		ml_mi_pages(m, "SecPageTables", NV("NR_SECONDARY_PAGETABLE"));
	ml_mi_pages(m, "NFS_Unstable", HAS("NR_UNSTABLE_NFS") ? NV("NR_UNSTABLE_NFS") : 0);
	/* printed as 0 since "mm: remove NR_BOUNCE zone stat" (v6.16, commit
	 * not verified) */
	ml_mi_pages(m, "Bounce", HAS("NR_BOUNCE") ? ZV("NR_BOUNCE") : 0);
	ml_mi_pages(m, "WritebackTmp", NV("NR_WRITEBACK_TEMP"));
}

/* CommitLimit .. HardwareCorrupted: overcommit, vmalloc, percpu, poison */
static void ml_mi_commit(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;
	unsigned long kbytes = 0, ratio = 0, v, v2;
	ulong vs, ve;
	bool hugetlb_ok = x->have_hugetlb || !symbol_exists("hstates");
	long long committed;

	v = 0;	/* total_swap_pages: absent without CONFIG_SWAP */
	if (x->have_total && hugetlb_ok &&
	    ml_read_sym_ulong("sysctl_overcommit_kbytes", &kbytes) &&
	    ml_read_sym_ulong("sysctl_overcommit_ratio", &ratio) &&
	    (!symbol_exists("total_swap_pages") ||
	     ml_read_sym_ulong("total_swap_pages", &v)))
		ml_mi_pages(m, "CommitLimit",
			    ml_commit_limit(x->totalram, x->hugetlb_pages, kbytes, ratio, v,
					    m->page_shift));
	else
		ml_mi_na(m, "CommitLimit", "overcommit settings unreadable");
	if (symbol_exists("vm_committed_as") &&
	    ml_percpu_counter_sum(symbol_value("vm_committed_as"), &committed))
		ml_mi_pages(m, "Committed_AS", ml_clamp0(committed));
	else
		ml_mi_na(m, "Committed_AS", "vm_committed_as unreadable");
	if (ml_vmalloc_range(&vs, &ve))
		ml_mi_add(m, "VmallocTotal", (ve - vs) >> 10, 8, true, NULL);
	else
		ml_mi_na(m, "VmallocTotal", "vmalloc range unknown on this architecture");
	if (x->have_vmalloc)
		ml_mi_pages(m, "VmallocUsed", x->vmalloc_pages);
	else
		ml_mi_na(m, "VmallocUsed", "no nr_vmalloc_pages in this kernel");
	ml_mi_pages(m, "VmallocChunk", 0);
	if (ml_read_sym_ulong("pcpu_nr_populated", &v) && ml_read_sym_ulong("pcpu_nr_units", &v2))
		ml_mi_pages(m, "Percpu", v * v2);
	else
		ml_mi_na(m, "Percpu", "pcpu_nr_populated unreadable");
	/* CONFIG_MEMORY_FAILURE */
	if (symbol_exists("num_poisoned_pages")) {
		if (ml_read_sym_ulong("num_poisoned_pages", &v))
			ml_mi_add(m, "HardwareCorrupted", ml_pages_to_kb(v, m->page_shift), 5, true,
				  NULL);
		else
			ml_mi_add(m, "HardwareCorrupted", 0, 5, true, "num_poisoned_pages unreadable");
	}
}

/* the lines of config options: THP, CMA, unaccepted memory, and the node
 * counters printed wherever their enumerator exists */
static void ml_mi_optional(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;
	unsigned long v;

	/* CONFIG_TRANSPARENT_HUGEPAGE: counted in pages (not huge pages) in
	 * the kernels whose /proc/vmstat divides them (vmstat.c) */
	if (symbol_exists("transparent_hugepage_flags")) {
		ml_mi_pages(m, "AnonHugePages", NV("NR_ANON_THPS"));
		ml_mi_pages(m, "ShmemHugePages", NV("NR_SHMEM_THPS"));
		ml_mi_pages(m, "ShmemPmdMapped", NV("NR_SHMEM_PMDMAPPED"));
		if (HAS("NR_FILE_THPS"))
			ml_mi_pages(m, "FileHugePages", NV("NR_FILE_THPS"));
		if (HAS("NR_FILE_PMDMAPPED"))
			ml_mi_pages(m, "FilePmdMapped", NV("NR_FILE_PMDMAPPED"));
	}
	/* CONFIG_CMA: totalcma_pages is defined without it (page_alloc.c), the
	 * CMA areas are not (cma.c) */
	if (symbol_exists("cma_area_count") || symbol_exists("cma_areas")) {
		if (ml_read_sym_ulong("totalcma_pages", &v))
			ml_mi_pages(m, "CmaTotal", v);
		else
			ml_mi_na(m, "CmaTotal", "totalcma_pages unreadable");
		ml_mi_pages(m, "CmaFree", ZV("NR_FREE_CMA_PAGES"));
	}
	/* CONFIG_UNACCEPTED_MEMORY: the zone item NR_UNACCEPTED exists only
	 * there; commit dcdfdd40fa82 ("mm: Add support for unaccepted memory",
	 * v6.5) added it and, with it, this line */
	if (HAS("NR_UNACCEPTED"))
		ml_mi_pages(m, "Unaccepted", ZV("NR_UNACCEPTED"));
	/* node counters printed wherever the enumerator exists: balloon
	 * drivers ("meminfo: add a per node counter for balloon drivers",
	 * v6.15, commit not verified) and GPU pages (commit 2232ba9c7931
	 * "mm: add gpu active/reclaim per-node stat counters", v7.1) */
	if (HAS("NR_BALLOON_PAGES"))
		ml_mi_pages(m, "Balloon", NV("NR_BALLOON_PAGES"));
	if (HAS("NR_GPU_ACTIVE"))
		ml_mi_pages(m, "GPUActive", NV("NR_GPU_ACTIVE"));
	if (HAS("NR_GPU_RECLAIM"))
		ml_mi_pages(m, "GPUReclaim", NV("NR_GPU_RECLAIM"));
}

/* hugetlb_report_meminfo(): CONFIG_HUGETLB_PAGE */
static void ml_mi_hugetlb(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;
	const struct ml_hstate *h;

	if (!symbol_exists("hstates"))
		return;
	if (x->nhs > 0 && x->defh < x->nhs) {
		h = &x->hs[x->defh];
		ml_mi_add(m, "HugePages_Total", h->nr, 5, false, NULL);
		ml_mi_add(m, "HugePages_Free", h->free, 5, false, NULL);
		ml_mi_add(m, "HugePages_Rsvd", h->resv, 5, false, NULL);
		ml_mi_add(m, "HugePages_Surp", h->surplus, 5, false, NULL);
		ml_mi_add(m, "Hugepagesize",
			  ml_pages_to_kb(1UL << h->order, m->page_shift), 8, true, NULL);
	}
	if (x->nhs >= 0)
		ml_mi_pages(m, "Hugetlb", x->hugetlb_pages);
	else
		ml_mi_na(m, "Hugetlb", "hstates unreadable");
}

/* arch_report_meminfo(), x86: the direct mapping by page size */
static void ml_mi_directmap(struct ml_mi_src *x)
{
	struct ml_meminfo *m = x->m;
	long l4k, l2m, l1g;
	ulong base;
	unsigned long c4k, c2m, c1g, gb = 0;

	if (!machine_type("X86_64") || !symbol_exists("direct_pages_count"))
		return;
	l4k = ml_enum_value_or("PG_LEVEL_4K", 1);
	l2m = ml_enum_value_or("PG_LEVEL_2M", 2);
	l1g = ml_enum_value_or("PG_LEVEL_1G", 3);
	base = symbol_value("direct_pages_count");
	if (ml_read_ulong(base + l4k * sizeof(long), &c4k, "direct_pages_count") &&
	    ml_read_ulong(base + l2m * sizeof(long), &c2m, "direct_pages_count") &&
	    ml_read_ulong(base + l1g * sizeof(long), &c1g, "direct_pages_count")) {
		ml_mi_add(m, "DirectMap4k", c4k << 2, 8, true, NULL);
		ml_mi_add(m, "DirectMap2M", c2m << 11, 8, true, NULL);
		if (ml_read_sym_ulong("direct_gbpages", &gb) && (int)gb)
			ml_mi_add(m, "DirectMap1G", c1g << 20, 8, true, NULL);
	} else {
		ml_mi_na(m, "DirectMap4k", "direct_pages_count unreadable");
	}
}

#undef ZV
#undef NV
#undef HAS

/* ---- the ledger, on the exact (folded) counters ------------------------ */

static void ml_mi_ledger(struct ml_mi_src *x)
{
	const struct ml_vmstat *vs = x->vs;
	struct ml_ledger *lg = &x->m->ledger;
	int shift = x->m->page_shift - 10;	/* kB to pages */
	unsigned long kstack_kb, pcp = 0, pop, units, first;
	int i;

	memset(lg, 0, sizeof(*lg));
	lg->total = x->totalram;
#define LG(i, v) do { lg->item[i] = (v); lg->known[i] = true; } while (0)
#define ZX(e) ml_vm_zone_val(vs, ml_vm_item(e), true)
#define NX(e) ml_vm_node_val(vs, ml_vm_item(e), true)
	LG(ML_LG_FREE, ZX("NR_FREE_PAGES"));
	for (i = 0; i < vs->nzones; i++)
		pcp += vs->zones[i].pcp_free;
	if (ML_HAS(per_cpu_pages, count))
		LG(ML_LG_PCP, pcp);
	LG(ML_LG_FILE, NX("NR_FILE_PAGES"));
	LG(ML_LG_ANON, NX("NR_ANON_MAPPED"));
	LG(ML_LG_SLAB_RECLAIMABLE, NX("NR_SLAB_RECLAIMABLE_B"));
	LG(ML_LG_SLAB_UNRECLAIMABLE, NX("NR_SLAB_UNRECLAIMABLE_B"));
	kstack_kb = NX("NR_KERNEL_STACK_KB");
	LG(ML_LG_KERNEL_STACK, kstack_kb >> shift);
	LG(ML_LG_PAGE_TABLES, NX("NR_PAGETABLE") + NX("NR_SECONDARY_PAGETABLE"));
	if (x->have_vmalloc) {
		long long vm = x->vmalloc_pages;

		/* CONFIG_VMAP_STACK: kernel stacks are vmalloc'ed, counted in
		 * both; keep them under kernel_stack */
		if (ML_HAS(task_struct, stack_vm_area))
			vm -= kstack_kb >> shift;
		LG(ML_LG_VMALLOC, vm < 0 ? 0 : vm);
	}
	if (ml_read_sym_ulong("pcpu_nr_populated", &pop) &&
	    ml_read_sym_ulong("pcpu_nr_units", &units) && ml_pcpu_first_pages(&first))
		LG(ML_LG_PERCPU, (long long)(pop > first ? pop - first : 0) * units);
	if (x->have_hugetlb || !symbol_exists("hstates"))
		LG(ML_LG_HUGETLB, x->hugetlb_pages);
	ml_ledger_outside(lg, x->m->page_shift);
	/* zsmalloc's pages (zram's pools, zswap's): NR_ZSPAGES where the
	 * kernel has zsmalloc (IS_ENABLED(CONFIG_ZSMALLOC)), else none */
	LG(ML_LG_ZSMALLOC, ml_vm_item("NR_ZSPAGES") >= 0 ? ZX("NR_ZSPAGES") : 0);
	LG(ML_LG_OTHER, x->misc + ZX("NR_BOUNCE") + (NX("NR_KERNEL_SCS_KB") >> shift));
	ml_ledger_compute(lg);
#undef LG
#undef ZX
#undef NX
}

int ml_meminfo_collect(struct ml_meminfo *m, struct ml_vmstat *vs, bool exact)
{
	struct ml_mi_src x = { .m = m, .vs = vs, .exact = exact };

	memset(m, 0, sizeof(*m));
	if (ml_vmstat_read(vs) < 0)
		return -1;
	ml_mi_read(&x);
	ml_mi_memory(&x);
	ml_mi_swap(&x);
	ml_mi_kernel(&x);
	ml_mi_commit(&x);
	ml_mi_optional(&x);
	ml_mi_hugetlb(&x);
	ml_mi_directmap(&x);
	ml_mi_ledger(&x);
	/* failed counter reads: ml_vmstat_read() warned */
	return 0;
}
