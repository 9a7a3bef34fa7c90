#!/usr/bin/python3
"""memleak slabtop and slabtop --by-callsite against the kernel's own view
captured in the guest: /proc/slabinfo, /sys/kernel/slab, meminfo's slab
counters and debugfs alloc_traces; and the module's ground truth."""
import json
import re
from collections import Counter

import crashrun
import tap
from fixtures import required_fixtures
from oracle import NO_STACKS, Oracle
from symname import base_frame
from settle import counter_moved, excess_pages, walk_moved, walk_net


# the same count in /sys/kernel/slab (read first, before the captures)
SYSFS_KEY = {"active_objs": "objects", "num_objs": "total_objects"}


def drift_of(o, cache, key):
    """How far the guest's own readings of a cache's count spread: sysfs
    (the oracle's first read), capture1 and capture2. A cache whose objects
    come and go in bursts (maple tree nodes preallocated and given back
    through RCU, kmemleak's metadata of them) moves by more between the
    reads than in the second between the captures."""
    a, b = o.slabinfo(1).get(cache), o.slabinfo(2).get(cache)
    if not (a and b):
        return 0
    seen = [a[key], b[key]]
    if not hasattr(o, "sysfs_parsed"):
        o.sysfs_parsed = o.slab_sysfs()
    s = o.sysfs_parsed.get(cache, {})
    if isinstance(s.get(SYSFS_KEY[key]), int):
        seen.append(s[SYSFS_KEY[key]])
    return max(seen) - min(seen)


def caller(t):
    """alloc_traces' caller as the kernel printed it, module and all"""
    return base_frame(t["caller"] + (f" [{t['module']}]" if t["module"] else ""))


def stack(t):
    return tuple(base_frame(f) for f in t["stack"])


# objects younger than this (jiffies) when alloc_traces was read belong to
# the capture's own processes, gone by the time of the dump
YOUNG = 25


def young_by(o, cache, key):
    out = Counter()
    for t in o.traces(cache) or []:
        if t["age_min"] < YOUNG:
            out[key(t)] += t["count"]
    return out


def differ(want, mine, young):
    """keys whose counts differ by more than their young objects"""
    return sorted((k, want.get(k, 0), mine.get(k, 0)) for k in set(want) | set(mine)
                  if abs(want.get(k, 0) - mine.get(k, 0)) > young.get(k, 0))


def traces_by(o, cache, key, kind="alloc"):
    """alloc_traces of a cache summed by key(entry) (the kernel also splits
    entries by waste)."""
    out = Counter()
    for t in o.traces(cache, kind) or []:
        out[key(t)] += t["count"]
    return out


def cut(o, cache, kind="alloc"):
    """whether the kernel may have left callers out of the cache's list
    (sysfs alloc_calls: one page)"""
    return getattr(o.traces(cache, kind), "truncated", False)


def listed_only(want, mine):
    """memleak's counts for the keys a cut list shows"""
    return Counter({k: v for k, v in mine.items() if k in want})


def cpuset(text):
    """a kernel cpu/node list ("0-1,3") as a set"""
    out = set()
    for part in (text or "").split(","):
        if "-" in part:
            a, b = part.split("-")
            out.update(range(int(a), int(b) + 1))
        elif part:
            out.add(int(part))
    return out


def merged(entries):
    """one caller's alloc_traces entries (split by waste or stack) as one:
    count, ages (jiffies), pids, cpus, nodes"""
    n = sum(t["count"] for t in entries)
    return {"count": n,
            "age_min": min(t["age_min"] for t in entries),
            "age_max": max(t["age_max"] for t in entries),
            "age_avg": sum(t["age_avg"] * t["count"] for t in entries) / n,
            "pid_min": min(t["pid_min"] for t in entries),
            "pid_max": max(t["pid_max"] for t in entries),
            "cpus": set().union(*(cpuset(t["cpus"]) for t in entries)),
            "nodes": (set().union(*(cpuset(t["nodes"]) for t in entries))
                      if all(t["nodes"] for t in entries) else None)}


def track_details(o, caches, cs, hz):
    """Callers whose count is alloc_traces' exactly: their pids, cpus, nodes
    and ages as the kernel listed them. The kernel's ages are jiffies at the
    moment the guest read the cache's list, memleak's are seconds at the
    dump: within a cache they differ by one constant, that interval.
    Returns (callers compared, [mismatches])."""
    mine = {}
    for s in cs["callsites"]:
        mine.setdefault((s["cache"], base_frame(s["caller"])), []).append(s)
    bad, compared = [], 0
    for c in sorted(caches):
        by = {}
        for t in o.traces(c) or []:
            by.setdefault(caller(t), []).append(t)
        rows = []
        for k, entries in by.items():
            m = mine.get((c, k))
            if k == "<not-available>" or not m or len(m) != 1:
                continue
            m, w = m[0], merged(entries)
            # same count, but young objects may be others (the capture's
            # own processes come and go)
            if m["count"] != w["count"] or m["age_min"] is None or \
                    min(w["age_min"], m["age_min"] * hz) < YOUNG:
                continue
            rows.append((k, m, w))
        # the interval between the guest's read and the dump, in jiffies
        deltas = sorted(d for _k, m, w in rows
                        for d in (m["age_min"] * hz - w["age_min"], m["age_max"] * hz - w["age_max"]))
        if not deltas:
            continue
        delta = deltas[len(deltas) // 2]
        for k, m, w in rows:
            # an object of it younger than the interval: allocated after the
            # guest's read, so the same count is other objects (one freed,
            # one made: a process's files, fs and mm come and go)
            if m["age_min"] * hz < delta - 2 - hz / 10:
                continue
            compared += 1
            why = []
            if (m["pid_min"], m["pid_max"]) != (w["pid_min"], w["pid_max"]):
                why.append(f"pids {m['pid_min']}-{m['pid_max']} vs {w['pid_min']}-{w['pid_max']}")
            if cpuset(m["cpus"]) != w["cpus"]:
                why.append(f"cpus {m['cpus']} vs {w['cpus']}")
            if w["nodes"] is not None and cpuset(m["nodes"]) != w["nodes"]:
                why.append(f"nodes {m['nodes']} vs {w['nodes']}")
            for a in ("age_min", "age_avg", "age_max"):
                # jiffies tick while the kernel walks a big cache for its
                # list (a few on TCG); a wrong clock or field is off by far
                # more than a tenth of a second
                if abs(m[a] * hz - w[a] - delta) > 2 + hz / 10:
                    why.append(f"{a} {m[a]}s vs {w[a]} jiffies + {delta:.0f}")
            if delta < 0:
                why.append(f"dump {delta:.0f} jiffies before the guest's read")
            if why:
                bad.append((c, k, "; ".join(why)))
    return compared, bad


def main():
    fx = required_fixtures()
    for f in fx:
        o = Oracle(f.oracle_dir)
        si1, si2 = o.slabinfo(1), o.slabinfo(2)
        sysfs = o.slab_sysfs()
        mi1, mi2 = o.meminfo(1), o.meminfo(2)
        expected = {e["function"]: e for e in o.expected()}
        # caches whose objects did not move between the two captures
        moved_not = {c for c in o.trace_caches()
                     if c in si1 and c in si2 and si1[c]["active_objs"] == si2[c]["active_objs"]
                     and si1[c]["num_objs"] == si2[c]["num_objs"]}
        for fmt in f.formats:
            n = f.name(fmt)
            cmds = ["memleak slabtop --json", "memleak slabtop",
                    "memleak slabtop --by-callsite --json",
                    "memleak slabtop --by-callsite --stack --json",
                    "memleak slabtop --by-callsite --top 3 -m memleak_sample",
                    "memleak slabtop --bogus",
                    "memleak slabtop -c no-such-cache",
                    "memleak slabtop --by-callsite --free --json -c kmalloc-192,mlsample_bufhandle,"
                    "kmalloc-64,kmem_cache,kmalloc-1k"]
            outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), cmds)
            try:
                st = json.loads(outs[0])
                cs = json.loads(outs[2])
                cstack = json.loads(outs[3])
                cfree = json.loads(outs[7])
            except ValueError as e:
                tap.ok(False, f"{n}: slabtop --json outputs parse", f"{e}\n{outs[0][:300]}\n{outs[2][:300]}")
                continue
            tap.ok(True, f"{n}: slabtop --json outputs parse")
            caches = {c["name"]: c for c in st["caches"]}
            # ... and in the dump: their alloc_traces (taken before capture1)
            # still describe it; the others moved (the capture's own readers
            # allocate seq_files, file structs, buffers)
            stable = {c for c in moved_not
                      if c in caches and caches[c]["active_objs"] == si2[c]["active_objs"]}
            tap.ok(len(stable) > len(moved_not) // 2,
                   f"{n}: most caches that did not move between captures have slabinfo's "
                   f"active count in the dump ({len(stable)} of {len(moved_not)})")
            tap.eq(sorted(caches), sorted(si2), f"{n}: the caches of /proc/slabinfo")

            # --- per cache vs slabinfo and sysfs -------------------------
            bad_shape, bad_total, bad_active, bad_sysfs = [], [], [], []
            for name, c in caches.items():
                s = si2.get(name)
                if not s:
                    continue
                # slabinfo's objsize is the slot (s->size): slabtop's slot_size
                if (c["slot_size"], c["objperslab"], c["pagesperslab"]) != \
                        (s["objsize"], s["objperslab"], s["pagesperslab"]):
                    bad_shape.append((name, c["slot_size"], c["objperslab"], c["pagesperslab"], s))
                tol_n = drift_of(o, name, "num_objs") + 2 * s["objperslab"]
                tol_a = drift_of(o, name, "active_objs") + 2 * s["objperslab"]
                if abs(c["num_objs"] - s["num_objs"]) > tol_n:
                    bad_total.append((name, c["num_objs"], s["num_objs"], tol_n))
                if abs(c["active_objs"] - s["active_objs"]) > tol_a:
                    bad_active.append((name, c["active_objs"], s["active_objs"], tol_a))
                a = sysfs.get(name)
                if a and (a.get("object_size"), a.get("slab_size"), a.get("objs_per_slab"),
                          a.get("order"), a.get("store_user"), a.get("reclaim_account")) != \
                        (c["object_size"], c["slot_size"], c["objperslab"],
                         c["pagesperslab"].bit_length() - 1, int(c["store_user"]),
                         int(c["reclaimable"])):
                    bad_sysfs.append((name, c, a))
            tap.ok(not bad_shape, f"{n}: object size, objects and pages per slab as slabinfo", bad_shape)
            # beyond their drift, caches may together differ by as many pages
            # as the dump's own slab counters moved after capture2 (what the
            # capture's processes left behind: tests/lib/settle.py)
            moved = counter_moved(o, st["totals"])
            ex_n, ex_a = excess_pages(bad_total, caches), excess_pages(bad_active, caches)
            tap.ok(ex_n <= moved, f"{n}: total objects as slabinfo within drift"
                   + (f" (beyond it {ex_n:.0f} pages, the counters moved {moved})" if bad_total else ""),
                   bad_total)
            tap.ok(ex_a <= moved, f"{n}: active objects (freelist walk) as slabinfo within drift"
                   + (f" (beyond it {ex_a:.0f} pages, the counters moved {moved})" if bad_active else ""),
                   bad_active)
            tap.ok(not bad_sysfs, f"{n}: object_size, slab_size, objs_per_slab, order, store_user, "
                   "reclaim_account as /sys/kernel/slab", bad_sysfs[:3])
            mod = caches.get("mlsample_bufhandle")
            tap.ok(mod and mod["active_objs"] == si2["mlsample_bufhandle"]["active_objs"]
                   and mod["num_objs"] == si2["mlsample_bufhandle"]["num_objs"],
                   f"{n}: the module's cache exactly as slabinfo", (mod, si2.get("mlsample_bufhandle")))
            tap.ok(all(c["problem"] is None for c in caches.values()),
                   f"{n}: no cache reported a problem",
                   [(c["name"], c["problem"]) for c in caches.values() if c["problem"]])
            full_walked = all(c["slabs"]["full_listed"] == c["store_user"] for c in caches.values())
            tap.ok(full_walked, f"{n}: full slabs listed exactly for SLAB_STORE_USER caches")
            sorted_ok = all(a["bytes"] >= b["bytes"] for a, b in zip(st["caches"], st["caches"][1:]))
            tap.ok(sorted_ok, f"{n}: sorted by memory")

            # --- totals vs the node counters behind SReclaimable/SUnreclaim
            t = st["totals"]
            # pages the walked caches moved after capture2 (settle.py): the
            # counters may have moved as much
            walked = walk_moved(o, caches) * 4
            d_r = abs(mi1["SReclaimable"] - mi2["SReclaimable"]) + 16 + walked
            # the caches hold what the counter holds with the per-cpu
            # deltas folded; /proc/meminfo printed the global atomic, which
            # lags by the deltas still pending in the dump (a fresh
            # debian-6.1 leak dump: 5 pages, issue 19)
            pending_r = t["SReclaimable_exact_kB"] - t["SReclaimable_kB"]
            tap.ok(abs(t["reclaimable_bytes"] // 1024 - pending_r - mi2["SReclaimable"]) <= d_r,
                   f"{n}: reclaimable slab memory as SReclaimable (per-cpu deltas aside)",
                   (t["reclaimable_bytes"] // 1024, pending_r, mi2["SReclaimable"]))
            # the idle kernel may move a page between capture2 and the dump
            # and by what the unreclaimable caches gained or lost since
            # capture2, net (7.2: maple nodes back from kfree_rcu batches)
            d_u = abs(mi1["SUnreclaim"] - mi2["SUnreclaim"]) + 8 + walked + \
                walk_net(o, caches, False) * 4
            tap.ok(abs(t["SReclaimable_kB"] - mi2["SReclaimable"]) <= d_r,
                   f"{n}: SReclaimable counter read", (t["SReclaimable_kB"], mi2["SReclaimable"]))
            tap.ok(abs(t["SUnreclaim_kB"] - mi2["SUnreclaim"]) <= d_u,
                   f"{n}: SUnreclaim counter read", (t["SUnreclaim_kB"], mi2["SUnreclaim"]))
            tap.eq(t["reclaimable_diff_pages"], 0,
                   f"{n}: reclaimable caches add up to the dump's counter (per-cpu deltas folded)")
            # large kmallocs count as SUnreclaim without being in a cache
            tap.ok(0 <= t["SUnreclaim_exact_kB"] - t["unreclaimable_bytes"] // 1024
                   <= t["SUnreclaim_exact_kB"] // 4,
                   f"{n}: cache memory within the dump's SUnreclaim, per-cpu deltas folded "
                   "(rest: large kmallocs)",
                   (t["unreclaimable_bytes"] // 1024, t["SUnreclaim_kB"], t["SUnreclaim_exact_kB"]))
            tap.ok(re.search(r"^node counters", outs[1], re.M) and "caches;" in outs[1],
                   f"{n}: table has totals and the counters", outs[1][-600:])

            # --- by-callsite vs alloc_traces -----------------------------
            tap.ok(cs["callsites"], f"{n}: --by-callsite found callsites")
            got = Counter()
            for s in cs["callsites"]:
                got[(s["cache"], base_frame(s["caller"]))] += s["count"]
            bad, ncallers = [], 0
            for c in sorted(stable):
                want = traces_by(o, c, caller)
                ncallers += len(want)
                mine = Counter({k[1]: v for k, v in got.items() if k[0] == c})
                if cut(o, c):
                    mine = listed_only(want, mine)
                d = differ(want, mine, young_by(o, c, caller))
                bad += [(c,) + x for x in d]
            # kworkers and the network stack keep allocating between the
            # traces capture and the dump: a handful of callers may move
            tap.ok(len(bad) <= max(3, ncallers // 100),
                   f"{n}: counts per caller equal alloc_traces for {ncallers - len(bad)} of "
                   f"{ncallers} callers in {len(stable)} stable caches", bad[:5])
            if bad:
                tap.diag(f"{n}: callers that moved: {bad[:5]}")
            # pids, cpus, nodes and ages of the callers whose count matched
            ncmp, bad = track_details(o, stable, cs, cs["hz"])
            tap.ok(ncmp and len(bad) <= max(3, ncmp // 100),
                   f"{n}: pids, cpus, nodes and ages per caller as alloc_traces for "
                   f"{ncmp - len(bad)} of {ncmp} callers", bad[:5])
            # by stack: (caller, stack) as alloc_traces' entries, frames and all
            if o.traces_have_stacks() is False:
                tap.skip(f"{n}: stacks and counts equal alloc_traces", NO_STACKS)
            else:
                gots = Counter()
                for s in cstack["callsites"]:
                    gots[(s["cache"], base_frame(s["caller"]),
                          tuple(base_frame(f) for f in s["stack"]))] += s["count"]
                bad = []
                nstacks = 0
                for c in sorted(stable):
                    key = lambda t: (caller(t), stack(t))  # noqa: E731
                    want = traces_by(o, c, key)
                    mine = Counter({k[1:]: v for k, v in gots.items() if k[0] == c})
                    nstacks += len(want)
                    d = differ(want, mine, young_by(o, c, key))
                    bad += [(c,) + x for x in d]
                tap.ok(len(bad) <= max(3, nstacks // 100),
                       f"{n}: stacks and counts equal alloc_traces for {nstacks - len(bad)} of "
                       f"{nstacks} stacks", bad[:3])
            # the free track of allocated objects is what free_traces lists
            bad = []
            for c in ("kmalloc-192", "mlsample_bufhandle", "kmalloc-64", "kmem_cache", "kmalloc-1k"):
                if c not in stable:
                    continue
                want = Counter()
                for tr in o.traces(c, "free") or []:
                    want[caller(tr)] += tr["count"]
                mine = Counter()
                for s in cfree["callsites"]:
                    if s["cache"] == c:
                        mine[base_frame(s["caller"])] += s["count"]
                if cut(o, c, "free"):
                    mine = listed_only(want, mine)
                d = differ(want, mine, young_by(o, c, caller))
                bad += [(c,) + x for x in d if abs(x[1] - x[2]) > 2]
            tap.ok(not bad, f"{n}: --free counts per caller equal free_traces (within 2)", bad)

            # the module's leaks, exactly
            for fn in ("mlsample_spec_attach", "mlsample_bufhandle_alloc",
                       "mlsample_wifi_timer_create"):
                if fn not in expected:
                    continue
                cnt = sum(s["count"] for s in cs["callsites"]
                          if s["caller"].split("+")[0].split(".")[0] == fn)
                tap.eq(cnt, expected[fn]["allocations"], f"{n}: {fn} holds exactly its leaked objects")
                mods = {s["module"] for s in cs["callsites"]
                        if s["caller"].split("+")[0].split(".")[0] == fn}
                tap.eq(mods, {"memleak_sample"}, f"{n}: {fn} is in module memleak_sample")
            txt = outs[4]
            nbuf = expected.get("mlsample_bufhandle_alloc", {}).get("allocations")
            tap.ok(re.search(rf"^\s+{nbuf} mlsample_bufhandle_alloc\+0x[0-9a-f]+/0x[0-9a-f]+ "
                             r"\[memleak_sample\] cache=mlsample_bufhandle", txt, re.M)
                   and " age=" in txt and " pid=" in txt,
                   f"{n}: text groups read like alloc_traces", txt[:800])
            tap.ok(all("[memleak_sample]" in l for l in txt.splitlines()
                       if re.match(r"^\s+\d+ ", l)), f"{n}: --module filters by the caller's module", txt[:800])
            tap.ok("Usage: memleak slabtop" in outs[5] and "invalid option" in outs[5],
                   f"{n}: bad option prints the usage", outs[5])
            tap.ok("no cache named no-such-cache" in outs[6], f"{n}: unknown cache said so", outs[6])


tap.run(main)
