#!/usr/bin/python3
"""memleak cma against the guest's own debugfs cma/<area>/ files, read just
before the dump (oracle/cma).

Each area exactly: base_pfn, count, used, maxchunk and order_per_bit. The
module's coherent DMA buffers come from the default area (oracle/expected,
kind cma): used grows by their pages from the "base" dump of the same kernel
(the module loaded, nothing leaked). With page_owner, --stacks finds a
record for every used page, and the stacks through cma_alloc hold at least
the module's pages. On a kernel without CMA areas, the document is one
error naming CONFIG_CMA, or no area, as the guest had none."""
import crashrun
import tap
from fixtures import all_fixtures, required_fixtures
from oracle import Oracle

FIELDS = ("base_pfn", "count", "used", "maxchunk", "order_per_bit")


def check_areas(name, o, doc, base):
    want = o.cma()
    got = {a["name"]: a for a in doc["areas"]}
    tap.ok(set(got) == set(want), f"{name}: the guest's {len(want)} CMA areas",
           f"got {sorted(got)}, want {sorted(want)}")
    bad = [(a, k, got[a][k], w[k]) for a, w in want.items() if a in got
           for k in FIELDS if k in w and got[a][k] != w[k]]
    tap.ok(not bad, f"{name}: each area's {', '.join(FIELDS)} as debugfs shows them", bad[:4])
    tap.eq(doc["used"], sum(a["used"] for a in want.values()), f"{name}: used pages in all")
    mine = sum(e["pages"] for e in o.expected() if e["kind"] == "cma")
    if base is None:
        tap.skip(f"{name}: used grows by the module's coherent buffers", "no base fixture")
    else:
        before = sum(a["used"] for a in base.cma().values())
        tap.eq(doc["used"] - before, mine,
               f"{name}: used grew by the module's {mine} coherent DMA pages since base")


def check_stacks(name, f, doc):
    if not f.page_owner:
        tap.ok("page_owner" in doc.get("stacks_unavailable", ""),
               f"{name}: --stacks says page_owner is missing", doc.get("stacks_unavailable"))
        return
    for a in doc["areas"]:
        tap.eq(a["owner_pages"], a["used"],
               f"{name}: {a['name']}: a page_owner record for each of its used pages")
        via = sum(s["pages"] for s in a["stacks"]
                  if any(fr.startswith("cma_alloc+") for fr in s["stack"]))
        tap.ok(via == a["used"], f"{name}: {a['name']}: its pages allocated through cma_alloc",
               f"{via} of {a['used']}")


def main():
    bases = {f.kernel: Oracle(f.oracle_dir) for f in all_fixtures("base")}
    for f in required_fixtures():
        o = Oracle(f.oracle_dir)
        for fmt in f.formats:
            name = f.name(fmt)
            try:
                outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
                    "memleak cma --json", "memleak cma --stacks --top 0 --json", "memleak cma",
                    "memleak cma -N nosuch --json"])
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            doc = tap.load_json(outs[0], f"{name}: --json parses")
            if doc is None:
                continue
            hidden_kb = o.cma_hidden()
            if hidden_kb:
                tap.eq(doc.get("count", 0) * doc.get("page_size", 0) // 1024, hidden_kb,
                       f"{name}: the areas' pages are the guest's CmaTotal")
                tap.skip(f"{name}: each area as debugfs cma shows it",
                         "the guest kernel has CMA but no CONFIG_CMA_DEBUGFS: no per-area view")
                continue
            if not o.cma():
                tap.ok(("error" in doc and "CONFIG_CMA" in doc["error"]) or doc["areas"] == [],
                       f"{name}: no CMA area, as in the guest: said in one line",
                       doc.get("error"))
                tap.ok(len(outs[2].strip().splitlines()) <= 2,
                       f"{name}: the text says so in a line", outs[2])
                continue
            tap.ok("error" not in doc and isinstance(doc.get("warnings"), list),
                   f"{name}: one document with its warnings", doc.get("error"))
            check_areas(name, o, doc, bases.get(f.kernel))
            st = tap.load_json(outs[1], f"{name}: --stacks --json parses")
            if st is not None:
                check_stacks(name, f, st)
            tap.ok(all(a in outs[2] for a in o.cma()) and "maxchunk" in outs[2],
                   f"{name}: the text's table names every area", outs[2][-300:])
            cut = tap.load_json(outs[3], f"{name}: -N --json parses")
            tap.ok(cut is not None and cut["areas"] == [], f"{name}: -N keeps the areas named")


tap.run(main)
