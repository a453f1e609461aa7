#!/usr/bin/env bash
# bench/arrays/run.sh - the array workloads of issue 4, in one invocation:
# the taskc executable, Dask (threaded scheduler), NumPy and a hand-written
# C + pthreads baseline using the runtime's generator, each timed with
# /usr/bin/time (wall seconds, peak RSS), in a table with ratios.
#
#   bench/arrays/run.sh [WORKLOAD...]     seed linspace chain matmul reshape
#                                         cumsum mask (default; mask: the
#                                         boolean-mask reduction)
#                                         matmul8k (8000 x 8000; on request)
#                                         seedfull stdfull (the seed without
#                                         the slice: mean(axis=0), std())
#
# A workload with a baseline_W_vec.c also gets a c-vec row: the fastest
# hand-written vectorised C (AVX-512, AVX2 fallback) for the same draw.
#
# NumPy and Dask run on Debian's threaded OpenBLAS (libopenblas0-pthread,
# through LD_LIBRARY_PATH, for this run only): the fastest NumPy this
# machine has. taskc and the C baseline link the serial OpenBLAS statically
# and parallelise over blocks themselves.
#
# Environment: TASKC (default build/taskc; libtaskrt.a and taskrt.h are
# looked for next to it), OUT (default /tmp/taskc-bench-arrays: executables,
# outputs, logs), SKIP (implementations to leave out, e.g. "numpy dask"),
# CFLAGS for the baselines (default -O2 -march=native -ffp-contract=off: no
# fused multiply-adds, as taskc's loops), REPEAT (default 1: runs per row;
# wall_s is the median, cpu_s (user + sys) the min and median). Needs /usr/bin/time
# and python3-dask/python3-numpy: bench/arrays/setup.sh installs them.
# A step that fails shows up in the table ("failed to compile", "exit 1")
# and the others still run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
TASKC=${TASKC:-$root/build/taskc}
OUT=${OUT:-/tmp/taskc-bench-arrays}
SKIP=${SKIP:-}
CFLAGS=${CFLAGS:--O2 -march=native -ffp-contract=off}
REPEAT=${REPEAT:-1}
PY=/usr/bin/python3
rtdir=$(dirname "$TASKC")
works=("$@")
[ ${#works[@]} -eq 0 ] && works=(seed linspace chain matmul reshape cumsum mask)
mkdir -p "$OUT"

skipped() { [[ " $SKIP " == *" $1 "* ]]; }

# run LABEL CMD...: runs REPEAT times; sets WALL (median s), CPU ("min/median"
# user + sys s), RSS (MB) and STATUS
run() {
  local label=$1
  shift
  WALL=- CPU=- RSS=- STATUS=ok
  local t0 t1 walls=() cpus=() u s
  for ((rep = 0; rep < REPEAT; rep++)); do
    t0=$(date +%s%N)
    if ! /usr/bin/time -f "%e %M %U %S" -o "$OUT/$label.time" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"; then
      STATUS="$(head -n 1 "$OUT/$label.time"): see $OUT/$label.err"
      return
    fi
    t1=$(date +%s%N)
    read -r _ RSS u s <"$OUT/$label.time"
    # %e has 10 ms steps; the clock around it has about 1 ms of fork overhead
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
  done
  WALL=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  CPU=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%s/%s", v[1], v[int((NR + 1) / 2)] }')
  RSS=$(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }')
}

ratio() { # ratio A B -> A/B with 2 decimals, or -
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'
}

arch=$(gcc -print-multiarch)
serial_blas=/usr/lib/$arch/openblas-serial/libopenblas.a
threaded_blas=/usr/lib/$arch/openblas-pthread
py_env=()
[ -e "$threaded_blas/libblas.so.3" ] && py_env=(env "LD_LIBRARY_PATH=$threaded_blas")

# build everything first, so compile time is not measured
declare -A built
for w in "${works[@]}"; do
  built[taskc-$w]="taskc: failed to compile (see $OUT/taskc-$w.build.log)"
  if [ -x "$TASKC" ] && "$TASKC" "$here/$w.tg" -o "$OUT/taskc-$w" >"$OUT/taskc-$w.build.log" 2>&1; then
    built[taskc-$w]=ok
  fi
  built[c-vec-$w]="no vectorised C baseline"
  # shellcheck disable=SC2086
  if [ -f "$here/baseline_${w}_vec.c" ]; then
    built[c-vec-$w]="C baseline: failed to compile (see $OUT/c-vec-$w.build.log)"
    cc $CFLAGS -I"$rtdir" -iquote "$root/runtime" -iquote "$root/ir" "$here/baseline_${w}_vec.c" \
      "$rtdir/libtaskrt.a" "$serial_blas" -lm -lpthread -o "$OUT/c-vec-$w" >"$OUT/c-vec-$w.build.log" 2>&1 &&
      built[c-vec-$w]=ok
  fi
  built[c-$w]="C baseline: failed to compile (see $OUT/c-$w.build.log)"
  [ -f "$here/baseline_$w.c" ] || { built[c-$w]="no C baseline"; continue; }
  # shellcheck disable=SC2086
  # -iquote, not -I: the runtime's headers must not stand in for system ones.
  if cc $CFLAGS -I"$rtdir" -iquote "$root/runtime" -iquote "$root/ir" "$here/baseline_$w.c" "$rtdir/libtaskrt.a" \
    "$serial_blas" -lm -lpthread -o "$OUT/c-$w" >"$OUT/c-$w.build.log" 2>&1; then
    built[c-$w]=ok
  fi
done

printf '%-9s %-7s %8s %11s %8s %7s %7s  %s\n' workload impl wall_s cpu_s peak_MB "/C" "/taskc" status
for w in "${works[@]}"; do
  declare -A wall=() cpu=() rss=() st=()
  impls=()
  for impl in taskc c c-vec c-kept dask numpy; do
    [ "$impl" = c-kept ] && [ "$w" != seed ] && continue
    [ "$impl" = c-vec ] && [ ! -f "$here/baseline_${w}_vec.c" ] && continue
    skipped "$impl" && continue
    impls+=("$impl")
    case $impl in
    taskc | c | c-vec)
      if [ "${built[$impl-$w]}" != ok ]; then
        wall[$impl]=- cpu[$impl]=- rss[$impl]=- st[$impl]=${built[$impl-$w]}
        continue
      fi
      run "$impl-$w" "$OUT/$impl-$w" ;;
    c-kept)
      if [ "${built[c-$w]}" != ok ]; then
        wall[$impl]=- cpu[$impl]=- rss[$impl]=- st[$impl]=${built[c-$w]}
        continue
      fi
      run "c-kept-$w" "$OUT/c-$w" --kept-only ;;
    dask | numpy) run "$impl-$w" "${py_env[@]}" "$PY" "$here/pybench.py" "$impl" "$w" ;;
    esac
    wall[$impl]=$WALL cpu[$impl]=$CPU rss[$impl]=$RSS st[$impl]=$STATUS
  done
  for impl in "${impls[@]}"; do
    # the C baselines draw taskc's random streams: same printed output
    if [ "${st[$impl]}" = ok ] && [ "${impl#c}" != "$impl" ] && [ "${st[taskc]:-}" = ok ]; then
      if cmp -s "$OUT/$impl-$w.out" "$OUT/taskc-$w.out"; then
        st[$impl]="ok, output = taskc's"
      else
        st[$impl]="ok, output differs from taskc's"
      fi
    fi
    printf '%-9s %-7s %8s %11s %8s %7s %7s  %s\n' "$w" "$impl" "${wall[$impl]}" "${cpu[$impl]}" "${rss[$impl]}" \
      "$(ratio "${wall[$impl]}" "${wall[c]:--}")" "$(ratio "${wall[$impl]}" "${wall[taskc]:--}")" \
      "${st[$impl]}"
  done
done
echo "(/C, /taskc: wall time divided by the C baseline's / taskc's; cpu_s: user + sys, min/median"
echo " of REPEAT=$REPEAT runs; outputs in $OUT/*.out)"
