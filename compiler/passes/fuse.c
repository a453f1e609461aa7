/* fuse.c - linear chains become one task.
 *
 * A task T is absorbed into its user U when T has exactly one user, U has
 * exactly one dep (T), and nobody else looks at T's value (it is not an
 * output nor the root of a picture). Chains of any length collapse into one
 * TASK_FUSED: the Task object of the chain's last task U becomes the fused
 * task, so every ref to U stays valid and the fused task keeps U's key,
 * type and nout; U's own computation moves into a copy, the last inner
 * task. The absorbed tasks move into inner[] as they are, so refs between
 * chain members stay refs to those Task objects.
 *
 * Data literals without refs are constants, not work: they are left alone
 * (fusing them would only hide them in the picture).
 *
 * A long chain becomes several fused tasks of at most MAX_CHAIN members:
 * one generated function per fused kind grows with the chain, and LLVM's
 * optimisations are superlinear in a function's size, while equal segments
 * of a long chain share one kind function. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { MAX_CHAIN = 64 };

/* ---- chunk ops: tree fusion (docs/arrays.md) ----
 * A chunk task computed element by element (family CHUNK_ELEM in
 * ir/ops.def: creation, element-wise, getitem, transpose, map_blocks)
 * whose only user is another such task or a per-chunk reduction
 * (CHUNK_REDUCE) moves into that user, so the kernel evaluates it per
 * element and never stores it. A user may absorb several producers (x + y
 * of two random chunks), hence a tree, not a chain. */

/* How t is lowered: tasks that are not op calls (data, user functions,
 * fused chains) are one call per task, as SCALAR ops. */
static OpFamily family(const Task *t) {
  return t->kind == TASK_CALL && t->op ? t->op->family : SCALAR;
}

static bool chunk_host(const Task *t) {
  return family(t) == CHUNK_ELEM || family(t) == CHUNK_REDUCE;
}

static bool chunk_absorbable(const Task *x, const bool *vis_root) {
  return family(x) == CHUNK_ELEM && x->nusers == 1 && x->nout == 0 &&
         !vis_root[x->id] && chunk_host(x->users[0]);
}

static int by_id(const void *a, const void *b) {
  const Task *x = *(Task *const *)a, *y = *(Task *const *)b;
  return (x->id > y->id) - (x->id < y->id);
}

/* The producers u absorbs, transitively, in id (= dependency) order. */
static int chunk_tree(Task *u, const bool *vis_root, Task **out, Task **stack) {
  int n = 0, sp = 0;
  stack[sp++] = u;
  while (sp) {
    Task *t = stack[--sp];
    for (int i = 0; i < t->ndeps; i++)
      if (chunk_absorbable(t->deps[i], vis_root)) {
        out[n++] = t->deps[i];
        stack[sp++] = t->deps[i];
      }
  }
  qsort(out, (size_t)n, sizeof *out, by_id);
  return n;
}

static bool absorbable(const Task *x, const bool *vis_root) {
  if (x->nusers != 1 || x->nout > 0 || vis_root[x->id])
    return false;
  if (family(x) != SCALAR || family(x->users[0]) != SCALAR)
    return false; /* chunk ops: tree fusion below */
  if (x->kind == TASK_DATA && x->ndeps == 0)
    return false;
  return x->users[0]->ndeps == 1;
}

static void push_inner(Arena *a, PtrVec *v, Task *t) {
  if (t->kind == TASK_FUSED) {
    for (int i = 0; i < t->ninner; i++)
      ptrvec_push(a, v, t->inner[i]);
    return;
  }
  t->deps = t->users = NULL;
  t->ndeps = t->nusers = 0;
  ptrvec_push(a, v, t);
}

/* U's computation as a plain task, so U itself can become the fused one. */
static Task *copy_of(Arena *a, const Task *u) {
  Task *c = ARENA_NEW(a, Task);
  *c = *u;
  c->deps = c->users = NULL;
  c->ndeps = c->nusers = 0;
  c->nout = 0;
  c->aux = NULL;
  return c;
}

/* members[0..n-1] run in that order and end in u, which becomes fused. */
static void fuse_chain(Graph *g, Task **members, int n, Task *u, bool *keep) {
  PtrVec inner = {0};
  bool pure = u->pure;
  for (int i = 0; i < n; i++) {
    pure &= members[i]->pure;
    keep[members[i]->id] = false;
    push_inner(g->arena, &inner, members[i]);
  }
  push_inner(g->arena, &inner, u->kind == TASK_FUSED ? u : copy_of(g->arena, u));
  u->kind = TASK_FUSED;
  u->op = NULL;
  u->fn = NULL;
  u->spec = NULL;
  u->args = NULL;
  u->nargs = 0;
  u->pure = pure;
  u->inner = (Task **)inner.items;
  u->ninner = inner.len;
}

/* chain[0..n-1] in order (n >= 2): each segment of at most MAX_CHAIN tasks
 * fuses into its last task, which stays in the graph. */
static void fuse_segments(Graph *g, Task **chain, int n, bool *keep) {
  for (int s = 0; s < n - 1; s += MAX_CHAIN) {
    int e = s + MAX_CHAIN - 1 < n - 1 ? s + MAX_CHAIN - 1 : n - 1;
    if (e > s)
      fuse_chain(g, chain + s, e - s, chain[e], keep);
  }
}

void pass_fuse(Graph *g, const PassOptions *o) {
  int n = g->ntasks;
  bool *vis_root = pass_xmalloc((size_t)n + 1);
  pass_mark_vis_roots(g, vis_root);
  bool *keep = arena_alloc(g->arena, (size_t)n + 1);
  memset(keep, 1, (size_t)n + 1);
  Task **members = pass_xmalloc(sizeof(Task *) * ((size_t)n + 1));
  for (int i = 0; i < n; i++) {
    Task *u = g->tasks[i];
    /* Start at the end of a chain: u absorbs, but is not absorbed. */
    if (absorbable(u, vis_root) || u->ndeps != 1 ||
        !absorbable(u->deps[0], vis_root))
      continue;
    int m = 0;
    for (Task *x = u->deps[0];; x = x->deps[0]) {
      members[m++] = x;
      if (x->ndeps != 1 || !absorbable(x->deps[0], vis_root))
        break;
    }
    for (int a = 0, b = m - 1; a < b; a++, b--) {
      Task *tmp = members[a];
      members[a] = members[b];
      members[b] = tmp;
    }
    members[m] = u;
    fuse_segments(g, members, m + 1, keep);
  }
  Task **stack = pass_xmalloc(sizeof(Task *) * ((size_t)n + 1));
  for (int i = 0; i < n; i++) {
    Task *u = g->tasks[i];
    if (!chunk_host(u) || chunk_absorbable(u, vis_root))
      continue;
    int m = chunk_tree(u, vis_root, members, stack);
    if (m)
      fuse_chain(g, members, m, u, keep);
  }
  free(stack);
  free(members);
  free(vis_root);
  /* Nothing fused: the graph is as it was, and still linked. */
  bool changed = false;
  for (int i = 0; i < n && !changed; i++)
    changed = !keep[i];
  if (changed)
    graph_compact(g, keep);
}
