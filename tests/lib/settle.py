"""What the guest's own capture leaves behind after capture2.

The guest captures /proc with short-lived processes (cat), twice, a second
apart; the host stops it right after the second capture. A process's
teardown ends after its exit, and on some kernels much later: on 7.x its
maple-tree nodes return through kfree_rcu batches that drain every 5 s, so a
7.2 dump can hold ~50 pages (400 maple_node objects) less slab than capture2
-- more than the drift between the two captures shows (doc/lab.md). Tests
that compare slab numbers with capture2 allow for that much, measured two
ways that check each other:

- counter_moved(): how far the dump's own slab counters (NR_SLAB_*, read by
  memleak; vmstat.t checks them against /proc/vmstat) moved from capture2's
  meminfo;
- walk_moved(): how far memleak's walk of the caches (pages per cache, from
  the node counters of every cache) moved from capture2's /proc/slabinfo,
  beyond each cache's drift.

A cache compared object by object may then differ from capture2 beyond its
drift as long as all such caches together stay within counter_moved() pages;
a counter compared with capture2 may differ by what walk_moved() shows."""

PAGE_KB = 4


def slab_kb(meminfo):
    return meminfo.get("SReclaimable", 0) + meminfo.get("SUnreclaim", 0)


def counter_moved(o, totals):
    """Pages the dump's slab counters moved from capture2; totals: "memleak
    slabtop --json"'s totals."""
    if "SReclaimable_kB" not in totals or "SUnreclaim_kB" not in totals:
        return 0
    dump = totals["SReclaimable_kB"] + totals["SUnreclaim_kB"]
    return abs(dump - slab_kb(o.meminfo(2))) // PAGE_KB


def walk_moved(o, caches):
    """Slab pages by which memleak's caches (name: "slabtop --json" entry)
    differ from capture2's /proc/slabinfo beyond each cache's drift between
    the captures, summed over the caches."""
    si1, si2 = o.slabinfo(1), o.slabinfo(2)
    total = 0
    for name, c in caches.items():
        s2 = si2.get(name)
        if not s2 or not s2["objperslab"]:
            continue
        s1 = si1.get(name, s2)
        pages = lambda s: s["num_objs"] // s["objperslab"] * s["pagesperslab"]  # noqa: E731
        walked = c["bytes"] // (PAGE_KB * 1024)
        total += max(0, abs(walked - pages(s2)) - abs(pages(s1) - pages(s2)))
    return total


def walk_net(o, caches, reclaimable):
    """Slab pages by which memleak's reclaimable (or unreclaimable) caches
    together differ from capture2's /proc/slabinfo: what the guest
    allocated or freed in slabs after capture2, net. A counter compared
    with capture2 may have moved by as much on top of its drift."""
    si2 = o.slabinfo(2)
    total = 0
    for name, c in caches.items():
        s2 = si2.get(name)
        if not s2 or not s2["objperslab"] or bool(c.get("reclaimable")) != reclaimable:
            continue
        total += c["bytes"] // (PAGE_KB * 1024) - \
            s2["num_objs"] // s2["objperslab"] * s2["pagesperslab"]
    return abs(total)


def excess_pages(rows, caches):
    """Pages of objects beyond their tolerance: rows of (name, got, want, tol)."""
    out = 0
    for name, got, want, tol in rows:
        c = caches[name]
        out += (abs(got - want) - tol) * c["pagesperslab"] / max(1, c["objperslab"])
    return out
