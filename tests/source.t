#!/usr/bin/python3
"""memleak chooses every layout variant by probing the dump's debuginfo
(members, symbols, enums, VMCOREINFO), never by comparing kernel version
numbers: a backport (Debian's 6.8.2 carries 6.9's stack depot) or a vendor
kernel would defeat a version check. This test reads extension/ and fails
on any construct that compares kernel versions."""
import glob
import os
import re

import tap
from fixtures import TOP

# crash's own version macros and kernel-version helpers, release parsing
FORBIDDEN = [
    (re.compile(r"\bTHIS_KERNEL_VERSION\b"), "crash's THIS_KERNEL_VERSION"),
    (re.compile(r"\bLINUX\s*\(\s*\d"), "crash's LINUX(a,b,c) version macro"),
    (re.compile(r"\bKERNEL_VERSION\s*\("), "KERNEL_VERSION()"),
    (re.compile(r"\bLINUX_VERSION_CODE\b"), "LINUX_VERSION_CODE"),
    (re.compile(r"\bkt->kernel_version\b"), "crash's kt->kernel_version"),
    (re.compile(r"(sscanf|strtol|strtoul|atoi)\s*\([^;]*(release|utsname)"), "parsing the release string"),
]


def main():
    files = sorted(glob.glob(os.path.join(TOP, "extension", "**", "*.[ch]"), recursive=True))
    tap.ok(len(files) > 5, f"found the extension's sources ({len(files)} files)")
    for path in files:
        text = open(path, errors="replace").read()
        hits = []
        for n, line in enumerate(text.splitlines(), 1):
            code = line.split("//")[0]
            if code.lstrip().startswith(("*", "/*")):
                continue
            for rx, what in FORBIDDEN:
                if rx.search(code):
                    hits.append(f"{os.path.basename(path)}:{n}: {what}: {line.strip()}")
        rel = os.path.relpath(path, os.path.join(TOP, "extension"))
        tap.ok(not hits, f"{rel}: no kernel version comparisons", "\n".join(hits))


tap.run(main)
