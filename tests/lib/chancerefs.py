"""Chance references of a conservative scan: the words in kernel memory
whose value falls inside an object without being a pointer to it. On a
32-bit kernel such values are common (a keymap's u16 pairs 0xf0XX read as
0xf0abf0aa, in the vmalloc range), and kmemleak, like memleak orphans,
takes each for a reference. The count comes from crash's own search and
kmem, never from memleak."""
import re

import crashrun


def false_refs(f, fmt, o, fn):
    """How many of fn's vmalloc areas (the guest's vmallocinfo) have a word
    in the direct map, found by crash's search, whose value lies inside
    the area's pages other than its start (which vmap_area.va_start, the
    previous area's va_end and vm_struct.addr hold)."""
    hm, _ = crashrun.run(f.vmlinux, f.dump(fmt), ["p/x high_memory", "help -m"])
    high = re.search(r"= (0x[0-9a-f]+)", hm[0])
    ps = re.search(r"^\s*pagesize: (\d+)", hm[1], re.M)
    if not high or not ps:
        return 0
    page = int(ps.group(1))
    areas = []
    for line in o.text("vmallocinfo").splitlines():
        w = line.split()
        if len(w) > 2 and "-" in w[0] and re.match(rf"{re.escape(fn)}(\.\w+)*\+", w[2]):
            lo, hi = (int(a, 16) for a in w[0].split("-"))
            pages = re.search(r"pages=(\d+)", line)
            npages = int(pages.group(1)) if pages else (hi - lo) // page - 1
            areas.append((lo, lo + npages * page))
    if not areas:
        return 0
    vals = [f"{p:x}" for lo, hi in areas for p in range(lo, hi, page)]
    # where a scan looks (kmemleak's roots and objects): the kernel's data
    # and the direct map's pages in use -- not its text or read-only data
    # (instructions and tables read as values), not free pages (stale
    # words), not the vmalloc areas themselves. crash takes at most 100
    # arguments a command (MAXARGS); -m ignores the bits below the page.
    cmds = [f"search -s _sdata -e {high.group(1)} -m {page - 1:x} {' '.join(vals[i:i + 64])}"
            for i in range(0, len(vals), 64)]
    outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), cmds, timeout=1800)
    words = {}
    for m in re.finditer(r"^([0-9a-f]+): +([0-9a-f]+)\s*$", "".join(outs), re.M):
        v = int(m.group(2), 16)
        for lo, hi in areas:
            if lo < v < hi:
                words.setdefault(int(m.group(1), 16), lo)
    if not words:
        return 0
    # each word's page: in use (a count, or a slab) or the kernel image's
    # (reserved)
    at = sorted(words)
    pages, _ = crashrun.run(f.vmlinux, f.dump(fmt), [f"kmem {w:x}" for w in at])
    hits = set()
    for w, out in zip(at, pages):
        row = re.search(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+(\d+)\s+[0-9a-f]+\s*(.*)$",
                        out, re.M)
        if row and (int(row.group(1)) > 0 or "slab" in row.group(2) or "reserved" in row.group(2)):
            hits.add(words[w])
    return len(hits)
