#!/usr/bin/python3
"""Writes tests/unit/pyformat_table.h: format(), %, str(), repr() of ints,
floats, bools and strs as CPython computes them, for test_pyformat.c.
Run it with /usr/bin/python3 (3.11) when adding cases; the table is
committed so the unit test needs no Python."""
import itertools, math, sys

ints = [0, 1, -1, 7, 42, -42, 255, 1234, -1234567, 10**6, 2**31, -2**40, 2**63 - 1, -2**63]
floats = [0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 3.14159, 1234567.891, -0.000123456, 1e16, 1e-5,
          123456789012345678.0, 1e300, 5e-324, 0.5, 1.25, 99.995, 1e22, -2.675,
          float('inf'), float('-inf'), float('nan')]
strs = ['', 'a', 'abc', 'hello world', "it's", 'say "hi"', 'both \' and "', 'tab\there',
        'nl\n', 'back\\slash', '\x01\x7f', 'caf\u00e9', '\u00a0x', '\u20ac5', 'x' * 12]
bools = [True, False]

int_specs = ['', 'd', '5', '<5', '>5', '^7', '*^9', '05', '+d', ' d', '-d', ',', '_', '010,',
             '08,', '0=8,', 'x', 'X', '#x', '#X', 'o', '#o', 'b', '#b', '#010_x', '_b', 'c',
             'e', '.2f', '%', 'g', 'n', '+08', '=+8', '.2', 'z', ',x', '_c', '+c', 'abc', '.',
             ',_', 'q', '_x', ',d']
float_specs = ['', 'f', '.2f', '.0f', '#.0f', '10.3f', '<10.3f', '^12.2e', 'e', 'E', '.3e',
               'g', 'G', '.3g', '.10g', '#g', '#.3g', '%', '.1%', ',', ',.2f', '_.3f',
               '015,.2f', '+.1f', ' .1f', 'z.2f', '.3', '.1', '10', '010', 'n', 'F', '.0e',
               '=+12.4f', '*>12', 'd', 'x', ',.3', '.20f', '.17g', '08.2f', '0<8.2f', '#.2',
               '.0%', '.0g', '#.0e']
str_specs = ['', 's', '5', '<6', '>6', '^7', '-^8', '.2', '8.3', '05', '+', '#', '=', 'z',
             ',', 'd', '.0', '\u00b7>6', 'x<3s']
bool_specs = ['', 'd', '>6', '<6', '05', 'x', '.2f', 's', '#b']

# fixed notation near rounding ties and at every precision (the fast path of
# pyformat.c's fixed_fast against printf's exact rounding)
import random
rng = random.Random(11)
ties = [0.125, 0.375, 2.675, 1.005, 0.5, 1.5, 2.5, 1e-7, 123456.785, 999999999.5, 0.045,
        8.345, 1.0000000000000002, 4.35, 0.0049999999999999, 99.995]
fixed_floats = ties + [rng.uniform(0, 1e9) for _ in range(60)] + [rng.uniform(0, 1) for _ in range(60)] \
    + [round(rng.uniform(0, 1000), rng.randint(1, 4)) for _ in range(60)]
fixed_specs = ['.%df' % p for p in range(0, 11)] + ['.2%', '#.0f']

pct_cases = []
for f in ['%d', '%i', '%5d', '%-5d|', '%05d', '%+d', '% d', '%.3d', '%x', '%#x', '%X', '%#X',
          '%o', '%#o', '%c', '%s', '%r', '%10s|', '%-10r|', '%.2s', '%f', '%.2f', '%10.3f',
          '%-10.1e|', '%e', '%E', '%g', '%G', '%#g', '%.3g', '%08.2f', '%+.1f', '%%', '%a',
          '%5.1f%%', '%u', '%F', '%z', '%', '%(a)s', '%ld']:
    for v in [0, 42, -7, 3.75, -0.0, 1e20, float('inf'), 'ab', "q'", True, 65]:
        pct_cases.append((f, (v,)))
for f, a in [('%s-%s', ('a', 'b')), ('%d %d', (1,)), ('%d', (1, 2)), ('x', (1,)), ('x', ()),
             ('%*d', (5, 3)), ('%-*d|', (5, 3)), ('%*d|', (-5, 3)), ('%.*f', (2, 3.14159)),
             ('%s=%r (%d%%)', ('k', 'v', 50)), ('%c%c', ('a', 0x20ac)), ('%d', (float('nan'),)),
             ('%s', ('',)), ('%5s|%-5s|', ('\u00e9', '\u00e9'))]:
    pct_cases.append((f, a))


def c_str(s):
    b = s.encode('utf-8') if isinstance(s, str) else s
    out = '"'
    for ch in b:
        if ch in b'"\\':
            out += '\\' + chr(ch)
        elif 0x20 <= ch < 0x7f and ch != ord('?'):
            out += chr(ch)
        else:
            out += '\\%03o' % ch
    return out + '"'


def c_strn(s):
    """The literal and its length in bytes (the text may hold a NUL)."""
    return '%s, %d' % (c_str(s), len(s.encode('utf-8')))


def c_arg(v):
    return c_arg0(v)[:-1] + ', 0, 0, 0}'


def c_arg0(v):
    if isinstance(v, bool):
        return '{PYF_BOOL, %d, 0, 0, 0}' % int(v)
    if isinstance(v, int):
        return '{PYF_INT, INT64_C(%d)%s, 0, 0, 0}' % (v, '' if v != -2**63 else '-1') if v != -2**63 \
            else '{PYF_INT, INT64_MIN, 0, 0, 0}'
    if isinstance(v, float):
        if math.isnan(v):
            f = 'NAN'
        elif math.isinf(v):
            f = 'INFINITY' if v > 0 else '-INFINITY'
        else:
            f = v.hex()
        return '{PYF_FLOAT, 0, %s, 0, 0}' % f
    return '{PYF_STR, 0, 0, %s, %d}' % (c_str(v), len(v.encode('utf-8')))


def run(fn):
    try:
        return 0, fn()
    except (ValueError, TypeError, OverflowError) as e:
        return 1, str(e)


rows = []
for vals, specs in [(ints, int_specs), (floats, float_specs), (strs, str_specs), (bools, bool_specs),
                    (fixed_floats, fixed_specs)]:
    for v, s in itertools.product(vals, specs):
        err, out = run(lambda: format(v, s))
        rows.append('  {"format", %s, 1, {%s}, %d, %s},' % (c_str(s), c_arg(v), err, c_strn(out)))
for v in ints + floats + strs + bools + [None]:
    a = c_arg(v) if v is not None else '{PYF_NONE, 0, 0, 0, 0, 0, 0, 0}'
    rows.append('  {"str", "", 1, {%s}, 0, %s},' % (a, c_strn(str(v))))
    rows.append('  {"repr", "", 1, {%s}, 0, %s},' % (a, c_strn(repr(v))))
for f, args in pct_cases:
    err, out = run(lambda: f % args)
    if err and 'mapping' in out or f == '%(a)s':
        out = 'taskc limit'
    if any(isinstance(x, float) and abs(x) > 2**63 for x in args) and f in ('%d', '%i', '%u', '%5d', '%-5d|', '%05d', '%+d', '% d', '%.3d', '%ld'):
        continue  # 1e20 as %d needs a big int: taskc ints are 64-bit
    rows.append('  {"pct", %s, %d, {%s}, %d, %s},' % (c_str(f), len(args),
                 ', '.join(c_arg(x) for x in args) or '{PYF_NONE, 0, 0, 0, 0, 0, 0, 0}', err, c_strn(out)))

with open(sys.argv[1] if len(sys.argv) > 1 else 'pyformat_table.h', 'w') as fh:
    fh.write('/* Generated by gen_pyformat_table.py with CPython %s: do not edit. */\n'
             % sys.version.split()[0])
    fh.write('static const Case cases[] = {\n' + '\n'.join(rows) + '\n};\n')
