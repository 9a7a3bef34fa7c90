#!/usr/bin/python3
"""memleak meminfo against the kernel's own /proc/meminfo, captured in the
guest just before the dump, and the ledger's black hole against the leak
module's ground truth.

Tolerance: each line's drift between the oracle's two captures plus a floor
of 128 kB (32 pages): after capture2 the guest's init starts one "sleep"
process before QEMU stops it (anon pages, page tables, a 16 kB stack); free
memory gets one per-cpu list refill more (pcp->batch, 63 pages here: see
vmstat.t), and what the per-cpu lists took since capture2 (the ledger's
free_pcp against zoneinfo's pagesets count).

The black hole: the "leak" scenario takes pages with alloc_pages() and
coherent DMA buffers (oracle/expected, kinds pages and cma) that no counter
shows; where the guest has a CMA area the coherent buffers come from it and
are the ledger's cma line (debugfs cma/*/used), not unaccounted. The "base" dump of the same kernel has the module loaded with nothing
leaked, so unaccounted(leak) - unaccounted(base) must be those pages, within
the drift of the counters the ledger sums (both fixtures' captures) plus the
floor. The module's dma-bufs are the ledger's dma_buf line: the sizes of the
guest's bufinfo, in pages; the zsmalloc line is the zram pools'
mem_used_total (mm_stat), in pages."""
import json
import re

import crashrun
import tap
from fixtures import all_fixtures, required_fixtures
from oracle import Oracle
from settle import walk_moved

FLOOR_KB = 128
PCP_BATCH_KB = 256
FREE_LINES = ("MemFree", "MemAvailable")
SLAB_LINES = ("Slab", "SReclaimable", "SUnreclaim", "KReclaimable")


def floor(name):
    return FLOOR_KB + (PCP_BATCH_KB if name in FREE_LINES else 0)
# meminfo lines that make up the ledger; their capture drift bounds its drift
LEDGER_LINES = ("MemFree", "Cached", "AnonPages", "SReclaimable", "SUnreclaim",
                "KernelStack", "PageTables", "VmallocUsed", "Percpu")


def base_fixtures():
    return {f.kernel: f for f in all_fixtures("base")}


def parse(text):
    """[(name, value or None, line)] of the meminfo table"""
    out = []
    for line in text.splitlines():
        if not line.strip():
            break
        m = re.match(r"([^:]+):\s+(\d+|\?)", line)
        if m:
            out.append((m.group(1), None if m.group(2) == "?" else int(m.group(2)), line))
    return out


def run(f, fmt):
    outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
        "memleak meminfo", "memleak meminfo --json", "memleak meminfo --ledger",
        "memleak meminfo -x", "memleak meminfo | grep -c kB",
        "memleak slabtop --json"])
    return outs


def main():
    fx = required_fixtures()
    bases = base_fixtures()
    base_unacc = {}
    for f in fx:
        o = Oracle(f.oracle_dir)
        want = o.meminfo()
        lines = [l for l in o.capture("meminfo").splitlines() if l.strip()]
        order = [l.split(":")[0] for l in lines]
        drift = o.drift(lambda c: o.meminfo(c))
        bf = bases.get(f.kernel)
        for fmt in f.formats:
            n = f.name(fmt)
            text, js, ledger, bad, alive, slabs = run(f, fmt)
            got = parse(text)
            tap.eq([g[0] for g in got], order, f"{n}: every /proc/meminfo line, in the kernel's order")
            vals = {k: v for k, v, _ in got}
            tap.ok(all(v is not None for v in vals.values()), f"{n}: every line computed",
                   [l for k, v, l in got if v is None])
            # slab lines: plus the pages the caches moved after capture2, as
            # memleak's walk of them finds (tests/lib/settle.py)
            try:
                settle_kb = walk_moved(o, {c["name"]: c for c in json.loads(slabs)["caches"]}) * 4
            except (ValueError, KeyError):
                settle_kb = 0

            # free pages the per-cpu lists took from the free lists since
            # capture2 (or gave back): in neither MemFree nor used memory
            try:
                pcp_now = json.loads(js)["ledger"]["free_pcp"]
                pcp_then = sum(z.get("pcp", 0) for z in o.zoneinfo(2).values())
                pcp_kb = abs(pcp_now - pcp_then) * 4
            except (ValueError, KeyError, TypeError):
                pcp_kb = 0

            def tol(k):
                return drift.get(k, 0) + floor(k) + (settle_kb if k in SLAB_LINES else 0) + \
                    (pcp_kb if k in FREE_LINES else 0)
            off = [f"{k}: memleak {vals.get(k)} oracle {v} tolerance {tol(k)}"
                   for k, v in want.items()
                   if vals.get(k) is None or abs(vals[k] - v) > tol(k)]
            tap.ok(not off, f"{n}: all {len(want)} values within drift + floor", "\n".join(off))
            # the kernel's layout: a line with the oracle's value is the
            # oracle's line, byte for byte; others are right-aligned to the
            # same column (same length while the numbers fit their width)
            layout = []
            for (k, v, line), ref in zip(got, lines):
                w = want.get(k)
                if v == w and line != ref:
                    layout.append(f"{line!r} vs {ref!r}")
                elif v != w and len(str(v)) <= 5 and len(str(w)) <= 5 and len(line) != len(ref):
                    layout.append(f"{line!r} vs {ref!r}")
            tap.ok(not layout, f"{n}: lines formatted as fs/proc/meminfo.c prints them",
                   "\n".join(layout))
            try:
                j = json.loads(js)
            except ValueError as e:
                tap.ok(False, f"{n}: --json parses", e)
                continue
            tap.eq(j["meminfo"], vals, f"{n}: --json meminfo has the text's values")
            lg = j["ledger"]
            items = {k: v for k, v in lg.items()
                     if k not in ("unit", "page_size", "total", "unaccounted", "complete")}
            tap.ok(lg["complete"], f"{n}: every ledger item read", lg)
            tap.eq(sum(items.values()) + lg["unaccounted"], lg["total"],
                   f"{n}: ledger items + unaccounted = MemTotal")
            tap.eq(lg["total"] * 4, want["MemTotal"], f"{n}: ledger total is MemTotal")
            tap.ok(abs(lg["free"] * 4 - want["MemFree"]) <= tol("MemFree"),
                   f"{n}: ledger free is MemFree (folded)", lg)
            tap.ok(lg["unaccounted"] >= 0, f"{n}: nothing counted twice (unaccounted >= 0)", lg)
            bufs = o.bufinfo()
            if bufs is not None:
                want_db = -(-sum(b["size"] for b in bufs) // lg["page_size"])
                tap.eq(lg.get("dma_buf"), want_db,
                       f"{n}: ledger dma_buf is bufinfo's {len(bufs)} buffers")
            # CMA: the areas' used pages (debugfs cma/*/used), less what CMA
            # heaps exported (under dma_buf); zsmalloc: zram's pools
            areas = o.cma()
            heap = sum(b["size"] for b in bufs or [] if b["exp_name"] in areas)
            if o.cma_hidden():
                tap.skip(f"{n}: ledger cma is debugfs cma's used pages",
                         "the guest kernel has CMA but no CONFIG_CMA_DEBUGFS: no per-area view")
            else:
                tap.eq(lg.get("cma"), max(0, sum(a["used"] for a in areas.values())
                                          - heap // lg["page_size"]),
                       f"{n}: ledger cma is debugfs cma's used pages of {len(areas)} areas")
            zram = o.zram()
            if zram:
                tap.eq(lg.get("zsmalloc"), sum(z["mm_stat"]["mem_used_total"]
                                               for z in zram.values()) // lg["page_size"],
                       f"{n}: ledger zsmalloc is the zram pools' mem_used_total")
            tap.ok("unaccounted" in ledger and "MemTotal:" not in ledger,
                   f"{n}: --ledger prints the ledger alone", ledger)
            tap.ok("invalid option" in bad and "Usage: memleak meminfo" in bad,
                   f"{n}: bad option prints the usage", bad)
            tap.eq(alive.strip(), str(sum(1 for l in lines if l.endswith(" kB"))),
                   f"{n}: session alive, output pipes to grep")
            if f.scenario != "leak":
                continue
            # what no counter shows: the module's alloc_pages() black hole
            # and its coherent DMA buffers (CMA, or the buddy without it);
            # its dma-bufs are the ledger's own dma_buf line
            # (the coherent buffers are the ledger's cma line where they
            # came from a CMA area)
            hole = sum(e["pages"] for e in o.expected()
                       if e["kind"] == "pages" or
                       (e["kind"] == "cma" and not o.cma() and not o.cma_hidden()))
            if bf is None:
                tap.skip(f"{n}: unaccounted grows by the black hole",
                         "no base fixture of this kernel (MEMLEAK_SCENARIOS lacks base)")
                continue
            if (bf.kernel, fmt) not in base_unacc:
                bj = json.loads(run(bf, fmt)[1])
                ob = Oracle(bf.oracle_dir)
                bd = ob.drift(lambda c: ob.meminfo(c))
                base_unacc[(bf.kernel, fmt)] = (bj["ledger"]["unaccounted"], bd)
            bu, bd = base_unacc[(bf.kernel, fmt)]
            tol = (sum(drift.get(k, 0) + bd.get(k, 0) for k in LEDGER_LINES) + FLOOR_KB) // 4
            delta = lg["unaccounted"] - bu
            tap.diag(f"{n}: unaccounted {lg['unaccounted']} - base {bu} = {delta} pages; "
                     f"module leaked {hole}; tolerance {tol}")
            tap.ok(abs(delta - hole) <= tol,
                   f"{n}: unaccounted grew by the module's {hole} uncounted pages",
                   f"delta {delta}, tolerance {tol}")


tap.run(main)
