#!/usr/bin/python3
"""memleak pageowner against the kernel's own page_owner: the debugfs capture
taken in the guest just before the dump, grouped by the kernel's own
tools/vm/page_owner_sort --cull stacktrace (built from Debian's
linux-source-6.1, outside the repository), the module's ground truth
(oracle/expected) and /proc/zoneinfo's free and per-cpu pages."""
import bisect
import os
import re
import subprocess
import tarfile

import crashrun
import tap
from fixtures import all_fixtures, required_fixtures
from oracle import Oracle
from symname import base_frame

CACHE = os.environ.get("MEMLEAK_CACHE", os.path.expanduser("~/.cache/memleak"))
SOURCE = os.environ.get("MEMLEAK_LINUX_SOURCE", "/usr/src/linux-source-6.1.tar.xz")


def page_owner_sort():
    """The kernel's page_owner_sort, built once in the cache; (path, why-not)."""
    d = os.path.join(CACHE, "tools")
    exe = os.path.join(d, "page_owner_sort")
    if os.access(exe, os.X_OK):
        return exe, None
    if not os.path.exists(SOURCE):
        return None, f"{SOURCE} missing (apt-get install linux-source-6.1)"
    os.makedirs(d, exist_ok=True)
    src = os.path.join(d, "page_owner_sort.c")
    with tarfile.open(SOURCE) as t:
        # tools/vm in 6.1, tools/mm from 6.2
        for m in t:
            if m.isfile() and re.search(r"/tools/(vm|mm)/page_owner_sort\.c$", m.name):
                with t.extractfile(m) as f, open(src + ".tmp", "wb") as o:
                    o.write(f.read())
                os.replace(src + ".tmp", src)
                break
        else:
            return None, f"no page_owner_sort.c in {SOURCE}"
    p = subprocess.run(["gcc", "-O2", "-o", exe + ".tmp", src], capture_output=True, text=True)
    if p.returncode:
        return None, f"gcc page_owner_sort.c failed: {p.stderr[-300:]}"
    os.replace(exe + ".tmp", exe)
    return exe, None


def sort_cull_stacktrace(exe, capture):
    """{stack (normalized frames): pages} as page_owner_sort --cull stacktrace
    prints them ("N times, P pages:" then the frames)."""
    out = capture + ".sorted"
    p = subprocess.run([exe, "--cull", "stacktrace", capture, out], capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"page_owner_sort failed: {p.stderr[-300:]}")
    groups = {}
    with open(out) as f:
        text = f.read()
    os.unlink(out)
    for block in text.split("\n\n"):
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines:
            continue
        m = re.match(r"(\d+) times, (\d+) pages", lines[0])
        if not m:
            continue
        # a migrated page's note is part of the kernel's text, not the stack
        k = tuple(base_frame(l) for l in lines[1:] if not l.startswith("Page has been migrated"))
        groups[k] = groups.get(k, 0) + int(m.group(2))
    return groups


def sort_cull_task(exe, capture, rule):
    """{pid or comm: pages} from page_owner_sort --cull pid|name."""
    out = capture + "." + rule
    p = subprocess.run([exe, "--cull", rule, capture, out], capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"page_owner_sort failed: {p.stderr[-300:]}")
    groups = {}
    with open(out) as f:
        for line in f:
            m = re.match(r"(\d+) times, (\d+) pages, (?:PID (\d+)|task_comm_name: (.*))$",
                         line.rstrip("\n"))
            if m:
                k = int(m.group(3)) if m.group(3) else m.group(4)
                groups[k] = groups.get(k, 0) + int(m.group(2))
    os.unlink(out)
    return groups


def stacks_by_frames(doc):
    out = {}
    for s in doc["stacks"]:
        k = tuple(base_frame(f) for f in s["stack"])
        a = out.setdefault(k, {"pages": 0, "allocations": 0, "ts_max": 0})
        a["pages"] += s["pages"]
        a["allocations"] += s["allocations"]
        a["ts_max"] = max(a["ts_max"], s["ts_max_nsec"])
    return out


def allocated_pages(o, n):
    """/proc/zoneinfo: managed - free - per-cpu free lists, summed over zones."""
    text = o.capture("zoneinfo", n)
    zi = o.zoneinfo(n)
    managed = sum(v.get("managed", 0) for k, v in zi.items() if k[1])
    free = sum(v.get("free", 0) for k, v in zi.items() if k[1])
    pcp = sum(int(x) for x in re.findall(r"^\s+count:\s+(\d+)", text, re.M))
    return managed - free - pcp


def check_no_page_owner(f):
    for fmt in f.formats:
        n = f.name(fmt)
        outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), ["memleak pageowner",
                                                        "memleak pageowner --unaccounted --json"])
        text, js = outs
        lines = text.strip().splitlines()
        tap.ok(len(lines) == 1 and lines[0].startswith("memleak pageowner: page_owner is not "
                                                       "compiled in") and
               "CONFIG_PAGE_OWNER" in lines[0] and "page_owner=on" in lines[0],
               f"{n}: one line says page_owner is not compiled in and how to fix it", text)
        # --json: one document, its "error" that line
        doc = tap.load_json(js, f"{n}: --json without page_owner")
        if doc is not None:
            err = doc.get("error", "")
            tap.ok(set(doc) == {"error", "warnings"} and
                   err.startswith("page_owner is not compiled in") and
                   "CONFIG_PAGE_OWNER" in err and "page_owner=on" in err,
                   f"{n}: --json: the error says page_owner is not compiled in and how to fix it",
                   js)
        # the matrix names what the kernel lacks
        tap.skip(f"{n}: page_owner records against the kernel's",
                 "the kernel has no page_owner (built without CONFIG_PAGE_OWNER)")


def check_page_owner(f, exe, why):
    o = Oracle(f.oracle_dir)
    exp = {e["function"]: e for e in o.expected()}
    hole = next((e for e in exp.values() if e["kind"] == "pages" and e["leak"]), None)  # alloc_pages leak
    capture = os.path.join(f.oracle_dir, "page_owner")
    cap_text = o.text("page_owner")
    # the capture ends before the dump: its newest allocation bounds it
    t_cap = max(int(x) for x in re.findall(r", ts (\d+) ns", cap_text))
    kernel = sort_cull_stacktrace(exe, capture) if exe else None
    capture_records = [r for r in o.page_owner() if r.get("stack") and "pfn" in r]
    want_alloc = allocated_pages(o, 2)
    drift = abs(allocated_pages(o, 1) - want_alloc)

    for fmt in f.formats:
        n = f.name(fmt)
        outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
            "memleak pageowner --json --pfns",
            "memleak pageowner --unaccounted --json",
            "memleak pageowner --freed --alloc-stack --json --pfns",
            "memleak pageowner --cull pid --json",
            "memleak pageowner --top 3",
            "memleak pageowner --cull comm --json",
            "memleak pageowner --cull nonsense",
        ])
        doc = tap.load_json(outs[0], f"{n}: pageowner --json")
        una = tap.load_json(outs[1], f"{n}: --unaccounted --json")
        freed = tap.load_json(outs[2], f"{n}: --freed --alloc-stack --json")
        bypid = tap.load_json(outs[3], f"{n}: --cull pid --json")
        if not (doc and una and freed and bypid):
            continue
        st = doc["stacks"]
        tap.eq(sum(s["pages"] for s in st), doc["total_pages"], f"{n}: stacks add up to total_pages")
        tap.eq(sum(doc["classes"].values()), doc["total_pages"],
               f"{n}: page classes add up to total_pages")
        tap.eq(sum(g["pages"] for g in bypid["stacks"]), doc["total_pages"],
               f"{n}: --cull pid groups the same pages")
        tap.ok(all(s["stack"] and "stack_error" not in s for s in st),
               f"{n}: every stack decoded", [s for s in st if "stack_error" in s][:3])
        # every allocated page, as /proc/zoneinfo counts them (managed -
        # free - per-cpu lists), within the drift of two captures a second
        # apart plus what the guest did between capture and dump
        slack = max(64, 2 * drift)
        tap.ok(abs(doc["total_pages"] - want_alloc) <= slack,
               f"{n}: total pages = allocated pages per zoneinfo (+-{slack})",
               f"memleak {doc['total_pages']}, zoneinfo {want_alloc}")

        # the module's black hole: its function holds exactly the leaked pages
        if hole:
            fn = hole["function"]
            mine = [s for s in st if any(base_frame(x).startswith(fn + "+") for x in s["stack"])]
            tap.eq((len(mine), sum(s["allocations"] for s in mine), sum(s["pages"] for s in mine)),
                   (1, hole["allocations"], hole["pages"]),
                   f"{n}: {fn} holds the module's {hole['allocations']} allocations, "
                   f"{hole['pages']} pages, in one stack")
            top = una["stacks"][0] if una["stacks"] else {"stack": [], "pages": 0}
            tap.ok(any(base_frame(x).startswith(fn + "+") for x in top["stack"]) and
                   top["pages"] == hole["pages"],
                   f"{n}: {fn} tops --unaccounted", top)
            tap.ok(all(c == "other" for s in una["stacks"] for c in s["classes"]),
                   f"{n}: --unaccounted shows class other only")

        # the kernel's own page_owner_sort on the capture, stack by stack
        if kernel is None:
            tap.skip(f"{n}: stacks vs page_owner_sort", why)
            continue
        ours = stacks_by_frames(doc)
        # record by record: each allocation the capture listed is in the
        # dump with the same stack and timestamp, unless it changed after
        # the capture (freed, or its pfn allocated anew: timestamp > t_cap);
        # each allocation of the dump absent from the capture is newer
        now = {}
        for s in st:
            k = tuple(base_frame(x) for x in s["stack"])
            for pfn, ts in s["pfns"]:
                now[pfn] = (k, ts)
        changed_stacks, unexplained = set(), []
        seen = set()
        for r in capture_records:
            k, p = tuple(base_frame(x) for x in r["stack"]), r["pfn"]
            got = now.get(p)
            seen.add(p)
            if got == (k, r["ts_nsec"]):
                continue
            changed_stacks.add(k)
            if got is not None:
                changed_stacks.add(got[0])
            if got is not None and got[1] <= t_cap:
                unexplained.append(("capture", p, k[:5], "dump", got))
        for p, (k, ts) in now.items():
            if p not in seen:
                changed_stacks.add(k)
                if ts <= t_cap:
                    unexplained.append(("dump only", p, k[:5], ts))
        # --freed: what the capture listed and the dump has not was freed
        # after the capture, and page_owner kept its free time
        freed_now = {p: ts for s in freed["stacks"] for p, ts in s["pfns"]}
        # (or sit in a free block whose page_ext still says allocated: the
        # kernel skips those too, read_page_owner() tests PageBuddy first)
        stale = {p + i for p, order in doc["free_blocks_marked_allocated_pfns"]
                 for i in range(1 << order)}
        # the capture is read pfn by pfn while the guest runs, so a record
        # was read no earlier than the newest allocation listed before it:
        # freed after it was read means freed after that (a fresh custom-6.1
        # dump: pfn 4465 listed early, freed while the read went on, long
        # before the capture's newest allocation, issue 19)
        read_after, newest = {}, 0
        for r in capture_records:
            newest = max(newest, r["ts_nsec"])
            read_after[r["pfn"]] = newest
        # a pfn the capture listed may now lie inside a larger allocation
        # (the same fresh dump: four early_handle pages freed and taken by
        # one of a higher order): allocated anew, not gone. Allocations do
        # not overlap, so only the nearest head below can cover it.
        order_of = {}
        for s_ in st:
            for q, _ in s_["pfns"]:
                order_of[q] = max(s_["orders"] or [0])
        heads = sorted(order_of)

        def covered(p):
            i = bisect.bisect_left(heads, p) - 1
            return i >= 0 and p < heads[i] + (1 << order_of[heads[i]])
        gone = [r["pfn"] for r in capture_records if r["pfn"] not in now and not covered(r["pfn"])]
        tap.ok(gone and all(freed_now.get(p, 0) > read_after[p] or p in stale for p in gone),
               f"{n}: --freed: the {len(gone)} allocations gone since the capture were freed "
               f"after it ({len([p for p in gone if p in stale])} in free blocks still marked "
               f"allocated)",
               [(p, freed_now.get(p), read_after[p]) for p in gone
                if freed_now.get(p, 0) <= read_after[p] and p not in stale][:10])
        tap.ok(all(list(s["classes"]) == ["free"] for s in freed["stacks"]),
               f"{n}: --freed pages are free")
        tap.ok(not unexplained, f"{n}: every allocation in the capture is in the dump, or "
               f"changed after the capture", "\n".join(map(str, unexplained[:10])))
        # whole stacks: untouched since the capture -> page_owner_sort's totals
        bad = [(ours.get(k, {}).get("pages", 0), kernel.get(k, 0), k[:6])
               for k in set(ours) | set(kernel)
               if k not in changed_stacks and ours.get(k, {}).get("pages", 0) != kernel.get(k, 0)]
        same = len((set(ours) | set(kernel)) - changed_stacks)
        tap.ok(not bad, f"{n}: {same} stacks unchanged since the capture have page_owner_sort's "
               f"page totals", "\n".join(map(str, bad[:10])))
        tap.ok(same >= 0.8 * len(set(ours) | set(kernel)),
               f"{n}: most stacks unchanged since the capture ({same} of "
               f"{len(set(ours) | set(kernel))})")
        # pid and comm as page_owner_sort --cull pid / name counts them, for
        # the tasks none of whose allocations changed after the capture
        bycomm = tap.load_json(outs[5], f"{n}: --cull comm --json")
        touched = {"pid": set(), "comm": set()}
        for r in capture_records:
            if now.get(r["pfn"]) != (tuple(base_frame(x) for x in r["stack"]), r["ts_nsec"]):
                touched["pid"].add(r["pid"])
                touched["comm"].add(r["comm"])
        for rule, key, groups in (("pid", "pid", bypid), ("name", "comm", bycomm)):
            if not groups:
                continue
            theirs = sort_cull_task(exe, capture, rule)
            mine = {g[key]: g for g in groups["stacks"]}
            for g in mine.values():
                if g["ts_max_nsec"] > t_cap:
                    touched[key].add(g[key])
            keys = (set(mine) | set(theirs)) - touched[key]
            bad = [(k, mine.get(k, {}).get("pages", 0), theirs.get(k, 0)) for k in keys
                   if mine.get(k, {}).get("pages", 0) != theirs.get(k, 0)]
            tap.ok(keys and not bad, f"{n}: --cull {key}: {len(keys)} untouched {key}s have "
                   f"page_owner_sort --cull {rule}'s pages", bad[:10])

        if hole:
            k = next((k for k in kernel if any(x.startswith(hole["function"] + "+") for x in k)), None)
            tap.ok(k is not None and kernel[k] == ours.get(k, {}).get("pages"),
                   f"{n}: page_owner_sort has the black hole's stack with the same pages",
                   (k, kernel.get(k), ours.get(k)))

        text = outs[4]
        tap.ok(re.match(r"page_owner: \d+ allocations, \d+ pages .* in \d+ stacks", text) and
               re.search(r"^\d+ times, \d+ pages \(", text, re.M) and "more stacks not shown" in text,
               f"{n}: text output: summary, page_owner_sort-style groups, --top", text[:800])
        tap.ok(outs[6].startswith("memleak pageowner: --cull: unknown key") and "Usage:" in outs[6],
               f"{n}: bad option: usage, session goes on", outs[6])


def main():
    fx = required_fixtures()
    exe, why = (None, None)
    if any(f.page_owner for f in fx):
        exe, why = page_owner_sort()
        if why:
            tap.diag(f"page_owner_sort unavailable: {why}")
    for f in fx:
        if f.page_owner:
            check_page_owner(f, exe, why)
        else:
            check_no_page_owner(f)
    # a leak-free dump of the same kernel: the leaking function is absent
    holes = {f.kernel: e["function"] for f in fx for e in Oracle(f.oracle_dir).expected()
             if e["kind"] == "pages" and e["leak"]}
    for f in all_fixtures("base"):
        if not f.page_owner or f.kernel not in holes:
            continue
        fn = holes[f.kernel]
        outs, _ = crashrun.run(f.vmlinux, f.dump("d31"), ["memleak pageowner --json"])
        doc = tap.load_json(outs[0], f"{f.name('d31')}: pageowner --json")
        if doc:
            tap.ok(not any(base_frame(x).startswith(fn + "+") for s in doc["stacks"] for x in s["stack"]),
                   f"{f.name('d31')}: no {fn} stack without the leak")

tap.run(main)
