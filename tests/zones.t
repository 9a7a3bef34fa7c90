#!/usr/bin/python3
"""memleak zones against the kernel's own view of the same memory (the oracle
captured in the guest): /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo
and debugfs extfrag, on every fixture and dump format. Counters that move
while the guest idles are compared within the drift measured between the
oracle's two captures, one second apart: per zone, the sum over orders of
how much nr_free moved (blocks) is the budget for any block count, the pages
those blocks hold for page counts (plus 2 of slack). The guest still works
after its last capture (it sends the oracle out), so single counters are not
compared with the drift of that counter alone."""
import json
import re
import time

import crashrun
import tap
from fixtures import all_fixtures
from oracle import Oracle, parse_buddyinfo, parse_index, parse_pagetypeinfo

SLACK = 2


def drift_of(o, parse, name):
    a, b = parse(o.capture(name, 1)), parse(o.capture(name, 2))
    return {k: [abs(x - y) for x, y in zip(a[k], b.get(k, a[k]))] for k in a}


def spread_pagetypeinfo(bdrift, *reads):
    """Widen each zone's per-order drift to the spread of all the guest's
    readings of nr_free: buddyinfo of both captures and the per-migratetype
    sums of pagetypeinfo, read just after it in each. The shell starting the
    next reader frees and takes pages between the two files: on debian-5.10
    the order-1 count read 35 in buddyinfo and 20 in pagetypeinfo of the
    same capture, and the dump had 20."""
    buddy2, buddy1, ptis = reads
    for key in bdrift:
        seen = [buddy2.get(key), buddy1.get(key)]
        for p in ptis:
            rows = [v for (nd, zn, _t), v in p["free"].items() if (nd, zn) == key]
            if rows:
                seen.append([sum(c) for c in zip(*rows)])
        seen = [v for v in seen if v and len(v) == len(bdrift[key])]
        bdrift[key] = [max(bdrift[key][i], max(v[i] for v in seen) - min(v[i] for v in seen))
                       for i in range(len(bdrift[key]))]


def within(got, want, tol):
    return all(abs(g - w) <= t for g, w, t in zip(got, want, tol)) and len(got) == len(want)


def check_fixture(f):
    o = Oracle(f.oracle_dir)
    if not o.has("capture2/buddyinfo"):
        tap.skip(f"{f.name()}: zones", "no oracle capture (the guest panicked first)")
        return None
    buddy = o.buddyinfo()
    bdrift = drift_of(o, parse_buddyinfo, "buddyinfo")
    zinfo, zinfo1 = o.zoneinfo(2), o.zoneinfo(1)
    pti, pti1 = o.pagetypeinfo(2), o.pagetypeinfo(1)
    spread_pagetypeinfo(bdrift, buddy, o.buddyinfo(1), (pti1, pti))
    unus, unus1 = parse_index(o.capture("unusable_index")), parse_index(o.capture("unusable_index", 1))
    extf, extf1 = parse_index(o.capture("extfrag_index")), parse_index(o.capture("extfrag_index", 1))
    times = {}
    for fmt in f.formats:
        n = f.name(fmt)
        cmds = ["memleak zones --json", "memleak zones --buddyinfo", "memleak zones --pagetypeinfo",
                "memleak zones", "memleak zones -o 3", "memleak zones -o 99",
                "memleak zones --bogus", "memleak zones --buddyinfo --json", "memleak zones -o 0",
                "memleak vmstat -z --exact --json"]
        t0 = time.time()
        outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), cmds)
        times[fmt] = time.time() - t0
        try:
            js = json.loads(outs[0])
        except ValueError as e:
            tap.ok(False, f"{n}: zones --json is valid JSON", f"{e}\n{outs[0][:800]}")
            continue
        tap.ok(True, f"{n}: zones --json is valid JSON")
        zones = {(z["node"], z["zone"]): z for z in js["zones"]}
        ztol = {}  # per zone: the block budget of the nr_free checks
        try:
            # NR_FREE_PAGES with the per-cpu deltas not yet folded: busy
            # CPUs (5.10's frag guest) leave dozens of pages pending there
            vz = json.loads(outs[9])["zones"]
            exact = {(z["node"], z["zone"]): z["vmstat"].get("nr_free_pages") for z in vz}
            # free pages on the per-CPU lists (zoneinfo's pagesets count)
            pcp = {(z["node"], z["zone"]): z.get("pcp_pages") for z in vz}
        except (ValueError, KeyError, IndexError):
            exact, pcp = {}, {}
        tap.eq(sorted(zones), sorted(buddy), f"{n}: populated zones as /proc/buddyinfo")
        tap.eq(js["pageblock_order"], pti["pageblock_order"],
               f"{n}: pageblock order as /proc/pagetypeinfo ({js['pageblock_order_source']})")
        tap.eq(js["migratetypes"], pti["types"], f"{n}: migratetype names as the kernel's")
        for key, z in sorted(zones.items()):
            zn = f"{n} node {key[0]} {key[1]}"
            if key not in buddy:
                continue
            zi, zi1 = zinfo[key], zinfo1[key]
            nr_free = [a["nr_free"] for a in z["free_area"]]
            budget = sum(bdrift[key]) + SLACK
            page_budget = sum(d << i for i, d in enumerate(bdrift[key])) + abs(zi["free"] - zi1["free"]) + SLACK
            # pages the per-CPU lists took from the free lists (or gave
            # back) after the last capture: a refill of N pages splits at
            # most N blocks (6.12's frag guest: 32 order-2 blocks)
            moved = abs(pcp[key] - zi["pcp"]) if pcp.get(key) is not None and "pcp" in zi else 0
            # and what the guest allocated or freed after the capture (the
            # oracle it still sends: debian-5.10 took 58 pages in order-1
            # and order-2 blocks then), as the zone's own NR_FREE_PAGES in
            # the dump says against capture2's: N pages change N blocks at most
            gone = abs(exact[key] - zi["free"]) if exact.get(key) is not None and "free" in zi else 0
            moved += gone
            tol = [budget + moved] * len(nr_free)
            ztol[key] = budget + moved
            tap.diag(f"{zn}: drift between captures {budget - SLACK} blocks, {page_budget - SLACK} pages; "
                     f"dump vs capture2: {sum(abs(a - b) for a, b in zip(nr_free, buddy[key]))} blocks")
            tap.ok(within(nr_free, buddy[key], tol), f"{zn}: nr_free per order as /proc/buddyinfo",
                   f"memleak {nr_free}\nkernel  {buddy[key]}\ndrift   {bdrift[key]}\n"
                   f"pages to/from the per-CPU lists and the zone since the capture {moved}")
            for fld in ("managed", "present", "spanned"):
                tap.eq(z[fld], zi[fld], f"{zn}: {fld} as /proc/zoneinfo")
            # older zoneinfo (5.10) prints no boost line; min/low/high
            # include the boost either way (min_wmark_pages())
            wm = [k for k in ("min", "low", "high", "boost") if k in zi]
            got_wm = [z["watermark"][k] for k in wm]
            want_wm = [zi[k] for k in wm]
            # the boost (boost_watermark() on a fallback) is transient:
            # kswapd clears it once the zone is balanced, which it may have
            # done between capture2 and the dump; the watermarks under it
            # (_watermark[], set by __setup_per_zone_wmarks()) do not move
            if "boost" in wm and got_wm != want_wm:
                zb, gb = zi["boost"], z["watermark"]["boost"]
                got_wm = [v - gb if k != "boost" else 0 for k, v in zip(wm, got_wm)]
                want_wm = [v - zb if k != "boost" else 0 for k, v in zip(wm, want_wm)]
                tap.diag(f"{zn}: boost {zb} at capture2, {gb} at the dump: "
                         "watermarks compared without it")
            tap.eq(got_wm, want_wm, f"{zn}: watermarks {'/'.join(wm)} as /proc/zoneinfo")
            tap.eq(z["lowmem_reserve"], zi["protection"], f"{zn}: lowmem_reserve as zoneinfo protection")
            tap.ok(abs(z["free"] - zi["free"]) <= page_budget + moved, f"{zn}: free pages as /proc/zoneinfo",
                   f"memleak {z['free']} kernel {zi['free']} drift {page_budget}, per-CPU lists {moved}")
            ex = exact.get(key)
            tap.ok(ex is not None and abs(ex - sum(n << i for i, n in enumerate(nr_free))) <= SLACK,
                   f"{zn}: free pages (per-cpu deltas folded) = pages on the free lists, in the dump",
                   f"free {z['free']}, exact {ex}, on the lists {sum(n << i for i, n in enumerate(nr_free))}")
            # per-migratetype free-list counts (a free_list walk) vs pagetypeinfo
            if z["free_lists"] == "ok":
                bad = []
                for t in pti["types"]:
                    want = pti["free"][(key[0], key[1], t)]
                    got = [min(a["by_migratetype"][t], 100000) for a in z["free_area"]]
                    if not within(got, want, tol):
                        bad.append(f"{t}: memleak {got} kernel {want}")
                tap.ok(not bad, f"{zn}: free_list counts per migratetype as /proc/pagetypeinfo",
                       "\n".join(bad))
                tap.ok(all(sum(a["by_migratetype"].values()) == a["nr_free"] for a in z["free_area"]),
                       f"{zn}: walked lists add up to nr_free")
            else:
                tap.ok(fmt == "d31", f"{zn}: free lists unreadable only in a -d 31 dump",
                       z["free_lists"])
                tap.ok("not in the dump" in outs[3], f"{zn}: the table says the lists are not in the dump")
            bwant = pti["blocks"][key]
            bw1 = pti1["blocks"].get(key, bwant)
            tap.ok(z["pageblocks"] is not None and
                   all(abs(z["pageblocks"][t] - bwant[t]) <= abs(bwant[t] - bw1.get(t, bwant[t]))
                       for t in bwant),
                   f"{zn}: pageblock migratetypes as /proc/pagetypeinfo", f"{z['pageblocks']} vs {bwant}")
            # pageblocks with an allocation of another migratetype, as the
            # kernel counts them from page_owner (mm/page_owner.c); within
            # what moved between the captures, plus one block
            mwant = pti["mixed"].get(key)
            if mwant is None:
                tap.ok(z["mixed_pageblocks"] is None and
                       "page_owner" in (js["mixed_pageblocks_unavailable"] or ""),
                       f"{zn}: no mixed blocks where the kernel prints none, and why",
                       str(js["mixed_pageblocks_unavailable"]))
            else:
                mw1 = pti1["mixed"].get(key, mwant)
                tap.ok(z["mixed_pageblocks"] is not None and
                       all(abs(z["mixed_pageblocks"][t] - mwant[t]) <= abs(mwant[t] - mw1.get(t, mwant[t])) + 1
                           for t in mwant),
                       f"{zn}: mixed pageblocks as /proc/pagetypeinfo (page_owner)",
                       f"{z['mixed_pageblocks']} vs {mwant} (capture1 {mw1})")
            # indexes vs debugfs extfrag, within the change between captures
            for name, mine, k2, k1 in (("unusable_index", z["unusable_index"], unus, unus1),
                                       ("extfrag_index", z["extfrag_index"], extf, extf1)):
                if key not in k2:
                    tap.skip(f"{zn}: {name}", "no debugfs extfrag in this kernel")
                    continue
                same = nr_free == buddy[key]
                if same:
                    tl = [0.0005] * len(mine)
                else:
                    tl = [max(abs(a - b) for a, b in zip(k2[key], k1.get(key, k2[key]))) + 0.0005
                          + page_budget / max(1, zi["free"])] * len(mine)
                tap.ok(within(mine, k2[key], tl),
                       f"{zn}: {name} as debugfs extfrag/{name} ({'exact' if same else 'within drift'})",
                       f"memleak {mine}\nkernel  {k2[key]}")
            # the verdict agrees with the kernel's own view at capture2: its
            # extfrag_index (-1: a block of that order is free somewhere)
            # and its pagetypeinfo (on which lists). An ordinary request
            # may only use the Unmovable/Movable/Reclaimable lists
            # (__zone_watermark_ok: not HighAtomic, CMA, Isolate), so -1
            # with such a block is never "fragmented"; a request the
            # kernel says fails is never "succeeds". Orders where the
            # kernel's answer moved between the captures, or where the
            # dump's usable blocks of that order and above appeared or
            # vanished after capture2 (measured on the dump's free lists),
            # are not compared.
            usable_t = pti["types"][:pti["types"].index("HighAtomic")] if "HighAtomic" in pti["types"] \
                else pti["types"][:3]

            def usable_k(o):    # capture2: a usable block of order >= o
                return any(sum(pti["free"].get((key[0], key[1], t), [])[o:]) for t in usable_t)

            def usable_d(o):    # the dump, memleak's walk of the lists
                return any(a["by_migratetype"].get(t, 0) for a in z["free_area"][o:] for t in usable_t)
            ok, compared, bad = True, 0, []
            for order, (v, e, e1) in enumerate(zip(z["verdict"], extf.get(key, []), extf1.get(key, []))):
                if e != e1:
                    continue  # the kernel's own answer moved between captures
                if (usable_k(order) != usable_d(order)) if z["free_lists"] == "ok" else \
                        ((sum(buddy[key][order:]) > 0) != (sum(nr_free[order:]) > 0)):
                    continue  # the free lists moved after capture2 (-d 31: by nr_free)
                compared += 1
                if (e == -1.0 and usable_k(order) and v == "fragmented") or \
                        (e >= 0 and sum(nr_free) and v == "succeeds"):
                    ok = False
                    bad.append(order)
            tap.diag(f"{zn}: verdicts compared with the kernel's at {compared} of {len(z['verdict'])} orders")
            tap.ok(ok, f"{zn}: verdicts agree with the kernel's extfrag_index",
                   f"{z['verdict']}\n{extf.get(key)}\norders {bad}")
            # exact where the dump's free lists equal capture2's; else the
            # guest split or merged a large block after its captures (7.2's
            # frag guest: an order-4 block in capture1, gone in capture2,
            # back in the dump): within the orders the two captures saw
            def largest(counts):
                return max((i for i, c in enumerate(counts) if c), default=-1)
            l2 = largest(buddy[key])
            l1 = largest(o.buddyinfo(1).get(key, buddy[key])) if nr_free != buddy[key] else l2
            tap.ok(min(l1, l2) <= z["largest_free_order"] <= max(l1, l2),
                   f"{zn}: largest free order as /proc/buddyinfo"
                   f"{'' if nr_free == buddy[key] else ' (within the captures)'}",
                   f"memleak {z['largest_free_order']}, capture2 {l2}, capture1 {l1}")
        # /proc formats, line for line
        bl = outs[1].splitlines()
        want = o.capture("buddyinfo").splitlines()
        same = outs[1] == o.capture("buddyinfo")
        tap.ok(same or (len(bl) == len(want) and all(
            within([int(x) for x in a.split()[4:]], [int(x) for x in b.split()[4:]],
                   [ztol.get((int(b.split()[1].rstrip(",")), b.split()[3]),
                             sum(bdrift[(int(b.split()[1].rstrip(",")), b.split()[3])]) + SLACK)] * 99)
            and a.split()[:4] == b.split()[:4] for a, b in zip(bl, want))),
            f"{n}: --buddyinfo reproduces /proc/buddyinfo (byte-identical: {same})",
            f"memleak:\n{outs[1]}\nkernel:\n{o.capture('buddyinfo')}")
        # pagetypeinfo, with "Number of mixed blocks" where page_owner is on
        kp = o.capture("pagetypeinfo")
        same = outs[2] == kp
        mp = parse_pagetypeinfo(outs[2])
        tap.ok(same or (mp["free"].keys() == pti["free"].keys() and mp["blocks"] == pti["blocks"]
                        and mp["mixed"].keys() == pti["mixed"].keys()
                        and outs[2].count("\n") == kp.count("\n")),
               f"{n}: --pagetypeinfo reproduces /proc/pagetypeinfo (byte-identical: {same})",
               f"memleak:\n{outs[2]}\nkernel:\n{kp}")
        tap.ok(all(re.search(rf"^Node {nd}, zone {zn}\b.*managed", outs[3], re.M)
                   for nd, zn in buddy) and "pages of 4 KiB" in outs[3],
               f"{n}: table has every zone and states its units", outs[3][:600])
        # a zone the log's OOM / allocation failure could use is marked "*"
        rows = [l for l in outs[4].splitlines() if re.match(r"\s+\d+\s+\S+(\s+\*)?\s+\d+", l)]
        tap.ok("order-3 requests" in outs[4] and len(rows) == len(buddy),
               f"{n}: -o 3 prints one row per zone", outs[4])
        tap.ok("memleak zones: option '-o' takes a number from 0 to " in outs[5] and "not '99'" in outs[5]
               and "Usage: memleak zones" in outs[5],
               f"{n}: -o 99 is a usage error", outs[5])
        tap.ok("invalid option" in outs[6] and "Usage:" in outs[6], f"{n}: bad option is a usage error",
               outs[6])
        tap.ok("choose one of" in outs[7], f"{n}: conflicting modes refused", outs[7])
        tap.ok("order-0 requests" in outs[8], f"{n}: the session survives usage errors", outs[8])
    tap.diag(f"{f.name()}: crash runs (9 commands incl. startup): " +
             ", ".join(f"{k} {v:.1f}s" for k, v in times.items()))
    return unus


def check_scenarios(fx):
    """The frag scenario fragments memory, the leak scenario does not: the
    unusable free space index of the biggest zone the kernel's own debugfs
    index says fragmented (on a HighMem kernel the module's GFP_KERNEL pages
    fragment lowmem only), as memleak computes it, orders the two dumps as
    the kernel's does."""
    by = {}
    for f in fx:
        outs, _ = crashrun.run(f.vmlinux, f.dump(f.formats[0]), ["memleak zones --json"])
        js = json.loads(outs[0])
        o = Oracle(f.oracle_dir)
        idx = parse_index(o.capture("unusable_index"))
        by.setdefault(f.kernel, {})[f.scenario] = {(z["node"], z["zone"]): (z, idx.get((z["node"], z["zone"])))
                                                   for z in js["zones"]}
        by[f.kernel][f.scenario + "_fixture"] = f
    for kernel, sc in by.items():
        if "frag" not in sc or "leak" not in sc:
            continue

        def rise(key):
            fk, lk = sc["frag"][key][1], sc["leak"].get(key, (None, None))[1]
            return max(a - b for a, b in zip(fk, lk)) if fk and lk else -1
        # the biggest zone among those that fragmented (> 0.5 at some order)
        frag = [k for k in sc["frag"] if rise(k) > 0.5] or list(sc["frag"])
        key = max(frag, key=lambda k: sc["frag"][k][0]["managed"])
        (fz, fk), (lz, lk) = sc["frag"][key], sc["leak"][key]
        # the order where the kernel's own index rose most between the two
        # dumps: memleak's rises there too
        o = max(range(len(fk)), key=lambda i: fk[i] - lk[i])
        tap.ok(fk[o] - lk[o] > 0.5 and fz["unusable_index"][o] - lz["unusable_index"][o] > 0.5,
               f"{kernel}: frag dump's order-{o} unusable index far above the leak dump's, as the kernel's",
               f"frag {fz['unusable_index']}\nleak {lz['unusable_index']}\nkernel frag {fk}\nkernel leak {lk}")

        def small(z):  # free pages in blocks below order 3
            return sum(a["nr_free"] << a["order"] for a in z["free_area"] if a["order"] < 3)
        tap.ok(small(fz) > 10 * max(1, small(lz)),
               f"{kernel}: frag dump holds many more free pages in small blocks",
               f"frag {small(fz)}, leak {small(lz)}")
        # where the kernel's own extfrag_index says a request fails for
        # fragmentation (> 0.5 in both captures), memleak says "fragmented"
        o = Oracle(sc["frag_fixture"].oracle_dir)
        key = (fz["node"], fz["zone"])
        e2 = parse_index(o.capture("extfrag_index"))[key]
        e1 = parse_index(o.capture("extfrag_index", 1))[key]
        frag_orders = [i for i, (a, b) in enumerate(zip(e1, e2)) if a > 0.5 and b > 0.5]
        cma = o.pagetypeinfo()["blocks"].get(key, {}).get("CMA", 0)
        if not frag_orders and cma:
            # fragmentation_index() counts free blocks of every migratetype:
            # the free pageblocks of a CMA area serve it at every order,
            # though only movable requests may use them
            tap.skip(f"{kernel}: orders the kernel's extfrag_index calls fragmented are "
                     "'fragmented'", "the kernel's index counts the CMA area's free "
                     f"pageblocks ({cma}): no order is fragmented by it")
            continue
        tap.ok(frag_orders and all(fz["verdict"][i] == "fragmented" for i in frag_orders),
               f"{kernel}: orders the kernel's extfrag_index calls fragmented are 'fragmented' "
               f"(orders {frag_orders})", f"kernel {e2}\nmemleak {fz['verdict']}")


def check_oom(f):
    """A dump taken at OOM: the log's OOM report is found and highlighted."""
    o = Oracle(f.oracle_dir)
    dm = o.text("dmesg") if o.has("dmesg") else ""
    fmt = "kdump" if "kdump" in f.formats else f.formats[0]
    outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), ["memleak zones --json", "memleak zones"])
    js = json.loads(outs[0])
    ev = js.get("log_event")
    tap.ok(ev is not None and ev["kind"] in ("oom", "page_allocation_failure"),
           f"{f.name()}: OOM report found in the dump's log", ev)
    if not ev:
        return
    m = re.findall(r"invoked oom-killer: gfp_mask=(0x[0-9a-f]+)\S*, order=(\d+)", dm)
    if m:
        tap.eq((ev["gfp_mask"], ev["order"]), (int(m[-1][0], 16), int(m[-1][1])),
               f"{f.name()}: OOM order and gfp as the guest's dmesg")
    tap.ok(any(z["log_event_zone"] for z in js["zones"]) and "kernel log:" in outs[1],
           f"{f.name()}: the OOM's zones are highlighted", outs[1][:600])
    tap.ok(any(z["log_event_zone"] and z["verdict"][ev["order"]] != "succeeds" for z in js["zones"]),
           f"{f.name()}: the OOM's order fails in an eligible zone",
           [(z["zone"], z["verdict"][ev["order"]], z["free"], z["watermark"]) for z in js["zones"]])


def zones_fixtures():
    """the module's leaks, fragmented memory, and the dump taken at OOM"""
    return all_fixtures("leak") + all_fixtures("frag") + all_fixtures("oom")


def main():
    fx = zones_fixtures()
    if not fx:
        tap.bail("no fixtures (run through tests/run)")
    for f in fx:
        if f.scenario == "oom":
            check_oom(f)
        else:
            check_fixture(f)
    check_scenarios([f for f in fx if f.scenario in ("leak", "frag")])


tap.run(main)
