"""mknpy.py OUT HEADER [VERSION [COUNT [DTYPE]]]: writes a .npy file with
the header dict text HEADER as given (padded as numpy pads it), format
VERSION (1, 2 or 3; a 4th digit writes that major version anyway), then
COUNT elements of numpy.arange(COUNT) * 1.5 as DTYPE (default float64).
A backslash-n in HEADER is written as a newline.
For tests of headers numpy.save would not write."""
import struct
import sys

import numpy as np

out, header = sys.argv[1], sys.argv[2]
version = int(sys.argv[3]) if len(sys.argv) > 3 else 1
count = int(sys.argv[4]) if len(sys.argv) > 4 else 0
dtype = sys.argv[5] if len(sys.argv) > 5 else "float64"
pre = 10 if version == 1 else 12
h = header.replace("\\n", "\n").encode("utf-8")
h += b" " * ((-(pre + len(h) + 1)) % 64) + b"\n"
size = struct.pack("<H", len(h)) if version == 1 else struct.pack("<I", len(h))
with open(out, "wb") as f:
    f.write(b"\x93NUMPY" + bytes([version, 0]) + size + h)
    f.write((np.arange(count) * 1.5).astype(dtype).tobytes())
