#!/usr/bin/python3
"""The extension loads, works and unloads cleanly in the real crash, on every
fixture and dump format; bad usage prints usage and never ends the session."""
import os
import shutil
import tempfile

import crashrun
import tap
from fixtures import required_fixtures


def main():
    fx = required_fixtures()
    copy_dir = tempfile.mkdtemp(prefix="memleak-copy-")
    for f in fx:
        EXT = f.ext     # the build for the crash that reads this kernel
        copy = os.path.join(copy_dir, f"memleak-{f.crash}.so")
        shutil.copy(EXT, copy)
        for fmt in f.formats:
            n = f.name(fmt)
            outs, transcript = crashrun.run(f.vmlinux, f.dump(fmt), [
                "help memleak",                 # 0
                "memleak",                      # 1
                "memleak help",                 # 2
                "memleak nosuch",               # 3
                "memleak probe --bogus",        # 4
                "memleak probe extra-arg",      # 5
                "memleak probe",                # 6: still works after errors
                f"extend {EXT}",                # 7: the same object again
                f"extend {copy}",               # 8: a second copy, other path
                "memleak probe",                # 9: the first copy still serves
                f"extend -u {EXT}",             # 10
                "sys",                          # 11: session alive after unload
            ])
            tap.ok("SYNOPSIS" in outs[0] and "memleak probe" in outs[0]
                   and "EXAMPLE" in outs[0], f"{n}: help memleak shows synopsis and example",
                   outs[0][:400])
            tap.ok("memleak probe" in outs[1] and "memleak help" in outs[2],
                   f"{n}: memleak and memleak help list the subcommands", outs[1] + outs[2])
            tap.ok("unknown subcommand 'nosuch'" in outs[3], f"{n}: unknown subcommand named", outs[3])
            tap.ok("invalid option '--bogus'" in outs[4] and "Usage: memleak probe" in outs[4],
                   f"{n}: bad option prints usage", outs[4])
            tap.ok("unexpected argument 'extra-arg'" in outs[5], f"{n}: stray argument rejected", outs[5])
            tap.ok(outs[6].startswith("kernel:"), f"{n}: session survives the errors", outs[6][:300])
            tap.ok("already loaded" in outs[7], f"{n}: loading the same object twice refused", outs[7])
            tap.ok("memleak command is already loaded" in outs[8],
                   f"{n}: a second copy does not shadow the first", outs[8])
            tap.ok(outs[9].startswith("kernel:"), f"{n}: first copy still answers", outs[9][:200])
            tap.ok("unloaded" in outs[10], f"{n}: extend -u unloads", outs[10])
            tap.ok("RELEASE" in outs[11] and "Segmentation" not in transcript,
                   f"{n}: crash still works after unloading", outs[11][:200] + transcript[-300:])
    shutil.rmtree(copy_dir, ignore_errors=True)


tap.run(main)
