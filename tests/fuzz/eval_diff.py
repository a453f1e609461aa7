#!/usr/bin/python3
"""eval_diff.py - differential fuzzing of the compile-time evaluator.

    eval_diff.py --taskc BUILD/taskc [--count N] [--seed S]
                 [--keep-failures DIR] [--keep-all DIR] [--verbose]

Generates random but valid top-level programs (ints, floats, strings,
lists, tuples, dicts, ranges, slices, comprehensions, for/while/if,
augmented assignment, unpacking and swaps, list methods, aliasing, nested
lists, lambdas, delayed calls of small pure defs and of builtins, dict
graphs) whose outputs are `.compute()` / `compute(...)` of delayed values
built from those containers. Each runs under real Dask
(tests/dask/run_dask.py) and as a taskc executable (`--format json`); the
outputs are compared with tests/dask/compare.py.

Skipped, and counted by message: programs Dask itself rejects, and
programs taskc rejects with a located "... not supported ..." error. Any
other difference is a mismatch: different outputs, a taskc crash or other
error, a failing executable, or a sanitizer report on taskc's stderr (run
it against an ASan build: see docs/testing.md). Mismatching programs are
copied to --keep-failures with the outputs of both sides.

Exit status: 0 when nothing mismatched (or python3-dask is missing: it
prints SKIP), 1 otherwise. A program is a pure
function of (seed, index), so `--seed S --count N` is reproducible.
"""

import argparse
import collections
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DASK_DIR = os.path.join(HERE, "..", "dask")
PY = "/usr/bin/python3"  # Debian's, with python3-dask

HEAD = '''from dask import delayed, compute
import dask


@delayed(pure=True)
def inc(a):
    return a + 1


@delayed(pure=True)
def add(a, b):
    return a + b


@delayed(pure=True)
def total(xs):
    s = 0
    for x in xs:
        s += x
    return s


@delayed(pure=True)
def count(xs):
    return len(xs)


def plain_add(a: int, b: int) -> int:
    return a + b


'''

NAMES = ["a", "b", "c", "x", "y", "n", "m", "L", "M", "acc", "row", "t", "d",
         "s", "f", "k"]


class Gen:
    """One random program. vars maps a bound name to its kind: int, float,
    str, ilist (list of ints), nlist (list of ilists), tuple (2 ints),
    dict (str keys, int values, always has 'a'), delayed (an int task),
    dlist (list of int tasks), lam (int -> int)."""

    def __init__(self, rnd):
        self.r = rnd
        self.vars = {}
        self.lines = []
        self.indent = 0
        self.loopvars = set()  # names a loop is iterating over right now
        self.depth = 0
        self.nout = 0

    # ---- helpers
    def emit(self, s):
        self.lines.append("    " * self.indent + s)

    def pick(self, *kinds):
        names = [n for n, k in self.vars.items() if k in kinds]
        return self.r.choice(names) if names else None

    def big(self):
        r = self.r.random()
        if r < 0.4:
            return str(self.r.randint(-5, 20))
        if r < 0.8:
            return str(self.r.randint(257, 100000))  # not a shared small int
        return str(self.r.randint(-100000, -6))

    def fresh(self):
        return self.r.choice(NAMES)

    # ---- expressions, by kind
    def e_int(self, d=0):
        r = self.r.random()
        if d > 2 or r < 0.25:
            v = self.pick("int")
            return v if v and self.r.random() < 0.7 else self.big()
        if r < 0.5:
            op = self.r.choice(["+", "-", "*", "//", "%", "+", "-"])
            rhs = self.e_int(d + 1)
            if op in ("//", "%"):
                rhs = str(self.r.choice([3, 7, -4, 1000]))
            return "(%s %s %s)" % (self.e_int(d + 1), op, rhs)
        if r < 0.58:
            return "len(%s)" % self.e_list(d + 1)
        if r < 0.64:
            return "sum(%s)" % self.e_list(d + 1)
        if r < 0.7:
            return "max(%s + [%s])" % (self.e_list(d + 1), self.e_int(d + 1))
        if r < 0.76:
            L = self.pick("ilist")
            if L:
                return "(%s[%s %% len(%s)] if %s else %s)" % (
                    L, self.e_int(d + 1), L, L, self.big())
        if r < 0.8:
            t = self.pick("tuple")
            if t:
                return "%s[%d]" % (t, self.r.randint(-2, 1))
        if r < 0.84:
            dd = self.pick("dict")
            if dd:
                return "%s['a']" % dd
        if r < 0.88:
            f = self.pick("lam")
            if f:
                return "%s(%s)" % (f, self.e_int(d + 1))
        if r < 0.92:
            return "(%s if %s else %s)" % (self.e_int(d + 1), self.e_cond(d + 1),
                                           self.e_int(d + 1))
        if r < 0.96:
            n = self.pick("nlist")
            if n:
                return "(len(%s[0]) if %s else 0)" % (n, n)
        return self.big()

    def e_cond(self, d=0):
        r = self.r.random()
        if r < 0.5:
            return "%s %s %s" % (self.e_int(d + 1), self.r.choice(
                ["<", ">", "==", "!=", "<=", ">="]), self.e_int(d + 1))
        if r < 0.7:
            return "%s in %s" % (self.e_int(d + 1), self.e_list(d + 1))
        if r < 0.85:
            return "%s %% 2 == 0" % self.e_int(d + 1)
        L = self.pick("ilist")
        return "len(%s) > %d" % (L, self.r.randint(0, 4)) if L else "True"

    def e_float(self, d=0):
        r = self.r.random()
        v = self.pick("float")
        if d > 2 or r < 0.3:
            return v if v and self.r.random() < 0.6 else repr(
                self.r.choice([0.5, 1.25, -2.75, 3.0, 1e-3, 1e5, 0.1]))
        if r < 0.6:
            return "(%s %s %s)" % (self.e_float(d + 1),
                                   self.r.choice(["+", "-", "*"]),
                                   self.e_float(d + 1))
        if r < 0.8:
            return "(%s / 4)" % self.e_int(d + 1)
        return "float(%s)" % self.e_int(d + 1)

    def e_str(self, d=0):
        r = self.r.random()
        v = self.pick("str")
        if d > 2 or r < 0.3:
            return v if v and self.r.random() < 0.6 else repr(
                self.r.choice(["a", "bc", "xyz", ""]))
        if r < 0.6:
            return "str(%s)" % self.e_int(d + 1)
        return "(%s + %s)" % (self.e_str(d + 1), self.e_str(d + 1))

    def e_list(self, d=0):
        r = self.r.random()
        v = self.pick("ilist")
        if d > 2 or r < 0.3:
            if v and self.r.random() < 0.8:
                return v
            return "[%s]" % ", ".join(self.e_int(d + 1)
                                      for _ in range(self.r.randint(0, 3)))
        if r < 0.4:
            return "list(range(%d, %d, %d))" % (
                self.r.randint(-3, 5), self.r.randint(5, 300),
                self.r.choice([1, 2, 7, 50]))
        if r < 0.55:
            x = self.r.choice(["i", "j", "q"])
            cond = " if %s %% 3" % x if self.r.random() < 0.4 else ""
            return "[%s * %s + %s for %s in %s%s]" % (
                x, self.r.randint(1, 1000), self.e_int(d + 1), x,
                self.e_list(d + 1), cond)
        if r < 0.65:
            return "(%s + %s)" % (self.e_list(d + 1), self.e_list(d + 1))
        if r < 0.75:
            a, b = self.r.randint(-3, 3), self.r.randint(-2, 6)
            step = self.r.choice(["", ":2", ":-1", ":3"])
            return "%s[%d:%d%s]" % (self.e_list(d + 1), a, b, step)
        if r < 0.8:
            return "%s[::-1]" % self.e_list(d + 1)
        if r < 0.85:
            return "sorted(%s)" % self.e_list(d + 1)
        if r < 0.9:
            t = self.pick("tuple")
            if t:
                return "list(%s)" % t
        if r < 0.95:
            n = self.pick("nlist")
            if n:
                return "(%s[-1] if %s else [])" % (n, n)
        return "([%s] * %d)" % (self.e_int(d + 1), self.r.randint(0, 3))

    def e_nlist(self, d=0):
        r = self.r.random()
        v = self.pick("nlist")
        if v and r < 0.4:
            return v
        if r < 0.7:
            return "[%s]" % ", ".join(self.e_list(d + 1)
                                      for _ in range(self.r.randint(0, 3)))
        return "[[q, q * %d] for q in %s]" % (self.r.randint(2, 999),
                                               self.e_list(d + 1))

    def e_tuple(self, d=0):
        if self.r.random() < 0.3 and self.pick("tuple"):
            return self.pick("tuple")
        return "(%s, %s)" % (self.e_int(d + 1), self.e_int(d + 1))

    def e_dict(self, d=0):
        r = self.r.random()
        if r < 0.3 and self.pick("dict"):
            return self.pick("dict")
        if r < 0.7:
            return "{'a': %s, 'b': %s}" % (self.e_int(d + 1), self.e_int(d + 1))
        return "{'a': %s, **{str(w): w * 2 for w in %s}}" % (
            self.e_int(d + 1), self.e_list(d + 1))

    def e_delayed(self, d=0):
        r = self.r.random()
        v = self.pick("delayed")
        if v and r < 0.2:
            return v
        if r < 0.4:
            return "inc(%s)" % (v if v and self.r.random() < 0.5 else self.e_int(d + 1))
        if r < 0.55:
            return "add(%s, %s)" % (v or self.e_int(d + 1), self.e_int(d + 1))
        if r < 0.65:  # never empty: an empty list has no element type
            return "total(%s + [%s])" % (self.e_list(d + 1), self.e_int(d + 1))
        if r < 0.72:
            return "count(%s + [[1]])" % self.e_nlist(d + 1)
        if r < 0.8:
            return "delayed(sum)(%s)" % self.e_list(d + 1)
        if r < 0.86:
            return "delayed(max)(%s + [%s])" % (self.e_list(d + 1),
                                                self.e_int(d + 1))
        if r < 0.9:
            return "delayed(plain_add)(%s, %s)" % (
                v or self.e_int(d + 1), self.e_int(d + 1))
        if r < 0.95 and v:
            return "(%s %s %s)" % (v, self.r.choice(["+", "*", "-"]),
                                   self.e_int(d + 1))
        dl = self.pick("dlist")
        if dl:
            return "total(%s + [%s])" % (dl, self.e_int(d + 1))
        return "inc(%s)" % self.e_int(d + 1)

    def e_of(self, kind):
        return {"int": self.e_int, "float": self.e_float, "str": self.e_str,
                "ilist": self.e_list, "nlist": self.e_nlist,
                "tuple": self.e_tuple, "dict": self.e_dict,
                "delayed": self.e_delayed}[kind]()

    # ---- statements
    def bind(self, name, kind):
        """name = <kind>; a name a loop iterates over stays untouched."""
        if name in self.loopvars or self.changes_kind(name, kind):
            return False
        self.emit("%s = %s" % (name, self.e_of(kind)))
        self.vars[name] = kind
        return True

    def changes_kind(self, name, kind):
        """Inside a loop a name keeps its kind: the body's first statements
        would see the other kind on the next round, and a task made there
        with a list for an int is typed by taskc even when Dask never runs
        it."""
        return self.depth > 0 and name in self.vars and self.vars[name] != kind

    def s_assign(self):
        kind = self.r.choice(["int", "int", "int", "float", "str", "ilist",
                              "ilist", "ilist", "nlist", "tuple", "dict",
                              "delayed", "delayed"])
        self.bind(self.fresh(), kind)

    def s_alias(self):
        src = self.pick("ilist", "nlist", "dict", "tuple", "int")
        dst = self.fresh()
        if src and dst != src and dst not in self.loopvars and \
                not self.changes_kind(dst, self.vars[src]):
            self.emit("%s = %s" % (dst, src))
            self.vars[dst] = self.vars[src]

    def s_aug(self):
        v = self.pick("int")
        if v and v not in self.loopvars:
            self.emit("%s %s= %s" % (v, self.r.choice(["+", "-", "+", "-", "*"]),
                                     self.e_int()))
            return
        L = self.pick("ilist")
        if L:
            self.emit("%s += %s" % (L, self.e_list()))

    def s_unpack(self):
        r = self.r.random()
        ints = [n for n, k in self.vars.items()
                if k == "int" and n not in self.loopvars]
        if r < 0.35 and len(ints) >= 2:
            a, b = self.r.sample(ints, 2)
            self.emit("%s, %s = %s, %s" % (a, b, b, a))
            return
        a, b = self.fresh(), self.fresh()
        if a == b or a in self.loopvars or b in self.loopvars or \
                self.depth > 0 and (a in self.vars or b in self.vars):
            return
        if r < 0.6:
            t = self.pick("tuple")
            if t:
                # may rebind t itself: `t, b = t`
                self.emit("%s, %s = %s" % (a, b, t))
                self.vars[a] = self.vars[b] = "int"
                return
        if r < 0.8:
            n = self.pick("nlist", "ilist")
            if n:
                kind = self.vars[n]
                self.emit("%s, *%s = %s + %s" % (
                    a, b, n, "[[1, 2]]" if kind == "nlist" else "[7]"))
                self.vars[a] = "ilist" if kind == "nlist" else "int"
                self.vars[b] = kind
                return
        src = self.pick("ilist")
        if src:
            # `L, x = [L, L[0]]`-style: the source's own items rebound
            self.emit("%s, %s = [%s, %s]" % (a, b, self.e_list(), src))
            self.vars[a] = self.vars[b] = "ilist"

    def s_method(self):
        L = self.pick("ilist")
        if not L:
            return self.bind(self.fresh(), "ilist")
        r = self.r.random()
        if r < 0.3:
            self.emit("%s.append(%s)" % (L, self.e_int()))
        elif r < 0.45:
            self.emit("%s.extend(%s)" % (L, self.e_list()))
        elif r < 0.55:
            self.emit("%s.insert(%d, %s)" % (L, self.r.randint(-2, 3),
                                             self.e_int()))
        elif r < 0.7:
            v = self.fresh()
            if v in self.loopvars or v == L or self.changes_kind(v, "int"):
                v = None
            self.emit("if %s:" % L)
            self.emit("    %s%s.pop(%s)" % (v + " = " if v else "", L,
                                            self.r.choice(["", "0", "-1"])))
            if v:
                self.emit("else:")
                self.emit("    %s = %s" % (v, self.big()))
                self.vars[v] = "int"
        elif r < 0.8:
            x = self.e_int()
            self.emit("if %s in %s:" % (x, L))
            self.emit("    %s.remove(%s)" % (L, x))
        elif r < 0.9:
            self.emit("if %s:" % L)
            self.emit("    %s[%s %% len(%s)] = %s" % (L, self.e_int(), L,
                                                     self.e_int()))
        else:
            n = self.pick("nlist")
            if n:
                self.emit("%s.append(%s)" % (n, L))  # aliasing: n[-1] is L
            else:
                self.emit("%s.reverse()" % L)

    def s_dict(self):
        dd = self.pick("dict")
        if not dd:
            return self.bind(self.fresh(), "dict")
        if self.r.random() < 0.5:
            self.emit("%s[%s] = %s" % (dd, self.e_str(), self.e_int()))
        else:
            self.emit("%s['a'] += %s" % (dd, self.e_int()))

    def s_lambda(self):
        f = self.fresh()
        if f in self.loopvars or self.changes_kind(f, "lam"):
            return
        k = self.r.randint(2, 999)
        self.emit("%s = lambda v: v * %d + %s" % (f, k, self.big()))
        self.vars[f] = "lam"

    def s_delayed_list(self):
        dl = self.pick("dlist")
        if not dl or self.r.random() < 0.3:
            dl = self.fresh()
            if dl in self.loopvars or self.changes_kind(dl, "dlist"):
                return
            self.emit("%s = []" % dl)
            self.vars[dl] = "dlist"
        self.emit("%s.append(%s)" % (dl, self.e_delayed()))

    def s_for(self):
        if self.depth >= 2:
            return self.s_assign()
        L = self.pick("ilist", "nlist")
        x = self.r.choice(["i", "j", "e"])
        if x in self.loopvars or self.changes_kind(x, "int"):
            return self.s_assign()
        before = dict(self.vars)
        if L and self.r.random() < 0.6:
            head = "for %s in %s:" % (x, L)
            self.vars[x] = "int" if self.vars[L] == "int" or \
                self.vars[L] == "ilist" else "ilist"
            iterated = L
        else:
            head = "for %s in range(%d):" % (x, self.r.randint(0, 40))
            self.vars[x] = "int"
            iterated = None
        self.emit(head)
        self.block(x, iterated)
        # the loop may run zero times: x is bound only if it was before
        self.vars = {n: k for n, k in self.vars.items()
                     if n != x or before.get(n) == k}

    def s_while(self):
        if self.depth >= 2:
            return self.s_assign()
        w = self.r.choice(["w", "w2"])
        if w in self.loopvars or self.changes_kind(w, "int"):
            return self.s_assign()
        self.emit("%s = 0" % w)
        self.vars[w] = "int"
        self.emit("while %s < %d:" % (w, self.r.randint(0, 30)))
        self.indent += 1
        self.emit("%s += 1" % w)
        self.indent -= 1
        self.block(w, None)

    def s_if(self):
        if self.depth >= 2:
            return self.s_assign()
        self.emit("if %s:" % self.e_cond())
        self.block(None, None)
        if self.r.random() < 0.5:
            self.emit("else:")
            self.block(None, None)

    def block(self, var, iterated):
        """A body of 1..3 statements. The loop variable and the list
        iterated over keep their kinds inside (a loop rebinding the list it
        walks is fine, but mutating it may not terminate)."""
        saved = dict(self.vars)
        held = set(self.loopvars)
        self.loopvars |= {v for v in (var, iterated) if v}
        self.indent += 1
        self.depth += 1
        n0 = len(self.lines)
        for _ in range(self.r.randint(1, 3)):
            self.stmt(in_loop=var is not None)
        if len(self.lines) == n0:
            self.emit("pass")
        if var and self.r.random() < 0.15:
            self.emit("if %s:" % self.e_cond())
            self.emit("    %s" % self.r.choice(["break", "continue"]))
        self.depth -= 1
        self.indent -= 1
        self.loopvars = held
        # after a block, a name may have either kind: keep only the names
        # both paths agree on (a loop may run zero times)
        self.vars = {n: k for n, k in self.vars.items()
                     if saved.get(n) == k}

    def stmt(self, in_loop=False):
        r = self.r.random()
        table = [(0.22, self.s_assign), (0.3, self.s_alias), (0.4, self.s_aug),
                 (0.5, self.s_unpack), (0.64, self.s_method),
                 (0.7, self.s_dict), (0.73, self.s_lambda),
                 (0.8, self.s_delayed_list), (0.86, self.s_for),
                 (0.9, self.s_while), (0.95, self.s_if),
                 (1.01, self.s_output)]
        for p, fn in table:
            if r < p:
                # a loop mutating the list it iterates may never end
                if in_loop and fn in (self.s_method, self.s_aug) \
                        and self.loopvars & set(self.vars):
                    return self.s_assign()
                return fn()

    def s_output(self):
        """A snapshot mid-program: Dask computes it now, taskc must see the
        value as it is now, not as later code leaves it."""
        if self.depth:
            return
        self.output()

    def output(self):
        r = self.r.random()
        names = [n for n, k in self.vars.items() if k != "lam"]
        if not names:
            return
        if r < 0.4:
            pick = self.r.sample(names, min(len(names), self.r.randint(1, 4)))
            self.emit("delayed([%s]).compute()" % ", ".join(pick))
        elif r < 0.7:
            ds = [n for n in names if self.vars[n] in ("delayed", "dlist")]
            if ds:
                self.emit("compute(%s)" % ", ".join(
                    self.r.sample(ds, min(len(ds), 3))))
            else:
                self.emit("delayed(%s).compute()" % self.r.choice(names))
        elif r < 0.85:
            o = "out%d" % self.nout
            self.nout += 1
            self.emit("%s = %s" % (o, self.e_delayed()))
            self.emit("%s.compute()" % o)
        else:
            self.dict_graph()

    def dict_graph(self):
        L = self.e_list()
        self.emit("dsk = {'x': %s, 'y': (sum, 'x'), 'z': (plain_add, 'y', %s),"
                  " 'w': 'z'}" % (L, self.e_int()))
        self.emit("dask.get(dsk, ['z', 'w'])")

    def program(self):
        for _ in range(self.r.randint(4, 25)):
            self.stmt()
        for _ in range(self.r.randint(1, 3)):
            self.output()
        self.emit("delayed([%s]).compute()" % ", ".join(
            n for n, k in self.vars.items() if k != "lam"))
        return HEAD + "\n".join(self.lines) + "\n"


# ---------------------------------------------------------------- running

NOT_SUPPORTED = re.compile(r"^\S+:\d+:\d+: error: (.*not supported.*)$", re.M)
# Located errors of the typed function bodies (docs/language.md §3): an empty
# list or a mix of ints and delayed values has no one element type, and
# ints are 64-bit where Python's grow without bound. Skipped
# like "not supported", but counted apart.
TYPE_LIMIT = re.compile(r"^\S+:\d+:\d+: error: (.*(cannot infer the type|"
                        r"have mixed types|element type of this .* is unknown|does not fit in 64 bits).*)$", re.M)
SANITIZER = re.compile(r"(ERROR: AddressSanitizer|runtime error:|"
                       r"ERROR: LeakSanitizer|UndefinedBehaviorSanitizer)")


def run(cmd, timeout=120, env=None):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %d s" % timeout


def normalise(msg):
    """A message with its numbers and quoted bits blanked, for counting."""
    msg = re.sub(r"'[^']*'", "'_'", msg)
    return re.sub(r"-?\d+", "N", msg)[:120]


def last_error_line(text):
    lines = [l for l in text.strip().splitlines()
             if l.strip() and not l.startswith("run_dask.py")]
    return lines[-1] if lines else "?"


def check(prog, tmp, taskc, env):
    """(verdict, detail, outputs): verdict is ok, skip or mismatch."""
    path = os.path.join(tmp, "prog.tg")
    with open(path, "w") as f:
        f.write(prog)
    st, dask_out, err = run([PY, os.path.join(DASK_DIR, "run_dask.py"), path],
                            timeout=30)
    if st != 0:
        return "skip", "dask: " + normalise(last_error_line(err)), {}
    exe = os.path.join(tmp, "prog")
    st, out, err = run([taskc, path, "-o", exe], env=env)
    if SANITIZER.search(err):
        return "mismatch", "taskc sanitizer report", {"dask": dask_out,
                                                      "taskc-stderr": err}
    if st != 0:
        m = NOT_SUPPORTED.search(err)
        if st == 1 and m:
            return "skip", "taskc: " + normalise(m.group(1)), {}
        m = TYPE_LIMIT.search(err)
        if st == 1 and m:
            return "skip", "taskc typing: " + normalise(m.group(1)), {}
        return "mismatch", "taskc failed (%d)" % st, {"dask": dask_out,
                                                      "taskc-stderr": err}
    st, out, err = run([exe, "--format", "json"])
    if st != 0:
        return "mismatch", "executable failed (%d)" % st, {
            "dask": dask_out, "exe-stderr": err}
    with open(os.path.join(tmp, "dask.json"), "w") as f:
        f.write(dask_out)
    with open(os.path.join(tmp, "taskc.json"), "w") as f:
        f.write(out)
    st, cmp_out, cmp_err = run([PY, os.path.join(DASK_DIR, "compare.py"),
                                "--labels", "dask,taskc",
                                os.path.join(tmp, "dask.json"),
                                os.path.join(tmp, "taskc.json")])
    if st != 0:
        return "mismatch", "outputs differ", {"dask": dask_out, "taskc": out,
                                              "compare": cmp_out + cmp_err}
    return "ok", "", {}


def keep(folder, name, prog, detail, outs):
    """A mismatched program and what each side printed, into folder."""
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, name)
    with open(base + ".tg", "w") as f:
        f.write(prog)
    with open(base + ".txt", "w") as f:
        f.write(detail + "\n")
        for k, v in outs.items():
            f.write("---- %s\n%s\n" % (k, v))


def report(what, count, seed, counts, skips, failures):
    """The totals line, the skips by reason, the mismatches; exit status."""
    print("%d %s: %d ok, %d skipped, %d mismatched" % (
        count, what, counts["ok"], counts["skip"], counts["mismatch"]))
    for msg, n in skips.most_common():
        print("  skipped %4d  %s" % (n, msg))
    if failures:
        print("mismatched %s (seed %d): %s" % (
            what, seed, " ".join(map(str, failures))))
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--taskc", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep-failures", metavar="DIR")
    ap.add_argument("--keep-all", metavar="DIR",
                    help="also keep every generated program")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    taskc = os.path.abspath(args.taskc)
    if run([PY, "-c", "import dask"])[0] != 0:
        print("SKIP: python3-dask not installed")
        return 0
    env = dict(os.environ)
    # an ASan build of taskc: reports go to stderr, leaks are not our bug
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    counts = collections.Counter()
    skips = collections.Counter()
    failures = []
    tmp = tempfile.mkdtemp(prefix="taskc-evaldiff.")
    try:
        for i in range(args.count):
            prog = Gen(random.Random("%d:%d" % (args.seed, i))).program()
            if args.keep_all:
                os.makedirs(args.keep_all, exist_ok=True)
                with open(os.path.join(args.keep_all, "p%d.tg" % i), "w") as f:
                    f.write(prog)
            verdict, detail, outs = check(prog, tmp, taskc, env)
            counts[verdict] += 1
            if verdict == "skip":
                skips[detail] += 1
            if args.verbose or verdict == "mismatch":
                print("program %d: %s %s" % (i, verdict, detail), flush=True)
            if verdict == "mismatch":
                failures.append(i)
                if args.keep_failures:
                    keep(args.keep_failures, "seed%d-%d" % (args.seed, i), prog,
                         detail, outs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report("programs", args.count, args.seed, counts, skips, failures)


if __name__ == "__main__":
    sys.exit(main())
