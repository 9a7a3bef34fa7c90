#!/usr/bin/python3
"""Every subcommand on a corrupted copy of a real dump: the crash session
survives, every --json output stays valid JSON, walks stay bounded, and the
damage is counted, not followed.

A copy of the leak fixture's ELF dump gets garbage written over, at
physical addresses crash itself translates from the original dump:
  - the struct page of every 7th pfn that is a multiple of the largest
    buddy order's block size (heads of free blocks: the free lists'
    links), and of 200 pfns spread over memory;
  - for the three slab caches with the most objects (not kmalloc-*, not the
    caches crash reads tasks and vmalloc areas from), the struct slab and
    the first 512 bytes of the memory of 8 slabs each (counters, freelist
    pointers inside objects).
Seeded per kernel, so a failure reproduces."""
import json
import os
import random
import re
import shutil
import struct
import tempfile

import crashrun
import tap
from fixtures import required_fixtures
from oracle import Oracle

# caches crash or the session need intact to start (tasks, vmalloc)
KEEP = re.compile(r"^(kmalloc|dma-kmalloc|task_struct|mm_struct|vm_area_struct|files_cache|"
                  r"signal_cache|sighand_cache|pid|cred_jar|kmem_cache|vmap_area|fs_cache|"
                  r"anon_vma|maple_node|names_cache|lsm_|TCP|UDP|sock|mnt_cache|filp)")
SEP = "@@memleak-corrupt@@"


def elf_loads(path):
    """[(paddr, offset, filesz)] of an ELF core's PT_LOAD segments (ELF64,
    or ELF32 as QEMU writes for a 32-bit guest)."""
    with open(path, "rb") as f:
        hdr = f.read(64)
        elf64 = hdr[4] == 2
        if elf64:
            phoff, = struct.unpack_from("<Q", hdr, 0x20)
            phentsize, phnum = struct.unpack_from("<HH", hdr, 0x36)
        else:
            phoff, = struct.unpack_from("<I", hdr, 0x1c)
            phentsize, phnum = struct.unpack_from("<HH", hdr, 0x2a)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    out = []
    for i in range(phnum):
        if elf64:
            p_type, _fl, off, _va, pa, filesz = struct.unpack_from("<IIQQQQ", table,
                                                                   i * phentsize)
        else:
            p_type, off, _va, pa, filesz = struct.unpack_from("<IIIII", table, i * phentsize)
        if p_type == 1 and filesz:
            out.append((pa, off, filesz))
    return out


def file_offset(loads, phys, n):
    for pa, off, sz in loads:
        if pa <= phys and phys + n <= pa + sz:
            return off + phys - pa
    return None


def targets(f, o):
    """[(virtual address, bytes to overwrite, what)] and the crash facts."""
    si = o.slabinfo(2)
    caches = [c for c, v in sorted(si.items(), key=lambda kv: -kv[1]["active_objs"])
              if not KEEP.match(c) and v["active_objs"] > 100][:3]
    cmds = ["p sizeof(struct page)", "p/x min_low_pfn", "p/x max_pfn", "help -m"] + \
        [f"kmem -S {c}" for c in caches]
    outs, _ = crashrun.run(f.vmlinux, f.dump("elf"), cmds, load=False)
    psz = int(re.search(r"=\s*(\d+)", outs[0]).group(1))
    min_pfn, max_pfn = (int(re.search(r"0x[0-9a-f]+", x).group(0), 16) for x in outs[1:3])
    page = int(re.search(r"^\s*pagesize: (\d+)", outs[3], re.M).group(1))
    # the memmap is linear (vmemmap, or FLATMEM's mem_map): the struct page
    # of one pfn in the middle, from crash, places all of them
    mid = (min_pfn + max_pfn) // 2
    out, _ = crashrun.run(f.vmlinux, f.dump("elf"), [f"kmem -p {mid * page:x}"], load=False)
    base = int(re.search(r"^([0-9a-f]{8,16})\s+[0-9a-f]+\s", out[0], re.M).group(1), 16) - \
        mid * psz
    block = 1 << (len(next(iter(o.buddyinfo().values()))) - 1)
    rnd = random.Random(f.kernel)
    t = []
    heads = list(range((min_pfn + block - 1) // block * block, max_pfn, block))[::7]
    for pfn in heads + [rnd.randrange(min_pfn + 1, max_pfn) for _ in range(200)]:
        t.append((base + pfn * psz, psz, "struct page"))
    for c, out in zip(caches, outs[4:]):
        rows = re.findall(r"^\s*([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+\d+\s+\d+\s+\d+\s+\d+\s*$",
                          out, re.M)
        for slab, mem in rows[:8]:
            t.append((int(slab, 16), psz, f"struct slab of {c}"))
            t.append((int(mem, 16), 512, f"objects of {c}"))
    return t, caches


def vtop(f, addrs):
    """{virtual: physical} by crash's vtop on the original dump."""
    cmds = [" ".join(["vtop"] + [f"{a:x}" for a in addrs[i:i + 16]])
            for i in range(0, len(addrs), 16)]
    outs, _ = crashrun.run(f.vmlinux, f.dump("elf"), cmds, load=False)
    m = {}
    for out in outs:
        for va, pa in re.findall(r"^([0-9a-f]{8,16})\s+([0-9a-f]+)\s*$", out, re.M):
            m.setdefault(int(va, 16), int(pa, 16))
    return m


def corrupt_copy(f, o, d):
    t, caches = targets(f, o)
    phys = vtop(f, [a for a, _n, _w in t])
    loads = elf_loads(f.dump("elf"))
    dst = os.path.join(d, "vmcore.elf")
    shutil.copyfile(f.dump("elf"), dst)
    # the crash that reads this kernel: fixture_of() looks beside the dump
    shutil.copy(os.path.join(f.path, "fixture.env"), d)
    rnd = random.Random(f.kernel + "/bytes")
    done = {}
    with open(dst, "r+b") as w:
        for va, n, what in t:
            off = file_offset(loads, phys.get(va, -1), n) if va in phys else None
            if off is None:
                continue
            w.seek(off)
            w.write(bytes(rnd.randrange(256) for _ in range(n)))
            done[what.split(" of ")[0]] = done.get(what.split(" of ")[0], 0) + 1
    return dst, done, caches


def main():
    for f in required_fixtures():
        if not os.path.exists(f.dump("elf")):
            continue
        o = Oracle(f.oracle_dir)
        n = f"{f.kernel}/{f.scenario}/elf (corrupted copy)"
        with tempfile.TemporaryDirectory(prefix="memleak-corrupt-", dir="/tmp") as d:
            try:
                dump, done, caches = corrupt_copy(f, o, d)
            except (crashrun.CrashError, AttributeError, ValueError, OSError) as e:
                tap.ok(False, f"{n}: corrupted a copy", str(e))
                continue
            tap.ok(done.get("struct page", 0) >= 100,
                   f"{n}: garbage over {done.get('struct page', 0)} struct pages, "
                   f"{done.get('struct slab', 0)} struct slabs and the objects of "
                   f"{done.get('objects', 0)} slabs of {', '.join(caches)}", done)
            cmds = ["memleak probe", "memleak zones --json", "memleak zones --pagetypeinfo",
                    "memleak vmstat --json", "memleak meminfo --json",
                    "memleak slabtop --json", "memleak slabtop --by-callsite --json",
                    "memleak pageowner --json", "memleak pageowner --unaccounted",
                    "memleak summary --json", "memleak summary", "memleak orphans --json",
                    "memleak kmemleak --json", "memleak allocinfo --json", "memleak probe"]
            try:
                outs, transcript = crashrun.run(f.vmlinux, dump, cmds, timeout=900,
                                                crash_args=["--no_scroll"])
            except crashrun.CrashError as e:
                tap.ok(False, f"{n}: crash opens the corrupted dump and runs memleak", str(e))
                continue
            tap.ok(outs[-1].startswith("kernel:") and "did not finish" not in transcript,
                   f"{n}: the session survives every subcommand (probe answers last)",
                   transcript[-1500:])
            bad = []
            for c, out in zip(cmds, outs):
                if "--json" not in c:
                    continue
                if c.startswith("memleak pageowner") and not f.page_owner:
                    continue
                try:
                    json.loads(out)
                except ValueError as e:
                    bad.append(f"{c}: {e}: {out[:300]}")
            tap.ok(not bad, f"{n}: every --json output is valid JSON", "\n".join(bad))
            try:
                zs = json.loads(outs[1])["zones"]
                sl = json.loads(outs[5])
            except (ValueError, KeyError):
                zs, sl = [], {}
            broken = [(z["zone"], z["free_lists"], z["lists_corrupt"]) for z in zs
                      if z["free_lists"] != "ok"]
            tap.ok(any(z["lists_corrupt"] for z in zs),
                   f"{n}: zones counts the free lists the garbage broke, and stops there",
                   broken or [(z["zone"], z["free_lists"]) for z in zs])
            hit = {c["name"]: (c.get("corrupt", 0), c.get("bad_slabs", 0), c.get("inconsistent_slabs", 0))
                   for c in sl.get("caches", []) if c["name"] in caches}
            if not done.get("objects"):
                # crash 9.0.2 has no "kmem -S" for 7.x: no slab found
                # independently of memleak to damage
                tap.skip(f"{n}: slabtop counts the damage to slabs",
                         "crash cannot list this kernel's slabs (kmem -S) to pick targets")
                tap.ok("SUSPECTS" in outs[10] and "DUMP" in outs[10],
                       f"{n}: summary still gives its verdict", outs[10][:600])
                continue
            tap.ok(any(sum(v) for v in hit.values()),
                   f"{n}: slabtop counts corrupt freelists, bad or inconsistent slabs in the "
                   "damaged caches (corrupt, bad, inconsistent)", hit)
            tap.ok("SUSPECTS" in outs[10] and "DUMP" in outs[10],
                   f"{n}: summary still gives its verdict", outs[10][:600])


tap.run(main)
