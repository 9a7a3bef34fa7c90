#!/usr/bin/env python3
"""memleak save and memleak diff on two dumps of one kernel with different
leak counts (scenarios leak2 -> leak): the diff is exactly the difference of
the module's ground truth for its callsites and page_owner stacks, near zero
elsewhere; the orphan scan's unreferenced objects grow by the module's
orphaned ones (within the 1% the scan's recall allows); snapshot-to-snapshot
equals snapshot-to-dump."""
import json
import os
import tempfile

import crashrun
import tap
from fixtures import FORMATS, all_fixtures
from oracle import Oracle


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


def check_orphans(k, old, new, dj):
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
        tap.ok(abs(got - want) <= 0.01 * max(a1, 1) + 1,
               f"{k}: {fn}: unreferenced {kind} grew by {got}, the module orphaned {want} more",
               [r for r in rows if fn in r["caller"]])


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


def check(old, new, d, fmt):
    k = f"{old.kernel}/leak2,leak/{fmt}"
    e_old, e_new = expected(old), expected(new)
    on = Oracle(new.oracle_dir)
    s_old, s_new = os.path.join(d, f"old-{fmt}.json"), os.path.join(d, f"new-{fmt}.json")
    o, _ = crashrun.run(old.vmlinux, old.dump(fmt), [f"memleak save {s_old}"])
    tap.ok(f"snapshot written to {s_old}" in o[0] and os.path.exists(s_old),
           f"{old.name(fmt)}: save says where the snapshot went", o[0])
    snap = json.load(open(s_old))
    tap.ok(snap.get("schema") == "memleak-snapshot" and snap.get("version") == 2,
           f"{old.name(fmt)}: the snapshot is a versioned memleak-snapshot (2)")
    tap.ok(snap.get("zones") and all("free_area" in z and "verdict" in z for z in snap["zones"]),
           f"{old.name(fmt)}: its zones are zone objects, as zones --json shows them")
    s_v1 = os.path.join(d, f"old-{fmt}-v1.json")
    with open(s_v1, "w") as fh:
        json.dump(as_version1(snap), fh)
    outs, _ = crashrun.run(new.vmlinux, new.dump(fmt), [
        f"memleak diff {s_old} --json --top 0", f"memleak save {s_new}",
        f"memleak diff {s_old} {s_new} --json --top 0", f"memleak diff {s_old}",
        f"memleak diff {d}/nonexistent.json", f"memleak diff {s_old} -m memleak_sample --json --top 0",
        f"memleak diff {s_v1} {s_old} --json --top 0", f"memleak diff {s_v1} {s_new} --json --top 0"])
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
    check_orphans(k, old, new, dj)
    dj2 = json.loads(outs[2])
    tap.ok(dj2["callsites"] == dj["callsites"] and dj2["stacks"] == dj["stacks"] and
           dj2.get("orphans") == dj.get("orphans"),
           f"{k}: snapshot-to-snapshot diff equals snapshot-to-dump diff")
    tap.ok("CALLSITES" in outs[3] and "PAGE_OWNER STACKS" in outs[3] and "MEMINFO" in outs[3],
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
            for fmt in FORMATS:
                check(old, new, d, fmt)


tap.run(main)
