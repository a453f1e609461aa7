"""The Python contestants of bench/bags, run from the data's directory.

  pyrun.py dask-threads PROG.tg     PROG's last line `X.compute()` under
  pyrun.py dask-processes PROG.tg   Dask's threaded / multiprocessing scheduler
  pyrun.py cpython GLOB             collections.Counter over the files' lines
  pyrun.py cpython-json GLOB        json.loads of each line, amounts summed per kind
  pyrun.py norm FILE                a printed list of (word, count) pairs
  pyrun.py norm-sorted FILE         the same, sorted by word

Each prints the top ten as "word count" lines, largest first (the foldby:
"kind total" lines by kind), so that run.sh can compare every
contestant's output byte for byte."""
import ast
import collections
import glob
import json
import sys


def show(pairs):
    for w, c in pairs:
        print(w, c)


def main():
    mode, arg = sys.argv[1], sys.argv[2]
    if mode.startswith("dask-"):
        import dask
        lines = open(arg).read().rstrip().split("\n")
        last = lines[-1]
        assert last.endswith(".compute()"), last
        ns = {}
        exec("\n".join(lines[:-1]), ns)
        scheduler = "threads" if mode == "dask-threads" else "processes"
        with dask.config.set(scheduler=scheduler):
            result = eval(last[: -len(".compute()")], ns).compute()
        show(sorted(result) if "foldby" in open(arg).read() else result)
    elif mode == "cpython":
        counts = collections.Counter()
        for path in sorted(glob.glob(arg)):
            with open(path) as f:
                for line in f:
                    counts.update(line.lower().split())
        show(counts.most_common(10))
    elif mode == "cpython-json":
        totals = {}
        for path in sorted(glob.glob(arg)):
            with open(path) as f:
                for line in f:
                    r = json.loads(line)
                    totals[r["kind"]] = totals.get(r["kind"], 0) + r["amount"]
        show(sorted(totals.items()))
    elif mode.startswith("norm"):  # the list the taskc executable printed
        text = open(arg).read()
        pairs = ast.literal_eval(text[text.index("["):text.rindex("]") + 1])
        show(sorted(pairs) if mode == "norm-sorted" else pairs)


if __name__ == "__main__":
    main()
