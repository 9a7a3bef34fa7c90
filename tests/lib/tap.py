"""Minimal TAP producer for the integration tests (run by prove)."""
import sys
import traceback

_n = 0
_failed = 0


def plan(n):
    print(f"1..{n}", flush=True)


def ok(cond, name, diag=None):
    global _n, _failed
    _n += 1
    print(f"{'ok' if cond else 'not ok'} {_n} - {name}", flush=True)
    if not cond:
        _failed += 1
        if diag:
            for line in str(diag).rstrip().splitlines()[:40]:
                print(f"#   {line}", flush=True)
    return cond


def eq(got, want, name):
    return ok(got == want, name, f"got:  {got!r}\nwant: {want!r}")


def skip(name, why):
    global _n
    _n += 1
    print(f"ok {_n} - {name} # SKIP {why}", flush=True)


def diag(msg):
    for line in str(msg).splitlines():
        print(f"# {line}", flush=True)


def bail(msg):
    print(f"Bail out! {msg}", flush=True)
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
