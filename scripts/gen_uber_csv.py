#!/usr/bin/python3
"""gen_uber_csv.py - a seeded stand-in for the Uber pickups file of April
2014 (uber-raw-data-apr14.csv: 564,516 rows, about 25 MB), same schema and
look:

    "Date/Time","Lat","Lon","Base"
    "4/1/2014 0:11:00",40.769,-73.9549,"B02512"

Date/Time quoted, M/D/YYYY H:MM:SS, whole minutes, non-decreasing through
April 2014; Lat/Lon around New York with 4 decimals (some 5 or 6), trailing
zeros dropped as in the original; Base one of five TLC base codes.
pd.read_csv reads it as object, float64, float64, object.

    usage: gen_uber_csv.py [--rows N] [--seed S] [-o FILE]   (default stdout)
"""
import argparse
import sys

import numpy as np

BASES = np.array(['"B02512"', '"B02598"', '"B02617"', '"B02682"', '"B02764"'])
BASE_SHARE = [0.06, 0.27, 0.19, 0.40, 0.08]
MINUTES = 30 * 24 * 60  # April has 30 days


def minute_texts():
    """The quoted Date/Time of every minute of April 2014."""
    m = np.arange(MINUTES)
    day, hour, minute = m // 1440 + 1, m // 60 % 24, m % 60
    return np.array(['"4/%d/2014 %d:%02d:00"' % t for t in zip(day, hour, minute)])


def decimals(v, places):
    """V with PLACES decimals, trailing zeros dropped (one digit kept)."""
    s = ("%.*f" % (places, v)).rstrip("0")
    return s + "0" if s.endswith(".") else s


def coords(rng, n, center, spread):
    """N coordinates as text: 4 decimals mostly, some 5 or 6."""
    x = rng.normal(center, spread, n)
    places = rng.choice([4, 5, 6], size=n, p=[0.8, 0.1, 0.1])
    return [decimals(v, p) for v, p in zip(x.tolist(), places.tolist())]


def generate(rows, seed):
    rng = np.random.default_rng(seed)
    when = minute_texts()[np.sort(rng.integers(0, MINUTES, rows))]
    lat = coords(rng, rows, 40.739, 0.04)
    lon = coords(rng, rows, -73.973, 0.06)
    base = BASES[rng.choice(len(BASES), size=rows, p=BASE_SHARE)]
    lines = [",".join(r) for r in zip(when.tolist(), lat, lon, base.tolist())]
    return '"Date/Time","Lat","Lon","Base"\n' + "\n".join(lines) + ("\n" if rows else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=564516)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", dest="out", default="-")
    args = ap.parse_args()
    text = generate(args.rows, args.seed)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="ascii", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
