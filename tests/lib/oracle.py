"""Parsers for the oracle: the kernel's own view of memory, captured in the
guest just before the dump (scripts/guest/init).

Layout of an oracle directory:
  capture1/, capture2/   buddyinfo pagetypeinfo zoneinfo vmstat meminfo
                         slabinfo unusable_index extfrag_index uptime,
                         captured one second apart (their difference is the
                         natural drift tests allow)
  slab_sysfs             one line per cache: NAME attr=value ...
  traces/CACHE/alloc_traces, free_traces   debugfs SLUB traces (v5.17+)
  traces/CACHE/alloc_calls, free_calls     sysfs SLUB traces (kernels without
                         debugfs alloc_traces): callers only, no stacks
  page_owner             debugfs page_owner (kernels with page_owner=on)
  kmemleak               debugfs kmemleak after two scans (CONFIG_DEBUG_KMEMLEAK)
  allocinfo              /proc/allocinfo (CONFIG_MEM_ALLOC_PROFILING, v6.10+)
  dmesg, expected        the kernel log; memleak_sample's ground-truth lines
  release, cmdline, uname
"""
import os
import re


def _read(path):
    with open(path, errors="replace") as f:
        return f.read()


def parse_buddyinfo(text):
    """{(node, zone): [nr_free per order]}"""
    out = {}
    for line in text.splitlines():
        m = re.match(r"Node\s+(\d+),\s+zone\s+(\S+)\s+(.*)", line)
        if m:
            out[(int(m.group(1)), m.group(2))] = [int(x) for x in m.group(3).split()]
    return out


def parse_pagetypeinfo(text):
    """{'pageblock_order': n, 'free': {(node, zone, type): [counts]},
        'blocks': {(node, zone): {type: n}}, 'mixed': the same for "Number of
        mixed blocks" (page_owner kernels), 'types': [type names]}"""
    out = {"free": {}, "blocks": {}, "mixed": {}, "types": [], "pageblock_order": None}
    m = re.search(r"Page block order:\s*(\d+)", text)
    if m:
        out["pageblock_order"] = int(m.group(1))
    section = None
    for line in text.splitlines():
        if line.startswith("Free pages count per migrate type"):
            section = "free"
            continue
        if line.startswith("Number of blocks type"):
            section = "blocks"
            out["types"] = line.split()[4:]
            continue
        if line.startswith("Number of mixed blocks"):
            # page_owner kernels add this table after the block counts: it
            # must not overwrite them
            section = "mixed"
            continue
        if section == "free":
            m = re.match(r"Node\s+(\d+),\s+zone\s+(\S+),\s+type\s+(\S+)\s+(.*)", line)
            if m:
                # counts are capped (printed ">100000") on big lists
                counts = [int(x.lstrip(">")) for x in m.group(4).split()]
                out["free"][(int(m.group(1)), m.group(2), m.group(3))] = counts
        elif section in ("blocks", "mixed"):
            m = re.match(r"Node\s+(\d+),\s+zone\s+(\S+)\s+(.*)", line)
            if m:
                nums = [int(x) for x in m.group(3).split()]
                out[section][(int(m.group(1)), m.group(2))] = dict(zip(out["types"], nums))
    return out


def parse_zoneinfo(text):
    """{(node, zone): {field: int, 'protection': [..]}}; node-wide stats under
    (node, None) for kernels that print them ("per-node stats")."""
    out = {}
    cur = zone = None
    node = None
    for line in text.splitlines():
        m = re.match(r"Node\s+(\d+),\s+zone\s+(\S+)", line)
        if m:
            node = int(m.group(1))
            cur = zone = out.setdefault((node, m.group(2)), {})
            continue
        s = line.strip()
        if s.startswith("per-node stats"):
            # printed inside the node's first zone, before its own fields
            cur = out.setdefault((node, None), {})
            continue
        if s.startswith("pagesets"):
            cur = None  # per-CPU blocks follow: only their page counts kept
            if zone is not None:
                zone["pcp"] = 0
            continue
        if cur is None and zone is not None and "pcp" in zone:
            m = re.match(r"count:\s+(\d+)$", s)
            if m:
                # free pages on the per-CPU lists, outside "pages free"
                zone["pcp"] += int(m.group(1))
                continue
        if s.startswith("pages free"):
            cur = zone
            if cur is not None:
                cur["free"] = int(s.split()[2])
            continue
        if cur is None:
            continue
        m = re.match(r"protection:\s*\((.*)\)", s)
        if m:
            cur["protection"] = [int(x) for x in m.group(1).split(",")]
            continue
        m = re.match(r"([a-z_]+)\s+(-?\d+)$", s)
        if m:
            cur[m.group(1)] = int(m.group(2))
    return out


def parse_keyvalue(text):
    """/proc/vmstat: {name: int}"""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = int(parts[1])
    return out


def parse_meminfo(text):
    """{name: kB (or a count for HugePages_*)}"""
    out = {}
    for line in text.splitlines():
        m = re.match(r"([^:]+):\s+(\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def parse_slabinfo(text):
    """{name: {active_objs, num_objs, objsize, objperslab, pagesperslab,
               active_slabs, num_slabs}}"""
    out = {}
    for line in text.splitlines():
        if line.startswith(("slabinfo", "#")):
            continue
        parts = line.split()
        if len(parts) < 16:
            continue
        name = parts[0]
        vals = [int(x) for x in parts[1:6]]
        i = parts.index("slabdata")
        out[name] = dict(zip(("active_objs", "num_objs", "objsize", "objperslab",
                              "pagesperslab"), vals))
        out[name]["active_slabs"] = int(parts[i + 1])
        out[name]["num_slabs"] = int(parts[i + 2])
    return out


def parse_slab_sysfs(text):
    """{cache: {attr: int}} from the lab's /sys/kernel/slab capture"""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        attrs = {}
        for p in parts[1:]:
            k, _, v = p.partition("=")
            try:
                attrs[k] = int(v)
            except ValueError:
                attrs[k] = v
        out[parts[0]] = attrs
    return out


_TRACE = re.compile(
    r"^\s*(\d+)\s+(\S+?)(?:\s+\[(\S+)\])?(?:\s+waste=(\d+)/(\d+))?\s+age=(\d+)(?:/(\d+)/(\d+))?"
    r"\s+pid=(\d+)(?:-(\d+))?(?:\s+cpus=(\S+))?(?:\s+nodes=(\S+))?")


def parse_traces(text):
    """debugfs alloc_traces/free_traces: list of dicts with count, caller
    (symbol+off/size), function (symbol, clones like .constprop.0 kept),
    module, age_min/avg/max (ms), pid_min/max, cpus, stack [frames]."""
    out = []
    cur = None
    for line in text.splitlines():
        m = _TRACE.match(line)
        if m:
            cur = {
                "count": int(m.group(1)),
                "caller": m.group(2),
                "function": m.group(2).split("+")[0],
                "module": m.group(3),
                "waste": int(m.group(4)) if m.group(4) else None,
                "age_min": int(m.group(6)),
                "age_avg": int(m.group(7) or m.group(6)),
                "age_max": int(m.group(8) or m.group(6)),
                "pid_min": int(m.group(9)),
                "pid_max": int(m.group(10) or m.group(9)),
                "cpus": m.group(11),
                "nodes": m.group(12),
                "stack": [],
            }
            out.append(cur)
        elif cur is not None and line.strip():
            cur["stack"].append(line.strip())
        elif not line.strip():
            cur = None
    return out


def parse_index(text):
    """debugfs extfrag/unusable_index and extfrag_index: {(node, zone): [float]}"""
    out = {}
    for line in text.splitlines():
        m = re.match(r"Node\s+(\d+),\s+zone\s+(\S+)\s+(.*)", line)
        if m:
            out[(int(m.group(1)), m.group(2))] = [float(x) for x in m.group(3).split()]
    return out


def parse_expected(text):
    """memleak_sample's ground truth: [{scenario, function, allocations, pages,
    bytes, kind, held, leak}]: kind is what the function allocates (slab,
    pages, vmalloc), held what still points to it ("none": orphaned), leak
    whether it is one of the module's leaks (orphaned, or an armed timer
    nothing else knows of) rather than memory it keeps on purpose. Lines of
    modules older than kind= and held= get what those scenarios were."""
    out = []
    for line in text.splitlines():
        if "scenario=" not in line or "function=" not in line:
            continue
        d = dict(re.findall(r"(\w+)=(\S+)", line.split("memleak_sample:", 1)[1]))
        for k in ("allocations", "pages", "bytes", "order"):
            if k in d and d[k].isdigit():
                d[k] = int(d[k])
        d.setdefault("kind", "pages" if d.get("pages") else "slab")
        d.setdefault("held", {"wifi": "timer", "frag": "vmalloc"}.get(d["scenario"], "none"))
        d["leak"] = d["held"] in ("none", "timer")
        out.append(d)
    return out


def parse_kmemleak(text):
    """/sys/kernel/debug/kmemleak: {address: {size, comm, pid, jiffies, crc,
    stack: [frames as %pS printed them], header}}, header being the
    object's first line."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"unreferenced object (?:\((\w+)\) )?0x([0-9a-f]+) \(size (\d+)\):", line)
        if m:
            cur = dict(kind=m.group(1), size=int(m.group(3)), stack=[], header=line,
                       in_stack=False)
            out[int(m.group(2), 16)] = cur
            continue
        if cur is None:
            continue
        m = re.match(r'\s+comm "(.*)", pid (\d+), jiffies (\d+)', line)
        if m:
            cur.update(comm=m.group(1), pid=int(m.group(2)), jiffies=int(m.group(3)))
            continue
        m = re.match(r"\s+backtrace(?: \(crc ([0-9a-f]+)\))?:", line)
        if m:
            cur["crc"], cur["in_stack"] = m.group(1), True
            continue
        if cur["in_stack"] and line.startswith("    "):
            cur["stack"].append(line.strip())
    for v in out.values():
        del v["in_stack"]
    return out


def parse_allocinfo(text):
    """/proc/allocinfo: {tag text ("file:line [module] func:name"): [bytes,
    calls, tags]}, the header left out. Tags of one text (a call site in
    a header, inlined in several places) are summed; tags counts them."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\d+)\s+(\d+)\s+(\S.*?)\s*$", line)
        if m:
            v = out.setdefault(m.group(3), [0, 0, 0])
            v[0] += int(m.group(1))
            v[1] += int(m.group(2))
            v[2] += 1
    return out


def parse_page_owner(text):
    """debugfs page_owner: list of {order, gfp, pid, tgid, comm, ts_nsec, pfn,
    stack [frames]} -- one record per allocation (head page)."""
    out = []
    for block in text.split("\n\n"):
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines or not lines[0].startswith("Page allocated via order"):
            continue
        head = lines[0]
        rec = {"stack": []}
        m = re.search(r"order (\d+), mask (0x[0-9a-f]+)\(([^)]*)\)", head)
        if m:
            rec["order"] = int(m.group(1))
            rec["gfp"] = int(m.group(2), 16)
            rec["gfp_names"] = m.group(3)
        for key in ("pid", "tgid"):
            m = re.search(rf"\b{key} (\d+)", head)
            if m:
                rec[key] = int(m.group(1))
        m = re.search(r"\(([^)]*)\), ts (\d+) ns", head)
        if m:
            rec["comm"] = m.group(1)
            rec["ts_nsec"] = int(m.group(2))
        for l in lines[1:]:
            m = re.match(r"PFN (?:0x)?([0-9a-fx]+)", l)
            if m:
                s = m.group(1)
                rec["pfn"] = int(s, 16) if l.startswith("PFN 0x") else int(s)
            elif l.startswith("Page has been migrated"):
                rec["migrated"] = l.strip()
            else:
                rec["stack"].append(l.strip())
        out.append(rec)
    return out


# why a test skips a stack comparison when the traces came from sysfs
NO_STACKS = ("no debugfs alloc_traces before 5.17: sysfs alloc_calls list callers "
             "without stacks")

# why a test skips a caller missing from a sysfs list the kernel cut short
SYSFS_CUT = ("sysfs alloc_calls hold one page (no debugfs alloc_traces before 5.17): "
             "callers past it are not listed")


class Traces(list):
    """Entries of parse_traces(); source "debugfs" (alloc_traces, with
    stacks) or "sysfs" (alloc_calls, no stacks); truncated: the kernel may
    have left entries out (sysfs lists are limited to a page)."""

    def __init__(self, entries, source):
        super().__init__(entries)
        self.source = source
        self.truncated = False


def parse_bufinfo(text):
    """debugfs dma_buf/bufinfo: [{size, flags, mode, count, exp_name, ino,
    name, attached: [devices]}] in the file's order (newest first); fence
    lines (5.10) are skipped"""
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r"^(\d{8,})\t([0-9a-f]{8})\t([0-9a-f]{8})\t(\d+)\t(\S*)\t(\d+)\t?(.*)$", line)
        if m:
            cur = dict(size=int(m.group(1)), flags=int(m.group(2), 16), mode=int(m.group(3), 16),
                       count=int(m.group(4)), exp_name=m.group(5), ino=int(m.group(6)),
                       name=m.group(7).strip(), attached=[])
            out.append(cur)
        elif cur is not None and line.startswith("\t") and not line.startswith("\tAttached") \
                and "fence" not in line.lower():
            cur["attached"].append(line.strip())
    return out


def parse_fd_links(text):
    """busybox `ls -l /proc/PID/fd`: {fd: target}"""
    out = {}
    for line in text.splitlines():
        m = re.search(r"\s(\d+) -> (.*)$", line)
        if m:
            out[int(m.group(1))] = m.group(2)
    return out


# /sys/block/zram<N>/mm_stat's columns (Documentation/admin-guide/blockdev/zram.rst)
ZRAM_MM_STAT = ("orig_data_size", "compr_data_size", "mem_used_total", "mem_limit",
                "mem_used_max", "same_pages", "pages_compacted", "huge_pages",
                "huge_pages_since")


class Oracle:
    def __init__(self, path):
        self.path = path

    def has(self, name):
        return os.path.exists(os.path.join(self.path, name))

    def text(self, name):
        return _read(os.path.join(self.path, name))

    def capture(self, name, n=2):
        return self.text(f"capture{n}/{name}")

    def buddyinfo(self, n=2):
        return parse_buddyinfo(self.capture("buddyinfo", n))

    def pagetypeinfo(self, n=2):
        return parse_pagetypeinfo(self.capture("pagetypeinfo", n))

    def zoneinfo(self, n=2):
        return parse_zoneinfo(self.capture("zoneinfo", n))

    def vmstat(self, n=2):
        return parse_keyvalue(self.capture("vmstat", n))

    def meminfo(self, n=2):
        return parse_meminfo(self.capture("meminfo", n))

    def slabinfo(self, n=2):
        return parse_slabinfo(self.capture("slabinfo", n))

    def slab_sysfs(self):
        return parse_slab_sysfs(self.text("slab_sysfs"))

    def traces(self, cache, kind="alloc"):
        """The cache's SLUB traces: debugfs alloc_traces/free_traces, or on
        kernels without them (before v5.17) sysfs alloc_calls/free_calls,
        whose entries carry no stack: their "stack" is None, and the list
        (a Traces) tells where it came from and whether the kernel may have
        cut it short."""
        p = f"traces/{cache}/{kind}_traces"
        if self.has(p):
            return Traces(parse_traces(self.text(p)), "debugfs")
        p = f"traces/{cache}/{kind}_calls"
        if self.has(p):
            text = self.text(p)
            out = Traces(parse_traces(text), "sysfs")
            for t in out:
                t["stack"] = None
            # list_locations() stops printing once the page holds more than
            # PAGE_SIZE - KSYM_SYMBOL_LEN - 100 bytes (KSYM_SYMBOL_LEN: 240
            # on 64-bit with 128-byte symbol names); entries are sorted by
            # caller address, so the highest callers are the ones left out
            out.truncated = len(text.encode()) > 4096 - 240 - 100
            return out
        return None

    def traces_have_stacks(self):
        """Whether the captured traces carry stacks (debugfs alloc_traces);
        None when there are no traces at all."""
        srcs = {t.source for t in (self.traces(c) for c in self.trace_caches()) if t is not None}
        return ("debugfs" in srcs) if srcs else None

    def trace_caches(self):
        d = os.path.join(self.path, "traces")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def page_owner(self):
        return parse_page_owner(self.text("page_owner")) if self.has("page_owner") else None

    def page_owner_names(self, fn):
        """whether the guest's page_owner names function fn in some stack:
        false where the kernel printed only raw addresses for its frames
        (an allocator tail-called from init code freed since)"""
        if not hasattr(self, "_po_funcs"):
            self._po_funcs = {re.sub(r"[.+].*", "", f) for r in self.page_owner() or []
                              for f in r["stack"]}
        return fn in self._po_funcs

    def kmemleak(self):
        return parse_kmemleak(self.text("kmemleak")) if self.has("kmemleak") else None

    def allocinfo(self):
        return parse_allocinfo(self.text("allocinfo")) if self.has("allocinfo") else None

    def expected(self):
        return parse_expected(self.text("expected")) if self.has("expected") else []

    def release(self):
        return self.text("release").strip()

    def bufinfo(self):
        """dma_buf/bufinfo parsed, None if not captured"""
        return parse_bufinfo(self.text("dmabuf/bufinfo")) if self.has("dmabuf/bufinfo") else None

    def cma(self):
        """{area: {base_pfn, count, used, maxchunk, order_per_bit}} from
        debugfs cma/<area>/, {} when the guest has no CMA area"""
        root = os.path.join(self.path, "cma")
        if not os.path.isdir(root):
            return {}
        return {a: {f: int(self.text(f"cma/{a}/{f}").split()[0])
                    for f in os.listdir(os.path.join(root, a))}
                for a in sorted(os.listdir(root))}

    def cma_hidden(self):
        """The guest's CMA pages in all (meminfo CmaTotal, in kB) where it
        has CMA but no debugfs cma/ (CONFIG_CMA_DEBUGFS=n, as Debian's
        arm64 kernels): the areas exist, their per-area view does not;
        0 otherwise"""
        if self.cma():
            return 0
        return self.meminfo().get("CmaTotal", 0)

    def zram(self):
        """{device: {mm_stat: {column: value}, disksize, comp_algorithm}}
        from /sys/block/zram<N>/, {} when the guest has no zram device"""
        root = os.path.join(self.path, "zram")
        if not os.path.isdir(root):
            return {}
        out = {}
        for d in sorted(os.listdir(root)):
            mm = [int(v) for v in self.text(f"zram/{d}/mm_stat").split()]
            comp = self.text(f"zram/{d}/comp_algorithm")
            sel = re.search(r"\[([^\]]+)\]", comp)
            out[d] = {"mm_stat": dict(zip(ZRAM_MM_STAT, mm)),
                      "disksize": int(self.text(f"zram/{d}/disksize").split()[0]),
                      "comp_algorithm": sel.group(1) if sel else comp.strip()}
        return out

    def dmabuf_holder(self):
        """pid of the guest's process holding the module's dma-bufs, or None"""
        return int(self.text("dmabuf/holder").strip()) if self.has("dmabuf/holder") else None

    def fd_links(self, pid):
        """{fd: target} of a guest process, None if not captured"""
        n = f"proc/{pid}/fd"
        return parse_fd_links(self.text(n)) if self.has(n) else None

    def drift(self, parse, key_fn=None):
        """Absolute difference between capture1 and capture2 of a parsed
        {key: number} or {key: [numbers]} result."""
        a, b = parse(1), parse(2)
        out = {}
        for k in set(a) | set(b):
            x, y = a.get(k), b.get(k)
            if isinstance(x, list) and isinstance(y, list):
                out[k] = [abs(i - j) for i, j in zip(x, y)]
            elif isinstance(x, (int, float)) and isinstance(y, (int, float)):
                out[k] = abs(x - y)
        return out
