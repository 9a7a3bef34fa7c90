#!/usr/bin/python3
"""make demo's analysis step, scripts/demo, as a new user runs it: it exits
0, crash loaded memleak and answered every command, and the demo's callsite
table shows the leak module's slab leaks with the counts the module itself
reported in the guest (oracle/expected), not numbers taken from memleak."""
import os
import re
import subprocess

import tap
from fixtures import TOP, all_fixtures
from oracle import Oracle


def main():
    env = dict(os.environ)
    p = subprocess.run(["scripts/demo"], cwd=TOP, env=env, capture_output=True, text=True,
                       timeout=1800)
    out = p.stdout + p.stderr
    tap.ok(p.returncode == 0, f"scripts/demo exits 0 (status {p.returncode})", out[-1500:])
    tap.ok("shared object loaded" in out, "the demo's crash session loaded memleak.so", out[:800])
    for c in ("memleak probe", "memleak summary", "memleak meminfo --ledger",
              "memleak slabtop --by-callsite -m memleak_sample", "memleak zones -o 3"):
        tap.ok(f"crash> {c}" in out, f"the demo ran '{c}'")
    tap.ok(re.search(r"^SUSPECTS", out, re.M), "the summary ranks suspects", out[-1500:])
    # the fixture the demo used: debian-6.1 leak unless the user chose another
    kernel = os.environ.get("MEMLEAK_DEMO_KERNEL", "debian-6.1")
    scen = os.environ.get("MEMLEAK_DEMO_SCENARIO", "leak")
    fx = [f for f in all_fixtures(scen) if f.kernel == kernel]
    if not fx:
        tap.skip("the demo's callsites as the module reported", f"no {kernel}/{scen} fixture here")
        return
    o = Oracle(fx[0].oracle_dir)
    sect = out.split("crash> memleak slabtop --by-callsite -m memleak_sample", 1)[-1]
    sect = sect.split("crash> ", 1)[0]
    got = {}
    for m in re.finditer(r"^\s+(\d+) (\w+)[.+]", sect, re.M):
        got[m.group(2)] = got.get(m.group(2), 0) + int(m.group(1))
    for e in o.expected():
        if e["kind"] != "slab" or not e["leak"] or not e["allocations"]:
            continue    # page leaks are not slab objects; kept objects are no leak
        tap.eq(got.get(e["function"]), e["allocations"],
               f"the demo shows {e['function']}'s {e['allocations']} objects, as the module reported")


tap.run(main)
