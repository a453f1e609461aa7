"""Compare the pictures taskc draws with the graphs Dask draws.

    /usr/bin/python3 tests/dask/picture_diff.py PROG.tg TASKC

PROG.tg calls visualize(filename='NAME.dot', ...) (or dask.visualize). It
runs under real Dask (tests/dask/prelude.py), where visualize records the
graph Dask would draw (optimised with optimize_graph=True, as Dask's
visualize does), and is compiled by `TASKC PROG.tg --emit=graph`, which
writes the .dot files. For each picture, both sides are summed up as the
number of tasks per layer (key_split of the key's name: what the labels
show) and the number of edges between layers; any difference is printed
and the exit status is 1. Exits 0 with SKIP when Dask is not installed.
"""

import ast
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import dask
    from dask.core import get_dependencies
    from dask.utils import key_split
    import prelude
except ImportError:
    print("SKIP: python3-dask not installed")
    sys.exit(0)


def layer(key):
    return key_split(key[0] if isinstance(key, tuple) else key)


def summary(tasks, edges):
    """tasks: layer per task; edges: (dep layer, layer) per edge."""
    return (dict(collections.Counter(tasks)), dict(collections.Counter(edges)))


# ---------------------------------------------------------------- Dask

PICTURES = {}


def record(*args, filename="mydask.dot", optimize_graph=False, **kwargs):
    colls = [a for a in args if dask.is_dask_collection(a)]
    dsk = dict(dask.base.collections_to_dsk(colls, optimize_graph))
    edges = [(layer(d), layer(k)) for k in dsk for d in get_dependencies(dsk, k)]
    PICTURES[filename] = summary([layer(k) for k in dsk], edges)


def dask_pictures(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    prelude.visualize = record  # patch_dask installs it, methods too
    prelude.run(path, source)
    return dict(PICTURES)


# ---------------------------------------------------------------- taskc

NODE = re.compile(r'^\s*(\w+)\s*\[label=("(?:[^"\\]|\\.)*"|[^,\]]+)', re.M)
EDGE = re.compile(r'^\s*(\w+)\s*->\s*(\w+)', re.M)


def label_layer(label):
    """"('read-csv', 0)" -> read-csv; 'sum-aggregate' -> sum-aggregate."""
    if label.startswith('"'):
        label = re.sub(r'\\(.)', r'\1', label[1:-1])
    try:
        key = ast.literal_eval(label)
    except (SyntaxError, ValueError):  # a long label cut short
        m = re.match(r"""\((['"])(.*?)\1""", label)
        key = m.group(2) if m else label
    return key_split(key[0] if isinstance(key, tuple) else key)


def taskc_picture(dot):
    """Boxes are tasks (d<id>), circles (f<id>) their functions: a box's
    own circle points at it, its dependencies' boxes at the circle."""
    labels = dict(NODE.findall(dot))
    boxes = {n: label_layer(l) for n, l in labels.items() if n.startswith("d")}
    owner = {}
    deps = []
    for a, b in EDGE.findall(dot):
        if a.startswith("f") and b.startswith("d"):
            owner[a] = b
        elif a.startswith("d") and b.startswith("f"):
            deps.append((a, b))
    edges = [(boxes[a], boxes[owner[f]]) for a, f in deps]
    return summary(list(boxes.values()), edges)


def taskc_pictures(path, taskc, names):
    tmp = tempfile.mkdtemp(prefix="taskc-pic.")
    try:
        # taskc reads inputs from the program's folder and writes the
        # pictures in its working folder
        subprocess.run([taskc, path, "--emit=graph", "-o", os.devnull],
                       cwd=tmp, check=True)
        out = {}
        for n in names:
            with open(os.path.join(tmp, n), encoding="utf-8") as f:
                out[n] = taskc_picture(f.read())
        return out
    finally:
        shutil.rmtree(tmp)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: picture_diff.py PROG.tg TASKC\n")
        return 2
    path = os.path.abspath(argv[1])
    want = dask_pictures(path)
    got = taskc_pictures(path, os.path.abspath(argv[2]), sorted(want))
    bad = 0
    for name in sorted(want):
        (wt, we), (gt, ge) = want[name], got[name]
        before = bad
        for what, w, g in (("tasks", wt, gt), ("edges", we, ge)):
            for k in sorted(set(w) | set(g), key=str):
                if w.get(k, 0) != g.get(k, 0):
                    print("%s: %s of %s: dask %d, taskc %d"
                          % (name, what, k, w.get(k, 0), g.get(k, 0)))
                    bad += 1
        if bad == before:
            print("%s: %d tasks in %d layers, %d edges: same as dask"
                  % (name, sum(wt.values()), len(wt), sum(we.values())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
