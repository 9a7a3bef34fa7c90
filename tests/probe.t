#!/usr/bin/python3
"""memleak probe against the kernel's own view (the oracle captured in the
guest): memory model, page_owner, SLAB_STORE_USER caches, dump facts."""
import json
import re

import crashrun
import tap
from fixtures import required_fixtures
from oracle import NO_STACKS, Oracle


def main():
    fx = required_fixtures()
    for f in fx:
        o = Oracle(f.oracle_dir)
        buddy = o.buddyinfo()
        zinfo = o.zoneinfo()
        pti = o.pagetypeinfo()
        sysfs = o.slab_sysfs()
        nodes = {n for (n, _z) in buddy}
        zones_node0 = [z for (n, z) in zinfo if n == 0 and z is not None]
        orders = {len(v) for v in buddy.values()}
        types_per_zone = {}
        for (n, z, t) in pti["free"]:
            types_per_zone.setdefault((n, z), set()).add(t)
        page_owner_on = o.has("page_owner") and "page_owner=on" in o.text("cmdline")
        store_user = sorted(c for c, a in sysfs.items() if a.get("store_user") == 1)
        depot_works = any(t["stack"] for c in o.trace_caches() for t in (o.traces(c) or []))
        traces_stacks = o.traces_have_stacks()

        for fmt in f.formats:
            n = f.name(fmt)
            outs, _ = crashrun.run(f.vmlinux, f.dump(fmt), ["memleak probe --json",
                                                            "memleak probe"])
            try:
                p = json.loads(outs[0])
            except ValueError as e:
                tap.ok(False, f"{n}: probe --json is valid JSON", f"{e}\n{outs[0][:500]}")
                continue
            tap.ok(True, f"{n}: probe --json is valid JSON")
            mm, po, sl, d = p["memory_model"], p["page_owner"], p["slub"], p["dump"]
            tap.eq(p["kernel"]["release"], o.release(), f"{n}: release as uname -r")
            tap.eq(mm["numa"], f.numa, f"{n}: NUMA as the kernel's config")
            tap.eq(mm["pgdat"], "node_data" if f.numa else "contig_page_data",
                   f"{n}: pgdat path")
            tap.eq(mm["nodes"], len(nodes), f"{n}: nodes as /proc/buddyinfo")
            tap.eq(mm["nr_zones"], len(zones_node0), f"{n}: zones per node as /proc/zoneinfo")
            tap.eq({mm["nr_page_orders"]}, orders, f"{n}: page orders as /proc/buddyinfo columns")
            tap.ok(all(len(t) == mm["nr_migratetypes"] for t in types_per_zone.values()),
                   f"{n}: migratetypes as /proc/pagetypeinfo rows",
                   f"probe {mm['nr_migratetypes']}, pagetypeinfo {types_per_zone}")
            model = ("SPARSEMEM" if f.kconfig("SPARSEMEM") == "y" else
                     "FLATMEM" if f.kconfig("FLATMEM") == "y" else None)
            if model:
                tap.eq(mm["model"], model, f"{n}: memory model as the kernel's config")
            else:
                tap.skip(f"{n}: memory model as the kernel's config", "the lab kept no .config")
            tap.eq(po["compiled"], f.page_owner, f"{n}: page_owner compiled in as CONFIG_PAGE_OWNER")
            # the guest wrote its kmemleak and allocinfo files where the
            # kernel had them, on
            tap.eq(p["kmemleak"]["enabled"], "yes" if o.has("kmemleak") else "no",
                   f"{n}: kmemleak enabled as the guest's debugfs kmemleak was there")
            tap.eq(p["alloc_profiling"]["enabled"], "yes" if o.has("allocinfo") else "no",
                   f"{n}: allocation profiling enabled as the guest's /proc/allocinfo was there")
            tap.eq(po["enabled"], "yes" if page_owner_on else "no",
                   f"{n}: page_owner enabled as debugfs page_owner was readable")
            if f.page_owner:
                tap.ok(po["offset"] >= 0 and po["page_ext_size"] > 0 and po["PAGE_EXT_OWNER"] >= 0,
                       f"{n}: page_ext layout resolved", po)
            tap.eq(sl["caches"], len(sysfs), f"{n}: caches as /sys/kernel/slab")
            tap.eq(sl["caches_walk"], "ok", f"{n}: slab_caches walk complete")
            tap.eq(sorted(sl["store_user_caches"]), store_user,
                   f"{n}: SLAB_STORE_USER caches as /sys/kernel/slab/*/store_user")
            tap.ok("mlsample_bufhandle" in sl["store_user_caches"],
                   f"{n}: the module's cache tracks its users")
            if traces_stacks is False:
                tap.skip(f"{n}: stack depot state as alloc_traces stacks", NO_STACKS)
            else:
                tap.eq(p["stack_depot"]["disabled"], "no" if depot_works else "yes",
                       f"{n}: stack depot state as alloc_traces stacks")
            # the guest's init says when it could not hand QEMU its
            # VMCOREINFO (no qemu_fw_cfg: CONFIG_FW_CFG_SYSFS unset, as on
            # Debian's armmp kernels)
            fw_cfg = "no qemu_fw_cfg" not in f.console()
            tap.eq(bool(d["vmcoreinfo"]), fw_cfg,
                   f"{n}: VMCOREINFO {'present' if fw_cfg else 'absent'}, as the guest's fw_cfg")
            if fmt == "d31":
                # the level the lab filtered this kernel's dump at
                # (fixture.env FILTER: 23 where crash cannot open -d 31)
                tap.eq(d["dump_level"], int(f.env.get("FILTER", 31)), f"{n}: makedumpfile dump level")
            elif fmt == "kdump":
                # QEMU's kdump writer leaves out zero pages only
                tap.ok(d["dump_level"] in (0, 1), f"{n}: QEMU kdump level", d)
            else:
                tap.eq(d["dump_level"], -1, f"{n}: ELF has no dump level")
            text = outs[1]
            tap.ok(re.search(r"^memory model:\s+" + ("NUMA" if f.numa else "non-NUMA"), text, re.M),
                   f"{n}: table states the memory model", text[:400])
            if not f.page_owner:
                tap.ok("page_owner:    not compiled in" in text, f"{n}: says page_owner is missing", text)
            else:
                tap.ok("page_owner:    enabled" in text, f"{n}: says page_owner is enabled", text)


tap.run(main)
