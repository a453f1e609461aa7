/* eval_task.c - the graph-valued part of the evaluator: delayed(...),
 * calling task functions, operators on delayed values, outputs (compute,
 * persist, result, gather), visualize, and futures (Client.submit/map).
 * Every call of a task function makes a fresh task: merging identical pure
 * calls is the CSE pass's job, so --no-cse can show them all. */
#include <string.h>

#include "eval_int.h"
#include "collections/coll_picture.h"
#include "dot.h"

enum { MAX_NEST = 200 };

/* The key graph_add would make, "prefix-N" with the graph's counter for
 * generated keys, but without printf: in a million-task loop formatting
 * it was a tenth of the evaluator's time. NULL for a very long prefix
 * (graph_add then makes it). */
static Val *auto_key(Eval *e, const char *prefix) {
  char buf[96];
  size_t n = strlen(prefix);
  if (n > sizeof buf - 16)
    return NULL;
  memcpy(buf, prefix, n);
  buf[n++] = '-';
  char digits[12];
  int d = 0;
  for (unsigned k = (unsigned)++e->g->next_key; k || !d; k /= 10)
    digits[d++] = (char)('0' + k % 10);
  while (d)
    buf[n++] = digits[--d];
  return val_str(e->a, buf, (int)n);
}

Task *eval_new_task(Eval *e, TaskKind kind, Val *key, const char *prefix, Loc loc) {
  if (!key)
    key = auto_key(e, prefix ? prefix : "task");
  Task *t = graph_add(e->g, kind, key, prefix, loc);
  t->pure = true;
  return t;
}

void eval_pending_pure(Eval *e, Task *t, Func *fn) {
  if (e->npending == e->cappending) {
    int cap = e->cappending ? e->cappending * 2 : 64;
    e->pending = arena_realloc(e->a, e->pending,
                               sizeof(PendingPure) * (size_t)e->cappending,
                               sizeof(PendingPure) * (size_t)cap);
    e->cappending = cap;
  }
  e->pending[e->npending++] = (PendingPure){t, fn};
}

static Val *to_val_rec(Eval *e, Value *v, Loc loc, int depth) {
  if (depth > MAX_NEST)
    diag_error(loc, "value nested too deeply to be a task argument (a list "
               "that contains itself?)");
  Arena *a = e->a;
  switch (v->kind) {
  case V_NONE: return val_none(a);
  case V_BOOL: return val_bool(a, v->b);
  case V_INT:
    /* the run time keeps ints below INT64_MIN + 2^47 for its big ints
     * (TR_BIG_LIMIT, runtime/taskrt.h): such a value goes as one */
    if (v->i < INT64_MIN + ((int64_t)1 << 47)) {
      char t[24];
      int n = snprintf(t, sizeof t, "%lld", (long long)v->i);
      return val_big(a, t, n);
    }
    return val_int(a, v->i);
  case V_FLOAT: return val_float(a, v->f);
  case V_BIG: return val_big(a, v->str.s, v->str.len);
  case V_STR: return val_str(a, v->str.s, v->str.len);
  case V_LIST: case V_TUPLE: {
    Val **items = ARENA_ARRAY(a, Val *, v->seq.n + 1);
    for (int i = 0; i < v->seq.n; i++)
      items[i] = to_val_rec(e, v->seq.items[i], loc, depth + 1);
    return val_seq(a, v->kind == V_LIST ? VAL_LIST : VAL_TUPLE, items, v->seq.n);
  }
  case V_DICT: {
    int n = v->dict->n;
    Val **items = ARENA_ARRAY(a, Val *, 2 * n + 1);
    for (int i = 0; i < n; i++) {
      items[2 * i] = to_val_rec(e, v->dict->keys[i], loc, depth + 1);
      items[2 * i + 1] = to_val_rec(e, v->dict->vals[i], loc, depth + 1);
    }
    return val_seq(a, VAL_DICT, items, 2 * n);
  }
  case V_RANGE: {
    int n;
    Value **items = eval_iterate(e, v, loc, &n);
    Val **vals = ARENA_ARRAY(a, Val *, n + 1);
    for (int i = 0; i < n; i++)
      vals[i] = val_int(a, items[i]->i);
    return val_seq(a, VAL_LIST, vals, n);
  }
  case V_DELAYED: case V_COMPUTED:
    return val_ref(a, v->task);
  case V_COLL:
    if (v->coll->ops->task)
      return val_ref(a, v->coll->ops->task(e, v, loc));
    break;
  case V_FUNC: case V_BUILTIN: case V_LAMBDA: case V_METHOD: case V_DFUNC:
    diag_error(loc, "a function ('%s') cannot be passed as a task argument",
               v_func_name(v));
  default:
    break;
  }
  diag_error(loc, "a %s cannot be passed as a task argument", v_type_name(v));
}

Val *eval_to_val(Eval *e, Value *v, Loc loc) { return to_val_rec(e, v, loc, 0); }

/* A data task: the value itself (with references to other tasks inside). */
static Task *data_task(Eval *e, Value *v, Val *key, Loc loc) {
  Task *t = eval_new_task(e, TASK_DATA, key, v_type_name(v), loc);
  t->args = ARENA_ARRAY(e->a, Val *, 1);
  t->args[0] = eval_to_val(e, v, loc);
  t->nargs = 1;
  return t;
}

/* ---- task functions ---- */

static Val **convert_args(Eval *e, Value **vals, Loc *locs, int n, Loc loc) {
  /* dense: the task's own array, next to its Task and Vals */
  Val **out = arena_alloc_dense(e->a, sizeof(Val *) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++)
    out[i] = eval_to_val(e, vals[i], locs ? locs[i] : loc);
  return out;
}

/* dask_key_name= names the task, as in Dask. */
static Val *take_key_name(Eval *e, Args *a) {
  int at;
  Value *k = eval_arg_kw(a, "dask_key_name", &at);
  if (!k)
    return NULL;
  if (k->kind != V_STR)
    diag_error(a->kw_loc[at], "dask_key_name must be a str");
  for (int i = at; i + 1 < a->nkw; i++) {
    a->kw_names[i] = a->kw_names[i + 1];
    a->kw[i] = a->kw[i + 1];
    a->kw_loc[i] = a->kw_loc[i + 1];
  }
  a->nkw--;
  return val_str(e->a, k->str.s, k->str.len);
}

static const Op *task_op(Eval *e, Value *f, Loc loc) {
  (void)e;
  const Op *op = op_lookup(f->bi.name);
  if (!op)
    diag_error(loc, "'%s' cannot be a task function (it has no run-time "
               "implementation)", f->bi.name);
  return op;
}

Value *eval_call_delayed(Eval *e, Value *f, int pure, Args *a) {
  while (f->kind == V_DFUNC) {
    if (pure < 0)
      pure = f->dfunc.pure;
    f = f->dfunc.target;
  }
  Val *key = take_key_name(e, a);
  Task *t;
  if (f->kind == V_FUNC) {
    Func *fn = f->func->fn;
    Node *def = f->func->def;
    Value **bound = eval_bind_params(e, fn->name, def->params, def->nparams,
                                f->func->defaults, a);
    /* bind_params' buffer is shared: converting an argument (a
     * collection) may make tasks of its own */
    Value *local[16];
    Value **vals = def->nparams <= 16
                       ? local
                       : ARENA_ARRAY(e->a, Value *, def->nparams);
    memcpy(vals, bound, sizeof *vals * (size_t)def->nparams);
    t = eval_new_task(e, TASK_CALL, key, fn->name, a->loc);
    t->fn = fn;
    t->args = convert_args(e, vals, NULL, def->nparams, a->loc);
    t->nargs = def->nparams;
    if (pure >= 0)
      t->pure = pure;
    else
      eval_pending_pure(e, t, fn);
  } else if (f->kind == V_BUILTIN) {
    const Op *op = task_op(e, f, a->loc);
    eval_args_no_kw(e, a, op->label);
    eval_args_count(e, a, op->label, op->min_args, op->max_args);
    t = eval_new_task(e, TASK_CALL, key, op->label, a->loc);
    t->op = op;
    t->args = convert_args(e, a->pos, a->pos_loc, a->npos, a->loc);
    t->nargs = a->npos;
    t->pure = pure >= 0 ? pure : op->purity == PURE;
  } else if (f->kind == V_LAMBDA) {
    return eval_call_delayed(e, eval_lambda_func(e, f), pure, a);
  } else {
    diag_error(a->loc, "'%s' cannot be a task function", v_func_name(f));
  }
  return v_task(e->a, V_DELAYED, t);
}

Task *eval_op_task(Eval *e, const char *opname, Val *key, Value **xs, int n, Loc loc) {
  const Op *op = op_lookup(opname);
  if (!op)
    diag_error(loc, "no run-time operation '%s'", opname);
  Task *t = eval_new_task(e, TASK_CALL, key, op->label, loc);
  t->op = op;
  t->args = convert_args(e, xs, NULL, n, loc);
  t->nargs = n;
  t->pure = op->purity == PURE;
  return t;
}

static Value *op_task(Eval *e, const char *opname, Value **xs, int n, Loc loc) {
  return v_task(e->a, V_DELAYED, eval_op_task(e, opname, NULL, xs, n, loc));
}

Task *eval_fn_task(Eval *e, Value *fn, Val *key, Value **xs, int n, Loc loc) {
  Task *t = eval_new_task(e, TASK_CALL, key, fn->func->fn->name, loc);
  t->fn = fn->func->fn;
  t->args = convert_args(e, xs, NULL, n, loc);
  t->nargs = n;
  eval_pending_pure(e, t, t->fn);
  return t;
}

Value *eval_delayed_binop(Eval *e, const char *opname, Value *x, Value *y, Loc loc) {
  Value *xs[2] = {x, y};
  return op_task(e, opname, xs, 2, loc);
}

Value *eval_delayed_unop(Eval *e, const char *opname, Value *x, Loc loc) {
  return op_task(e, opname, &x, 1, loc);
}

/* delayed(f, pure=...), delayed(pure=...), delayed(value) */
Value *bi_delayed(Eval *e, Args *a) {
  static const char *kws[] = {"pure", "name", "traverse", NULL};
  eval_args_check_kw(e, a, "delayed", kws);
  eval_args_count(e, a, "delayed", 0, 1);
  int at;
  Value *p = eval_arg_kw(a, "pure", &at);
  int pure = -1;
  if (p) {
    if (p->kind != V_BOOL && p->kind != V_NONE)
      diag_error(a->kw_loc[at], "pure= must be True or False");
    pure = p->kind == V_BOOL ? p->b : -1;
  }
  Value *name = eval_arg_kw(a, "name", &at);
  if (name && name->kind != V_STR)
    diag_error(a->kw_loc[at], "name= must be a str");
  Value *d = ARENA_NEW(e->a, Value);
  d->kind = V_DFUNC;
  d->dfunc.pure = pure;
  if (!a->npos)
    return d; /* @delayed(pure=True): waits for its function */
  Value *x = a->pos[0];
  Loc xl = a->pos_loc[0];
  switch (x->kind) {
  case V_DFUNC:
    if (pure < 0)
      d->dfunc.pure = x->dfunc.pure;
    d->dfunc.target = x->dfunc.target;
    return d;
  case V_BUILTIN:
    task_op(e, x, xl);
    /* fallthrough */
  case V_FUNC:
    if (name)
      diag_error(a->loc, "delayed(f, name=...) is not supported; use "
                 "dask_key_name= in the call");
    d->dfunc.target = x;
    return d;
  case V_LAMBDA:
    if (name)
      diag_error(a->loc, "delayed(f, name=...) is not supported; use "
                 "dask_key_name= in the call");
    d->dfunc.target = eval_lambda_func(e, x); /* eval.c */
    return d;
  case V_METHOD:
    diag_error(xl, "a method cannot be a task function; use a def");
  case V_MODULE: case V_CLIENT:
    diag_error(xl, "delayed() of a %s is not supported", v_type_name(x));
  case V_DELAYED:
    return x;
  default: {
    Val *key = name ? val_str(e->a, name->str.s, name->str.len) : NULL;
    return v_task(e->a, V_DELAYED, data_task(e, x, key, a->loc));
  }
  }
}

/* ---- outputs ---- */

static Task *value_task(Eval *e, Value *v, Loc loc) {
  if (v->kind == V_DELAYED || v->kind == V_COMPUTED)
    return v->task;
  if (v->kind == V_COLL && v->coll->ops->task)
    return v->coll->ops->task(e, v, loc);
  return data_task(e, v, NULL, loc);
}

/* Marks t as an output. The name is the variable when the expression was a
 * plain name, else out0, out1, ... Every marking is an output, in program
 * order, even when the name repeats (as a notebook shows each result). */
static void add_output(Eval *e, Task *t, const char *name, Loc loc) {
  if (!name)
    name = arena_printf(e->a, "out%d", e->unnamed++);
  graph_add_output(e->g, name, t, loc);
}

Value *eval_mark_output(Eval *e, Value *v, Node *expr, Loc loc) {
  Task *t = value_task(e, v, loc);
  eval_note_compute(e);
  add_output(e, t, expr && expr->kind == N_NAME ? expr->name : NULL, loc);
  return v_task(e->a, V_COMPUTED, t);
}

void eval_mark_named_output(Eval *e, Task *t, const char *name, Loc loc) {
  add_output(e, t, name, loc);
}

static const char *compute_kws[] = {"scheduler", "optimize_graph", "num_workers",
                                    "traverse", "get", "sync", NULL};

static Value *outputs_of(Eval *e, Args *a, const char *fname, bool persist) {
  eval_args_check_kw(e, a, fname, compute_kws);
  Value **out = ARENA_ARRAY(e->a, Value *, a->npos + 1);
  for (int i = 0; i < a->npos; i++) {
    Value *r = eval_mark_output(e, a->pos[i], a->pos_node[i], a->pos_loc[i]);
    out[i] = persist ? a->pos[i] : r;
  }
  return eval_mk_tuple(e, out, a->npos);
}

Value *bi_compute(Eval *e, Args *a) { return outputs_of(e, a, "compute", false); }

Value *bi_persist(Eval *e, Args *a) {
  Value *t = outputs_of(e, a, "persist", true);
  return t->seq.n == 1 ? t->seq.items[0] : t;
}

/* ---- visualize ---- */

/* What visualize(...) draws: Dask's layers of the values that have them
 * (pics; whole stays true while every graph-valued argument has them, so
 * that the picture can be Dask's rather than the executed graph), else
 * the tasks of the delayed values and collections (roots: asked for only
 * then, as a bag's chain becomes tasks for them). */
typedef struct VisRoots {
  PtrVec roots, pics;
  bool whole;
  bool optimize;
  bool want_roots; /* the second pass */
} VisRoots;

static void collect_roots(Eval *e, Value *v, VisRoots *r, int depth) {
  if (depth > MAX_NEST)
    return;
  if ((v->kind == V_DELAYED || v->kind == V_COMPUTED) && r->want_roots) {
    ptrvec_push(e->a, &r->roots, v->task);
  } else if (v->kind == V_DELAYED || v->kind == V_COMPUTED) {
    PicLayer *l = r->whole ? pic_drawable(pic_of_task(e, v->task), r->optimize) : NULL;
    if (l)
      ptrvec_push(e->a, &r->pics, l);
    else
      r->whole = false;
  } else if (v->kind == V_COLL && r->want_roots) {
    Task **ts;
    int n = v->coll->ops->roots ? v->coll->ops->roots(e, v, &ts) : 0;
    for (int i = 0; i < n; i++)
      ptrvec_push(e->a, &r->roots, ts[i]);
  } else if (v->kind == V_COLL) {
    const CollOps *ops = v->coll->ops;
    PicLayer *l = r->whole && ops->picture ? ops->picture(e, v, r->optimize) : NULL;
    if (l)
      ptrvec_push(e->a, &r->pics, l);
    else
      r->whole = false;
  } else if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; i < v->seq.n; i++)
      collect_roots(e, v->seq.items[i], r, depth + 1);
  } else if (v->kind == V_DICT) {
    for (int i = 0; i < v->dict->n; i++)
      collect_roots(e, v->dict->vals[i], r, depth + 1);
  }
}

static const char *kw_str(Eval *e, Args *a, const char *name, const char *dflt) {
  int at;
  Value *v = eval_arg_kw(a, name, &at);
  if (!v || v->kind == V_NONE)
    return dflt;
  if (v->kind != V_STR)
    diag_error(a->kw_loc[at], "%s= must be a str", name);
  (void)e;
  return v->str.s;
}

/* A format we cannot draw is an error at the call, before anything runs:
 * format= itself, and the file's extension, which picks the format. */
static void check_format(Args *a, const char *fmt, const char *file) {
  int at;
  if (eval_arg_kw(a, "format", &at) && !dot_format_supported(fmt))
    diag_error(a->kw_loc[at], "unsupported format '%s' (use svg, png, pdf or "
               "dot)", fmt);
  const char *slash = strrchr(file, '/');
  const char *ext = strrchr(slash ? slash : file, '.');
  if (!dot_format_supported(ext + 1))
    diag_error(a->loc, "cannot draw '%s': unsupported format '%s' (use svg, "
               "png, pdf or dot)", file, ext + 1);
}

static Value *make_vis(Eval *e, Value **objs, int n, Args *a) {
  static const char *kws[] = {"filename", "format", "rankdir", "optimize_graph",
                              "color", "verbose", "engine", NULL};
  eval_args_check_kw(e, a, "visualize", kws);
  VisRequest r = {.loc = a->loc};
  const char *fmt = kw_str(e, a, "format", "png");
  const char *file = kw_str(e, a, "filename", "mydask");
  const char *slash = strrchr(file, '/');
  if (!strchr(slash ? slash : file, '.'))
    file = arena_printf(e->a, "%s.%s", file, fmt);
  r.filename = file;
  check_format(a, fmt, file);
  r.rankdir = kw_str(e, a, "rankdir", "TB");
  if (strcmp(r.rankdir, "TB") && strcmp(r.rankdir, "LR") &&
      strcmp(r.rankdir, "BT") && strcmp(r.rankdir, "RL"))
    diag_error(a->loc, "rankdir must be 'TB', 'LR', 'BT' or 'RL', not '%s'",
               r.rankdir);
  const char *color = kw_str(e, a, "color", NULL);
  if (color && strcmp(color, "order"))
    diag_error(a->loc, "color= supports only 'order', not '%s'", color);
  r.color_order = color != NULL;
  Value *opt = eval_arg_kw(a, "optimize_graph", NULL);
  r.optimize = opt && eval_truthy(e, opt, a->loc);
  VisRoots vr = {.whole = true, .optimize = r.optimize};
  for (int i = 0; i < n; i++)
    collect_roots(e, objs[i], &vr, 0);
  if (vr.whole && vr.pics.len) {
    r.picture = pic_graph(e, (PicLayer **)vr.pics.items, vr.pics.len, r.optimize);
  } else {
    vr.want_roots = true;
    for (int i = 0; i < n; i++)
      collect_roots(e, objs[i], &vr, 0);
    r.roots = (Task **)vr.roots.items;
    r.nroots = vr.roots.len;
  }
  Graph *g = e->g;
  if (g->nvis == g->capvis) {
    int cap = g->capvis ? g->capvis * 2 : 4;
    g->vis = arena_realloc(e->a, g->vis, sizeof(VisRequest) * (size_t)g->capvis,
                           sizeof(VisRequest) * (size_t)cap);
    g->capvis = cap;
  }
  g->vis[g->nvis++] = r;
  return v_none();
}

Value *bi_visualize(Eval *e, Args *a) { return make_vis(e, a->pos, a->npos, a); }

Value *eval_visualize(Eval *e, Value *self, Args *a) {
  Value **objs = ARENA_ARRAY(e->a, Value *, a->npos + 1);
  objs[0] = self;
  for (int i = 0; i < a->npos; i++)
    objs[i + 1] = a->pos[i];
  return make_vis(e, objs, a->npos + 1, a);
}

/* ---- methods of delayed values and futures ---- */

static Node *self_expr(Args *a) {
  return a->call && a->call->lhs->kind == N_ATTR ? a->call->lhs->lhs : NULL;
}

/* x.compute(): Dask's compute(x) with the method's keywords (a
 * collection's; builder.h). persist, as compute, marks an output. */
Value *eval_compute(Eval *e, Value *self, Args *a, bool persist) {
  eval_args_check_kw(e, a, "compute", compute_kws);
  Value *r = eval_mark_output(e, self, self_expr(a), a->loc);
  return persist ? self : r;
}

Value *eval_delayed_method(Eval *e, Value *d, const char *name, Args *a) {
  if (!strcmp(name, "compute") || !strcmp(name, "result") ||
      !strcmp(name, "persist")) {
    eval_args_count(e, a, name, 0, 0);
    static const char *kws[] = {"scheduler", "optimize_graph", "num_workers",
                                "traverse", "timeout", "get", NULL};
    eval_args_check_kw(e, a, name, kws);
    Value *r = eval_mark_output(e, d, self_expr(a), a->loc);
    return name[0] == 'p' ? d : r;
  }
  if (!strcmp(name, "visualize")) {
    eval_args_count(e, a, name, 0, 0);
    return make_vis(e, &d, 1, a);
  }
  /* Dask's DelayedAttr: d.name(...) is a task calling the method on d's
   * value at run time, compiled as a task function (eval_method_func). */
  Value *f = eval_method_func(e, name, a->npos, a->kw_names, a->nkw, a->loc);
  int n = 1 + a->npos + a->nkw;
  Value **pos = ARENA_ARRAY(e->a, Value *, n);
  pos[0] = d;
  for (int i = 0; i < a->npos; i++) /* (a->pos may be NULL when empty) */
    pos[1 + i] = a->pos[i];
  for (int i = 0; i < a->nkw; i++)
    pos[1 + a->npos + i] = a->kw[i];
  Args *b = eval_args_new(e, a->loc, n, pos);
  for (int i = 0; i < a->npos; i++)
    b->pos_loc[1 + i] = a->pos_loc[i];
  for (int i = 0; i < a->nkw; i++)
    b->pos_loc[1 + a->npos + i] = a->kw_loc[i];
  return eval_call_delayed(e, f, 0, b);
}

Value *eval_delayed_attr(Eval *e, Value *d, const char *name, Loc loc) {
  static const char *methods[] = {"compute", "persist", "visualize", "result",
                                  NULL};
  for (int i = 0; methods[i]; i++)
    if (!strcmp(name, methods[i])) {
      v_pin(d); /* the method value holds it, uncounted */
      Value *m = ARENA_NEW(e->a, Value);
      m->kind = V_METHOD;
      m->method.self = d;
      m->method.name = methods[i];
      return m;
    }
  if (!strcmp(name, "key") && d->task->key && d->task->key->kind == VAL_STR)
    return v_str(e->a, d->task->key->str.s, d->task->key->str.len);
  static const char *number_attrs[] = {"real", "imag", "numerator", "denominator", NULL};
  for (int i = 0; number_attrs[i]; i++)
    if (!strcmp(name, number_attrs[i])) { /* Dask's DelayedAttr: a task */
      Args *b = eval_args_new(e, loc, 1, &d);
      return eval_call_delayed(e, eval_attr_func(e, name, loc), 0, b);
    }
  diag_error(loc, "attribute '%s' of a delayed value is a taskc limit: a task reads "
             "only real, imag, numerator and denominator (of numbers); call a "
             "method, or read it in a task", name);
}

Value *bi_client(Eval *e, Args *a) {
  (void)a; /* addresses, set_as_default=, n_workers=: nothing to do */
  Value *c = ARENA_NEW(e->a, Value);
  c->kind = V_CLIENT;
  return c;
}

Value *bi_as_completed(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "as_completed");
  eval_args_count(e, a, "as_completed", 1, 1);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  return eval_mk_list(e, items, n);
}


/* Scheduling hints of submit/map that do not change what is computed. */
static bool is_sched_kw(const char *k) {
  static const char *kws[] = {"workers", "resources", "retries", "priority",
                              "allow_other_workers", "fifo_timeout", "actor",
                              "actors", "batch_size", NULL};
  for (int i = 0; kws[i]; i++)
    if (!strcmp(kws[i], k))
      return true;
  return false;
}

/* The arguments of submit/map after the function: pure= and scheduling
 * hints taken out, key= becomes the task's key (submit only). */
static Args *call_args(Eval *e, Args *a, int from, int *pure, Value **key) {
  Args *c = ARENA_NEW(e->a, Args);
  *c = *a;
  c->call = NULL;
  c->pos = a->pos + from;
  c->pos_loc = a->pos_loc + from;
  c->pos_node = a->pos_node + from;
  c->npos = a->npos - from;
  c->nkw = 0;
  c->kw_names = ARENA_ARRAY(e->a, const char *, a->nkw + 1);
  c->kw = ARENA_ARRAY(e->a, Value *, a->nkw + 1);
  c->kw_loc = ARENA_ARRAY(e->a, Loc, a->nkw + 1);
  *pure = 1; /* Dask's default for submit and map */
  for (int i = 0; i < a->nkw; i++) {
    const char *k = a->kw_names[i];
    if (!strcmp(k, "pure")) {
      if (a->kw[i]->kind != V_BOOL)
        diag_error(a->kw_loc[i], "pure= must be True or False");
      *pure = a->kw[i]->b;
    } else if (!strcmp(k, "key") && key) {
      *key = a->kw[i];
    } else if (!is_sched_kw(k)) {
      c->kw_names[c->nkw] = k;
      c->kw[c->nkw] = a->kw[i];
      c->kw_loc[c->nkw++] = a->kw_loc[i];
    }
  }
  return c;
}

static Value *submit(Eval *e, Args *a) {
  eval_args_count(e, a, "submit", 1, -1);
  int pure;
  Value *key = NULL;
  Args *c = call_args(e, a, 1, &pure, &key);
  if (key) {
    if (key->kind != V_STR)
      diag_error(a->loc, "key= must be a str");
    c->kw_names[c->nkw] = "dask_key_name";
    c->kw[c->nkw] = key;
    c->kw_loc[c->nkw++] = a->loc;
  }
  return eval_call_delayed(e, a->pos[0], pure, c);
}

static Value *client_map(Eval *e, Args *a) {
  eval_args_count(e, a, "map", 2, -1);
  int pure;
  Args *c = call_args(e, a, 1, &pure, NULL);
  int k = c->npos, n = 1 << 30;
  Value ***cols = ARENA_ARRAY(e->a, Value **, k + 1);
  for (int j = 0; j < k; j++) {
    int m;
    cols[j] = eval_iterate(e, c->pos[j], c->pos_loc[j], &m);
    n = m < n ? m : n;
  }
  Value *out = eval_mk_list(e, NULL, 0);
  for (int i = 0; i < n; i++) {
    Args *one = ARENA_NEW(e->a, Args);
    *one = *c;
    one->pos = ARENA_ARRAY(e->a, Value *, k + 1);
    for (int j = 0; j < k; j++)
      one->pos[j] = cols[j][i];
    v_list_push(e->a, out, eval_call_delayed(e, a->pos[0], pure, one));
  }
  return out;
}

Value *eval_client_method(Eval *e, Value *c, const char *name, Args *a) {
  (void)c;
  if (!strcmp(name, "submit"))
    return submit(e, a);
  if (!strcmp(name, "map"))
    return client_map(e, a);
  if (!strcmp(name, "gather")) {
    eval_args_count(e, a, "gather", 1, 1);
    return eval_mark_output(e, a->pos[0], a->pos_node[0], a->loc);
  }
  if (!strcmp(name, "compute") || !strcmp(name, "persist")) {
    eval_args_count(e, a, name, 1, 1);
    return a->pos[0];
  }
  if (!strcmp(name, "scatter")) {
    eval_args_count(e, a, "scatter", 1, 1);
    return v_task(e->a, V_DELAYED, value_task(e, a->pos[0], a->loc));
  }
  if (!strcmp(name, "close") || !strcmp(name, "shutdown"))
    return v_none();
  diag_error(a->loc, "Client has no method '%s' (supported: submit, map, "
             "gather, compute, scatter)", name);
}
