#!/usr/bin/python3
"""memleak allocinfo against the guest's own /proc/allocinfo, read just
before the dump (oracle/allocinfo, kernels with CONFIG_MEM_ALLOC_PROFILING).

The same tags (file, line, module, function, accurate:no); the module's
tags exact in bytes and calls, and its text lines the file's own; the
totals within what the guest allocated between the capture and the dump
(1% of the bytes, or four times the MemFree drift between the two
captures; the calls the same share of theirs: the file is read seconds
before the captures, and the calls that moved since are mostly small). -s calls sorts, --top and --min cut. On kernels without
allocation profiling, the document is one error that says how to build it
in."""
import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle

MODULE = "memleak_sample"


def tag_text(t):
    s = f"{t['file']}:{t['line']}"
    if t["module"]:
        s += f" [{t['module']}]"
    s += f" func:{t['function']}"
    if not t["accurate"]:
        s += " accurate:no"
    return s


def summed(tags):
    out = {}
    for t in tags:
        v = out.setdefault(tag_text(t), [0, 0, 0])
        v[0] += t["bytes"]
        v[1] += t["calls"]
        v[2] += 1
    return out


def check_with_oracle(name, o, doc, mod, text, ai):
    got = summed(doc["tags"])
    tap.ok(set(got) == set(ai) and sum(v[2] for v in got.values()) ==
           sum(v[2] for v in ai.values()),
           f"{name}: the same {sum(v[2] for v in ai.values())} tags as the guest's file",
           f"missing {sorted(set(ai) - set(got))[:3]}, extra {sorted(set(got) - set(ai))[:3]}")
    want_m = {k: v for k, v in ai.items() if f"[{MODULE}]" in k}
    got_m = summed(mod["tags"])
    diff = [k for k in want_m if got_m.get(k) != want_m[k]]
    tap.ok(want_m and not diff and set(got_m) == set(want_m),
           f"{name}: the module's {len(want_m)} tags: bytes and calls exact",
           [(k, got_m.get(k), want_m[k]) for k in diff[:3]])
    lines = {ln.strip() for ln in text.splitlines()}
    want_lines = {f"{v[0]:12d} {v[1]:8d} {k}".strip() for k, v in want_m.items() if v[2] == 1}
    tap.ok(want_lines and want_lines <= lines,
           f"{name}: -m --all prints the module's lines as /proc/allocinfo does",
           sorted(want_lines - lines)[:3])
    mf = o.drift(o.meminfo).get("MemFree", 0) * 1024
    want_b = sum(v[0] for v in ai.values())
    tol = max(0.01 * want_b, 4 * mf)
    tap.ok(abs(doc["bytes_total"] - want_b) <= tol,
           f"{name}: {doc['bytes_total']} bytes live, the guest's file summed {want_b} "
           f"(allowed {tol:.0f})")
    want_c = sum(v[1] for v in ai.values())
    tol_c = want_c * tol / want_b if want_b else 0
    tap.ok(abs(doc["calls_total"] - want_c) <= max(0.01 * want_c, tol_c),
           f"{name}: {doc['calls_total']} live calls, the guest's file summed {want_c} "
           f"(allowed {max(0.01 * want_c, tol_c):.0f})")


def main():
    for f in required_fixtures():
        o = Oracle(f.oracle_dir)
        ai = o.allocinfo()
        for fmt in f.formats:
            name = f.name(fmt)
            cmds = ["memleak allocinfo --all --json", f"memleak allocinfo -m {MODULE} --all --json",
                    f"memleak allocinfo -m {MODULE} --all", "memleak allocinfo -s calls --top 5 --json",
                    "memleak allocinfo --min 1000000 --json", "memleak allocinfo --top 3"]
            try:
                outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), cmds)
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            docs = [tap.load_json(outs[i], f"{name}: {cmds[i]} parses") for i in (0, 1, 3, 4)]
            if any(d is None for d in docs):
                continue
            doc, mod, calls, big = docs
            if ai is None:
                why = doc.get("error", "")
                tap.ok("CONFIG_MEM_ALLOC_PROFILING" in why,
                       f"{name}: without allocation profiling, the document says so and how "
                       "to get it", why)
                lines = [ln for ln in outs[5].splitlines() if ln.strip()]
                tap.ok(len(lines) == 1 and "CONFIG_MEM_ALLOC_PROFILING" in lines[0],
                       f"{name}: ... in one line of text", outs[5][-300:])
                continue
            tap.ok("error" not in doc and isinstance(doc.get("warnings"), list),
                   f"{name}: one document with its warnings", doc.get("error"))
            tap.ok(doc["enabled"], f"{name}: allocation profiling enabled")
            check_with_oracle(name, o, doc, mod, outs[2], ai)
            c = [t["calls"] for t in calls["tags"]]
            tap.ok(len(c) == 5 and c == sorted(c, reverse=True) and
                   c[0] == max(t["calls"] for t in doc["tags"]),
                   f"{name}: -s calls --top 5: the five most calls, in order", c)
            tap.ok(big["tags"] and all(t["bytes"] >= 1000000 for t in big["tags"]) and
                   len(big["tags"]) == sum(t["bytes"] >= 1000000 for t in doc["tags"]),
                   f"{name}: --min 1000000 keeps the tags of at least that many bytes")
            tap.ok(all(t["module"] == MODULE for t in mod["tags"]),
                   f"{name}: -m {MODULE} keeps only its tags")


tap.run(main)
