"""The bench/arrays workloads in Dask (threaded scheduler) and in NumPy.

usage: /usr/bin/python3 pybench.py dask|numpy seed|linspace|chain|matmul|matmul8k
Prints the result as the .tg program's output line would."""
import sys

import numpy as np


def dask_run(work):
    import dask
    import dask.array as da

    dask.config.set(scheduler="threads")
    if work == "seed":
        x = da.random.normal(10, 0.1, size=(20000, 20000), chunks=(1000, 1000))
        return "y", x.mean(axis=0)[::100].compute()
    if work == "linspace":
        return "total", da.linspace(1, 10, 1000000, chunks=(1000,)).sum().compute()
    if work == "chain":
        x = da.random.random((10000, 10000), chunks=(1000, 1000))
        y = da.random.random((10000, 10000), chunks=(1000, 1000))
        return "z", ((x * 2 + y) ** 2).mean(axis=1).compute()
    n, c = (8000, 2000) if work == "matmul8k" else (4000, 1000)
    x = da.random.random((n, n), chunks=(c, c))
    y = da.random.random((n, n), chunks=(c, c))
    return "total", (x @ y).sum().compute()


def numpy_run(work):
    rng = np.random.default_rng(0)  # NumPy's fastest generator (a ziggurat)
    if work == "seed":
        return "y", rng.normal(10, 0.1, size=(20000, 20000)).mean(axis=0)[::100]
    if work == "linspace":
        return "total", np.linspace(1, 10, 1000000).sum()
    if work == "chain":
        x = rng.random((10000, 10000))
        y = rng.random((10000, 10000))
        return "z", ((x * 2 + y) ** 2).mean(axis=1)
    n = 8000 if work == "matmul8k" else 4000
    x = rng.random((n, n))
    y = rng.random((n, n))
    return "total", (x @ y).sum()


def main():
    mode, work = sys.argv[1], sys.argv[2]
    name, value = (dask_run if mode == "dask" else numpy_run)(work)
    print(f"{name} = {value!r}")


main()
