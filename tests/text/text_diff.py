#!/usr/bin/python3
"""text_diff.py - differential test of runtime/text.c (bag.read_text) against Dask.

Writes random files (seeded: LF, CRLF and lone-CR endings mixed, no final
newline, empty files, empty lines, multi-byte UTF-8, the custom delimiters
';' and '||' in the text, now and then a byte that is not UTF-8) and, for
the block sizes None, 1, 7, 64, 1000 and a few line delimiters each,
compares the partitions of
    dask.bag.read_text(path, blocksize=B, linedelimiter=D)
with those the C driver (test_rt_text --serve) reads, partition by
partition; a Dask error must be a driver error too (UnicodeDecodeError).

  usage: text_diff.py --driver PATH [--files N] [--seed S]
Prints "text-diff: N files, K partitions (E reads failing in Dask), M mismatches"; exits 1 on one.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import dask
import dask.bag as db

BLOCKSIZES = [None, 1, 7, 64, 1000]
DELIMS = [None, "", "\n", "\r", "\r\n", ";", "||"]
WORDS = ["a", "bc", "déf", "ĝhi", "€", "😀x", "||", ";", " ", "\t", "word", "x" * 40]
ENDS = ["\n", "\r\n", "\r", ";", "||", ";\n"]


def random_text(r):
    """Some lines of words with mixed endings, as bytes."""
    out = []
    for _ in range(r.choice([0, 0, 1, 2, 5, 20, 60])):
        c = r.random()
        n = 0 if c < 0.15 else r.randint(1, 4) if c < 0.8 else r.randint(5, 30)
        out.append("".join(r.choice(WORDS) for _ in range(n)))
        out.append(r.choice(ENDS) if r.random() < 0.5 else r.choice(ENDS[:1] * 3 + ENDS))
    if out and r.random() < 0.3:
        out.pop()  # no final line ending
    data = "".join(out).encode()
    if data and r.random() < 0.04:  # one byte that is not UTF-8
        i = r.randrange(len(data))
        data = data[:i] + bytes([r.choice([0xFF, 0xC0, 0xE2, 0x80])]) + data[i + 1:]
    return data


def dask_parts(path, bs, delim):
    """The partitions Dask makes, or ('error', type name)."""
    try:
        b = db.read_text(path, blocksize=bs, linedelimiter=delim)
    except ValueError:  # an empty file cut into blocks: no partitions at all
        return []
    try:
        return [list(p) for p in dask.compute(*b.to_delayed(), scheduler="sync")]
    except UnicodeDecodeError:
        return ("error", "UnicodeDecodeError")


def request(delim):
    return "N" if delim is None else "x" + delim.encode().hex()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = random.Random(args.seed)
    drv = subprocess.Popen([args.driver, "--serve"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, encoding="utf-8")
    nparts, nerrors, bad = 0, 0, []
    with tempfile.TemporaryDirectory(prefix="text-diff-") as tmp:
        for i in range(args.files):
            path = os.path.join(tmp, "f%d.txt" % i)
            data = random_text(r)
            with open(path, "wb") as f:
                f.write(data)
            delims = [None] + r.sample(DELIMS[1:], 2)
            for bs in BLOCKSIZES:
                if bs == 1 and len(data) > 400:
                    continue  # thousands of one-byte partitions: slow in Dask, nothing new
                for d in delims:
                    want = dask_parts(path, bs, d)
                    drv.stdin.write("%s\t%d\t%s\n" % (path, -1 if bs is None else bs,
                                                       request(d)))
                    drv.stdin.flush()
                    got = json.loads(drv.stdout.readline())
                    if isinstance(got, dict):
                        got = ("error", "UnicodeDecodeError") if "utf-8" in got["error"] \
                            else ("error", got["error"])
                    nparts += len(want) if isinstance(want, list) else 1
                    nerrors += isinstance(want, tuple)
                    if got != want:
                        bad.append((data, bs, d, want, got))
    drv.stdin.close()
    drv.wait()
    for data, bs, d, want, got in bad[:10]:
        print("MISMATCH %r blocksize %s linedelimiter %r:\n  dask %r\n  C    %r"
              % (data[:200], bs, d, want, got))
    print("text-diff: %d files, %d partitions (%d reads failing in Dask), %d mismatches"
          % (args.files, nparts, nerrors, len(bad)))
    return 1 if bad or drv.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
