# Compares the JSON outputs of an array program with NumPy.
# usage: check_numpy.py CASE OUTPUT.json ; prints "NAME OK" per output.
import json
import sys

import numpy as np

case, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
if case == "elemwise":
    a = np.arange(24)
    x = np.linspace(0, 5, 24)
    t3 = np.where(x > 2, x, -x)
    exp = dict(t1=(x * 2 + 1) ** 2, t2=(a // 5) % 3 - a / 7, t3=t3,
               t4=np.maximum(x, 2.5) + np.minimum(x, 1),
               t5=np.sqrt(x) + np.exp(x / 10) + np.sin(x) + np.cos(x)
               + np.log(x + 1) + abs(x - 3),
               s1=x.sum(), s2=x.mean(), s3=x.std(), s4=x.var(ddof=1),
               s5=x.min(), s6=x.max(), s7=(x + 1).prod(), s8=(x > 2).any(),
               s9=(x > 2).all(), s10=t3.argmin(), s11=t3.argmax(), r=x + x,
               c=x[3:20:4], i=x[5],
               out0=(np.ones((4, 6)) * 2.5).sum(axis=1))
elif case == "twod":
    g = np.ones((5, 12)) + np.arange(12)
    h = np.full((12, 4), .5)
    exp = dict(p1=g @ h, p2=g.T, p3=g.sum(axis=(0, 1)),
               p4=g.mean(axis=1, keepdims=True),
               p5=(g - g.mean(axis=0)).std(axis=0), p6=g * g + 1,
               p7=g[1:4, ::3], p8=g[2], p9=g[:, 7], p10=g.argmax(axis=1),
               p11=g.T.max(axis=0), p12=(g @ h).sum(axis=0), p13=True,
               p14=True, p15=g.sum(axis=0))
elif case == "negstep":
    x = np.arange(23)
    g = np.ones((5, 12)) + np.arange(12)
    exp = dict(a1=x[::-1], a2=x[5:1:-2], a3=x[-2::-3], a4=x[:3:-4],
               a5=x[100:-100:-1], a6=x[3:10:-1], a7=g[::-2, ::-3],
               a8=g[::-1].sum(axis=1), a9=(x * 2)[::-1][::-1],
               a10=g.mean(axis=0)[::-2], a11=x[::-1])
elif case == "dot1d":
    v = np.linspace(0, 1, 12)
    w = np.arange(12)
    g = np.ones((7, 12)) + np.arange(12)
    h = np.full((12, 4), .5) + np.arange(4)
    exp = dict(d1=v @ w, d2=g @ v, d3=v @ h, d4=np.dot(w, w), d5=w.dot(v),
               d6=(g @ w)[::-2])
elif case == "npy":  # the files written by from-npy.tg
    x = np.arange(60.).reshape(5, 12) * 1.5 - 7
    i = np.arange(23) * 3 - 5
    m = np.arange(10) % 3 == 0
    exp = dict(s1=x.sum(), s2=x.mean(axis=0), s3=x[1:4, ::-3], s4=i,
               s5=i[::2] * 2 + 1, s6=m, s7=m.sum(), s8=x.T @ np.ones(5), s9=x)
elif case == "linspace":  # creation must be bit-exact: Dask's blocks
    import dask.array as da
    exp = dict(x=da.linspace(-3.7, 11.3, 1001, chunks=(77,)).compute(),
               y=da.linspace(1e-310, 2e-310, 7, chunks=3).compute(),
               z=da.arange(3, 40, 3, chunks=4).compute(),
               w=da.arange(0.5, 7.0, 0.25, chunks=5).compute())
for k, v in exp.items():
    got = np.array(r.get(k))
    if case == "linspace":
        ok = got.shape == np.shape(v) and np.array_equal(got, v)
    else:
        ok = got.shape == np.shape(v) and np.allclose(got, v, rtol=1e-12)
        if case in ("dot1d", "npy"):  # int64 stays int64, as in NumPy
            ok = ok and got.dtype.kind == np.asarray(v).dtype.kind
    print(k, "OK" if ok else "BAD %r %r" % (got, v))
