"""Dask's and pandas' side of bench/dataframes/run.sh's groupby row:
df[df.Lat > 40.7].groupby('Base').Lon.mean() of the Uber CSV, best of
REPEAT, in ms (Dask with the threaded scheduler, as the taskc executable
runs its graph; the same blocksize).

    /usr/bin/python3 groupby.py FILE REPEAT [BLOCKSIZE]
"""
import sys
import time

import dask.dataframe as dd
import pandas as pd

path, repeat = sys.argv[1], int(sys.argv[2])
blocksize = int(sys.argv[3]) if len(sys.argv) > 3 else "default"


def best(f):
    t = float("inf")
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - s)
    return t * 1e3


def with_dask():
    df = dd.read_csv(path, blocksize=blocksize)
    return df[df.Lat > 40.7].groupby("Base").Lon.mean().compute(scheduler="threads")


def with_pandas():
    df = pd.read_csv(path)
    return df[df.Lat > 40.7].groupby("Base").Lon.mean()


nparts = dd.read_csv(path, blocksize=blocksize).npartitions
d = best(with_dask)
p = best(with_pandas)
print("dask   filter+groupby mean, %d partitions:  %8.1f ms" % (nparts, d))
print("pandas filter+groupby mean:                %8.1f ms" % p)
