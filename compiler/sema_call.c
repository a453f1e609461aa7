/* sema_call.c - calls in function bodies and the names they use.
 *
 * A call is a method (xs.append), a user def (specialised for the argument
 * types, so bodies are checked callee first), or a builtin of ir/ops.def
 * named the way the module imported it (`import math as m` -> m.sqrt is
 * math.sqrt; `from time import sleep` -> sleep is time.sleep). */
#include <string.h>

#include "sema_impl.h"
#include "sema_str.h"

/* ---- names the module imported, and its global variables ---- */

/* What `local` means at the top level: "math", "time.sleep", or NULL. */
static const char *imported(Checker *c, const char *local) {
  const Node *module = c->sema->module;
  Arena *a = c->a;
  if (!module) {
    static const char *dflt[] = {"math", "time", "random"};
    for (size_t i = 0; i < sizeof dflt / sizeof *dflt; i++)
      if (!strcmp(local, dflt[i]))
        return dflt[i];
    return NULL;
  }
  const char *found = NULL;
  for (int i = 0; i < module->nbody; i++) {
    Node *s = module->body[i];
    if (s->kind == N_IMPORT) {
      /* `import a.b` binds a; `import a.b as c` binds c to a.b */
      const char *bound = s->asname ? s->asname : s->name;
      size_t n = strcspn(bound, ".");
      if (!s->asname && strlen(local) == n && !strncmp(bound, local, n))
        found = arena_strndup(a, s->name, n);
      else if (s->asname && !strcmp(bound, local))
        found = s->name;
    } else if (s->kind == N_FROMIMPORT) {
      const char *bound = s->asname ? s->asname : s->name;
      if (!strcmp(bound, local))
        found = arena_printf(a, "%s.%s", s->str, s->name);
    }
  }
  return found;
}

bool sema_is_global(const Sema *sema, const char *name) {
  const Node *module = sema->module;
  if (!module)
    return false;
  for (int i = 0; i < module->nbody; i++) {
    Node *s = module->body[i];
    if (s->kind != N_ASSIGN && s->kind != N_ANNASSIGN &&
        s->kind != N_AUGASSIGN)
      continue;
    Node **t = s->kind == N_ASSIGN ? s->items : &s->lhs;
    int n = s->kind == N_ASSIGN ? s->nitems : 1;
    for (int j = 0; j < n; j++)
      if (t[j]->kind == N_NAME && !strcmp(t[j]->name, name))
        return true;
  }
  return false;
}

Func *sema_find_func(Graph *g, const char *name) {
  Func *found = NULL; /* the last def of a name wins, as in Python */
  for (int i = 0; i < g->nfuncs; i++)
    if (g->funcs[i]->name && !strcmp(g->funcs[i]->name, name))
      found = g->funcs[i];
  return found;
}

const char *sema_resolve(Checker *c, Node *n) {
  if (n->kind == N_NAME) {
    if (sema_local_find(c, n->name) >= 0 || sema_find_func(c->g, n->name))
      return NULL;
    const char *q = imported(c, n->name);
    if (q)
      return q;
    return op_lookup(n->name) ? n->name : NULL; /* len, print, ... */
  }
  if (n->kind == N_ATTR && (n->lhs->kind == N_NAME || n->lhs->kind == N_ATTR)) {
    const char *base = sema_resolve(c, n->lhs);
    if (base && !op_lookup(base))
      return arena_printf(c->a, "%s.%s", base, n->name);
  }
  return NULL;
}

/* ---- builtins ---- */

static _Noreturn void not_number(const char *fname, Node *arg, Type *t) {
  diag_error(arg->loc, "%s() argument must be a number, not '%s'", fname,
             sema_pyname(t));
}

static void want_num(const char *fname, Node *arg, Type *t) {
  if (!sema_is_num(t))
    not_number(fname, arg, t);
}

static Type *num_elem(const char *fname, Node *arg, Type *t) {
  if (t->kind != TY_LIST || !sema_is_num(t->elem))
    diag_error(arg->loc, "%s() of %s is not supported in function bodies "
               "(a list of numbers is)", fname, ty_name(t));
  return t->elem == ty_bool ? ty_int : t->elem;
}

static Type *minmax(const char *fname, Node *n, Type **ts) {
  if (n->nitems == 1)
    return num_elem(fname, n->items[0], ts[0]);
  Type *r = NULL;
  for (int i = 0; i < n->nitems; i++) {
    want_num(fname, n->items[i], ts[i]);
    Type *t = ts[i] == ty_bool ? ty_int : ts[i];
    if (r && r != t)
      diag_error(n->loc, "%s() of int and float values: its result must have "
                 "one type, convert with float()", fname);
    r = t;
  }
  return r;
}

/* What json.dumps cannot write, found from the type (Python's TypeError
 * texts); values of type any are checked when they are written. */
static void want_json(Node *arg, Type *t) {
  if (sema_is_set(t) || t->kind == TY_ARRAY)
    diag_error(arg->loc, "Object of type %s is not JSON serializable",
               t->kind == TY_ARRAY ? "ndarray" : "set");
  if (t->kind == TY_DICT && t->key->kind != TY_ANY &&
      t->key->kind > TY_STR) /* a tuple, a list, ... */
    diag_error(arg->loc, "keys must be str, int, float, bool or None, not %s",
               sema_pyname(t->key));
  if (t->kind == TY_LIST)
    want_json(arg, t->elem);
  if (t->kind == TY_DICT)
    want_json(arg, t->val);
  if (t->kind == TY_TUPLE)
    for (int i = 0; i < t->n; i++)
      want_json(arg, t->elems[i]);
}

static Type *builtin_type(Checker *c, Node *n, const Op *op, Type **ts) {
  const char *f = op->name;
  int na = n->nitems;
  switch (op->id) {
  case OP_abs:
    want_num(f, n->items[0], ts[0]);
    return ts[0] == ty_float ? ty_float : ty_int;
  case OP_min:
  case OP_max:
    return minmax(f, n, ts);
  case OP_sum: {
    Type *t = num_elem(f, n->items[0], ts[0]);
    if (na == 2) {
      want_num(f, n->items[1], ts[1]);
      if (ts[1] == ty_float)
        t = ty_float;
    }
    return t;
  }
  case OP_len:
    if (ts[0] != ty_str && ts[0]->kind != TY_LIST &&
        ts[0]->kind != TY_TUPLE && ts[0]->kind != TY_DICT)
      diag_error(n->items[0]->loc, "object of type '%s' has no len()",
                 sema_pyname(ts[0]));
    return ty_int;
  case OP_round:
    want_num(f, n->items[0], ts[0]);
    if (na == 1)
      return ty_int;
    if (ts[1] != ty_int && ts[1] != ty_bool)
      diag_error(n->items[1]->loc, "round() ndigits must be an integer");
    if (ts[0] != ty_float)
      diag_error(n->loc, "round() of an int with ndigits is not supported in "
                 "function bodies");
    return ty_float;
  case OP_int:
  case OP_float:
    if (sema_str_number(c, n, op->id == OP_int, ts[0])) /* int(s), float(s) */
      return op->id == OP_int ? ty_int : ty_float;
    if (!sema_is_num(ts[0]))
      diag_error(n->items[0]->loc, "%s() of %s is not supported in function "
                 "bodies (numbers only)", f, ty_name(ts[0]));
    return op->id == OP_int ? ty_int : ty_float;
  case OP_bool:
    sema_cond(c, n->items[0]);
    return ty_bool;
  case OP_str:
    if (sema_str_container(ts[0])) { /* str(xs) is format(xs): the repr */
      sema_note(c, n)->method = SEMA_M_STR + STR_FORMAT_BUILTIN;
      return ty_str;
    }
    if (!sema_is_num(ts[0]) && ts[0] != ty_str && ts[0] != ty_none)
      diag_error(n->items[0]->loc, "str() of %s is not supported in function "
                 "bodies", ty_name(ts[0]));
    return ty_str;
  case OP_hash:
    if (ts[0]->kind == TY_LIST || ts[0]->kind == TY_DICT)
      diag_error(n->items[0]->loc, "unhashable type: '%s'", sema_pyname(ts[0]));
    return ty_int;
  case OP_json_dumps:
    want_json(n->items[0], ts[0]);
    return ty_str;
  case OP_json_loads:
    if (ts[0] != ty_str)
      diag_error(n->items[0]->loc, "the JSON object must be str, bytes or "
                 "bytearray, not %s", sema_pyname(ts[0]));
    return ty_any; /* known at run time only */
  case OP_print:
    for (int i = 0; i < na; i++)
      sema_no_set(n->items[i], ts[i], "be printed");
    return ty_none;
  case OP_math_sqrt: case OP_math_exp: case OP_math_log: case OP_math_sin:
  case OP_math_cos: case OP_math_tan: case OP_math_fabs: case OP_math_pow:
  case OP_random_uniform: case OP_time_sleep:
    for (int i = 0; i < na; i++)
      want_num(f, n->items[i], ts[i]);
    return op->id == OP_time_sleep ? ty_none : ty_float;
  case OP_math_floor:
  case OP_math_ceil:
    want_num(f, n->items[0], ts[0]);
    return ty_int;
  case OP_math_isnan:
    want_num(f, n->items[0], ts[0]);
    return ty_bool;
  case OP_time_time:
  case OP_random_random:
    return ty_float;
  default:
    diag_error(n->loc, "%s() is not supported in function bodies", f);
  }
}

static Type *builtin_call(Checker *c, Node *n, const Op *op) {
  Type *seq = sema_seq_builtin(c, n, op); /* sema_seq.c */
  if (seq)
    return seq;
  if (n->nkws)
    diag_error(n->kws[0]->loc, "%s() takes no keyword arguments in function "
               "bodies", op->name);
  int na = n->nitems;
  if (na < op->min_args || (op->max_args >= 0 && na > op->max_args)) {
    if (op->min_args == op->max_args)
      diag_error(n->loc, "%s() takes %d argument%s (%d given)", op->name,
                 op->min_args, op->min_args == 1 ? "" : "s", na);
    diag_error(n->loc, "%s() takes %d to %d arguments (%d given)", op->name,
               op->min_args, op->max_args < 0 ? 99 : op->max_args, na);
  }
  Type **ts = ARENA_ARRAY(c->a, Type *, na + 1);
  for (int i = 0; i < na; i++) {
    if (n->items[i]->kind == N_STARRED)
      diag_error(n->items[i]->loc, "'*' arguments are not supported in "
                 "function bodies");
    if (op->id == OP_bool)
      continue; /* typed as a condition */
    ts[i] = sema_expr(c, n->items[i]);
    if (ts[i]->kind == TY_ANY && op->id != OP_json_dumps && sema_note(c, n->items[i])->op)
      diag_error(n->items[i]->loc, "this value's type is known only at run "
                 "time: a function body can return it or pass it to "
                 "json.dumps()");
    if (ts[i]->kind == TY_ANY && op->id != OP_json_dumps) /* dumps takes any */
      diag_error(n->items[i]->loc, "an empty list needs a type here; build "
                 "it in a variable first");
  }
  sema_note(c, n)->op = op;
  return builtin_type(c, n, op, ts);
}

/* ---- methods ---- */

static Type *method_call(Checker *c, Node *n, int slot) {
  Node *f = n->lhs;
  Type *t = sema_expr(c, f->lhs);
  if (t->kind == TY_DICT)
    return sema_dict_method(c, n, t); /* sema_dict.c */
  if (t->kind == TY_LIST && strcmp(f->name, "append"))
    return sema_list_method(c, n, t, slot); /* sema_seq.c */
  if (t->kind != TY_LIST || strcmp(f->name, "append"))
    diag_error(f->loc, "'%s' object has no attribute '%s' in function bodies"
               "%s", sema_pyname(t), f->name,
               t->kind == TY_LIST ? " (lists support append)" : "");
  if (n->nitems != 1 || n->nkws)
    diag_error(n->loc, "append() takes exactly one argument");
  Type *v = sema_expr(c, n->items[0]);
  Local *l = &c->info->locals[slot];
  if (l->pending && l->type == t && v->kind != TY_ANY && v != ty_none) {
    /* the first append decides what an empty list holds */
    l->type = t = ty_list(v);
    l->pending = false;
    l->line = n->loc.line;
    sema_set_type(c, f->lhs, t);
  }
  if (t->elem->kind == TY_ANY || !sema_accepts(t->elem, v))
    diag_error(n->items[0]->loc, "cannot append %s to %s '%s' (line %d)",
               ty_name(v), ty_name(t), l->name, l->line);
  sema_note(c, n)->method = SEMA_M_APPEND;
  return ty_none;
}

/* ---- user functions ---- */

/* The variables a nested def or lambda captures, as names read at the
 * call: their values now, as Python's closure cells give them. */
static void bind_captured(Checker *c, Node *n, Func *fn, Node **args) {
  for (int i = fn->nparams - fn->ncaptured; i < fn->nparams; i++) {
    const char *name = fn->param_names[i];
    int slot = sema_local_find(c, name);
    if (slot < 0 || !c->defined[slot])
      diag_error(n->loc, "'%s' reads the variable '%s' of the function around it, which "
                 "has no value at this call", sema_fn_name(fn), name);
    Node *x = ARENA_NEW(c->a, Node);
    x->kind = N_NAME;
    x->name = name;
    x->loc = n->loc;
    args[i] = x;
  }
}

static Node **bind_args(Checker *c, Node *n, Func *fn) {
  Node *def = fn->def;
  int np = fn->nparams - fn->ncaptured; /* the ones a call names */
  Node **args = ARENA_ARRAY(c->a, Node *, fn->nparams + 1);
  if (n->nitems > np)
    diag_error(n->loc, "%s() takes %d positional argument%s but %d were "
               "given", fn->name, np, np == 1 ? "" : "s", n->nitems);
  for (int i = 0; i < n->nitems; i++) {
    if (n->items[i]->kind == N_STARRED)
      diag_error(n->items[i]->loc, "'*' arguments are not supported in "
                 "function bodies");
    args[i] = n->items[i];
  }
  for (int k = 0; k < n->nkws; k++) {
    Node *kw = n->kws[k];
    int i = 0;
    while (kw->name && i < np && strcmp(fn->param_names[i], kw->name))
      i++;
    if (!kw->name || i == np)
      diag_error(kw->loc, "%s() got an unexpected keyword argument '%s'",
                 fn->name, kw->name ? kw->name : "**");
    if (args[i])
      diag_error(kw->loc, "%s() got multiple values for argument '%s'",
                 fn->name, kw->name);
    args[i] = kw->lhs;
  }
  for (int i = 0; i < np; i++)
    if (!args[i]) {
      if (!def || !def->params[i].deflt)
        diag_error(n->loc, "%s() missing 1 required positional argument: "
                   "'%s'", fn->name, fn->param_names[i]);
      args[i] = def->params[i].deflt;
    }
  bind_captured(c, n, fn, args);
  return args;
}

static Type *user_call(Checker *c, Node *n, Func *fn) {
  Node **args = bind_args(c, n, fn);
  Type **ts = ARENA_ARRAY(c->a, Type *, fn->nparams + 1);
  for (int i = 0; i < fn->nparams; i++)
    ts[i] = sema_expr(c, args[i]);
  NodeInfo *ni = sema_note(c, n);
  ni->args = args;
  ni->callee = sema_spec(c->sema, fn, ts, fn->nparams, n->loc);
  /* a recursive call of a Spec being checked: its guessed type */
  return ni->callee->ret ? ni->callee->ret : ni->callee->guess;
}

Type *sema_call(Checker *c, Node *n) {
  Node *f = n->lhs;
  Type *st = sema_str_call(c, n); /* str methods, repr(), format() */
  if (st)
    return st;
  if (f->kind == N_ATTR && f->lhs->kind == N_NAME) {
    int slot = sema_local_find(c, f->lhs->name);
    if (slot >= 0)
      return method_call(c, n, slot);
  }
  if (f->kind == N_ATTR && !sema_resolve(c, f)) {
    /* a method of a value: d.setdefault(k, []).append(x) */
    Node *root = f->lhs;
    while (root->kind == N_ATTR)
      root = root->lhs;
    if (root->kind != N_NAME || !imported(c, root->name)) {
      Type *t = sema_value_method(c, n); /* sema_seq.c; NULL: not one */
      if (t)
        return t;
    }
  }
  if (f->kind == N_NAME && sema_local_find(c, f->name) < 0 &&
      sema_lambda_find(c, f->name))
    return user_call(c, n, sema_lambda_find(c, f->name)); /* f = lambda */
  if (f->kind == N_NAME) {
    if (sema_local_find(c, f->name) >= 0)
      diag_error(f->loc, "'%s' object is not callable",
                 sema_pyname(sema_expr(c, f)));
    Func *fn = sema_find_func(c->g, f->name);
    if (fn)
      return user_call(c, n, fn);
    if (sema_iter_call(c, n)) /* list(zip(a, b)): the list it yields */
      return sema_iter_lowered(c, n); /* sema_comp.c */
    static const char *python_only[] = {"enumerate", "zip", "map", "filter",
                                        "isinstance", "type", "open",
                                        "input", "reversed", "dict", "set"};
    for (size_t i = 0; i < sizeof python_only / sizeof *python_only; i++)
      if (!strcmp(f->name, python_only[i]) && !imported(c, f->name))
        diag_error(f->loc, "%s() is not supported in function bodies",
                   f->name);
    if (!strcmp(f->name, "range"))
      diag_error(n->loc, "range() is supported in function bodies only as "
                 "'for i in range(...)'");
  }
  const char *q = sema_resolve(c, f);
  const Op *op = q ? op_lookup(q) : NULL;
  if (op)
    return builtin_call(c, n, op);
  if (q)
    diag_error(f->loc, "%s() is not supported in function bodies", q);
  if (f->kind == N_NAME) {
    if (sema_is_global(c->sema, f->name))
      diag_error(f->loc, "global variable '%s' cannot be used in a function "
                 "body", f->name);
    diag_error(f->loc, "name '%s' is not defined", f->name);
  }
  Node *root = f;
  while (root->kind == N_ATTR)
    root = root->lhs;
  if (root->kind == N_NAME && !sema_resolve(c, root))
    diag_error(root->loc, "name '%s' is not defined%s", root->name,
               imported(c, root->name) ? ""
                                          : " (import it at the top level)");
  diag_error(f->loc, "this call is not supported in function bodies");
}
