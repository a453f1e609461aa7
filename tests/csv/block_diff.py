#!/usr/bin/python3
"""block_diff.py - differential test of runtime/csv_block.c against Dask.

Writes random files (seeded: lines of random lengths, empty lines, lines
longer than a block, CRLF or LF, with or without a final newline, empty
files), and for random block sizes compares the blocks of
dask.bytes.read_bytes(path, delimiter=b'\\n', blocksize=B, sample=False)
with the byte ranges the C driver (test_rt_csv_block FILE B) prints:
same number of blocks, same offsets, same bytes.

  usage: block_diff.py --driver PATH [--files N] [--seed S]
Prints "csv-block-diff: N files, K blocks, M mismatches"; exits 1 on one.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

import dask
from dask.bytes import read_bytes


def random_file(r):
    eol = b"\r\n" if r.random() < 0.3 else b"\n"
    lines = []
    for _ in range(r.choice([0, 1, 2, 5, 20, 100, 400])):
        c = r.random()
        n = 0 if c < 0.1 else r.randint(1, 12) if c < 0.7 else r.randint(1, 120)
        if r.random() < 0.02:
            n = r.randint(500, 3000)  # longer than most blocks
        lines.append(bytes(r.choices(b"abc,0123456789.\"\r ", k=n)))
    data = eol.join(lines)
    if lines and r.random() < 0.6:
        data += eol
    return data


def dask_blocks(path, bs):
    _, blocks = read_bytes(path, delimiter=b"\n", blocksize=bs, sample=False)
    offsets = [int(re.match(r"read-block-(\d+)-", d.key).group(1)) for d in blocks[0]]
    return offsets, list(dask.compute(*blocks[0], scheduler="sync"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--files", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = random.Random(args.seed)
    nblocks, bad = 0, []
    with tempfile.TemporaryDirectory(prefix="csv-block-") as tmp:
        path = os.path.join(tmp, "f.csv")
        for _ in range(args.files):
            data = random_file(r)
            with open(path, "wb") as f:
                f.write(data)
            for _ in range(3):
                bs = r.randint(1, max(1, len(data) // r.choice([1, 2, 3, 7, 30])) + 5)
                offsets, want = dask_blocks(path, bs)
                out = subprocess.run([args.driver, path, str(bs)], capture_output=True,
                                     text=True)
                rows = [tuple(map(int, line.split())) for line in out.stdout.splitlines()]
                got = [data[s:e] for _, _, s, e in rows]
                nblocks += len(want)
                if out.returncode != 0 or [o for o, *_ in rows] != offsets or got != want:
                    bad.append((len(data), bs, offsets, [o for o, *_ in rows]))
    for size, bs, want, got in bad[:10]:
        print("MISMATCH size %d blocksize %d: dask offsets %s, C %s" % (size, bs, want, got))
    print("csv-block-diff: %d files, %d blocks, %d mismatches" % (args.files, nblocks, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
