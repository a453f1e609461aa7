"""Statistical checks of da.random.poisson (random-poisson.tg).

Reads the executable's --format json outputs from stdin. For each lam a
chi-square test of the counts against Poisson(lam)'s probabilities (values
grouped so that every group expects at least 20 samples; the 99.9% quantile
is about k + 4.4 sqrt(2k) + 6 for k degrees of freedom), and the sample mean
within 5 standard errors. Also checks that another chunking gives the same
numbers. Prints one line per check; exits 1 if one fails."""
import json
import math
import sys

out = json.load(sys.stdin)
bad = 0


def check(name, ok, detail):
    global bad
    print(f"{name}: {'ok' if ok else 'FAIL'} ({detail})")
    bad += not ok


def pmf(k, lam):
    return math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))


def flat(x):
    return [v for row in x for v in flat(row)] if isinstance(x, list) else [x]


def poisson(name, xs, lam):
    xs = flat(xs)
    n = len(xs)
    ints = all(isinstance(v, int) and v >= 0 for v in xs)
    counts = {}
    for v in xs:
        counts[v] = counts.get(v, 0) + 1
    # groups of consecutive values expecting >= 20 each, tails included
    lo = max(0, int(lam - 12 * math.sqrt(lam) - 5))
    hi = int(lam + 12 * math.sqrt(lam) + 10)
    groups, cur_e, cur_o = [], 0.0, 0
    below = sum(c for v, c in counts.items() if v < lo)
    cur_o = below
    cur_e = n * sum(pmf(k, lam) for k in range(0, lo)) if lo < 200 else 0.0
    for k in range(lo, hi + 1):
        cur_e += n * pmf(k, lam)
        cur_o += counts.get(k, 0)
        if cur_e >= 20:
            groups.append((cur_o, cur_e))
            cur_e, cur_o = 0.0, 0
    tail_o = cur_o + sum(c for v, c in counts.items() if v > hi)
    tail_e = cur_e + max(0.0, n - sum(e for _, e in groups) - cur_e)
    groups.append((tail_o, max(tail_e, 1e-9)))
    c = sum((o - e) ** 2 / e for o, e in groups)
    k = len(groups) - 1
    check(f"poisson({lam}) chi2", ints and c < k + 4.4 * math.sqrt(2 * k) + 6,
          f"chi2={c:.1f}, k={k}")
    mean = sum(xs) / n
    check(f"poisson({lam}) mean", abs(mean - lam) < 5 * math.sqrt(lam / n),
          f"mean={mean:.4f}")


poisson("small", out["p1"], 3.5)
poisson("zeroish", out["p2"], 0.05)
poisson("large", out["p3"], 2500.0)
check("chunking", out["p1"] == out["p1b"],
      "RandomState(7).poisson with chunks 30000 and 777")
sys.exit(1 if bad else 0)
