#!/bin/sh
# sanitize.sh - build the runtime unit tests (test_rt_*) under
# ThreadSanitizer and under AddressSanitizer+UBSan, each in its own build
# directory, and run them. Exits non-zero on any failure or report.
#   usage: tests/unit/sanitize.sh [BUILD_PREFIX]   (default: build-rt-san)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
prefix=${1:-$src/build-rt-san}
targets=$(cd "$src/tests/unit" && ls test_rt_*.c | sed 's/\.c$//')

export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export ASAN_OPTIONS="halt_on_error=1 detect_leaks=1 abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1"

status=0
for kind in tsan asan; do
  dir=$prefix-$kind
  flag=-DTASKC_TSAN=ON
  [ $kind = asan ] && flag=-DTASKC_SANITIZE=ON
  echo "== $kind: configure and build in $dir"
  mkdir -p "$dir"
  cmake -S "$src" -B "$dir" -G Ninja -DTASKC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "$flag" >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
  # shellcheck disable=SC2086
  ninja -C "$dir" -j2 $targets >>"$dir/build.log" 2>&1 || { tail -40 "$dir/build.log"; exit 1; }
  for t in $targets; do
    if "$dir/tests/$t" >"$dir/$t.out" 2>&1 && ! grep -q "Sanitizer\|runtime error:" "$dir/$t.out"; then
      echo "ok    $kind $t"
    else
      echo "FAIL  $kind $t"
      cat "$dir/$t.out"
      status=1
    fi
  done
done
exit $status
