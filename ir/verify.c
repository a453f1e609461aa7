/* verify.c - checks the invariants of ir.h between passes. A failure is a
 * bug in taskc, not in the user's program: it is reported on stderr with
 * the pass that broke it, and the caller stops. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

typedef struct Check {
  const Graph *g;
  const char *pass;
  int errors;
  const Task *t;    /* the task whose refs are being checked */
  const Task *in;   /* inside a fused task: the inner task being checked */
} Check;

enum { MAX_REPORTS = 10 };

static void bad(Check *c, const char *fmt, ...) {
  if (c->errors++ >= MAX_REPORTS)
    return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "taskc: internal error: invalid graph after %s: ",
          c->pass ? c->pass : "building it");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static bool in_graph(const Graph *g, const Task *r) {
  return r && r->id >= 0 && r->id < g->ntasks && g->tasks[r->id] == r;
}

/* Inside a chain a ref may name an earlier inner task; graph_link numbers
 * inner tasks by their position. */
static bool earlier_inner(const Task *fused, const Task *in, const Task *r) {
  return fused->kind == TASK_FUSED && r && r->id >= 0 && r->id < in->id &&
         fused->inner[r->id] == r;
}

static void check_ref(Val *ref, void *ctx) {
  Check *c = ctx;
  const Task *r = ref->ref;
  if (c->in && earlier_inner(c->t, c->in, r))
    return;
  if (!in_graph(c->g, r))
    bad(c, "task %s refers to %s, which is not in the graph", c->t->name,
        r && r->name ? r->name : "?");
}

static void check_call(Check *c, const Task *t) {
  if (t->kind != TASK_CALL)
    return;
  if (!t->op == !t->fn)
    bad(c, "call %s needs exactly one of op and fn", t->name);
  if (t->op && (t->nargs < t->op->min_args ||
                (t->op->max_args >= 0 && t->nargs > t->op->max_args)))
    bad(c, "call %s gives %s %d arguments", t->name, t->op->name, t->nargs);
}

static void check_refs(Check *c, const Task *t) {
  c->t = t;
  if (t->kind != TASK_FUSED) {
    check_call(c, t);
    for (int j = 0; j < t->nargs; j++)
      val_visit_refs(t->args[j], check_ref, c);
    return;
  }
  if (t->ninner < 2)
    bad(c, "fused task %s has %d inner tasks", t->name, t->ninner);
  for (int i = 0; i < t->ninner; i++) {
    const Task *in = t->inner[i];
    if (in->kind == TASK_FUSED)
      bad(c, "fused task %s contains a fused task", t->name);
    if (in->id != i)
      bad(c, "inner task %d of %s is numbered %d", i, t->name, in->id);
    check_call(c, in);
    c->in = in;
    for (int j = 0; j < in->nargs; j++)
      val_visit_refs(in->args[j], check_ref, c);
    c->in = NULL;
  }
}

/* deps must be exactly the refs, unique, in first-use order. */
typedef struct Expect {
  const Graph *g;
  const Task *t;
  int *stamp;   /* stamp[id] == t->id + 1: already expected */
  int next;     /* index into t->deps of the next expected dep */
  bool ok;
} Expect;

static void expect_ref(Val *ref, void *ctx) {
  Expect *e = ctx;
  Task *r = ref->ref;
  if (e->t->kind == TASK_FUSED && r->id >= 0 && r->id < e->t->ninner &&
      e->t->inner[r->id] == r)
    return;
  if (in_graph(e->g, r)) {
    if (e->stamp[r->id] == e->t->id + 1)
      return;
    e->stamp[r->id] = e->t->id + 1;
  }
  if (e->next >= e->t->ndeps || e->t->deps[e->next] != r)
    e->ok = false;
  e->next++;
}

static void check_deps(Check *c, const Task *t, int *stamp) {
  c->t = t;
  Expect e = {.g = c->g, .t = t, .stamp = stamp, .ok = true};
  if (t->kind == TASK_FUSED)
    for (int i = 0; i < t->ninner; i++)
      for (int j = 0; j < t->inner[i]->nargs; j++)
        val_visit_refs(t->inner[i]->args[j], expect_ref, &e);
  else
    for (int j = 0; j < t->nargs; j++)
      val_visit_refs(t->args[j], expect_ref, &e);
  if (!e.ok || e.next != t->ndeps)
    bad(c, "deps of %s do not match its arguments", t->name);
}

static uint64_t edge_hash(const Task *user, const Task *dep) {
  uint64_t h = (uint64_t)user->id * 0x9e3779b97f4a7c15ull;
  h ^= (uint64_t)dep->id + 0x632be59bd9b4e019ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

/* users must hold the same edges as deps: equal counts, no duplicates, and
 * the same sum of edge hashes (linear time, unlike pairwise lookups). */
static void check_users(Check *c, int *stamp) {
  const Graph *g = c->g;
  uint64_t from_deps = 0, from_users = 0;
  long ndeps = 0, nusers = 0;
  for (int i = 0; i < g->ntasks; i++) {
    const Task *t = g->tasks[i];
    for (int j = 0; j < t->ndeps; j++)
      if (in_graph(g, t->deps[j])) {
        from_deps += edge_hash(t, t->deps[j]);
        ndeps++;
      }
    for (int j = 0; j < t->nusers; j++) {
      const Task *u = t->users[j];
      if (!in_graph(g, u)) {
        bad(c, "a user of %s is not in the graph", t->name);
        continue;
      }
      if (stamp[u->id] == -(t->id + 2))
        bad(c, "%s lists user %s twice", t->name, u->name);
      stamp[u->id] = -(t->id + 2);
      from_users += edge_hash(u, t);
      nusers++;
    }
  }
  if (ndeps != nusers || from_deps != from_users)
    bad(c, "users do not match deps (%ld dep edges, %ld user edges)", ndeps,
        nusers);
}

/* The in-graph tasks of ts[0..n-1] are, in order, ids[from..to). */
static bool same_row(const Graph *g, Task *const *ts, int n, const int *ids,
                     int from, int to) {
  int k = from;
  for (int j = 0; j < n; j++)
    if (in_graph(g, ts[j])) {
      if (k >= to || ids[k] != ts[j]->id)
        return false;
      k++;
    }
  return k == to;
}

/* g->edges must be the deps and users by index (the in-graph ones): a
 * graph marked linked whose Tasks were patched afterwards is stale. */
static void check_edges(Check *c) {
  const Graph *g = c->g;
  const GraphEdges *e = &g->edges;
  if (!g->linked) {
    bad(c, "the graph is not linked (graph_link after the last edit)");
    return;
  }
  if (!e->dep_start || !e->user_start || e->cap_tasks < g->ntasks + 1 ||
      e->dep_start[0] != 0 || e->user_start[0] != 0) {
    bad(c, "the graph's edge arrays are missing");
    return;
  }
  for (int i = 0; i < g->ntasks; i++) {
    const Task *t = g->tasks[i];
    if (!same_row(g, t->deps, t->ndeps, e->dep_ids, e->dep_start[i],
                  e->dep_start[i + 1]) ||
        !same_row(g, t->users, t->nusers, e->user_ids, e->user_start[i],
                  e->user_start[i + 1])) {
      bad(c, "the edge arrays of %s are stale", t->name);
      return;
    }
  }
}

static void check_outputs(Check *c, int *count) {
  const Graph *g = c->g;
  memset(count, 0, sizeof(int) * (size_t)(g->ntasks + 1));
  for (int i = 0; i < g->noutputs; i++) {
    const Task *t = g->outputs[i].task;
    if (!in_graph(g, t))
      bad(c, "output %s is not in the graph", g->outputs[i].name);
    else
      count[t->id]++;
  }
  for (int i = 0; i < g->ntasks; i++)
    if (g->tasks[i]->nout != count[i])
      bad(c, "task %s has nout %d but %d outputs name it", g->tasks[i]->name,
          g->tasks[i]->nout, count[i]);
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; j < g->vis[i].nroots; j++)
      if (g->vis[i].optimize && !in_graph(g, g->vis[i].roots[j]))
        bad(c, "a root of visualize(...) is not in the graph");
}

/* Kahn's algorithm over deps: whatever is never freed lies on a cycle. */
static void check_acyclic(Check *c, int *left) {
  const Graph *g = c->g;
  int n = g->ntasks, done = 0;
  Task **queue = malloc(sizeof(Task *) * (size_t)(n + 1));
  if (!queue)
    return;
  int head = 0, tail = 0;
  for (int i = 0; i < n; i++) {
    left[i] = g->tasks[i]->ndeps;
    if (!left[i])
      queue[tail++] = g->tasks[i];
  }
  while (head < tail) {
    Task *t = queue[head++];
    done++;
    for (int j = 0; j < t->nusers; j++)
      if (in_graph(g, t->users[j]) && --left[t->users[j]->id] == 0)
        queue[tail++] = t->users[j];
  }
  free(queue);
  for (int i = 0; done < n && i < n; i++)
    if (left[i]) {
      bad(c, "cycle through %s", g->tasks[i]->name);
      break;
    }
}

bool graph_verify(const Graph *g, const char *after_pass) {
  Check c = {.g = g, .pass = after_pass};
  int *scratch = calloc((size_t)g->ntasks + 1, sizeof *scratch);
  if (!scratch)
    return true; /* cannot check: say nothing rather than fail */
  for (int i = 0; i < g->ntasks; i++) {
    const Task *t = g->tasks[i];
    if (t->id != i)
      bad(&c, "task %s has id %d at index %d", t->name, t->id, i);
    if (!t->key || !t->name)
      bad(&c, "task %d has no key", i);
  }
  if (c.errors) {
    free(scratch);
    return false; /* ids are wrong: the checks below index by them */
  }
  for (int i = 0; i < g->ntasks; i++)
    check_refs(&c, g->tasks[i]);
  for (int i = 0; i < g->ntasks; i++)
    check_deps(&c, g->tasks[i], scratch);
  memset(scratch, 0, sizeof(int) * (size_t)(g->ntasks + 1));
  check_users(&c, scratch);
  check_edges(&c);
  check_outputs(&c, scratch);
  if (!c.errors)
    check_acyclic(&c, scratch);
  if (c.errors > MAX_REPORTS)
    fprintf(stderr, "taskc: internal error: ... and %d more problems\n",
            c.errors - MAX_REPORTS);
  free(scratch);
  return c.errors == 0;
}
