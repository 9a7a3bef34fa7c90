#!/usr/bin/python3
"""Bad input gives one clear message and a non-zero exit, never a hang:
unknown kernel or scenario, a kernel that does not boot, a scenario that
times out, crash headers missing or from another crash, a vmlinux that does
not match the dump, crash not installed."""
import os
import subprocess
import tempfile

import crashrun
import tap
from fixtures import TOP, all_fixtures, crash_command, crash_target


def sh(cmd, env=None, timeout=300):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(cmd, shell=True, cwd=TOP, env=e, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def main():
    fx = all_fixtures()
    tmp = tempfile.mkdtemp(prefix="memleak-lab-")
    env = {"MEMLEAK_FIXTURES_DIR": tmp}

    rc, out = sh("scripts/mkvmcore no-such-kernel leak", env)
    tap.ok(rc != 0 and "unknown kernel 'no-such-kernel'" in out, "unknown kernel named", out)
    rc, out = sh("scripts/mkvmcore debian-6.1 no-such-scenario", env)
    tap.ok(rc != 0 and "unknown scenario 'no-such-scenario'" in out, "unknown scenario named", out)

    # an x86_64 guest: QEMU's ARM machines jump into any image they are
    # given, so a kernel that does not boot hangs there instead of exiting
    boots = [f for f in fx if f.env.get("ARCH", "amd64") == "amd64"]
    if boots:
        kernel = boots[0].kernel
        bogus = os.path.join(tmp, "not-a-kernel")
        with open(bogus, "w") as f:
            f.write("this is not a bzImage\n")
        rc, out = sh(f"scripts/mkvmcore {kernel} leak", dict(env, MEMLEAK_VMLINUZ=bogus), timeout=240)
        tap.ok(rc != 0 and "QEMU exited during boot" in out and "QEMU:" in out,
               "a kernel that does not boot: QEMU's message, non-zero exit", out)
        rc, out = sh(f"scripts/mkvmcore {kernel} leak", dict(env, MEMLEAK_TIMEOUT="3"), timeout=240)
        tap.ok(rc != 0 and "timed out after 3s" in out and "guest console" in out,
               "a scenario that times out: console tail, non-zero exit", out)
    else:
        tap.skip("boot failure", "no x86_64 fixture kernel")
        tap.skip("timeout", "no x86_64 fixture kernel")

    rc, out = sh(f"make -s OUT={tmp}/nohdr CRASH_INCLUDE={tmp}/nowhere")
    tap.ok(rc != 0 and "defs.h not found" in out, "missing crash headers: one clear message", out)

    # the crashes that are x86_64 programs: the i386 crash for ARM could not
    # dlopen an x86_64 .so at all
    hosted = [f for f in fx if crash_target(f.crash) != "ARM"]
    rc, out = sh(f"make -s OUT={tmp}/oldcrash CRASH_VERSION=1.0.0")
    if rc == 0 and hosted:
        f = hosted[0]
        try:
            crashrun.run(f.vmlinux, f.dump(f.formats[0]), ["memleak probe"], ext=f"{tmp}/oldcrash/memleak.so")
            tap.ok(False, "extension built for another crash major version is refused")
        except crashrun.CrashError as e:
            tap.ok("built against crash 1.0.0 headers" in str(e) and "rebuild" in str(e),
                   "extension built for another crash major version is refused", str(e))
    else:
        tap.skip("crash version mismatch", f"build rc={rc} or no fixture: {out[-200:]}")

    # a build for another target's crash: refused by its load-time guard with
    # the rebuild line, not by dlopen's "undefined symbol"
    other = "ARM64" if os.uname().machine != "aarch64" else "X86_64"
    if hosted and crash_target(hosted[0].crash) == other:
        other = "X86_64"
    hdrs = ""
    if hosted and crash_target(hosted[0].crash):
        # the same crash's headers and version: only the target differs
        c = crash_command(hosted[0].crash)[0]
        hdrs = f" CRASH_INCLUDE={os.path.dirname(c)} CRASH={c}"
    rc, out = sh(f"make -s OUT={tmp}/othertarget CRASH_TARGET={other}{hdrs}")
    if rc == 0 and hosted:
        f = hosted[0]
        try:
            crashrun.run(f.vmlinux, f.dump(f.formats[0]), ["memleak probe"],
                         ext=f"{tmp}/othertarget/memleak.so")
            tap.ok(False, "extension built for another target is refused")
        except crashrun.CrashError as e:
            tap.ok(f"built for {other} dumps, this crash reads" in str(e)
                   and "make CRASH_TARGET=" in str(e) and "undefined symbol" not in str(e),
                   "extension built for another target's crash is refused with the rebuild line",
                   str(e))
    else:
        tap.skip("crash target mismatch", f"build rc={rc} or no fixture: {out[-200:]}")

    kernels = {f.kernel: f for f in fx}
    if len(kernels) >= 2:
        a, b = list(kernels.values())[:2]
        try:
            crashrun.run(a.vmlinux, b.dump(b.formats[0]), ["memleak probe"], timeout=300)
            tap.ok(False, "mismatched vmlinux and dump rejected")
        except crashrun.CrashError as e:
            tap.ok("could not open" in str(e) or "extend failed" in str(e),
                   "mismatched vmlinux and dump: one clear message", str(e))
    else:
        tap.skip("mismatched vmlinux", "needs two kernels")

    rc, out = sh("tests/run", {"CRASH": "/nonexistent/crash"})
    tap.ok(rc != 0 and "not found" in out and len(out.splitlines()) <= 3,
           "crash not installed: one clear message", out)
    subprocess.run(["rm", "-rf", tmp])


tap.run(main)
