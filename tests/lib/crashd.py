#!/usr/bin/python3
"""crashd: keep crash sessions open across test scripts.

crash needs 5-20 s to start on a lab dump (gdb reads the vmlinux's DWARF),
while memleak's commands take well under a second, so a test run that
started crash once per test script and dump spent nearly all its time
starting crash. tests/run starts this server; crashrun.run() sends it the
commands for one dump and gets back each command's output. A session per
(crash, vmlinux, dump, memleak.so) stays open for the next test script;
the least recently used are closed beyond MEMLEAK_CRASHD_SESSIONS.

Commands run exactly as a user types them, with crash redirecting each
command's output to its own file ("cmd > file"); after the batch, crash's
own echo command prints a marker on stdout that ends the batch. A session
that dies (a crash in gdb or in memleak) answers with what it had, and the
next request starts a new one: nothing a test does can wedge the server.

Usage: crashd.py SOCKET (serves until killed or stdin closes)."""
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from crashrun import NO_MODULES


def _mem_available_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // (1 << 20)
    except OSError:
        pass
    return 8


# each session holds 0.3-0.6 GiB (gdb's symbol tables)
MAX_SESSIONS = int(os.environ.get("MEMLEAK_CRASHD_SESSIONS",
                                  max(2, min(16, _mem_available_gib() // 2))))


class Session:
    def __init__(self, argv, vmlinux, dump, ext):
        self.dir = tempfile.mkdtemp(prefix="memleak-crashd-")
        self.buf = bytearray()
        self.cond = threading.Condition()
        self.seq = 0
        self.nout = 0
        self.loaded = False
        self.ext = ext
        self.p = subprocess.Popen(argv + ["-s", vmlinux, dump], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  bufsize=0, start_new_session=True)
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            b = self.p.stdout.read(65536)
            with self.cond:
                if not b:
                    self.cond.notify_all()
                    return
                self.buf += b
                self.cond.notify_all()

    def alive(self):
        return self.p.poll() is None

    def batch(self, commands, timeout):
        """Run commands; return (outputs, transcript, finished)."""
        self.seq += 1
        marker = f"__MEMLEAK_CRASHD_{os.getpid()}_{self.seq}__".encode()
        with self.cond:
            start = len(self.buf)
        lines, outs = [], []
        if not self.loaded:
            lines.append(f"extend {self.ext} > {self.dir}/extend.out")
        for c in commands:
            self.nout += 1
            o = f"{self.dir}/{self.nout}.out"
            outs.append(o)
            lines.append(f"{c} > {o}")
        lines.append(f"echo {marker.decode()}")
        try:
            self.p.stdin.write(("\n".join(lines) + "\n").encode())
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        deadline = time.time() + timeout
        finished = False
        with self.cond:
            while True:
                if marker in self.buf[start:]:
                    finished = True
                    break
                if not self.alive():
                    # crash is gone: let the reader drain what is left
                    self.cond.wait(0.5)
                    finished = marker in self.buf[start:]
                    break
                left = deadline - time.time()
                if left <= 0:
                    break
                self.cond.wait(min(left, 1.0))
            text = self.buf[start:].decode(errors="replace")
        text = text.replace(marker.decode() + "\n", "")
        ext_out = None
        if not self.loaded:
            ext_out = _read(f"{self.dir}/extend.out")
            self.loaded = "shared object loaded" in ext_out
        results = [_read(o) for o in outs]
        for o in outs:
            try:
                os.unlink(o)
            except OSError:
                pass
        return results, text, finished, ext_out

    def close(self):
        if self.alive():
            try:
                self.p.stdin.write(b"quit\n")
                self.p.stdin.flush()
                self.p.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.alive():
            try:
                os.killpg(self.p.pid, 9)
            except OSError:
                pass
            self.p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


class Server:
    def __init__(self):
        self.sessions = collections.OrderedDict()

    def handle(self, req):
        key = (tuple(req["argv"]), req["vmlinux"], req["dump"], req["ext"])
        s = self.sessions.pop(key, None)
        fresh = s is None or not s.alive()
        if fresh:
            if s:
                s.close()
            while len(self.sessions) >= MAX_SESSIONS:
                _, old = self.sessions.popitem(last=False)
                old.close()
            s = Session(req["argv"], req["vmlinux"], req["dump"], req["ext"])
        outs, text, finished, ext_out = s.batch(req["commands"], req.get("timeout", 600))
        if fresh and not finished and NO_MODULES.search(text):
            # what a user does when crash cannot read the kernel's modules
            s.close()
            s = Session(req["argv"] + ["--no_modules"], req["vmlinux"], req["dump"], req["ext"])
            outs, text2, finished, ext_out = s.batch(req["commands"], req.get("timeout", 600))
            text = (text + "\n[crashd: crash cannot read this kernel's modules; "
                    "again with --no_modules]\n" + text2)
        resp = {"outputs": outs, "transcript": text, "finished": finished,
                "started": fresh, "extend": ext_out}
        if finished and s.loaded:
            self.sessions[key] = s
        else:
            s.close()
        return resp

    def close(self):
        for s in self.sessions.values():
            s.close()
        self.sessions.clear()


def serve(path):
    srv = Server()
    try:
        os.unlink(path)
    except OSError:
        pass
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(path)
    ls.listen(4)
    # stop when the parent (tests/run) goes away: it holds our stdin open
    def watch():
        try:
            sys.stdin.read()
        finally:
            srv.close()
            os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    try:
        while True:
            c, _ = ls.accept()
            with c:
                f = c.makefile("rwb")
                line = f.readline()
                if not line:
                    continue
                try:
                    resp = srv.handle(json.loads(line))
                except Exception as e:  # report, keep serving
                    resp = {"error": f"crashd: {type(e).__name__}: {e}"}
                try:
                    f.write((json.dumps(resp) + "\n").encode())
                    f.flush()
                except OSError:
                    pass
    finally:
        srv.close()


if __name__ == "__main__":
    serve(sys.argv[1])
