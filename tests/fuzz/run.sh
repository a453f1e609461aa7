#!/bin/sh
# run.sh [SECONDS] - build each libFuzzer target and run it for a fixed time.
#
# Targets, each built with libFuzzer, ASan and UBSan straight from the
# sources it needs into a temporary directory, seeded from the project's
# own programs and using tg.dict (keywords, operators, layout):
#   fuzz_parse    the lexer and parser (no LLVM, no Graphviz)
#   fuzz_compile  parse, evaluator, collections, sema and every pass with
#                 the verifier on (Graphviz for visualize; no LLVM)
# Each runs SECONDS (default 20). Exits non-zero if one finds a crash,
# leaving the reproducer in the temporary directory it prints.
set -eu
secs=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# fuzz NAME "SOURCES" "EXTRA FLAGS" SEED_FILES...
fuzz() {
  name=$1 sources=$2 extra=$3
  shift 3
  work=$(mktemp -d "${TMPDIR:-/tmp}/taskc-$name.XXXXXX")
  # shellcheck disable=SC2086
  clang-19 -g -O1 -std=gnu17 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -Icompiler -Iir \
    "tests/fuzz/$name.c" $sources $extra -o "$work/$name"
  mkdir -p "$work/corpus"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$work/corpus/$(echo "$f" | tr / _)"
  done
  echo "$name: fuzzing for ${secs}s in $work"
  if (cd "$work" && "./$name" -max_total_time="$secs" -rss_limit_mb=2048 \
        -max_len=8192 -timeout=10 -dict="$root/tests/fuzz/tg.dict" \
        -print_final_stats=1 corpus > fuzz.log 2>&1); then
    tail -n 12 "$work/fuzz.log"
    rm -rf "$work"
  else
    tail -n 60 "$work/fuzz.log"
    echo "$name found a problem; reproducer and log in $work" >&2
    exit 1
  fi
}

# Everything the parser links against; keep in sync with compiler/ast.h users.
front="compiler/lex.c compiler/parse.c compiler/ast.c compiler/diag.c ir/arena.c ir/pyfloat.c"
fuzz fuzz_parse "$front" "" examples/*.tg tests/lit/parse/*.tg

# The compiler library without codegen and the linker driver.
compile=$(ls compiler/*.c compiler/passes/*.c compiler/collections/*.c \
  compiler/collections/*/*.c ir/*.c | grep -v -e compiler/main.c -e compiler/link.c)
fuzz fuzz_compile "$compile" "$(pkg-config --cflags --libs libgvc libcgraph) -lm" \
  examples/*.tg tests/lit/eval/*.tg tests/lit/dict/*.tg tests/lit/arrays/*.tg \
  tests/lit/differential/*.tg
