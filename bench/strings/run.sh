#!/usr/bin/env bash
# bench/strings/run.sh - the string benchmark of issue 11 (strings.tg:
# split/join/format over 10^6 short lines in 1,000 tasks) as a taskc
# executable, under Dask's threaded scheduler and as sequential CPython, in
# one run: wall seconds (compile time not counted), peak RSS, the ratios,
# and a check that all three print the same result.
#
#   bench/strings/run.sh
#
# Environment: TASKC (default build/taskc), OUT (default
# /tmp/taskc-bench-strings), THREADS (the executable's and Dask's worker
# count; default: all cores).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
TASKC=${TASKC:-$root/build/taskc}
OUT=${OUT:-/tmp/taskc-bench-strings}
THREADS=${THREADS:-$(nproc)}
PY=/usr/bin/python3
mkdir -p "$OUT"

# run LABEL CMD...: sets WALL (s), CPU (user+sys s, all threads) and RSS
# (MB); stdout to $OUT/LABEL.out
run() {
  local label=$1
  shift
  local t0 t1
  t0=$(date +%s%N)
  if /usr/bin/time -f "%M %U %S" -o "$OUT/$label.time" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"; then
    t1=$(date +%s%N)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    RSS=$(tail -n 1 "$OUT/$label.time" | awk '{ printf "%.1f", $1 / 1024 }')
    CPU=$(tail -n 1 "$OUT/$label.time" | awk '{ printf "%.2f", $2 + $3 }')
  else
    WALL=- RSS=- CPU=-
    echo "$label failed: see $OUT/$label.err" >&2
  fi
}

"$TASKC" "$here/strings.tg" -o "$OUT/strings" >"$OUT/build.log" 2>&1 ||
  { echo "taskc failed to compile: see $OUT/build.log" >&2; exit 1; }
run taskc "$OUT/strings" --threads "$THREADS"
tw=$WALL tr=$RSS tc=$CPU
run dask env DASK_NUM_WORKERS="$THREADS" $PY "$here/pyrun.py" dask "$here/strings.tg"
dw=$WALL dr=$RSS dc=$CPU
run cpython $PY "$here/pyrun.py" cpython "$here/strings.tg"
cw=$WALL cr=$RSS cc=$CPU

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1f", a / b }'; }
# wall: the machine as the program uses it; cpu: seconds of all its threads
# (a loaded machine inflates wall times, hardly CPU times)
printf "%-22s %10s %10s %10s %12s %12s\n" "strings ($THREADS threads)" "wall s" "cpu s" "RSS MB" \
  "wall/taskc" "cpu/taskc"
printf "%-22s %10s %10s %10s %12s %12s\n" taskc "$tw" "$tc" "$tr" "" ""
printf "%-22s %10s %10s %10s %12s %12s\n" "dask threaded" "$dw" "$dc" "$dr" "$(ratio "$dw" "$tw")x" \
  "$(ratio "$dc" "$tc")x"
printf "%-22s %10s %10s %10s %12s %12s\n" "cpython sequential" "$cw" "$cc" "$cr" "$(ratio "$cw" "$tw")x" \
  "$(ratio "$cc" "$tc")x"
if cmp -s "$OUT/taskc.out" "$OUT/dask.out" && cmp -s "$OUT/taskc.out" "$OUT/cpython.out"; then
  echo "results agree: $(cat "$OUT/taskc.out")"
else
  echo "RESULTS DIFFER: taskc $(cat "$OUT/taskc.out"), dask $(cat "$OUT/dask.out"), cpython $(cat "$OUT/cpython.out")"
  exit 1
fi
