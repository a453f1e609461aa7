#!/bin/sh
# sanitize.sh - the whole lit suite against a taskc built with
# AddressSanitizer+UBSan (-DTASKC_SANITIZE_COMPILER=ON; the runtime the
# executables link stays plain). Under ASan the arena never reuses a
# recycled value but poisons it (ir/arena.c), so an evaluator bug that keeps
# using a released value is reported, not silently reused. Sanitizer
# reports go to files, so a test that expects taskc to fail (`not`) cannot
# hide one. The unit test that runs several compilations in one process
# (test_compile_twice) runs here too. Exits non-zero on a failing test or
# any report.
#   usage: tests/lit/sanitize.sh [BUILD_DIR]   (default: build-asan-compiler)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$src/build-asan-compiler}
mkdir -p "$dir"
echo "== asan+ubsan compiler: configure and build in $dir"
cmake -S "$src" -B "$dir" -G Ninja -DTASKC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTASKC_SANITIZE_COMPILER=ON >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
ninja -C "$dir" -j2 taskc taskrt test_compile_twice >>"$dir/build.log" 2>&1 || { tail -40 "$dir/build.log"; exit 1; }

reports=$dir/san-reports
rm -rf "$reports" && mkdir -p "$reports"
# The compiler exits through diag_error with its arena alive: no leak check.
export ASAN_OPTIONS="detect_leaks=0 halt_on_error=1 log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1 log_path=$reports/ubsan"
status=0
# Several compilations in one process, through the library: with leak
# checks, as each one frees its arena.
if ASAN_OPTIONS="detect_leaks=1 halt_on_error=1 log_path=$reports/asan" \
    "$dir/tests/test_compile_twice"; then
  echo "ok    test_compile_twice under asan+ubsan"
else
  echo "FAIL  test_compile_twice under asan+ubsan"
  status=1
fi
/usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -q -j2 --timeout=300 "$dir/tests/lit" || status=1
if [ -n "$(ls "$reports")" ]; then
  echo "sanitizer reports:"
  head -n 40 "$reports"/*
  status=1
fi
[ $status = 0 ] && echo "ok    lit suite under asan+ubsan taskc"
exit $status
