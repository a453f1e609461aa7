/* sema_expr.c - types of expressions in function bodies, Python's rules:
 * bool and int mix to int, int and float to float, `/` is float, `//` `%`
 * `**` of ints are int, comparisons are bool, str + str is str. Every value
 * has one static type: where Python would give "int or float" depending on
 * run-time values, the program must say which with float(). */
#include <string.h>

#include "sema_impl.h"
#include "sema_str.h"

bool sema_is_num(Type *t) {
  return t == ty_int || t == ty_float || t == ty_bool;
}

static bool is_intlike(Type *t) { return t == ty_int || t == ty_bool; }

static _Noreturn void bad_operands(OpCode op, Type *l, Type *r, Loc loc) {
  diag_error(loc, "unsupported operand type(s) for %s: '%s' and '%s'",
             ast_opcode_str(op), sema_pyname(l), sema_pyname(r));
}

Type *sema_binop(Checker *c, OpCode op, Type *l, Type *r, Loc loc) {
  (void)c;
  Type *st = sema_str_binop(op, l, r); /* str % x, str * n */
  if (st)
    return st;
  bool num = sema_is_num(l) && sema_is_num(r);
  Type *arith = l == ty_float || r == ty_float ? ty_float : ty_int;
  switch (op) {
  case OP_ADD:
    if (l == ty_str && r == ty_str)
      return ty_str;
    /* fallthrough */
  case OP_SUB:
  case OP_MUL:
  case OP_FLOORDIV:
  case OP_MOD:
  case OP_POW:
    if (num)
      return arith;
    break;
  case OP_DIV:
    if (num)
      return ty_float;
    break;
  case OP_BITAND:
  case OP_BITOR:
  case OP_BITXOR:
    if (l == ty_bool && r == ty_bool)
      return ty_bool;
    /* fallthrough */
  case OP_LSHIFT:
  case OP_RSHIFT:
    if (is_intlike(l) && is_intlike(r))
      return ty_int;
    break;
  default:
    break;
  }
  Type *set = sema_set_binop(op, l, r, loc); /* sema_dict.c */
  if (set)
    return set;
  Type *seq = sema_seq_binop(c, op, l, r, loc); /* sema_seq.c */
  if (seq)
    return seq;
  bad_operands(op, l, r, loc);
}

static Type *unary(Checker *c, Node *n) {
  if (n->op == OP_NOT) {
    sema_cond(c, n->lhs);
    return ty_bool;
  }
  Type *t = sema_expr(c, n->lhs);
  if (n->op == OP_INVERT && is_intlike(t))
    return ty_int;
  if ((n->op == OP_NEG || n->op == OP_POS) && sema_is_num(t))
    return t == ty_float ? ty_float : ty_int;
  diag_error(n->loc, "bad operand type for unary %s: '%s'", ast_opcode_str(n->op),
             sema_pyname(t));
}

/* Types that == can compare in a body; other pairs of equal types (lists,
 * tuples) would need a deep comparison. */
static bool eq_comparable(Type *l, Type *r) {
  if (sema_is_num(l) && sema_is_num(r))
    return true;
  if (l->kind == TY_DICT && r->kind == TY_DICT)
    return true; /* dicts, records: Python's ==, on the run-time values */
  return l == r && (l == ty_str || l == ty_none);
}

static void compare_pair(Node *n, OpCode op, Type *l, Type *r, Node *rn) {
  switch (op) {
  case OP_LT: case OP_LE: case OP_GT: case OP_GE:
    if ((sema_is_num(l) && sema_is_num(r)) || (l == ty_str && r == ty_str))
      return;
    diag_error(n->loc, "'%s' not supported between instances of '%s' and "
               "'%s'", ast_opcode_str(op), sema_pyname(l), sema_pyname(r));
  case OP_EQ: case OP_NE:
    /* different kinds (3 == 'a') are simply unequal, as in Python */
    if (eq_comparable(l, r) || l->kind != r->kind)
      return;
    diag_error(n->loc, "comparing %s values with %s is not supported in "
               "function bodies", ty_name(l), ast_opcode_str(op));
  case OP_IS: case OP_ISNOT:
    if (l == ty_none || r == ty_none)
      return;
    diag_error(n->loc, "'%s' is supported only with None in function bodies",
               ast_opcode_str(op));
  case OP_IN: case OP_NOTIN:
    if (l == ty_str && r == ty_str)
      return;
    if (r->kind == TY_LIST && (eq_comparable(r->elem, l)))
      return;
    if (r->kind == TY_DICT && (sema_accepts(r->key, l) ||
                               (sema_is_num(r->key) && sema_is_num(l))))
      return; /* a key of a dict or set */
    diag_error(rn->loc, "'%s' with %s on the right is not supported in "
               "function bodies", ast_opcode_str(op), ty_name(r));
  default:
    diag_error(n->loc, "unsupported comparison");
  }
}

static Type *compare(Checker *c, Node *n) {
  Type *l = sema_expr(c, n->items[0]);
  for (int i = 1; i < n->nitems; i++) {
    Type *r = sema_expr(c, n->items[i]);
    compare_pair(n, n->ops[i - 1], l, r, n->items[i]);
    l = r;
  }
  return ty_bool;
}

static Type *boolop(Checker *c, Node *n) {
  Type *l = sema_expr(c, n->lhs), *r = sema_expr(c, n->rhs);
  if (l != r)
    diag_error(n->loc, "operands of '%s' have different types (%s and %s); "
               "outside a condition its value must have one type",
               ast_opcode_str(n->op), ty_name(l), ty_name(r));
  return l;
}

static Type *ifexp(Checker *c, Node *n) {
  sema_cond(c, n->cond);
  Type *a = sema_expr(c, n->then), *b = sema_expr(c, n->els);
  /* `xs if c else []`: the empty list takes the other side's type */
  if (a->kind == TY_LIST && b->kind == TY_LIST && a->elem->kind == TY_ANY)
    a = b;
  if (a->kind == TY_LIST && b->kind == TY_LIST && b->elem->kind == TY_ANY)
    b = a;
  if (a != b)
    diag_error(n->loc, "the conditional expression gives %s or %s; it must "
               "give one type%s", ty_name(a), ty_name(b),
               sema_is_num(a) && sema_is_num(b) ? " (convert with float())"
                                                : "");
  return a;
}

static Type *subscript(Checker *c, Node *n) {
  Type *t = sema_expr(c, n->lhs);
  if (n->rhs->kind == N_SLICE) {
    if (t == ty_str)
      return sema_str_slice(c, n, t);
    Type *st = sema_slice(c, n, t); /* sema_seq.c: lists and tuples */
    if (st)
      return st;
    diag_error(n->rhs->loc, "slices of %s are not supported in function "
               "bodies", ty_name(t));
  }
  if (t->kind == TY_TUPLE) {
    Node *ix = n->rhs;
    bool neg = ix->kind == N_UNARY && ix->op == OP_NEG;
    Node *lit = neg ? ix->lhs : ix;
    if (lit->kind != N_INT || lit->str)
      diag_error(ix->loc, "a tuple index in a function body must be a "
                 "constant integer");
    int64_t i = neg ? -lit->ival : lit->ival;
    if (i < 0)
      i += t->n;
    if (i < 0 || i >= t->n)
      diag_error(ix->loc, "tuple index out of range");
    sema_note(c, n)->slot = (int)i;
    return t->elems[i];
  }
  if (t->kind == TY_DICT)
    return sema_dict_subscript(c, n, t); /* sema_dict.c */
  if (t->kind != TY_LIST && t != ty_str) {
    diag_error(n->loc, "'%s' object is not subscriptable", sema_pyname(t));
  }
  Type *it = sema_expr(c, n->rhs);
  if (!is_intlike(it))
    diag_error(n->rhs->loc, "%s indices must be integers, not %s",
               t == ty_str ? "string" : "list", sema_pyname(it));
  if (t == ty_str)
    return ty_str;
  return sema_elem_known(n, t);
}

Type *sema_elem_known(const Node *at, Type *t) {
  if (t->elem->kind == TY_ANY)
    diag_error(at->loc, "the element type of this %s is unknown (an empty "
               "list, or elements of mixed types); a function body needs one: "
               "annotate the parameter, e.g. 'xs: list[int]'", ty_name(t));
  return t->elem;
}

static Type *list_display(Checker *c, Node *n) {
  if (!n->nitems)
    return ty_list(ty_any); /* element type comes from later appends */
  Type *t = sema_expr(c, n->items[0]);
  for (int i = 1; i < n->nitems; i++) {
    Type *u = sema_expr(c, n->items[i]);
    if (u == t)
      continue;
    if (sema_is_num(t) && sema_is_num(u))
      t = t == ty_float || u == ty_float ? ty_float : ty_int;
    else if (ty_is_record(t) && ty_is_record(u))
      t = ty_settle(ty_join(t, u)); /* the record of all their keys */
    else
      diag_error(n->items[i]->loc, "list elements have different types (%s "
                 "and %s); a function body needs one element type",
                 ty_name(t), ty_name(u));
  }
  if (t == ty_none)
    diag_error(n->loc, "a list of None is not supported in function bodies");
  return ty_list(t);
}

static Type *tuple_display(Checker *c, Node *n) {
  Type **elems = ARENA_ARRAY(c->a, Type *, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++) {
    elems[i] = sema_expr(c, n->items[i]);
    if (elems[i]->kind == TY_ANY)
      diag_error(n->items[i]->loc, "an empty list inside a tuple needs a "
                 "type; build it in a variable first");
  }
  return ty_tuple(elems, n->nitems);
}

static Type *constant(Checker *c, Node *n) {
  const char *q = sema_resolve(c, n);
  double v;
  if (!q || !op_constant(q, &v))
    return NULL;
  sema_note(c, n)->qname = q;
  return ty_float;
}

static Type *name(Checker *c, Node *n) {
  int slot = sema_local_find(c, n->name);
  if (slot >= 0) {
    if (!c->defined[slot])
      diag_error(n->loc, "variable '%s' may be used before it is assigned",
                 n->name);
    sema_note(c, n)->slot = slot;
    return c->info->locals[slot].type;
  }
  Type *t = constant(c, n);
  if (t)
    return t;
  if (sema_find_func(c->g, n->name) || sema_lambda_find(c, n->name))
    diag_error(n->loc, "function '%s' can only be called in a function body, "
               "not used as a value", n->name);
  if (c->spec->fn->name && !strcmp(c->spec->fn->name, "lambda"))
    diag_error(n->loc, "'%s' is not a parameter of this lambda nor a variable of the "
               "function around it", n->name);
  if (sema_is_nested_def(c, c->spec->fn))
    diag_error(n->loc, "'%s' is not a parameter or local of the nested def '%s' nor a "
               "variable of the function around it", n->name, c->spec->fn->name);
  if (sema_is_global(c->sema, n->name))
    diag_error(n->loc, "global variable '%s' cannot be used in a function "
               "body; pass it as an argument", n->name);
  diag_error(n->loc, "name '%s' is not defined", n->name);
}

/* x.real, x.imag, x.numerator, x.denominator of an int, bool or float, as
 * Python has them (complex is not in the subset). */
static Type *number_attr(Checker *c, Node *n) {
  static const char *names[] = {"", "real", "imag", "numerator", "denominator"};
  int a = 0;
  for (int i = SEMA_A_REAL; i <= SEMA_A_DENOMINATOR; i++)
    if (!strcmp(n->name, names[i]))
      a = i;
  if (!a)
    return NULL;
  Type *lt = sema_expr(c, n->lhs);
  bool is_float = lt == ty_float;
  if (!sema_is_num(lt) || (is_float && a >= SEMA_A_NUMERATOR))
    diag_error(n->loc, "'%s' object has no attribute '%s'", sema_pyname(lt), n->name);
  sema_note(c, n)->method = a;
  return is_float ? ty_float : ty_int;
}

static Type *attr(Checker *c, Node *n) {
  Type *t = constant(c, n);
  if (t)
    return t;
  const char *q = sema_resolve(c, n);
  if (q)
    diag_error(n->loc, "'%s' is not supported in function bodies", q);
  if ((t = number_attr(c, n)))
    return t;
  if (n->lhs->kind == N_NAME && sema_local_find(c, n->lhs->name) >= 0) {
    Type *lt = sema_expr(c, n->lhs);
    diag_error(n->loc, "'%s' object has no attribute '%s' in function bodies",
               sema_pyname(lt), n->name);
  }
  diag_error(n->loc, "'%s' is not supported in function bodies", n->name);
}

/* `a + b + c + ...` is as deep as it is long: its left spine is typed in
 * a loop, bottom up, so a 100,000-term sum needs no deep recursion. */
static Type *binop_chain(Checker *c, Node *n) {
  int k = 0;
  for (Node *s = n; s->kind == N_BINOP; s = s->lhs)
    k++;
  Node **spine = ARENA_ARRAY(c->a, Node *, k);
  k = 0;
  for (Node *s = n; s->kind == N_BINOP; s = s->lhs)
    spine[k++] = s;
  Type *l = sema_expr(c, spine[k - 1]->lhs);
  for (int i = k - 1; i >= 0; i--) {
    Node *s = spine[i];
    l = sema_binop(c, s->op, l, sema_expr(c, s->rhs), s->loc);
    if (i)
      sema_set_type(c, s, l); /* n's own is set by sema_expr */
  }
  return l;
}

static Type *expr(Checker *c, Node *n) {
  switch (n->kind) {
  case N_INT: return ty_int;
  case N_FLOAT: return ty_float;
  case N_STR: return ty_str;
  case N_TRUE: case N_FALSE: return ty_bool;
  case N_NONE: return ty_none;
  case N_NAME: return name(c, n);
  case N_ATTR: return attr(c, n);
  case N_BINOP: return binop_chain(c, n);
  case N_UNARY: return unary(c, n);
  case N_BOOLOP: return boolop(c, n);
  case N_COMPARE: return compare(c, n);
  case N_IFEXP: return ifexp(c, n);
  case N_CALL: return sema_call(c, n);
  case N_SUBSCRIPT: return subscript(c, n);
  case N_LIST: return list_display(c, n);
  case N_TUPLE: return tuple_display(c, n);
  case N_FSTRING: return sema_fstring(c, n);
  case N_DICT: return sema_dict_display(c, n);     /* sema_dict.c */
  case N_DICTCOMP: return sema_dictcomp(c, n);
  case N_SET: return sema_set_display(c, n);
  case N_LISTCOMP: return sema_listcomp(c, n);
  case N_LAMBDA:
    diag_error(n->loc, "a lambda in a function body is assigned to a name "
               "and called, or given as key=");
  case N_STARRED:
    diag_error(n->loc, "'*' is not supported in function bodies");
  default:
    diag_error(n->loc, "this expression is not supported in function bodies");
  }
}

Type *sema_expr(Checker *c, Node *n) {
  return sema_set_type(c, n, expr(c, n));
}

void sema_cond(Checker *c, Node *n) {
  if (n->kind == N_BOOLOP) {
    NodeInfo *ni = sema_note(c, n);
    ni->cond = true;
    ni->type = ty_bool;
    sema_cond(c, n->lhs);
    sema_cond(c, n->rhs);
    return;
  }
  Type *t = sema_expr(c, n);
  if (t->kind == TY_ANY)
    diag_error(n->loc, "the truth value of %s is not supported in function "
               "bodies", ty_name(t));
}
