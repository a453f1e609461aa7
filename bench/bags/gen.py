#!/usr/bin/python3
"""gen.py - seeded data for bench/bags.

  gen.py text DIR --mb 200 --files 8 [--seed 1]
      DIR/text-NN.txt: lines of 5-15 words drawn from a Zipf-like
      vocabulary (weight 1/rank^1.07 over 50,000 words of ASCII letters,
      a fifth of them capitalised, so that lower() matters), LF endings,
      about MB megabytes in all, split evenly over FILES files.
  gen.py json DIR --mb 1000 --files 16 [--seed 1]
      DIR/records-NN.jsonl: one JSON record a line,
      {"name": str, "amount": int, "kind": one of 5 str, "score": float}.

The same arguments write the same bytes (numpy's PCG64 from SEED). A
file that already exists with the size the arguments give is kept, so
repeated bench runs do not regenerate 200 MB.
"""
import argparse
import json
import os
import sys

import numpy as np

VOCAB = 50_000
LETTERS = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def vocabulary(rng):
    """VOCAB distinct words of 2-10 letters, some capitalised."""
    words, seen = [], set()
    while len(words) < VOCAB:
        n = int(rng.integers(2, 11))
        w = LETTERS[rng.integers(0, 26, n)].tobytes().decode()
        if w in seen:
            continue
        seen.add(w)
        words.append(w.capitalize() if rng.random() < 0.2 else w)
    return words


def text_file(path, nbytes, words, cum, rng):
    """Lines of 5-15 Zipf words until NBYTES bytes are written."""
    written = 0
    with open(path, "w", encoding="ascii", newline="\n") as f:
        while written < nbytes:
            lens = rng.integers(5, 16, 20_000)
            idx = np.searchsorted(cum, rng.random(int(lens.sum())))
            out, k = [], 0
            for n in lens:
                out.append(" ".join([words[i] for i in idx[k:k + n]]))
                k += n
            chunk = "\n".join(out) + "\n"
            if written + len(chunk) > nbytes:  # the last chunk: whole lines up to NBYTES
                chunk = chunk[:chunk.rfind("\n", 0, nbytes - written) + 1]
                if not chunk:
                    break
            f.write(chunk)
            written += len(chunk)


def gen_text(args):
    rng = np.random.default_rng(args.seed)
    words = vocabulary(rng)
    w = 1.0 / np.arange(1, VOCAB + 1) ** 1.07
    cum = np.cumsum(w) / w.sum()
    per = args.mb * 1_000_000 // args.files
    for i in range(args.files):
        path = os.path.join(args.dir, "text-%02d.txt" % i)
        frng = np.random.default_rng([args.seed, i])
        stamp = path + ".args"
        key = "%d %d %d" % (args.mb, args.files, args.seed)
        if os.path.exists(stamp) and open(stamp).read() == key and os.path.exists(path):
            continue
        text_file(path, per, words, cum, frng)
        open(stamp, "w").write(key)


KINDS = ["alpha", "beta", "gamma", "delta", "epsilon"]


def gen_json(args):
    per = args.mb * 1_000_000 // args.files
    for i in range(args.files):
        path = os.path.join(args.dir, "records-%02d.jsonl" % i)
        stamp = path + ".args"
        key = "%d %d %d" % (args.mb, args.files, args.seed)
        if os.path.exists(stamp) and open(stamp).read() == key and os.path.exists(path):
            continue
        rng = np.random.default_rng([args.seed, 1000 + i])
        written = 0
        with open(path, "w", encoding="ascii", newline="\n") as f:
            while written < per:
                n = 10_000
                names = rng.integers(0, 100_000, n)
                amounts = rng.integers(-1000, 100_000, n)
                kinds = rng.integers(0, 5, n)
                scores = np.round(rng.normal(50, 15, n), 4)
                lines = [json.dumps({"name": "user%d" % names[j], "amount": int(amounts[j]),
                                     "kind": KINDS[kinds[j]], "score": float(scores[j])})
                         for j in range(n)]
                chunk = "\n".join(lines) + "\n"
                f.write(chunk)
                written += len(chunk)
        open(stamp, "w").write(key)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["text", "json"])
    ap.add_argument("dir")
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    (gen_text if args.what == "text" else gen_json)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
