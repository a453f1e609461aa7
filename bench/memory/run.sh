#!/bin/sh
# run.sh - the memory-aware order benchmark (docs/bench.md): peak RSS of
# pipelines.tg and fanout.tg under taskc's static order, under first-come order
# (--no-priority), and under Dask (tests/dask/run_dask.py, threaded
# scheduler; its interpreter baseline measured with N = 1 and shown apart).
#   usage: bench/memory/run.sh [BUILD_DIR]      (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${OUT:-/tmp/taskc-memory}
mkdir -p "$out"
peak() { # command... -> "seconds MB"
  /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%s s, %.0f MB", $1, $2 / 1024}'
}
table() { # NAME: compile and measure bench/memory/NAME.tg
  "$build/taskc" "$here/$1.tg" -o "$out/$1"
  echo "| run | threads | time, peak RSS | peak live values |"
  echo "|---|---|---|---|"
  for t in 1 2; do
    for mode in order no-priority; do
      flag=; [ $mode = no-priority ] && flag=--no-priority
      live=$("$out/$1" --threads $t --stats $flag 2>&1 >/dev/null | sed -n 's/peak live values: //p')
      echo "| taskc $mode | $t | $(peak "$out/$1" --threads $t $flag) | $live |"
    done
  done
  sed 's/^N = 2000000 /N = 1 /' "$here/$1.tg" >"$out/$1-baseline.tg"
  echo "| Dask threaded | 2 | $(peak /usr/bin/python3 "$root/tests/dask/run_dask.py" "$here/$1.tg") | - |"
  echo "| Dask, N = 1 (interpreter baseline) | 2 | $(peak /usr/bin/python3 "$root/tests/dask/run_dask.py" "$out/$1-baseline.tg") | - |"
}
echo "pipelines.tg: 32 pipelines, chunk = 2M items (taskc: 32 MB a chunk)"
table pipelines
echo
echo "fanout.tg: 8 lists of 2M items, each read by two outputs (totals, then sizes)"
table fanout
