"""The lab's fixtures, as tests/run made them (MEMLEAK_FIXTURES)."""
import os
import shlex
import subprocess

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# memleak.so for each crash major the lab runs (scripts/kernels.conf, column
# CRASH): 8 is the host's crash 8.0.x, 9 the sid chroot's crash 9.0.x
EXT = os.environ.get("MEMLEAK_SO", os.path.join(TOP, "extension", "memleak.so"))
EXT9 = os.environ.get("MEMLEAK_SO9", os.path.join(TOP, "build", "crash9", "memleak.so"))
FORMATS = ("elf", "kdump", "d31")


def kernels_conf():
    """scripts/kernels.conf as {name: {kind, suite, crash, cc, filter, what}}."""
    out = {}
    with open(os.path.join(TOP, "scripts", "kernels.conf")) as f:
        for line in f:
            w = line.split()
            if len(w) >= 7 and not w[0].startswith("#"):
                out[w[0]] = dict(kind=w[1], suite=w[2], crash=w[3], cc=w[4], filter=w[5],
                                 what=w[6])
    return out


def crash_major(kernel):
    """The crash that reads this kernel's dumps: "8", "9", or "9-ARM64" /
    "9-ARM" (sid's crash 9 built on this host for that target,
    scripts/crash-target)."""
    return kernels_conf().get(kernel, {}).get("crash", "8")


def crash_target(major):
    """"ARM64" for "9-ARM64"; None for the host's own target."""
    return major.split("-", 1)[1] if "-" in major else None


def crash_command(major):
    """argv prefix that runs that crash: the host's, the sid chroot's, or
    the one tests/run built for another target (MEMLEAK_CRASH_<TARGET>)."""
    t = crash_target(major)
    if t:
        c = os.environ.get(f"MEMLEAK_CRASH_{t}")
        if not c:
            c = subprocess.run([os.path.join(TOP, "scripts", "crash-target"), t],
                               capture_output=True, text=True).stdout.strip() + "/crash"
        # an i386 crash (target=ARM): run in this checkout's i386 chroot
        if os.path.exists(c + ".i386"):
            return [os.path.join(TOP, "scripts", "sidroot"), "--i386", "run", c + ".i386"]
        return [c]
    if major == "9":
        return shlex.split(os.environ.get("CRASH9", "")) or \
            [os.path.join(TOP, "scripts", "sidroot"), "run", "crash"]
    return shlex.split(os.environ.get("CRASH", "crash"))


def ext_for(major):
    t = crash_target(major)
    if t:
        return os.environ.get(f"MEMLEAK_SO_{t}",
                              os.path.join(TOP, "build", f"crash9-{t}", "memleak.so"))
    return EXT9 if major == "9" else EXT


class Fixture:
    def __init__(self, path):
        self.path = path
        self.env = {}
        with open(os.path.join(path, "fixture.env")) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    self.env[k] = " ".join(shlex.split(v))
        self.kernel = self.env["KERNEL"]
        self.scenario = self.env["SCENARIO"]
        self.vmlinux = self.env["VMLINUX"]
        self.numa = self.env.get("NUMA") == "yes"
        self.page_owner = self.env.get("PAGE_OWNER") == "yes"
        self.oracle_dir = os.path.join(path, "oracle")
        self.crash = crash_major(self.kernel)
        self.ext = ext_for(self.crash)
        # the dump formats the lab could make of it, and why not the others
        self.formats = [m for m in self.env.get("DUMPS", " ".join(FORMATS)).split()
                        if m in FORMATS]
        self.formats_na = self.env.get("DUMPS_NA", "")

    def kconfig(self, sym):
        """The value of CONFIG_<sym> in the kernel's own .config ("y", "m",
        a string), "" where it is not set, None where the lab kept no
        config (Debian's root/boot/config-RELEASE, a custom build's
        build/.config, next to the kernel.env of the vmlinux)."""
        if not hasattr(self, "_kconfig"):
            self._kconfig = None
            d = os.path.dirname(self.vmlinux)
            while d != "/" and not os.path.isfile(os.path.join(d, "kernel.env")):
                d = os.path.dirname(d)
            for c in (os.path.join(d, "root", "boot", "config-" + self.env.get("RELEASE", "")),
                      os.path.join(d, "build", ".config")):
                if os.path.isfile(c):
                    self._kconfig = {}
                    with open(c) as f:
                        for line in f:
                            if line.startswith("CONFIG_") and "=" in line:
                                k, v = line.rstrip("\n").split("=", 1)
                                self._kconfig[k[7:]] = v.strip('"')
                    break
        if self._kconfig is None:
            return None
        return self._kconfig.get(sym, "")

    def console(self):
        """The guest's console log, as the lab saved it."""
        try:
            with open(os.path.join(self.path, "console.log"), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def dump(self, fmt):
        return os.path.join(self.path, "vmcore." + fmt)

    def name(self, fmt=None):
        n = f"{self.kernel}/{self.scenario}"
        return f"{n}/{fmt}" if fmt else n

    def __repr__(self):
        return self.name()


def fixture_of(dump):
    """The fixture a dump file belongs to, or None."""
    d = os.path.dirname(os.path.abspath(dump))
    return Fixture(d) if os.path.isfile(os.path.join(d, "fixture.env")) else None


def all_fixtures(scenario="leak"):
    """The fixtures tests/run made (MEMLEAK_FIXTURES) of one scenario: "leak"
    (the module's slab and page leaks) unless asked otherwise; None: all."""
    paths = os.environ.get("MEMLEAK_FIXTURES", "").split()
    fx = [Fixture(p) for p in paths if os.path.isfile(os.path.join(p, "fixture.env"))]
    if scenario:
        fx = [f for f in fx if f.scenario == scenario]
    return fx


def required_fixtures(scenario="leak"):
    """all_fixtures(scenario), or a TAP bail-out when tests/run made none."""
    fx = all_fixtures(scenario)
    if not fx:
        import tap
        tap.bail("no fixtures (run through tests/run)")
    return fx
