"""Minimal TAP producer for the integration tests (run by prove)."""
import json
import os
import sys
import traceback

_n = 0
_failed = 0
# tests/run collects every result here (one JSON object per line) to build
# the kernel matrix (tests/matrix.py): which test, kernel, check, outcome
_RESULTS = os.environ.get("MEMLEAK_RESULTS")
_SCRIPT = os.path.basename(sys.argv[0]).removesuffix(".t") if sys.argv else "?"


def _record(status, name, why=None):
    if not _RESULTS:
        return
    rec = {"test": _SCRIPT, "kernel": os.environ.get("MEMLEAK_KERNEL", ""),
           "status": status, "name": name}
    if why:
        rec["why"] = why
    with open(_RESULTS, "a") as f:
        f.write(json.dumps(rec) + "\n")


def plan(n):
    print(f"1..{n}", flush=True)


def ok(cond, name, diag=None):
    global _n, _failed
    _n += 1
    print(f"{'ok' if cond else 'not ok'} {_n} - {name}", flush=True)
    _record("pass" if cond else "fail", name)
    if not cond:
        _failed += 1
        if diag:
            for line in str(diag).rstrip().splitlines()[:40]:
                print(f"#   {line}", flush=True)
    return cond


def eq(got, want, name):
    return ok(got == want, name, f"got:  {got!r}\nwant: {want!r}")


def load_json(out, name):
    """out parsed as JSON, or None after a failed check saying why."""
    try:
        return json.loads(out)
    except ValueError as e:
        ok(False, f"{name} is valid JSON", f"{e}\n{out[:600]}")
        return None


def skip(name, why):
    global _n
    _n += 1
    print(f"ok {_n} - {name} # SKIP {why}", flush=True)
    _record("skip", name, why)


def diag(msg):
    for line in str(msg).splitlines():
        print(f"# {line}", flush=True)


def bail(msg):
    print(f"Bail out! {msg}", flush=True)
    _record("fail", f"bail out: {msg}")
    sys.exit(255)


def done():
    """Print the plan after the tests (done_testing) and exit."""
    print(f"1..{_n}", flush=True)
    sys.exit(1 if _failed else 0)


def run(main):
    try:
        main()
    except Exception:  # a test script's own crash is a failure, not a pass
        ok(False, "test script raised", traceback.format_exc())
    done()
