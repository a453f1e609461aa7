# Loads DIR/NAME.npy for each output of Inputs/save.tg with numpy.load and
# compares shape, dtype and values with NumPy; prints "NAME OK" per file.
import sys

import numpy as np

d = sys.argv[1]
g = np.ones((5, 12)) + np.arange(12)
exp = dict(grid=g * 0.5, ints=np.arange(10)[::-1],
           mask=np.arange(7) % 2 == 0, total=np.array(g.sum()))
for k, v in exp.items():
    got = np.load("%s/%s.npy" % (d, k))
    ok = (got.shape == v.shape and got.dtype == v.dtype
          and np.array_equal(got, v))
    print(k, "OK" if ok else "BAD %r %r" % (got, v))
