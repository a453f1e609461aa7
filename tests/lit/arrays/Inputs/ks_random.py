"""Statistical checks of the random distributions (random-distributions.tg).

Reads the executable's --format json outputs from stdin: for the continuous
ones a Kolmogorov-Smirnov statistic against the exact CDF (at 200,000
samples the 0.001 critical value is 1.95 / sqrt(n) = 0.0044), for the
integer ones a chi-square over the values (each value equally likely).
Also checks that a different chunking gives the same numbers. Prints one
line per check; exits 1 if one fails."""
import json
import math
import sys

import numpy as np

out = json.load(sys.stdin)
bad = 0


def check(name, ok, detail):
    global bad
    print(f"{name}: {'ok' if ok else 'FAIL'} ({detail})")
    bad += not ok


def ks(name, xs, cdf):
    x = np.sort(np.asarray(xs, dtype=float))
    n = len(x)
    f = np.array([cdf(v) for v in x])
    d = max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))
    check(name, d < 1.95 / math.sqrt(n), f"KS D={d:.5f}, n={n}")


def chi2(name, xs, lo, hi):
    x = np.asarray(xs).ravel()
    counts = np.bincount(x - lo, minlength=hi - lo)
    inside = x.min() >= lo and x.max() < hi and len(counts) == hi - lo
    exp = len(x) / (hi - lo)
    c = float(((counts - exp) ** 2 / exp).sum())
    k = hi - lo - 1  # degrees of freedom; 99.9% quantile ~ k + 4.4 sqrt(k) (+ 6 for small k)
    check(name, inside and c < k + 4.4 * math.sqrt(2 * k) + 6, f"chi2={c:.1f}, k={k}")


ks("standard_normal", out["sn"], lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2))))
ks("exponential", out["ex"], lambda v: 1 - math.exp(-v / 2.5) if v > 0 else 0.0)
chi2("randint", out["ri"], 3, 11)
chi2("choice", out["ch"], 0, 6)
check("chunking", out["ex"] == out["ex2"], "RandomState(7).exponential with chunks 70000 and 1234")
sys.exit(1 if bad else 0)
