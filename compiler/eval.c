/* eval.c - runs the top level of a program at compile time
 * (docs/language.md §2): scopes, statements, assignment, defs and imports.
 * Expressions are in eval_expr.c, calls in eval_call.c, the graph-building
 * values in eval_task.c and eval_dict.c, collections in eval_coll.c, purity
 * in purity.c. */
#include <string.h>

#include "eval_int.h"

/* ---- steps: a runaway loop is an error, not a hang ---- */

void eval_step(Eval *e, Loc loc, long n) {
  e->steps += n;
  if (e->steps > e->limit || n > e->limit)
    diag_error(e->loop_loc.file ? e->loop_loc : loc, "evaluation exceeded the step limit of %ld steps "
               "(an infinite loop? a bigger program can raise it with "
               "--step-limit=N)", e->limit);
}

/* ---- node cache and interned names ---- */

static uint64_t name_hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

NodeEntry *eval_node_entry_new(Eval *e, Node *n) {
  NodeCache *c = &e->cache;
  if ((c->n + 1) * 2 > c->cap) {
    NodeCache old = *c;
    c->cap = c->cap ? c->cap * 2 : 256;
    c->shift = 64 - __builtin_ctz((unsigned)c->cap);
    c->ents = ARENA_ARRAY(e->a, NodeEntry, c->cap);
    for (int i = 0; i < old.cap; i++)
      if (old.ents[i].node)
        *node_find(c, old.ents[i].node) = old.ents[i];
  }
  NodeEntry *en = node_find(c, n);
  if (!en->node) {
    en->node = n;
    c->n++;
  }
  return en;
}

const char *eval_intern(Eval *e, const char *name) {
  Names *t = &e->interned;
  if ((t->n + 1) * 2 > t->cap) {
    Names old = *t;
    t->cap = t->cap ? t->cap * 2 : 256;
    t->names = ARENA_ARRAY(e->a, const char *, t->cap);
    for (int i = 0; i < old.cap; i++)
      if (old.names[i]) {
        int j = (int)(name_hash(old.names[i]) & (uint64_t)(t->cap - 1));
        while (t->names[j])
          j = (j + 1) & (t->cap - 1);
        t->names[j] = old.names[i];
      }
  }
  int i = (int)(name_hash(name) & (uint64_t)(t->cap - 1));
  while (t->names[i] && strcmp(t->names[i], name))
    i = (i + 1) & (t->cap - 1);
  if (!t->names[i]) {
    t->names[i] = name;
    t->n++;
  }
  return t->names[i];
}

/* ---- scopes ---- */

/* Scopes are hash tables with linear probing over a power-of-two array,
 * keyed by interned names (so by pointer); names are never removed except
 * by `del`, which leaves a NULL value. */
static int scope_slot(Scope *s, const char *name) {
  int i = (int)(ptr_hash(name) & (unsigned)(s->cap - 1));
  while (s->names[i] && s->names[i] != name)
    i = (i + 1) & (s->cap - 1);
  return i;
}

Scope *eval_scope_new(Eval *e, Scope *parent) {
  Scope *s = ARENA_NEW(e->a, Scope);
  s->parent = parent;
  s->cap = 8;
  s->names = ARENA_ARRAY(e->a, const char *, s->cap);
  s->vals = ARENA_ARRAY(e->a, Value *, s->cap);
  return s;
}

static void scope_grow(Eval *e, Scope *s) {
  if (s == e->globals)
    e->globals_ver++; /* the slots cached in node entries move */
  Scope old = *s;
  s->cap *= 2;
  s->names = ARENA_ARRAY(e->a, const char *, s->cap);
  s->vals = ARENA_ARRAY(e->a, Value *, s->cap);
  for (int i = 0; i < old.cap; i++)
    if (old.names[i]) {
      int j = scope_slot(s, old.names[i]);
      s->names[j] = old.names[i];
      s->vals[j] = old.vals[i];
    }
}

/* The binding holds v (Value.refs); the value it replaces is released, so
 * a loop's `s = s * a + b` or `ds = []` reuses the memory of the last
 * iteration's value once nothing else holds it. `name` is interned. */
static void bind_interned(Eval *e, Scope *s, const char *name, Value *v) {
  if ((s->n + 1) * 2 > s->cap)
    scope_grow(e, s);
  int i = scope_slot(s, name);
  if (!s->names[i]) {
    s->names[i] = name;
    s->n++;
  }
  Value *old = s->vals[i];
  v_ref(v);
  s->vals[i] = v;
  v_release(e->a, old);
}

void eval_bind(Eval *e, Scope *s, const char *name, Value *v) {
  bind_interned(e, s, eval_intern(e, name), v);
}

static Value *scope_get(Scope *s, const char *name) {
  for (; s; s = s->parent) {
    int i = scope_slot(s, name);
    if (s->names[i] && s->vals[i])
      return s->vals[i];
  }
  return NULL;
}

Value *eval_scope_get(Eval *e, Scope *s, const char *name) {
  return scope_get(s, eval_intern(e, name));
}

static Value *lookup_interned(Eval *e, const char *name, Loc loc) {
  Value *v = scope_get(e->scope, name);
  if (!v)
    v = scope_get(e->builtins, name);
  if (!v)
    diag_error(loc, "name '%s' is not defined", name);
  return v;
}

Value *eval_lookup(Eval *e, const char *name, Loc loc) {
  return lookup_interned(e, eval_intern(e, name), loc);
}

/* At the top level a name node remembers its slot in the global scope
 * (valid while the scope keeps its arrays: globals_ver), so looking it up
 * or assigning it is one hash of the node's address. */
static int cached_slot(Eval *e, NodeEntry *en) {
  return e->scope == e->globals && en->ver == e->globals_ver ? en->slot : -1;
}

static void cache_slot(Eval *e, NodeEntry *en) {
  Scope *g = e->globals;
  if (e->scope != g)
    return;
  int k = scope_slot(g, en->val);
  if (g->names[k]) {
    en->slot = k;
    en->ver = e->globals_ver;
  }
}

static Value *lookup_slow(Eval *e, Node *n, NodeEntry *en) {
  if (!en->val)
    en->val = (void *)eval_intern(e, n->name);
  cache_slot(e, en);
  return lookup_interned(e, en->val, n->loc);
}

Value *eval_lookup_node(Eval *e, Node *n) {
  NodeEntry *en = eval_node_entry(e, n);
  int k = cached_slot(e, en);
  Value *v = k >= 0 ? e->globals->vals[k] : NULL;
  return v ? v : lookup_slow(e, n, en);
}

/* assignment to a name */
static void bind_node(Eval *e, Node *n, Value *v) {
  NodeEntry *en = eval_node_entry(e, n);
  int k = cached_slot(e, en);
  if (k >= 0) { /* bound before: replace */
    Scope *g = e->globals;
    Value *old = g->vals[k];
    v_ref(v);
    g->vals[k] = v;
    v_release(e->a, old);
    return;
  }
  if (!en->val)
    en->val = (void *)eval_intern(e, n->name);
  bind_interned(e, e->scope, en->val, v);
  cache_slot(e, en);
}

Value *eval_lookup_global(Eval *e, const char *name) {
  name = eval_intern(e, name);
  Value *v = scope_get(e->globals, name);
  return v ? v : scope_get(e->builtins, name);
}

/* ---- assignment ---- */

static void assign_unpack(Eval *e, Node *target, Value *v) {
  int n;
  Value **items = eval_iterate(e, v, target->loc, &n);
  int star = -1;
  for (int i = 0; i < target->nitems; i++)
    if (target->items[i]->kind == N_STARRED) {
      if (star >= 0)
        diag_error(target->items[i]->loc, "multiple starred expressions in "
                   "assignment");
      star = i;
    }
  int fixed = target->nitems - (star >= 0);
  if (star < 0 ? n != fixed : n < fixed)
    diag_error(target->loc, "cannot unpack %d values into %d targets", n,
               target->nitems);
  /* v holds the items while they are bound one by one: `lst, y = lst`
   * rebinds lst first, and that must not recycle the y still to come. */
  v_ref(v);
  int k = 0;
  for (int i = 0; i < target->nitems; i++) {
    if (i == star) {
      int m = n - fixed;
      eval_assign(e, target->items[i]->lhs, eval_mk_list(e, items + k, m));
      k += m;
    } else {
      eval_assign(e, target->items[i], items[k++]);
    }
  }
  v_release(e->a, v);
}

/* x[a:b] = ..., x[a:b] += ..., del x[a:b]: not in the language (a slice
 * is evaluated only inside a subscript that reads). */
static void no_slice_target(const Node *t) {
  if (t->rhs->kind == N_SLICE)
    diag_error(t->rhs->loc, "assigning to or deleting a slice (x[a:b]) is not "
               "supported; build a new list, e.g. x = x[:a] + [...] + x[b:]");
}

void eval_assign(Eval *e, Node *target, Value *v) {
  e->loc = target->loc;
  switch (target->kind) {
  case N_NAME:
    bind_node(e, target, v);
    return;
  case N_TUPLE:
  case N_LIST:
    assign_unpack(e, target, v);
    return;
  case N_SUBSCRIPT: {
    no_slice_target(target);
    Value *obj = eval_expr(e, target->lhs);
    Value *key = eval_expr(e, target->rhs);
    eval_set_item(e, obj, key, v, target->loc);
    if (obj->kind == V_LIST) /* a list index is only read; a dict key is kept */
      eval_spare_number(e, target->rhs, key);
    return;
  }
  case N_ATTR:
    diag_error(target->loc, "cannot set attribute '%s' at compile time",
               target->name);
  case N_STARRED:
    diag_error(target->loc, "starred assignment target must be in a list or "
               "tuple");
  default:
    diag_error(target->loc, "cannot assign to this expression");
  }
}

static void exec_augassign(Eval *e, Node *n) {
  Node *t = n->lhs;
  if (t->kind == N_NAME) {
    Value *old = eval_lookup_node(e, t);
    Value *rhs = eval_expr(e, n->rhs);
    /* lst += x extends the list in place: other names see it (aliasing). */
    if (old->kind == V_LIST && n->op == OP_ADD) {
      int m;
      Value **items = eval_iterate(e, rhs, n->rhs->loc, &m);
      for (int i = 0; i < m; i++)
        v_list_push(e->a, old, items[i]);
      return;
    }
    bind_node(e, t, eval_binop(e, n->op, old, rhs, n->loc));
  } else if (t->kind == N_SUBSCRIPT) {
    no_slice_target(t);
    Value *obj = eval_expr(e, t->lhs);
    Value *key = eval_expr(e, t->rhs);
    Value *old = eval_subscript(e, obj, key, t->loc);
    Value *rhs = eval_expr(e, n->rhs);
    eval_set_item(e, obj, key, eval_binop(e, n->op, old, rhs, n->loc), t->loc);
  } else {
    diag_error(t->loc, "cannot use augmented assignment on this expression");
  }
}

static void exec_del(Eval *e, Node *t) {
  if (t->kind == N_NAME) {
    eval_lookup(e, t->name, t->loc);
    eval_bind(e, e->scope, t->name, NULL);
  } else if (t->kind == N_TUPLE || t->kind == N_LIST) {
    for (int i = 0; i < t->nitems; i++)
      exec_del(e, t->items[i]);
  } else if (t->kind == N_SUBSCRIPT) {
    no_slice_target(t);
    Value *obj = eval_expr(e, t->lhs);
    Value *key = eval_expr(e, t->rhs);
    if (obj->kind == V_DICT) {
      if (!v_dict_remove(e->a, obj->dict, key))
        diag_error(t->rhs->loc, "key %s is not in the dict", v_repr(e->a, key));
    } else if (obj->kind == V_LIST && key->kind != V_TUPLE) {
      int64_t i = eval_need_int(e, key, t->rhs->loc, "list index");
      if (i < 0)
        i += obj->seq.n;
      if (i < 0 || i >= obj->seq.n)
        diag_error(t->rhs->loc, "list index out of range");
      v_list_remove_at(obj, (int)i);
    } else {
      diag_error(t->loc, "cannot delete items of a %s", v_type_name(obj));
    }
  } else {
    diag_error(t->loc, "cannot delete this expression");
  }
}

/* ---- loops ---- */

/* ---- loops: for and while share break/continue/else ---- */

/* Enter loop n; returns the enclosing loop's location for loop_leave. */
static Loc loop_enter(Eval *e, Node *n) {
  e->loops++;
  Loc outer = e->loop_loc;
  e->loop_loc = n->loc;
  return outer;
}

/* One pass of the body; true when it ended the loop (break, return). */
static bool loop_body(Eval *e, Node *n, int *ctl) {
  *ctl = 0;
  eval_exec_block(e, n->body, n->nbody, ctl);
  return *ctl == EVAL_CTL_BREAK || *ctl == EVAL_CTL_RETURN;
}

/* Leave the loop; its else runs unless a break or return ended it. A
 * return (in a def run at compile time) goes on to the enclosing block. */
static void loop_leave(Eval *e, Node *n, Loc outer, int ctl, int *out) {
  e->loops--;
  e->loop_loc = outer;
  if (ctl == EVAL_CTL_RETURN)
    *out = ctl;
  else if (ctl != EVAL_CTL_BREAK)
    eval_exec_block(e, n->orelse, n->norelse, out);
}

static void exec_for(Eval *e, Node *n, int *out) {
  Value *seq = eval_expr(e, n->rhs);
  /* Lists are iterated live, as Python does: appending inside the loop
   * makes it longer (and the step limit stops a list that never ends).
   * Tuples cannot change, so they need no copy either. */
  bool live = seq->kind == V_LIST || seq->kind == V_TUPLE;
  int64_t count = 0;
  Value **items = NULL;
  if (seq->kind == V_RANGE) {
    /* made one by one: no array of a million ints for range(1000000) */
    count = eval_range_len(seq);
    eval_step(e, n->rhs->loc, (long)count);
  } else if (!live) {
    int m;
    items = eval_iterate(e, seq, n->rhs->loc, &m);
    count = m;
  }
  /* The loop holds its sequence: the body may rebind the name it came
   * from, and a temporary one is released at the end. */
  v_ref(seq);
  Loc outer = loop_enter(e, n);
  int ctl = 0;
  for (int64_t i = 0; live ? i < seq->seq.n : i < count; i++) {
    eval_step(e, n->loc, 1);
    eval_assign(e, n->lhs, live                   ? seq->seq.items[i]
                      : seq->kind == V_RANGE ? eval_mk_int(e, seq->range.start +
                                                             i * seq->range.step)
                                             : items[i]);
    if (loop_body(e, n, &ctl))
      break;
  }
  loop_leave(e, n, outer, ctl, out);
  v_release(e->a, seq);
}

static void exec_while(Eval *e, Node *n, int *out) {
  Loc outer = loop_enter(e, n);
  int ctl = 0;
  while (eval_truthy(e, eval_expr(e, n->cond), n->cond->loc)) {
    eval_step(e, n->loc, 1);
    if (loop_body(e, n, &ctl))
      break;
  }
  loop_leave(e, n, outer, ctl, out);
}

/* ---- def ---- */

static Type *annot_type(Eval *e, Node *t);

static Type *annot_name(Eval *e, Node *t) {
  static const struct { const char *name; Type **ty; } names[] = {
      {"int", &ty_int}, {"float", &ty_float}, {"bool", &ty_bool},
      {"str", &ty_str}, {"None", &ty_none}};
  const char *nm = t->kind == N_NONE ? "None" : t->name;
  for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
    if (!strcmp(nm, names[i].name))
      return *names[i].ty;
  if (!strcmp(nm, "list"))
    return ty_list(ty_any);
  (void)e;
  diag_error(t->loc, "unsupported type annotation '%s' (use int, float, bool, "
             "str, list[T], tuple[...] or dict[K, V])", nm);
}

/* int, float, bool, str, None, list[T], tuple[T, ...], dict[K, V] */
static Type *annot_type(Eval *e, Node *t) {
  if (t->kind == N_NAME || t->kind == N_NONE)
    return annot_name(e, t);
  if (t->kind == N_SUBSCRIPT && t->lhs->kind == N_NAME) {
    const char *nm = t->lhs->name;
    Node *arg = t->rhs;
    int n = arg->kind == N_TUPLE ? arg->nitems : 1;
    Node **items = arg->kind == N_TUPLE ? arg->items : &arg;
    if (!strcmp(nm, "list") && n == 1)
      return ty_list(annot_type(e, items[0]));
    if (!strcmp(nm, "dict") && n == 2)
      return ty_dict(annot_type(e, items[0]), annot_type(e, items[1]));
    if (!strcmp(nm, "tuple")) {
      Type **elems = ARENA_ARRAY(e->a, Type *, n);
      for (int i = 0; i < n; i++)
        elems[i] = annot_type(e, items[i]);
      return ty_tuple(elems, n);
    }
  }
  diag_error(t->loc, "unsupported type annotation (use int, float, bool, str, "
             "list[T], tuple[...] or dict[K, V])");
}

static bool is_extern_decorator(Eval *e, Node *d) {
  if (d->kind != N_CALL || d->lhs->kind != N_NAME)
    return false;
  const char *name = eval_intern(e, d->lhs->name);
  Value *v = scope_get(e->scope, name);
  if (!v)
    v = scope_get(e->builtins, name);
  return v && v->kind == V_BUILTIN && !strcmp(v->bi.name, "extern");
}

/* @extern("file.c", pure=...): the body is C, so the signature must be
 * complete and the body `...`. */
static void apply_extern(Eval *e, Node *def, Node *d, Func *fn) {
  Args *a = ARENA_NEW(e->a, Args);
  if (d->nitems != 1 || d->items[0]->kind == N_STARRED)
    diag_error(d->loc, "extern() takes one argument: the C source, object or "
               "library, e.g. @extern(\"slow.c\")");
  Value *src = eval_expr(e, d->items[0]);
  if (src->kind != V_STR || !src->str.len)
    diag_error(d->items[0]->loc, "extern() needs a non-empty string naming "
               "a C source, object or library");
  fn->is_extern = true;
  fn->extern_src = src->str.s;
  (void)a;
  for (int i = 0; i < d->nkws; i++) {
    Node *k = d->kws[i];
    if (!k->name || strcmp(k->name, "pure"))
      diag_error(k->loc, "extern() accepts only the keyword 'pure'");
    Value *p = eval_expr(e, k->lhs);
    if (p->kind != V_BOOL)
      diag_error(k->lhs->loc, "pure= must be True or False");
    fn->pure = p->b;
    fn->pure_explicit = true;
  }
  if (!fn->pure_explicit)
    fn->pure = false;
  bool ellipsis = def->nbody == 1 && def->body[0]->kind == N_EXPR &&
                  def->body[0]->lhs->kind == N_ELLIPSIS;
  if (!ellipsis)
    diag_error(def->loc, "the body of @extern function '%s' must be '...' "
               "(its code is in C)", fn->name);
  for (int i = 0; i < def->nparams; i++)
    if (!def->params[i].annot)
      diag_error(def->params[i].loc, "parameter '%s' of @extern function "
                 "'%s' needs a type annotation", def->params[i].name, fn->name);
  if (!def->annot)
    diag_error(def->loc, "@extern function '%s' needs a return annotation "
               "(-> int, float, bool, str or None)", fn->name);
}

static FuncInfo *make_func(Eval *e, Node *def) {
  Func *fn = ARENA_NEW(e->a, Func);
  fn->name = def->name;
  fn->def = def;
  fn->loc = def->loc;
  fn->pure = true;
  fn->nparams = def->nparams;
  fn->param_names = ARENA_ARRAY(e->a, const char *, def->nparams + 1);
  fn->param_types = ARENA_ARRAY(e->a, Type *, def->nparams + 1);
  FuncInfo *fi = ARENA_NEW(e->a, FuncInfo);
  fi->fn = fn;
  fi->def = def;
  fi->defaults = ARENA_ARRAY(e->a, Value *, def->nparams + 1);
  for (int i = 0; i < def->nparams; i++) {
    Param *p = &def->params[i];
    if (p->star)
      diag_error(p->loc, "'%s%s' parameters are not supported in functions "
                 "(give every parameter a name)", p->star == 1 ? "*" : "**",
                 p->name);
    fn->param_names[i] = p->name;
    if (p->annot)
      fn->param_types[i] = annot_type(e, p->annot);
    if (p->deflt) {
      fi->defaults[i] = eval_expr(e, p->deflt);
      v_pin(fi->defaults[i]);
    }
  }
  if (def->annot)
    fn->ret_type = annot_type(e, def->annot);
  return fi;
}

static void register_func(Eval *e, FuncInfo *fi) {
  Graph *g = e->g;
  if (g->nfuncs == g->capfuncs) {
    int cap = g->capfuncs ? g->capfuncs * 2 : 16;
    g->funcs = arena_realloc(e->a, g->funcs, sizeof(Func *) * (size_t)g->capfuncs,
                             sizeof(Func *) * (size_t)cap);
    g->capfuncs = cap;
  }
  g->funcs[g->nfuncs++] = fi->fn;
  if (e->nfuncs == e->capfuncs) {
    int cap = e->capfuncs ? e->capfuncs * 2 : 16;
    e->funcs = arena_realloc(e->a, e->funcs, sizeof(FuncInfo *) * (size_t)e->capfuncs,
                             sizeof(FuncInfo *) * (size_t)cap);
    e->capfuncs = cap;
  }
  e->funcs[e->nfuncs++] = fi;
}

/* A def node the compiler made, registered as a task function of the
 * program. */
Value *eval_register_def(Eval *e, Node *def) {
  FuncInfo *fi = make_func(e, def);
  register_func(e, fi);
  Value *v = ARENA_NEW(e->a, Value);
  v->kind = V_FUNC;
  v->func = fi;
  return v;
}

/* A def the compiler writes, `def name(params): return expr`, registered
 * as a task function of the program. */
Value *eval_def_returning(Eval *e, const char *name, Param *params,
                          int nparams, Node *expr, Loc loc) {
  Node *ret = ARENA_NEW(e->a, Node);
  ret->kind = N_RETURN;
  ret->loc = expr->loc;
  ret->lhs = expr;
  Node *def = ARENA_NEW(e->a, Node);
  def->kind = N_DEF;
  def->loc = loc;
  def->name = name;
  def->params = params;
  def->nparams = nparams;
  def->body = ARENA_ARRAY(e->a, Node *, 1);
  def->body[0] = ret;
  def->nbody = 1;
  return eval_register_def(e, def);
}

/* delayed(lambda x: x + 1): the lambda becomes a def named "lambda" whose
 * body returns the lambda's expression, compiled like any task function
 * (docs/functions.md). One Func per lambda expression: its return node's
 * value is the lambda's body node, which identifies it. */
Value *eval_lambda_func(Eval *e, Value *lam) {
  Node *n = lam->lambda.node;
  for (int i = 0; i < e->nfuncs; i++) {
    Node *d = e->funcs[i]->def;
    if (d->nbody == 1 && d->body[0]->kind == N_RETURN &&
        d->body[0]->lhs == n->lhs) {
      Value *v = ARENA_NEW(e->a, Value);
      v->kind = V_FUNC;
      v->func = e->funcs[i];
      return v;
    }
  }
  return eval_def_returning(e, "lambda", n->params, n->nparams, n->lhs, n->loc);
}

static Node *name_node(Eval *e, const char *name, Loc loc) {
  Node *n = ARENA_NEW(e->a, Node);
  n->kind = N_NAME;
  n->loc = loc;
  n->name = name;
  return n;
}

/* Dask's DelayedAttr: d.real is a task of `def getattr(self): return
 * self.real` (keys getattr-N, as Dask's getattr-<token>); one def per
 * attribute. Bodies read only the attributes of numbers (sema_expr.c). */
Value *eval_attr_func(Eval *e, const char *name, Loc loc) {
  for (int i = 0; i < e->nfuncs; i++) {
    Node *d = e->funcs[i]->def;
    Node *r = d->nbody == 1 && d->body[0]->kind == N_RETURN ? d->body[0]->lhs : NULL;
    if (!strcmp(d->name, "getattr") && r && r->kind == N_ATTR && !strcmp(r->name, name)) {
      Value *v = ARENA_NEW(e->a, Value);
      v->kind = V_FUNC;
      v->func = e->funcs[i];
      return v;
    }
  }
  Param *ps = ARENA_ARRAY(e->a, Param, 1);
  ps[0] = (Param){.name = "self", .loc = loc};
  Node *x = ARENA_NEW(e->a, Node);
  x->kind = N_ATTR;
  x->loc = loc;
  x->name = name;
  x->lhs = name_node(e, "self", loc);
  return eval_def_returning(e, "getattr", ps, 1, x, loc);
}

/* Same method name, arity and keyword names: the def made before. */
static bool same_shape(Node *d, const char *name, int npos, const char **kws,
                       int nkw) {
  Node *call = d->body[0]->lhs;
  if (strcmp(call->lhs->name, name) || call->nitems != npos || call->nkws != nkw)
    return false;
  for (int i = 0; i < nkw; i++)
    if (strcmp(call->kws[i]->name, kws[i]))
      return false;
  return true;
}

Value *eval_method_func(Eval *e, const char *name, int npos, const char **kws,
                        int nkw, Loc loc) {
  for (int i = 0; i < e->method_funcs.len; i++) {
    Value *v = e->method_funcs.items[i];
    if (same_shape(v->func->def, name, npos, kws, nkw))
      return v;
  }
  int np = 1 + npos + nkw;
  Param *ps = ARENA_ARRAY(e->a, Param, np);
  Node *call = ARENA_NEW(e->a, Node);
  call->kind = N_CALL;
  call->loc = loc;
  call->lhs = ARENA_NEW(e->a, Node);
  call->lhs->kind = N_ATTR;
  call->lhs->loc = loc;
  call->lhs->name = name;
  call->lhs->lhs = name_node(e, "self", loc);
  call->items = ARENA_ARRAY(e->a, Node *, npos + 1);
  call->kws = ARENA_ARRAY(e->a, Node *, nkw + 1);
  ps[0] = (Param){.name = "self", .loc = loc};
  for (int i = 0; i < npos; i++) {
    const char *p = arena_printf(e->a, "a%d", i);
    ps[1 + i] = (Param){.name = p, .loc = loc};
    call->items[call->nitems++] = name_node(e, p, loc);
  }
  for (int i = 0; i < nkw; i++) {
    const char *p = arena_printf(e->a, "k_%s", kws[i]);
    ps[1 + npos + i] = (Param){.name = p, .loc = loc};
    Node *k = ARENA_NEW(e->a, Node);
    k->kind = N_KEYWORD;
    k->loc = loc;
    k->name = kws[i];
    k->lhs = name_node(e, p, loc);
    call->kws[call->nkws++] = k;
  }
  Value *v = eval_def_returning(e, name, ps, np, call, loc);
  v_pin(v);
  ptrvec_push(e->a, &e->method_funcs, v);
  return v;
}

static void exec_def(Eval *e, Node *n) {
  FuncInfo *fi = make_func(e, n);
  Func *fn = fi->fn;
  for (int i = 0; i < n->nitems; i++)
    if (is_extern_decorator(e, n->items[i]))
      apply_extern(e, n, n->items[i], fn);
  if (!fn->is_extern)
    for (int i = 0; i < n->nbody; i++)
      if (n->body[i]->kind == N_EXPR && n->body[i]->lhs->kind == N_ELLIPSIS &&
          n->nbody == 1)
        diag_error(n->loc, "function '%s' has no body; a def whose body is C "
                   "code needs @extern(\"file.c\")", fn->name);
  register_func(e, fi);
  Value *v = ARENA_NEW(e->a, Value);
  v->kind = V_FUNC;
  v->func = fi;
  /* Decorators apply bottom-up, as in Python. */
  for (int i = n->nitems - 1; i >= 0; i--) {
    Node *d = n->items[i];
    if (is_extern_decorator(e, d))
      continue;
    Value *dv = eval_expr(e, d);
    if (!(dv->kind == V_DFUNC ||
          (dv->kind == V_BUILTIN && !strcmp(dv->bi.name, "dask.delayed"))))
      diag_error(d->loc, "unsupported decorator (use @delayed, "
                 "@delayed(pure=...) or @extern(...))");
    Args *a = eval_args_new(e, d->loc, 1, &v);
    v = eval_call_value(e, dv, a);
  }
  /* @delayed(pure=...) declares the function's purity. */
  if (v->kind == V_DFUNC && v->dfunc.target && v->dfunc.target->kind == V_FUNC &&
      v->dfunc.target->func == fi && v->dfunc.pure >= 0) {
    fn->pure = v->dfunc.pure;
    fn->pure_explicit = true;
  }
  eval_bind(e, e->scope, n->name, v);
}

/* ---- imports (docs/language.md §2: exactly this list) ---- */

static const char *const import_modules[] = {
    "dask", "dask.array", "dask.dataframe", "dask.bag", "dask.threaded",
    "dask.multiprocessing", "dask.local", "dask.distributed", "distributed",
    "dask.diagnostics", "dask.config",
    "operator", "math", "time", "random", "json", "numpy", NULL};

static const char *supported_list =
    "dask, dask.array, dask.dataframe, dask.bag, dask.threaded, "
    "dask.distributed, distributed, dask.diagnostics, dask.config, operator, "
    "math, time, random, json, numpy "
    "(import only)";

static bool known_module(const char *m) {
  for (int i = 0; import_modules[i]; i++)
    if (!strcmp(import_modules[i], m))
      return true;
  return false;
}

static void exec_import(Eval *e, Node *n) {
  if (!known_module(n->name))
    diag_error(n->loc, "unsupported import '%s'; supported modules: %s",
               n->name, supported_list);
  if (n->asname) {
    eval_bind(e, e->scope, n->asname, v_module(e->a, n->name));
  } else {
    /* import dask.threaded binds `dask` */
    const char *dot = strchr(n->name, '.');
    const char *top = dot ? arena_strndup(e->a, n->name, (size_t)(dot - n->name))
                          : n->name;
    eval_bind(e, e->scope, top, v_module(e->a, top));
  }
}

/* The module of `from M import x`: the parser keeps it in `str`. */
static const char *from_module(Node *n) { return n->str; }

static void exec_fromimport(Eval *e, Node *n) {
  const char *m = from_module(n);
  if (!m || !known_module(m))
    diag_error(n->loc, "unsupported import from '%s'; supported modules: %s",
               m ? m : "?", supported_list);
  if (!strcmp(n->name, "*"))
    diag_error(n->loc, "'from %s import *' is not supported; import the names "
               "you use", m);
  Value *v = eval_module_attr(e, m, n->name, n->loc);
  if (!v)
    diag_error(n->loc, "cannot import '%s' from '%s' (not supported)", n->name, m);
  v_pin(v); /* a collection's function may hand out what it keeps */
  eval_bind(e, e->scope, n->asname ? n->asname : n->name, v);
}

/* ---- statements ---- */

static void exec_stmt(Eval *e, Node *n, int *ctl) {
  eval_step(e, n->loc, 1);
  e->loc = n->loc;
  switch (n->kind) {
  case N_EXPR:
    eval_expr(e, n->lhs);
    return;
  case N_ASSIGN: {
    Value *v = eval_expr(e, n->rhs);
    for (int i = 0; i < n->nitems; i++)
      eval_assign(e, n->items[i], v);
    return;
  }
  case N_AUGASSIGN:
    exec_augassign(e, n);
    return;
  case N_ANNASSIGN:
    if (n->rhs)
      eval_assign(e, n->lhs, eval_expr(e, n->rhs));
    return;
  case N_IF:
    if (eval_truthy(e, eval_expr(e, n->cond), n->cond->loc))
      eval_exec_block(e, n->body, n->nbody, ctl);
    else
      eval_exec_block(e, n->orelse, n->norelse, ctl);
    return;
  case N_FOR:
    exec_for(e, n, ctl);
    return;
  case N_WHILE:
    exec_while(e, n, ctl);
    return;
  case N_WITH:
    eval_with(e, n, ctl);
    return;
  case N_BREAK:
  case N_CONTINUE:
    if (!e->loops)
      diag_error(n->loc, "'%s' outside a loop",
                 n->kind == N_BREAK ? "break" : "continue");
    *ctl = n->kind == N_BREAK ? 1 : 2;
    return;
  case N_PASS:
  case N_GLOBAL:
    return;
  case N_RETURN:
    eval_return(e, n, ctl); /* eval_def.c */
    return;
  case N_DEF:
    exec_def(e, n);
    return;
  case N_IMPORT:
    exec_import(e, n);
    return;
  case N_FROMIMPORT:
    exec_fromimport(e, n);
    return;
  case N_ASSERT:
    if (!eval_truthy(e, eval_expr(e, n->cond), n->cond->loc)) {
      if (n->lhs)
        diag_error(n->loc, "assertion failed: %s",
                   v_str_of(e->a, eval_expr(e, n->lhs)));
      diag_error(n->loc, "assertion failed");
    }
    return;
  case N_DEL:
    for (int i = 0; i < n->nitems; i++)
      exec_del(e, n->items[i]);
    return;
  default:
    diag_error(n->loc, "this statement is not allowed at the top level");
  }
}

/* ctl: 0 normal, else EVAL_CTL_*; a block stops at any. */
void eval_exec_block(Eval *e, Node **body, int n, int *ctl) {
  for (int i = 0; i < n && !*ctl; i++)
    exec_stmt(e, body[i], ctl);
}

Graph *eval_program(Arena *a, Node *module, const EvalOptions *opt) {
  Eval *e = ARENA_NEW(a, Eval);
  e->a = a;
  e->g = graph_new(a);
  e->limit = opt && opt->step_limit > 0 ? opt->step_limit
                                        : EVAL_DEFAULT_STEP_LIMIT;
  e->builtins = eval_scope_new(e, NULL);
  eval_builtins_install(e, e->builtins);
  e->globals = eval_scope_new(e, NULL);
  e->globals_ver = 1; /* fresh node entries (ver 0) know no slot */
  e->scope = e->globals;
  e->loc = module->loc;
  int ctl = 0;
  eval_exec_block(e, module->body, module->nbody, &ctl);
  purity_infer(e);
  return e->g;
}
