#!/usr/bin/python3
"""Module symbols: the leak module's frames name the functions the kernel
named -- in debugfs alloc_traces (sysfs alloc_calls before 5.17) and
page_owner captured in the guest -- with the kernel's offsets and sizes,
whether crash read the modules itself or was started with --no_modules
(memleak then reads the modules' own kallsyms, extension/modsyms.c)."""
import re

import crashrun
import tap
from fixtures import all_fixtures
from oracle import SYSFS_CUT, Oracle
from symname import base_frame

_FRAME = re.compile(r"^([\w.$]+)\+0x[0-9a-f]+/0x[0-9a-f]+ \[(\w+)\]$")


def module_of(o):
    """the leak module, as its ground-truth lines name it ("MOD: scenario=...")"""
    m = re.search(r"(\w+): scenario=", o.text("expected"))
    return m.group(1) if m else None


def fn(frame):
    return frame.split("+")[0]


def kernel_frames(o, mod):
    """{frame: where} for the module's frames the kernel printed, and whether
    a sysfs list may have been cut short (callers past a page left out)"""
    frames, cut = {}, False
    for cache in o.trace_caches():
        t = o.traces(cache)
        if t is None:
            continue
        cut = cut or t.truncated
        for e in t:
            if e["module"] == mod:
                frames.setdefault(base_frame(f"{e['caller']} [{mod}]"), f"{cache} caller")
            for f in e["stack"] or []:
                if f.endswith(f" [{mod}]"):
                    frames.setdefault(base_frame(f), f"{cache} stack")
    for r in o.page_owner() or []:
        for f in r["stack"]:
            if f.endswith(f" [{mod}]"):
                frames.setdefault(base_frame(f), "page_owner")
    return frames, cut


def raw_frames(o):
    """whether the kernel's page_owner printed frames it could not name"""
    return any(re.match(r"^0x[0-9a-f]+$", f) for r in o.page_owner() or [] for f in r["stack"])


def memleak_frames(slab, po, mod, with_stacks):
    """{frame: where} for the module's frames memleak printed: callsite
    callers, their stacks (when the kernel's lists have stacks to compare),
    page_owner stacks"""
    out = {}
    for c in (slab or {}).get("callsites", []):
        if c.get("module") == mod:
            out.setdefault(base_frame(c["caller"]), f"{c['cache']} caller")
        for f in c.get("stack", []) if with_stacks else []:
            if f.endswith(f" [{mod}]"):
                out.setdefault(base_frame(f), f"{c['cache']} stack")
    for s in (po or {}).get("stacks", []):
        for f in s.get("stack", []):
            if f.endswith(f" [{mod}]"):
                out.setdefault(base_frame(f), "page_owner")
    return out


def run_once(f, fmt, mod, crash_args):
    cmds = ["memleak probe",
            f"memleak slabtop --by-callsite --stack -m {mod} --json"]
    if f.page_owner:
        cmds += [f"memleak pageowner --module {mod} --json", "memleak pageowner --cull module"]
    outs, transcript = crashrun.run(f.vmlinux, f.dump(fmt), cmds, crash_args=crash_args)
    return outs, transcript


def check(f, fmt, mod, o, kframes, cut, crash_args, prev):
    n = f.name(fmt) + (" --no_modules" if crash_args else "")
    try:
        outs, transcript = run_once(f, fmt, mod, crash_args)
    except crashrun.CrashError as e:
        tap.ok(False, f"{n}: crash reads the dump", str(e))
        return "", None
    probe = next((l for l in outs[0].splitlines() if l.startswith("module symbols:")), "")
    if crash_args:
        tap.ok(probe.startswith("module symbols: from module kallsyms"),
               f"{n}: probe says module symbols come from the modules' kallsyms",
               probe or outs[0][-600:] or transcript[-600:])
    else:
        tap.ok(probe.startswith("module symbols: crash") or
               probe.startswith("module symbols: from module kallsyms"),
               f"{n}: probe names who resolves module symbols", probe or outs[0][-600:])
    slab = tap.load_json(outs[1], f"{n}: slabtop --by-callsite -m {mod}")
    po = tap.load_json(outs[2], f"{n}: pageowner --module {mod}") if f.page_owner else None
    with_stacks = o.traces_have_stacks()
    mine = memleak_frames(slab, po, mod, with_stacks)
    kfuncs = {fn(k) for k in kframes}

    # every module frame memleak prints is one the kernel printed: name,
    # offset and size
    wrong = []
    for frame, where in sorted(mine.items()):
        if frame in kframes:
            continue
        if cut and fn(frame) not in kfuncs:
            continue        # a caller the kernel's cut sysfs list left out
        wrong.append(f"{frame} ({where}); the kernel: "
                     f"{sorted(k for k in kframes if fn(k) == fn(frame)) or 'none'}")
    tap.ok(mine and not wrong, f"{n}: {len(mine)} {mod} frames, as the kernel printed them",
           "\n".join(wrong) or "memleak printed no frame of the module")

    # the functions the module says leaked, named where the kernel named them
    for e in o.expected():
        func = e["function"]
        if e["kind"] != "slab" and not f.page_owner:
            # pages from alloc_pages()/vmalloc(): only page_owner names them.
            # (The kernel's slab lists may hold such a function deeper in
            # the stack of a vmlinux caller -- vmalloc's own vm_struct --
            # which slabtop -m, selecting by the caller's module, leaves out.)
            tap.skip(f"{n}: {func} as the kernel named it",
                     f"{e['kind']} allocations: named by page_owner only, which this kernel lacks")
            continue
        want = sorted(k for k in kframes if re.sub(r"\..*", "", fn(k)) == func)
        if not want:
            if cut:
                tap.skip(f"{n}: {func} as the kernel named it", SYSFS_CUT)
            elif raw_frames(o):
                # a function that tail-calls the allocator from code the
                # kernel freed since (the module's init): the return address
                # the stack holds is in no symbol, and the kernel prints it raw
                tap.skip(f"{n}: {func} as the kernel named it",
                         "the kernel's lists name no frame of it and print raw addresses "
                         "(a tail call from freed init code)")
            else:
                tap.ok(False, f"{n}: {func} as the kernel named it",
                       f"no {func} frame in the kernel's lists")
            continue
        missing = [k for k in want if k not in mine and
                   (with_stacks or not kframes[k].endswith("stack"))]
        tap.ok(not missing, f"{n}: {func} as the kernel named it: "
               f"{', '.join(k for k in want if k not in missing)}",
               f"missing: {missing}\nmemleak: {sorted(mine)}")

    if f.page_owner:
        tap.ok(re.search(rf", module: {mod}$", outs[3], re.M) is not None,
               f"{n}: pageowner --cull module has a {mod} group", outs[3][-800:])

    # the same output whoever resolved the symbols
    if prev is not None:
        tap.ok(prev == (outs[1], mine), f"{n}: slabtop -m {mod} and the module's frames "
               "the same as with crash's own module symbols",
               "\n".join(sorted(set(prev[1]) ^ set(mine))) or outs[1][:800])
    return probe, (outs[1], mine)


def main():
    fixtures = all_fixtures()
    if not fixtures:
        tap.skip("module symbols", "no leak fixture (MEMLEAK_FIXTURES)")
        return
    for f in fixtures:
        o = Oracle(f.oracle_dir)
        mod = module_of(o)
        if not mod:
            tap.ok(False, f"{f.name()}: the module's ground truth names it", o.text("expected"))
            continue
        kframes, cut = kernel_frames(o, mod)
        for fmt in f.formats:
            probe, first = check(f, fmt, mod, o, kframes, cut, [], None)
            if first is None:
                continue
            if "from module kallsyms" in probe:
                tap.skip(f"{f.name(fmt)} --no_modules: the same without crash's module support",
                         "crash could not read this kernel's modules: it already ran "
                         "with --no_modules")
                continue
            check(f, fmt, mod, o, kframes, cut, ["--no_modules"], first)


tap.run(main)
