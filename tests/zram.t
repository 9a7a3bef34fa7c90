#!/usr/bin/python3
"""memleak zram against the guest's own /sys/block/zram<N>/ files, read just
before the dump (oracle/zram: mm_stat, disksize, comp_algorithm).

Each device exactly: every mm_stat column, the disk size and the selected
compressor; the pool's pages are mem_used_total in pages, and --mm-stat
prints the file's numbers. The guest wrote text, random and zero pages to
zram0, so same_pages and huge_pages are not all 0. On a kernel without zram
(or with zram a module), the document is one error that says why."""
import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle, ZRAM_MM_STAT


def check(name, o, outs):
    want = o.zram()
    doc = tap.load_json(outs[0], f"{name}: --json parses")
    if doc is None:
        return
    if not want:
        tap.ok("error" in doc and "zram" in doc["error"] or doc.get("devices") == [],
               f"{name}: no zram device, as in the guest: said in one line", doc.get("error"))
        return
    tap.ok("error" not in doc and isinstance(doc.get("warnings"), list),
           f"{name}: one document with its warnings", doc.get("error"))
    got = {d["device"]: d for d in doc["devices"]}
    tap.ok(set(got) == set(want), f"{name}: the guest's {len(want)} zram devices",
           f"got {sorted(got)}, want {sorted(want)}")
    bad = []
    for dev, w in want.items():
        g = got.get(dev)
        if g is None:
            continue
        for k, v in w["mm_stat"].items():
            if g["mm_stat"].get(k) != v:
                bad.append((dev, k, g["mm_stat"].get(k), v))
        for k, gk in (("disksize", "disksize"), ("comp_algorithm", "compressor")):
            if g[gk] != w[k]:
                bad.append((dev, k, g[gk], w[k]))
    tap.ok(not bad, f"{name}: each device's mm_stat, disksize and compressor as sysfs shows them",
           bad[:4])
    tap.ok(any(w["mm_stat"]["same_pages"] and w["mm_stat"]["huge_pages"] for w in want.values()),
           f"{name}: the guest's writes made same and huge pages (the check means something)")
    psz = doc["page_size"]
    tap.ok(all(g["pool_pages"] * psz == g["mm_stat"]["mem_used_total"] for g in got.values()),
           f"{name}: pool pages are mem_used_total in pages")
    lines = {ln.split(":")[0]: ln.split(":")[1].split() for ln in outs[1].splitlines()
             if ln.startswith("zram")}
    tap.ok(all(lines.get(d) == [str(w["mm_stat"][c]) for c in ZRAM_MM_STAT[:len(lines.get(d, []))]]
               and lines.get(d) for d, w in want.items()),
           f"{name}: --mm-stat prints the file's numbers", outs[1])
    tap.ok(all(d in outs[2] for d in want) and "mem_used_total" in outs[2],
           f"{name}: the text names every device and figure", outs[2][-300:])


def main():
    for f in required_fixtures():
        o = Oracle(f.oracle_dir)
        for fmt in f.formats:
            name = f.name(fmt)
            try:
                outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), [
                    "memleak zram --json", "memleak zram --mm-stat", "memleak zram"])
            except crashrun.CrashError as e:
                tap.ok(False, f"{name}: crash ran", str(e))
                continue
            check(name, o, outs)


tap.run(main)
