/* sema.c - types the task graph and keeps the specialisations.
 *
 * Tasks are typed in dependency order with an explicit work list (graphs can
 * have a million tasks, so no recursion over the graph). A call of a user
 * function gets the Spec for its argument types: one per distinct
 * (function, argument types), memoised in a hash table. Checking a Spec's
 * body may create further Specs (calls inside bodies); a call of a Spec
 * that is already being checked is recursive (sema_recur.c). */
#include <string.h>

#include "sema_impl.h"

Spec **sema_specs(const Sema *s, int *n) {
  *n = s->n;
  return s->list;
}

static uint64_t spec_hash(Func *fn, Type **params, int n) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)fn;
  for (int i = 0; i < n; i++)
    h = (h ^ (uint64_t)(uintptr_t)params[i]) * 1099511628211ull;
  return h ^ (h >> 29);
}

static bool spec_same(Spec *s, Func *fn, Type **params) {
  if (s->fn != fn)
    return false;
  for (int i = 0; i < fn->nparams; i++)
    if (s->params[i] != params[i])
      return false;
  return true;
}

static Spec **spec_slot(Sema *sema, Func *fn, Type **params) {
  uint64_t h = spec_hash(fn, params, fn->nparams);
  for (int i = (int)(h & (uint64_t)(sema->tcap - 1));;
       i = (i + 1) & (sema->tcap - 1))
    if (!sema->table[i] || spec_same(sema->table[i], fn, params))
      return &sema->table[i];
}

static void spec_insert(Sema *sema, Spec *s) {
  Arena *a = sema->g->arena;
  if (2 * (sema->n + 1) > sema->tcap) {
    Spec **old = sema->table;
    int oldcap = sema->tcap;
    sema->tcap = sema->tcap ? 2 * sema->tcap : 64;
    sema->table = ARENA_ARRAY(a, Spec *, sema->tcap);
    for (int i = 0; i < oldcap; i++)
      if (old[i])
        *spec_slot(sema, old[i]->fn, old[i]->params) = old[i];
  }
  *spec_slot(sema, s->fn, s->params) = s;
  if (sema->n == sema->cap) {
    int cap = sema->cap ? 2 * sema->cap : 16;
    sema->list = arena_realloc(a, sema->list,
                               sizeof(Spec *) * (size_t)sema->cap,
                               sizeof(Spec *) * (size_t)cap);
    sema->cap = cap;
  }
  sema->list[sema->n++] = s;
}

const char *sema_fn_name(Func *fn) { return fn->name ? fn->name : "?"; }

/* "inc.int", "add.int.float"; a later def with the same name gets ".2". */
static const char *spec_name(const Sema *sema, Func *fn, Type **params) {
  Arena *a = sema->g->arena;
  char *name = arena_strdup(a, sema_fn_name(fn));
  for (int i = 0; i < fn->nparams; i++)
    name = arena_printf(a, "%s.%s", name, ty_name(params[i]));
  const char *base = name;
  for (int k = 2;; k++) {
    bool clash = false;
    for (int i = 0; i < sema->n && !clash; i++)
      clash = !strcmp(sema->list[i]->name, name);
    if (!clash)
      return name;
    name = arena_printf(a, "%s.%d", base, k);
  }
}

/* A record accepts a dict whose values fit its keys' types: a record's
 * common keys, any key of a plain dict[str, T]. (A key the record has and
 * the value lacks is Python's KeyError when read.) */
static bool record_accepts(Type *param, Type *arg) {
  if (!ty_is_record(arg))
    for (int i = 0; i < param->nfields; i++)
      if (!sema_accepts(param->ftypes[i], arg->val))
        return false;
  for (int i = 0; i < param->nfields && ty_is_record(arg); i++) {
    Type *a = ty_field(arg, param->fnames[i]);
    if (a && !sema_accepts(param->ftypes[i], a))
      return false;
  }
  return sema_accepts(ty_str, arg->key);
}

bool sema_accepts(Type *param, Type *arg) {
  if (param == arg || param->kind == TY_ANY || arg->kind == TY_ANY)
    return true;
  if (param == ty_float)
    return arg == ty_int || arg == ty_bool;
  if (param == ty_int)
    return arg == ty_bool;
  if (param->kind == TY_LIST && arg->kind == TY_LIST)
    return sema_accepts(param->elem, arg->elem);
  if (ty_is_record(param) && arg->kind == TY_DICT)
    return record_accepts(param, arg);
  if (param->kind == TY_DICT && arg->kind == TY_DICT)
    return sema_accepts(param->key, arg->key) &&
           sema_accepts(param->val, arg->val);
  if (param->kind == TY_TUPLE && arg->kind == TY_TUPLE) {
    if (param->n != arg->n)
      return false;
    for (int i = 0; i < param->n; i++)
      if (!sema_accepts(param->elems[i], arg->elems[i]))
        return false;
    return true;
  }
  return false;
}

static const char *plural(int n, const char *one) {
  return n == 1 ? one : "s";
}

/* The parameter types of fn's Spec for these argument types, into params
 * (fn->nparams entries): annotations win (an int passed for a float
 * converts), the rest come from the call. */
static void spec_params(Func *fn, Type **args, int nargs, Loc loc,
                        Type **params) {
  if (nargs != fn->nparams)
    diag_error(loc, "%s() takes %d positional argument%s but %d %s given",
               sema_fn_name(fn), fn->nparams, plural(fn->nparams, ""),
               nargs, nargs == 1 ? "was" : "were");
  for (int i = 0; i < nargs; i++) {
    Type *want = fn->param_types ? fn->param_types[i] : NULL;
    Type *got = args[i] ? args[i] : ty_any;
    const char *pname = fn->param_names ? fn->param_names[i] : "?";
    if (want) {
      if (!sema_accepts(want, got))
        diag_error(loc, "argument '%s' of '%s' expects %s, got %s", pname,
                   sema_fn_name(fn), ty_name(want), ty_name(got));
      params[i] = want;
    } else if (fn->is_extern) {
      diag_error(fn->loc, "parameter '%s' of @extern function '%s' needs a "
                 "type annotation", pname, sema_fn_name(fn));
    } else {
      if (got->kind == TY_ANY)
        diag_error(loc, "cannot infer the type of argument '%s' of '%s' (its "
                   "values have mixed types); annotate the parameter",
                   pname, sema_fn_name(fn));
      params[i] = got;
    }
  }
}

/* A million calls of one function find its Spec: their parameter types
 * are worked out on the stack, and kept only by a new Spec. */
enum { SMALL_ARGS = 16 };

void sema_truncate(Sema *sema, int n) {
  if (n >= sema->n)
    return;
  sema->n = n;
  memset(sema->table, 0, sizeof(Spec *) * (size_t)sema->tcap);
  for (int i = 0; i < n; i++)
    *spec_slot(sema, sema->list[i]->fn, sema->list[i]->params) =
        sema->list[i];
}

/* Checks the body of new Spec s. A recursive call that needs s's return
 * type before any return gave it jumps back here (retry): the body is
 * then checked once for a guess (sema_recur.c), and again for real. */
static void check_spec(Sema *sema, Spec *s, Loc loc) {
  if (sema->nactive == (int)(sizeof sema->active / sizeof *sema->active))
    diag_error(loc, "function calls nested too deeply (more than %d)",
               sema->nactive);
  if (s->fn->ret_type)
    s->ret = s->fn->ret_type; /* recursive calls take the annotation */
  jmp_buf retry;
  const int depth = sema->nactive, nspecs = sema->n;
  Diag *const diag = diag_use(NULL);
  diag_use(diag);
  sema->active[sema->nactive++] = (Active){.spec = s, .retry = &retry};
  if (setjmp(retry)) {
    diag_use(diag);
    sema->nactive = depth + 1;
    sema_truncate(sema, nspecs);
    sema_recur_guess(sema, s);
  }
  sema_check_body(sema, s, false);
  sema->nactive = depth;
  sema_recur_verify(s);
}

Spec *sema_spec(Sema *sema, Func *fn, Type **args, int nargs, Loc loc) {
  Graph *g = sema->g;
  Type *small[SMALL_ARGS];
  Type **params = fn->nparams <= SMALL_ARGS
                      ? small
                      : ARENA_ARRAY(g->arena, Type *, fn->nparams);
  spec_params(fn, args, nargs, loc, params);
  if (sema->tcap) {
    Spec *s = *spec_slot(sema, fn, params);
    if (s) {
      if (sema->nactive)
        sema_recur_call(sema, s, loc);
      return s;
    }
  }
  Spec *s = ARENA_NEW(g->arena, Spec);
  s->fn = fn;
  s->params = ARENA_ARRAY(g->arena, Type *, fn->nparams + 1);
  if (fn->nparams)
    memcpy(s->params, params, sizeof *params * (size_t)fn->nparams);
  s->name = fn->is_extern ? sema_fn_name(fn)
                          : spec_name(sema, fn, params);
  spec_insert(sema, s);
  if (fn->is_extern) {
    if (!fn->ret_type)
      diag_error(fn->loc, "@extern function '%s' needs a return annotation",
                 sema_fn_name(fn));
    s->ret = fn->ret_type;
    return s;
  }
  check_spec(sema, s, loc);
  return s;
}

/* ---- per-node information of a body ---- */

static uint64_t ptr_hash(const void *p) {
  uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 31);
}

static int info_slot(const BodyInfo *bi, const Node *n) {
  int i = (int)(ptr_hash(n) & (uint64_t)(bi->cap - 1));
  while (bi->keys[i] && bi->keys[i] != n)
    i = (i + 1) & (bi->cap - 1);
  return i;
}

NodeInfo *sema_info(const Spec *s, const Node *n) {
  const BodyInfo *bi = s ? s->info : NULL;
  if (!bi || !bi->cap)
    return NULL;
  int i = info_slot(bi, n);
  return bi->keys[i] ? bi->vals[i] : NULL;
}

static void info_grow(Arena *a, BodyInfo *bi) {
  const Node **keys = bi->keys;
  NodeInfo **vals = bi->vals;
  int cap = bi->cap;
  bi->cap = cap ? 2 * cap : 64;
  bi->keys = ARENA_ARRAY(a, const Node *, bi->cap);
  bi->vals = ARENA_ARRAY(a, NodeInfo *, bi->cap);
  for (int i = 0; i < cap; i++)
    if (keys[i]) {
      int j = info_slot(bi, keys[i]);
      bi->keys[j] = keys[i];
      bi->vals[j] = vals[i];
    }
}

NodeInfo *sema_note(Checker *c, const Node *n) {
  BodyInfo *bi = c->info;
  if (2 * (bi->used + 1) > bi->cap)
    info_grow(c->a, bi);
  int i = info_slot(bi, n);
  if (!bi->keys[i]) {
    bi->keys[i] = n;
    bi->vals[i] = ARENA_NEW(c->a, NodeInfo);
    bi->vals[i]->slot = -1;
    bi->used++;
  }
  return bi->vals[i];
}

Type *sema_set_type(Checker *c, const Node *n, Type *t) {
  sema_note(c, n)->type = t;
  return t;
}

/* A type annotation: int, float, bool, str, None, list[T], tuple[A, B],
 * dict[K, V]. NULL if it is none of these. */
Type *sema_annotation(Arena *a, Node *n) {
  if (!n)
    return NULL;
  if (n->kind == N_NONE)
    return ty_none;
  if (n->kind == N_NAME) {
    static const struct { const char *name; Type **t; } names[] = {
      {"int", &ty_int}, {"float", &ty_float}, {"bool", &ty_bool},
      {"str", &ty_str}, {"None", &ty_none}, {"any", &ty_any},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (!strcmp(n->name, names[i].name))
        return *names[i].t;
    return NULL;
  }
  if (n->kind != N_SUBSCRIPT || n->lhs->kind != N_NAME)
    return NULL;
  const char *base = n->lhs->name;
  Node **items = &n->rhs;
  int nitems = 1;
  if (n->rhs->kind == N_TUPLE) {
    items = n->rhs->items;
    nitems = n->rhs->nitems;
  }
  if (!strcmp(base, "list") && nitems == 1) {
    Type *e = sema_annotation(a, items[0]);
    return e ? ty_list(e) : NULL;
  }
  if (!strcmp(base, "dict") && nitems == 2) {
    Type *k = sema_annotation(a, items[0]), *v = sema_annotation(a, items[1]);
    return k && v ? ty_dict(k, v) : NULL;
  }
  if (!strcmp(base, "tuple")) {
    Type **elems = ARENA_ARRAY(a, Type *, nitems);
    for (int i = 0; i < nitems; i++)
      if (!(elems[i] = sema_annotation(a, items[i])))
        return NULL;
    return ty_tuple(elems, nitems);
  }
  return NULL;
}

/* ---- the graph ---- */

static Type *arg_type(const Val *v) {
  Type *t = val_type(v);
  return t ? t : ty_any;
}

/* An op typed by its arguments' values: an array chunk op by its shape
 * and dtype arguments, bag.read_json by the type written in its last
 * (ir/typedesc.h). map_blocks specialises its def for the element type and keeps the Spec
 * (args[3] is the def's index in g->funcs), which the kernel calls per
 * element. */
static void type_by_arg_values(Sema *sema, Task *t) {
  Graph *g = sema->g;
  OpError err = {{0}};
  t->type = op_type_of_args(t->op, t->args, t->nargs, &err);
  if (!t->type)
    diag_error(t->loc, "%s", err.msg[0] ? err.msg : "invalid arguments");
  if (t->op->id != OP_array_map_blocks)
    return;
  Type *in = val_type(t->args[2]);
  int64_t fi = t->args[3]->kind == VAL_INT ? t->args[3]->i : -1;
  if (!in || in->kind != TY_ARRAY || fi < 0 || fi >= g->nfuncs)
    diag_error(t->loc, "internal error: malformed map_blocks task");
  Type *elem = in->elem;
  t->spec = sema_spec(sema, g->funcs[fi], &elem, 1, t->loc);
  Type *r = t->spec->ret;
  if (r != ty_float && r != ty_int && r != ty_bool)
    diag_error(t->loc, "the function given to map_blocks must return a "
               "number or a bool per element, not %s", ty_name(r));
}

static void type_task(Sema *sema, Task *t) {
  Graph *g = sema->g;
  switch (t->kind) {
  case TASK_DATA:
    t->type = t->nargs ? arg_type(t->args[0]) : ty_none;
    return;
  case TASK_FUSED:
    t->type = t->ninner ? t->inner[t->ninner - 1]->type : ty_any;
    return;
  case TASK_CALL:
    break;
  }
  Type *small[SMALL_ARGS];
  Type **types = t->nargs <= SMALL_ARGS
                     ? small
                     : ARENA_ARRAY(g->arena, Type *, t->nargs);
  for (int i = 0; i < t->nargs; i++)
    types[i] = arg_type(t->args[i]);
  if (t->fn) {
    for (int i = 0; i < t->nargs; i++)
      if (types[i]->kind == TY_ARRAY)
        diag_error(t->loc, "a dask array cannot be passed to function '%s': "
                   "arrays are not supported inside function bodies (apply "
                   "the function per element with da.map_blocks(%s, x))",
                   sema_fn_name(t->fn), sema_fn_name(t->fn));
    t->spec = sema_spec(sema, t->fn, types, t->nargs, t->loc);
    t->type = t->spec->ret;
    return;
  }
  if (!t->op) {
    t->type = ty_any;
    return;
  }
  OpError err = {{0}};
  if (t->op->rule == R_ARRAY || t->op->rule == R_DESC) {
    type_by_arg_values(sema, t);
    return;
  }
  t->type = op_result_type(t->op, types, t->nargs, &err);
  if (!t->type)
    diag_error(t->loc, "%s", err.msg[0] ? err.msg : "invalid arguments");
}

/* Bodies name modules the way the program imported them. A caller without
 * the module gets it parsed again from the source of the first def (cheap,
 * and the parse already succeeded once). */
static Node *find_module(Graph *g, Node *module) {
  if (module || !g->nfuncs || !g->funcs[0]->loc.file)
    return module;
  return parse_file(g->arena, g->funcs[0]->loc.file);
}

Sema *sema_graph(Graph *g, Node *module) {
  Sema *sema = ARENA_NEW(g->arena, Sema);
  sema->g = g;
  sema->module = find_module(g, module);
  graph_link(g);
  /* Kahn's algorithm: a task is typed once all its producers are. */
  int *left = ARENA_ARRAY(g->arena, int, g->ntasks + 1);
  Task **work = ARENA_ARRAY(g->arena, Task *, g->ntasks + 1);
  int nwork = 0;
  for (int i = 0; i < g->ntasks; i++) {
    Task *t = g->tasks[i];
    left[i] = t->ndeps;
    if (!t->ndeps)
      work[nwork++] = t;
  }
  while (nwork) {
    Task *t = work[--nwork];
    type_task(sema, t);
    for (int i = 0; i < t->nusers; i++)
      if (--left[t->users[i]->id] == 0)
        work[nwork++] = t->users[i];
  }
  for (int i = 0; i < g->ntasks; i++)
    if (!g->tasks[i]->type)
      g->tasks[i]->type = ty_any; /* on a cycle: the evaluator reports it */
  return sema;
}
