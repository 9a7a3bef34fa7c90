"""Run the real crash non-interactively on a dump, with memleak loaded.

Each command's output is redirected by crash itself to a file ("cmd > file"),
the way a user saves output, so outputs are separated exactly. The crash and
memleak.so used are the ones for the dump's kernel (scripts/kernels.conf,
column CRASH). When tests/run started the session server (MEMLEAK_CRASHD,
tests/lib/crashd.py), commands go to a crash session kept open per dump;
batches that load or unload extensions themselves get a crash of their own."""
import json
import os
import re
import socket
import subprocess
import tempfile

from fixtures import crash_command, ext_for, fixture_of


class CrashError(Exception):
    pass


# crash's messages when it cannot open the pair at all
_FATAL = re.compile(r"(do not match|cannot determine|not a supported file format|"
                    r"no debugging data|cannot find booted kernel|invalid kernel virtual address|"
                    r"crash: .*: (No such file|not found))", re.I)

stats = {"started": 0, "reused": 0}

# crash 9.0.2 stops at struct module members 7.x removed
# ("invalid structure member offset: module_num_gpl_syms"); a user then
# starts crash with --no_modules, and so do the tests (memleak resolves
# module addresses from the modules' own kallsyms)
NO_MODULES = re.compile(r"invalid structure member offset: module_\w+")


def crash_for(dump):
    """(argv, default memleak.so) for the crash that reads this dump."""
    fx = fixture_of(dump)
    major = fx.crash if fx else "8"
    return crash_command(major), ext_for(major)


DEBUG_LAYOUT = re.compile(r"ML_DEBUG_LAYOUT: .*")


def run(vmlinux, dump, commands, ext=None, timeout=600, load=True, crash_args=[]):
    """Return (outputs, transcript): outputs[i] is the text of commands[i].
    crash_args: extra options for crash (e.g. ["--no_modules"]); a batch
    with any runs in a crash of its own, not in the shared session."""
    argv, default_ext = crash_for(dump)
    argv = argv + list(crash_args)
    ext = ext or default_ext
    sock = os.environ.get("MEMLEAK_CRASHD")
    private = (not load or ext != default_ext or bool(crash_args)
               or any(c.lstrip().startswith("extend") for c in commands))
    r = None
    if sock and not private:
        r = _via_server(sock, argv, vmlinux, dump, ext, commands, timeout)
    if r is None:
        r = _run_private(argv, vmlinux, dump, commands, ext, timeout, load)
    _check_layout(commands, r[0])
    return r


def _check_layout(commands, outs):
    """The debug build (make debug) names every read of a member this kernel
    lacks: a memleak bug, whatever the test checks next."""
    for c, o in zip(commands, outs):
        m = DEBUG_LAYOUT.search(o or "")
        if m:
            raise CrashError(f"'{c}': {m.group(0)}")


def _check_open(transcript, dump, first_out_exists):
    # the module error first: crash 9 also warns "cannot determine how
    # compound pages are linked" on 7.x, which would hide it from the retry
    m = NO_MODULES.search(transcript) or _FATAL.search(transcript)
    if m and not first_out_exists:
        raise CrashError(f"crash could not open {dump}: {m.group(0)}")


def _via_server(sock, argv, vmlinux, dump, ext, commands, timeout):
    req = dict(argv=argv, vmlinux=vmlinux, dump=dump, ext=ext, commands=list(commands),
               timeout=timeout)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(sock)
            f = s.makefile("rwb")
            f.write((json.dumps(req) + "\n").encode())
            f.flush()
            line = f.readline()
    except OSError:
        return None     # no server: run crash here
    if not line:
        return None
    resp = json.loads(line)
    if "error" in resp:
        raise CrashError(resp["error"])
    stats["started" if resp["started"] else "reused"] += 1
    transcript = resp["transcript"]
    if resp["extend"] is not None:
        _check_open(transcript, dump, bool(resp["extend"]))
        if "shared object loaded" not in resp["extend"]:
            raise CrashError(f"extend failed: {resp['extend'].strip() or transcript[-500:]}")
    if not resp["finished"] and "timed out" not in transcript:
        transcript += f"\n[crashd: crash did not finish the batch within {timeout}s or died]\n"
    return resp["outputs"], transcript


def _run_private(argv, vmlinux, dump, commands, ext, timeout, load):
    try:
        return _run_private1(argv, vmlinux, dump, commands, ext, timeout, load)
    except CrashError as e:
        if not NO_MODULES.search(str(e)) or "--no_modules" in argv:
            raise
    return _run_private1(argv + ["--no_modules"], vmlinux, dump, commands, ext, timeout, load)


def _run_private1(argv, vmlinux, dump, commands, ext, timeout, load):
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
            p = subprocess.run(argv + ["-s", vmlinux, dump], input=script, text=True,
                               capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CrashError(f"crash timed out after {timeout}s on {dump}")
        except FileNotFoundError:
            raise CrashError(f"'{argv[0]}' not found: install crash (apt-get install crash)")
        stats["started"] += 1
        transcript = p.stdout + p.stderr
        _check_open(transcript, dump, os.path.exists(outs[0] if outs else f"{d}/extend.out"))
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
