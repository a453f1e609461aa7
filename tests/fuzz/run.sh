#!/bin/sh
# run.sh [SECONDS] - build each fuzzer and run it for a fixed time.
#
# Builds each target with libFuzzer, ASan and UBSan straight from the sources
# it needs (no LLVM libraries) into a temporary directory and fuzzes it for
# SECONDS (default 20) each. Exits non-zero if one finds a crash, leaving the
# reproducer in the temporary directory it prints (KEEP_FUZZ_WORK=1 keeps
# it after a clean run too, with the grown corpora).
#   fuzz_parse: the lexer and parser; corpus examples/*.tg and
#               tests/lit/parse/*.tg, dictionary tg.dict.
#   fuzz_npy:   the .npy header parser (ir/npyhead.c); corpus a few headers
#               as numpy writes them, dictionary npy.dict.
#   fuzz_compile: parse, evaluator with the collections, sema and every pass
#               with the verifier on (Graphviz for visualize; no LLVM);
#               corpus the examples and the eval, dict, arrays, records and
#               differential lit programs, dictionary tg.dict.
#   fuzz_json:  json.loads as bag.read_json uses it (shared keys), dumps
#               round trips, the check against a type; dictionary json.dict.
#   fuzz_csv:   read_csv's one-pass block reader against the general one
#               (they must agree); a few seed blocks and the finding it
#               made (tests/fuzz/findings/csv-long-digits, fixed: digit
#               runs past int64 now follow pandas' uint64 pass in both).
#               With leak detection: the general reader frees its block
#               when the task fails.
# fuzz_json links the runtime, whose failed tasks do not free what they
# built (the run stops): it runs without leak detection.
set -eu
secs=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/taskc-fuzz.XXXXXX")
cd "$root"

# build NAME SOURCES...: $work/NAME from tests/fuzz/NAME.c
build() {
  name=$1
  shift
  clang-19 -g -O1 -std=gnu17 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -Icompiler -Iir -Iruntime \
    "tests/fuzz/$name.c" "$@" -o "$work/$name"
}

# run NAME MAXLEN DICT [LEAKS]: fuzz $work/NAME on $work/NAME.corpus with
# NAME's dict (none for -); LEAKS 0 turns leak detection off. What a
# target that leaks by design (failed tasks) leaves behind grows with the
# executions (fuzz_csv reached 1.8 GB in 20 s before its reader freed its
# block on failure), so those get 8 GB (the machine has 24); every target
# an RSS limit and no single allocation over 2 GB. fuzz_csv with leak
# detection stays near 240 MB (2.5 million runs, 2026-12-07).
run() {
  name=$1
  dict= rss=2048
  [ "$3" = - ] || dict=-dict="$root/tests/fuzz/$3"
  [ "${4:-1}" = 0 ] && rss=8192
  echo "fuzzing $name for ${secs}s in $work"
  if (cd "$work" && ASAN_OPTIONS="detect_leaks=${4:-1}" "./$name" -max_total_time="$secs" \
        -rss_limit_mb=$rss -malloc_limit_mb=2048 -max_len="$2" -timeout=10 $dict \
        -print_final_stats=1 \
        "$name.corpus" > "$name.log" 2>&1); then
    tail -n 12 "$work/$name.log"
  else
    tail -n 60 "$work/$name.log"
    echo "$name found a problem; reproducer and log in $work" >&2
    exit 1
  fi
}

# npy_seed FILE VERSION DICT: a .npy header as numpy writes it (no data)
npy_seed() {
  h="$3"
  pre=10
  [ "$2" = 1 ] || pre=12
  while [ $(( (pre + ${#h} + 1) % 64 )) != 0 ]; do h="$h "; done
  n=$(( ${#h} + 1 ))
  lo=$(printf '%03o' $((n % 256)))
  hi=$(printf '%03o' $((n / 256)))
  if [ "$2" = 1 ]; then
    printf "\\223NUMPY\\001\\000\\$lo\\$hi%s\\n" "$h" > "$1"
  else
    printf "\\223NUMPY\\00$2\\000\\$lo\\$hi\\000\\000%s\\n" "$h" > "$1"
  fi
}

# Everything the parser links against; keep in sync with compiler/ast.h users.
build fuzz_parse compiler/lex.c compiler/parse.c compiler/ast.c \
  compiler/diag.c ir/arena.c ir/pyfloat.c
build fuzz_npy ir/npyhead.c
# The compiler library without codegen and the linker driver.
# shellcheck disable=SC2046
build fuzz_compile $(ls compiler/*.c compiler/passes/*.c compiler/collections/*.c \
  compiler/collections/*/*.c ir/*.c runtime/csv_*.c | grep -v -e compiler/main.c -e compiler/link.c) \
  $(pkg-config --cflags --libs libgvc libcgraph) /usr/lib/x86_64-linux-gnu/libgmp.a -lm

# The runtime without main() and MPI, with the libraries it links.
# shellcheck disable=SC2046
rt="$(ls runtime/*.c | grep -v -e runtime/main.c -e runtime/exec_mpi.c) ir/pyfloat.c \
  ir/pyformat.c ir/pyformat_pct.c ir/npyhead.c \
  /usr/lib/x86_64-linux-gnu/openblas-serial/libopenblas.a /usr/lib/x86_64-linux-gnu/libgmp.a \
  -lm -lpthread"
# shellcheck disable=SC2086
build fuzz_json $rt
# shellcheck disable=SC2086
build fuzz_csv $rt

mkdir -p "$work/fuzz_parse.corpus" "$work/fuzz_npy.corpus" "$work/fuzz_compile.corpus" \
  "$work/fuzz_json.corpus" "$work/fuzz_csv.corpus"
c="$work/fuzz_json.corpus"
printf '{"a": 1, "b": "x", "c": [1, 2.5, null, true]}' > "$c/a"
printf '[{"x": 1.5}, {"x": 2, "k": "\\u00e9\\n"}]' > "$c/b"
printf '{"y": [["a"], []], "z": {"w": -1e-7}}' > "$c/c"
c="$work/fuzz_csv.corpus"
printf '\001\000\001\002\003\004a,b\n1.5,2\n3,4\n' > "$c/a"
printf '\002\000\001\002\003\000"x,y",1,2020-01-01\n,,\n' > "$c/b"
printf '\003\002\002\002\002\005a;b;c;d\nx;y;z;w\n' > "$c/c"
printf '\000\001\000\000\000\004n\n1\n-2\n\n3\r\n' > "$c/d"
cp tests/fuzz/findings/csv-* "$c/"
for f in examples/*.tg tests/lit/parse/*.tg; do
  [ -f "$f" ] && cp "$f" "$work/fuzz_parse.corpus/"
done
for f in examples/*.tg tests/lit/eval/*.tg tests/lit/dict/*.tg \
         tests/lit/arrays/*.tg tests/lit/differential/*.tg tests/lit/bags/*.tg \
         tests/lit/records/*.tg; do
  [ -f "$f" ] && cp "$f" "$work/fuzz_compile.corpus/$(echo "$f" | tr / _)"
done
cp tests/fuzz/findings/compile-* "$work/fuzz_compile.corpus/" # fixed findings stay seeds
c="$work/fuzz_npy.corpus"
npy_seed "$c/a" 1 "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
npy_seed "$c/b" 1 "{'descr':'<i8','fortran_order':False,'shape':(5,)}"
npy_seed "$c/c" 2 "{'shape': (), 'fortran_order': False, 'descr': '|b1'}"
npy_seed "$c/d" 3 "{\"descr\": '<f8', 'fortran_order': True, 'shape': (0, 7)}"

run fuzz_parse 8192 tg.dict
run fuzz_npy 512 npy.dict
run fuzz_compile 8192 tg.dict
run fuzz_json 4096 json.dict 0
run fuzz_csv 2048 -
[ -n "${KEEP_FUZZ_WORK:-}" ] || rm -rf "$work"
