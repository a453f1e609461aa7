/* eval_dict.c - Dask's graph dict (docs/language.md §4) turned into tasks when
 * get(dsk, keys) is called, with Dask's semantics exactly:
 *
 *   - a tuple whose first element is callable is a task, the rest are its
 *     arguments; any other tuple is a literal (unless it is a key);
 *   - an argument equal to a key of the graph (hashable and `in dsk`, so
 *     with Python equality: 1 == 1.0 == True) is that key's value;
 *   - lists are evaluated element-wise; nested tasks run too (here they get
 *     their own generated keys);
 *   - a value that is a key is an alias; anything else is a literal.
 *
 * Every key of the dict becomes a task (cull drops what is not needed).
 * Cycles and missing output keys are located errors naming the keys. */
#include <stdio.h>
#include <string.h>

#include "eval_int.h"

enum { MAX_NEST = 200 };

typedef struct Build {
  VDict *d;
  unsigned version;
  Task **tasks;   /* one per dict entry */
  PtrVec made;    /* every task made, entries first then nested ones */
} Build;

static bool is_task(Value *v) {
  return v->kind == V_TUPLE && v->seq.n >= 1 && v_is_callable(v->seq.items[0]);
}

static bool valid_key(Value *k, int depth) {
  switch (k->kind) {
  case V_STR: case V_INT: case V_FLOAT: case V_BOOL:
    return true;
  case V_TUPLE:
    if (depth > MAX_NEST)
      return false;
    for (int i = 0; i < k->seq.n; i++)
      if (!valid_key(k->seq.items[i], depth + 1))
        return false;
    return true;
  default:
    return false;
  }
}

static const char *key_repr(Eval *e, Value *k) { return v_repr(e->a, k); }

static Val *convert(Eval *e, Build *b, Value *v, Loc loc, int depth);

/* A task tuple: the function, then arguments as Python would call it. */
static void fill_call(Eval *e, Build *b, Task *t, Value *v, Loc loc, int depth) {
  Value *f = v->seq.items[0];
  int pure = -1;
  while (f->kind == V_DFUNC) {
    if (pure < 0)
      pure = f->dfunc.pure;
    f = f->dfunc.target;
  }
  int n = v->seq.n - 1;
  t->kind = TASK_CALL;
  if (f->kind == V_BUILTIN) {
    const Op *op = op_lookup(f->bi.name);
    if (!op)
      diag_error(loc, "'%s' cannot be a task function (it has no run-time "
                 "implementation)", f->bi.name);
    if (n < op->min_args || (op->max_args >= 0 && n > op->max_args))
      diag_error(loc, "task %s calls %s with %d argument%s", t->name,
                 op->label, n, n == 1 ? "" : "s");
    t->op = op;
    t->pure = pure >= 0 ? pure : op->purity == PURE;
  } else if (f->kind == V_FUNC) {
    Func *fn = f->func->fn;
    if (n > fn->nparams)
      diag_error(loc, "%s() takes %d argument%s but task %s gives %d", fn->name,
                 fn->nparams, fn->nparams == 1 ? "" : "s", t->name, n);
    for (int i = n; i < fn->nparams; i++)
      if (!f->func->defaults[i])
        diag_error(loc, "%s() missing required argument '%s' in task %s",
                   fn->name, fn->param_names[i], t->name);
    t->fn = fn;
    if (pure >= 0)
      t->pure = pure;
    else
      eval_pending_pure(e, t, fn);
  } else {
    diag_error(loc, "'%s' cannot be a task function in a graph (use a def, a "
               "builtin or an operator function)", v_func_name(f));
  }
  int np = t->fn ? t->fn->nparams : n;
  t->args = ARENA_ARRAY(e->a, Val *, np + 1);
  t->nargs = np;
  for (int i = 0; i < n; i++)
    t->args[i] = convert(e, b, v->seq.items[i + 1], loc, depth + 1);
  for (int i = n; i < np; i++) /* Python fills the defaults */
    t->args[i] = eval_to_val(e, f->func->defaults[i], loc);
}

/* One argument (or a whole value) with Dask's rules. */
static Val *convert(Eval *e, Build *b, Value *v, Loc loc, int depth) {
  if (depth > MAX_NEST)
    diag_error(loc, "graph value nested too deeply");
  if (v->kind == V_LIST) {
    Val **items = ARENA_ARRAY(e->a, Val *, v->seq.n + 1);
    for (int i = 0; i < v->seq.n; i++)
      items[i] = convert(e, b, v->seq.items[i], loc, depth + 1);
    return val_seq(e->a, VAL_LIST, items, v->seq.n);
  }
  if (is_task(v)) {
    Value *f = v->seq.items[0];
    while (f->kind == V_DFUNC && f->dfunc.target)
      f = f->dfunc.target;
    const char *prefix = f->kind == V_BUILTIN && op_lookup(f->bi.name)
                             ? op_lookup(f->bi.name)->label
                             : v_func_name(f);
    Task *t = eval_new_task(e, TASK_CALL, NULL, prefix, loc);
    ptrvec_push(e->a, &b->made, t);
    fill_call(e, b, t, v, loc, depth);
    return val_ref(e->a, t);
  }
  if (v_hashable(v)) {
    int i = v_dict_find(b->d, v);
    if (i >= 0)
      return val_ref(e->a, b->tasks[i]);
  }
  return eval_to_val(e, v, loc);
}

/* ---- cycles: depth-first search with an explicit stack ---- */

typedef struct Edges {
  Task **to;
  int n, cap;
} Edges;

static void refs_of(Eval *e, Val *v, Edges *out, int depth) {
  if (depth > MAX_NEST + 2)
    return;
  if (v->kind == VAL_REF) {
    if (out->n == out->cap) {
      int cap = out->cap * 2 + 8;
      out->to = arena_realloc(e->a, out->to, sizeof(Task *) * (size_t)out->cap,
                              sizeof(Task *) * (size_t)cap);
      out->cap = cap;
    }
    out->to[out->n++] = v->ref;
  } else if (v->kind == VAL_LIST || v->kind == VAL_TUPLE || v->kind == VAL_DICT) {
    for (int i = 0; i < v->seq.n; i++)
      refs_of(e, v->seq.items[i], out, depth + 1);
  }
}

/* Index of t in b->made (stored in t->aux as index + 1 during the check). */
static int made_index(Task *t) { return (int)(intptr_t)t->aux - 1; }

enum { CYCLE_SHOWN = 5 }; /* keys named at each end of a long cycle */

/* "a -> b -> ... (N more) ... -> y -> z -> a": the names of keys[0..n-1]
 * then the first again, only both ends of a long cycle, built in one pass
 * (appending key by key was quadratic: 100k keys took 86 s and 8 GB). */
static char *cycle_text(Eval *e, Task **keys, int n) {
  bool cut = n > 3 * CYCLE_SHOWN;
  size_t len = 64;
  for (int i = 0; i < n; i++)
    if (!cut || i < CYCLE_SHOWN || i >= n - CYCLE_SHOWN)
      len += strlen(keys[i]->name) + 4;
  len += strlen(keys[0]->name);
  char *out = arena_alloc(e->a, len), *p = out;
  for (int i = 0; i < n; i++) {
    if (cut && i == CYCLE_SHOWN) {
      p += sprintf(p, "... (%d more) ... -> ", n - 2 * CYCLE_SHOWN);
      i = n - CYCLE_SHOWN;
    }
    p += sprintf(p, "%s -> ", keys[i]->name);
  }
  strcpy(p, keys[0]->name);
  return out;
}

static _Noreturn void report_cycle(Eval *e, Build *b, int *stack, int top, int at) {
  /* stack[at..top] is the cycle; name only the dict's keys in it */
  Task **keys = ARENA_ARRAY(e->a, Task *, top - at + 2);
  int n = 0;
  for (int i = at; i <= top; i++) {
    Task *t = b->made.items[stack[i]];
    if (made_index(t) < b->d->n) /* not a nested task of some entry */
      keys[n++] = t;
  }
  int entry = made_index(keys[0]);
  for (int i = 0; i < b->made.len; i++)
    ((Task *)b->made.items[i])->aux = NULL;
  diag_error(b->d->locs[entry], "cycle in the task graph: %s",
             cycle_text(e, keys, n));
}

static void check_cycles(Eval *e, Build *b) {
  int n = b->made.len;
  for (int i = 0; i < n; i++)
    ((Task *)b->made.items[i])->aux = (void *)(intptr_t)(i + 1);
  Edges *edges = ARENA_ARRAY(e->a, Edges, n + 1);
  for (int i = 0; i < n; i++) {
    Task *t = b->made.items[i];
    for (int k = 0; k < t->nargs; k++)
      refs_of(e, t->args[k], &edges[i], 0);
  }
  char *color = ARENA_ARRAY(e->a, char, n + 1); /* 0 new, 1 open, 2 done */
  int *stack = ARENA_ARRAY(e->a, int, n + 2);
  int *next = ARENA_ARRAY(e->a, int, n + 1);
  for (int root = 0; root < n; root++) {
    if (color[root])
      continue;
    int top = 0;
    stack[0] = root;
    color[root] = 1;
    next[root] = 0;
    while (top >= 0) {
      int u = stack[top];
      if (next[u] == edges[u].n) {
        color[u] = 2;
        top--;
        continue;
      }
      Task *w = edges[u].to[next[u]++];
      int wi = made_index(w);
      if (wi < 0 || wi >= n || b->made.items[wi] != w)
        continue; /* a task outside this graph (a delayed value) */
      if (color[wi] == 1) {
        int at = top;
        while (stack[at] != wi)
          at--;
        report_cycle(e, b, stack, top, at);
      }
      if (!color[wi]) {
        color[wi] = 1;
        next[wi] = 0;
        stack[++top] = wi;
      }
    }
  }
  for (int i = 0; i < n; i++)
    ((Task *)b->made.items[i])->aux = NULL;
}

static Build *build(Eval *e, Value *dsk) {
  VDict *d = dsk->dict;
  for (int i = 0; i < e->graph_cache.len; i++) {
    Build *b = e->graph_cache.items[i];
    if (b->d == d && b->version == d->version)
      return b; /* get() twice on the same graph: the same tasks */
  }
  Build *b = ARENA_NEW(e->a, Build);
  b->d = d;
  b->version = d->version;
  b->tasks = ARENA_ARRAY(e->a, Task *, d->n + 1);
  for (int i = 0; i < d->n; i++) {
    if (!valid_key(d->keys[i], 0))
      diag_error(d->locs[i], "graph key %s must be a str, int, float or a "
                 "tuple of those", v_repr(e->a, d->keys[i]));
    b->tasks[i] = eval_new_task(e, TASK_DATA, eval_to_val(e, d->keys[i], d->locs[i]),
                           NULL, d->locs[i]);
    ptrvec_push(e->a, &b->made, b->tasks[i]);
  }
  for (int i = 0; i < d->n; i++) {
    Task *t = b->tasks[i];
    Value *v = d->vals[i];
    if (is_task(v)) {
      fill_call(e, b, t, v, d->locs[i], 0);
    } else {
      t->kind = TASK_DATA;
      t->args = ARENA_ARRAY(e->a, Val *, 1);
      t->args[0] = convert(e, b, v, d->locs[i], 0);
      t->nargs = 1;
    }
  }
  check_cycles(e, b);
  ptrvec_push(e->a, &e->graph_cache, b);
  return b;
}

static const char *output_name(Eval *e, Value *k) {
  return k->kind == V_STR ? k->str.s : key_repr(e, k);
}

static Value *get_one(Eval *e, Build *b, Value *k, Loc loc, int depth) {
  if (depth > MAX_NEST)
    diag_error(loc, "keys nested too deeply");
  if (k->kind == V_LIST) {
    /* nested lists of keys give nested results: one list output */
    Value *out = eval_mk_list(e, NULL, 0);
    for (int i = 0; i < k->seq.n; i++) {
      Value *key = k->seq.items[i];
      if (key->kind == V_LIST)
        diag_error(loc, "nested lists of keys are not supported in get()");
      int at = v_hashable(key) ? v_dict_find(b->d, key) : -1;
      if (at < 0)
        diag_error(loc, "key %s is not in the graph", key_repr(e, key));
      v_list_push(e->a, out, v_task(e->a, V_DELAYED, b->tasks[at]));
    }
    return eval_mark_output(e, out, NULL, loc);
  }
  int at = v_hashable(k) ? v_dict_find(b->d, k) : -1;
  if (at < 0)
    diag_error(loc, "key %s is not in the graph", key_repr(e, k));
  eval_mark_named_output(e, b->tasks[at], output_name(e, k), loc);
  return v_task(e->a, V_COMPUTED, b->tasks[at]);
}

/* get(dsk, key) or get(dsk, [key, ...]), also dask.get, dask.threaded.get */
Value *bi_get(Eval *e, Args *a) {
  static const char *kws[] = {"num_workers", "cache", "callbacks", "pool",
                              "raise_exception", NULL};
  eval_args_check_kw(e, a, "get", kws);
  eval_args_count(e, a, "get", 2, 2);
  Value *dsk = a->pos[0], *keys = a->pos[1];
  if (dsk->kind != V_DICT)
    diag_error(a->pos_loc[0], "get() needs a graph dict, not '%s'",
               v_type_name(dsk));
  Build *b = build(e, dsk);
  if (keys->kind != V_LIST)
    return get_one(e, b, keys, a->pos_loc[1], 0);
  Value **out = ARENA_ARRAY(e->a, Value *, keys->seq.n + 1);
  for (int i = 0; i < keys->seq.n; i++)
    out[i] = get_one(e, b, keys->seq.items[i], a->pos_loc[1], 1);
  return eval_mk_tuple(e, out, keys->seq.n);
}
