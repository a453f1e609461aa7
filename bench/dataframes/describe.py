"""Dask's and pandas' side of bench/dataframes/run.sh: describe() of the
Uber CSV, best of REPEAT, in ms (Dask with the threaded scheduler, as the
taskc executable runs its graph; the same blocksize).

    /usr/bin/python3 describe.py FILE REPEAT [BLOCKSIZE]
"""
import sys
import time

t0 = time.perf_counter()
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
imports = time.perf_counter() - t0

path, repeat = sys.argv[1], int(sys.argv[2])
blocksize = int(sys.argv[3]) if len(sys.argv) > 3 else "default"


def best(f):
    t = float("inf")
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - s)
    return t * 1e3


nparts = dd.read_csv(path, blocksize=blocksize).npartitions
d = best(lambda: dd.read_csv(path, blocksize=blocksize).describe().compute(scheduler="threads"))
p = best(lambda: pd.read_csv(path).describe())
print("dask   describe().compute(), %d partitions: %8.1f ms (imports %.0f ms)" % (nparts, d, imports * 1e3))
print("pandas read_csv().describe():              %8.1f ms" % p)
