#!/usr/bin/python3
"""py_diff.py - differential test of runtime/csv_py.c against Python.

Dask's coerce_dtypes casts an object column of a block to the sample's
float64 / int64 with astype, which reads each string as Python's float()
or int() does (numpy's object casts). Generates random text fields
(seeded): long digit runs with and without fractions, leading zeros,
signs, exponents, '_' between digits (and in wrong places), ASCII and
Unicode spaces, Unicode digits, inf/nan spellings, junk; has the C driver
read them (test_rt_csv_float pyf|pyi FILE) and compares with
np.array([s], dtype=object).astype(float64 / int64).

  usage: py_diff.py --driver PATH [--kind pyf|pyi] [--count N] [--seed S]
Prints "py-diff KIND: N fields, M mismatches" and exits 1 on a mismatch.
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

import numpy as np

SPACES = [" ", "\t", "\x0b", "\x0c", "\r", "\xa0", "\u2003", "\u3000", "\x85", "\x1c", "\u200b"]
DIGITS = ["\u0661", "\u0966", "\uff15", "\U0001d7d9", "\u00b2", "\u00bd"]
WORDS = ["inf", "-inf", "+Infinity", "iNfInItY", "nan", "-NaN", "NAN", "infinit", "na",
         "NA", "null", "1e", "e5", ".", "-", "+", "-.", "1.5.5", "0x10", "1d5", "True", "",
         "1__0", "_1", "1_", "1_.5", "1._5", "1e_5", "1e5_0", "1_000", "-1_0.0_1e-0_2"]


def digits(r, lo, hi):
    s = "".join(r.choice("0123456789") for _ in range(r.randint(lo, hi)))
    if r.random() < 0.15 and len(s) > 1:  # an underscore, mostly between digits
        i = r.randint(0, len(s))
        s = s[:i] + "_" + s[i:]
    if r.random() < 0.05 and s:
        i = r.randint(0, len(s) - 1)
        s = s[:i] + r.choice(DIGITS) + s[i + 1:]
    return s


def field(r, kind):
    c = r.random()
    if c < 0.08:
        return r.choice(WORDS)
    s = r.choice(["", "", "", "-", "+"]) + "0" * (r.randint(0, 4) if r.random() < 0.2 else 0)
    s += digits(r, 0 if kind == "pyf" and r.random() < 0.1 else 1, r.choice([3, 19, 20, 30]))
    if kind == "pyf" and r.random() < 0.5:
        s += "." + digits(r, 0, r.choice([2, 17, 30]))
    if kind == "pyf" and r.random() < 0.2:
        s += r.choice("eE") + r.choice(["", "-", "+"]) + digits(r, 1, r.choice([2, 3, 5]))
    if r.random() < 0.15:
        s = r.choice(SPACES) + s
    if r.random() < 0.15:
        s += r.choice(SPACES)
    if r.random() < 0.03:
        s += r.choice("x. _")
    return s


def python(s, kind):
    a = np.array([s], dtype=object)
    try:
        np.seterr(over="ignore")
        if kind == "pyf":
            x = a.astype(np.float64)[0]
            b = 0x7ff8000000000000 if x != x else struct.unpack("<Q", struct.pack("<d", x))[0]
            return "OK %016x" % b
        return "OK %d" % a.astype(np.int64)[0]
    except OverflowError:
        return "OVERFLOW"
    except ValueError:
        return "BAD"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--kind", default="pyf", choices=["pyf", "pyi"])
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    r = random.Random(a.seed)
    fields = [field(r, a.kind) for _ in range(a.count)]
    fd, path = tempfile.mkstemp(suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write("".join(s + "\n" for s in fields))
    try:
        out = subprocess.run([a.driver, a.kind, path], check=True, capture_output=True,
                             text=True).stdout.split("\n")
    finally:
        os.unlink(path)
    bad = 0
    for i, s in enumerate(fields):
        want, got = python(s, a.kind), out[i] if i < len(out) else "(none)"
        if want != got:
            bad += 1
            if bad <= 10:
                print("mismatch: %r: python %s, taskc %s" % (s, want, got))
    print("py-diff %s: %d fields, %d mismatches" % (a.kind, len(fields), bad))
    sys.exit(1 if bad else 0)


main()
