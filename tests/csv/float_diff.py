#!/usr/bin/python3
"""float_diff.py - differential test of runtime/csv_float.c and csv_int.c
against pandas' read_csv (Debian 12: pandas 1.5, C engine, defaults).

Generates random fields (seeded), has the C driver parse each one
(test_rt_csv_float KIND FILE prints one status a field) and reads the same
fields with pd.read_csv, then compares bit for bit:

  --kind f64  decimals of 1-19 significant digits, signs, leading zeros in
              integer and fraction parts, exponents (small, huge, 'e'/'E',
              leading zeros, beyond int32), repr/%.Ng of random doubles,
              lat/lon-like values, NA strings, infinity spellings, spaces,
              junk. Fields the C side parses go into float columns of up to
              1000 rows (first row "0.5", so pandas' int pass fails at once
              and the float pass reads every field); each field it rejects
              gets a column of its own ["0.5", field], which pandas must
              leave as a string (object) column.
  --kind int  int-like fields: the int64 pass (OK: int64 columns; NA:
              float64 NaN; BAD: the float pass, checked with the f64
              parser; OVERFLOW: the uint64 pass, checked with csv_parse_u64).

Columns are read with low_memory=False: pandas' default reads wide files in
chunks of rows and types each chunk on its own.

  usage: float_diff.py --driver PATH [--kind f64|int] [--count N] [--seed S]
Prints "csv-diff KIND: N fields, M mismatches" and exits 1 on a mismatch.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

NA_STRINGS = ["", "NA", "N/A", "n/a", "#NA", "NaN", "nan", "-NaN", "-nan", "<NA>", "NULL",
              "null", "#N/A", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN", "#N/A N/A"]
ODD = ["inf", "-inf", "+inf", "Infinity", "-Infinity", "+Infinity", "INF", "iNfInItY",
       "-INFINITY", " inf", "inf ", "infin", "in", "infinit", "nan ", " nan", "NAN", "None",
       "none", "n/a ", "1e", "1E+", "e5", ".", "-", "+", "-.", "+.e1", "1.5.5", "1e5e5", "--1",
       "+-1", "0x1p3", "1 5", "1_0", "1d5", "١", "½", "\t", " ", "  ", "1.#INF", "True",
       "false", "\x0b1\x0c", "1\x0b", "\xa01"]
SPACES = [" ", "\t", "  ", "\x0b", "\x0c", " \t"]
RUN = 1000  # rows of a float column


def zeros(r, top):
    """A geometric-ish number of zeros, mostly none."""
    return "0" * min(top, int(r.expovariate(0.6))) if r.random() < 0.3 else ""


def exponent(r):
    mark = r.choice("eE")
    sign = r.choice(["", "", "+", "-", "-"])
    c = r.random()
    if c < 0.5:
        v = r.randint(0, 25)
    elif c < 0.8:
        v = r.randint(0, 330)
    elif c < 0.95:
        v = r.randint(280, 700)
    else:  # beyond pandas' int: it wraps
        v = r.randint(0, 10 ** r.randint(9, 20))
    return mark + sign + zeros(r, 6) + str(v)


def decimal(r):
    k = r.randint(1, 19)
    ds = "".join(r.choices("0123456789", k=k))
    if r.random() < 0.85:
        ds = r.choice("123456789") + ds[1:]
    pos = r.randint(0, k)
    ip, fp = ds[:pos], ds[pos:]
    c = r.random()
    if c < 0.25 and not ip:  # a fraction's leading zeros
        fp = "0" * r.randint(1, 25) + fp
        ip = r.choice(["", "0"])
    ip = zeros(r, 20) + ip if ip else ip
    s = ip
    if fp or r.random() < 0.1:
        s += "." + fp
    if not s.strip("."):
        s = "0" + s
    if r.random() < 0.4:
        s += exponent(r)
    sign = r.choice(["", "", "", "-", "-", "+"])
    s = sign + s
    if r.random() < 0.03:
        s = r.choice(SPACES) + s
    if r.random() < 0.03:
        s += r.choice(SPACES)
    return s


def random_double(r):
    """A double from random bits (no NaN/inf), written as Python does or
    with 15-17 significant digits: the digits pandas rounds worst."""
    while True:
        x = np.frombuffer(r.getrandbits(64).to_bytes(8, "little"), dtype=np.float64)[0]
        if np.isfinite(x):
            break
    if r.random() < 0.5:  # moderate magnitudes, where most data lives
        x = float(np.ldexp(np.frexp(x)[0], r.randint(-60, 60)))
    fmt = r.choice(["r", "%.17g", "%.16g", "%.15g", "%.17e", "%.16f"])
    return repr(float(x)) if fmt == "r" else fmt % x


def latlon(r):
    v = r.uniform(40.5, 41.0) if r.random() < 0.5 else r.uniform(-74.3, -73.6)
    return "%.*f" % (r.randint(4, 6), v)


def special(r):
    c = r.random()
    if c < 0.4:
        return r.choice(NA_STRINGS)
    if c < 0.8:
        return r.choice(ODD)
    edge = ["1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9406564584124654e-324",
            "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-323", "1e308",
            "1e-308", "1e-616", "1e-617", "9e-617", "123456789012345678901234567890",
            "0.000000000000000000000000000000000000001", "9007199254740993",
            "9007199254740993.0", "-0", "-0.0", "+0", "0e0", "0e-999", "-0e999"]
    return r.choice(edge)


def float_field(r):
    c = r.random()
    if c < 0.55:
        return decimal(r)
    if c < 0.80:
        return random_double(r)
    if c < 0.93:
        return latlon(r)
    return special(r)


def int_field(r):
    c = r.random()
    if c < 0.6:
        s = str(r.randint(0, 10 ** r.randint(1, 21)))
    elif c < 0.75:  # near the int64 and uint64 ends
        s = str(r.choice([2**63, 2**64]) + r.randint(-3, 3))
    elif c < 0.85:
        s = r.choice(NA_STRINGS)
    else:
        s = r.choice(ODD + ["1.0", "1e3", "12a", "0x10", "٣", "007"])
    if c < 0.75:
        s = zeros(r, 5) + s
        s = r.choice(["", "", "", "-", "+"]) + s
        if r.random() < 0.05:
            s = r.choice(SPACES) + s + r.choice(["", " "])
    return s


# ---- running the two sides ----

def c_side(driver, kind, fields, tmp):
    path = os.path.join(tmp, "fields.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(fields) + "\n")
    out = subprocess.run([driver, kind, path], check=True, capture_output=True,
                         text=True).stdout.split("\n")
    assert len(out) == len(fields) + 1, "driver printed %d lines" % len(out)
    return out[:-1]


def read(tmp, rows):
    path = os.path.join(tmp, "cols.csv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(",".join(row) + "\n")
    return pd.read_csv(path, header=None, low_memory=False)


def float_columns(tmp, fields, bits, guard, guard_bits):
    """Fields in columns of RUN rows under GUARD; their pandas bits (None
    where a column came out of another dtype) and the expected bits."""
    ncols = max(2, -(-len(fields) // RUN))
    pad = ncols * RUN - len(fields)
    cells = np.array(fields + [guard] * pad, dtype=object).reshape(ncols, RUN)
    want = np.array(bits + [guard_bits] * pad, dtype=np.uint64).reshape(ncols, RUN)
    rows = [[guard] * ncols] + cells.T.tolist()
    df = read(tmp, rows)
    return df, want


def single_columns(tmp, fields, guard):
    """Each field in a column of its own under GUARD."""
    if not fields:
        return None
    row = list(fields) + ([guard] if len(fields) == 1 else [])
    return read(tmp, [[guard] * len(row), row])


class Report:
    def __init__(self):
        self.bad = []
        self.counts = {}  # C statuses
        self.unlike_python = 0  # values pandas gives and float() does not

    def count(self, statuses):
        for o in statuses:
            k = o.split(" ")[0]
            self.counts[k] = self.counts.get(k, 0) + 1

    def miss(self, field, want, got):
        self.bad.append((field, want, got))


def hexbits(x):
    return "%016x" % np.float64(x).view(np.uint64)


def check_float_columns(rep, df, want, fields):
    for j in range(df.shape[1]):
        col = df[j]
        if col.dtype != np.float64:
            for i, v in enumerate(col.iloc[1:]):
                k = j * RUN + i
                if k < len(fields):
                    rep.miss(fields[k], "float64 " + "%016x" % want[j, i],
                             "%s %r" % (col.dtype, v))
            continue
        got = col.to_numpy()[1:].view(np.uint64)
        for i in np.nonzero(got != want[j])[0]:
            rep.miss(fields[j * RUN + i], "%016x" % want[j, i], "%016x" % got[i])


def check_object_columns(rep, df, fields, what):
    if df is None:
        return
    for j, s in enumerate(fields):
        col = df[j]
        if col.dtype != object or col.iloc[1] != s:
            v = col.iloc[1]
            got = hexbits(v) if col.dtype == np.float64 else repr(v)
            rep.miss(s, what, "%s %s" % (col.dtype, got))


def run_f64(driver, fields, tmp, rep):
    out = c_side(driver, "f64", fields, tmp)
    rep.count(out)
    good, bits, bad = [], [], []
    for s, o in zip(fields, out):
        if o == "BAD":
            bad.append(s)
        else:
            good.append(s)
            bits.append(0x7FF8000000000000 if o == "NA" else int(o[3:], 16))
            if o != "NA" and int(hexbits(float(s)), 16) != bits[-1]:
                rep.unlike_python += 1
    df, want = float_columns(tmp, good, bits, "0.5", 0x3FE0000000000000)
    check_float_columns(rep, df, want, good)
    check_object_columns(rep, single_columns(tmp, bad, "0.5"), bad, "object (BAD)")


def run_int(driver, fields, tmp, rep):
    i64 = c_side(driver, "i64", fields, tmp)
    u64 = c_side(driver, "u64", fields, tmp)
    f64 = c_side(driver, "f64", fields, tmp)
    rep.count(i64)
    ok = [(s, int(o[3:])) for s, o in zip(fields, i64) if o.startswith("OK")]
    if ok:  # int64 columns under "0"
        ncols = max(2, -(-len(ok) // RUN))
        vals = [v for _, v in ok] + [0] * (ncols * RUN - len(ok))
        cells = [s for s, _ in ok] + ["0"] * (ncols * RUN - len(ok))
        want = np.array(vals, dtype=np.int64).reshape(ncols, RUN)
        rows = [["0"] * ncols] + np.array(cells, dtype=object).reshape(ncols, RUN).T.tolist()
        df = read(tmp, rows)
        for j in range(ncols):
            col = df[j]
            got = col.to_numpy()[1:]
            for i in range(RUN):
                k = j * RUN + i
                if k < len(ok) and (col.dtype != np.int64 or got[i] != want[j, i]):
                    rep.miss(ok[k][0], "int64 %d" % want[j, i], "%s %r" % (col.dtype, got[i]))
    # every other field in a column ["0", field]: what the column becomes
    rest = [(s, a, b, c) for s, a, b, c in zip(fields, i64, u64, f64) if not a.startswith("OK")]
    df = single_columns(tmp, [s for s, *_ in rest], "0")
    for j, (s, a, b, c) in enumerate(rest):
        col = df[j]
        got = col.iloc[1]
        if a == "NA":
            want = "float64 nan"
        elif a == "OVERFLOW" and b.startswith("OK"):
            want = "uint64 " + b[3:]
        elif a == "OVERFLOW" and b != "BAD":
            want = "object " + repr(s)
        elif c == "BAD":
            want = "object " + repr(s)
        else:
            want = "float64 " + ("nan" if c == "NA" else c[3:])
        if col.dtype == np.float64:
            have = "float64 " + ("nan" if np.isnan(got) and hexbits(got) == "7ff8000000000000"
                                 else hexbits(got))
        elif col.dtype == object:
            have = "object " + repr(got)
        else:
            have = "%s %s" % (col.dtype, got)
        if have != want:
            rep.miss(s, want, have)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--kind", choices=["f64", "int"], default="f64")
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=500000)
    args = ap.parse_args()
    rep = Report()
    gen = float_field if args.kind == "f64" else int_field
    with tempfile.TemporaryDirectory(prefix="csv-diff-") as tmp:
        done, b = 0, 0
        while done < args.count:
            n = min(args.batch, args.count - done)
            r = random.Random("%d/%d" % (args.seed, b))
            fields = [gen(r) for _ in range(n)]
            (run_f64 if args.kind == "f64" else run_int)(args.driver, fields, tmp, rep)
            done += n
            b += 1
            if args.count > args.batch:
                print("  %d fields, %d mismatches" % (done, len(rep.bad)), flush=True)
    for s, want, got in rep.bad[:20]:
        print("MISMATCH %r: C %s, pandas %s" % (s, want, got))
    print("C statuses:", ", ".join("%s %d" % kv for kv in sorted(rep.counts.items())))
    if args.kind == "f64":
        print("values unlike Python's float(): %d" % rep.unlike_python)
    print("csv-diff %s: %d fields, %d mismatches" % (args.kind, args.count, len(rep.bad)))
    return 1 if rep.bad else 0


if __name__ == "__main__":
    sys.exit(main())
