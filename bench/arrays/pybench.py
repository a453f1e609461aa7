"""The bench/arrays workloads in Dask (threaded scheduler) and in NumPy.

usage: /usr/bin/python3 pybench.py dask|numpy seed|seedfull|stdfull|linspace|chain|matmul|matmul8k|reshape|cumsum|mask
Prints the result as the .tg program's output lines would."""
import sys

import numpy as np


def dask_run(work):
    import dask
    import dask.array as da

    dask.config.set(scheduler="threads")
    if work == "seed":
        x = da.random.normal(10, 0.1, size=(20000, 20000), chunks=(1000, 1000))
        return "y", x.mean(axis=0)[::100].compute()
    if work in ("seedfull", "stdfull"):
        x = da.random.normal(10, 0.1, size=(20000, 20000), chunks=(1000, 1000))
        return ("y", x.mean(axis=0).compute()) if work == "seedfull" else ("s", x.std().compute())
    if work == "linspace":
        return "total", da.linspace(1, 10, 1000000, chunks=(1000,)).sum().compute()
    if work == "chain":
        x = da.random.random((10000, 10000), chunks=(1000, 1000))
        y = da.random.random((10000, 10000), chunks=(1000, 1000))
        return "z", ((x * 2 + y) ** 2).mean(axis=1).compute()
    if work == "reshape":
        x = da.linspace(0, 1, 100000000, chunks=(10000000,))
        y = x.reshape((10000, 10000)).rechunk((1000, 10000))
        return "z", (y.reshape((10000, 4, 2500)) * 3).sum(axis=2).compute()
    if work == "cumsum":
        x = da.linspace(0, 1, 10000, chunks=(1000,)) * da.ones((10000, 10000), chunks=(1000, 1000))
        return "c", x.cumsum(axis=1)[:, -1].compute()
    if work == "mask":  # one compute: the sum and the mean share the mask
        x = da.random.normal(10, 0.1, (40_000_000,), chunks=2_000_000)
        y = x[x > 10.1]
        s, m = dask.compute(y.sum(), y.mean())
        return [("s", s), ("m", m)]
    n, c = (8000, 2000) if work == "matmul8k" else (4000, 1000)
    x = da.random.random((n, n), chunks=(c, c))
    y = da.random.random((n, n), chunks=(c, c))
    return "total", (x @ y).sum().compute()


def numpy_run(work):
    rng = np.random.default_rng(0)  # NumPy's fastest generator (a ziggurat)
    if work == "seed":
        return "y", rng.normal(10, 0.1, size=(20000, 20000)).mean(axis=0)[::100]
    if work in ("seedfull", "stdfull"):
        x = rng.normal(10, 0.1, size=(20000, 20000))
        return ("y", x.mean(axis=0)) if work == "seedfull" else ("s", x.std())
    if work == "linspace":
        return "total", np.linspace(1, 10, 1000000).sum()
    if work == "chain":
        x = rng.random((10000, 10000))
        y = rng.random((10000, 10000))
        return "z", ((x * 2 + y) ** 2).mean(axis=1)
    if work == "reshape":
        x = np.linspace(0, 1, 100000000)
        return "z", (x.reshape((10000, 4, 2500)) * 3).sum(axis=2)
    if work == "cumsum":
        x = np.linspace(0, 1, 10000) * np.ones((10000, 10000))
        return "c", x.cumsum(axis=1)[:, -1]
    if work == "mask":
        x = rng.normal(10, 0.1, 40_000_000)
        y = x[x > 10.1]
        return [("s", y.sum()), ("m", y.mean())]
    n = 8000 if work == "matmul8k" else 4000
    x = rng.random((n, n))
    y = rng.random((n, n))
    return "total", (x @ y).sum()


def main():
    mode, work = sys.argv[1], sys.argv[2]
    out = (dask_run if mode == "dask" else numpy_run)(work)
    for name, value in out if isinstance(out, list) else [out]:
        print(f"{name} = {value!r}")


main()
