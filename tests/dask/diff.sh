#!/bin/bash
# Differential test: run PROG.tg under real Dask and as a taskc executable,
# and check that every run prints the same outputs.
#
#   bash tests/dask/diff.sh PROG.tg [TASKC_BIN]
#
# TASKC_BIN defaults to $TASKC, then build/taskc in the source tree. The
# executable runs with its defaults, with --threads 1, 2 and 4, and compiled
# with every pass off (at 1 and 4 threads); each JSON output is compared with
# Dask's (tests/dask/compare.py).
# A line `# diff-rtol: R` (or `# diff-atol: A`) in PROG.tg allows a float
# tolerance, for programs whose float reductions may add up in another order.
# Skips (exit 0) when Debian's python3-dask is not installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
py=${TASKC_PYTHON:-/usr/bin/python3}  # Debian's, with python3-dask
prog=${1:?usage: diff.sh PROG.tg [TASKC_BIN]}
taskc=${2:-${TASKC:-$here/../../build/taskc}}
prog=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog")
# we cd to a scratch folder below: make a relative TASKC_BIN absolute
case $taskc in /*) ;; */*) taskc=$PWD/$taskc ;; esac

if ! "$py" -c "import dask" 2>/dev/null; then
  echo "SKIP: python3-dask not installed"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/taskc-diff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Pictures that visualize() writes and files the program saves land in $tmp.
cd "$tmp" || exit 1

fail() { echo "FAIL: $*" >&2; exit 1; }

# run NAME CMD...: stdout to $tmp/NAME.json, stderr shown on failure.
run() {
  local name=$1; shift
  timeout 120 "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
  local st=$?
  if [ $st != 0 ]; then
    cat "$tmp/$name.err" >&2
    [ $st = 124 ] && fail "$name: '$*' timed out after 120 s"
    fail "$name: '$*' exited with status $st"
  fi
}

tol=()
r=$(sed -n 's/^# *diff-rtol: *\([^ ]*\).*/\1/p' "$prog" | head -n1)
a=$(sed -n 's/^# *diff-atol: *\([^ ]*\).*/\1/p' "$prog" | head -n1)
[ -n "$r" ] && tol+=(--rtol "$r")
[ -n "$a" ] && tol+=(--atol "$a")

# NumPy takes the BLAS Debian's alternatives point at; a threaded OpenBLAS
# rounds matrix products differently from the serial one taskc links
# (runtime/matmul.c). The oracle is NumPy on that same serial build.
blas=/usr/lib/$(gcc -print-multiarch 2>/dev/null)/openblas-serial
oracle_libs=${LD_LIBRARY_PATH:-}
[ -e "$blas/libblas.so.3" ] && oracle_libs=$blas${oracle_libs:+:$oracle_libs}
LD_LIBRARY_PATH=$oracle_libs run dask "$py" "$here/run_dask.py" "$prog"
run compile "$taskc" "$prog" -o "$tmp/prog"
run compile-nopass "$taskc" "$prog" -o "$tmp/prog-nopass" \
    --no-cull --no-cse --no-tree-reduce --no-fuse
run taskc "$tmp/prog" --format json
sides="taskc"
for n in 1 2 4; do
  run taskc-threads$n "$tmp/prog" --format json --threads $n
  sides="$sides taskc-threads$n"
done
for n in 1 4; do
  run taskc-nopass$n "$tmp/prog-nopass" --format json --threads $n
  sides="$sides taskc-nopass$n"
done

status=0
for side in $sides; do
  "$py" "$here/compare.py" "${tol[@]}" --labels "dask,$side" \
      "$tmp/dask.json" "$tmp/$side.json" || status=1
done
if [ $status = 0 ]; then
  echo "OK: $(basename "$prog"): $(cat "$tmp/dask.json")"
fi
exit $status
