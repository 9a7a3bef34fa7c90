"""The lab's fixtures, as tests/run made them (MEMLEAK_FIXTURES)."""
import os
import shlex

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXT = os.environ.get("MEMLEAK_SO", os.path.join(TOP, "extension", "memleak.so"))
FORMATS = ("elf", "kdump", "d31")


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

    def dump(self, fmt):
        return os.path.join(self.path, "vmcore." + fmt)

    def name(self, fmt=None):
        n = f"{self.kernel}/{self.scenario}"
        return f"{n}/{fmt}" if fmt else n

    def __repr__(self):
        return self.name()


def all_fixtures(scenario="leak"):
    """The fixtures tests/run made (MEMLEAK_FIXTURES) of one scenario: "leak"
    (the module's slab and page leaks) unless asked otherwise; None: all."""
    paths = os.environ.get("MEMLEAK_FIXTURES", "").split()
    fx = [Fixture(p) for p in paths if os.path.isfile(os.path.join(p, "fixture.env"))]
    if scenario:
        fx = [f for f in fx if f.scenario == scenario]
    return fx
