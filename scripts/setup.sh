#!/bin/sh
# Installs the Debian 12 packages taskc needs (only those missing).
# Everything comes from Debian's own package registry.
set -eu
PKGS="cmake ninja-build gcc libc6-dev pkg-config python3 \
      llvm-19-dev llvm-19-tools clang-19 libclang-rt-19-dev \
      libgraphviz-dev libgvc6 libopenblas-serial-dev libgmp-dev \
      python3-dask python3-numpy python3-pandas \
      libopenmpi-dev openmpi-bin python3-psutil"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
