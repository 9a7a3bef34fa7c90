#!/usr/bin/python3
"""memleak dmabuf against the guest's own debugfs dma_buf/bufinfo and every
process's /proc/PID/fd, read just before the dump (oracle/dmabuf, oracle/proc).

The same buffers (by inode: size, file references, flags, exporter, name,
attached devices); each buffer's holders the descriptors whose links name it
(`/dmabuf:NAME`), for the processes the guest listed; the buffers no
descriptor names are the unheld ones, and they include every buffer the
module says it left on the kernel's list alone. --bufinfo prints the file's
own lines; -e, -p, --unheld and --top cut as they say. On kernels without
dma-buf, the document is one error that names CONFIG_DMA_SHARED_BUFFER."""
import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle
from procfs import dmabuf_holders


def check_buffers(name, o, doc, bufs):
    want = {b["ino"]: b for b in bufs}
    got = {b["ino"]: b for b in doc["dmabufs"]}
    tap.ok(set(got) == set(want) and doc["buffers"] == len(bufs),
           f"{name}: the same {len(bufs)} buffers as the guest's bufinfo",
           f"missing {sorted(set(want) - set(got))[:5]}, extra {sorted(set(got) - set(want))[:5]}")
    bad = []
    for ino, w in want.items():
        g = got.get(ino)
        if g is None:
            continue
        for k in ("size", "count", "flags", "exp_name"):
            if g[k] != w[k]:
                bad.append((ino, k, g[k], w[k]))
        if (g["name"] or "<none>") != (w["name"] or "<none>"):
            bad.append((ino, "name", g["name"], w["name"]))
        if sorted(g["attached"]) != sorted(w["attached"]):
            bad.append((ino, "attached", g["attached"], w["attached"]))
    tap.ok(not bad, f"{name}: each buffer's size, count, flags, exporter, name and devices "
           "as bufinfo shows them", bad[:4])
    tap.ok(doc["bytes"] == sum(b["size"] for b in bufs),
           f"{name}: {doc['bytes']} bytes, bufinfo's total {sum(b['size'] for b in bufs)}")


def check_holders(name, o, doc, bufs, expected):
    held, pids = dmabuf_holders(o, bufs)
    byname = {b["name"]: b for b in doc["dmabufs"] if b["name"]}
    bad = []
    for n, want in held.items():
        g = byname.get(n)
        got = {(h["pid"], h["fd"]) for h in g["holders"] if h["pid"] in pids} if g else set()
        if got != want:
            bad.append((n, sorted(got), sorted(want)))
    tap.ok(pids and not bad, f"{name}: each buffer's holders are the descriptors the guest's "
           f"/proc/PID/fd links to it ({len(pids)} processes)", bad[:3])
    want_unheld = {n for n, h in held.items() if not h}
    got_unheld = {b["name"] for b in doc["dmabufs"] if not b["holders"] and b["name"] in held}
    tap.ok(got_unheld == want_unheld,
           f"{name}: the {len(want_unheld)} buffers no descriptor names are the unheld ones",
           f"missing {sorted(want_unheld - got_unheld)[:3]}, extra {sorted(got_unheld - want_unheld)[:3]}")
    lost = sum(e["allocations"] for e in expected if e["kind"] == "dmabuf" and e["held"] != "fd")
    tap.ok(doc["unheld_buffers"] >= lost and doc["unheld_buffers"] == sum(
        1 for b in doc["dmabufs"] if not b["holders"]),
        f"{name}: {doc['unheld_buffers']} unheld buffers, the {lost} the module left on the "
        "list among them")
    holder = o.dmabuf_holder()
    fds = held_fds = None
    if holder:
        links = o.fd_links(holder) or {}
        held_fds = sorted(fd for fd, t in links.items() if t.startswith("/dmabuf:"))
        procs = {p["pid"]: p for p in doc["processes"]}
        fds = procs.get(holder, {}).get("buffers")
        tap.ok(fds == len(held_fds), f"{name}: process {holder} holds {fds} buffers, "
               f"its fd links {len(held_fds)}")
    return holder, held_fds


def check_cuts(name, outs, doc, holder, held_fds):
    ex = tap.load_json(outs[1], f"{name}: -e memleak_sample --json parses")
    if ex is not None:
        tap.ok(len(ex["dmabufs"]) == sum(b["exp_name"] == "memleak_sample" for b in doc["dmabufs"]),
               f"{name}: -e keeps that exporter's buffers")
    un = tap.load_json(outs[2], f"{name}: --unheld --json parses")
    if un is not None:
        tap.ok(len(un["dmabufs"]) == doc["unheld_buffers"] and
               all(not b["holders"] for b in un["dmabufs"]), f"{name}: --unheld keeps those")
    top = tap.load_json(outs[3], f"{name}: --top 3 --json parses")
    if top is not None:
        sizes = sorted((b["size"] for b in doc["dmabufs"]), reverse=True)[:3]
        tap.ok([b["size"] for b in top["dmabufs"]] == sizes, f"{name}: --top 3: the 3 largest",
               [b["size"] for b in top["dmabufs"]])
    if holder and len(outs) > 5:
        pj = tap.load_json(outs[5], f"{name}: -p {holder} --json parses")
        if pj is not None:
            got = sorted(h["fd"] for b in pj["dmabufs"] for h in b["holders"] if h["pid"] == holder)
            tap.ok(got == held_fds, f"{name}: -p {holder}: the buffers on its descriptors",
                   (got, held_fds))


def check_bufinfo(name, text, o):
    want = [ln.rstrip() for ln in o.text("dmabuf/bufinfo").splitlines()
            if ln.strip() and "fence" not in ln.lower()]
    got = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    # the table's header names the name column since "dma-buf: add the
    # name field to the table header" (2022); before, only the rows carry
    # it, and nothing in the dump tells the two apart: memleak prints the
    # newer header
    for i, ln in enumerate(want):
        if ln.startswith("size") and "exp_name" in ln and not ln.endswith("name") and \
                i < len(got) and got[i].startswith(ln) and got[i][len(ln):].strip() == "name":
            want[i] = got[i]
    tap.ok(got == want, f"{name}: --bufinfo prints the file's {len(want)} lines",
           [(a, b) for a, b in zip(got, want) if a != b][:3] or (len(got), len(want)))


def main():
    for f in required_fixtures():
        o = Oracle(f.oracle_dir)
        bufs = o.bufinfo()
        holder = o.dmabuf_holder()
        for fmt in f.formats:
            name = f.name(fmt)
            cmds = ["memleak dmabuf --json", "memleak dmabuf -e memleak_sample --json",
                    "memleak dmabuf --unheld --json", "memleak dmabuf --top 3 --json",
                    "memleak dmabuf --bufinfo"]
            if holder:
                cmds.append(f"memleak dmabuf -p {holder} --json")
            cmds.append("memleak dmabuf --top 2")
            try:
                outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), cmds)
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            doc = tap.load_json(outs[0], f"{name}: --json parses")
            if doc is None:
                continue
            if bufs is None:
                why = doc.get("error", "")
                tap.ok("CONFIG_DMA_SHARED_BUFFER" in why,
                       f"{name}: without dma-buf, the document says so", why)
                lines = [ln for ln in outs[-1].splitlines() if ln.strip()]
                tap.ok(len(lines) == 1 and "CONFIG_DMA_SHARED_BUFFER" in lines[0],
                       f"{name}: ... in one line of text", outs[-1][-300:])
                continue
            tap.ok("error" not in doc and isinstance(doc.get("warnings"), list),
                   f"{name}: one document with its warnings", doc.get("error"))
            check_buffers(name, o, doc, bufs)
            h, held_fds = check_holders(name, o, doc, bufs, o.expected())
            check_cuts(name, outs, doc, h, held_fds)
            check_bufinfo(name, outs[4], o)
            tap.ok("dma-bufs" in outs[-1] and "per holding process" in outs[-1],
                   f"{name}: the text shows the table and the totals", outs[-1][-300:])


tap.run(main)
