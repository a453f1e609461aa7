"""Runs a bench .tg program under Python: `pyrun.py dask PROG.tg` with
Dask's threaded scheduler, `pyrun.py cpython PROG.tg` as plain sequential
Python (delayed is the identity). Prints the value of the final
`X.compute()` line, as the taskc executable prints out0."""
import sys

mode, path = sys.argv[1], sys.argv[2]
lines = open(path).read().rstrip().split("\n")
last = lines[-1]
assert last.endswith(".compute()"), last
body = "\n".join(lines[:-1])
expr = last[: -len(".compute()")]
if mode == "cpython":
    def delayed(f=None, pure=None):
        return f if f is not None else (lambda g: g)
    body = body.replace("from dask import delayed", "")
    ns = {"delayed": delayed}
    exec(body, ns)
    print("out0 =", repr(eval(expr, ns)))
else:
    import dask
    ns = {}
    exec(body, ns)
    with dask.config.set(scheduler="threads"):
        print("out0 =", repr(eval(expr, ns).compute()))
