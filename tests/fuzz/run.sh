#!/bin/sh
# run.sh [SECONDS] - build the parser fuzzer and run it for a fixed time.
#
# Builds tests/fuzz/fuzz_parse.c with libFuzzer, ASan and UBSan straight from
# the front end's sources (no LLVM libraries needed) into a temporary
# directory, seeds the corpus with examples/*.tg and tests/lit/parse/*.tg,
# uses tg.dict (keywords, operators, layout), and fuzzes for SECONDS (default 20). Exits non-zero if it finds a crash,
# leaving the reproducer in the temporary directory it prints.
set -eu
secs=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/taskc-fuzz.XXXXXX")

# Everything the parser links against; keep in sync with compiler/ast.h users.
sources="compiler/lex.c compiler/parse.c compiler/ast.c compiler/diag.c ir/arena.c ir/pyfloat.c"

cd "$root"
clang-19 -g -O1 -std=gnu17 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -Icompiler -Iir \
  tests/fuzz/fuzz_parse.c $sources -o "$work/fuzz_parse"

mkdir -p "$work/corpus"
for f in examples/*.tg tests/lit/parse/*.tg; do
  [ -f "$f" ] && cp "$f" "$work/corpus/"
done

echo "fuzzing for ${secs}s in $work"
cd "$work"
if ./fuzz_parse -max_total_time="$secs" -rss_limit_mb=2048 -max_len=8192 \
     -dict="$root/tests/fuzz/tg.dict" -print_final_stats=1 corpus \
     > fuzz.log 2>&1; then
  tail -n 12 fuzz.log
  rm -rf "$work"
else
  tail -n 60 fuzz.log
  echo "fuzz_parse found a problem; reproducer and log in $work" >&2
  exit 1
fi
