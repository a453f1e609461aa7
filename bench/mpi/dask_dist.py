#!/usr/bin/python3
"""dask_dist.py KIND FILE REPEAT - bench/mpi's Dask distributed column: the
program on a LocalCluster of 2 worker processes of 1 thread each (as taskc's
R = 2, T = 1), started before the clock. Prints "MS FIRST OUTPUT": the
median wall time (ms) of runs 2..REPEAT (of the only run if REPEAT is 1),
the first run's (a fresh cluster's first graph pays much more: 29-35 s
against 1.4 s for 10,000 tasks here), and the result for a check by eye.

  KIND tg     FILE is a .tg program, run as Python by tests/dask/prelude.py
              with its compute() calls sent to the cluster (graph building
              in Python is timed too, as Dask users pay it)
  KIND graph  FILE is a bench/overhead/gen.py .graph, run as a Dask dict
              by client.get (building the dict is not timed)
"""
import os
import sys
import time

import dask
from distributed import Client, LocalCluster

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tests", "dask"))
M = 1000003


def leaf(v):
    return v


def node(*xs):
    return (sum(xs) + 1) % M


def read_graph(path):
    """The .graph as a Dask dict, as bench/overhead/dask_graph.py reads it."""
    dsk = {}
    with open(path) as f:
        for i, line in enumerate(f):
            w = line.split()
            if w[0] == "L":
                dsk["t%d" % i] = (leaf, int(w[1]))
            else:
                dsk["t%d" % i] = (node,) + tuple("t" + d for d in w[1:])
    return dsk, "t%d" % (len(dsk) - 1)


def run_tg(path):
    import prelude

    def on_cluster(*args, **kwargs):
        kwargs["scheduler"] = "distributed"
        return prelude.orig_compute(*args, **kwargs)

    prelude.run_compute = on_cluster
    with open(path, encoding="utf-8") as f:
        source = f.read()
    items = prelude.run(os.path.abspath(path), source)
    return " ".join("%s=%s" % (n, str(prelude.plain(v))[:40]) for n, v in items)


def run_graph(client, dsk, out):
    return client.get(dsk, out)


def main():
    kind, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    dsk, out = read_graph(path) if kind == "graph" else (None, None)
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        if kind == "tg":
            result = run_tg(path)
        else:
            result = run_graph(client, dsk, out)
        times.append(time.perf_counter() - t0)
    first = times[0]
    times = sorted(times[1:] or times)
    print("%.1f %.1f %s" % (times[len(times) // 2] * 1e3, first * 1e3, result))
    client.close()
    cluster.close()


if __name__ == "__main__":
    with dask.config.set({"distributed.logging.distributed": "error"}):
        main()
