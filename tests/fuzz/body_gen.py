"""body_gen.py - random task BODIES for the differential fuzzer.

A unit is one `def` used as a delayed task (its body compiled by taskc with
LLVM, run by Python under Dask), with a bounded recursive helper, called
once or twice from the top level with constant arguments; its result is an
output. The bodies use what issue 11 lists: str methods, f-strings with
specs, %-formatting and str.format, list/dict/set comprehensions and
generator expressions, dicts, lambdas, recursion, try/except/raise and ints
past 2**63 (products, powers, factorials).

Bodies are statically typed in taskc (docs/functions.md), so the generator
keeps one type per name (every name is fresh or reassigned with its own
type), assigns before branching, and never lets a task fail under Python
(a failure would make Dask reject the whole program): divisions are by
non-zero literals, indexing is guarded or inside a try that catches it.

Units are independent (their names carry the unit's number), so several
are compiled into one program; body_diff.py checks a program and, when it
does not pass, each of its units alone.
"""

STRS = ["a b  c", "  Hello World ", "x-1,y-22,z-333", "abc", "", "10",
        "foo bar foo", "A,B,,C", "MiXeD case", "42", "-7", "a=1;b=2",
        "tab\there", "'q\"", "spam,eggs,ham,spam"]
SUBS = ["a", "o", ",", " ", "-", "ab", "foo", "", "x", "1", "=", "spam"]
INT_SPECS = ["", ">6", "<5", "^7", "05d", "+d", ",", "_", "x", "o", "b", "#x",
             "08,", "-^9", "X", "d", " d", "=+8"]
STR_SPECS = ["", ">8", "<6", "^9", ".2", "*^10", "-<7"]
FLT_SPECS = [".3f", ".2e", "g", ">10.2f", ".1%", ",.2f", "+.4g", "08.3f", ""]
PCT_INT = ["%d", "%5d", "%-4d|", "%x", "%o", "%+d", "%05d", "%X", "%i"]
PCT_STR = ["%s", "%r", "%8s", "%-6s|", "%.2s"]
PCT_FLT = ["%.2f", "%e", "%g", "%10.3f", "%-8.1f|", "%.0f"]
EXC_BASE = {"IndexError": ["IndexError", "LookupError", "Exception",
                           "(KeyError, IndexError)", ""],
            "KeyError": ["KeyError", "LookupError", "Exception", ""],
            "ZeroDivisionError": ["ZeroDivisionError", "ArithmeticError",
                                  "Exception", ""],
            "ValueError": ["ValueError", "Exception", "(ValueError, KeyError)",
                           ""]}


class Body:
    """One task body: lines of code and the names it has bound, by type
    (int, str, float, bool, ilist, slist, dict)."""

    def __init__(self, r, uid):
        self.r = r
        self.uid = uid
        self.lines = []
        self.ind = 1
        self.env = {}       # names readable here -> type
        self.types = {}     # every name ever bound in the def -> its type
        self.frozen = set()  # loop variables and the lists loops iterate
        self.nfresh = 0
        self.depth = 0
        self.lams = []      # (name, arity) of local lambdas (int -> int)
        self.rtypes = [r.choice(["int", "str", "ilist", "slist", "dict", "bool",
                                 "float", "int", "str"])
                       for _ in range(r.randint(1, 4))]
        self.rec = "rec%d" % uid

    # ---- helpers
    def emit(self, s):
        self.lines.append("    " * self.ind + s)

    def fresh(self, prefix="v"):
        self.nfresh += 1
        return "%s%d" % (prefix, self.nfresh)

    def pick(self, t):
        names = [n for n, k in self.env.items() if k == t]
        return self.r.choice(names) if names else None

    def lit_int(self):
        r = self.r.random()
        if r < 0.03:  # a literal past int64: a big int in a body
            return str(self.r.choice([1, -1]) * self.r.randint(2 ** 63, 10 ** 30))
        if r < 0.5:
            return str(self.r.randint(-9, 30))
        if r < 0.8:
            return str(self.r.randint(100, 10 ** 6))
        return str(self.r.randint(-10 ** 6, -10))

    def lit_str(self):
        return repr(self.r.choice(STRS))

    def sub(self):
        return repr(self.r.choice(SUBS))

    def cvar(self):
        """A comprehension variable: never a local of the body."""
        self.nfresh += 1
        return "q%d" % self.nfresh

    # ---- int
    def e_int(self, d=0):
        r = self.r.random()
        v = self.pick("int")
        if d > 2 or r < 0.2:
            return v if v and self.r.random() < 0.75 else self.lit_int()
        if r < 0.35:
            return "(%s %s %s)" % (self.e_int(d + 1),
                                   self.r.choice("+-*+-*"), self.e_int(d + 1))
        if r < 0.42:
            return "(%s %s %s)" % (self.e_int(d + 1), self.r.choice(["//", "%"]),
                                   self.r.choice(["3", "7", "-4", "1000", "10 ** 20"]))
        if r < 0.48:  # big ints: powers and products past 2**63
            return "((abs(%s) %% 1000 + 2) ** %d)" % (self.e_int(d + 1),
                                                    self.r.randint(3, 40))
        if r < 0.52:
            x = self.e_int(d + 1)
            return "(%s * %s * %s * %s)" % (x, self.lit_int(), x, self.e_int(d + 1))
        if r < 0.56:
            return "%s(abs(%s) %% 25)" % (self.rec, self.e_int(d + 1))
        if r < 0.6:
            return "len(%s)" % self.r.choice([self.e_str, self.e_ilist,
                                             self.e_slist, self.e_dict])(d + 1)
        if r < 0.64:
            return "sum(%s)" % self.e_ilist(d + 1)
        if r < 0.68:
            f = self.r.choice(["max", "min"])
            if self.r.random() < 0.5:
                return "%s(%s + [%s])" % (f, self.e_ilist(d + 1), self.e_int(d + 1))
            ws = self.e_slist(d + 1)
            return "len(%s(%s + [%s], key=len))" % (f, ws, self.lit_str())
        if r < 0.72:
            s = self.e_str(d + 1)
            return "%s.%s(%s)" % (s, self.r.choice(["find", "count", "rfind"]),
                                  self.sub())
        if r < 0.75:
            dd = self.pick("dict")
            if dd:
                return "%s.get(%s, %s)" % (dd, self.r.choice(
                    ["'a'", "'b'", "'zz'", self.e_str(d + 1)]), self.lit_int())
        if r < 0.78:
            xs = self.e_ilist(d + 1)
            q = self.cvar()
            return "sum(%s * %s for %s in %s%s)" % (
                q, self.r.choice([q, "2", "-1"]), q, xs,
                " if %s %% 2" % q if self.r.random() < 0.5 else "")
        if r < 0.81:
            xs = self.pick("ilist")
            if xs:
                return "(%s[%s %% len(%s)] if %s else %s)" % (
                    xs, self.e_int(d + 1), xs, xs, self.lit_int())
        if r < 0.84 and self.lams:
            name, _ = self.r.choice(self.lams)
            return "%s(%s)" % (name, self.e_int(d + 1))
        if r < 0.88:
            return "(%s if %s else %s)" % (self.e_int(d + 1), self.e_bool(d + 1),
                                           self.e_int(d + 1))
        if r < 0.91:
            return "int(str(%s)%s)" % (self.e_int(d + 1),
                                       self.r.choice(["", " + '7'", "[:5]"]))
        if r < 0.93:
            return "abs(%s)" % self.e_int(d + 1)
        if r < 0.94:
            return "%s.%s" % ((v if v and self.r.random() < 0.5 else "(%s)" % self.e_int(d + 1)),
                              self.r.choice(["real", "imag", "numerator", "denominator"]))
        if r < 0.97:
            q = self.cvar()
            return "len([%s for %s in %s if %s])" % (q, q, self.e_slist(d + 1),
                                                      self.r.choice([
                                                          "%s.isdigit()" % q,
                                                          "%s" % q,
                                                          "len(%s) > 1" % q]))
        return "(%s // %s if %s else 0)" % (self.e_int(d + 1), "(abs(%s) %% 5 + 1)"
                                            % self.e_int(d + 1), self.e_bool(d + 1))

    # ---- bool
    def e_bool(self, d=0):
        r = self.r.random()
        if d > 2 or r < 0.3:
            return "%s %s %s" % (self.e_int(d + 1), self.r.choice(
                ["<", ">", "==", "!=", "<=", ">="]), self.e_int(d + 1))
        if r < 0.4:
            return "%s.%s(%s)" % (self.e_str(d + 1), self.r.choice(
                ["startswith", "endswith"]), self.sub())
        if r < 0.5:
            return "%s in %s" % (self.sub(), self.e_str(d + 1))
        if r < 0.58:
            return "%s in %s" % (self.e_int(d + 1), self.e_ilist(d + 1))
        if r < 0.64:
            dd = self.pick("dict")
            if dd:
                return "%s in %s" % (self.e_str(d + 1), dd)
        if r < 0.7:
            return "%s.%s()" % (self.e_str(d + 1), self.r.choice(
                ["isdigit", "isalpha", "isspace", "isupper", "islower", "isalnum"]))
        if r < 0.78:
            q = self.cvar()
            return "%s(%s > %s for %s in %s)" % (
                self.r.choice(["any", "all"]), q, self.e_int(d + 1), q,
                self.e_ilist(d + 1))
        if r < 0.86:
            return "not (%s)" % self.e_bool(d + 1)
        if r < 0.93:
            return "(%s %s %s)" % (self.e_bool(d + 1), self.r.choice(["and", "or"]),
                                   self.e_bool(d + 1))
        return "%s < %s" % (self.e_str(d + 1), self.e_str(d + 1))

    # ---- float (bounded: only for formatting)
    def e_float(self, d=0):
        r = self.r.random()
        v = self.pick("float")
        if v and r < 0.3:
            return v
        if r < 0.6:
            return "((%s) %% 100000 / %s)" % (self.e_int(d + 1),
                                               self.r.choice(["7", "3", "-8", "1000"]))
        if r < 0.8:
            return "float(%s %% 1000)" % self.e_int(d + 1)
        xs = self.e_ilist(d + 1)
        return "(sum(%s) %% 10 ** 9 / (len(%s) + 1))" % (xs, xs)

    # ---- str
    def fmt_field(self, d):
        """One {field} of an f-string: Python 3.11 allows no backslash in
        the expression, and a space after '{' keeps a dict display from
        reading as '{{'."""
        for _ in range(6):
            f = self.fmt_field1(d)
            if "\\" not in f and '"""' not in f and not f.endswith('"}'):
                return f
        return "{ %d:%s}" % (self.r.randint(-99, 99), self.r.choice(INT_SPECS))

    def fmt_field1(self, d):
        t = self.r.random()
        if t < 0.45:
            return "{ %s:%s}" % (self.e_int(d + 1), self.r.choice(INT_SPECS))
        if t < 0.75:
            spec = self.r.choice(STR_SPECS)
            if spec == "" and self.r.random() < 0.4:
                return "{ %s!r}" % self.e_str(d + 1)
            return "{ %s:%s}" % (self.e_str(d + 1), spec)
        if t < 0.9:
            return "{ %s:%s}" % (self.e_float(d + 1), self.r.choice(FLT_SPECS))
        return "{ %s}" % self.r.choice([self.e_ilist, self.e_slist])(d + 1)

    def e_str(self, d=0):
        r = self.r.random()
        v = self.pick("str")
        if d > 2 or r < 0.2:
            return v if v and self.r.random() < 0.7 else self.lit_str()
        if r < 0.3:
            return "(%s + %s)" % (self.e_str(d + 1), self.e_str(d + 1))
        if r < 0.34:
            return "(%s * %d)" % (self.e_str(d + 1), self.r.randint(0, 3))
        if r < 0.46:
            m = self.r.choice(["strip()", "lstrip()", "rstrip()", "lower()",
                               "upper()", "strip(%s)" % self.sub(),
                               "replace(%s, %s)" % (self.sub(), self.sub()),
                               "replace(%s, %s, 1)" % (self.sub(), self.sub())])
            return "%s.%s" % (self.e_str(d + 1), m)
        if r < 0.52:
            a, b = self.r.randint(-4, 4), self.r.randint(-3, 8)
            return "%s[%s]" % (self.e_str(d + 1), self.r.choice(
                ["%d:%d" % (a, b), "::-1", "%d:" % a, ":%d" % b, "::2",
                 "%d:%d:-1" % (b, a)]))
        if r < 0.6:
            return "%s.join(%s)" % (repr(self.r.choice([", ", "", "-", "/"])),
                                    self.e_slist(d + 1))
        if r < 0.72:
            n = self.r.randint(1, 3)
            parts = []
            for _ in range(n):
                parts.append(self.r.choice(["", "x=", " | ", "<", "k "]))
                parts.append(self.fmt_field(d))
            return 'f"""%s"""' % "".join(parts)
        if r < 0.8:
            t = self.r.random()
            if t < 0.4:
                return "(%s %% %s)" % (repr(self.r.choice(PCT_INT)), self.e_int(d + 1))
            if t < 0.6:
                return "(%s %% %s)" % (repr(self.r.choice(PCT_FLT)), self.e_float(d + 1))
            if t < 0.8:
                return "(%s %% (%s,))" % (repr(self.r.choice(PCT_STR)), self.e_str(d + 1))
            return "('%%s-%%d:%%s' %% (%s, %s, %s))" % (
                self.e_str(d + 1), self.e_int(d + 1), self.e_ilist(d + 1))
        if r < 0.85:
            tmpl = self.r.choice(["{}-{}", "{0}{1}{0}", "[{:>5}|{:<4}]", "{1}:{0!r}"])
            return "%s.format(%s, %s)" % (repr(tmpl), self.e_str(d + 1),
                                          self.e_int(d + 1))
        if r < 0.9:
            return "%s(%s)" % (self.r.choice(["str", "repr"]), self.r.choice(
                [self.e_int, self.e_ilist, self.e_slist, self.e_dict, self.e_str])(d + 1))
        if r < 0.93:
            s = self.e_str(d + 1)
            return "%s.split(%s)[%s]" % (s, repr(self.r.choice([",", " ", "-", "="])),
                                         self.r.choice(["0", "-1"]))
        if r < 0.96:
            return "(%s if %s else %s)" % (self.e_str(d + 1), self.e_bool(d + 1),
                                           self.e_str(d + 1))
        q = self.cvar()
        return "''.join(%s.upper() if %s.isalpha() else '.' for %s in %s)" % (
            q, q, q, self.e_str(d + 1))

    # ---- lists
    def e_ilist(self, d=0):
        r = self.r.random()
        v = self.pick("ilist")
        if d > 2 or r < 0.25:
            if v and self.r.random() < 0.8:
                return v
            return "[%s]" % ", ".join(self.e_int(d + 1)
                                      for _ in range(self.r.randint(1, 4)))
        q = self.cvar()
        if r < 0.4:
            return "[%s for %s in %s%s]" % (
                self.r.choice(["%s * %s" % (q, q), "%s + 1" % q, "-%s" % q,
                               "%s %% 7" % q, "%s ** 3" % q]), q,
                self.e_ilist(d + 1),
                " if %s %% 3" % q if self.r.random() < 0.4 else "")
        if r < 0.48:
            return "sorted(%s%s)" % (self.e_ilist(d + 1), self.r.choice(
                ["", ", reverse=True", ", key=lambda %s: (%s %% 3, -%s)" % (q, q, q),
                 ", key=abs"]))
        if r < 0.54:
            return "[len(%s) for %s in %s]" % (q, q, self.e_slist(d + 1))
        if r < 0.6:
            a, b = self.r.randint(-3, 3), self.r.randint(-2, 6)
            return "%s[%d:%d%s]" % (self.e_ilist(d + 1), a, b,
                                    self.r.choice(["", ":2", ":-1"]))
        if r < 0.66:
            return "(%s + %s)" % (self.e_ilist(d + 1), self.e_ilist(d + 1))
        if r < 0.7:
            return "list(range(%d, %d, %d))" % (self.r.randint(-5, 5),
                                                self.r.randint(-5, 40),
                                                self.r.choice([1, 2, 3, -1, 7]))
        if r < 0.75:
            dd = self.pick("dict")
            if dd:
                return "list(%s.values())" % dd
        if r < 0.8:
            i = self.cvar()
            return "[%s * %s for %s, %s in enumerate(%s)]" % (i, q, i, q,
                                                           self.e_ilist(d + 1))
        if r < 0.85:
            p = self.cvar()
            return "[%s - %s for %s, %s in zip(%s, %s)]" % (
                q, p, q, p, self.e_ilist(d + 1), self.e_ilist(d + 1))
        if r < 0.9:
            return "sorted({%s %% 5 for %s in %s})" % (q, q, self.e_ilist(d + 1))
        if r < 0.94:
            return "[%s(%s) for %s in %s]" % (self.rec, "abs(%s) %% 22" % q, q,
                                              self.e_ilist(d + 1))
        return "%s[::-1]" % self.e_ilist(d + 1)

    def e_slist(self, d=0):
        r = self.r.random()
        v = self.pick("slist")
        if d > 2 or r < 0.25:
            if v and self.r.random() < 0.8:
                return v
            return "[%s]" % ", ".join(self.e_str(d + 1)
                                      for _ in range(self.r.randint(1, 3)))
        q = self.cvar()
        if r < 0.4:
            return "%s.split(%s)" % (self.e_str(d + 1), self.r.choice(
                ["", "','", "' '", "maxsplit=1", "'-', 1"]))
        if r < 0.5:
            return "[%s for %s in %s%s]" % (
                self.r.choice(["%s.upper()" % q, "%s.strip()" % q, "%s * 2" % q,
                               "f'<{%s}>'" % q, "%s[::-1]" % q]), q,
                self.e_slist(d + 1),
                " if %s" % q if self.r.random() < 0.4 else "")
        if r < 0.6:
            return "sorted(%s%s)" % (self.e_slist(d + 1), self.r.choice(
                ["", ", reverse=True", ", key=len",
                 ", key=lambda %s: (len(%s), %s)" % (q, q, q)]))
        if r < 0.68:
            return "[str(%s) for %s in %s]" % (q, q, self.e_ilist(d + 1))
        if r < 0.76:
            dd = self.pick("dict")
            if dd:
                k, w = self.cvar(), self.cvar()
                return self.r.choice([
                    "sorted(%s)" % dd, "list(%s.keys())" % dd,
                    "[f'{%s}={%s}' for %s, %s in %s.items()]" % (k, w, k, w, dd)])
        if r < 0.84:
            return "(%s + %s)" % (self.e_slist(d + 1), self.e_slist(d + 1))
        if r < 0.92:
            return "%s[%s]" % (self.e_slist(d + 1), self.r.choice(["::-1", "1:", ":2"]))
        return "[%s %% %s for %s in %s]" % (repr(self.r.choice(PCT_INT)), q, q,
                                             self.e_ilist(d + 1))

    def e_dict(self, d=0):
        r = self.r.random()
        v = self.pick("dict")
        if v and (d > 2 or r < 0.3):
            return v
        q = self.cvar()
        if r < 0.5:
            return "{%s: len(%s) for %s in %s}" % (q, q, q, self.e_slist(d + 1))
        if r < 0.65:
            return "{str(%s): %s * %s for %s in %s}" % (q, q, q, q,
                                                        self.e_ilist(d + 1))
        if r < 0.8 and v:
            w = self.cvar()
            return "{%s: %s + 1 for %s, %s in %s.items() if %s %% 2}" % (
                q, w, q, w, v, w)
        return "{'a': %s, 'b': %s}" % (self.e_int(d + 1), self.e_int(d + 1))

    def e_of(self, t):
        return {"int": self.e_int, "str": self.e_str, "float": self.e_float,
                "bool": self.e_bool, "ilist": self.e_ilist,
                "slist": self.e_slist, "dict": self.e_dict}[t]()

    # ---- statements
    def bind(self, name, t, expr):
        self.emit("%s = %s" % (name, expr))
        self.env[name] = t
        self.types[name] = t

    def s_assign(self):
        t = self.r.choice(["int", "int", "str", "str", "str", "float", "bool",
                           "ilist", "slist", "dict"])
        e = self.e_of(t)
        if t in ("ilist", "slist", "dict") and e.isidentifier():
            e += ".copy()"  # no aliases: a loop over one must not grow it
        old = [n for n, k in self.env.items() if k == t and n not in self.frozen]
        # in a loop a name rebound from itself could grow without bound
        if old and self.r.random() < 0.35 and not self.depth:
            self.bind(self.r.choice(old), t, e)
        else:
            self.bind(self.fresh(), t, e)

    def s_aug(self):
        if self.depth:
            return self.s_aug_loop()
        r = self.r.random()
        if r < 0.35:
            v = self.pick_mut("int")
            if v:
                op = self.r.choice(["+", "-", "*"])
                rhs = self.e_int() if op != "*" else self.r.choice(
                    [self.e_int(), str(self.r.randint(2, 10 ** 9))])
                return self.emit("%s %s= %s" % (v, op, rhs))
        if r < 0.55:
            v = self.pick_mut("str")
            if v:
                return self.emit("%s += %s" % (v, self.e_str()))
        if r < 0.75:
            v = self.pick_mut("ilist")
            if v:
                return self.emit(self.r.choice([
                    "%s.append(%s)" % (v, self.e_int()),
                    "%s.extend(%s)" % (v, self.e_ilist()),
                    "%s += [%s]" % (v, self.e_int()),
                    "%s.sort(reverse=True)" % v]))
        if r < 0.85:
            v = self.pick_mut("slist")
            if v:
                return self.emit("%s.append(%s)" % (v, self.e_str()))
        v = self.pick_mut("dict")
        if v:
            k = self.e_str()
            return self.emit(self.r.choice([
                "%s[%s] = %s" % (v, k, self.e_int()),
                "%s[%s] = %s.get(%s, 0) + %s" % (v, k, v, k, self.e_int()),
                "%s.setdefault(%s, %s)" % (v, k, self.e_int())]))
        self.s_assign()

    def s_aug_loop(self):
        """In a loop, growth stays linear: the right side is a literal."""
        r = self.r.random()
        v = self.pick_mut("int")
        if r < 0.4 and v:
            return self.emit("%s %s= %s" % (v, self.r.choice(["+", "-", "*"]),
                                            self.lit_int()))
        v = self.pick_mut("str")
        if r < 0.6 and v:
            return self.emit("%s += %s" % (v, self.lit_str()))
        v = self.pick_mut("ilist")
        if r < 0.8 and v:
            return self.emit("%s.append(%s)" % (v, self.lit_int()))
        v = self.pick_mut("dict")
        if v:
            k = self.e_str()
            return self.emit("%s[%s] = %s.get(%s, 0) + %s" % (
                v, k, v, k, self.lit_int()))
        self.s_assign()

    def pick_mut(self, t):
        names = [n for n, k in self.env.items() if k == t and n not in self.frozen]
        return self.r.choice(names) if names else None

    def block(self, frozen=()):
        saved = dict(self.env)
        held = set(self.frozen)
        self.frozen |= set(frozen)
        self.ind += 1
        self.depth += 1
        for _ in range(self.r.randint(1, 3)):
            self.stmt()
        self.depth -= 1
        self.ind -= 1
        self.frozen = held
        self.env = saved  # names first bound in the block are not bound after

    def s_for(self):
        before = dict(self.env)
        self.s_for1()
        self.env = before  # the loop may run zero times

    def s_for1(self):
        r = self.r.random()
        if r < 0.3:
            xs = self.e_ilist()
            x = self.fresh("i")
            self.emit("for %s in %s:" % (x, xs))
            self.env[x] = self.types[x] = "int"
            self.block([x, xs] if xs.isidentifier() else [x])
        elif r < 0.5:
            ws = self.e_slist()
            x = self.fresh("w")
            self.emit("for %s in %s:" % (x, ws))
            self.env[x] = self.types[x] = "str"
            self.block([x, ws] if ws.isidentifier() else [x])
        elif r < 0.65:
            x = self.fresh("i")
            self.emit("for %s in range(%d):" % (x, self.r.randint(0, 12)))
            self.env[x] = self.types[x] = "int"
            self.block([x])
        elif r < 0.8:
            dd = self.pick("dict")
            if not dd:
                return self.s_assign()
            k, v = self.fresh("k"), self.fresh("i")
            self.emit("for %s, %s in %s.items():" % (k, v, dd))
            self.env[k], self.env[v] = "str", "int"
            self.types[k], self.types[v] = "str", "int"
            self.block([k, v, dd])
        else:
            i, w = self.fresh("i"), self.fresh("w")
            ws = self.e_slist()
            self.emit("for %s, %s in enumerate(%s):" % (i, w, ws))
            self.env[i], self.env[w] = "int", "str"
            self.types[i], self.types[w] = "int", "str"
            self.block([i, w, ws] if ws.isidentifier() else [i, w])

    def s_while(self):
        c = self.fresh("c")
        self.bind(c, "int", "0")
        self.emit("while %s < %d:" % (c, self.r.randint(0, 8)))
        self.ind += 1
        self.emit("%s += 1" % c)
        self.ind -= 1
        self.block([c])
        if self.r.random() < 0.3:
            self.ind += 1
            self.emit("if %s:" % self.e_bool())
            self.emit("    break")
            self.ind -= 1

    def s_if(self):
        self.emit("if %s:" % self.e_bool())
        self.block()
        if self.r.random() < 0.3:
            self.emit("elif %s:" % self.e_bool())
            self.block()
        if self.r.random() < 0.5:
            self.emit("else:")
            self.block()

    def s_try(self):
        """A try whose body may fail in a way Python and taskc both raise,
        caught by a clause that matches it (the task never fails)."""
        t = self.fresh("t")
        self.bind(t, "int", self.lit_int())
        r = self.r.random()
        if r < 0.2:
            xs = self.e_ilist()
            body, exc = "%s = %s[%s]" % (t, xs, self.e_int()), "IndexError"
        elif r < 0.4:
            dd = self.pick("dict")
            key = self.e_str() if dd else None
            if not dd:
                dd = self.e_dict()
                key = self.r.choice(["'a'", "'zz'"])
            body, exc = "%s = %s[%s]" % (t, dd, key), "KeyError"
        elif r < 0.55:
            body, exc = "%s = %s // (%s %% 3)" % (t, self.e_int(), self.e_int()), \
                "ZeroDivisionError"
        elif r < 0.7:
            body, exc = "%s = int(%s)" % (t, self.e_str()), "ValueError"
        elif r < 0.8:
            body, exc = "%s = %s.index(%s)" % (t, self.e_ilist(), self.e_int()), \
                "ValueError"
        else:
            body, exc = None, "ValueError"
        self.emit("try:")
        saved = dict(self.env)
        self.ind += 1
        self.depth += 1
        if body:
            self.emit(body)
        else:
            self.emit("if %s:" % self.e_bool())
            self.emit("    raise ValueError(%s)" % self.e_str())
            self.emit("%s = %s" % (t, self.e_int()))
        if self.r.random() < 0.4:
            self.stmt()
        self.depth -= 1
        self.ind -= 1
        self.env = saved  # what the try binds may be unbound after it
        clause = self.r.choice(EXC_BASE[exc])
        msg = None
        if clause and self.r.random() < 0.5:
            msg = self.fresh("m")
            self.emit("except %s as %s:" % (clause, msg))
        else:
            self.emit("except %s:" % clause if clause else "except:")
        self.ind += 1
        self.emit("%s = %s" % (t, self.lit_int()))
        if msg:
            self.types[msg] = "exc"
            s = self.pick("str")
            if s and s not in self.frozen:
                self.emit("%s = str(%s)" % (s, msg))
            else:
                self.emit("%s = len(str(%s))" % (t, msg))
        self.ind -= 1
        if self.r.random() < 0.2:
            self.emit("else:")
            self.ind += 1
            self.emit("%s += 1" % t)
            self.ind -= 1
        if self.r.random() < 0.25:
            self.emit("finally:")
            self.ind += 1
            self.emit("%s = %s * 2 + %s" % (t, t, self.lit_int()))
            self.ind -= 1

    def s_finally(self):
        """try/finally around a loop: break, continue or an early return
        leave through the finally block."""
        t = self.fresh("t")
        self.bind(t, "int", self.lit_int())
        i = self.fresh("i")
        self.emit("for %s in range(%d):" % (i, self.r.randint(0, 6)))
        self.ind += 1
        self.emit("try:")
        self.ind += 1
        self.emit("if %s == %d:" % (i, self.r.randint(0, 4)))
        self.emit("    %s" % self.r.choice(["break", "continue", "return %s" % self.ret_expr()]))
        self.emit("%s += %s" % (t, i))
        self.ind -= 1
        self.emit("finally:")
        self.emit("    %s = %s * 3 + 1" % (t, t))
        self.ind -= 1

    def ret_expr(self):
        """What the body returns, a tuple of the types self.rtypes (every
        return of a body has one type): a bound name of the type, else an
        expression."""
        parts = []
        for t in self.rtypes:
            names = [n for n, k in self.env.items() if k == t]
            parts.append(self.r.choice(names) if names and self.r.random() < 0.8
                         else self.e_of(t))
        return "(%s,)" % ", ".join(parts)

    def s_lambda(self):
        if self.depth:
            return self.s_assign()
        f = self.fresh("f")
        v, t = self.pick("int"), self.pick("str")
        if v and self.r.random() < 0.5:
            self.s_closure(f, v, t)
        else:
            self.emit("%s = lambda a: %s" % (f, self.r.choice([
                "a * %d + %s" % (self.r.randint(2, 99), self.lit_int()),
                "a * a - %d" % self.r.randint(0, 9), "abs(a) // 3",
                "a ** 3 if a > 0 else -a"])))
        self.types[f] = "lam"
        self.lams.append((f, 1))

    def s_closure(self, f, v, t):
        """A lambda or nested def reading the body's variables: their
        values at each call (late binding), as Python's closures."""
        extra = " + len(%s)" % t if t else ""
        body = self.r.choice([
            "a * %s + %d%s" % (v, self.r.randint(-9, 9), extra),
            "a - %s if a > %s else a + %s" % (v, v, v),
            "(a + %s) %% 97%s" % (v, extra)])
        if self.r.random() < 0.5:
            self.emit("%s = lambda a: %s" % (f, body))
            return
        self.emit("def %s(a):" % f)
        self.emit("    return %s" % body)

    def stmt(self):
        r = self.r.random()
        if self.depth >= 2:
            r = r * 0.5
        for p, fn in ((0.35, self.s_assign), (0.55, self.s_aug),
                      (0.65, self.s_for), (0.7, self.s_while),
                      (0.8, self.s_if), (0.9, self.s_try),
                      (0.93, self.s_finally), (1.01, self.s_lambda)):
            if r < p:
                return fn()


PARAM_TYPES = ["int", "str", "ilist", "slist", "dict"]


def arg_of(r, t):
    if t == "int":
        return str(r.choice([r.randint(-20, 40), r.randint(100, 10 ** 6),
                             r.randint(-10 ** 5, -5), 2 ** 62 + r.randint(0, 99)]))
    if t == "str":
        return repr(r.choice(STRS))
    if t == "ilist":
        return "[%s]" % ", ".join(str(r.randint(-50, 10 ** 4))
                                  for _ in range(r.randint(1, 6)))
    if t == "slist":
        return "[%s]" % ", ".join(repr(r.choice(STRS + SUBS))
                                  for _ in range(r.randint(1, 4)))
    return "{%s}" % ", ".join("%r: %d" % (k, r.randint(-9, 999))
                              for k in r.sample(["a", "b", "c", "x y", "10"],
                                                r.randint(1, 4)))


def rec_def(r, uid):
    """A bounded recursive helper (its argument is below 25 at every call):
    ints past 2**63 for products, or a str for the text kinds."""
    name = "rec%d" % uid
    k = r.random()
    if k < 0.35:
        body = "    return 1 if n <= %d else n * %s(n - 1)" % (r.randint(0, 2), name)
    elif k < 0.55:
        body = "    if n < 2:\n        return n\n    return %s(n - 1) + %s(n - 2)" % (
            name, name) if r.random() < 0.3 else \
            "    return n if n < 2 else %s(n - 1) * %d + %s(n - 2)" % (
                name, r.randint(2, 9999), name)
    elif k < 0.75:
        other = "rec%db" % uid
        return ("def %s(n):\n    return %d if n <= 0 else %s(n - 1) * 3 + n\n\n\n"
                "def %s(n):\n    return %d if n <= 0 else %s(n - 1) * 1000003 - n\n\n\n"
                % (name, r.randint(1, 9), other, other, r.randint(-9, 9), name))
    else:
        body = ("    if n <= 0:\n        return %d\n    t = %s(n - 1)\n"
                "    return t * t %% %d + n ** %d" % (
                    r.randint(1, 5), name, r.choice([10 ** 30, 2 ** 64 + 13, 97]),
                    r.randint(2, 9)))
    return "def %s(n):\n%s\n\n\n" % (name, body)


def unit(r, uid):
    """(definitions, top-level lines) of unit uid."""
    b = Body(r, uid)
    params = []
    for i in range(r.randint(1, 3)):
        t = r.choice(PARAM_TYPES)
        p = "p%d" % i
        params.append((p, t))
        b.env[p] = b.types[p] = t
    for _ in range(r.randint(3, 12)):
        b.stmt()
    b.emit("return %s" % b.ret_expr())
    fname = "body%d" % uid
    deco = "@delayed(pure=True)\n" if r.random() < 0.5 else ""
    defs = rec_def(r, uid) + "%sdef %s(%s):\n%s\n\n\n" % (
        deco, fname, ", ".join(p for p, _ in params), "\n".join(b.lines))
    call = fname if deco else "delayed(%s)" % fname
    top = []
    for j in range(r.randint(1, 2)):
        out = "r%d_%d" % (uid, j)
        top.append("%s = %s(%s)" % (out, call, ", ".join(arg_of(r, t)
                                                        for _, t in params)))
        top.append("%s.compute()" % out)
    return defs, top


HEAD = "from dask import delayed, compute\n\n\n"


def program(units):
    """A program of the given units (a list of (defs, top))."""
    return HEAD + "".join(d for d, _ in units) + "\n".join(
        l for _, t in units for l in t) + "\n"
