#!/bin/sh
# bench/dataframes/run.sh - the CSV float parser's throughput, then
# read_csv().describe() and a filter + groupby mean against Dask and
# pandas. The parser: builds
# csv_float_bench.c against the runtime, writes a ~25 MB file of lat/lon
# lines ("40.7499,-73.9644", the Lat/Lon columns of scripts/gen_uber_csv.py)
# and times csv_parse_f64 against strtod on it, one thread.
#
#   bench/dataframes/run.sh [REPEAT]     (default 5)
#
# Environment: BUILD (default build: libtaskrt.a is looked for there),
# OUT (default /tmp/taskc-bench-dataframes), CFLAGS (default -O2, as the
# runtime is built).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$root/build}
OUT=${OUT:-/tmp/taskc-bench-dataframes}
CFLAGS=${CFLAGS:--O2}
mkdir -p "$OUT"
cc $CFLAGS -I"$root/runtime" -o "$OUT/csv_float_bench" "$here/csv_float_bench.c" \
  "$BUILD/libtaskrt.a" -lm -lpthread
if ! [ -s "$OUT/latlon.csv" ]; then
  /usr/bin/python3 "$root/scripts/gen_uber_csv.py" --rows 1500000 --seed 1 |
    tail -n +2 | cut -d, -f2,3 >"$OUT/latlon.csv"
fi
"$OUT/csv_float_bench" "$OUT/latlon.csv" "${1:-5}"

# read_csv().describe() of the tutorial's Uber file (564,516 rows, 26 MB):
# the taskc executable's graph run (--bench: best and median of REPEAT),
# Dask's describe().compute() and pandas in the same run, each at the
# default blocksize (one partition here) and at 4 MB blocks; then whole
# processes (compile excluded for taskc; imports included for Dask).
if ! [ -s "$OUT/uber.csv" ]; then
  /usr/bin/python3 "$root/scripts/gen_uber_csv.py" --seed 1 -o "$OUT/uber.csv"
fi
for bs in default 4000000; do
  arg=""; [ "$bs" = default ] || arg=", blocksize=$bs"
  printf 'import dask.dataframe as dd\nd = dd.read_csv("uber.csv"%s).describe()\nd.compute()\n' \
    "$arg" >"$OUT/describe_$bs.tg"
  "$BUILD/taskc" "$OUT/describe_$bs.tg" -o "$OUT/describe_$bs"
  echo "== blocksize $bs"
  for t in 1 2; do
    printf 'taskc  describe, %d thread(s): ' "$t"
    "$OUT/describe_$bs" --bench --threads "$t" --repeat "${1:-5}" 2>&1 | grep 'wall time'
  done
  if [ "$bs" = default ]; then
    /usr/bin/python3 "$here/describe.py" "$OUT/uber.csv" "${1:-5}"
  else
    /usr/bin/python3 "$here/describe.py" "$OUT/uber.csv" "${1:-5}" "$bs"
  fi
done
# The hand-written C reader (describe_c.c): the same describe, one thread.
cc $CFLAGS -o "$OUT/describe_c" "$here/describe_c.c" -lm
"$OUT/describe_c" "$OUT/uber.csv" "${1:-5}" | head -n 1
# df[df.Lat > 40.7].groupby('Base').Lon.mean(): a filter, then Dask's
# groupby aca (chunk per partition, aggregate), the same three ways.
for bs in default 4000000; do
  arg=""; [ "$bs" = default ] || arg=", blocksize=$bs"
  printf 'import dask.dataframe as dd\ndf = dd.read_csv("uber.csv"%s)\ndf[df.Lat > 40.7].groupby("Base").Lon.mean().compute()\n' \
    "$arg" >"$OUT/groupby_$bs.tg"
  "$BUILD/taskc" "$OUT/groupby_$bs.tg" -o "$OUT/groupby_$bs"
  echo "== groupby, blocksize $bs"
  for t in 1 2; do
    printf 'taskc  filter+groupby mean, %d thread(s): ' "$t"
    "$OUT/groupby_$bs" --bench --threads "$t" --repeat "${1:-5}" 2>&1 | grep 'wall time'
  done
  if [ "$bs" = default ]; then
    /usr/bin/python3 "$here/groupby.py" "$OUT/uber.csv" "${1:-5}"
  else
    /usr/bin/python3 "$here/groupby.py" "$OUT/uber.csv" "${1:-5}" "$bs"
  fi
done
printf 'import sys\nimport dask.dataframe as dd\nprint(dd.read_csv(sys.argv[1]).describe().compute())\n' \
  >"$OUT/describe_once.py"
/usr/bin/time -f "taskc whole process: %e s wall, %M KB peak" "$OUT/describe_default" >/dev/null
/usr/bin/time -f "dask  whole process: %e s wall, %M KB peak" \
  /usr/bin/python3 "$OUT/describe_once.py" "$OUT/uber.csv" >/dev/null

# Whole executables at --threads 2 (best of REPEAT wall, and peak RSS):
# describe at 4 MB blocks (6 partitions), head(), parse_dates +
# .dt.hour.mean() at 4 MB blocks, against Dask's compute of the same.
best() { # best wall time (s) and its peak KB of REPEAT runs of "$@"
  b=""; for _ in $(seq "${REPEAT:-5}"); do
    /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$OUT/time.txt" || true
    r=$(tail -n1 "$OUT/time.txt")
    if [ -z "$b" ] || [ "$(echo "$r" | cut -d' ' -f1 | tr -d .)" -lt "$(echo "$b" | cut -d' ' -f1 | tr -d .)" ]; then b=$r; fi
  done; echo "$b"
}
REPEAT=${1:-5}
printf 'import dask.dataframe as dd\ndf = dd.read_csv("uber.csv")\ndf.head()\n' >"$OUT/head.tg"
printf 'import dask.dataframe as dd\ndf = dd.read_csv("uber.csv", parse_dates=["Date/Time"], blocksize=4000000)\nh = df["Date/Time"].dt.hour.mean()\nh.compute()\n' >"$OUT/dates.tg"
for p in describe_4000000 head dates; do
  "$BUILD/taskc" "$OUT/$p.tg" -o "$OUT/$p"
  echo "taskc whole process, $p, 2 threads: $(best "$OUT/$p" --threads 2) (s, KB peak)"
done
printf 'import sys, time\nimport dask.dataframe as dd\nt = time.perf_counter()\ndd.read_csv(sys.argv[1], parse_dates=["Date/Time"], blocksize=4000000)["Date/Time"].dt.hour.mean().compute(scheduler="threads")\nprint("dask  parse_dates + dt.hour.mean() compute: %%.0f ms" %% ((time.perf_counter() - t) * 1e3))\n' >"$OUT/dates.py"
/usr/bin/python3 "$OUT/dates.py" "$OUT/uber.csv"

# Larger than memory (BIG=1): the Uber rows 80 times (2.1 GB, not kept in
# the repository), describe() at the default blocksize, 2 threads: the
# peak stays near threads x block, not the file.
if [ "${BIG:-0}" = 1 ]; then
  if ! [ -s "$OUT/big.csv" ]; then
    { cat "$OUT/uber.csv"; for _ in $(seq 79); do tail -n +2 "$OUT/uber.csv"; done; } >"$OUT/big.csv"
  fi
  printf 'import dask.dataframe as dd\nd = dd.read_csv("big.csv").describe()\nd.compute()\n' >"$OUT/big.tg"
  "$BUILD/taskc" "$OUT/big.tg" -o "$OUT/big"
  /usr/bin/time -f "taskc 2.1 GB describe, 2 threads: %e s wall, %M KB peak" "$OUT/big" --threads 2 >/dev/null
fi
