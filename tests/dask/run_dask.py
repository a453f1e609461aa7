"""Run a .tg program under real Dask and print its outputs as JSON.

    /usr/bin/python3 tests/dask/run_dask.py PROG.tg

prints one JSON object {"name": value, ...} with the program's outputs in
program order, encoded as the taskc executables print them with
`--format json`.  Exits 1 with the Python traceback if the program fails.
"""

import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prelude  # noqa: E402


def encode(items):
    """One JSON object; duplicate names are kept (json.dumps of a dict
    would drop them), so the pairs are joined by hand."""
    parts = [json.dumps(name) + ": " + json.dumps(prelude.plain(v))
             for name, v in items]
    return "{" + ", ".join(parts) + "}"


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: run_dask.py PROG.tg\n")
        return 2
    path = os.path.abspath(argv[1])
    with open(path, encoding="utf-8") as f:
        source = f.read()
    sys.argv = [path]
    try:
        items = prelude.run(path, source)
        text = encode(items)
    except BaseException:
        traceback.print_exc()
        sys.stderr.write("run_dask.py: %s failed under Dask\n" % argv[1])
        return 1
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
