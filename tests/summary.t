#!/usr/bin/env python3
"""memleak summary on the lab's real dumps, against what the guest knew:
the module's ground-truth lines (its kernel log), the OOM report on the
console, and the meminfo the guest captured before the leak; what no
counter splits by owner against the guest's bufinfo (dma-bufs, those no
descriptor holds), vmallocinfo (the module's callers) and each captured
process's smaps_rollup (the top processes by rss)."""
import json
import os
import re

import crashrun
import tap
from fixtures import all_fixtures
from oracle import Oracle, parse_expected
from procfs import (BUSY_KB, dmabuf_exporters, dmabuf_unheld, guest_procs, user_process,
                    vmalloc_of_module)


MODULE = "memleak_sample"


def expected(fx):
    """function -> (allocations, pages, bytes) of the module's leaks of slab
    objects and pages, from its log lines (the oracle's, or the console's
    where the oracle was written before the leak); vmalloc areas and the
    objects the module keeps referenced are no suspects of this test"""
    out = {}
    for path in (os.path.join(fx.oracle_dir, "expected"), os.path.join(fx.path, "console.log")):
        try:
            text = open(path, errors="replace").read()
        except FileNotFoundError:
            continue
        for e in parse_expected(text):
            if e["leak"] and e["kind"] in ("slab", "pages") and "bytes" in e:
                out[e["function"]] = (e["allocations"], e["pages"], e["bytes"])
    return out


def run(fx, fmt, cmds):
    outs, tr = crashrun.run(fx.vmlinux, fx.dump(fmt), cmds)
    return outs


def check_outside(n, fx, s, txt, top=None):
    """"outside_counters" and its text lines against the guest's files; with
    top (the OOM scenario, whose guest captured before the module ran and
    the hog reclaimed), the totals of dma-bufs only, and the cut"""
    oc = s.get("outside_counters") or {}
    o = Oracle(fx.oracle_dir)
    bufs, db = o.bufinfo(), oc.get("dma_buf")
    if bufs is None:
        tap.ok(db and not db["in_kernel"] and not db["buffers"],
               f"{n}: without dma-buf, the summary says the kernel has none", db)
    elif tap.ok(db and db["in_kernel"], f"{n}: the summary has the dma-bufs", oc):
        unheld = dmabuf_unheld(o, bufs)
        ex = {x["exporter"]: [x["buffers"], x["bytes"]] for x in db["exporters"]}
        want = dict(dmabuf_exporters(bufs))
        tap.ok(db["bytes"] == sum(b["size"] for b in bufs) and db["buffers"] == len(bufs) and
               (top is not None or ex == want),
               f"{n}: dma-bufs: {db['buffers']} buffers, {db['bytes']} bytes as bufinfo",
               (db, want))
        if unheld is not None:
            tap.ok([db["unheld_buffers"], db["unheld_bytes"]] ==
                   [sum(v[0] for v in unheld.values()), sum(v[1] for v in unheld.values())],
                   f"{n}: {db['unheld_buffers']} dma-bufs no descriptor of the guest's "
                   "processes names", (db, dict(unheld)))
        tap.ok(f"DMA-BUF   {db['buffers']} buffers" in txt, f"{n}: the text's DMA-BUF line",
               txt[:2500])
    vm, want = oc.get("vmalloc"), vmalloc_of_module(o, MODULE)
    if tap.ok(vm, f"{n}: the summary has the vmalloc areas", oc):
        got = {c["caller"]: [c["areas"], c["bytes"], c["pages"]] for c in vm["callers"]
               if f"[{MODULE}]" in c["caller"]}
        b = [c["bytes"] for c in vm["callers"]]
        tap.ok(b == sorted(b, reverse=True) and
               (len(b) <= top if top else want is None or (want and got == want)),
               f"{n}: vmalloc callers by bytes" +
               (f", at most {top}" if top else ", the module's as the guest's vmallocinfo "
                "summed per caller"), (got, want))
    procs, guest = oc.get("processes"), guest_procs(fx.oracle_dir)
    if tap.ok(procs, f"{n}: the summary has the processes", oc):
        rss = [p["rss_kb"] for p in procs]
        off = []
        for p in procs if guest and not top else []:
            g = guest.get(p["pid"])
            tol = BUSY_KB if p["pid"] == 1 else 0
            for k, rk in (("rss", "Rss"), ("anon", "Anonymous"), ("swap", "Swap")):
                if g and user_process(g) and rk in g["rollup"] and \
                        abs(p[f"{k}_kb"] - g["rollup"][rk]) > tol:
                    off.append((p["pid"], k, p[f"{k}_kb"], g["rollup"][rk]))
        tap.ok(rss == sorted(rss, reverse=True) and (not top or len(procs) <= top) and not off,
               f"{n}: the top processes by rss" +
               (f", at most {top}" if top else ", rss, anon and swap as the guest's smaps_rollup"),
               off[:4] or procs[:3])
    tap.ok("VMALLOC   " in txt and "PROCESSES " in txt, f"{n}: the text's VMALLOC and "
           "PROCESSES lines", txt[:2500])
    if top is not None:
        return
    cma, zram = oc.get("cma"), oc.get("zram")
    want = {a: v["used"] for a, v in o.cma().items()}
    if o.cma_hidden():
        tap.ok(cma is not None and "CMA       " in txt,
               f"{n}: the guest's CMA areas are summarised", cma)
    else:
        tap.ok(cma is not None and {a["name"]: a["used"] for a in cma["areas"]} == want and
               (not want or "CMA       " in txt),
               f"{n}: the CMA areas' used pages as the guest's debugfs cma ({len(want)} areas)",
               cma)
    want = {d: v["mm_stat"]["mem_used_total"] for d, v in o.zram().items()}
    tap.ok(zram is not None and {z["device"]: z["mem_used_total"] for z in zram["devices"]}
           == want and (not want or "ZRAM      " in txt),
           f"{n}: the zram pools as the guest's mm_stat ({len(want)} devices)", zram)


def check_oom(fx, fmt):
    n = fx.name(fmt)
    con = open(os.path.join(fx.path, "console.log"), errors="replace").read()
    m = re.search(r"function=(\w+) order=(\d+) starting", con)
    oomline = re.search(r"invoked oom-killer: gfp_mask=(0x[0-9a-f]+).*?order=(\d+)", con)
    if not tap.ok(m and oomline, f"{n}: the console has the hog's start and the OOM report"):
        return
    hog, order = m.group(1), int(oomline.group(2))
    js, txt = run(fx, fmt, ["memleak summary --json", "memleak summary"])
    try:
        s = json.loads(js)
    except ValueError as e:
        tap.ok(False, f"{n}: summary --json parses", f"{e}\n{js[:2000]}")
        return
    tap.ok(s.get("oom") and s["oom"]["order"] == order,
           f"{n}: summary names the OOM's order ({order})", s.get("oom"))
    zones = s["oom"]["zones"] if s.get("oom") else []
    # at the panic, after the OOM report: some zone still exhausted, none
    # failing for fragmentation (the hog took order-0 pages)
    tap.ok(zones and any(z["verdict"][order] == "out_of_memory" for z in zones) and
           not any(z["verdict"][order] == "fragmented" for z in zones),
           f"{n}: the zones of the order-{order} request: exhaustion, not fragmentation",
           zones)
    tap.ok(f"order-{order} request" in txt and any(f" {z['zone']} " in txt for z in zones),
           f"{n}: the text names the order and the zones", txt[:1500])
    check_outside(n, fx, s, txt, top=5)
    top = s["suspects"][0] if s["suspects"] else {}
    if fx.page_owner:
        tap.ok(hog in top.get("what", ""), f"{n}: top suspect is {hog}", top)
    else:
        tap.ok(top.get("kind") == "unaccounted pages",
               f"{n}: without page_owner, the top suspect is the ledger's unaccounted pages",
               top)
    # the hog's pages: free before the module (guest capture) less free at
    # the OOM (show_mem in the console) less the module's other leaks
    mi = open(os.path.join(fx.oracle_dir, "capture2", "meminfo")).read()
    free_before = int(re.search(r"MemFree:\s+(\d+)", mi).group(1)) // 4
    memi = con[con.index("Mem-Info:"):]
    free_oom = int(re.search(r"\bfree:(\d+)", memi).group(1)) + \
        int(re.search(r"\bfree_pcp:(\d+)", memi).group(1))
    other = sum(p for f, (a, p, b) in expected(fx).items())
    est = free_before - free_oom - other
    if not fx.page_owner:
        # without page_owner the suspect is the ledger's unaccounted pages:
        # what the kernel's own show_mem at the OOM leaves out of every
        # counter it prints (MemTotal less free, per-cpu free, LRU, slab,
        # page tables, kernel stacks). The hog also ate the caches reclaim
        # freed after the capture, so the capture-based estimate is too low.
        def n(key):
            mm = re.search(rf"\b{key}:(\d+)", memi)
            return int(mm.group(1)) if mm else 0
        total = int(re.search(r"MemTotal:\s+(\d+)", mi).group(1)) // 4
        counted = sum(n(k) for k in ("free", "free_pcp", "active_anon", "inactive_anon",
                                     "isolated_anon", "active_file", "inactive_file",
                                     "isolated_file", "unevictable", "slab_reclaimable",
                                     "slab_unreclaimable", "pagetables"))
        ks = re.search(r"kernel_stack:(\d+)kB", memi)
        est = total - counted - (int(ks.group(1)) // 4 if ks else 0)
    got = top["bytes"] // 4096
    tap.ok(abs(got - est) <= 0.03 * est,
           f"{n}: top suspect holds {got} pages, the guest's memory says ~{est} (3%)",
           top)
    if not fx.page_owner:
        tap.ok(any("page_owner" in m for m in s["missing"]),
               f"{n}: says page_owner is missing", s["missing"])


NORMAL = ("dentry", "inode_cache", "kernfs_node_cache")


def check_ranking(n, fx, sus, exp):
    """suspects ranked by evidence: the module's orphaned leaks first, the
    big normal caches (referenced) below them"""
    mine = [x for x in sus if x.get("module") == MODULE and x.get("unreferenced_share") and
            x["unreferenced_share"] >= 0.99]
    if not tap.ok(mine, f"{n}: the module's leaks are judged unreferenced",
                  [(x["what"], x.get("why")) for x in sus[:8]]):
        return
    top = sus[0]
    if top["kind"] == "unaccounted pages" and not fx.page_owner:
        # without page_owner the black hole's pages are in the ledger's
        # unaccounted pages, which no scan can attribute: it may lead,
        # holding at least the module's leaked pages; the first suspect
        # with objects is then the module's
        pages = sum(p for a, p, b in exp.values())
        judged = next(x for x in sus if x.get("unreferenced") is not None)
        tap.ok(top["count"] >= pages and judged.get("module") == MODULE,
               f"{n}: without page_owner the ledger's {top['count']} unaccounted pages lead "
               f"(the module leaked {pages}), then a module leak: {judged['what']}",
               [(x["what"], x["why"]) for x in sus[:4]])
        top = judged
    else:
        tap.ok(top.get("module") == MODULE,
               f"{n}: the first suspect is a module leak: {top['what']}",
               [(x["what"], x["why"]) for x in sus[:4]])
    tap.ok("unreferenced" in top.get("why", "") and MODULE in top.get("why", ""),
           f"{n}: its evidence line names why: {top.get('why')}")
    worst = max(x["rank"] for x in mine)
    bad = [(x["rank"], x["what"], x["bytes"]) for x in sus
           if x["kind"] in ("callsite", "slab cache") and x["rank"] < worst and
           any(c in x["what"] for c in NORMAL) and
           any(m["bytes"] * 10 >= x["bytes"] and m["rank"] > x["rank"] for m in mine)]
    tap.ok(not bad, f"{n}: no normal cache ({', '.join(NORMAL)}) outranks an orphaned module "
           "leak of the same order of size", bad)


def check_leak(fx, fmt):
    n = fx.name(fmt)
    exp = expected(fx)
    js, txt = run(fx, fmt, ["memleak summary --json --top 100000", "memleak summary"])
    s = json.loads(js)
    sus = s["suspects"]
    for fn, (allocs, pages, nbytes) in sorted(exp.items()):
        if pages:
            if fx.page_owner:
                hit = [x for x in sus if x["kind"] == "page_owner stack" and fn in x["what"]]
                tap.ok(hit and hit[0]["bytes"] == pages * 4096 and hit[0]["count"] == allocs,
                       f"{n}: {fn}: page_owner suspect with {allocs} allocations, {pages} pages",
                       hit or sus[:5])
            else:
                hit = [x for x in sus if x["kind"] == "unaccounted pages"]
                tap.ok(hit and hit[0]["count"] >= pages,
                       f"{n}: without page_owner, the ledger's unaccounted pages rank "
                       f"({fn}'s {pages} pages among them)", hit)
            continue
        hit = [x for x in sus if x["kind"] == "callsite" and fn in x["what"]]
        tap.ok(hit and sum(x["count"] for x in hit) == allocs,
               f"{n}: {fn}: callsite suspect with exactly {allocs} objects", hit)
    # the module leaked after the kernel ran init (the guest's dmesg has
    # "Run ... as init process" before the module's lines): none of its
    # suspects may be ranked last as allocated at boot
    with open(f"{fx.oracle_dir}/dmesg", errors="replace") as fh:
        dmesg = fh.read()
    init_at = dmesg.find(" as init process")
    mod_at = dmesg.find("memleak_sample: scenario=")
    if init_at >= 0 and mod_at > init_at:
        mine = [x for x in sus for fn in exp if fn in x["what"]]
        tap.ok(mine and not any(x["boot"] for x in mine),
               f"{n}: the module's leaks, made after init started, are not ranked as boot",
               [(x["rank"], x["what"], x["boot"]) for x in mine])
    else:
        tap.skip(f"{n}: module leaks not boot", "dmesg lacks the init line before the module's")
    check_ranking(n, fx, sus, exp)
    check_outside(n, fx, s, txt)
    ranks = [x["rank"] for x in sus]
    tap.ok(ranks == list(range(1, len(ranks) + 1)), f"{n}: ranks 1..{len(ranks)}")
    tap.ok(all(x["bytes"] >= 0 and x["evidence"] for x in sus),
           f"{n}: every suspect has bytes and evidence")
    tap.ok("CACHES" in txt and "LEDGER" in txt and "SUSPECTS" in txt,
           f"{n}: text has caches, ledger, suspects", txt[:1500])
    if not fx.page_owner:
        tap.ok(any("page_owner=on" in m for m in s["missing"]) and "NOT IN THIS DUMP" in txt
               and "page_owner=on" in txt,
               f"{n}: says page_owner is missing and how to enable it", s["missing"])


def main():
    oom = all_fixtures("oom")
    leak = all_fixtures("leak")
    if not oom and not leak:
        tap.skip("summary", "no oom or leak fixture (MEMLEAK_FIXTURES)")
        return
    for fx in oom:
        for fmt in fx.formats:
            check_oom(fx, fmt)
    for fx in leak:
        for fmt in fx.formats:
            check_leak(fx, fmt)
    # usage errors do not end the session
    fx = (oom + leak)[0]
    fmt = "kdump" if "kdump" in fx.formats else fx.formats[0]
    out = run(fx, fmt, ["memleak summary --top x", "memleak summary --bogus", "memleak probe"])
    tap.ok("--top" in out[0] and "Usage" in out[1] and "kernel:" in out[2],
           f"{fx.name(fmt)}: bad options print usage, the session goes on", out)


tap.run(main)
