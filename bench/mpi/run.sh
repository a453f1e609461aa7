#!/bin/sh
# run.sh - taskc --mpi on this host (docs/bench.md, "MPI"):
#   1. raw MPI ping-pong (one-way time per size) and what taskc adds per
#      message (encoding + decoding, runtime/msg.c; msgcost.c);
#   2. a chain alternating between 2 ranks: taskc's time per hop of a small
#      value against raw MPI's one-way latency;
#   3. the seed array example without the slice, and 1M- and 10k-task
#      graphs, at R = 1, 2 ranks (1 thread each) against the threaded run
#      (T = 1, 2) and Dask distributed (LocalCluster of 2 worker processes
#      of 1 thread, bench/mpi/dask_dist.py; python3-distributed, installed
#      by bench/setup.sh).
#   usage: bench/mpi/run.sh [BUILD_DIR]     (default: build)
# Environment: OUT=/tmp/taskc-mpi-bench HOPS=2000 (chain steps / 2)
#   DASK_MAX=100000: graphs of more tasks are not run on Dask distributed
#   (0.07 ms per task in a warm cluster, 2.5-3.4 ms in a fresh one's first
#   graph on this loaded host: 100k tasks took over 3 minutes)
#   DASK_REPEAT=3: Dask distributed runs per program; the column shows the
#   median of runs 2.. and, after the slash, the first run (a fresh
#   cluster's first graph costs far more)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${OUT:-/tmp/taskc-mpi-bench}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun="mpirun --oversubscribe --mca btl self,vader"
taskc=$build/taskc
echo "# host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "## 1. per message: raw MPI one-way vs taskc's encode+decode"
mpicc -O2 -o "$out/pingpong" "$here/pingpong.c"
cc -O2 -I"$root/runtime" -I"$root/ir" -o "$out/msgcost" "$here/msgcost.c" \
  "$build/libtaskrt.a" -lpthread -lm
$mpirun -n 2 "$out/pingpong" 2000 > "$out/pingpong.txt"
"$out/msgcost" > "$out/msgcost.txt"
echo "bytes     mpi_us  mpi_MB/s  taskc_added_us  added_%"
join "$out/pingpong.txt" "$out/msgcost.txt" |
  awk '{printf "%-9s %7.2f %9.0f %15.2f %8.0f\n", $1, $2, $3, $4, 100 * $4 / $2}'

# run time (ms) of a distributed run, from rank 0's --stats line
mpi_ms() {
  n=$1
  shift
  $mpirun -n "$n" "$@" --stats 2>&1 >/dev/null | sed -n 's/.*run time: \([0-9.]*\) ms/\1/p'
}
# median ms of the threaded run (--bench)
pool_ms() {
  "$@" --bench --repeat 3 | sed -n 's/^wall time (ms): median \([0-9.]*\),.*/\1/p'
}

echo "## 2. small messages: a chain alternating ranks 0 and 1"
sed "s/^m = 2000/m = ${HOPS:-2000}/" "$here/hop_chain.tg" > "$out/hop_chain.tg"
"$taskc" "$out/hop_chain.tg" --mpi --no-fuse -o "$out/hop_chain"
# each message is one hop of the chain (steps whose source the placement
# put on the same rank as the step before cost no message)
for run in 1 2 3; do
  $mpirun -n 2 "$out/hop_chain" --threads 1 --stats 2>&1 >/dev/null |
    sed -n 's/.*messages: \([0-9]*\), run time: \([0-9.]*\) ms/\1 \2/p' |
    awk -v raw="$(head -1 "$out/pingpong.txt" | cut -d' ' -f2)" \
      '{printf "%d hops in %.3f ms: %.2f us per hop (raw MPI one-way 8 B: %s us)\n", $1, $2, $2 * 1000 / $1, raw}'
done

echo "## 3. whole programs: ms per run (threads: --bench median of 3; ranks: rank 0's run time)"
sed 's/^y = x.mean(axis=0)\[::100\] .*/y = x.mean(axis=0)/' "$root/examples/array_random_mean.tg" \
  > "$out/seed_array.tg"
"$taskc" "$out/seed_array.tg" --mpi -o "$out/seed_array"
for n in 1000000 10000; do
  python3 "$root/bench/overhead/gen.py" wide $n "$out" >/dev/null
  "$taskc" "$out/wide-$n.tg" --mpi --no-fuse --step-limit=2000000000 -o "$out/wide-$n"
done
# Dask distributed: median ms of DASK_REPEAT runs on a running LocalCluster
dask_ms() {
  if ! /usr/bin/python3 -c "import distributed" 2>/dev/null; then
    echo "n/a"
  elif [ "$2" -gt "${DASK_MAX:-100000}" ]; then
    echo "skipped"
  else
    ms=$(/usr/bin/python3 "$here/dask_dist.py" "$1" "$3" "${DASK_REPEAT:-3}" 2>"$out/dask.err" |
      awk '{printf "%.0f/%.0f", $1, $2}')
    echo "${ms:-failed}"
  fi
}
printf "%-14s %8s %8s %8s %8s %14s\n" program T=1 T=2 R=1 R=2 dask-dist
for p in seed_array wide-1000000 wide-10000; do
  case $p in
    seed_array) d=$(dask_ms tg 400 "$out/$p.tg") ;;
    wide-*) d=$(dask_ms graph "${p#wide-}" "$out/$p.graph") ;;
  esac
  printf "%-14s %8s %8s %8s %8s %14s\n" "$p" "$(pool_ms "$out/$p" --threads 1)" \
    "$(pool_ms "$out/$p" --threads 2)" "$(mpi_ms 1 "$out/$p" --threads 1)" \
    "$(mpi_ms 2 "$out/$p" --threads 1)" "$d"
done
echo "(dask-dist: 2 worker processes x 1 thread, cluster started before the clock," \
  "median of runs 2..DASK_REPEAT / first run;" \
  "n/a: python3-distributed missing, skipped: more than DASK_MAX tasks, failed: see $out/dask.err)"
