#!/usr/bin/env bash
# bench/bags/run.sh - the word count of issue 12 over ~200 MB of text
# (gen.py: Zipf-like words, lines of 5-15 words, FILES files), by every
# contestant in one run:
#   taskc           wordcount.tg compiled (compile time not counted)
#   dask threads    the same program, Dask's threaded scheduler
#   dask processes  the same program, Dask's multiprocessing scheduler
#   cpython         collections.Counter over the lines, one process
#   shell           tr | tr -cs | sort | uniq -c | sort -rn | head
#   C               wc.c, hand-written, one thread, -O2
# Prints wall seconds, peak RSS (the largest single process, as
# /usr/bin/time sees it), each one's time over taskc's and over C's, and a
# check line: all results (the top ten "word count") must agree. A
# contestant that fails prints FAILED and the run goes on (taskc:
# "FAILED (compile)" until the bag collection compiles wordcount.tg).
#
#   bench/bags/run.sh [--quick]
#
# --quick: 8 MB in 4 files. Environment: TEXT_MB (default 200), FILES
# (default 8), JSON_MB (default 0: no JSON; else a second table, the
# foldby of foldby.tg over JSON_MB of JSON-lines records, gen.py json, by
# taskc, Dask threads and processes and CPython's json module), TASKC (default build/taskc), OUT (default /tmp/taskc-bench-bags),
# THREADS (taskc's and Dask's workers; default: all cores), BUILD (where
# libtaskrt.a is, for readtext_bench.c: the op bag.read_text alone), SKIP (names of
# contestants to leave out, e.g. SKIP="shell cpython").
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
TEXT_MB=${TEXT_MB:-200}
FILES=${FILES:-8}
if [ "${1:-}" = --quick ]; then
  TEXT_MB=8 FILES=4
fi
JSON_MB=${JSON_MB:-0}
TASKC=${TASKC:-$root/build/taskc}
OUT=${OUT:-/tmp/taskc-bench-bags}
THREADS=${THREADS:-$(nproc)}
SKIP=${SKIP:-}
PY=/usr/bin/python3
mkdir -p "$OUT/data"

# The data: gen.py keeps files it already wrote with these arguments; the
# glob must see only this run's files.
rm -f "$OUT"/data/text-*.txt.tmp
for f in "$OUT"/data/text-*.txt; do
  [ -e "$f" ] || continue
  n=${f##*/text-}
  n=${n%.txt}
  [ "$((10#$n))" -lt "$FILES" ] || rm -f "$f" "$f.args"
done
$PY "$here/gen.py" text "$OUT/data" --mb "$TEXT_MB" --files "$FILES" ||
  { echo "gen.py failed" >&2; exit 1; }
if [ "$JSON_MB" -gt 0 ]; then
  $PY "$here/gen.py" json "$OUT/data" --mb "$JSON_MB" --files "$FILES" ||
    { echo "gen.py json failed" >&2; exit 1; }
fi
cp "$here/wordcount.tg" "$OUT/wordcount.tg"
mb=$(du -cm "$OUT"/data/text-*.txt | tail -n 1 | cut -f 1)

# run LABEL CMD...: sets WALL (s) and RSS (MB), or "-" when it fails;
# stdout to $OUT/LABEL.out, run from $OUT (the program's relative paths)
run() {
  local label=$1
  shift
  WALL=- RSS=-
  case " $SKIP " in *" $label "*) return ;; esac
  local t0 t1
  t0=$(date +%s%N)
  if (cd "$OUT" && /usr/bin/time -f "%M" -o "$OUT/$label.time" "$@" >"$OUT/$label.out" \
        2>"$OUT/$label.err"); then
    t1=$(date +%s%N)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    RSS=$(awk -v k="$(tail -n 1 "$OUT/$label.time")" 'BEGIN { printf "%.0f", k / 1024 }')
  else
    echo "$label: FAILED (see $OUT/$label.err)"
  fi
}

declare -A wall rss
names=(taskc dask-threads dask-processes cpython shell C)

if "$TASKC" "$OUT/wordcount.tg" -o "$OUT/wordcount" >"$OUT/build.log" 2>&1; then
  run taskc "$OUT/wordcount" --threads "$THREADS"
  if [ "$WALL" != - ]; then
    $PY "$here/pyrun.py" norm "$OUT/taskc.out" >"$OUT/taskc.top"
  fi
else
  echo "taskc: FAILED (compile): $(grep -m 1 error: "$OUT/build.log")"
  WALL=- RSS=-
fi
wall[taskc]=$WALL rss[taskc]=$RSS

run dask-threads env DASK_NUM_WORKERS="$THREADS" $PY "$here/pyrun.py" dask-threads wordcount.tg
wall[dask-threads]=$WALL rss[dask-threads]=$RSS
run dask-processes env DASK_NUM_WORKERS="$THREADS" $PY "$here/pyrun.py" dask-processes \
  wordcount.tg
wall[dask-processes]=$WALL rss[dask-processes]=$RSS
run cpython $PY "$here/pyrun.py" cpython 'data/text-*.txt'
wall[cpython]=$WALL rss[cpython]=$RSS
run shell sh -c "cat data/text-*.txt | tr 'A-Z' 'a-z' | tr -cs 'a-z' '\n' | LC_ALL=C sort |
  uniq -c | LC_ALL=C sort -k1,1nr | head -n 10 | awk '{ print \$2, \$1 }'"
wall[shell]=$WALL rss[shell]=$RSS
if cc -O2 -o "$OUT/wc" "$here/wc.c" 2>"$OUT/wc.build.log"; then
  run C "$OUT/wc" $(cd "$OUT" && ls data/text-*.txt)
else
  echo "C: FAILED (compile)"
  WALL=- RSS=-
fi
wall[C]=$WALL rss[C]=$RSS

# The op under every read_text partition, alone (runtime/text.c).
BUILD=${BUILD:-$root/build}
if cc -O2 -I"$root/runtime" -I"$root/ir" -o "$OUT/readtext_bench" "$here/readtext_bench.c" \
    "$BUILD/libtaskrt.a" -lm -lpthread 2>"$OUT/readtext_bench.build.log"; then
  opline=$(cd "$OUT" && ./readtext_bench 8000000 3 data/text-*.txt)
else
  opline="read_text op: FAILED (compile, see $OUT/readtext_bench.build.log)"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
printf "word count, %s MB in %s files, %s threads\n" "$mb" "$FILES" "$THREADS"
printf "%-16s %9s %9s %10s %8s\n" contestant "wall s" "RSS MB" "/ taskc" "/ C"
for n in "${names[@]}"; do
  printf "%-16s %9s %9s %10s %8s\n" "$n" "${wall[$n]}" "${rss[$n]}" \
    "$(ratio "${wall[$n]}" "${wall[taskc]}")" "$(ratio "${wall[$n]}" "${wall[C]}")"
done

echo "$opline"

# check WHAT NAMES...: every contestant of NAMES that ran printed the same
# lines (taskc's output normalised to NAME.top), else exit 1.
check() {
  local what=$1 ref="" n f agree=() differ=()
  shift
  for n in "$@"; do
    [ "${wall[$n]}" = - ] && continue
    f="$OUT/$n.out"
    [ -e "$OUT/$n.top" ] && f="$OUT/$n.top"
    if [ -z "$ref" ]; then
      ref=$f
      agree+=("$n")
    elif cmp -s "$ref" "$f"; then
      agree+=("$n")
    else
      differ+=("$n")
    fi
  done
  if [ ${#differ[@]} -eq 0 ] && [ -n "$ref" ]; then
    echo "check: $what agree (${agree[*]}): $(head -n 1 "$ref") ..."
  else
    echo "check: $what DIFFER: ${differ[*]} differ from ${agree[*]} (outputs in $OUT)"
    exit 1
  fi
}
check results "${names[@]}"

[ "$JSON_MB" -gt 0 ] || exit 0

# The JSON-lines foldby: amounts summed per kind (foldby.tg).
cp "$here/foldby.tg" "$OUT/foldby.tg"
jmb=$(du -cm "$OUT"/data/records-*.jsonl | tail -n 1 | cut -f 1)
jnames=(taskc-json dask-threads-json dask-processes-json cpython-json)
if "$TASKC" "$OUT/foldby.tg" -o "$OUT/foldby" >"$OUT/foldby.build.log" 2>&1; then
  run taskc-json "$OUT/foldby" --threads "$THREADS"
  [ "$WALL" = - ] || $PY "$here/pyrun.py" norm-sorted "$OUT/taskc-json.out" >"$OUT/taskc-json.top"
else
  echo "taskc: FAILED (compile): $(grep -m 1 error: "$OUT/foldby.build.log")"
  WALL=- RSS=-
fi
wall[taskc-json]=$WALL rss[taskc-json]=$RSS
run dask-threads-json env DASK_NUM_WORKERS="$THREADS" $PY "$here/pyrun.py" dask-threads foldby.tg
wall[dask-threads-json]=$WALL rss[dask-threads-json]=$RSS
run dask-processes-json env DASK_NUM_WORKERS="$THREADS" $PY "$here/pyrun.py" dask-processes \
  foldby.tg
wall[dask-processes-json]=$WALL rss[dask-processes-json]=$RSS
run cpython-json $PY "$here/pyrun.py" cpython-json 'data/records-*.jsonl'
wall[cpython-json]=$WALL rss[cpython-json]=$RSS
printf "\nJSON-lines foldby (amount per kind), %s MB in %s files, %s threads\n" "$jmb" "$FILES" \
  "$THREADS"
printf "%-20s %9s %9s %10s\n" contestant "wall s" "RSS MB" "/ taskc"
for n in "${jnames[@]}"; do
  printf "%-20s %9s %9s %10s\n" "$n" "${wall[$n]}" "${rss[$n]}" \
    "$(ratio "${wall[$n]}" "${wall[taskc-json]}")"
done
check "foldby results" "${jnames[@]}"
