#!/usr/bin/python3
"""Rules of memleak's source that a reviewer would otherwise check by hand.

1. No kernel-version comparisons: memleak chooses every layout variant by
   probing the dump's debuginfo (members, symbols, enums, VMCOREINFO),
   never by comparing version numbers: a backport (Debian's 6.8.2 carries
   6.9's stack depot) or a vendor kernel would defeat a version check.
2. The layers (README, "Layout"): pure/ includes no crash header and
   nothing of the other layers; core/ never includes collect/ or cmd/;
   collect/ never includes cmd/. Only cmd/ prints: nothing below it writes
   to crash's fp or stdout, and nothing below it calls the printers (tables,
   JSON documents, usage, reports).
3. Sizes: no source file over 700 lines (the help source, a table of text,
   aside), no function over 120 lines.
4. One help source: every synopsis in extension/cmd/help.c (ML_FORM) is
   in doc/commands.md (a "## memleak ..." heading or a line of its own)
   and in the README's subcommand table, word for word; neither names a
   form the help source lacks."""
import glob
import os
import re

import tap
from fixtures import TOP

EXT = os.path.join(TOP, "extension")
LAYERS = ("pure", "core", "collect", "cmd")
MAX_FILE = 700
MAX_FUNC = 120
TABLES = {"cmd/help.c"}     # text tables: exempt from the file size rule

# crash's own version macros and kernel-version helpers, release parsing
FORBIDDEN = [
    (re.compile(r"\bTHIS_KERNEL_VERSION\b"), "crash's THIS_KERNEL_VERSION"),
    (re.compile(r"\bLINUX\s*\(\s*\d"), "crash's LINUX(a,b,c) version macro"),
    (re.compile(r"\bKERNEL_VERSION\s*\("), "KERNEL_VERSION()"),
    (re.compile(r"\bLINUX_VERSION_CODE\b"), "LINUX_VERSION_CODE"),
    (re.compile(r"\bkt->kernel_version\b"), "crash's kt->kernel_version"),
    (re.compile(r"(sscanf|strtol|strtoul|atoi)\s*\([^;]*(release|utsname)"), "parsing the release string"),
]
# what a layer may include, by the first path component of "x/y.h"
MAY_INCLUDE = {"pure": {"pure"}, "core": {"pure", "core"},
               "collect": {"pure", "core", "collect"}, "cmd": set(LAYERS)}
# output below cmd/: crash's fp, stdout, and the printers
PRINTING = re.compile(r"\b(fprintf|fputs|fputc|putc|fwrite|printf|puts|putchar|vfprintf)\s*\("
                      r"|\bfp\b|\b(mt_print|mj_init|ml_usage_error|ml_print_\w+|ml_report_\w+)\s*\(")
STDOUT = re.compile(r"\b(printf|puts|putchar|vprintf)\s*\(|\bstdout\b")


def code_lines(text):
    """(number, line) with comments and string literals blanked."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    return [(n, l.split("//")[0]) for n, l in enumerate(text.splitlines(), 1)]


def functions(text):
    """(name, first line, length) of each function definition: a line
    opening a body at column 0 ("{") after its signature."""
    lines = text.splitlines()
    out = []
    for i, l in enumerate(lines):
        if l != "{" or i == 0:
            continue
        j = i - 1
        while j > 0 and not re.match(r"[A-Za-z_]", lines[j]):
            j -= 1
        m = re.search(r"(\w+)\s*\(", lines[j])
        k = i
        while k < len(lines) and lines[k] != "}":
            k += 1
        if m:
            out.append((m.group(1), j + 1, k - j + 1))
    return out


def synopses():
    text = "".join(open(os.path.join(EXT, "cmd", f)).read() for f in ("help.c", "helpboard.c"))
    return [m.group(1).replace('\\"', '"') for m in re.finditer(r'ML_FORM\("((?:[^"\\]|\\.)*)"', text)]


def check_docs():
    forms = synopses()
    tap.ok(len(forms) >= 10, f"the help source has the subcommands' forms ({len(forms)})")
    doc = open(os.path.join(TOP, "doc", "commands.md")).read()
    readme = open(os.path.join(TOP, "README.md")).read()
    doc_lines = {re.sub(r"^#+\s*", "", l).strip() for l in doc.splitlines()}
    missing = [f for f in forms if f"memleak {f}" not in doc_lines]
    tap.ok(not missing, "doc/commands.md shows every synopsis of the help source", missing)
    extra = sorted(l for l in doc_lines if re.match(r"memleak [a-z]+ .*\[", l)
                   and l.removeprefix("memleak ") not in forms)
    tap.ok(not extra, "doc/commands.md shows no synopsis the help source lacks", extra)
    cells = set(re.findall(r"^\| `memleak ([^`]*)`", readme, re.M))
    cells |= set(re.findall(r"`memleak ([^`]*)`", "\n".join(l for l in readme.splitlines()
                                                            if l.startswith("| `memleak"))))
    cells = {c.replace("\\|", "|") for c in cells}
    missing = [f for f in forms if f not in cells and f != "help"]
    tap.ok(not missing, "the README's subcommand table shows every synopsis of the help source", missing)
    extra = sorted(c for c in cells if c not in forms)
    tap.ok(not extra, "the README's table shows no synopsis the help source lacks", extra)


def main():
    check_docs()
    files = sorted(glob.glob(os.path.join(EXT, "**", "*.[ch]"), recursive=True))
    tap.ok(len(files) > 5, f"found the extension's sources ({len(files)} files)")
    stray = [os.path.relpath(p, EXT) for p in files
             if os.path.relpath(p, EXT).split(os.sep)[0] not in LAYERS]
    tap.ok(not stray, "every source file is in a layer (pure/, core/, collect/, cmd/)", stray)
    for path in files:
        rel = os.path.relpath(path, EXT)
        layer = rel.split(os.sep)[0]
        text = open(path, errors="replace").read()
        lines = code_lines(text)
        hits = [f"{rel}:{n}: {what}: {line.strip()}" for n, line in lines
                for rx, what in FORBIDDEN if rx.search(line)]
        tap.ok(not hits, f"{rel}: no kernel version comparisons", "\n".join(hits))
        if layer not in LAYERS:
            continue
        bad = []
        includes = [(i, m.group(1)) for i, l in enumerate(text.splitlines(), 1)
                    for m in [re.match(r'#include\s+"([^"]+)"', l)] if m]
        for n, inc in includes:
            top = inc.split("/")[0] if "/" in inc else None
            if inc == "defs.h":
                if layer == "pure":
                    bad.append(f"{rel}:{n}: pure/ includes crash's defs.h")
            elif top not in MAY_INCLUDE[layer]:
                bad.append(f"{rel}:{n}: {layer}/ includes \"{inc}\"")
        tap.ok(not bad, f"{rel}: includes only its own layer and those below", "\n".join(bad))
        # pure/ cannot see crash's fp (no defs.h): its table and JSON
        # writers write to the FILE their caller gives; stdout is off limits
        rx = STDOUT if layer == "pure" else PRINTING if layer != "cmd" else None
        if rx:
            out = [f"{rel}:{n}: {line.strip()}" for n, line in lines if rx.search(line)]
            tap.ok(not out, f"{rel}: prints nothing (only cmd/ prints)", "\n".join(out[:10]))
        nlines = text.count("\n")
        if rel not in TABLES:
            tap.ok(nlines <= MAX_FILE, f"{rel}: {nlines} lines, at most {MAX_FILE}")
        longf = [f"{name} ({start}): {length} lines" for name, start, length in functions(text)
                 if length > MAX_FUNC]
        tap.ok(not longf, f"{rel}: no function over {MAX_FUNC} lines", "\n".join(longf))


tap.run(main)
