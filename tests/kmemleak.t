#!/usr/bin/python3
"""memleak kmemleak against the guest's own /sys/kernel/debug/kmemleak,
read after two scans just before the dump (oracle/kmemleak, kernels with
CONFIG_DEBUG_KMEMLEAK).

Exact for the module's objects: the same addresses and sizes reported,
with the same comm, pid, jiffies and backtrace, and the text of
--objects prints the same first line per object. The total reported is
within 1% (objects freed between the capture and the dump). Every object
on object_list is counted in one state, and the reported groups add up.
On kernels without kmemleak, the document is one error that says how to
build it in; -m and --top filter, and the text report ends with its
totals."""
import re

import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle

MODULE = "memleak_sample"
TAG = f"[{MODULE}]"


def module_objects(km):
    """the oracle's objects whose backtrace passes through the module"""
    return {a: v for a, v in km.items() if any(TAG in fr for fr in v["stack"])}


def check_with_oracle(name, doc, objs, text, km):
    want = module_objects(km)
    got = {int(o["address"], 16): o for o in objs["list"] if o["state"] == "reported"}
    tap.ok(set(got) == set(want),
           f"{name}: the module's reported objects are the guest's ({len(got)} of {len(want)})",
           f"missing {sorted(hex(a) for a in set(want) - set(got))[:5]}, "
           f"extra {sorted(hex(a) for a in set(got) - set(want))[:5]}")
    same = [a for a in set(got) & set(want)
            if got[a]["size"] == want[a]["size"] and got[a]["comm"] == want[a]["comm"] and
            got[a]["pid"] == want[a]["pid"] and got[a]["jiffies"] == want[a]["jiffies"]]
    tap.ok(want and len(same) == len(want),
           f"{name}: size, comm, pid and jiffies match on {len(same)} of {len(want)} objects")
    stacks = [a for a in set(got) & set(want) if got[a]["stack"] == want[a]["stack"]]
    bad = next((a for a in set(got) & set(want) if got[a]["stack"] != want[a]["stack"]), None)
    tap.ok(want and len(stacks) == len(want),
           f"{name}: backtraces match on {len(stacks)} of {len(want)} objects",
           bad and f"{hex(bad)}: {got[bad]['stack']} != {want[bad]['stack']}")
    crcs = [a for a in set(got) & set(want) if got[a]["crc"] == want[a].get("crc")]
    tap.ok(want and len(crcs) == len(want),
           f"{name}: the checksums match on {len(crcs)} of {len(want)} objects")
    n, m = doc["objects"]["reported"]["count"], len(km)
    tap.ok(abs(n - m) <= max(2, 0.01 * m),
           f"{name}: {n} objects reported, the guest's file listed {m}")
    headers = re.findall(r"^unreferenced object .*:$", text, re.M)
    want_h = {v["header"] for v in want.values()}
    tap.ok(headers and set(headers) == want_h,
           f"{name}: --objects -m prints kmemleak's first line for each of the module's objects",
           f"{len(set(headers) & want_h)} of {len(want_h)} the same")


def check_totals(name, doc):
    st = doc["objects"]
    tap.ok(sum(st[k]["count"] for k in ("reported", "unreported", "new", "referenced",
                                        "ignored", "freed")) + st["unreadable"] == st["walked"],
           f"{name}: every object on object_list is in one state", st)
    tap.ok(sum(g["count"] for g in doc["groups"]) == st["reported"]["count"],
           f"{name}: the groups add up to the reported objects")
    tap.ok(doc["kmemleak"]["enabled"] and doc["kmemleak"]["scanned"],
           f"{name}: kmemleak enabled and scanned (the guest scanned twice)", doc["kmemleak"])
    tap.ok(isinstance(doc.get("warnings"), list) and "error" not in doc,
           f"{name}: one document with its warnings", doc.get("error"))


def main():
    for f in required_fixtures():
        o = Oracle(f.oracle_dir)
        km = o.kmemleak()
        for fmt in f.formats:
            name = f.name(fmt)
            cmds = ["memleak kmemleak --json", f"memleak kmemleak -m {MODULE} --objects --json",
                    f"memleak kmemleak -m {MODULE} --objects", "memleak kmemleak --top 2"]
            try:
                outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), cmds)
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            doc = tap.load_json(outs[0], f"{name}: kmemleak --json parses")
            objs = tap.load_json(outs[1], f"{name}: kmemleak -m --objects --json parses")
            if doc is None or objs is None:
                continue
            if km is None:
                # the guest had no kmemleak file: not built in, or off
                why = doc.get("error") or " ".join(doc.get("warnings", []))
                tap.ok("CONFIG_DEBUG_KMEMLEAK" in why or "kmemleak=on" in why,
                       f"{name}: without kmemleak, the document says so and how to get it", why)
                lines = [ln for ln in outs[3].splitlines() if ln.strip()]
                tap.ok(len(lines) == 1 and "CONFIG_DEBUG_KMEMLEAK" in lines[0],
                       f"{name}: ... in one line of text", outs[3][-300:])
                continue
            check_totals(name, doc)
            tap.ok(all(g["module"] == MODULE for g in objs["groups"]),
                   f"{name}: -m {MODULE} keeps only its callsites")
            check_with_oracle(name, doc, objs, outs[2], km)
            tap.ok(doc["shown_groups"] == len(doc["groups"]) and
                   re.search(r"^\d+ of \d+ groups, \d+ of \d+ objects shown$", outs[3], re.M) and
                   len(re.findall(r"^ +\d+ \S", outs[3], re.M)) <= 2,
                   f"{name}: --top 2 shows at most 2 groups and the count line", outs[3][-400:])


tap.run(main)
