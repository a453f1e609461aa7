#!/bin/sh
# run.sh - the scheduling-overhead benchmark (docs/bench.md): trivial tasks
# in three shapes at N = 10k, 100k, 1M, run by taskc executables, a TBB
# flow graph, OpenMP tasks and Dask (threaded and sync), in one run; prints
# ns per task, the ratios, and taskc's compile time and peak memory per N.
#   usage: bench/overhead/run.sh [BUILD_DIR]      (default: build)
# Environment: NS="10000 100000 1000000" THREADS="1 2" REPEAT=5
#   DASK_MAX=100000 (Dask takes minutes at 1M) OUT=/tmp/taskc-overhead
#   SHAPES="wide chain dag"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
"$root/bench/setup.sh"
TASKC=$build/taskc exec /usr/bin/python3 "$here/run.py"
