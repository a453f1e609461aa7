"""close.py A.json B.json RTOL: the --format json outputs' numbers agree to RTOL."""
import json
import sys


def flat(v):
    if isinstance(v, list):
        return [y for x in v for y in flat(x)]
    return [v]


a, b = (json.load(open(p)) for p in sys.argv[1:3])
rtol = float(sys.argv[3])
bad = 0
for name in a:
    for x, y in zip(flat(a[name]), flat(b[name]), strict=True):
        if abs(x - y) > rtol * max(abs(x), abs(y)):
            print(f"{name}: {x!r} != {y!r}")
            bad += 1
print(f"{bad} numbers differ" if bad else f"{len(a)} outputs agree")
