#!/usr/bin/python3
"""memleak vmalloc against the guest's own /proc/vmallocinfo, read just
before the dump (oracle/vmallocinfo).

--vmallocinfo prints the file's lines (its "unpurged vm_area" and
vm_map_ram lines aside): the module's exactly, the others but for the areas
the guest made or freed after the capture -- kernel stacks of the
capture's processes (90% of the lines on both sides).
The JSON's totals per caller are the file's lines summed per caller: the
module's exactly (areas, bytes, pages), and the module's vmalloc leak is
there with as many areas as the module says it leaked. -m and --top cut."""
import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle
from procfs import vmalloc_lines, vmalloc_per_caller

MODULE = "memleak_sample"


def check(name, o, outs):
    want = vmalloc_lines(o.text("vmallocinfo"))
    got = vmalloc_lines(outs[1])
    wm = sorted(ln for ln in want if f"[{MODULE}]" in ln)
    gm = sorted(ln for ln in got if f"[{MODULE}]" in ln)
    tap.ok(wm and gm == wm, f"{name}: --vmallocinfo: the module's {len(wm)} lines as the "
           "guest's file", [x for x in set(wm) ^ set(gm)][:3])
    same = len(set(want) & set(got))
    tap.ok(same >= 0.9 * len(want) and same >= 0.9 * len(got),
           f"{name}: --vmallocinfo: {same} of the file's {len(want)} lines and of memleak's "
           f"{len(got)} the same", sorted(set(want) ^ set(got))[:4])
    doc = tap.load_json(outs[0], f"{name}: --top 0 --json parses")
    if doc is None:
        return
    tap.ok("error" not in doc and isinstance(doc.get("warnings"), list),
           f"{name}: one document with its warnings", doc.get("error"))
    callers = {c["caller"]: c for c in doc["callers"] if c["caller"]}
    tap.ok(sum(c["bytes"] for c in doc["callers"]) == doc["bytes"] and
           sum(c["areas"] for c in doc["callers"]) == doc["areas"],
           f"{name}: the callers add up to the {doc['areas']} areas, {doc['bytes']} bytes")
    pc = vmalloc_per_caller(want)
    bad = [(k, v, callers.get(k)) for k, v in pc.items() if f"[{MODULE}]" in k and
           [callers.get(k, {}).get(x) for x in ("areas", "bytes", "pages")] != v]
    tap.ok(not bad, f"{name}: the module's callers' areas, bytes and pages as the file summed",
           bad[:3])
    for e in o.expected():
        if e["kind"] != "vmalloc" or e.get("held") != "none":
            continue
        n = sum(c["areas"] for k, c in callers.items() if k.startswith(e["function"] + "+"))
        tap.eq(n, e["allocations"], f"{name}: {e['function']}: the {e['allocations']} areas "
               "the module leaked")
    b = [c["bytes"] for c in doc["callers"]]
    tap.ok(b == sorted(b, reverse=True), f"{name}: callers sorted by bytes")
    mod = tap.load_json(outs[2], f"{name}: -m --json parses")
    if mod is not None:
        tap.ok(mod["callers"] and all(f"[{MODULE}]" in (c["caller"] or "") for c in mod["callers"]),
               f"{name}: -m {MODULE} keeps its callers")
    top = tap.load_json(outs[3], f"{name}: --top 3 --json parses")
    if top is not None:
        tap.ok([c["bytes"] for c in top["callers"]] == b[:3], f"{name}: --top 3 the 3 largest")
    tap.ok("vmalloc areas" in outs[4] and "caller" in outs[4], f"{name}: the text's table",
           outs[4][-300:])


def main():
    for f in required_fixtures():
        o = Oracle(f.oracle_dir)
        if not o.has("vmallocinfo"):
            tap.skip(f"{f.name()}: memleak vmalloc", "the fixture has no vmallocinfo capture")
            continue
        for fmt in f.formats:
            name = f.name(fmt)
            try:
                outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
                    "memleak vmalloc --top 0 --json", "memleak vmalloc --vmallocinfo",
                    f"memleak vmalloc -m {MODULE} --json", "memleak vmalloc --top 3 --json",
                    "memleak vmalloc"])
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            check(name, o, outs)


tap.run(main)
