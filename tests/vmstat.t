#!/usr/bin/python3
"""memleak vmstat against the kernel's own /proc/vmstat and /proc/zoneinfo,
captured in the guest just before the dump (the oracle).

Tolerance: the drift of each counter between the oracle's two captures (one
second apart) plus a small floor. The floor covers what the guest does after
capture2 and before QEMU stops it: its init prints one line and starts
"sleep" -- one short-lived process, i.e. a few dozen pages of anon memory,
page tables and one kernel stack (4 pages, 16 kB), and the faults and
allocations that go with them (events drift more, and the captures' drift
already covers a whole "cat" of each file). Free-page counters get one
per-cpu list refill more: rmqueue_bulk() moves pcp->batch pages (63 on the
lab's 1 GiB guests) out of NR_FREE_PAGES at once -- seen on custom-6.1,
where capture2 and the dump differ by exactly 63 free pages. And free pages
the per-cpu lists took since capture2 (zoneinfo's pagesets count against
vmstat -z's pcp_pages): on custom-7.2 (kmemleak, allocation profiling) the
lists grew by 367 pages after capture2, and the free lists shrank by 261.
Slab pages get a grace period more: objects freed through RCU (maple tree
nodes, files, task structs of the capture's exited processes) leave their
slabs a grace period after the process that used them, so a slab counter
can fall after capture2 by more than the captures' drift shows -- on
debian-7.2 maple_node alone gave back 50 pages between capture2 and the dump
(4 between the captures)."""
import json

import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle

FLOOR_PAGES = 32
PCP_BATCH = 64
RCU_SLAB_PAGES = 64
SLAB_COUNTERS = ("nr_slab_unreclaimable", "nr_slab_reclaimable")


def floor(name):
    # nr_kernel_stack is in kB; every other vmstat item counts pages or events
    if name == "nr_kernel_stack":
        return FLOOR_PAGES * 4
    return FLOOR_PAGES + (PCP_BATCH if name == "nr_free_pages" else 0) + \
        (RCU_SLAB_PAGES if name in SLAB_COUNTERS else 0)


def parse_lines(text):
    out = []
    for line in text.splitlines():
        p = line.split()
        if len(p) == 2 and p[1].isdigit():
            out.append((p[0], int(p[1])))
    return out


def main():
    fx = required_fixtures()
    for f in fx:
        o = Oracle(f.oracle_dir)
        want = o.vmstat()
        order = [l.split()[0] for l in o.capture("vmstat").splitlines() if l.strip()]
        drift = o.drift(lambda c: o.vmstat(c))
        zinfo = o.zoneinfo()
        zdrift = o.drift(lambda c: {(k, f2): v for k, d in o.zoneinfo(c).items()
                                    for f2, v in d.items() if isinstance(v, int)})
        for fmt in f.formats:
            n = f.name(fmt)
            outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
                "memleak vmstat", "memleak vmstat --json", "memleak vmstat --exact --json",
                "memleak vmstat -z --json", "memleak vmstat -n --json",
                "memleak vmstat --drift", "memleak vmstat --bogus", "memleak vmstat -z -n",
                "memleak vmstat | grep -c ."])
            text, js, jexact, jz, jn, tdrift, bad, bad2, alive = outs
            lines = parse_lines(text)
            got = dict(lines)
            tap.eq([k for k, _ in lines], order,
                   f"{n}: every /proc/vmstat name, in the kernel's order")
            tap.ok("names from the kernel's enums" not in text,
                   f"{n}: names read from the dump's vmstat_text[]", text[-300:])
            # pages the per-cpu lists took from the free lists (or gave back)
            # since capture2: free pages in neither count, not used memory
            try:
                moved = {(zz["node"], zz["zone"]): abs(zz["pcp_pages"] -
                                                       zinfo[(zz["node"], zz["zone"])]["pcp"])
                         for zz in json.loads(jz)["zones"]
                         if zz.get("pcp_pages") is not None and
                         "pcp" in zinfo.get((zz["node"], zz["zone"]), {})}
            except (ValueError, KeyError):
                moved = {}

            def tol(k):
                return drift.get(k, 0) + floor(k) + \
                    (sum(moved.values()) if k == "nr_free_pages" else 0)
            off = {k: (got.get(k), v, tol(k)) for k, v in want.items()
                   if k in got and abs(got[k] - v) > tol(k)}
            tap.ok(not off, f"{n}: all {len(want)} values within drift + floor of the oracle",
                   "\n".join(f"{k}: memleak {g} oracle {w} tolerance {t}"
                             for k, (g, w, t) in sorted(off.items())))
            worst = max((abs(got[k] - v) for k, v in want.items() if k in got), default=0)
            tap.diag(f"{n}: largest difference from capture2: {worst}")
            try:
                j, je, z, nd = json.loads(js), json.loads(jexact), json.loads(jz), json.loads(jn)
            except ValueError as e:
                tap.ok(False, f"{n}: --json documents parse", e)
                continue
            tap.eq(j["vmstat"], got, f"{n}: --json has the text's values")
            tap.eq(j["cpus"], 2, f"{n}: both of the guest's cpus read")
            # --exact = printed + the per-cpu deltas --json reports as drift
            exp = {k: v + j["drift"].get(k, 0) for k, v in j["vmstat"].items()}
            tap.eq(je["vmstat"], exp, f"{n}: --exact is the printed value plus the drift")
            tap.ok(all(abs(d) <= 2 * 125 * j["cpus"] for d in j["drift"].values()),
                   f"{n}: per-cpu drift bounded by the stat thresholds", j["drift"])
            tap.ok(("PENDING" in tdrift) == bool(j["drift"]), f"{n}: --drift table", tdrift)
            # per zone, against /proc/zoneinfo
            bad_z = []
            for zz in z["zones"]:
                ref = zinfo.get((zz["node"], zz["zone"]))
                if ref is None:
                    bad_z.append(f"zone {zz['node']}/{zz['zone']} not in zoneinfo")
                    continue
                for k in ("nr_free_pages", "nr_zone_inactive_anon", "nr_mlock", "numa_hit"):
                    if k in ref and k in zz["vmstat"]:
                        zt = zdrift.get(((zz["node"], zz["zone"]), k), 0) + floor(k) + \
                            (moved.get((zz["node"], zz["zone"]), 0) if k == "nr_free_pages" else 0)
                        if abs(zz["vmstat"][k] - ref[k]) > zt:
                            bad_z.append(f"{zz['zone']} {k}: {zz['vmstat'][k]} vs {ref[k]}")
            populated = {k for k, v in zinfo.items() if k[1] and v.get("present", 0) > 0}
            tap.eq({(zz["node"], zz["zone"]) for zz in z["zones"]}, populated,
                   f"{n}: -z lists the populated zones of /proc/zoneinfo")
            tap.ok(not bad_z, f"{n}: -z counters within drift of /proc/zoneinfo", "\n".join(bad_z))
            tot = sum(zz["vmstat"]["nr_free_pages"] for zz in z["zones"])
            tap.ok(abs(tot - got["nr_free_pages"]) <= drift.get("nr_free_pages", 0) + floor("nr_free_pages"),
                   f"{n}: -z nr_free_pages add up to the global", f"{tot} vs {got['nr_free_pages']}")
            # per node, against zoneinfo's per-node stats
            bad_n = []
            for node in nd["nodes"]:
                ref = zinfo.get((node["node"], None), {})
                for k in ("nr_inactive_anon", "nr_file_pages", "nr_slab_unreclaimable"):
                    if k in ref and abs(node["vmstat"][k] - ref[k]) > \
                            zdrift.get(((node["node"], None), k), 0) + floor(k):
                        bad_n.append(f"node {node['node']} {k}: {node['vmstat'][k]} vs {ref[k]}")
            tap.ok(nd["nodes"] and not bad_n, f"{n}: -n counters within drift of zoneinfo's node stats",
                   "\n".join(bad_n) or nd)
            tap.ok("invalid option" in bad and "Usage: memleak vmstat" in bad,
                   f"{n}: bad option prints the usage", bad)
            tap.ok("exclusive" in bad2, f"{n}: -z and -n exclusive", bad2)
            tap.eq(alive.strip(), str(len(order)), f"{n}: session alive, output pipes to grep")


tap.run(main)
