#!/bin/sh
# bench/dataframes/run.sh - the CSV float parser's throughput: builds
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
