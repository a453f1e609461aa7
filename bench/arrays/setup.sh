#!/bin/sh
# bench/arrays/setup.sh - installs what run.sh needs and the tests don't
# (Debian packages): /usr/bin/time, and Dask + NumPy for /usr/bin/python3.
set -e
need=""
[ -x /usr/bin/time ] || need="$need time"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need="$need python3-numpy"
/usr/bin/python3 -c 'import dask.array' 2>/dev/null || need="$need python3-dask"
# NumPy's fastest BLAS here, for the NumPy and Dask rows (run.sh)
[ -e /usr/lib/$(gcc -print-multiarch)/openblas-pthread/libblas.so.3 ] || need="$need libopenblas0-pthread"
if [ -n "$need" ]; then
  apt-get update
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $need
fi
