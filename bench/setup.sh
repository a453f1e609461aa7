#!/bin/sh
# setup.sh - install the benchmark-only peers (TBB flow graph headers and
# library). Not needed to build or test taskc.
set -eu
if ! [ -e /usr/include/tbb/flow_graph.h ] && ! [ -e /usr/include/oneapi/tbb/flow_graph.h ]; then
  apt-get install -y --no-install-recommends libtbb-dev >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends libtbb-dev; }
fi
