#!/bin/sh
# same.sh MPIRUN N EXE [ARGS...]: EXE ARGS alone and under `MPIRUN -n N`
# must print byte-identical stdout and exit with the same status.
# Prints "same: N ranks, status S" or the difference.
mpirun=$1 n=$2
shift 2
out=$(mktemp -d)
"$@" >"$out/ref" 2>"$out/ref.err"
want=$?
# shellcheck disable=SC2086
$mpirun -n "$n" "$@" >"$out/got" 2>"$out/got.err"
got=$?
if [ "$got" != "$want" ] || ! cmp -s "$out/ref" "$out/got"; then
  echo "differs with $n ranks: status $got, single process $want"
  diff "$out/ref" "$out/got" | head -20
  head -20 "$out/got.err"
  rm -rf "$out"
  exit 1
fi
echo "same: $n ranks, status $got"
rm -rf "$out"
