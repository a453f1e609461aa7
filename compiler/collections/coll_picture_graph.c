/* coll_picture_graph.c - the graph of a picture, expanded from Dask's
 * layers (pic_graph, coll_picture.h), optimised as Dask's dataframe
 * optimisation does when asked. */
#include <string.h>

#include "coll_picture_int.h"

/* ---- the picture graph ---- */

/* The layers roots need, dependencies first (an explicit stack: a long
 * pipeline is deep). */
static void collect(Eval *e, PicLayer **roots, int nroots, PtrVec *out) {
  Arena *a = eval_arena(e);
  int visit = ++pic_state(e)->visits * 2; /* visit: expanded; visit + 1: done */
  PtrVec stack = {0};
  for (int i = nroots - 1; i >= 0; i--)
    ptrvec_push(a, &stack, roots[i]);
  while (stack.len) {
    PicLayer *l = stack.items[stack.len - 1];
    if (l->mark == visit + 1) {
      stack.len--;
    } else if (l->mark != visit) { /* first time on top: its deps first */
      l->mark = visit;
      if (l->also && l->also->mark < visit)
        ptrvec_push(a, &stack, l->also);
      for (int i = l->ndeps - 1; i >= 0; i--)
        if (l->deps[i].layer->mark < visit)
          ptrvec_push(a, &stack, l->deps[i].layer);
    } else { /* on top again: its deps are done */
      l->mark = visit + 1;
      l->group = out->len;
      ptrvec_push(a, out, l);
      stack.len--;
    }
  }
}

/* Dask's optimize_blockwise, as it works out on these layers: a
 * blockwise layer joins the group of the layer that uses it when every
 * layer that uses it is in that group (and it is not a root). Groups are
 * by index into the topological order; a group is named by its last
 * layer. Repeated until nothing changes (a diamond of blockwise layers
 * fuses whole). */
static void fuse_groups(PtrVec *order, PicLayer **roots, int nroots) {
  int n = order->len;
  PicLayer **L = (PicLayer **)order->items;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int i = n - 1; i >= 0; i--) {
      PicLayer *d = L[i];
      if (!d->blockwise || d->group != i)
        continue;
      bool is_root = false;
      for (int r = 0; r < nroots; r++)
        is_root |= roots[r] == d;
      int g = -1;
      bool ok = !is_root;
      for (int j = i + 1; ok && j < n; j++)
        for (int k = 0; k < L[j]->ndeps; k++)
          if (L[j]->deps[k].layer == d) {
            int gj = L[j]->group;
            ok &= L[j]->blockwise && (g < 0 || g == gj);
            g = gj;
          }
      if (ok && g >= 0) {
        for (int j = 0; j <= i; j++) /* d and what was fused into it */
          if (L[j]->group == i)
            L[j]->group = g;
        changed = true;
      }
    }
  }
}

static Val *layer_key(Arena *a, const PicLayer *l, int i) {
  Val *k[2] = {val_str(a, l->name, (int)strlen(l->name)), val_int(a, i)};
  return val_seq(a, VAL_TUPLE, k, 2);
}

/* dep's tasks task i of a layer needs, as refs appended to refs. */
static void dep_refs(Arena *a, const PicDep *d, int i, PtrVec *refs) {
  PicLayer *x = d->layer;
  int from = 0, to = x->n;
  switch (d->shape) {
  case PIC_EACH: from = x->n == 1 ? 0 : i; to = from + 1; break;
  case PIC_ALL: break;
  case PIC_FIRST: to = 1; break;
  case PIC_GROUPS: from = i * d->k; to = from + d->k < x->n ? from + d->k : x->n; break;
  case PIC_RANGE: from = d->lo[i]; to = d->hi[i] + 1; break;
  }
  for (int j = from; j < to && j < x->n; j++) {
    bool seen = false;
    for (int m = 0; m < refs->len && !seen; m++)
      seen = ((Val *)refs->items[m])->ref == x->tasks[j];
    if (!seen)
      ptrvec_push(a, refs, val_ref(a, x->tasks[j]));
  }
}

/* Task i of the fused group whose last layer is out: what the group's
 * members need from outside it, for index i (every member is blockwise:
 * index i of each). */
static void group_refs(Arena *a, PtrVec *order, int out, int i, PtrVec *refs) {
  PicLayer **L = (PicLayer **)order->items;
  for (int m = 0; m <= out; m++) {
    if (L[m]->group != out)
      continue;
    for (int k = 0; k < L[m]->ndeps; k++) {
      const PicDep *d = &L[m]->deps[k];
      if (d->layer->group == out)
        continue;
      PicDep dd = *d;
      dd.layer = L[d->layer->group];
      dep_refs(a, &dd, i, refs);
    }
  }
}

static void make_tasks(Eval *e, Graph *g, PtrVec *order, int out) {
  Arena *a = eval_arena(e);
  PicLayer *l = order->items[out];
  Func *fn = ARENA_NEW(a, Func);
  memset(fn, 0, sizeof *fn);
  fn->name = l->label;
  fn->pure = true;
  l->tasks = ARENA_ARRAY(a, Task *, l->n);
  for (int i = 0; i < l->n; i++) {
    Val *key = l->str_key ? val_str(a, l->name, (int)strlen(l->name)) : layer_key(a, l, i);
    Task *t = graph_add(g, l->data ? TASK_DATA : TASK_CALL, key, l->label, eval_loc(e));
    if (!l->data)
      t->fn = fn;
    t->pure = true;
    l->tasks[i] = t;
  }
}

/* The tasks' arguments: refs to what they need (after every layer's
 * tasks exist: a mirror's layers may need each other, as accumulate's). */
static void link_tasks(Eval *e, PtrVec *order, int out) {
  Arena *a = eval_arena(e);
  PicLayer *l = order->items[out];
  for (int i = 0; i < l->n; i++) {
    Task *t = l->tasks[i];
    PtrVec refs = {0};
    group_refs(a, order, out, i, &refs);
    t->nargs = refs.len;
    t->args = ARENA_ARRAY(a, Val *, refs.len + 1);
    if (refs.len) /* (no items: NULL, which memcpy may not be given) */
      memcpy(t->args, refs.items, sizeof(Val *) * (size_t)refs.len);
    if (l->data) { /* a literal is only a box; a list of results a circle */
      t->nargs = 1;
      t->args[0] = refs.len ? val_seq(a, VAL_LIST, (Val **)refs.items, refs.len)
                            : val_none(a);
    }
  }
}

/* Dask's cull: only what the roots' tasks need. */
static void cull(Graph *g, PicLayer **roots, int nroots) {
  graph_link(g);
  bool *keep = ARENA_ARRAY(g->arena, bool, g->ntasks + 1);
  Task **stack = ARENA_ARRAY(g->arena, Task *, g->ntasks + 1);
  int sp = 0;
  for (int r = 0; r < nroots; r++)
    for (int i = 0; i < roots[r]->n; i++) {
      Task *t = roots[r]->tasks[i];
      if (!keep[t->id]) {
        keep[t->id] = true;
        stack[sp++] = t;
      }
    }
  while (sp) {
    Task *t = stack[--sp];
    for (int i = 0; i < t->ndeps; i++)
      if (!keep[t->deps[i]->id]) {
        keep[t->deps[i]->id] = true;
        stack[sp++] = t->deps[i];
      }
  }
  graph_compact(g, keep); /* the picture's graph has no requests to keep */
}

Graph *pic_graph(Eval *e, PicLayer **roots, int nroots, bool optimize) {
  Arena *a = eval_arena(e);
  PtrVec order = {0};
  collect(e, roots, nroots, &order);
  if (optimize)
    fuse_groups(&order, roots, nroots);
  Graph *g = graph_new(a);
  for (int i = 0; i < order.len; i++)
    if (((PicLayer *)order.items[i])->group == i)
      make_tasks(e, g, &order, i);
  for (int i = 0; i < order.len; i++)
    if (((PicLayer *)order.items[i])->group == i)
      link_tasks(e, &order, i);
  if (optimize)
    cull(g, roots, nroots);
  else
    graph_link(g);
  return g;
}
