/* ops.c - the op table built from ops.def, lookups, and result types.
 *
 * op_result_type follows Python's typing of the builtins; its error
 * messages are Python's TypeError messages, so a user sees the words Python
 * would print ("unsupported operand type(s) for +: 'str' and 'int'"). */
#include "ops.h"
#include "typedesc.h"

#include <math.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* The label is the part of the name after the last dot, computed at compile
 * time so op_table can stay a constant: DOT_AT(s, k) is true when the k-th
 * character from the end of literal s is a dot. Labels of up to 16
 * characters are found; none in ops.def is longer than 8. */
#define DOT_AT(s, k)                                                           \
  (sizeof(s) > (k) + 1 && (s)[sizeof(s) > (k) + 1 ? sizeof(s) - 2 - (k) : 0] == '.')
#define AFTER(s, k, rest) (DOT_AT(s, k) ? (s) + sizeof(s) - 1 - (k) : (rest))
#define LABEL8(s, k, rest)                                                     \
  AFTER(s, k, AFTER(s, k + 1, AFTER(s, k + 2, AFTER(s, k + 3,                  \
  AFTER(s, k + 4, AFTER(s, k + 5, AFTER(s, k + 6, AFTER(s, k + 7, rest))))))))
#define LABEL(s) LABEL8(s, 1, LABEL8(s, 9, (s)))

/* Only SCALAR ops have a run-time implementation. The symbol is pasted
 * before it reaches RT_SYMBOL_, so an id that is a macro (bool) is not
 * expanded. */
#define RT_SYMBOL_SCALAR(sym) #sym
#define RT_SYMBOL_CHUNK_ELEM(sym) NULL
#define RT_SYMBOL_CHUNK_REDUCE(sym) NULL
#define RT_SYMBOL_CHUNK_BLOCK(sym) NULL

const Op op_table[OP_COUNT] = {
#define OP(id, name, mina, maxa, purity, fold, rule, family)                   \
  {OP_##id, name, LABEL(name), mina, maxa, purity, fold, rule, family,         \
   RT_SYMBOL_##family(tr_op_##id)},
#include "ops.def"
#undef OP
};

const Op *op_lookup(const char *name) {
  for (int i = 0; i < OP_COUNT; i++)
    if (op_table[i].name[0] == name[0] && !strcmp(op_table[i].name, name))
      return &op_table[i];
  return NULL;
}

/* ---- error messages ---- */

/* The message goes to the caller's OpError: no static buffer, so two
 * compilations (or threads) never overwrite each other's messages. */
static Type *fail(OpError *err, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return NULL;
}

/* Python's name of a value's class, as its messages print it. */
static const char *py(const Type *t) {
  switch (t->kind) {
  case TY_NONE: return "NoneType";
  case TY_LIST: return "list";
  case TY_TUPLE: return "tuple";
  case TY_DICT: return "dict";
  case TY_ANY: return "object";
  default: return t->name;
  }
}

/* ---- helpers over types ---- */

static bool is_any(const Type *t) { return t->kind == TY_ANY; }
static bool is_intlike(const Type *t) {
  return t->kind == TY_INT || t->kind == TY_BOOL;
}

/* Element type of an iterable; *ok false if t is not iterable. An empty
 * tuple has no elements: NULL. */
static Type *iter_elem(Type *t, bool *ok) {
  *ok = true;
  switch (t->kind) {
  case TY_ANY: return ty_any;
  case TY_LIST: return t->elem;
  case TY_DICT: return t->key;
  case TY_STR: return ty_str;
  case TY_TUPLE: {
    Type *e = NULL;
    for (int i = 0; i < t->n; i++)
      e = ty_join(e, t->elems[i]);
    return e;
  }
  default:
    *ok = false;
    return NULL;
  }
}

static const char *arith_symbol(OpId id) {
  switch (id) {
  case OP_add: return "+";
  case OP_sub: return "-";
  case OP_mul: return "*";
  case OP_truediv: return "/";
  case OP_floordiv: return "//";
  case OP_mod: return "%";
  case OP_pow: return "** or pow()";
  default: return "?";
  }
}

static Type *concat_tuples(Type *a, Type *b) {
  Type *e[64];
  if (a->n + b->n > 64)
    return ty_any;
  for (int i = 0; i < a->n; i++)
    e[i] = a->elems[i];
  for (int i = 0; i < b->n; i++)
    e[a->n + i] = b->elems[i];
  return ty_tuple(e, a->n + b->n);
}

/* Sequence operations of + * %: str+str, list+list, str*int, 'fmt' % x. */
static Type *seq_arith(OpId id, Type *a, Type *b) {
  TypeKind ka = a->kind, kb = b->kind;
  if (id == OP_add && ka == kb && ka == TY_STR)
    return ty_str;
  if (id == OP_add && ka == kb && ka == TY_LIST)
    return ty_list(ty_join(a->elem, b->elem));
  if (id == OP_add && ka == kb && ka == TY_TUPLE)
    return concat_tuples(a, b);
  if (id == OP_mul && (ka == TY_STR || ka == TY_LIST) && is_intlike(b))
    return a;
  if (id == OP_mul && (kb == TY_STR || kb == TY_LIST) && is_intlike(a))
    return b;
  if (id == OP_mul && (ka == TY_TUPLE || kb == TY_TUPLE) &&
      (is_intlike(a) || is_intlike(b)))
    return ty_any; /* a tuple of unknown length */
  if (id == OP_mod && ka == TY_STR)
    return ty_str;
  return NULL;
}

static Type *arith(OpId id, Type *a, Type *b, OpError *err) {
  if (is_any(a) || is_any(b))
    return id == OP_truediv ? ty_float : ty_any;
  if (ty_is_numeric(a) && ty_is_numeric(b)) {
    if (id == OP_truediv || a->kind == TY_FLOAT || b->kind == TY_FLOAT)
      return ty_float;
    return ty_int; /* int ** int too: a negative exponent fails at run time */
  }
  Type *t = id == OP_truediv || id == OP_pow ? NULL : seq_arith(id, a, b);
  if (t)
    return t;
  return fail(err, "unsupported operand type(s) for %s: '%s' and '%s'",
              arith_symbol(id), py(a), py(b));
}

/* sum(xs, start=0): start + x0 + x1 + ... */
static Type *fold_type(Type **args, int n, OpError *err) {
  if (n == 2 && args[1]->kind == TY_STR)
    return fail(err, "sum() can't sum strings [use ''.join(seq) instead]");
  bool ok;
  Type *elem = iter_elem(args[0], &ok);
  if (!ok)
    return fail(err, "'%s' object is not iterable", py(args[0]));
  Type *acc = n == 2 ? args[1] : ty_int;
  if (!elem)
    return acc; /* nothing to add: the start */
  return arith(OP_add, acc, elem, err);
}

static bool orderable(const Type *a, const Type *b) {
  if (is_any(a) || is_any(b) || (ty_is_numeric(a) && ty_is_numeric(b)))
    return true;
  if (a->kind != b->kind)
    return false;
  return a->kind == TY_STR || a->kind == TY_LIST || a->kind == TY_TUPLE;
}

static Type *minmax_type(const Op *op, Type **args, int n, OpError *err) {
  if (n == 1) {
    bool ok;
    Type *elem = iter_elem(args[0], &ok);
    if (!ok)
      return fail(err, "'%s' object is not iterable", py(args[0]));
    return elem ? elem : ty_any; /* min(()) fails at run time */
  }
  Type *t = args[0];
  for (int i = 1; i < n; i++) {
    if (!orderable(t, args[i]))
      return fail(err, "'%s' not supported between instances of '%s' and '%s'",
                  op->id == OP_min ? "<" : ">", py(args[i]), py(t));
    t = ty_join(t, args[i]);
  }
  return t;
}

static Type *same_type(const Op *op, Type *a, OpError *err) {
  if (is_any(a))
    return ty_any;
  if (ty_is_numeric(a))
    return a->kind == TY_BOOL ? ty_int : a;
  if (op->id == OP_abs)
    return fail(err, "bad operand type for abs(): '%s'", py(a));
  return fail(err, "bad operand type for unary %s: '%s'",
              op->id == OP_neg ? "-" : "+", py(a));
}

static Type *round_type(Type **args, int n, OpError *err) {
  Type *x = args[0];
  if (!is_any(x) && !ty_is_numeric(x))
    return fail(err, "type %s doesn't define __round__ method", py(x));
  if (n == 2 && !is_any(args[1]) && !is_intlike(args[1]))
    return fail(err, "'%s' object cannot be interpreted as an integer",
                py(args[1]));
  if (n == 1)
    return ty_int;
  return is_any(x) ? ty_any : x->kind == TY_FLOAT ? ty_float : ty_int;
}

static Type *index_type(Type *c, Type *i, OpError *err) {
  if (is_any(c))
    return ty_any;
  bool int_index = is_any(i) || is_intlike(i);
  switch (c->kind) {
  case TY_DICT:
    return c->val;
  case TY_LIST:
  case TY_TUPLE:
    if (!int_index)
      return fail(err, "%s indices must be integers or slices, not %s",
                  py(c), py(i));
    if (c->kind == TY_LIST)
      return c->elem;
    bool ok;
    Type *e = iter_elem(c, &ok);
    return e ? e : ty_any;
  case TY_STR:
    if (!int_index)
      return fail(err, "string indices must be integers, not '%s'", py(i));
    return ty_str;
  default:
    return fail(err, "'%s' object is not subscriptable", py(c));
  }
}

static Type *int_type(const Op *op, Type *a, OpError *err) {
  if (is_any(a))
    return ty_int;
  if (op->id == OP_len && a->kind != TY_STR && a->kind != TY_LIST &&
      a->kind != TY_TUPLE && a->kind != TY_DICT)
    return fail(err, "object of type '%s' has no len()", py(a));
  if (op->id == OP_int && !ty_is_numeric(a) && a->kind != TY_STR)
    return fail(err,
                "int() argument must be a string, a bytes-like object or a "
                "real number, not '%s'", py(a));
  if ((op->id == OP_math_floor || op->id == OP_math_ceil) && !ty_is_numeric(a))
    return fail(err, "must be real number, not %s", py(a));
  return ty_int;
}

static Type *float_type(const Op *op, Type **args, int n, OpError *err) {
  if (op->id == OP_truediv)
    return arith(OP_truediv, args[0], args[1], err);
  if (op->id == OP_float && n == 1 && !is_any(args[0]) &&
      !ty_is_numeric(args[0]) && args[0]->kind != TY_STR)
    return fail(err,
                "float() argument must be a string or a real number, not '%s'",
                py(args[0]));
  bool math = !strncmp(op->name, "math.", 5);
  for (int i = 0; math && i < n; i++)
    if (!is_any(args[i]) && !ty_is_numeric(args[i]))
      return fail(err, "must be real number, not %s", py(args[i]));
  return ty_float;
}

static Type *compare_type(const Op *op, Type **args, OpError *err) {
  static const char *sym[] = {[OP_lt] = "<", [OP_le] = "<=", [OP_gt] = ">",
                              [OP_ge] = ">="};
  bool ordered = op->id == OP_lt || op->id == OP_le || op->id == OP_gt ||
                 op->id == OP_ge;
  if (ordered && !orderable(args[0], args[1]))
    return fail(err, "'%s' not supported between instances of '%s' and '%s'",
                sym[op->id], py(args[0]), py(args[1]));
  if ((op->id == OP_any || op->id == OP_all)) {
    bool ok;
    iter_elem(args[0], &ok);
    if (!ok)
      return fail(err, "'%s' object is not iterable", py(args[0]));
  }
  if (op->id == OP_math_isnan && !is_any(args[0]) && !ty_is_numeric(args[0]))
    return fail(err, "must be real number, not %s", py(args[0]));
  return ty_bool;
}

static Type *seq_type(const Op *op, Type **args, int n, OpError *err) {
  if (n == 0)
    return op->rule == R_LIST ? ty_list(ty_any) : ty_tuple(NULL, 0);
  bool ok;
  Type *elem = iter_elem(args[0], &ok);
  if (!ok)
    return fail(err, "'%s' object is not iterable", py(args[0]));
  if (op->rule == R_LIST)
    return ty_list(elem ? elem : ty_any);
  return args[0]->kind == TY_TUPLE ? args[0] : ty_any;
}

static bool arity_ok(const Op *op, int n, OpError *err) {
  if (n >= op->min_args && (op->max_args < 0 || n <= op->max_args))
    return true;
  if (op->min_args == 1 && op->max_args == 1)
    fail(err, "%s() takes exactly one argument (%d given)", op->label, n);
  else if (op->min_args == op->max_args)
    fail(err, "%s() takes exactly %d arguments (%d given)", op->label,
         op->min_args, n);
  else if (n < op->min_args)
    fail(err, "%s() takes at least %d argument%s (%d given)", op->label,
         op->min_args, op->min_args == 1 ? "" : "s", n);
  else
    fail(err, "%s() takes at most %d arguments (%d given)", op->label,
         op->max_args, n);
  return false;
}

Type *op_result_type(const Op *op, Type **in, int n, OpError *err) {
  if (!arity_ok(op, n, err))
    return NULL;
  Type *small[8];
  Type **args = n <= 8 ? small : in;
  if (n <= 8)
    for (int i = 0; i < n; i++)
      args[i] = in[i] ? in[i] : ty_any; /* unknown is any */
  else
    for (int i = 0; i < n; i++)
      if (!in[i])
        return ty_any;
  switch (op->rule) {
  case R_FOLD: return fold_type(args, n, err);
  case R_MINMAX: return minmax_type(op, args, n, err);
  case R_BOOL: return compare_type(op, args, err);
  case R_INT: return int_type(op, args[0], err);
  case R_FLOAT: return float_type(op, args, n, err);
  case R_STR: return ty_str;
  case R_NONE: return ty_none;
  case R_LIST:
  case R_TUPLE: return seq_type(op, args, n, err);
  case R_SAME: return same_type(op, args[0], err);
  case R_ROUND: return round_type(args, n, err);
  case R_ARITH:
  case R_POW: return arith(op->id, args[0], args[1], err);
  case R_GETITEM: return index_type(args[0], args[1], err);
  case R_LIST_STR: return ty_list(ty_str);
  case R_DESC: return ty_any; /* needs the argument's value: op_type_of_args */
  case R_ARRAY: return ty_any; /* needs the argument values: array_type */
  case R_ANY: return ty_any;
  }
  return ty_any;
}

/* A constant index into a tuple picks that element's type; ty_none when
 * that rule does not apply. */
static Type *getitem_const(const Op *op, Val **args, Type **types, int n,
                           OpError *err) {
  if (op->rule != R_GETITEM || n != 2 || !types[0] ||
      types[0]->kind != TY_TUPLE || args[1]->kind != VAL_INT)
    return ty_none;
  int64_t i = args[1]->i, len = types[0]->n;
  if (i < 0)
    i += len;
  if (i < 0 || i >= len)
    return fail(err, "tuple index out of range");
  return types[0]->elems[i];
}

/* array[dtype, ndim] of an array chunk op: ndim is the length of the shape
 * tuple args[0], the dtype is named by args[1]. */
static Type *array_type(Val **args, OpError *err) {
  if (args[0]->kind != VAL_TUPLE || args[1]->kind != VAL_STR)
    return fail(err, "internal error: array op without shape and dtype");
  const char *d = args[1]->str.s;
  Type *dt = !strcmp(d, "float64") ? ty_float
             : !strcmp(d, "int64") ? ty_int
             : !strcmp(d, "bool")  ? ty_bool : NULL;
  if (!dt)
    return fail(err, "unsupported dtype '%s'", d);
  return ty_array(dt, args[0]->seq.n);
}

Type *op_type_of_args(const Op *op, Val **args, int n, OpError *err) {
  if (!arity_ok(op, n, err))
    return NULL;
  if (op->rule == R_ARRAY)
    return array_type(args, err);
  if (op->rule == R_DESC) {
    Type *t = args[n - 1]->kind == VAL_STR ? ty_from_desc(args[n - 1]->str.s) : NULL;
    return t ? t : fail(err, "internal error: %s without a type", op->name);
  }
  Type *small[8];
  Type **types = n <= 8 ? small : malloc(sizeof(Type *) * (size_t)n);
  if (!types)
    return ty_any;
  for (int i = 0; i < n; i++)
    types[i] = val_type(args[i]);
  Type *t = getitem_const(op, args, types, n, err);
  if (t == ty_none) /* not a constant tuple index */
    t = op_result_type(op, types, n, err);
  if (types != small)
    free(types);
  return t;
}

bool op_constant(const char *qname, double *v) {
  static const struct {
    const char *name;
    double value;
  } consts[] = {{"math.pi", 3.141592653589793}, {"math.e", 2.718281828459045},
                {"math.tau", 6.283185307179586}, {"math.inf", INFINITY},
                {"math.nan", NAN}};
  for (size_t i = 0; i < sizeof consts / sizeof *consts; i++)
    if (!strcmp(qname, consts[i].name)) {
      *v = consts[i].value;
      return true;
    }
  return false;
}
