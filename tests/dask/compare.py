"""Compare two JSON outputs of the same program (Dask's and taskc's).

    compare.py EXPECTED.json ACTUAL.json [--rtol R] [--atol A]
               [--labels dask,taskc]

Both files hold one JSON object {"name": value, ...} on their last line,
after the lines the program printed, which must be the same.  They match when they
have the same names in the same order and equal values: ints exactly, bools
as bools (never as 0/1), ints and floats never equal to each other, floats
exactly (NaN equals NaN, -0.0 differs from 0.0) unless --rtol/--atol allow a
tolerance, for programs whose float reductions may add up in another order.
Inner dicts compare as Python compares dicts: same keys, any order.

Prints a readable diff and exits 1 on mismatch; exits 0 silently on a match;
exits 2 if a file is not a JSON object.
"""

import argparse
import json
import math
import sys


class Pairs(list):
    """A JSON object as its (key, value) pairs: keeps order and duplicates."""


def load(path):
    """The outputs of a run and what the program printed before them."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # a program's print() lines come first; the JSON is the last line
    cut = text.rstrip("\n").rfind("\n") + 1
    printed, text = text[:cut], text[cut:]
    try:
        v = json.loads(text, object_pairs_hook=Pairs)
    except ValueError as e:
        raise SystemExit("compare.py: %s is not JSON (%s):\n%s" % (path, e, text[:2000]))
    if not isinstance(v, Pairs):
        raise SystemExit("compare.py: %s does not hold a JSON object" % path)
    return printed, v


def show(v):
    """A value back as JSON text, shortened for messages."""
    s = json.dumps(to_plain(v))
    return s if len(s) <= 200 else s[:200] + "..."


def to_plain(v):
    if isinstance(v, Pairs):
        return {k: to_plain(x) for k, x in v}
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    return v


def kind(v):
    if isinstance(v, Pairs):
        return "object"
    if isinstance(v, list):
        return "array"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    return "null"


def gap(a, b):
    d = b - a
    return " (difference %g)" % d if math.isfinite(d) else ""


class Comparer:
    def __init__(self, rtol, atol, labels):
        self.rtol, self.atol = rtol, atol
        self.la, self.lb = labels
        self.diffs = []

    def differ(self, path, msg):
        self.diffs.append("  %s: %s" % (path, msg))

    def floats_equal(self, a, b):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if self.rtol == 0 and self.atol == 0:
            return repr(a) == repr(b)
        return math.isclose(a, b, rel_tol=self.rtol, abs_tol=self.atol)

    def value(self, path, a, b):
        ka, kb = kind(a), kind(b)
        if ka != kb:
            self.differ(path, "%s %s (%s) vs %s %s (%s)"
                        % (self.la, show(a), ka, self.lb, show(b), kb))
        elif ka == "array":
            self.array(path, a, b)
        elif ka == "object":
            self.obj(path, a, b)
        elif ka == "float" and not self.floats_equal(a, b):
            self.differ(path, "%s %r vs %s %r%s" % (self.la, a, self.lb, b, gap(a, b)))
        elif ka != "float" and a != b:
            self.differ(path, "%s %s vs %s %s" % (self.la, show(a), self.lb, show(b)))

    def array(self, path, a, b):
        if len(a) != len(b):
            self.differ(path, "%s has %d items, %s has %d: %s vs %s"
                        % (self.la, len(a), self.lb, len(b), show(a), show(b)))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            self.value("%s[%d]" % (path, i), x, y)

    def obj(self, path, a, b):
        da, db = dict(a), dict(b)
        for k in da:
            if k not in db:
                self.differ(path, "key %s only in %s" % (json.dumps(k), self.la))
        for k in db:
            if k not in da:
                self.differ(path, "key %s only in %s" % (json.dumps(k), self.lb))
        for k in da:
            if k in db:
                self.value("%s[%s]" % (path, json.dumps(k)), da[k], db[k])

    def outputs(self, a, b):
        """Top level: names in order (duplicates allowed), then values."""
        na, nb = [k for k, _ in a], [k for k, _ in b]
        if na != nb:
            self.diffs.append("  output names differ:\n    %s: %s\n    %s: %s"
                              % (self.la, ", ".join(na), self.lb, ", ".join(nb)))
            # still compare the values of the names both have, in order
            db = {}
            for k, v in b:
                db.setdefault(k, v)
            a = [(k, v) for k, v in a if k in db]
            b = [(k, db[k]) for k, _ in a]
        for (k, x), (_, y) in zip(a, b):
            self.value(k, x, y)


def main(argv):
    ap = argparse.ArgumentParser(description="compare two JSON outputs of a program")
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--rtol", type=float, default=0.0)
    ap.add_argument("--atol", type=float, default=0.0)
    ap.add_argument("--labels", default="dask,taskc",
                    help="names of the two sides in messages (default: dask,taskc)")
    args = ap.parse_args(argv[1:])
    labels = args.labels.split(",", 1)
    if len(labels) != 2:
        ap.error("--labels needs two names separated by a comma")
    try:
        a, b = load(args.expected), load(args.actual)
    except SystemExit as e:
        sys.stderr.write(str(e) + "\n")
        return 2
    c = Comparer(args.rtol, args.atol, labels)
    if a[0] != b[0]:
        c.diffs.append("  printed lines differ:\n    %s: %r\n    %s: %r"
                       % (labels[0], a[0][:2000], labels[1], b[0][:2000]))
    c.outputs(a[1], b[1])
    if c.diffs:
        sys.stdout.write("MISMATCH between %s (%s) and %s (%s):\n%s\n"
                         % (labels[0], args.expected, labels[1], args.actual,
                            "\n".join(c.diffs)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
