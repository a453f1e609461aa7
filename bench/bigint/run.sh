#!/usr/bin/env bash
# bench/bigint/run.sh - the big-int benchmark of issue 11 (bigint.tg:
# factorial(2000) by a loop in each of 100 tasks) as a taskc
# executable, under Dask's threaded scheduler and as sequential CPython, in
# one run: wall seconds (compile time not counted), peak RSS, the ratios,
# and a check that all three print the same result. taskc also runs on one
# thread: the goal (issue 11) is to be within 2x of sequential CPython, whose
# ints are its own arbitrary-precision PyLongs.
#
#   bench/bigint/run.sh
#
# Environment: TASKC (default build/taskc), OUT (default
# /tmp/taskc-bench-bigint), THREADS (the executable's and Dask's worker
# count; default: all cores).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
TASKC=${TASKC:-$root/build/taskc}
OUT=${OUT:-/tmp/taskc-bench-bigint}
THREADS=${THREADS:-$(nproc)}
PY=/usr/bin/python3
mkdir -p "$OUT"

# run LABEL CMD...: sets WALL (s) and RSS (MB); stdout to $OUT/LABEL.out
run() {
  local label=$1
  shift
  local t0 t1
  t0=$(date +%s%N)
  if /usr/bin/time -f "%M" -o "$OUT/$label.time" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"; then
    t1=$(date +%s%N)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    RSS=$(awk -v k="$(tail -n 1 "$OUT/$label.time")" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    WALL=- RSS=-
    echo "$label failed: see $OUT/$label.err" >&2
  fi
}

"$TASKC" "$here/bigint.tg" -o "$OUT/bigint" >"$OUT/build.log" 2>&1 ||
  { echo "taskc failed to compile: see $OUT/build.log" >&2; exit 1; }
run taskc "$OUT/bigint" --threads "$THREADS"
tw=$WALL tr=$RSS
run taskc1 "$OUT/bigint" --threads 1
t1w=$WALL t1r=$RSS
run dask env DASK_NUM_WORKERS="$THREADS" $PY "$root/bench/strings/pyrun.py" dask "$here/bigint.tg"
dw=$WALL dr=$RSS
run cpython $PY "$root/bench/strings/pyrun.py" cpython "$here/bigint.tg"
cw=$WALL cr=$RSS

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1f", a / b }'; }
printf "%-22s %10s %10s %14s\n" "bigint ($THREADS threads)" "wall s" "RSS MB" "speedup taskc"
printf "%-22s %10s %10s %14s\n" taskc "$tw" "$tr" ""
printf "%-22s %10s %10s %14s\n" "taskc 1 thread" "$t1w" "$t1r" "$(ratio "$t1w" "$tw")x"
printf "%-22s %10s %10s %14s\n" "dask threaded" "$dw" "$dr" "$(ratio "$dw" "$tw")x"
printf "%-22s %10s %10s %14s\n" "cpython sequential" "$cw" "$cr" "$(ratio "$cw" "$tw")x"
echo "cpython / taskc on 1 thread: $(ratio "$cw" "$t1w")x (goal: >= 0.5x)"
if cmp -s "$OUT/taskc.out" "$OUT/dask.out" && cmp -s "$OUT/taskc.out" "$OUT/cpython.out"; then
  echo "results agree: $(cat "$OUT/taskc.out")"
else
  echo "RESULTS DIFFER: taskc $(cat "$OUT/taskc.out"), dask $(cat "$OUT/dask.out"), cpython $(cat "$OUT/cpython.out")"
  exit 1
fi
