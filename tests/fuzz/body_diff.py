#!/usr/bin/python3
"""body_diff.py - differential fuzzing of compiled task bodies.

    body_diff.py --taskc BUILD/taskc [--count N] [--seed S] [--start I]
                 [--per-program K] [--keep-failures DIR] [--verbose]

Generates N random units (tests/fuzz/body_gen.py: a def used as a delayed
task, with strings, f-strings, %-formatting, comprehensions, dicts,
lambdas, bounded recursion, try/except and big ints) and compares their
outputs under real Dask and as taskc executables, as eval_diff.py does
for top-level programs. K units share one program (one Dask run, one
compile); a program that does not pass is split and each of its units
checked alone, so every unit gets its own verdict: ok, skipped (Dask or a
located taskc "not supported"/typing limit rejects it, counted by
message) or mismatched (kept in --keep-failures with both outputs).

A unit is a pure function of (seed, index); `--start I --count N` runs
units I..I+N-1, so batches of one long run can go in parallel. Exit
status 0 when nothing mismatched (or python3-dask is missing: SKIP).
"""

import argparse
import collections
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import body_gen  # noqa: E402
import eval_diff  # noqa: E402


def unit(seed, i):
    return body_gen.unit(random.Random("body:%d:%d" % (seed, i)), i)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--taskc", required=True)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--per-program", type=int, default=8)
    ap.add_argument("--keep-failures", metavar="DIR")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    taskc = os.path.abspath(args.taskc)
    if eval_diff.run([eval_diff.PY, "-c", "import dask"])[0] != 0:
        print("SKIP: python3-dask not installed")
        return 0
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    counts = collections.Counter()
    skips = collections.Counter()
    failures = []
    tmp = tempfile.mkdtemp(prefix="taskc-bodydiff.")
    ids = list(range(args.start, args.start + args.count))
    try:
        for b in range(0, len(ids), args.per_program):
            group = ids[b:b + args.per_program]
            units = {i: unit(args.seed, i) for i in group}
            prog = body_gen.program(list(units.values()))
            if b and b % (20 * args.per_program) == 0:
                print("... %d bodies: %d ok, %d skipped, %d mismatched" % (
                    b, counts["ok"], counts["skip"], counts["mismatch"]),
                    file=sys.stderr, flush=True)
            verdict, _, _ = eval_diff.check(prog, tmp, taskc, env)
            if verdict == "ok":
                counts["ok"] += len(group)
                if args.verbose:
                    print("units %d-%d: ok" % (group[0], group[-1]), flush=True)
                continue
            for i in group:  # each alone, for its own verdict
                one = body_gen.program([units[i]])
                verdict, detail, outs = eval_diff.check(one, tmp, taskc, env)
                counts[verdict] += 1
                if verdict == "skip":
                    skips[detail] += 1
                if args.verbose or verdict == "mismatch":
                    print("unit %d: %s %s" % (i, verdict, detail), flush=True)
                if verdict == "mismatch":
                    failures.append(i)
                    if args.keep_failures:
                        eval_diff.keep(args.keep_failures,
                                       "body-seed%d-%d" % (args.seed, i), one,
                                       detail, outs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return eval_diff.report("bodies", args.count, args.seed, counts, skips,
                            failures)

if __name__ == "__main__":
    sys.exit(main())
