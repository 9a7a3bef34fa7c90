/*
 * target.c: the target architecture's address translation, in one place.
 *
 * defs.h maps PTOV() and IS_VMALLOC_ADDR() to per-target functions on some
 * targets (arm64_PTOV, x86_64_IS_VMALLOC_ADDR, ...) and to inline arithmetic
 * on others. Every layer above calls the helpers here instead of the macros,
 * so the target-specific symbols are referenced from this file only, and
 * referenced weakly: a memleak.so built for another target then still loads
 * into crash, and its load-time guard (cmd/memleak.c) says which build to use
 * instead of dlopen()'s "undefined symbol: arm64_PTOV".
 */
#include "core/core.h"

#pragma weak x86_64_IS_VMALLOC_ADDR
#pragma weak x86_64_VTOP
#pragma weak arm64_PTOV
#pragma weak arm64_VTOP
#pragma weak arm64_IS_VMALLOC_ADDR
#pragma weak arm_is_vmalloc_addr
#pragma weak riscv64_IS_VMALLOC_ADDR
#pragma weak ia64_PTOV
#pragma weak ia64_IS_VMALLOC_ADDR
#pragma weak s390x_PTOV
#pragma weak s390x_IS_VMALLOC_ADDR
#pragma weak sparc64_IS_VMALLOC_ADDR

ulong ml_ptov(physaddr_t pa)
{
	return PTOV(pa);
}

bool ml_is_vmalloc_addr(ulong va)
{
	return IS_VMALLOC_ADDR(va);
}

/*
 * The kernel's vmalloc range, [VMALLOC_START, VMALLOC_END), as
 * /proc/meminfo's VmallocTotal spans it. crash knows both on most targets;
 * 32-bit ARM's machine_specific has no vmalloc_end, and there the range is
 * the kernel's own arithmetic (arch/arm/include/asm/pgtable.h, as in v6.1:
 * VMALLOC_START is high_memory plus VMALLOC_OFFSET, 8 MiB, rounded down to
 * 8 MiB; VMALLOC_END the constant 0xff800000). The guest's VmallocTotal
 * checks it (tests/meminfo.t).
 */
bool ml_vmalloc_range(ulong *start, ulong *end)
{
#if defined(ARM)
	const ulong off = 8UL << 20;

	if (!vt->high_memory)
		return false;
	*start = (vt->high_memory + off) & ~(off - 1);
	*end = 0xff800000UL;
	return *end > *start;
#elif defined(VMALLOC_START) && defined(VMALLOC_END)
	*start = VMALLOC_START;
	*end = VMALLOC_END;
	return *end > *start;
#else
	(void)start;
	(void)end;
	return false;
#endif
}

/*
 * A struct page address to its physical address. With SPARSEMEM_VMEMMAP the
 * memmap is linear on every architecture (pfn_to_page() is vmemmap + pfn),
 * so its base is calibrated once from two pfns that crash resolves through
 * their sections' own mem_map (phys_to_page()), and the rest is arithmetic.
 * crash's is_page_ptr() uses its own idea of that base instead, which crash
 * 9.0.2 gets wrong on arm64 kernels whose memstart_addr is negative (the
 * linear-map randomisation of KASLR): it shifts memstart_addr unsigned and
 * lands 2^58 off, printing "sparsemem: invalid section number" for every
 * page. FLATMEM and classic SPARSEMEM keep is_page_ptr().
 */
static int ml_vmm_state;	/* 0: not calibrated, 1: linear base known, -1: is_page_ptr() */
static ulong ml_vmm_base;

static bool ml_vmm_page_of(physaddr_t pa, ulong *page)
{
	return phys_to_page(pa, page) && *page;
}

static void ml_vmm_calibrate(void)
{
	struct node_table *lo, *hi;
	ulong p0, p1;
	physaddr_t a0, a1;

	ml_vmm_state = -1;
	if (!ml_feat.vmemmap || !ML_SIZE(page) || vt->numnodes < 1)
		return;
	lo = &vt->node_table[0];
	hi = &vt->node_table[vt->numnodes - 1];
	a0 = lo->start_paddr;
	a1 = hi->start_paddr + ((physaddr_t)(hi->size ? hi->size - 1 : 0) << PAGESHIFT());
	if (!ml_vmm_page_of(a0, &p0) || !ml_vmm_page_of(a1, &p1) || a1 < a0)
		return;
	/* linear: the same base from both ends, or not a vmemmap after all */
	if (p1 - p0 != (ulong)((a1 - a0) >> PAGESHIFT()) * ML_SIZE(page))
		return;
	ml_vmm_base = p0 - (ulong)(a0 >> PAGESHIFT()) * ML_SIZE(page);
	ml_vmm_state = 1;
}

bool ml_page_to_phys(ulong page, physaddr_t *phys)
{
	ulong off;
	physaddr_t pa;
	int i;

	if (!ml_vmm_state)
		ml_vmm_calibrate();
	if (ml_vmm_state < 0)
		return is_page_ptr(page, phys);
	off = page - ml_vmm_base;
	if (page < ml_vmm_base || off % ML_SIZE(page))
		return false;
	pa = (physaddr_t)(off / ML_SIZE(page)) << PAGESHIFT();
	for (i = 0; i < vt->numnodes; i++) {
		struct node_table *nt = &vt->node_table[i];

		if (pa >= nt->start_paddr &&
		    pa < nt->start_paddr + ((physaddr_t)nt->size << PAGESHIFT())) {
			*phys = pa;
			return true;
		}
	}
	return false;
}
