"""The guest's /proc files that the outside-the-counters tests compare with
(dmabuf.t, vmalloc.t, ps.t, and save/diff/summary in diff.t and summary.t):
/proc/vmallocinfo's lines summed per caller, every captured process's
status and smaps_rollup, and which dma-bufs the processes' descriptors
hold (oracle/vmallocinfo, oracle/proc, oracle/dmabuf)."""
import collections
import os
import re

# the guest's init (pid 1) runs the capture and keeps running after it: its
# counters may move by this much (kB) before the dump
BUSY_KB = 512

VMALLOC_LINE = re.compile(r"^0x[0-9a-f]+-0x[0-9a-f]+\s+(\d+)\s+"
                          r"(\S+\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[\w+\])?)?(?:.*?pages=(\d+))?")


def vmalloc_lines(text):
    """vmallocinfo's lines of areas with a vm_struct (its "unpurged
    vm_area" and vm_map_ram lines aside)"""
    return [ln.rstrip() for ln in text.splitlines()
            if ln.startswith("0x") and "unpurged vm_area" not in ln and "vm_map_ram" not in ln]


def vmalloc_per_caller(lines):
    """{"caller+0x../0x.. [module]": [areas, bytes, pages]} of vmallocinfo lines"""
    out = collections.defaultdict(lambda: [0, 0, 0])
    for ln in lines:
        m = VMALLOC_LINE.match(ln)
        if not m or not m.group(2):
            continue
        v = out[m.group(2)]
        v[0] += 1
        v[1] += int(m.group(1))
        v[2] += int(m.group(3) or 0)
    return out


def caller_key(caller):
    """"name+0x1a/0x28 [module]" as memleak keys callers in snapshots:
    "name [module]", the offset dropped"""
    return re.sub(r"\+0x[0-9a-f]+/0x[0-9a-f]+", "", caller)


def vmalloc_per_key(lines):
    """vmalloc_per_caller() merged by caller_key()"""
    out = collections.defaultdict(lambda: [0, 0, 0])
    for c, v in vmalloc_per_caller(lines).items():
        w = out[caller_key(c)]
        for i in range(3):
            w[i] += v[i]
    return out


def status_of(path):
    """a /proc/PID/status-like file: {key: value}"""
    out = {}
    for line in open(path, errors="replace"):
        k, _, v = line.partition(":")
        out[k.strip()] = v.strip()
    return out


def kb(v):
    """"123 kB" -> 123, None if not such a value"""
    m = re.match(r"(\d+)\s*kB", v or "")
    return int(m.group(1)) if m else None


def guest_procs(odir):
    """{pid: {status, rollup, adj}} of the processes the guest captured"""
    d = os.path.join(odir, "proc")
    out = {}
    for p in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        sp = os.path.join(d, p, "status")
        if not p.isdigit() or not os.path.exists(sp):
            continue
        e = {"status": status_of(sp), "rollup": {}, "adj": None}
        rp = os.path.join(d, p, "smaps_rollup")
        if os.path.exists(rp):
            e["rollup"] = {k: kb(v) for k, v in status_of(rp).items() if kb(v) is not None}
        ap = os.path.join(d, p, "oom_score_adj")
        if os.path.exists(ap) and open(ap).read().strip().lstrip("-").isdigit():
            e["adj"] = int(open(ap).read())
        out[int(p)] = e
    return out


def user_process(g):
    """a captured process with an address space (kernel threads and
    zombies show no VmRSS)"""
    return "VmRSS" in g["status"]


def dmabuf_holders(o, bufs):
    """{name: {(pid, fd)}} for buffers with a unique name, from every captured
    process's fd links (Oracle o); and the captured pids"""
    names = [b["name"] for b in bufs]
    unique = {n for n in names if n and names.count(n) == 1}
    out = {n: set() for n in unique}
    pids = set()
    d = os.path.join(o.path, "proc")
    for p in (os.listdir(d) if os.path.isdir(d) else []):
        links = o.fd_links(p) if p.isdigit() else None
        if links is None:
            continue
        pids.add(int(p))
        for fd, target in links.items():
            if target.startswith("/dmabuf:") and target[8:] in out:
                out[target[8:]].add((int(p), fd))
    return out, pids


def dmabuf_unheld(o, bufs):
    """{exporter: [unheld buffers, unheld bytes]} of the buffers no captured
    descriptor names; None when some buffer's name is not unique (then the
    links cannot tell which buffer they hold)"""
    held, _ = dmabuf_holders(o, bufs)
    if len(held) != len(bufs):
        return None
    out = collections.defaultdict(lambda: [0, 0])
    for b in bufs:
        if not held[b["name"]]:
            out[b["exp_name"]][0] += 1
            out[b["exp_name"]][1] += b["size"]
    return out


def dmabuf_exporters(bufs):
    """{exporter: [buffers, bytes]} of a parsed bufinfo"""
    out = collections.defaultdict(lambda: [0, 0])
    for b in bufs:
        out[b["exp_name"]][0] += 1
        out[b["exp_name"]][1] += b["size"]
    return out


def vmalloc_of_module(o, module):
    """{"name [module]": [areas, bytes, pages]} of the guest's vmallocinfo
    (Oracle o), its lines summed per caller symbol; None without one"""
    if not o.has("vmallocinfo"):
        return None
    return {k: v for k, v in vmalloc_per_key(vmalloc_lines(o.text("vmallocinfo"))).items()
            if f"[{module}]" in k}
