#!/bin/sh
# Configures and builds taskc into ./build (warnings are errors).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTASKC_WERROR=ON >/dev/null
cmake --build build
