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
