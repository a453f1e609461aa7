#!/bin/bash
# Sets everything up, builds, and runs every test: lit (+FileCheck) and the
# C unit tests through ctest, the runtime under ThreadSanitizer and
# AddressSanitizer, the lit suite against an ASan+UBSan build of taskc,
# and a short fixed-time fuzzing run of the parser.
# Ends with one line "tests: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
bash scripts/build.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }
log=build/test-log.txt
passed=0 failed=0

ctest --test-dir build -V -j2 >"$log" 2>&1
ctest_rc=$?
# lit's summary counts each lit test; ctest's own line counts the rest.
lit_pass=$(sed -n 's/.*  Passed *: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
lit_fail=$(sed -n 's/.*  Failed *: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
unit=$(grep -c "Test *#[0-9]*: test_.*Passed" "$log")
unit_fail=$(grep -c "Test *#[0-9]*: test_.*\*\*\*" "$log")
passed=$((passed + ${lit_pass:-0} + unit))
failed=$((failed + ${lit_fail:-0} + unit_fail))
if [ $ctest_rc != 0 ]; then
  grep -E "^(FAIL|UNRESOLVED|XPASS):|\*\*\*|Failed Tests" -A3 "$log" | head -100
  [ "${lit_fail:-0}" = 0 ] && [ "$unit_fail" = 0 ] && failed=$((failed + 1))
fi
tail -n 3 "$log"

# Each step is bounded: a hang is a named failure, not a CI run that never
# ends (lit's own --timeout=300 bounds each lit test; it needs python3-psutil).
for step in "bash tests/unit/sanitize.sh" "bash tests/lit/sanitize.sh" "bash tests/fuzz/run.sh 20"; do
  echo "== $step"
  if timeout -k 10 1800 $step; then
    passed=$((passed + 1))
  else
    rc=$?
    [ $rc = 124 ] && echo "FAIL  $step: still running after 1800 s"
    failed=$((failed + 1))
  fi
done
echo "tests: $passed passed, $failed failed"
[ $failed = 0 ]
