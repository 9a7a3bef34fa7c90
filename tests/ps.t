#!/usr/bin/python3
"""memleak ps against the guest's own /proc/PID/status, smaps_rollup and
oom_score_adj of every process, read just before the dump (oracle/proc).

Each process the guest listed is in the dump's list with its comm, its
thread count and whether it is a kernel thread. For a user process, --proc
gives what status shows (VmRSS, RssAnon, RssFile, RssShmem, VmSwap, VmPTE,
VmSize) and the default the page tables' truth that smaps_rollup shows (Rss,
Anonymous, Swap): with per-thread counters (before v6.2) the two differ, and
memleak adds the threads' unsynced counts to get the second. Exact, except
for the guest's init, which runs the capture and keeps running (a tolerance
of 512 kB). The totals count each address space once; -p, -c, -k, -s and
--top cut and sort as they say."""
import re

import crashrun
import tap
from fixtures import required_fixtures
from procfs import BUSY_KB, guest_procs, kb


def check_list(name, doc, guest):
    procs = {p["pid"]: p for p in doc["processes"]}
    found = [pid for pid in guest if pid in procs]
    tap.ok(len(found) >= 0.9 * len(guest),
           f"{name}: {len(found)} of the guest's {len(guest)} processes in the dump's list",
           sorted(set(guest) - set(procs))[:10])
    bad = []
    for pid in found:
        st, p = guest[pid]["status"], procs[pid]
        kthread = "VmRSS" not in st
        # a kworker's Name carries its current workqueue ("-events")
        if not st.get("Name", "").startswith(p["comm"]) or p["kernel_thread"] != kthread or \
                (not kthread and p["threads"] != int(st.get("Threads", 0))):
            bad.append((pid, p["comm"], st.get("Name"), p["kernel_thread"], p["threads"],
                        st.get("Threads")))
        if guest[pid]["adj"] is not None and p["oom_score_adj"] != guest[pid]["adj"]:
            bad.append((pid, "oom_score_adj", p["oom_score_adj"], guest[pid]["adj"]))
    tap.ok(not bad, f"{name}: comm, threads, kernel thread and oom_score_adj as the guest's",
           bad[:4])
    return procs


def check_values(name, procs, guest, ps_kb):
    users = [pid for pid in guest if pid in procs and "VmRSS" in guest[pid]["status"]]
    tap.ok(users, f"{name}: the guest captured user processes ({len(users)})")
    off_proc, off_true = [], []
    for pid in users:
        st, roll, p = guest[pid]["status"], guest[pid]["rollup"], procs[pid]
        tol = BUSY_KB if pid == 1 else 0
        pp, tp = p["proc_pages"], p["pages"]
        want = {"rss": kb(st.get("VmRSS")), "anon": kb(st.get("RssAnon")),
                "file": kb(st.get("RssFile")), "shmem": kb(st.get("RssShmem")),
                "swap": kb(st.get("VmSwap"))}
        for k, w in want.items():
            if w is not None and abs(pp[k] * ps_kb - w) > tol:
                off_proc.append((pid, k, pp[k] * ps_kb, w))
        if kb(st.get("VmPTE")) is not None and \
                abs(p["pgtables_bytes"] // 1024 - kb(st.get("VmPTE"))) > tol:
            off_proc.append((pid, "pgtables", p["pgtables_bytes"] // 1024, kb(st.get("VmPTE"))))
        if abs(p["vm_bytes"] // 1024 - kb(st.get("VmSize"))) > tol:
            off_proc.append((pid, "vss", p["vm_bytes"] // 1024, kb(st.get("VmSize"))))
        for k, rk in (("rss", "Rss"), ("anon", "Anonymous"), ("swap", "Swap")):
            if rk in roll and abs(tp[k] * ps_kb - roll[rk]) > tol:
                off_true.append((pid, k, tp[k] * ps_kb, roll[rk]))
    tap.ok(not off_proc, f"{name}: --proc values are /proc/PID/status's", off_proc[:4])
    tap.ok(not off_true, f"{name}: rss, anon and swap are what the page tables map "
           "(smaps_rollup)", off_true[:4])


def check_cuts(name, doc, outs, guest):
    users = [p for p in doc["processes"] if not p["kernel_thread"]]
    tap.ok(all(not p["kernel_thread"] for p in doc["processes"]),
           f"{name}: kernel threads only with -k")
    rss = [p["pages"]["rss"] for p in doc["processes"]]
    tap.ok(rss == sorted(rss, reverse=True), f"{name}: sorted by rss")
    spaces = {p["mm"] for p in users if p["mm"] and p["counters_readable"]}
    tot = sum(p["pages"]["rss"] for p in users if p["mm"] and not p["shares_mm_with"])
    tap.ok(doc["total"]["pages"]["rss"] == tot and doc["total"]["address_spaces"] >= len(spaces),
           f"{name}: the total counts each address space once ({len(spaces)})")
    k = tap.load_json(outs[1], f"{name}: -k -s pid --json parses")
    if k is not None:
        kth = {p["pid"] for p in k["processes"] if p["kernel_thread"]}
        want = {pid for pid, g in guest.items() if "VmRSS" not in g["status"]}
        pids = [p["pid"] for p in k["processes"]]
        tap.ok(want and len(want & kth) >= 0.9 * len(want) and pids == sorted(pids),
               f"{name}: -k lists the guest's kernel threads, -s pid sorts by pid",
               sorted(want - kth)[:8])
    if users:
        one = users[-1]
        p = tap.load_json(outs[2], f"{name}: -p --json parses")
        if p is not None:
            tap.ok([x["pid"] for x in p["processes"]] == [one["pid"]],
                   f"{name}: -p {one['pid']} keeps that process", p["processes"][:2])
        c = tap.load_json(outs[3], f"{name}: -c --json parses")
        if c is not None:
            tap.ok(c["processes"] and all(x["comm"] == users[0]["comm"] for x in c["processes"]),
                   f"{name}: -c {users[0]['comm']} keeps that comm")
    text = outs[4]
    lines = [ln for ln in text.splitlines() if re.match(r"^\s*\d+\s+\d+\s+\d+\s", ln)]
    tap.ok(len(lines) == min(2, len(users)) and "TOTAL" in text,
           f"{name}: --top 2 prints two processes and the total", text[-400:])
    tap.ok("unknown sort key" in outs[5] and "Usage: memleak ps" in outs[5],
           f"{name}: a bad sort key prints the usage", outs[5])


def main():
    for f in required_fixtures():
        guest = guest_procs(f.oracle_dir)
        if not guest:
            tap.skip(f"{f.name()}: memleak ps", "the fixture has no oracle/proc capture")
            continue
        for fmt in f.formats:
            name = f.name(fmt)
            try:
                first, _ = crashrun.run(f.vmlinux, f.dump(fmt), ["memleak ps --json"])
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            doc = tap.load_json(first[0], f"{name}: --json parses")
            if doc is None:
                continue
            tap.ok("error" not in doc and isinstance(doc.get("warnings"), list),
                   f"{name}: one document with its warnings", doc.get("error"))
            if "error" in doc:
                continue
            users = [p for p in doc["processes"] if not p["kernel_thread"]]
            pid = users[-1]["pid"] if users else 1
            comm = users[0]["comm"] if users else "init"
            outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
                "memleak ps -k --json", "memleak ps -k -s pid --json",
                f"memleak ps -p {pid} --json", f"memleak ps -c {comm} --json",
                "memleak ps --top 2", "memleak ps -s bogus"])
            kdoc = tap.load_json(outs[0], f"{name}: -k --json parses")
            if kdoc is None:
                continue
            procs = check_list(name, kdoc, guest)
            check_values(name, procs, guest, doc["page_size"] // 1024)
            check_cuts(name, doc, outs, guest)


tap.run(main)
