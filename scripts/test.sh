#!/bin/sh
# Sets everything up, builds, and runs every test: lit (+FileCheck), unit
# tests, the runtime under ThreadSanitizer and AddressSanitizer, and a short
# fixed-time fuzzing run of the parser.
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh
ctest --test-dir build --output-on-failure -j2
if [ -f tests/unit/sanitize.sh ]; then bash tests/unit/sanitize.sh; fi
if [ -f tests/fuzz/run.sh ]; then bash tests/fuzz/run.sh 20; fi
