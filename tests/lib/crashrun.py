"""Run the real crash non-interactively on a dump, with memleak loaded.

Each command's output is redirected by crash itself to a file ("cmd > file"),
the way a user saves output, so outputs are separated exactly."""
import os
import re
import subprocess
import tempfile

from fixtures import EXT

CRASH = os.environ.get("CRASH", "crash")


class CrashError(Exception):
    pass


# crash's messages when it cannot open the pair at all
_FATAL = re.compile(r"(do not match|cannot determine|not a supported file format|"
                    r"no debugging data|cannot find booted kernel|invalid kernel virtual address|"
                    r"crash: .*: (No such file|not found))", re.I)


def run(vmlinux, dump, commands, ext=EXT, timeout=600, load=True):
    """Return (outputs, transcript): outputs[i] is the text of commands[i]."""
    with tempfile.TemporaryDirectory(prefix="memleak-crash-") as d:
        lines = []
        outs = []
        if load:
            lines.append(f"extend {ext} > {d}/extend.out")
        for i, c in enumerate(commands):
            o = f"{d}/{i}.out"
            outs.append(o)
            lines.append(f"{c} > {o}")
        lines.append("quit")
        script = "\n".join(lines) + "\n"
        try:
            p = subprocess.run([CRASH, "-s", vmlinux, dump], input=script, text=True,
                               capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CrashError(f"crash timed out after {timeout}s on {dump}")
        except FileNotFoundError:
            raise CrashError(f"'{CRASH}' not found: install crash (apt-get install crash)")
        transcript = p.stdout + p.stderr
        m = _FATAL.search(transcript)
        if m and not os.path.exists(outs[0] if outs else f"{d}/extend.out"):
            raise CrashError(f"crash could not open {dump}: {m.group(0)}")
        if load:
            ext_out = _read(f"{d}/extend.out")
            if "shared object loaded" not in ext_out:
                raise CrashError(f"extend failed: {ext_out.strip() or transcript[-500:]}")
        results = [_read(o) for o in outs]
        return results, transcript


def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""
