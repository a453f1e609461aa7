#!/usr/bin/env bash
# Sets everything up, builds taskc, then compiles and runs the examples:
# each .tg becomes a standalone native executable whose outputs are printed.
# Then the same .tg runs under real Dask (Debian's python3-dask, with the
# small prelude in tests/dask/) and the two results are compared, except
# for random arrays, whose values differ from Dask's by design
# (docs/language.md).
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh
mkdir -p build/examples
py=/usr/bin/python3
status=0
# The dataframe example reads the tutorial's Uber file: we have no copy, so a
# seeded generator writes one of the same schema and size (26 MB).
uber=examples/data/uber-raw-data-apr14.csv
if [ ! -f "$uber" ]; then
  mkdir -p examples/data
  "$py" scripts/gen_uber_csv.py --seed 2014 -o "$uber"
fi
for ex in ${@:-examples/*.tg}; do
  name=$(basename "$ex" .tg)
  out=build/examples/$name
  echo "== $ex"
  ./build/taskc "$ex" -o "$out"
  "./$out"
  if grep -q 'da\.random' "$ex"; then
    echo "   (random array: values differ from Dask's by design; not compared)"
  elif "$py" -c 'import dask' 2>/dev/null; then
    # the JSON run overlaps Dask's (the slow examples mostly sleep)
    "./$out" --format json >"$out.taskc.json" &
    json=$!
    dask_ok=true
    "$py" tests/dask/run_dask.py "$ex" >"$out.dask.json" || dask_ok=false
    wait $json
    if ! $dask_ok; then
      echo "   Dask failed on $ex"
      status=1
    elif "$py" tests/dask/compare.py --labels dask,taskc \
        "$out.dask.json" "$out.taskc.json"; then
      echo "   same result as Dask: $(cat "$out.dask.json")"
    else
      status=1
    fi
  fi
done
exit $status
