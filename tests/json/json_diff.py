#!/usr/bin/python3
"""json_diff.py - differential test of runtime/json_load.c and json_dump.c against Python's json.

Generates random (seeded) JSON documents: nested arrays and objects, repeated
keys, strings with every escape, \\uXXXX of BMP, astral (surrogate pairs) and
lone surrogates, raw UTF-8, ints up to int64's edges and beyond, floats in
every form (exponents, long mantissas, denormals, overflow to inf), NaN and
Infinity, all JSON whitespace; and mangled copies of them (a character cut,
doubled or replaced) for the error paths. Each goes to the C driver
(test_rt_json_text --serve), which answers json.dumps(json.loads(doc)), or
the failure's text; Python's must be the same
(an int beyond int64 must be the driver's documented failure). Then random
Python values (tuples, int/float/bool/None dict keys, unicode strings,
non-finite floats) go to json.dumps on both sides, compared as text.

  usage: json_diff.py --driver PATH [--count N] [--seed S]
Prints "json-diff: N loads (E errors), M dumps, K mismatches"; exits 1 on one.
"""
import argparse
import json
import math
import random
import struct
import subprocess
import sys

INT64 = 2 ** 63
CHARS = ["a", "Z", " ", "é", "€", "😀", "\u2028", "\x7f", "\\", "\"", "/", "\n", "\t", "\x00",
         "\x1f", "日本", "word"]


def rand_str_src(r):
    """The source text of a JSON string (with escapes)."""
    out = ['"']
    for _ in range(r.choice([0, 1, 3, 8, 20])):
        c = r.random()
        if c < 0.4:
            ch = r.choice(CHARS)
            if ch in '\\"' or ord(ch[0]) < 0x20:
                out.append("\\u%04x" % ord(ch[0]))
            else:
                out.append(ch)
        elif c < 0.6:
            out.append("\\" + r.choice('"\\/bfnrt'))
        elif c < 0.75:
            out.append("\\u%04x" % r.choice([0x41, 0xe9, 0x20ac, 0xffff, 0x7f, 0x0, r.randrange(0x10000)]))
        elif c < 0.9:
            cp = r.choice([0x1f600, 0x10000, 0x10ffff, r.randrange(0x10000, 0x110000)]) - 0x10000
            out.append("\\u%04x\\u%04X" % (0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)))
        else:  # lone surrogates
            out.append("\\u%04x" % r.choice([0xd800, 0xdbff, 0xdc00, 0xdfff]))
    out.append('"')
    return "".join(out)


def rand_num_src(r):
    c = r.random()
    if c < 0.3:
        return str(r.choice([0, 1, -1, 7, INT64 - 1, -INT64, r.randrange(-10 ** 6, 10 ** 6),
                             r.randrange(-INT64, INT64)]))
    if c < 0.35:
        return str(r.choice([INT64, -INT64 - 1, 10 ** 30]))  # beyond int64
    if c < 0.7:
        return repr(r.choice([0.1, -0.0, 1e16, 5e-324, 1.7976931348623157e308,
                              2.2250738585072014e-308, r.uniform(-1e6, 1e6),
                              r.random() * 10 ** r.randint(-300, 300)]))
    mant = str(r.randrange(10 ** r.randint(1, 25)))
    frac = "." + str(r.randrange(10 ** r.randint(1, 25))) if r.random() < 0.7 else ""
    exp = r.choice(["", "e5", "E-5", "e+300", "e400", "e-330", "E0", "e-7"])
    return r.choice(["", "-"]) + mant.lstrip("0") + frac if not exp and not frac \
        else r.choice(["", "-"]) + (mant.lstrip("0") or "0") + frac + exp


def ws(r):
    return r.choice(["", "", "", " ", "\n", "\t", "\r\n ", "  "])


def rand_doc(r, depth=0):
    c = r.random()
    if depth < 4 and c < 0.2:
        items = [rand_doc(r, depth + 1) for _ in range(r.choice([0, 1, 2, 5]))]
        return "[" + ws(r) + ("," + ws(r)).join(i + ws(r) for i in items) + "]"
    if depth < 4 and c < 0.4:
        keys = [rand_str_src(r) for _ in range(r.choice([0, 1, 2, 4]))]
        if keys and r.random() < 0.3:
            keys.append(keys[0])  # a repeated key
        return "{" + ws(r) + ("," + ws(r)).join(
            k + ws(r) + ":" + ws(r) + rand_doc(r, depth + 1) for k in keys) + "}"
    if c < 0.55:
        return rand_str_src(r)
    if c < 0.9:
        return rand_num_src(r)
    return r.choice(["true", "false", "null", "NaN", "Infinity", "-Infinity"])


def mangle(r, doc):
    """A copy with one edit, mostly malformed."""
    if not doc:
        return r.choice(["", " ", "x"])
    i = r.randrange(len(doc))
    c = r.random()
    if c < 0.3:
        return doc[:i]
    if c < 0.5:
        return doc[:i] + doc[i:i + 1] * 2 + doc[i + 1:]
    if c < 0.8:
        return doc[:i] + r.choice(list(",:[]{}\"\\ x01.e-+\x01\x1f")) + doc[i + 1:]
    return doc + r.choice([" 1", "x", ",", "]", "\ufeff"])


def has_big_int(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return not -INT64 <= v < INT64
    if isinstance(v, list):
        return any(has_big_int(x) for x in v)
    if isinstance(v, dict):
        return any(has_big_int(x) for x in v.values())
    return False


def python_loads(doc):
    try:
        v = json.loads(doc)
    except json.JSONDecodeError as e:
        return ("ERR", str(e))
    except RecursionError as e:
        return ("ERR", str(e))
    if has_big_int(v):
        return ("BIG", None)
    return ("OK", json.dumps(v))


def rand_value(r, depth=0):
    c = r.random()
    if depth < 3 and c < 0.15:
        return [rand_value(r, depth + 1) for _ in range(r.choice([0, 1, 3]))]
    if depth < 3 and c < 0.25:
        return tuple(rand_value(r, depth + 1) for _ in range(r.choice([0, 1, 2])))
    if depth < 3 and c < 0.4:
        d = {}
        for _ in range(r.choice([0, 1, 3])):
            d[rand_key(r)] = rand_value(r, depth + 1)
        return d
    if c < 0.55:
        return "".join(r.choice(CHARS) for _ in range(r.choice([0, 1, 4])))
    if c < 0.7:
        return r.randrange(-INT64, INT64)
    if c < 0.9:
        return r.choice([0.1, -0.0, 1e16, 1e22, 123456789.0, 5e-324, math.inf, -math.inf, math.nan,
                         r.uniform(-1e9, 1e9), r.random() * 10 ** r.randint(-300, 300)])
    return r.choice([True, False, None])


def rand_key(r):
    c = r.random()
    if c < 0.5:
        return "".join(r.choice(CHARS) for _ in range(r.choice([0, 1, 3])))
    if c < 0.65:
        return r.randrange(-1000, 1000)
    if c < 0.8:
        return r.choice([1.5, -0.0, 1e16, math.inf, math.nan, 0.1])
    if c < 0.95:
        return r.choice([True, False, None])
    return (1, "a")  # not a JSON key


def terms(v):
    """v in the driver's prefix form."""
    if v is None:
        return ["N"]
    if v is True:
        return ["T"]
    if v is False:
        return ["F"]
    if isinstance(v, int):
        return ["i%d" % v]
    if isinstance(v, float):
        return ["f%016x" % struct.unpack("<Q", struct.pack("<d", v))[0]]
    if isinstance(v, str):
        return ["s" + v.encode().hex()]
    if isinstance(v, (list, tuple)):
        out = [("l" if isinstance(v, list) else "t") + str(len(v))]
        for x in v:
            out += terms(x)
        return out
    out = ["d%d" % len(v)]
    for k, x in v.items():
        out += terms(k) + terms(x)
    return out


def python_dumps(v):
    try:
        return ("OK", json.dumps(v))
    except TypeError as e:
        return ("ERR", str(e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    r = random.Random(args.seed)

    docs = []
    for _ in range(args.count):
        d = ws(r) + rand_doc(r) + ws(r)
        docs.append(d)
        if r.random() < 0.5:
            docs.append(mangle(r, d))
    docs += ["[" * 1200 + "]" * 1200, "{\"a\":" * 1000 + "1" + "}" * 1000]
    values = [rand_value(r) for _ in range(args.count)]

    req = ["L " + d.encode("utf-8", "surrogatepass").hex() for d in docs]
    req += ["D " + " ".join(terms(v)) for v in values]
    out = subprocess.run([args.driver, "--serve"], input="\n".join(req) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    bad = errors = 0
    for i, d in enumerate(docs):
        want, got = python_loads(d), out[i]
        if want[0] == "ERR":
            errors += 1
            ok = got == "ERR " + want[1]
        elif want[0] == "BIG":
            ok = got.startswith("ERR json.loads: the int ")
        else:
            # dumps' text tells int from float, keeps the order and every
            # character of strings; repr is the runtime's printer's business
            ok = got == "OK " + want[1]
        if not ok:
            bad += 1
            if bad <= 10:
                print("MISMATCH loads %r\n  python: %r\n  taskc:  %r" % (d[:200], want, got[:300]))
    for j, v in enumerate(values):
        want, got = python_dumps(v), out[len(docs) + j]
        if got != " ".join(want):
            bad += 1
            if bad <= 10:
                print("MISMATCH dumps %r\n  python: %r\n  taskc:  %r" % (v, want, got))
    live = out[len(docs) + len(values)]
    if live != "LIVE 0":
        bad += 1
        print("leak after the run:", live)
    print("json-diff: %d loads (%d errors), %d dumps, %d mismatches"
          % (len(docs), errors, len(values), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
