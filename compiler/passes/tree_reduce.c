/* tree_reduce.c - reductions over many inputs become trees of fan-in
 * split_every, so they run in parallel and in log depth.
 *
 *  1. sum/min/max/any/all over a literal list or tuple of more than
 *     split_every elements: sum([a..z]) becomes sum([sum([a..d]), ...]);
 *     the start argument of sum stays at the root. min/max with many
 *     positional arguments are treated the same way.
 *  2. left-deep chains of operator.add / operator.mul,
 *     add(add(add(a, b), c), d), whose intermediate results nobody else
 *     sees, are rebalanced into add(add(a, b), add(c, d)).
 *
 * Results must not change, and only some element types make that true
 * (docs/passes.md): sum/add/mul are regrouped only over int and bool
 * (float addition is not associative: Dask's delayed(sum) adds left to
 * right and we keep exactly its result); min/max only over int/bool or over
 * str (with floats a NaN makes the answer depend on the grouping); any/all
 * over anything. */
#include <stdlib.h>

#include "util.h"

/* ---- which element types keep the result exact ---- */

static bool intlike(const Type *t) {
  return t && (t->kind == TY_INT || t->kind == TY_BOOL);
}

static bool exact(const Op *op, Val **elems, int n) {
  if (op->id == OP_any || op->id == OP_all)
    return true;
  bool all_int = true, all_str = true;
  for (int i = 0; i < n; i++) {
    Type *t = val_type(elems[i]);
    all_int &= intlike(t);
    all_str &= t && t->kind == TY_STR;
  }
  if (op->id == OP_min || op->id == OP_max)
    return all_int || all_str;
  return all_int; /* sum, add, mul */
}

/* ---- new tasks ---- */

static Task *new_call(Graph *g, const Op *op, Val **args, int n, Loc loc) {
  Task *t = graph_add(g, TASK_CALL, NULL, op->label, loc);
  t->op = op;
  t->pure = true;
  t->nargs = n;
  t->args = ARENA_ARRAY(g->arena, Val *, n);
  for (int i = 0; i < n; i++)
    t->args[i] = args[i];
  t->type = op_type_of_args(op, t->args, n, NULL);
  return t;
}

/* ---- 1. reductions over a literal list ---- */

typedef struct Fold {
  Task *t;
  Val **elems;
  int n;
  bool as_args;  /* min(a, b, c, ...) rather than min([a, b, c, ...]) */
  ValKind seq;   /* VAL_LIST or VAL_TUPLE when !as_args */
} Fold;

static bool fold_of(Task *t, int k, Fold *f) {
  if (t->kind != TASK_CALL || !t->op || t->op->fold != LISTFOLD)
    return false;
  *f = (Fold){.t = t};
  Val *a0 = t->nargs ? t->args[0] : NULL;
  bool one_list = t->nargs == 1 || (t->op->id == OP_sum && t->nargs == 2);
  bool minmax = t->op->id == OP_min || t->op->id == OP_max;
  if (a0 && one_list && (a0->kind == VAL_LIST || a0->kind == VAL_TUPLE)) {
    f->elems = a0->seq.items;
    f->n = a0->seq.n;
    f->seq = a0->kind;
  } else if (minmax && t->nargs > 1) {
    f->elems = t->args;
    f->n = t->nargs;
    f->as_args = true;
  } else {
    return false;
  }
  return f->n > k && exact(t->op, f->elems, f->n);
}

/* One node of the tree over elems[0..n-1]: a task, or the element itself
 * when it is alone. */
static Val *fold_node(Graph *g, const Fold *f, Val **elems, int n) {
  if (n == 1)
    return elems[0];
  Task *t;
  if (f->as_args) {
    t = new_call(g, f->t->op, elems, n, f->t->loc);
  } else {
    Val *list = val_seq(g->arena, f->seq, elems, n);
    t = new_call(g, f->t->op, &list, 1, f->t->loc);
  }
  return val_ref(g->arena, t);
}

static void reduce_fold(Graph *g, const Fold *f, int k) {
  g->linked = false; /* f->t's args change below */
  int n = f->n;
  Val **level = ARENA_ARRAY(g->arena, Val *, n);
  for (int i = 0; i < n; i++)
    level[i] = f->elems[i];
  while (n > k) {
    int m = 0;
    for (int i = 0; i < n; i += k)
      level[m++] = fold_node(g, f, level + i, n - i < k ? n - i : k);
    n = m;
  }
  Task *t = f->t;
  if (f->as_args) {
    t->args = level;
    t->nargs = n;
    return;
  }
  Val **args = ARENA_ARRAY(g->arena, Val *, t->nargs);
  for (int i = 0; i < t->nargs; i++)
    args[i] = t->args[i];
  args[0] = val_seq(g->arena, f->seq, level, n);
  t->args = args;
}

/* ---- 2. left-deep chains of a binary op ---- */

static bool binop(const Task *t) {
  return t->kind == TASK_CALL && t->op && t->op->fold == BINFOLD &&
         t->nargs == 2 && t->pure;
}

static bool refers_to(const Val *v, const Task *t) {
  return v->kind == VAL_REF && v->ref == t;
}

/* x is an intermediate of a chain: its only user takes it as the left
 * operand of the same op, and nobody else (output, picture) looks at it. */
static bool link_of_chain(const Task *x, const bool *vis_root) {
  if (!binop(x) || x->nusers != 1 || x->nout > 0 || vis_root[x->id])
    return false;
  const Task *u = x->users[0];
  return binop(u) && u->op == x->op && refers_to(u->args[0], x) &&
         !refers_to(u->args[1], x);
}

/* The leaves of the chain ending at root, left to right; links are marked
 * for removal. Returns the number of leaves. */
static int chain_leaves(Task *root, const bool *vis_root, Val **leaves,
                        Task **links) {
  int m = 0, nl = 0;
  Task *cur = root;
  while (cur->args[0]->kind == VAL_REF &&
         link_of_chain(cur->args[0]->ref, vis_root)) {
    cur = cur->args[0]->ref;
    links[nl++] = cur;
  }
  leaves[m++] = cur->args[0];
  /* Walk back up: the right operands, bottom to top. */
  leaves[m++] = cur->args[1];
  for (int i = nl - 2; i >= 0; i--)
    leaves[m++] = links[i]->args[1];
  if (nl > 0)
    leaves[m++] = root->args[1];
  return m;
}

static void rebalance(Graph *g, Task *root, Val **level, int n) {
  while (n > 2) {
    int m = 0;
    for (int i = 0; i < n; i += 2)
      level[m++] = i + 1 < n ? val_ref(g->arena, new_call(g, root->op,
                                                          level + i, 2,
                                                          root->loc))
                             : level[i];
    n = m;
  }
  Val **args = ARENA_ARRAY(g->arena, Val *, 2);
  args[0] = level[0];
  args[1] = level[1];
  root->args = args;
}

/* Returns whether a chain was rebalanced. */
static bool reduce_chains(Graph *g, bool *keep) {
  int n = g->ntasks;
  bool *vis_root = pass_xmalloc((size_t)n + 1);
  pass_mark_vis_roots(g, vis_root);
  Val **leaves = pass_xmalloc(sizeof(Val *) * ((size_t)n + 2));
  Task **links = pass_xmalloc(sizeof(Task *) * ((size_t)n + 1));
  bool changed = false;
  for (int i = 0; i < n; i++) {
    Task *root = g->tasks[i];
    if (!binop(root) || link_of_chain(root, vis_root))
      continue;
    int nl = chain_leaves(root, vis_root, leaves, links);
    if (nl < 4 || !exact(root->op, leaves, nl))
      continue;
    for (int j = 0; j < nl - 2; j++)
      keep[links[j]->id] = false;
    Val **level = ARENA_ARRAY(g->arena, Val *, nl);
    for (int j = 0; j < nl; j++)
      level[j] = leaves[j];
    rebalance(g, root, level, nl);
    changed = true;
  }
  free(vis_root);
  free(leaves);
  free(links);
  return changed;
}

/* The graph is relinked only when something was rewritten: on a million
 * tasks with nothing to reduce a link would cost more than the search. */
void pass_tree_reduce(Graph *g, const PassOptions *o) {
  int k = o->split_every < 2 ? 2 : o->split_every;
  int n = g->ntasks;
  for (int i = 0; i < n; i++) {
    Fold f;
    if (fold_of(g->tasks[i], k, &f))
      reduce_fold(g, &f, k);
  }
  if (!g->linked)
    graph_link(g); /* the chains below look at users */
  bool *keep = pass_xmalloc((size_t)g->ntasks + 1);
  for (int i = 0; i < g->ntasks; i++)
    keep[i] = true;
  int before = g->ntasks;
  if (reduce_chains(g, keep)) {
    /* New tasks were appended after `before`: keep them. */
    bool *all = pass_xmalloc((size_t)g->ntasks + 1);
    for (int i = 0; i < g->ntasks; i++)
      all[i] = i < before ? keep[i] : true;
    graph_compact(g, all);
    free(all);
  }
  free(keep);
}
