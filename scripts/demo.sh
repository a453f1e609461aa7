#!/usr/bin/env bash
# Sets everything up, builds taskc, then compiles and runs the examples:
# each .tg becomes a standalone native executable whose outputs are printed.
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh
mkdir -p build/examples
for ex in ${@:-examples/*.tg}; do
  name=$(basename "$ex" .tg)
  echo "== $ex"
  ./build/taskc "$ex" -o "build/examples/$name"
  "./build/examples/$name"
done
