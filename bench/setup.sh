#!/bin/sh
# setup.sh - install the benchmark-only peers: TBB flow graph headers and
# library (bench/overhead), Dask distributed (bench/mpi's LocalCluster
# column). Not needed to build or test taskc.
set -eu
pkgs=
if ! [ -e /usr/include/tbb/flow_graph.h ] && ! [ -e /usr/include/oneapi/tbb/flow_graph.h ]; then
  pkgs="$pkgs libtbb-dev"
fi
/usr/bin/python3 -c "import distributed" 2>/dev/null || pkgs="$pkgs python3-distributed"
if [ -n "$pkgs" ]; then
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends $pkgs; }
fi
