#!/usr/bin/env python3
"""memleak save and memleak diff on two dumps of one kernel with different
leak counts (scenarios leak2 -> leak): the diff is exactly the difference of
the module's ground truth for its callsites and page_owner stacks, near zero
elsewhere; the orphan scan's unreferenced objects grow by the module's
orphaned ones (within the 1% the scan's recall allows); snapshot-to-snapshot
equals snapshot-to-dump. What no counter splits by owner is checked
against the guest's own files: each snapshot's dma-bufs per exporter
(bufinfo, and the fd links for the unheld ones), the module's vmalloc
callers (vmallocinfo summed per caller), the processes per comm (each
captured process's smaps_rollup); the diff grows each exporter and the
module's vmalloc callers by the difference of the two guests' files, and
a snapshot without these arrays (an older memleak's) diffs as no change."""
import json
import os
import tempfile

import crashrun
import tap
from fixtures import all_fixtures
from oracle import Oracle
from chancerefs import false_refs
from procfs import (BUSY_KB, dmabuf_exporters, dmabuf_unheld, guest_procs, user_process,
                    vmalloc_of_module)

MODULE = "memleak_sample"
OUTSIDE = ("dma_buf_exporters", "vmalloc_callers", "processes", "cma_areas", "zram_devices")


def expected(fx):
    """function -> (allocations, pages, bytes) of what the module allocated
    as slab objects or pages (vmalloc areas: their pages are grouped under
    vmalloc's own frames, and their allocations are not vmalloc calls)"""
    return {e["function"]: (e["allocations"], e["pages"], e["bytes"])
            for e in Oracle(fx.oracle_dir).expected() if e["kind"] != "vmalloc"}


def orphaned(fx):
    """function -> allocations the module orphaned (held=none): slab objects
    and vmalloc areas (page allocations need page_owner)"""
    return {e["function"]: (e["allocations"], e["kind"])
            for e in Oracle(fx.oracle_dir).expected()
            if e.get("held") == "none" and e["kind"] in ("slab", "vmalloc", "pages")}


def check_orphans(k, old, new, dj, fmt):
    """the UNREFERENCED section: the module's orphaned callsites grew by
    what it orphaned in addition"""
    if not dj.get("orphans"):
        tap.skip(f"{k}: orphans in the diff", "the orphan scan did not finish on one side")
        return
    o_old, o_new = orphaned(old), orphaned(new)
    rows = dj["orphans"]["rows"]
    for fn, (a1, kind) in sorted(o_new.items()):
        a0 = o_old.get(fn, (0, kind))[0]
        if kind == "pages" and not new.page_owner:
            continue
        got = sum(r["delta_count"] for r in rows
                  if r["caller"].split(" ")[0].split(".")[0] == fn)
        want = a1 - a0
        slack = 0.01 * max(a1, 1) + 1
        why = [r for r in rows if fn in r["caller"]]
        if abs(got - want) > slack and kind == "vmalloc":
            # areas a chance word points into may go unreported on either
            # side (tests/lib/chancerefs.py)
            hits = [false_refs(fx, fmt, Oracle(fx.oracle_dir), fn) for fx in (old, new)]
            slack += sum(hits)
            why = {"chance_refs_old_new": hits, "rows": why}
        tap.ok(abs(got - want) <= slack,
               f"{k}: {fn}: unreferenced {kind} grew by {got}, the module orphaned {want} more",
               why)


def as_version1(snap):
    """the snapshot as version 1 wrote it (doc/snapshot.md): zones as rows
    per zone and order, not zone objects"""
    rows = []
    for z in snap["zones"]:
        rows.append({"node": z["node"], "zone": z["zone"], "order": "all",
                     "free_pages": z["free"], "managed": z["managed"]})
        rows += [{"node": z["node"], "zone": z["zone"], "order": a["order"],
                  "free_blocks": a["nr_free"], "free_pages": a["pages"]} for a in z["free_area"]]
    return dict(snap, version=1, zones=rows)


def kernel_moved(old, new, mod_rows):
    """Bytes by which the two guests' own /proc/slabinfo differ outside the
    module's objects: what the kernel did differently between the two boots
    (5.10 keeps thousands of lazily freed vmap_areas until a purge, so
    vmap_area swings by megabytes from one boot to the next)."""
    oo, on = Oracle(old.oracle_dir), Oracle(new.oracle_dir)
    so, sn = oo.slabinfo(), on.slabinfo()
    size = {**oo.slab_sysfs(), **on.slab_sysfs()}
    mod = {}
    for r in mod_rows:
        mod[r["cache"]] = mod.get(r["cache"], 0) + r["delta_bytes"]

    def used(si, c):
        # slabinfo's objsize is the slot (s->size); callsites count object_size
        osz = size.get(c, {}).get("object_size") or si[c]["objsize"]
        return si[c]["active_objs"] * osz if c in si else 0
    return sum(abs(used(sn, c) - used(so, c) - mod.get(c, 0)) for c in set(so) | set(sn))


def settling(fx, snap, caches):
    """Bytes by which a dump's caches (its snapshot) differ from the same
    guest's capture2 /proc/slabinfo: what its slabs did between the last
    capture and the dump (7.x: maple nodes back from kfree_rcu batches and
    sheaves, hundreds at a time), for the caches named."""
    o = Oracle(fx.oracle_dir)
    si, size = o.slabinfo(), o.slab_sysfs()
    out = 0
    for c in snap.get("slab_caches", []):
        if c["name"] in caches and c["name"] in si:
            osz = size.get(c["name"], {}).get("object_size") or c["object_size"]
            out += abs(c["active"] * c["object_size"] - si[c["name"]]["active_objs"] * osz)
    return out


def check_snap_dmabufs(name, o, snap):
    bufs = o.bufinfo()
    ex = snap.get("dma_buf_exporters")
    if bufs is None:
        tap.ok(ex == [], f"{name}: without dma-buf, no exporter in the snapshot", ex)
        return
    if not tap.ok(ex is not None, f"{name}: the snapshot has dma_buf_exporters"):
        return
    got = {x["exporter"]: [x["buffers"], x["bytes"]] for x in ex}
    want = dict(dmabuf_exporters(bufs))
    total = sum(b["size"] for b in bufs)
    tap.ok(sum(x["bytes"] for x in ex) == total and got == want,
           f"{name}: dma_buf_exporters: {sum(x['bytes'] for x in ex)} bytes, bufinfo's total "
           f"{total}, per exporter as bufinfo", (got, want))
    unheld = dmabuf_unheld(o, bufs)
    if unheld is None:
        tap.skip(f"{name}: unheld dma-bufs per exporter", "bufinfo's names are not unique")
        return
    got = {x["exporter"]: [x["unheld_buffers"], x["unheld_bytes"]] for x in ex
           if x["unheld_buffers"]}
    tap.ok(got == dict(unheld), f"{name}: the unheld buffers per exporter are those no "
           "descriptor of the guest's processes names", (got, dict(unheld)))


def check_snap_vmalloc(name, o, snap):
    want = vmalloc_of_module(o, MODULE)
    if want is None:
        tap.skip(f"{name}: vmalloc_callers", "the fixture has no vmallocinfo capture")
        return
    got = {c["caller"]: [c["areas"], c["bytes"], c["pages"]]
           for c in snap.get("vmalloc_callers", []) if f"[{MODULE}]" in c["caller"]}
    tap.ok(want and got == want, f"{name}: vmalloc_callers: the module's {len(want)} callers' "
           "areas, bytes and pages, vmallocinfo's lines summed per caller", (got, want))


def check_snap_processes(name, fx, snap, psdoc):
    """per comm, memleak ps's processes summed (each address space once);
    against the guest: the captured processes' smaps_rollup (what the page
    tables map) plus what memleak ps gives the processes the capture did
    not see"""
    guest = guest_procs(fx.oracle_dir)
    rows = {r["comm"]: r for r in snap.get("processes", [])}
    kbp = psdoc["page_size"] // 1024
    dump = [p for p in psdoc["processes"] if p["mm"] and not p["kernel_thread"]]
    keys = ("rss", "anon", "file", "shmem", "swap")
    bad = []
    for comm in {p["comm"] for p in dump} | set(rows):
        mine = [p for p in dump if p["comm"] == comm]
        want = {k: sum(p["pages"][k] * kbp for p in mine if not p["shares_mm_with"]) for k in keys}
        r = rows.get(comm, {})
        if r.get("tasks") != len(mine) or any(r.get(f"{k}_kb") != v for k, v in want.items()):
            bad.append((comm, r, len(mine), want))
    tap.ok(rows and not bad, f"{name}: processes: memleak ps's {len(dump)} processes summed "
           f"per comm ({len(rows)} comms)", bad[:3])
    if not guest:
        tap.skip(f"{name}: processes against the guest", "no oracle/proc capture")
        return
    off, n = [], 0
    for comm, r in sorted(rows.items()):
        mine = [p for p in dump if p["comm"] == comm and not p["shares_mm_with"]]
        seen = [p for p in mine if p["pid"] in guest and user_process(guest[p["pid"]]) and
                guest[p["pid"]]["rollup"]]
        if not seen:
            continue
        n += 1
        rest = [p for p in mine if p not in seen]
        tol = BUSY_KB if any(p["pid"] == 1 for p in seen) else 0
        for k, rk in (("rss", "Rss"), ("anon", "Anonymous"), ("swap", "Swap")):
            want = sum(guest[p["pid"]]["rollup"].get(rk, 0) for p in seen) + \
                sum(p["pages"][k] * kbp for p in rest)
            if abs(r[f"{k}_kb"] - want) > tol:
                off.append((comm, k, r[f"{k}_kb"], want))
    tap.ok(n and not off, f"{name}: processes: {n} comms' rss, anon and swap are the guest's "
           "smaps_rollup of their processes", off[:4])


def check_snap_cma_zram(name, o, snap):
    """cma_areas and zram_devices: the guest's debugfs cma and mm_stat"""
    got = {a["name"]: [a["count"], a["used"]] for a in snap.get("cma_areas") or []}
    want = {a: [v["count"], v["used"]] for a, v in o.cma().items()}
    if o.cma_hidden():
        tap.skip(f"{name}: cma_areas as the guest's debugfs cma",
                 "the guest kernel has CMA but no CONFIG_CMA_DEBUGFS: no per-area view")
    else:
        tap.ok(snap.get("cma_areas") is not None and got == want,
               f"{name}: cma_areas as the guest's debugfs cma ({len(want)} areas)", (got, want))
    cols = ("mem_used_total", "orig_data_size", "compr_data_size")
    got = {z["device"]: [z[c] for c in cols] for z in snap.get("zram_devices") or []}
    want = {d: [v["mm_stat"][c] for c in cols] for d, v in o.zram().items()}
    tap.ok(snap.get("zram_devices") is not None and got == want,
           f"{name}: zram_devices as the guest's mm_stat ({len(want)} devices)", (got, want))


def check_snapshot_outside(fx, name, snap, psdoc):
    o = Oracle(fx.oracle_dir)
    check_snap_cma_zram(name, o, snap)
    check_snap_dmabufs(name, o, snap)
    check_snap_vmalloc(name, o, snap)
    check_snap_processes(name, fx, snap, psdoc)


def check_diff_outside(k, old, new, dj, bare):
    """the diff of the arrays: the guests' files' difference"""
    bo, bn = Oracle(old.oracle_dir).bufinfo(), Oracle(new.oracle_dir).bufinfo()
    if bo is None or bn is None:
        tap.skip(f"{k}: dma-buf growth", "a fixture without dma-buf")
    else:
        eo, en = dmabuf_exporters(bo), dmabuf_exporters(bn)
        want = {e: [en[e][1] - eo[e][1], en[e][0] - eo[e][0]] for e in set(eo) | set(en)}
        want = {e: v for e, v in want.items() if v != [0, 0]}
        rows = dj["dma_buf_exporters"]["rows"]
        got = {r["exporter"]: [r["delta_bytes"], r["delta_buffers"]] for r in rows}
        mod = sum(v[0] for e, v in want.items() if MODULE in e)
        tap.ok(got == want and mod, f"{k}: dma-bufs per exporter grew by the difference of "
               f"the guests' bufinfo ({MODULE}: {mod} bytes)", (got, want))
    vo = vmalloc_of_module(Oracle(old.oracle_dir), MODULE)
    vn = vmalloc_of_module(Oracle(new.oracle_dir), MODULE)
    if vo is None or vn is None:
        tap.skip(f"{k}: vmalloc growth", "a fixture without vmallocinfo")
    else:
        want = {c: [vn.get(c, [0] * 3)[i] - vo.get(c, [0] * 3)[i] for i in (1, 0, 2)]
                for c in set(vo) | set(vn)}
        want = {c: v for c, v in want.items() if v != [0, 0, 0]}
        got = {r["caller"]: [r["delta_bytes"], r["delta_areas"], r["delta_pages"]]
               for r in dj["vmalloc_callers"]["rows"] if f"[{MODULE}]" in r["caller"]}
        tap.ok(want and got == want, f"{k}: the module's vmalloc callers grew by the "
               "difference of the guests' vmallocinfo", (got, want))
    oo, on = Oracle(old.oracle_dir), Oracle(new.oracle_dir)
    co, cn = oo.cma(), on.cma()
    want = {a: cn.get(a, {}).get("used", 0) - co.get(a, {}).get("used", 0)
            for a in set(co) | set(cn)}
    want = {a: v for a, v in want.items() if v}
    got = {r["name"]: r["delta_used"] for r in dj["cma_areas"]["rows"] if r["delta_used"]}
    if oo.cma_hidden() or on.cma_hidden():
        tap.skip(f"{k}: CMA areas' used pages grew by the difference of the guests' debugfs cma",
                 "the guest kernel has CMA but no CONFIG_CMA_DEBUGFS: no per-area view")
    else:
        tap.ok(got == want, f"{k}: CMA areas' used pages grew by the difference of the guests' "
               f"debugfs cma ({sum(want.values())} pages)", (got, want))
    tap.ok(all(bare[sec]["changed"] == 0 and not any(bare[sec]["total_delta"])
               for sec in OUTSIDE),
           f"{k}: a snapshot without {', '.join(OUTSIDE)} (an older memleak's) diffs as no "
           "change there", {sec: bare[sec]["changed"] for sec in OUTSIDE})


def check(old, new, d, fmt):
    k = f"{old.kernel}/leak2,leak/{fmt}"
    e_old, e_new = expected(old), expected(new)
    on = Oracle(new.oracle_dir)
    s_old, s_new = os.path.join(d, f"old-{fmt}.json"), os.path.join(d, f"new-{fmt}.json")
    o, _ = crashrun.run(old.vmlinux, old.dump(fmt), [f"memleak save {s_old}",
                                                     "memleak ps --json"])
    tap.ok(f"snapshot written to {s_old}" in o[0] and os.path.exists(s_old),
           f"{old.name(fmt)}: save says where the snapshot went", o[0])
    snap = json.load(open(s_old))
    check_snapshot_outside(old, old.name(fmt), snap, json.loads(o[1]))
    tap.ok(snap.get("schema") == "memleak-snapshot" and snap.get("version") == 2,
           f"{old.name(fmt)}: the snapshot is a versioned memleak-snapshot (2)")
    tap.ok(snap.get("zones") and all("free_area" in z and "verdict" in z for z in snap["zones"]),
           f"{old.name(fmt)}: its zones are zone objects, as zones --json shows them")
    s_v1 = os.path.join(d, f"old-{fmt}-v1.json")
    with open(s_v1, "w") as fh:
        json.dump(as_version1(snap), fh)
    s_bare = os.path.join(d, f"old-{fmt}-bare.json")
    with open(s_bare, "w") as fh:
        json.dump({m: v for m, v in snap.items() if m not in OUTSIDE}, fh)
    outs, _ = crashrun.run(new.vmlinux, new.dump(fmt), [
        f"memleak diff {s_old} --json --top 0", f"memleak save {s_new}",
        f"memleak diff {s_old} {s_new} --json --top 0", f"memleak diff {s_old}",
        f"memleak diff {d}/nonexistent.json", f"memleak diff {s_old} -m memleak_sample --json --top 0",
        f"memleak diff {s_v1} {s_old} --json --top 0", f"memleak diff {s_v1} {s_new} --json --top 0",
        f"memleak diff {s_bare} {s_old} --json --top 0", "memleak ps --json"])
    dj = json.loads(outs[0])
    sites = dj["callsites"]["rows"]
    mod_bytes = 0
    for fn, (a1, p1, b1) in sorted(e_new.items()):
        a0, p0, b0 = e_old[fn]
        if p1 or p0:
            if not new.page_owner:
                continue
            if not on.page_owner_names(fn):
                tap.skip(f"{k}: {fn}: page_owner stacks grew", "the kernel's page_owner names "
                         "no frame of it (a tail call from freed init code)")
                continue
            rows = [r for r in dj["stacks"]["rows"] if r["caller"].startswith(fn + " ")]
            tap.ok(sum(r["delta_pages"] for r in rows) == p1 - p0 and
                   sum(r["delta_allocations"] for r in rows) == a1 - a0,
                   f"{k}: {fn}: page_owner stacks grew by {p1 - p0} pages, "
                   f"{a1 - a0} allocations", rows)
            continue
        rows = [r for r in sites if r["caller"].startswith(fn)]
        got = sum(r["delta_count"] for r in rows)
        mod_bytes += sum(r["delta_bytes"] for r in rows)
        tap.ok(got == a1 - a0, f"{k}: {fn}: callsite grew by {a1 - a0} objects", rows)
    others = [r for r in sites if "[memleak_sample]" not in r["caller"]]
    noise = sum(abs(r["delta_bytes"]) for r in others)
    moved = kernel_moved(old, new, [r for r in sites if "[memleak_sample]" in r["caller"]])
    try:
        caches = {r["cache"] for r in others}
        settle = settling(old, snap, caches) + settling(new, json.loads(open(s_new).read()),
                                                        caches)
    except (OSError, ValueError):
        settle = 0
    tap.ok(noise <= 0.25 * mod_bytes + moved + settle,
           f"{k}: other callsites changed by {noise} bytes, the module's by "
           f"{mod_bytes} (at most 25%, plus the {moved} bytes the kernel's slabinfo shows "
           f"other objects moved by, plus the {settle} bytes their caches moved between "
           "each guest's capture and its dump)", others[:10])
    check_orphans(k, old, new, dj, fmt)
    check_snapshot_outside(new, new.name(fmt), json.load(open(s_new)), json.loads(outs[9]))
    check_diff_outside(k, old, new, dj, json.loads(outs[8]))
    dj2 = json.loads(outs[2])
    tap.ok(dj2["callsites"] == dj["callsites"] and dj2["stacks"] == dj["stacks"] and
           dj2.get("orphans") == dj.get("orphans") and
           all(dj2[sec] == dj[sec] for sec in OUTSIDE),
           f"{k}: snapshot-to-snapshot diff equals snapshot-to-dump diff")
    tap.ok(all(t in outs[3] for t in ("CALLSITES", "PAGE_OWNER STACKS", "MEMINFO", "DMA-BUFS",
                                      "VMALLOC CALLERS", "PROCESSES")),
           f"{k}: text diff has its sections", outs[3][:1500])
    tap.ok("nonexistent.json" in outs[4] and "No such file" in outs[4],
           f"{k}: a missing snapshot is one line", outs[4])
    # version 1 still reads: against its own version-2 twin nothing moved,
    # and against the new dump it gives what version 2 gives
    same, v1new = json.loads(outs[6]), json.loads(outs[7])
    tap.ok(all(same[sec]["changed"] == 0 for sec in ("zones", "meminfo", "callsites", "stacks")),
           f"{k}: a version-1 snapshot equals its version-2 twin", same["zones"])
    tap.ok(v1new["zones"] == dj2["zones"] and v1new["callsites"] == dj2["callsites"],
           f"{k}: diff from a version-1 snapshot equals diff from version 2")
    dm = json.loads(outs[5])
    tap.ok(dm["callsites"]["rows"] and
           all("[memleak_sample]" in r["caller"] for r in dm["callsites"]["rows"]),
           f"{k}: -m keeps the module's callers only")
    tap.ok(dm["vmalloc_callers"]["rows"] and
           all(f"[{MODULE}]" in r["caller"] for r in dm["vmalloc_callers"]["rows"]),
           f"{k}: -m keeps the module's vmalloc callers only")


def main():
    pairs = []
    for new in all_fixtures("leak"):
        olds = [f for f in all_fixtures("leak2") if f.kernel == new.kernel]
        if olds:
            pairs.append((olds[0], new))
    if not pairs:
        tap.skip("diff", "no leak and leak2 fixtures of one kernel (MEMLEAK_FIXTURES)")
        return
    with tempfile.TemporaryDirectory(prefix="memleak-diff-") as d:
        for old, new in pairs:
            for fmt in [m for m in new.formats if m in old.formats]:
                check(old, new, d, fmt)


tap.run(main)
