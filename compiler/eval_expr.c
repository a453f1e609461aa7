/* eval_expr.c - expressions at compile time, with Python's semantics:
 * arithmetic (floor division, true division, overflow as an error),
 * comparisons, truth, subscripts and slices, displays, comprehensions,
 * lambdas. Operators on delayed values make tasks (eval_task.c). */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "eval_int.h"

/* Deeper than this is a runaway recursion (a lambda calling itself). */
enum { MAX_EVAL_DEPTH = 1000 };

static Value small_ints[262]; /* -5..256, shared like CPython's */

Value *eval_mk_int(Eval *e, int64_t i) {
  if (i >= -5 && i <= 256) {
    Value *v = &small_ints[i + 5];
    v->kind = V_INT;
    v->refs = -1; /* static: never recycled */
    v->i = i;
    return v;
  }
  Value *v = v_new(e->a, V_INT);
  v->i = i;
  return v;
}

Value *eval_mk_float(Eval *e, double f) {
  Value *v = v_new(e->a, V_FLOAT);
  v->f = f;
  return v;
}

/* v, the value of the arithmetic node n, has just been consumed by the
 * operator above it. A number made by arithmetic is a fresh Value (binop
 * only returns those from mk_int/mk_float) that nothing else has seen, so
 * its memory can hold the next one: the compile-time arithmetic of a big
 * loop (a random-number generator, say) then stops filling the arena. */
void eval_spare_number(Eval *e, Node *n, Value *v) {
  if (n->kind != N_BINOP || v->refs != 0)
    return;
  if (v->kind == V_FLOAT ||
      (v->kind == V_INT && (v < small_ints || v >= small_ints + 262)))
    arena_recycle(e->a, v, sizeof(Value));
}

static void spare_temp(Eval *e, Node *n, Value *v, Value *result) {
  /* Only plain number arithmetic: a task or a collection made from v might
   * keep it. */
  if (v != result && (result->kind == V_INT || result->kind == V_FLOAT))
    eval_spare_number(e, n, v);
}

/* The constant of an int, float or string literal, shared by every
 * evaluation of that node (like CPython's code constants): a loop with
 * `s * 1103515245 + 12345` then makes no numbers for its literals. */
static Value *literal(Eval *e, Node *n) {
  void **slot = &eval_node_entry(e, n)->val;
  if (*slot)
    return *slot;
  if (n->kind == N_INT && n->str) { /* past int64: a big (eval_bigint.c) */
    Value *v = eval_big_literal(e, n->str, false);
    v_pin(v);
    *slot = v;
    return v;
  }
  Value *v;
  if (n->kind == N_INT) {
    v = eval_mk_int(e, n->ival);
  } else if (n->kind == N_FLOAT) {
    v = eval_mk_float(e, n->fval);
  } else {
    v = v_new(e->a, V_STR);
    v->str.s = n->str;
    v->str.len = n->len;
  }
  v_pin(v);
  *slot = v;
  return v;
}

Value *eval_mk_list(Eval *e, Value **items, int n) { return v_seq(e->a, V_LIST, items, n); }
Value *eval_mk_tuple(Eval *e, Value **items, int n) { return v_seq(e->a, V_TUPLE, items, n); }

_Noreturn void eval_runtime_only(Eval *e, Value *v, Loc loc, const char *what) {
  (void)e;
  if (v->kind == V_COMPUTED)
    diag_error(loc, "a computed value is only known at run time; %s", what);
  diag_error(loc, "a delayed value has no value at compile time; %s", what);
}

static bool is_runtime(const Value *v) {
  return v->kind == V_DELAYED || v->kind == V_COMPUTED;
}

int64_t eval_need_int(Eval *e, Value *v, Loc loc, const char *what) {
  if (v->kind == V_INT)
    return v->i;
  if (v->kind == V_BOOL)
    return v->b;
  if (v->kind == V_BIG)
    diag_error(loc, "taskc limit: an int past 64 bits cannot be used as %s", what);
  if (is_runtime(v))
    eval_runtime_only(e, v, loc, arena_printf(e->a, "it cannot be used as %s", what));
  diag_error(loc, "%s must be an int, not '%s'", what, v_type_name(v));
}

bool eval_truthy(Eval *e, Value *v, Loc loc) {
  switch (v->kind) {
  case V_COLL:
    return !v->coll->ops->truthy || v->coll->ops->truthy(e, v, loc);
  case V_NONE: return false;
  case V_BOOL: return v->b;
  case V_INT: return v->i != 0;
  case V_BIG: return true; /* never 0: that is an int64 */
  case V_FLOAT: return v->f != 0;
  case V_STR: return v->str.len != 0;
  case V_TUPLE: case V_LIST: return v->seq.n != 0;
  case V_DICT: return v->dict->n != 0;
  case V_RANGE:
    return v->range.step > 0 ? v->range.start < v->range.stop
                             : v->range.start > v->range.stop;
  case V_COMPUTED:
    diag_error(loc, "cannot branch on a run-time value: it comes from "
               "compute(), result() or gather() and is only known when the "
               "program runs, while the top level runs at compile time; "
               "branch inside a task (a def called through delayed)");
  case V_DELAYED:
    if (e->call_depth) /* a task function called as a plain function */
      diag_error(loc, "a delayed value has no value at compile time; it cannot "
                 "be used as a condition ('%s' is called at the top level, so "
                 "its body runs at compile time: make the call a task with "
                 "delayed(%s)(...))", e->def_name, e->def_name);
    eval_runtime_only(e, v, loc, "it cannot be used as a condition (its truth is "
                 "only known at run time)");
  default: return true;
  }
}

int64_t eval_range_len(const Value *r) {
  int64_t lo = r->range.start, hi = r->range.stop, st = r->range.step;
  if (st > 0 && lo < hi)
    return (int64_t)(((__int128)hi - lo - 1) / st + 1);
  if (st < 0 && lo > hi)
    return (int64_t)(((__int128)lo - hi - 1) / -(__int128)st + 1);
  return 0;
}

/* UTF-8: a character starts at every byte that is not a continuation. */
static Value **str_chars(Eval *e, Value *s, int *n) {
  Value **out = ARENA_ARRAY(e->a, Value *, s->str.len + 1);
  int k = 0;
  for (int i = 0; i < s->str.len;) {
    int j = i + 1;
    while (j < s->str.len && ((unsigned char)s->str.s[j] & 0xc0) == 0x80)
      j++;
    out[k++] = v_str(e->a, s->str.s + i, j - i);
    i = j;
  }
  *n = k;
  return out;
}

Value **eval_iterate(Eval *e, Value *v, Loc loc, int *n) {
  switch (v->kind) {
  case V_TUPLE: case V_LIST: {
    Value **out = ARENA_ARRAY(e->a, Value *, v->seq.n + 1);
    memcpy(out, v->seq.items, sizeof *out * (size_t)v->seq.n);
    *n = v->seq.n;
    return out;
  }
  case V_STR:
    eval_step(e, loc, v->str.len);
    return str_chars(e, v, n);
  case V_DICT: {
    Value **out = ARENA_ARRAY(e->a, Value *, v->dict->n + 1);
    memcpy(out, v->dict->keys, sizeof *out * (size_t)v->dict->n);
    *n = v->dict->n;
    return out;
  }
  case V_RANGE: {
    int64_t len = eval_range_len(v);
    eval_step(e, loc, (long)len); /* bounds the allocation too */
    Value **out = ARENA_ARRAY(e->a, Value *, len + 1);
    for (int64_t i = 0; i < len; i++)
      out[i] = eval_mk_int(e, v->range.start + i * v->range.step);
    *n = (int)len;
    return out;
  }
  case V_DELAYED: case V_COMPUTED:
    eval_runtime_only(e, v, loc, "it cannot be iterated (its length is only known at run time)");
  default:
    diag_error(loc, "'%s' object is not iterable", v_type_name(v));
  }
}

/* ---- arithmetic ---- */

static const char *delayed_op_name(OpCode op) {
  switch (op) {
  case OP_ADD: return "operator.add";
  case OP_SUB: return "operator.sub";
  case OP_MUL: return "operator.mul";
  case OP_DIV: return "operator.truediv";
  case OP_FLOORDIV: return "operator.floordiv";
  case OP_MOD: return "operator.mod";
  case OP_POW: return "operator.pow";
  case OP_LT: return "operator.lt";
  case OP_LE: return "operator.le";
  case OP_GT: return "operator.gt";
  case OP_GE: return "operator.ge";
  case OP_EQ: return "operator.eq";
  case OP_NE: return "operator.ne";
  case OP_NEG: return "operator.neg";
  case OP_POS: return "operator.pos";
  default: return NULL;
  }
}

static _Noreturn void bad_operands(Eval *e, OpCode op, Value *x, Value *y, Loc loc) {
  (void)e;
  diag_error(loc, "unsupported operand types for %s: '%s' and '%s'",
             ast_opcode_str(op), v_type_name(x), v_type_name(y));
}

/* b ** x in int64, false when it does not fit. */
static bool ipow(int64_t b, int64_t x, int64_t *out) {
  int64_t r = 1;
  while (x > 0) {
    if ((x & 1) && __builtin_mul_overflow(r, b, &r))
      return false;
    x >>= 1;
    if (x && __builtin_mul_overflow(b, b, &b))
      return false;
  }
  *out = r;
  return true;
}

/* x op y past int64: Python's big int (eval_bigint.c). */
static Value *big_of(Eval *e, OpCode op, int64_t x, int64_t y, Loc loc) {
  Value a = {.kind = V_INT, .i = x}, b = {.kind = V_INT, .i = y};
  return eval_big_binop(e, op, &a, &b, loc);
}

static Value *int_binop(Eval *e, OpCode op, int64_t x, int64_t y, Loc loc) {
  int64_t r;
  switch (op) {
  case OP_ADD: case OP_SUB: case OP_MUL: {
    bool ovf = op == OP_ADD   ? __builtin_add_overflow(x, y, &r)
               : op == OP_SUB ? __builtin_sub_overflow(x, y, &r)
                              : __builtin_mul_overflow(x, y, &r);
    if (ovf)
      return big_of(e, op, x, y, loc);
    return eval_mk_int(e, r);
  }
  case OP_DIV: {
    if (!y)
      diag_error(loc, "division by zero");
    /* One division of exact doubles is correctly rounded, as Python's
     * int / int is; past 2**53 an operand is not exact: the big path. */
    const int64_t exact = (int64_t)1 << 53;
    if (x > exact || x < -exact || y > exact || y < -exact)
      return big_of(e, op, x, y, loc);
    return eval_mk_float(e, (double)x / (double)y);
  }
  case OP_FLOORDIV: case OP_MOD:
    if (!y)
      diag_error(loc, "integer division or modulo by zero");
    if (y == -1)
      return op == OP_MOD ? eval_mk_int(e, 0) : int_binop(e, OP_SUB, 0, x, loc);
    r = x / y;
    if (x % y && ((x < 0) != (y < 0)))
      r--;
    return eval_mk_int(e, op == OP_FLOORDIV ? r : x - r * y);
  case OP_POW:
    if (y < 0) {
      if (!x)
        diag_error(loc, "0 cannot be raised to a negative power");
      return eval_mk_float(e, pow((double)x, (double)y));
    }
    if (!ipow(x, y, &r))
      return big_of(e, op, x, y, loc);
    return eval_mk_int(e, r);
  case OP_BITAND: return eval_mk_int(e, x & y);
  case OP_BITOR: return eval_mk_int(e, x | y);
  case OP_BITXOR: return eval_mk_int(e, x ^ y);
  case OP_LSHIFT:
    if (y < 0)
      diag_error(loc, "negative shift count");
    if (x && (y >= 63 || x > (INT64_MAX >> y) || x < (INT64_MIN >> y)))
      return big_of(e, op, x, y, loc);
    return eval_mk_int(e, y >= 63 ? 0 : (int64_t)((uint64_t)x << y));
  case OP_RSHIFT:
    if (y < 0)
      diag_error(loc, "negative shift count");
    return eval_mk_int(e, y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
  default:
    diag_error(loc, "unsupported operator %s for ints", ast_opcode_str(op));
  }
}

static Value *float_binop(Eval *e, OpCode op, double x, double y, Loc loc) {
  switch (op) {
  case OP_ADD: return eval_mk_float(e, x + y);
  case OP_SUB: return eval_mk_float(e, x - y);
  case OP_MUL: return eval_mk_float(e, x * y);
  case OP_DIV:
    if (y == 0)
      diag_error(loc, "float division by zero");
    return eval_mk_float(e, x / y);
  case OP_FLOORDIV: case OP_MOD: {
    if (y == 0)
      diag_error(loc, "float division or modulo by zero");
    /* Python's float_divmod */
    double mod = fmod(x, y), div = (x - mod) / y;
    if (mod) {
      if ((y < 0) != (mod < 0)) {
        mod += y;
        div -= 1.0;
      }
    } else {
      mod = copysign(0.0, y);
    }
    double fd;
    if (div) {
      fd = floor(div);
      if (div - fd > 0.5)
        fd += 1.0;
    } else {
      fd = copysign(0.0, x / y);
    }
    return eval_mk_float(e, op == OP_MOD ? mod : fd);
  }
  case OP_POW:
    if (x == 0 && y < 0)
      diag_error(loc, "0.0 cannot be raised to a negative power");
    if (x < 0 && y != floor(y))
      diag_error(loc, "a negative number raised to a fractional power is "
                 "complex (not supported)");
    return eval_mk_float(e, pow(x, y));
  default:
    diag_error(loc, "unsupported operand type(s) for %s: 'float'", ast_opcode_str(op));
  }
}

static Value *repeat(Eval *e, Value *seq, int64_t times, Loc loc) {
  if (times < 0)
    times = 0;
  int64_t len = seq->kind == V_STR ? seq->str.len : seq->seq.n;
  if (len && times > INT_MAX / len)
    diag_error(loc, "the repeated sequence is too long");
  int64_t total = len * times;
  eval_step(e, loc, (long)total);
  if (seq->kind == V_STR) {
    char *s = arena_alloc(e->a, (size_t)total + 1);
    for (int64_t i = 0; i < times; i++)
      memcpy(s + i * len, seq->str.s, (size_t)len);
    Value *v = v_str(e->a, "", 0);
    v->str.s = s;
    v->str.len = (int)total;
    return v;
  }
  Value **items = ARENA_ARRAY(e->a, Value *, total + 1);
  for (int64_t i = 0; i < total; i++)
    items[i] = seq->seq.items[i % len];
  return v_seq(e->a, seq->kind, items, (int)total);
}

static Value *concat(Eval *e, Value *x, Value *y, Loc loc) {
  if (x->kind == V_STR) {
    int n = x->str.len + y->str.len;
    eval_step(e, loc, n / 64);
    char *s = arena_alloc(e->a, (size_t)n + 1);
    memcpy(s, x->str.s, (size_t)x->str.len);
    memcpy(s + x->str.len, y->str.s, (size_t)y->str.len);
    Value *v = v_str(e->a, "", 0);
    v->str.s = s;
    v->str.len = n;
    return v;
  }
  int n = x->seq.n + y->seq.n;
  eval_step(e, loc, n / 16);
  Value *v = v_seq(e->a, x->kind, x->seq.items, x->seq.n);
  for (int i = 0; i < y->seq.n; i++)
    v_list_push(e->a, v, y->seq.items[i]);
  return v;
}

/* ---- operators ---- */

Value *eval_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc) {
  if (x->kind == V_COLL || y->kind == V_COLL) {
    Value *r = eval_coll_binop(e, op, x, y, loc, false);
    if (r)
      return r;
  }
  if (x->kind == V_DELAYED || y->kind == V_DELAYED) {
    const char *name = delayed_op_name(op);
    if (!name)
      diag_error(loc, "operator %s on a delayed value is not supported",
                 ast_opcode_str(op));
    return eval_delayed_binop(e, name, x, y, loc);
  }
  if (is_runtime(x) || is_runtime(y)) /* a run-time value: a task */
    return eval_runval_binop(e, op, x, y, loc, false);
  if (op == OP_MOD && x->kind == V_STR && eval_runval_holds(y))
    return eval_runval_binop(e, op, x, y, loc, false); /* "%s-%d" % (r, i) */
  if (v_is_number(x) && v_is_number(y)) {
    if (x->kind == V_BOOL && y->kind == V_BOOL &&
        (op == OP_BITAND || op == OP_BITOR || op == OP_BITXOR))
      return v_bool(op == OP_BITAND ? x->b & y->b
                    : op == OP_BITOR ? x->b | y->b : x->b ^ y->b);
    if (x->kind == V_BIG || y->kind == V_BIG) {
      if (x->kind != V_FLOAT && y->kind != V_FLOAT)
        return eval_big_binop(e, op, x, y, loc);
      return float_binop(e, op, eval_big_to_float(x, loc), eval_big_to_float(y, loc), loc);
    }
    if (x->kind != V_FLOAT && y->kind != V_FLOAT)
      return int_binop(e, op, x->kind == V_BOOL ? x->b : x->i,
                       y->kind == V_BOOL ? y->b : y->i, loc);
    double a = x->kind == V_FLOAT ? x->f : (double)(x->kind == V_BOOL ? x->b : x->i);
    double b = y->kind == V_FLOAT ? y->f : (double)(y->kind == V_BOOL ? y->b : y->i);
    return float_binop(e, op, a, b, loc);
  }
  if (op == OP_ADD && x->kind == y->kind &&
      (x->kind == V_STR || x->kind == V_LIST || x->kind == V_TUPLE))
    return concat(e, x, y, loc);
  if (op == OP_MUL) {
    bool xs = x->kind == V_STR || x->kind == V_LIST || x->kind == V_TUPLE;
    bool ys = y->kind == V_STR || y->kind == V_LIST || y->kind == V_TUPLE;
    if (xs && eval_is_intlike(y))
      return repeat(e, x, eval_need_int(e, y, loc, "a repeat count"), loc);
    if (ys && eval_is_intlike(x))
      return repeat(e, y, eval_need_int(e, x, loc, "a repeat count"), loc);
  }
  if (op == OP_MOD && x->kind == V_STR)
    return eval_str_percent(e, x, y, loc);
  if (op == OP_BITOR && x->kind == V_DICT && y->kind == V_DICT) {
    Value *d = v_dict_copy(e->a, x->dict);
    for (int i = 0; i < y->dict->n; i++)
      v_dict_set(e->a, d->dict, y->dict->keys[i], y->dict->vals[i], y->dict->locs[i]);
    return d;
  }
  bad_operands(e, op, x, y, loc);
}

Value *eval_unop(Eval *e, OpCode op, Value *x, Loc loc) {
  if (op == OP_NOT)
    return v_bool(!eval_truthy(e, x, loc));
  if (x->kind == V_COLL) {
    Value *r = eval_coll_unop(e, op, x, loc);
    if (r)
      return r;
  }
  if (x->kind == V_DELAYED) {
    const char *name = delayed_op_name(op);
    if (!name)
      diag_error(loc, "operator %s on a delayed value is not supported",
                 ast_opcode_str(op));
    return eval_delayed_unop(e, name, x, loc);
  }
  if (is_runtime(x))
    return eval_runval_unop(e, op, x, loc);
  if (x->kind == V_BIG)
    return eval_big_unop(e, op, x, loc);
  if (x->kind == V_FLOAT) {
    if (op == OP_NEG)
      return eval_mk_float(e, -x->f);
    if (op == OP_POS)
      return x;
  } else if (x->kind == V_INT || x->kind == V_BOOL) {
    int64_t i = x->kind == V_BOOL ? x->b : x->i;
    if (op == OP_NEG)
      return int_binop(e, OP_SUB, 0, i, loc);
    if (op == OP_POS)
      return eval_mk_int(e, i);
    if (op == OP_INVERT)
      return eval_mk_int(e, ~i);
  }
  diag_error(loc, "bad operand type for unary %s: '%s'", ast_opcode_str(op),
             v_type_name(x));
}

/* ---- comparisons ---- */

static int num_cmp(const Value *x, const Value *y) {
  if (x->kind == V_BIG || y->kind == V_BIG)
    return eval_big_cmp(x, y);
  long double a = x->kind == V_FLOAT ? (long double)x->f
                  : (long double)(x->kind == V_BOOL ? x->b : x->i);
  long double b = y->kind == V_FLOAT ? (long double)y->f
                  : (long double)(y->kind == V_BOOL ? y->b : y->i);
  return a < b ? -1 : a > b ? 1 : a == b ? 0 : 2; /* 2: unordered (nan) */
}

bool eval_less_than(Eval *e, Value *x, Value *y, Loc loc) {
  if (v_is_number(x) && v_is_number(y))
    return num_cmp(x, y) == -1;
  if (x->kind == V_STR && y->kind == V_STR) {
    int n = x->str.len < y->str.len ? x->str.len : y->str.len;
    int c = memcmp(x->str.s, y->str.s, (size_t)n);
    return c < 0 || (c == 0 && x->str.len < y->str.len);
  }
  if (x->kind == y->kind && (x->kind == V_LIST || x->kind == V_TUPLE)) {
    for (int i = 0; i < x->seq.n && i < y->seq.n; i++)
      if (!v_equal(x->seq.items[i], y->seq.items[i]))
        return eval_less_than(e, x->seq.items[i], y->seq.items[i], loc);
    return x->seq.n < y->seq.n;
  }
  if (is_runtime(x) || is_runtime(y))
    eval_runtime_only(e, is_runtime(x) ? x : y, loc, "it cannot be compared");
  diag_error(loc, "'<' not supported between instances of '%s' and '%s'",
             v_type_name(x), v_type_name(y));
}

static bool contains(Eval *e, Value *needle, Value *hay, Loc loc) {
  switch (hay->kind) {
  case V_LIST: case V_TUPLE:
    for (int i = 0; i < hay->seq.n; i++)
      if (v_equal(needle, hay->seq.items[i]))
        return true;
    return false;
  case V_DICT:
    if (!v_hashable(needle))
      diag_error(loc, "unhashable type: '%s'", v_type_name(needle));
    return v_dict_find(hay->dict, needle) >= 0;
  case V_STR:
    if (needle->kind != V_STR)
      diag_error(loc, "'in <string>' requires a string as left operand, not "
                 "'%s'", v_type_name(needle));
    if (!needle->str.len)
      return true;
    for (int i = 0; i + needle->str.len <= hay->str.len; i++)
      if (!memcmp(hay->str.s + i, needle->str.s, (size_t)needle->str.len))
        return true;
    return false;
  case V_RANGE: {
    if (!v_is_number(needle))
      return false;
    if (needle->kind == V_FLOAT && needle->f != floor(needle->f))
      return false;
    int64_t v = needle->kind == V_FLOAT ? (int64_t)needle->f
                : needle->kind == V_BOOL ? needle->b : needle->i;
    int64_t len = eval_range_len(hay);
    if (!len)
      return false;
    __int128 off = (__int128)v - hay->range.start;
    if (off % hay->range.step)
      return false;
    __int128 k = off / hay->range.step;
    return k >= 0 && k < len;
  }
  case V_DELAYED: case V_COMPUTED:
    eval_runtime_only(e, hay, loc, "'in' needs its contents");
  default:
    diag_error(loc, "argument of type '%s' is not iterable", v_type_name(hay));
  }
}

Value *eval_compare(Eval *e, OpCode op, Value *x, Value *y, Loc loc) {
  if ((x->kind == V_COLL || y->kind == V_COLL) && op >= OP_LT &&
      op <= OP_NE) {
    Value *r = eval_coll_binop(e, op, x, y, loc, true);
    if (r)
      return r;
  }
  /* r in xs, [r] == [1], r is None: known when the program runs */
  if (x->kind != V_DELAYED && y->kind != V_DELAYED &&
      eval_runval_compare(op, x, y))
    return eval_runval_binop(e, op, x, y, loc, true);
  switch (op) {
  case OP_IS: case OP_ISNOT: {
    bool same = x == y || (x->kind == V_NONE && y->kind == V_NONE) ||
                (x->kind == V_BOOL && y->kind == V_BOOL && x->b == y->b);
    return v_bool(op == OP_IS ? same : !same);
  }
  case OP_IN: case OP_NOTIN: {
    bool in = contains(e, x, y, loc);
    return v_bool(op == OP_IN ? in : !in);
  }
  default:
    break;
  }
  if (x->kind == V_DELAYED || y->kind == V_DELAYED)
    return eval_delayed_binop(e, delayed_op_name(op), x, y, loc);
  if (op == OP_EQ || op == OP_NE) {
    if (is_runtime(x) || is_runtime(y))
      eval_runtime_only(e, is_runtime(x) ? x : y, loc, "it cannot be compared");
    bool eq = v_equal(x, y);
    return v_bool(op == OP_EQ ? eq : !eq);
  }
  if (v_is_number(x) && v_is_number(y)) {
    int c = num_cmp(x, y);
    if (c == 2)
      return v_bool(false);
    switch (op) {
    case OP_LT: return v_bool(c < 0);
    case OP_LE: return v_bool(c <= 0);
    case OP_GT: return v_bool(c > 0);
    default: return v_bool(c >= 0);
    }
  }
  switch (op) {
  case OP_LT: return v_bool(eval_less_than(e, x, y, loc));
  case OP_GT: return v_bool(eval_less_than(e, y, x, loc));
  case OP_LE: return v_bool(!eval_less_than(e, y, x, loc));
  default: return v_bool(!eval_less_than(e, x, y, loc));
  }
}

static Value *compare_chain(Eval *e, Node *n) {
  Value *x = eval_expr(e, n->items[0]);
  Value *r = NULL;
  for (int i = 0; i + 1 < n->nitems; i++) {
    if (r && !eval_truthy(e, r, n->loc))
      return r;
    Value *y = eval_expr(e, n->items[i + 1]);
    r = eval_compare(e, n->ops[i], x, y, n->loc);
    x = y;
  }
  return r;
}

/* ---- subscripts and slices ---- */

static int64_t index_of(Eval *e, Value *key, int64_t len, Loc loc, const char *what) {
  /* The message is only built when needed: a subscript in a million-task
   * loop would otherwise allocate one each time. */
  int64_t i = key->kind == V_INT
                  ? key->i
                  : eval_need_int(e, key, loc, arena_printf(e->a, "a %s index", what));
  if (i < 0)
    i += len;
  if (i < 0 || i >= len)
    diag_error(loc, "%s index out of range", what);
  return i;
}

Value *eval_subscript(Eval *e, Value *obj, Value *key, Loc loc) {
  if (obj->kind == V_DELAYED)
    return eval_delayed_binop(e, "operator.getitem", obj, key, loc);
  if (obj->kind == V_COMPUTED ||
      (key->kind == V_COMPUTED && (obj->kind == V_LIST || obj->kind == V_TUPLE ||
                                   obj->kind == V_STR || obj->kind == V_DICT)))
    return eval_runval_subscript(e, obj, key, loc);
  if (is_runtime(key))
    eval_runtime_only(e, key, loc, "it cannot be used as an index");
  switch (obj->kind) {
  case V_LIST: case V_TUPLE: {
    Value *v = obj->seq.items[index_of(e, key, obj->seq.n, loc,
                                       obj->kind == V_LIST ? "list" : "tuple")];
    /* An item of a big list is likely far from the cache, and is mostly
     * looked at later (a task argument): start loading it now. */
    __builtin_prefetch(v);
    return v;
  }
  case V_STR: {
    int n;
    Value **chars = str_chars(e, obj, &n);
    return chars[index_of(e, key, n, loc, "string")];
  }
  case V_RANGE: {
    int64_t i = index_of(e, key, eval_range_len(obj), loc, "range");
    return eval_mk_int(e, obj->range.start + i * obj->range.step);
  }
  case V_DICT: {
    if (!v_hashable(key))
      diag_error(loc, "unhashable type: '%s'", v_type_name(key));
    Value *v = v_dict_get(obj->dict, key);
    if (!v)
      diag_error(loc, "key %s is not in the dict", v_repr(e->a, key));
    return v;
  }
  default:
    diag_error(loc, "'%s' object is not subscriptable", v_type_name(obj));
  }
}

static int64_t slice_bound(Eval *e, Node *n, int64_t dflt, bool *given) {
  *given = false;
  if (!n)
    return dflt;
  Value *v = eval_expr(e, n);
  if (v->kind == V_NONE)
    return dflt;
  *given = true;
  return eval_need_int(e, v, n->loc, "a slice index");
}

/* Defaults and clamping depend on the sign of the step (a negative step
 * starts at the end and stops before -1). */
static int64_t slice_clamp(int64_t i, int64_t len, bool neg) {
  if (i < 0)
    i = i + len < 0 ? (neg ? -1 : 0) : i + len;
  if (i >= len)
    i = neg ? len - 1 : len;
  return i;
}

/* Python's slice.indices(len) (PySlice_AdjustIndices). */
SliceIdx eval_slice_indices(Eval *e, Node *s, int64_t len) {
  SliceIdx r;
  bool has;
  r.step = slice_bound(e, s->els, 1, &has);
  if (r.step == 0)
    diag_error(s->loc, "slice step cannot be zero");
  bool neg = r.step < 0;
  int64_t lo = slice_bound(e, s->lhs, neg ? len - 1 : 0, &has);
  if (has)
    lo = slice_clamp(lo, len, neg);
  int64_t hi = slice_bound(e, s->rhs, neg ? -1 : len, &has);
  if (has)
    hi = slice_clamp(hi, len, neg);
  r.start = lo;
  if (neg)
    r.count = lo > hi ? (lo - hi - 1) / -r.step + 1 : 0;
  else
    r.count = lo < hi ? (hi - lo - 1) / r.step + 1 : 0;
  return r;
}

static Value *eval_slice(Eval *e, Value *obj, Node *s) {
  if (obj->kind == V_DELAYED)
    diag_error(s->loc, "slicing a delayed value is not supported; index it "
               "with an int or a key");
  if (is_runtime(obj))
    eval_runtime_only(e, obj, s->loc, "it cannot be sliced at compile time");
  if (obj->kind == V_RANGE) {
    SliceIdx r = eval_slice_indices(e, s, eval_range_len(obj));
    Value *v = ARENA_NEW(e->a, Value);
    v->kind = V_RANGE;
    v->range.step = obj->range.step * r.step;
    v->range.start = obj->range.start + r.start * obj->range.step;
    v->range.stop = v->range.start + r.count * v->range.step;
    return v;
  }
  Value **items;
  int n;
  if (obj->kind == V_STR)
    items = str_chars(e, obj, &n);
  else if (obj->kind == V_LIST || obj->kind == V_TUPLE) {
    items = obj->seq.items;
    n = obj->seq.n;
  } else {
    diag_error(s->loc, "'%s' object is not subscriptable", v_type_name(obj));
  }
  SliceIdx r = eval_slice_indices(e, s, n);
  eval_step(e, s->loc, (long)r.count / 16);
  Value **out = ARENA_ARRAY(e->a, Value *, r.count + 1);
  for (int64_t k = 0; k < r.count; k++)
    out[k] = items[r.start + k * r.step];
  if (obj->kind != V_STR)
    return v_seq(e->a, obj->kind, out, (int)r.count);
  int len = 0;
  for (int64_t k = 0; k < r.count; k++)
    len += out[k]->str.len;
  char *buf = arena_alloc(e->a, (size_t)len + 1), *p = buf;
  for (int64_t k = 0; k < r.count; k++) {
    memcpy(p, out[k]->str.s, (size_t)out[k]->str.len);
    p += out[k]->str.len;
  }
  return v_str(e->a, buf, len);
}

void eval_set_item(Eval *e, Value *obj, Value *key, Value *v, Loc loc) {
  switch (obj->kind) {
  case V_LIST: {
    Value **slot = &obj->seq.items[index_of(e, key, obj->seq.n, loc,
                                            "list assignment")];
    /* The value replaced keeps its count (so is never recycled): reading
     * it would cost a cache miss per store into a big list. */
    if (obj->refs < 0)
      v_pin(v);
    else
      v_ref(v);
    *slot = v;
    return;
  }
  case V_DICT:
    if (!v_hashable(key)) {
      if (is_runtime(key))
        diag_error(loc, "a delayed value cannot be a dict key");
      diag_error(loc, "unhashable type: '%s'", v_type_name(key));
    }
    v_dict_set(e->a, obj->dict, key, v, loc);
    return;
  case V_DELAYED: case V_COMPUTED:
    diag_error(loc, "cannot assign into a delayed value at compile time");
  default:
    diag_error(loc, "'%s' object does not support item assignment",
               v_type_name(obj));
  }
}

/* ---- attributes ---- */

Value *eval_attribute(Eval *e, Value *obj, const char *name, Loc loc) {
  switch (obj->kind) {
  case V_MODULE: {
    Value *v = eval_module_attr(e, obj->module, name, loc);
    if (!v)
      diag_error(loc, "module '%s' has no attribute '%s' (or it is not "
                 "supported)", obj->module, name);
    v_pin(v); /* a collection's function may hand out what it keeps */
    return v;
  }
  case V_DELAYED:
    return eval_delayed_attr(e, obj, name, loc);
  case V_COLL: {
    Value *v = eval_coll_attr(e, obj, name, loc);
    if (v)
      return v;
    break;
  }
  case V_COMPUTED:
    eval_runtime_only(e, obj, loc, "its attributes are not known");
  case V_RANGE:
    if (!strcmp(name, "start"))
      return eval_mk_int(e, obj->range.start);
    if (!strcmp(name, "stop"))
      return eval_mk_int(e, obj->range.stop);
    if (!strcmp(name, "step"))
      return eval_mk_int(e, obj->range.step);
    break;
  case V_LIST: case V_DICT: case V_STR: case V_CLIENT: case V_TUPLE:
    v_pin(obj); /* the method value holds it, uncounted */
    return v_method(e->a, obj, name);
  default:
    break;
  }
  diag_error(loc, "'%s' object has no attribute '%s'", v_type_name(obj), name);
}

/* ---- displays, comprehensions, lambdas ---- */

static Value *eval_seq(Eval *e, Node *n, VKind kind) {
  Value *v = v_seq(e->a, V_LIST, NULL, 0);
  for (int i = 0; i < n->nitems; i++) {
    Node *it = n->items[i];
    if (it->kind == N_STARRED) {
      int m;
      Value **items = eval_iterate(e, eval_expr(e, it->lhs), it->loc, &m);
      for (int k = 0; k < m; k++)
        v_list_push(e->a, v, items[k]);
    } else {
      v_list_push(e->a, v, eval_expr(e, it));
    }
  }
  v->kind = kind;
  return v;
}

static Value *eval_dict(Eval *e, Node *n) {
  Value *d = v_dict(e->a);
  for (int i = 0; i < n->nitems; i++) {
    if (!n->keys[i]) {
      Value *src = eval_expr(e, n->items[i]);
      if (src->kind != V_DICT)
        diag_error(n->items[i]->loc, "'**' needs a dict, not '%s'",
                   v_type_name(src));
      for (int k = 0; k < src->dict->n; k++)
        v_dict_set(e->a, d->dict, src->dict->keys[k], src->dict->vals[k],
                 src->dict->locs[k]);
      continue;
    }
    Value *k = eval_expr(e, n->keys[i]);
    Value *v = eval_expr(e, n->items[i]);
    eval_set_item(e, d, k, v, n->keys[i]->loc);
  }
  return d;
}

/* One generator level of a comprehension; the innermost adds the element. */
static void comp_level(Eval *e, Node *n, int level, Value *out) {
  if (level == n->ncomps) {
    eval_step(e, n->loc, 1);
    if (n->kind == N_LISTCOMP) {
      v_list_push(e->a, out, eval_expr(e, n->lhs));
    } else {
      Node *kn = n->key ? n->key : n->rhs;
      Value *k = eval_expr(e, kn);
      eval_set_item(e, out, k, eval_expr(e, n->lhs), kn->loc);
    }
    return;
  }
  Node *c = n->comps[level];
  Value *seq = eval_expr(e, c->rhs);
  int m;
  Value **items = eval_iterate(e, seq, c->rhs->loc, &m);
  for (int i = 0; i < m; i++) {
    eval_assign(e, c->lhs, items[i]);
    bool ok = true;
    for (int k = 0; k < c->nitems && ok; k++)
      ok = eval_truthy(e, eval_expr(e, c->items[k]), c->items[k]->loc);
    if (ok)
      comp_level(e, n, level + 1, out);
  }
}

static Value *eval_comp(Eval *e, Node *n) {
  Value *out = n->kind == N_LISTCOMP ? eval_mk_list(e, NULL, 0) : v_dict(e->a);
  Scope *saved = e->scope;
  e->scope = eval_scope_new(e, saved);
  comp_level(e, n, 0, out);
  e->scope = saved;
  return out;
}

static Value *eval_lambda(Eval *e, Node *n) {
  Value *v = ARENA_NEW(e->a, Value);
  v->kind = V_LAMBDA;
  v->lambda.node = n;
  v->lambda.env = e->scope;
  e->lambdas++; /* eval_def.c: a scope a lambda holds is never reused */
  v->lambda.defaults = ARENA_ARRAY(e->a, Value *, n->nparams + 1);
  for (int i = 0; i < n->nparams; i++) {
    if (n->params[i].star)
      diag_error(n->params[i].loc, "*args and **kwargs are not supported in "
                 "lambdas");
    if (n->params[i].deflt) {
      v->lambda.defaults[i] = eval_expr(e, n->params[i].deflt);
      v_pin(v->lambda.defaults[i]);
    }
  }
  return v;
}

/* n applied to x, the value of its left operand. */
static Value *binop_step(Eval *e, Node *n, Value *x) {
  Value *y = eval_expr(e, n->rhs);
  /* ints straight to int_binop: most compile-time arithmetic */
  Value *r = x->kind == V_INT && y->kind == V_INT
                 ? int_binop(e, n->op, x->i, y->i, n->loc)
                 : eval_binop(e, n->op, x, y, n->loc);
  spare_temp(e, n->lhs, x, r);
  spare_temp(e, n->rhs, y, r);
  return r;
}

/* `a + b + c + ...` is a tree as deep as the chain (left-associative):
 * walk down its left spine and apply the operators from the bottom up in a
 * loop, so a 100,000-term sum needs no deep recursion. */
static Value *binop_chain(Eval *e, Node *n) {
  int base = e->spine.len;
  for (Node *s = n; s->kind == N_BINOP; s = s->lhs)
    ptrvec_push(e->a, &e->spine, s);
  int top = e->spine.len - 1;
  Value *x = eval_expr(e, ((Node *)e->spine.items[top])->lhs); /* left first */
  for (int i = top; i >= base; i--)
    x = binop_step(e, e->spine.items[i], x); /* operands may push above top */
  e->spine.len = base;
  return x;
}

static Value *eval_inner(Eval *e, Node *n) {
  switch (n->kind) {
  case N_NAME: return eval_lookup_node(e, n);
  case N_INT:
    if (!n->str && n->ival >= -5 && n->ival <= 256)
      return eval_mk_int(e, n->ival);
    return literal(e, n);
  case N_FLOAT: case N_STR: return literal(e, n);
  case N_TRUE: return v_bool(true);
  case N_FALSE: return v_bool(false);
  case N_NONE: return v_none();
  case N_ELLIPSIS:
    diag_error(n->loc, "'...' is only allowed as the body of an @extern def");
  case N_BINOP:
    return n->lhs->kind == N_BINOP ? binop_chain(e, n)
                                   : binop_step(e, n, eval_expr(e, n->lhs));
  case N_UNARY: return eval_unop(e, n->op, eval_expr(e, n->lhs), n->loc);
  case N_BOOLOP: {
    Value *x = eval_expr(e, n->lhs);
    bool t = eval_truthy(e, x, n->lhs->loc);
    bool is_and = n->op == OP_AND;
    return t == is_and ? eval_expr(e, n->rhs) : x;
  }
  case N_COMPARE: return compare_chain(e, n);
  case N_IFEXP:
    return eval_truthy(e, eval_expr(e, n->cond), n->cond->loc) ? eval_expr(e, n->then)
                                                      : eval_expr(e, n->els);
  case N_CALL: return eval_call(e, n);
  case N_ATTR: return eval_attribute(e, eval_expr(e, n->lhs), n->name, n->loc);
  case N_SUBSCRIPT: {
    Value *obj = eval_expr(e, n->lhs);
    if (obj->kind == V_COLL && obj->coll->ops->getitem)
      return eval_coll_getitem(e, obj, n->rhs);
    if (n->rhs->kind == N_SLICE)
      return eval_slice(e, obj, n->rhs);
    if (n->rhs->kind == N_TUPLE)
      for (int i = 0; i < n->rhs->nitems; i++)
        if (n->rhs->items[i]->kind == N_SLICE)
          diag_error(n->rhs->loc, "multi-dimensional slicing is only for "
                     "dask arrays, not for a '%s'", v_type_name(obj));
    return eval_subscript(e, obj, eval_expr(e, n->rhs), n->loc);
  }
  case N_LIST: return eval_seq(e, n, V_LIST);
  case N_TUPLE: return eval_seq(e, n, V_TUPLE);
  case N_DICT: return eval_dict(e, n);
  case N_SET:
    diag_error(n->loc, "set literals are not supported (use a list or a dict)");
  case N_LISTCOMP: case N_DICTCOMP: return eval_comp(e, n);
  case N_LAMBDA: return eval_lambda(e, n);
  case N_FSTRING: return eval_fstring(e, n);
  case N_STARRED:
    diag_error(n->loc, "a starred expression is not allowed here");
  case N_SLICE:
    diag_error(n->loc, "a slice is only allowed inside []");
  default:
    diag_error(n->loc, "this expression is not supported at the top level");
  }
}

/* Everything but names and literals: counted for depth, located for the
 * errors raised deep inside. */
static __attribute__((noinline)) Value *eval_counted(Eval *e, Node *n) {
  if (++e->depth > MAX_EVAL_DEPTH)
    diag_error(n->loc, "expression or recursion nested too deeply (more than "
               "%d levels)", MAX_EVAL_DEPTH);
  Loc saved = e->loc;
  e->loc = n->loc;
  Value *v = eval_inner(e, n);
  e->loc = saved;
  e->depth--;
  if (e->pin_all)
    v_pin(v);
  return v;
}

Value *eval_expr(Eval *e, Node *n) {
  /* Names and literals, half of what a loop evaluates, need neither the
   * depth count nor e->loc: their errors carry their own location, and
   * literals are pinned already. */
  switch (n->kind) {
  case N_NAME:
    if (!e->pin_all)
      return eval_lookup_node(e, n);
    break;
  case N_INT:
    if (!n->str && n->ival >= -5 && n->ival <= 256)
      return eval_mk_int(e, n->ival);
    return literal(e, n);
  case N_FLOAT: case N_STR:
    return literal(e, n);
  default:
    break;
  }
  return eval_counted(e, n);
}
