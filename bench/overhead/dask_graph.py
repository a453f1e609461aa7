#!/usr/bin/python3
"""dask_graph.py FILE.graph SCHEDULER THREADS REPEAT - the graph as a Dask
dict ({'t12': (node, 't3', 't7'), ...}) run by dask.threaded.get
(SCHEDULER=threaded, THREADS workers) or dask.get (sync). Prints
"ns_per_task value": median wall time of the get() call over REPEAT runs
(building the dict is not timed; Dask's own ordering and bookkeeping are)."""
import sys
import time

import dask
import dask.threaded

M = 1000003


def leaf(v):
    return v


def node(*xs):
    return (sum(xs) + 1) % M


def read(path):
    dsk = {}
    with open(path) as f:
        for i, line in enumerate(f):
            w = line.split()
            if w[0] == 'L':
                dsk['t%d' % i] = (leaf, int(w[1]))
            else:
                dsk['t%d' % i] = (node,) + tuple('t' + d for d in w[1:])
    return dsk, 't%d' % (len(dsk) - 1)


def main():
    path, sched, threads, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    dsk, out = read(path)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        if sched == 'threaded':
            v = dask.threaded.get(dsk, out, num_workers=threads)
        else:
            v = dask.get(dsk, out)
        times.append(time.perf_counter() - t0)
    times.sort()
    print('%.1f %d' % (times[len(times) // 2] * 1e9 / len(dsk), v))


main()
