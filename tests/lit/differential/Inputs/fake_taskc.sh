#!/bin/bash
# A stand-in for taskc that tests diff.sh itself: "compiles" PROG.tg -o OUT
# into a script printing Dask's own JSON for PROG.tg, with FAKE_EDIT (a sed
# expression) applied to it when set, so that a test can make it lie.
prog=$1 out=$3
here=$(cd "$(dirname "$0")" && pwd)
json=$(/usr/bin/python3 "$here/../../../dask/run_dask.py" "$prog") || exit 1
printf '#!/bin/sh\ncat <<"END" | sed -e "${FAKE_EDIT:-s/^//}"\n%s\nEND\n' "$json" > "$out"
chmod +x "$out"
