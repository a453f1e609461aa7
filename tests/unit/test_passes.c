/* test_passes.c - every pass on graphs built by hand through the IR API:
 * task and edge counts, the shape of what a pass builds, and that outputs
 * still name the right tasks. Prints only failures; returns 0 when all
 * pass. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir.h"
#include "passes/passes.h"
#include "test_check.h"


static Arena *A;

static Func *func(const char *name, bool pure) {
  Func *f = ARENA_NEW(A, Func);
  f->name = name;
  f->pure = pure;
  return f;
}

static Task *task(Graph *g, const Op *op, Func *fn, Val **args, int n) {
  Task *t = graph_add(g, TASK_CALL, NULL, op ? op->label : fn->name, (Loc){0});
  t->op = op;
  t->fn = fn;
  t->pure = op ? op->purity == PURE : fn->pure;
  t->args = ARENA_ARRAY(A, Val *, n ? n : 1);
  memcpy(t->args, args, sizeof(Val *) * (size_t)n);
  t->nargs = n;
  t->type = ty_int;
  return t;
}

static Task *opcall(Graph *g, const char *op, Val **args, int n) {
  return task(g, op_lookup(op), NULL, args, n);
}

static Task *data(Graph *g, const char *key, Val *v) {
  Val *k = val_str(A, key, (int)strlen(key));
  Task *t = graph_add(g, TASK_DATA, k, NULL, (Loc){0});
  t->args = ARENA_ARRAY(A, Val *, 1);
  t->args[0] = v;
  t->nargs = 1;
  t->type = val_type(v);
  return t;
}

static Val *I(int64_t i) { return val_int(A, i); }
static Val *R(Task *t) { return val_ref(A, t); }
static Val *list(Val **items, int n) { return val_seq(A, VAL_LIST, items, n); }

static int count_label(const Graph *g, const char *label) {
  int n = 0;
  for (int i = 0; i < g->ntasks; i++)
    n += !strcmp(task_label(A, g->tasks[i]), label);
  return n;
}

static PassOptions only(bool cull, bool cse, bool tree, bool fuse) {
  return (PassOptions){.cull = cull, .cse = cse, .tree_reduce = tree,
                       .fuse = fuse, .split_every = 4, .verify = true};
}

/* What a pass called on its own is given. */
static const PassOptions defaults = {.split_every = 4};

/* The seed's nested loop: 4 x 4 pure inc(1), mul(y, x), add(a, b); sum. */
static Graph *seed_loop(void) {
  Graph *g = graph_new(A);
  Func *inc = func("inc", true), *mul = func("mul", true),
       *add = func("add", true);
  Val *results[16];
  int n = 0;
  for (int y = 2; y < 10; y += 2)
    for (int x = 0; x < 4; x++) {
      Task *a = task(g, NULL, inc, (Val *[]){I(1)}, 1);
      Task *b = task(g, NULL, mul, (Val *[]){I(y), I(x)}, 2);
      Task *c = task(g, NULL, add, (Val *[]){R(a), R(b)}, 2);
      results[n++] = R(c);
    }
  Task *total = opcall(g, "sum", (Val *[]){list(results, 16)}, 1);
  graph_add_output(g, "total", total, (Loc){0});
  return g;
}

static void test_seed_loop(void) {
  Graph *g = seed_loop();
  PassOptions o = only(true, true, false, false);
  passes_run(g, &o);
  CHECK(count_label(g, "inc") == 1);
  CHECK(count_label(g, "mul") == 16 && count_label(g, "add") == 16);
  CHECK(g->ntasks == 34);
  CHECK(g->outputs[0].task->op == op_lookup("sum"));

  g = seed_loop();
  o = only(true, false, false, false);
  passes_run(g, &o);
  CHECK(count_label(g, "inc") == 16 && g->ntasks == 49);

  /* All passes: the sum becomes a tree of 4 + 1 sums over ints. */
  g = seed_loop();
  o = only(true, true, true, true);
  passes_run(g, &o);
  CHECK(count_label(g, "sum") == 5);
  Task *root = g->outputs[0].task;
  CHECK(root->op == op_lookup("sum") && root->args[0]->seq.n == 4);
  CHECK(root->priority == g->ntasks - 1);
}

static void test_cull(void) {
  Graph *g = graph_new(A);
  Task *x = data(g, "x", I(1));
  Task *used = opcall(g, "operator.neg", (Val *[]){R(x)}, 1);
  opcall(g, "operator.pos", (Val *[]){R(x)}, 1); /* nobody needs it */
  Task *y = data(g, "y", I(2));
  graph_add_output(g, "out", used, (Loc){0});
  graph_link(g);
  pass_cull(g, &defaults);
  CHECK(g->ntasks == 2 && g->tasks[0] == x && g->tasks[1] == used);
  CHECK(g->outputs[0].task == used && used->id == 1);

  /* An optimised picture's roots are kept too. */
  g = graph_new(A);
  x = data(g, "x", I(1));
  y = data(g, "y", I(2));
  Task *out = opcall(g, "operator.neg", (Val *[]){R(x)}, 1);
  graph_add_output(g, "out", out, (Loc){0});
  g->vis = ARENA_ARRAY(A, VisRequest, 1);
  g->nvis = g->capvis = 1;
  g->vis[0].optimize = true;
  g->vis[0].roots = ARENA_ARRAY(A, Task *, 1);
  g->vis[0].roots[0] = y;
  g->vis[0].nroots = 1;
  graph_link(g);
  pass_cull(g, &defaults);
  CHECK(g->ntasks == 3);

  /* Without any output the graph is left whole. */
  g = graph_new(A);
  data(g, "x", I(1));
  data(g, "y", I(2));
  graph_link(g);
  pass_cull(g, &defaults);
  CHECK(g->ntasks == 2);
}

static void test_cse(void) {
  Graph *g = graph_new(A);
  Func *inc = func("inc", true), *slow = func("slow", false);
  Task *i1 = task(g, NULL, inc, (Val *[]){I(1)}, 1);
  Task *a1 = opcall(g, "operator.add", (Val *[]){R(i1), I(2)}, 2);
  Task *i2 = task(g, NULL, inc, (Val *[]){I(1)}, 1);
  Task *a2 = opcall(g, "operator.add", (Val *[]){R(i2), I(2)}, 2);
  Task *f1 = task(g, NULL, inc, (Val *[]){val_float(A, 1.0)}, 1);
  Task *b1 = task(g, NULL, inc, (Val *[]){val_bool(A, true)}, 1);
  Task *s1 = task(g, NULL, slow, (Val *[]){I(1)}, 1);
  Task *s2 = task(g, NULL, slow, (Val *[]){I(1)}, 1);
  Task *d1 = data(g, "d1", I(7)), *d2 = data(g, "d2", I(7));
  Val *all[] = {R(a1), R(a2), R(f1), R(b1), R(s1), R(s2), R(d1), R(d2)};
  Task *top = opcall(g, "print", all, 8);
  graph_add_output(g, "first", a1, (Loc){0});
  graph_add_output(g, "second", a2, (Loc){0});
  graph_add_output(g, "d", d2, (Loc){0});
  graph_add_output(g, "top", top, (Loc){0});
  graph_link(g);
  pass_cse(g, &defaults);
  CHECK(graph_verify(g, "cse"));
  /* i2, a2 and d2 merge; 1.0 and True differ from 1; slow is impure. */
  CHECK(g->ntasks == 8);
  CHECK(count_label(g, "inc") == 3 && count_label(g, "slow") == 2);
  CHECK(g->outputs[0].task == a1 && g->outputs[1].task == a1);
  CHECK(g->outputs[2].task == d1 && a1->nout == 2);
  CHECK(top->args[1]->ref == a1 && top->args[7]->ref == d1);
  CHECK(top->ndeps == 6);
}

static void test_tree_sum(void) {
  Graph *g = graph_new(A);
  Val *items[10];
  for (int i = 0; i < 10; i++)
    items[i] = R(data(g, "x", I(i)));
  Task *s = opcall(g, "sum", (Val *[]){list(items, 10), I(100)}, 2);
  graph_add_output(g, "s", s, (Loc){0});
  graph_link(g);
  pass_tree_reduce(g, &(PassOptions){.split_every = 3});
  CHECK(graph_verify(g, "tree_reduce"));
  /* 10 -> 4 sums of <= 3 (the last is one element: passed up) -> root */
  CHECK(count_label(g, "sum") == 1 + 3 + 1);
  CHECK(s->nargs == 2 && s->args[1]->i == 100);
  CHECK(s->args[0]->kind == VAL_LIST && s->args[0]->seq.n == 2);
  CHECK(g->outputs[0].task == s);

  /* Floats: not associative, so sum is left as it is; any is exact. */
  g = graph_new(A);
  for (int i = 0; i < 10; i++)
    items[i] = val_float(A, i * 0.1);
  Task *fs = opcall(g, "sum", (Val *[]){list(items, 10)}, 1);
  Task *fm = opcall(g, "min", (Val *[]){list(items, 10)}, 1);
  Task *fa = opcall(g, "any", (Val *[]){list(items, 10)}, 1);
  graph_add_output(g, "fs", fs, (Loc){0});
  graph_add_output(g, "fm", fm, (Loc){0});
  graph_add_output(g, "fa", fa, (Loc){0});
  graph_link(g);
  pass_tree_reduce(g, &defaults);
  CHECK(count_label(g, "sum") == 1 && count_label(g, "min") == 1);
  CHECK(count_label(g, "any") == 1 + 3 && fa->args[0]->seq.n == 3);

  /* min(a, b, c, ...) with many arguments. */
  g = graph_new(A);
  Val *args[9];
  for (int i = 0; i < 9; i++)
    args[i] = I(9 - i);
  Task *m = opcall(g, "min", args, 9);
  graph_add_output(g, "m", m, (Loc){0});
  graph_link(g);
  pass_tree_reduce(g, &defaults);
  CHECK(count_label(g, "min") == 1 + 2 && m->nargs == 3);
}

/* ((((x0 + x1) + x2) + ...) + x7 */
static Graph *add_chain(Val *(*leaf)(int), Task **root) {
  Graph *g = graph_new(A);
  Val *acc = leaf(0);
  Task *t = NULL;
  for (int i = 1; i < 8; i++) {
    t = opcall(g, "operator.add", (Val *[]){acc, leaf(i)}, 2);
    acc = R(t);
  }
  graph_add_output(g, "total", t, (Loc){0});
  graph_link(g);
  *root = t;
  return g;
}

static Val *int_leaf(int i) { return I(i); }
static Val *float_leaf(int i) { return val_float(A, i + 0.1); }

static int depth(const Task *t) {
  int d = 0;
  for (int i = 0; i < t->ndeps; i++) {
    int x = depth(t->deps[i]);
    d = x > d ? x : d;
  }
  return d + 1;
}

static void test_tree_chain(void) {
  Task *root;
  Graph *g = add_chain(int_leaf, &root);
  CHECK(depth(root) == 7);
  pass_tree_reduce(g, &defaults);
  CHECK(graph_verify(g, "tree_reduce"));
  CHECK(g->ntasks == 7 && depth(root) == 3);
  CHECK(g->outputs[0].task == root);
  CHECK(root->args[0]->ref->args[0]->ref->args[0]->i == 0);

  g = add_chain(float_leaf, &root);
  pass_tree_reduce(g, &defaults);
  CHECK(g->ntasks == 7 && depth(root) == 7);

  /* An intermediate that is an output stops the chain there. */
  g = add_chain(int_leaf, &root);
  graph_add_output(g, "mid", g->tasks[3], (Loc){0});
  graph_link(g);
  pass_tree_reduce(g, &defaults);
  CHECK(graph_verify(g, "tree_reduce"));
  CHECK(g->outputs[1].task->args[0]->kind == VAL_REF);
  CHECK(g->ntasks == 7);
}

static void test_fuse(void) {
  Graph *g = graph_new(A);
  Func *inc = func("inc", true);
  Task *x = data(g, "x", I(1));
  Task *a = task(g, NULL, inc, (Val *[]){R(x)}, 1);
  Task *b = task(g, NULL, inc, (Val *[]){R(a)}, 1);
  Task *c = opcall(g, "operator.add", (Val *[]){R(b), R(b)}, 2);
  graph_add_output(g, "c", c, (Loc){0});
  graph_link(g);
  pass_fuse(g, &defaults);
  CHECK(graph_verify(g, "fuse"));
  CHECK(g->ntasks == 2 && g->tasks[0] == x);
  CHECK(c->kind == TASK_FUSED && c->ninner == 3);
  CHECK(c->inner[0] == a && c->inner[1] == b && c->inner[2]->op);
  CHECK(c->inner[2]->args[0]->ref == b);
  CHECK(c->ndeps == 1 && c->deps[0] == x && c->nout == 1);
  CHECK(!strcmp(task_label(A, c), "inc+inc+add"));
  CHECK(g->outputs[0].task == c);

  /* A task two others use, or an output, ends a chain. */
  g = graph_new(A);
  x = data(g, "x", I(1));
  a = task(g, NULL, inc, (Val *[]){R(x)}, 1);
  b = task(g, NULL, inc, (Val *[]){R(a)}, 1);
  c = task(g, NULL, inc, (Val *[]){R(a)}, 1);
  Task *d = task(g, NULL, inc, (Val *[]){R(b)}, 1);
  graph_add_output(g, "b", b, (Loc){0});
  graph_add_output(g, "c", c, (Loc){0});
  graph_add_output(g, "d", d, (Loc){0});
  graph_link(g);
  pass_fuse(g, &defaults);
  CHECK(g->ntasks == 5);

  /* An alias of a computed value fuses: data with a ref is work. */
  g = graph_new(A);
  a = task(g, NULL, inc, (Val *[]){I(1)}, 1);
  b = data(g, "alias", R(a));
  graph_add_output(g, "alias", b, (Loc){0});
  graph_link(g);
  pass_fuse(g, &defaults);
  CHECK(g->ntasks == 1 && b->kind == TASK_FUSED);
}

static void test_order(void) {
  /* root(big, leaf): the bigger subtree runs first. */
  Graph *g = graph_new(A);
  Task *leaf = data(g, "leaf", I(0));
  Task *l2 = data(g, "l2", I(0)), *l3 = data(g, "l3", I(0));
  Task *p = opcall(g, "operator.add", (Val *[]){R(l2), R(l3)}, 2);
  Task *root = opcall(g, "operator.add", (Val *[]){R(leaf), R(p)}, 2);
  graph_add_output(g, "root", root, (Loc){0});
  graph_link(g);
  pass_order(g, &defaults);
  CHECK(l2->priority == 0 && l3->priority == 1 && p->priority == 2);
  CHECK(leaf->priority == 3 && root->priority == 4);
  for (int i = 0; i < g->ntasks; i++)
    for (int j = 0; j < g->tasks[i]->ndeps; j++)
      CHECK(g->tasks[i]->deps[j]->priority < g->tasks[i]->priority);
}

/* Release first: a value read by two outputs far apart in the output list
 * is freed as soon as both readers are ready, and a reader's own reader
 * follows it before the next reader starts. */
static void test_order_release(void) {
  Graph *g = graph_new(A);
  Func *f = func("f", true);
  Task *l1 = data(g, "l1", I(1)), *l2 = data(g, "l2", I(2));
  Task *t1 = task(g, NULL, f, (Val *[]){R(l1)}, 1);
  Task *t2 = task(g, NULL, f, (Val *[]){R(l2)}, 1);
  Task *s1 = opcall(g, "len", (Val *[]){R(l1)}, 1);
  Task *s2 = opcall(g, "len", (Val *[]){R(l2)}, 1);
  graph_add_output(g, "t1", t1, (Loc){0});
  graph_add_output(g, "t2", t2, (Loc){0});
  graph_add_output(g, "s1", s1, (Loc){0});
  graph_add_output(g, "s2", s2, (Loc){0});
  graph_link(g);
  pass_order(g, &defaults);
  CHECK(l1->priority == 0 && t1->priority == 1 && s1->priority == 2);
  CHECK(l2->priority == 3 && t2->priority == 4 && s2->priority == 5);

  /* d -> u1, u2 and u_i -> r_i: u1 r1 u2 r2, not u1 u2 r1 r2. */
  g = graph_new(A);
  Task *d = data(g, "d", I(0));
  Task *u1 = task(g, NULL, f, (Val *[]){R(d)}, 1);
  Task *u2 = task(g, NULL, f, (Val *[]){R(d)}, 1);
  Task *r1 = task(g, NULL, f, (Val *[]){R(u1)}, 1);
  Task *r2 = task(g, NULL, f, (Val *[]){R(u2)}, 1);
  Task *root = opcall(g, "operator.add", (Val *[]){R(r1), R(r2)}, 2);
  graph_add_output(g, "root", root, (Loc){0});
  graph_link(g);
  pass_order(g, &defaults);
  CHECK(d->priority == 0 && u1->priority == 1 && r1->priority == 2);
  CHECK(u2->priority == 3 && r2->priority == 4 && root->priority == 5);
}

static bool row_is(const int *start, const int *ids, int i, const int *want,
                   int n) {
  if (start[i + 1] - start[i] != n)
    return false;
  for (int k = 0; k < n; k++)
    if (ids[start[i] + k] != want[k])
      return false;
  return true;
}

/* graph_link's edge arrays: deps in first-use order without repeats (also
 * past the few deps compared directly), users in index order, refs nested
 * in lists; graph_add and graph_add_output mark the graph unlinked. */
static void test_link_edges(void) {
  Graph *g = graph_new(A);
  Task *x = data(g, "x", I(1)), *y = data(g, "y", I(2));
  Val *nested[] = {R(y), list((Val *[]){R(x), R(y)}, 2), I(3)};
  Task *a = opcall(g, "print", (Val *[]){list(nested, 3), R(x)}, 2);
  Task *ts[12];
  Val *refs[24];
  for (int i = 0; i < 12; i++) {
    ts[i] = data(g, "t", I(i));
    refs[2 * i] = R(ts[i]);
    refs[2 * i + 1] = R(ts[i / 2]); /* repeats, some far back */
  }
  Task *many = opcall(g, "print", refs, 24);
  graph_add_output(g, "many", many, (Loc){0});
  CHECK(!g->linked);
  graph_link(g);
  CHECK(g->linked);
  const GraphEdges *e = &g->edges;
  CHECK(row_is(e->dep_start, e->dep_ids, a->id, (int[]){y->id, x->id}, 2));
  CHECK(a->ndeps == 2 && a->deps[0] == y && a->deps[1] == x);
  CHECK(many->ndeps == 12 && e->dep_start[many->id + 1] -
                                     e->dep_start[many->id] == 12);
  for (int i = 0; i < 12; i++)
    CHECK(many->deps[i] == ts[i] &&
          e->dep_ids[e->dep_start[many->id] + i] == ts[i]->id);
  CHECK(row_is(e->user_start, e->user_ids, ts[3]->id, (int[]){many->id}, 1));
  CHECK(row_is(e->user_start, e->user_ids, x->id, (int[]){a->id}, 1));
  CHECK(graph_verify(g, "test"));
  graph_add_output(g, "a", a, (Loc){0});
  CHECK(!g->linked);
  graph_link(g);
  data(g, "z", I(0));
  CHECK(!g->linked && !verify_quietly(g));
  graph_link(g);
  CHECK(g->linked && verify_quietly(g));
}

/* A linked graph whose args were edited without graph_link, or whose edge
 * arrays were patched by hand, fails graph_verify. */
static void test_stale_link(void) {
  Graph *g = graph_new(A);
  Task *x = data(g, "x", I(1)), *y = data(g, "y", I(2));
  Task *a = opcall(g, "operator.neg", (Val *[]){R(x)}, 1);
  graph_add_output(g, "a", a, (Loc){0});
  graph_link(g);
  CHECK(verify_quietly(g));
  a->args[0] = R(y);
  CHECK(!verify_quietly(g));
  graph_link(g);
  CHECK(verify_quietly(g) && a->deps[0] == y);
  g->edges.dep_ids[g->edges.dep_start[a->id]] = x->id;
  CHECK(!verify_quietly(g));
}

/* A pass that changes nothing leaves the graph linked and does not link it
 * again (on a million tasks a link costs as much as the pass). Seen here
 * through nout, which only graph_link sets: a wrong value survives. */
static void test_no_relink(void) {
  Graph *g = graph_new(A);
  Func *f = func("f", true);
  Task *x = data(g, "x", I(1));
  Task *a = task(g, NULL, f, (Val *[]){R(x)}, 1);
  Task *b = opcall(g, "operator.add", (Val *[]){R(a), R(x)}, 2);
  graph_add_output(g, "b", b, (Loc){0});
  graph_link(g);
  x->nout = 42;
  PassOptions o = only(true, true, true, false);
  o.verify = false;
  passes_run(g, &o);
  CHECK(g->linked && x->nout == 42 && g->ntasks == 3);
  pass_fuse(g, &defaults); /* a -> b is no chain: b has two deps */
  CHECK(x->nout == 42 && g->ntasks == 3);
  CHECK(a->priority < b->priority && x->priority < a->priority);

  /* Something to do: the graph is linked again, and nout is right. */
  Task *a2 = task(g, NULL, f, (Val *[]){R(x)}, 1);
  Task *c = opcall(g, "operator.add", (Val *[]){R(b), R(a2)}, 2);
  graph_add_output(g, "c", c, (Loc){0});
  o.verify = true;
  passes_run(g, &o);
  CHECK(g->linked && x->nout == 0 && g->ntasks == 4);
  CHECK(c->args[1]->ref == a && a->nusers == 2);
}

/* Deps made after their users (as a dict graph can be): the passes take
 * Kahn's order rather than the order of the tasks, with the same results. */
static void test_unordered_ids(void) {
  Graph *g = graph_new(A);
  Func *inc = func("inc", true);
  Task *top = opcall(g, "operator.add", (Val *[]){I(0), I(0)}, 2);
  Task *i2 = task(g, NULL, inc, (Val *[]){I(0)}, 1);
  Task *i1 = task(g, NULL, inc, (Val *[]){I(0)}, 1);
  Task *x = data(g, "x", I(1));
  i1->args[0] = R(x);
  i2->args[0] = R(x);
  top->args[0] = R(i1);
  top->args[1] = R(i2);
  graph_add_output(g, "top", top, (Loc){0});
  PassOptions o = only(true, true, true, false);
  passes_run(g, &o);
  /* i1 and i2 merge into i2, the lower index; x runs first, top last. */
  CHECK(g->ntasks == 3 && top->args[0]->ref == i2 && top->args[1]->ref == i2);
  CHECK(x->priority == 0 && i2->priority == 1 && top->priority == 2);
}

/* A chain of a million tasks: nothing may recurse over it. */
static void test_long_chain(void) {
  Graph *g = graph_new(A);
  Func *inc = func("inc", true);
  Task *t = data(g, "x", I(0));
  Task *first = t;
  for (int i = 0; i < 1000000; i++)
    t = task(g, NULL, inc, (Val *[]){R(t)}, 1);
  Task *fork = opcall(g, "operator.add", (Val *[]){R(t), R(first)}, 2);
  graph_add_output(g, "y", fork, (Loc){0});
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  PassOptions o = only(true, true, true, true);
  o.stats = f;
  passes_run(g, &o);
  fclose(f);
  /* 1000000 = 15625 segments of 64 (fuse.c: MAX_CHAIN) */
  CHECK(g->ntasks == 1 + 15625 + 1);
  for (int i = 1; i <= 15625; i++)
    CHECK(g->tasks[i]->kind == TASK_FUSED && g->tasks[i]->ninner == 64);
  CHECK(fork->priority == 15626);
  CHECK(buf && !strncmp(buf, "pass ", 5) && strstr(buf, "\ninput ") &&
        strstr(buf, "\nfuse ") && strstr(buf, "\norder "));
  free(buf);
}

int main(void) {
  A = arena_new();
  test_seed_loop();
  test_cull();
  test_cse();
  test_tree_sum();
  test_tree_chain();
  test_fuse();
  test_order();
  test_order_release();
  test_long_chain();
  test_link_edges();
  test_stale_link();
  test_no_relink();
  test_unordered_ids();
  arena_free(A);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
