"""Checks the stacks npy-stack-write.tg wrote (in the current folder) with
real Dask: from_npy_stack's chunks, dtype and values, and each .npy file's
bytes against Dask's own to_npy_stack of the same array."""
import os

import dask.array as da
import numpy as np

x = da.arange(24, chunks=5).reshape((4, 6)).rechunk((2, 3))
expected = {
    "ints": (x, 0),
    "floats": (da.linspace(0, 1, 10, chunks=3) * 3.5, 0),
    "mask": ((x > 10).T, 1),
    "big": (da.arange(2500, chunks=700) * 100000, 0),
}
for name, (want, axis) in expected.items():
    got = da.from_npy_stack(name)
    da.to_npy_stack("dask-" + name, want, axis=axis)
    ref = da.from_npy_stack("dask-" + name)
    ok = got.chunks == ref.chunks and got.dtype == ref.dtype and \
        np.array_equal(got.compute(), want.compute())
    files = sorted(f for f in os.listdir(name) if f.endswith(".npy"))
    ok = ok and files == sorted(f for f in os.listdir("dask-" + name)
                                if f.endswith(".npy"))
    for f in files:
        with open(os.path.join(name, f), "rb") as a, \
                open(os.path.join("dask-" + name, f), "rb") as b:
            ok = ok and a.read() == b.read()
    print(name, got.chunks, got.dtype, "OK" if ok else "BAD")
