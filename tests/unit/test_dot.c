/* test_dot.c - dot_render on a small graph built through the ir.h API:
 * DOT text with Dask's shapes and labels, SVG/PNG/PDF from gvc, roots,
 * color=order, and the two errors (format, unwritable path). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <graphviz/cgraph.h>

#include "diag.h"
#include "dot.h"
#include "test_check.h"

static Func *func(Arena *a, const char *name) {
  Func *f = ARENA_NEW(a, Func);
  f->name = name;
  f->pure = true;
  return f;
}

static Val *str(Arena *a, const char *s) { return val_str(a, s, (int)strlen(s)); }

static Task *call(Graph *g, Func *f, Val **args, int n) {
  Task *t = graph_add(g, TASK_CALL, NULL, f->name, (Loc){0});
  t->fn = f;
  t->args = args;
  t->nargs = n;
  t->pure = true;
  return t;
}

static Val **args2(Arena *a, Val *x, Val *y) {
  Val **v = ARENA_ARRAY(a, Val *, 2);
  v[0] = x;
  v[1] = y;
  return v;
}

/* x = 1; ('a', 0) = 5; inc-1 = inc(x); add-2 = add(inc-1, ('a', 0));
 * L = [inc-1, add-2]; total = sum(L), an output; unused = inc(x). */
typedef struct Fixture {
  Graph *g;
  Task *x, *a0, *inc, *add, *list, *total, *unused;
} Fixture;

static Fixture build(Arena *a) {
  Fixture f = {.g = graph_new(a)};
  Graph *g = f.g;
  f.x = graph_add(g, TASK_DATA, str(a, "x"), NULL, (Loc){0});
  f.x->args = args2(a, val_int(a, 1), NULL);
  f.x->nargs = 1;
  Val **tup = args2(a, str(a, "a"), val_int(a, 0));
  f.a0 = graph_add(g, TASK_DATA, val_seq(a, VAL_TUPLE, tup, 2), NULL,
                   (Loc){0});
  f.a0->args = args2(a, val_int(a, 5), NULL);
  f.a0->nargs = 1;
  f.inc = call(g, func(a, "inc"), args2(a, val_ref(a, f.x), NULL), 1);
  f.add = call(g, func(a, "add"),
               args2(a, val_ref(a, f.inc), val_ref(a, f.a0)), 2);
  Val **items = args2(a, val_ref(a, f.inc), val_ref(a, f.add));
  f.list = graph_add(g, TASK_DATA, str(a, "L"), NULL, (Loc){0});
  f.list->args = args2(a, val_seq(a, VAL_LIST, items, 2), NULL);
  f.list->nargs = 1;
  f.total = call(g, func(a, "sum"), args2(a, val_ref(a, f.list), NULL), 1);
  f.unused = call(g, func(a, "dec"), args2(a, val_ref(a, f.x), NULL), 1);
  graph_add_output(g, "total", f.total, (Loc){0});
  for (int i = 0; i < g->ntasks; i++)
    g->tasks[i]->priority = i;
  return f;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = calloc(1, 1 << 20);
  *len = fread(buf, 1, (1 << 20) - 1, f);
  fclose(f);
  return buf;
}

static char *render(Fixture *fx, const DotOptions *o, const char *fmt,
                    const char *dir, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/g.%s", dir, fmt);
  dot_render(fx->g, o, fmt, path);
  return slurp(path, len);
}

static void test_dot_text(Fixture *fx, const char *dir) {
  size_t n;
  DotOptions o = {0};
  char *s = render(fx, &o, "dot", dir, &n);
  CHECK(s && strstr(s, "digraph"));
  CHECK(strstr(s, "rankdir=TB"));
  /* inc is a circle, its result a box labelled with the key. */
  CHECK(strstr(s, "label=inc, shape=circle") || strstr(s, "label=inc,"));
  CHECK(strstr(s, "shape=circle"));
  CHECK(strstr(s, "label=\"inc-1\""));
  CHECK(strstr(s, "label=\"('a', 0)\""));
  CHECK(strstr(s, "label=list"));
  CHECK(strstr(s, "label=sum"));
  /* Literal x: a box only, no circle. */
  int x = fx->x->id;
  char want[64];
  snprintf(want, sizeof want, "f%d\t", x);
  CHECK(!strstr(s, want));
  /* Edges: f(inc) -> d(inc), d(x) -> f(inc), d(inc) -> f(add). */
  snprintf(want, sizeof want, "f%d -> d%d", fx->inc->id, fx->inc->id);
  CHECK(strstr(s, want));
  snprintf(want, sizeof want, "d%d -> f%d", x, fx->inc->id);
  CHECK(strstr(s, want));
  snprintf(want, sizeof want, "d%d -> f%d", fx->inc->id, fx->add->id);
  CHECK(strstr(s, want));
  /* The output's box has a thick border; no fills without color=order. */
  CHECK(strstr(s, "penwidth=2"));
  CHECK(!strstr(s, "fillcolor"));
  /* Valid DOT: Graphviz reads it back, 7 boxes + 5 circles, 12 edges. */
  Agraph_t *back = s ? agmemread(s) : NULL;
  CHECK(back);
  if (back) {
    CHECK(agnnodes(back) == 12);
    CHECK(agnedges(back) == 12);
    agclose(back);
  }
  free(s);
}

static void test_options(Fixture *fx, const char *dir) {
  size_t n;
  Task *roots[] = {fx->add};
  DotOptions o = {.rankdir = "LR", .color_order = true, .roots = roots,
                  .nroots = 1};
  char *s = render(fx, &o, "dot", dir, &n);
  CHECK(s && strstr(s, "rankdir=LR"));
  CHECK(strstr(s, "style=filled"));
  CHECK(strstr(s, "fillcolor=\"#"));
  CHECK(strstr(s, "label=add"));
  CHECK(strstr(s, "label=inc"));
  CHECK(!strstr(s, "label=sum")); /* not needed by add */
  CHECK(!strstr(s, "label=dec"));
  free(s);
}

static void test_images(Fixture *fx, const char *dir) {
  size_t n;
  DotOptions o = {.color_order = true};
  char *s = render(fx, &o, "svg", dir, &n);
  CHECK(s && (!strncmp(s, "<?xml", 5) || !strncmp(s, "<svg", 4)));
  CHECK(strstr(s, ">inc</text>"));
  CHECK(strstr(s, ">inc&#45;1</text>") || strstr(s, ">inc-1</text>"));
  free(s);
  s = render(fx, &o, "SVG", dir, &n); /* Dask lowercases the extension */
  CHECK(s && strstr(s, "<svg"));
  free(s);
  s = render(fx, &o, "png", dir, &n);
  CHECK(s && n > 8 && !memcmp(s, "\x89PNG", 4));
  free(s);
  s = render(fx, &o, "pdf", dir, &n);
  CHECK(s && !strncmp(s, "%PDF", 4));
  free(s);
}

/* Run dot_render expecting diag_fatal; return what it printed. */
static char *expect_error(Fixture *fx, const char *fmt, const char *path) {
  static char msg[1024];
  FILE *err = fmemopen(msg, sizeof msg, "w");
  jmp_buf jb;
  Diag d = {.out = err, .recover = &jb};
  Diag *old = diag_use(&d);
  volatile bool failed = false;
  if (setjmp(jb) == 0)
    dot_render(fx->g, NULL, fmt, path);
  else
    failed = true;
  diag_use(old);
  fclose(err);
  CHECK(failed);
  return msg;
}

static void test_errors(Fixture *fx, const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/x.gif", dir);
  char *m = expect_error(fx, "gif", path);
  CHECK(strstr(m, "unsupported format 'gif' (use svg, png, pdf or dot)"));
  CHECK(access(path, F_OK) != 0); /* nothing written */
  snprintf(path, sizeof path, "%s/no/such/dir/g.svg", dir);
  m = expect_error(fx, "svg", path);
  CHECK(strstr(m, "cannot write") && strstr(m, "No such file or directory"));
  /* gvc ignores a failed write; dot_render must not. */
  m = expect_error(fx, "svg", "/dev/full");
  CHECK(strstr(m, "cannot write output '/dev/full': No space left on device"));
  m = expect_error(fx, "dot", "/dev/full");
  CHECK(strstr(m, "cannot write output '/dev/full': No space left on device"));
}

int main(void) {
  char dir[] = "/tmp/test_dot-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  Arena *a = arena_new();
  Fixture fx = build(a);
  test_dot_text(&fx, dir);
  test_options(&fx, dir);
  test_images(&fx, dir);
  test_errors(&fx, dir);
  arena_free(a);
  const char *files[] = {"g.dot", "g.svg", "g.SVG", "g.png", "g.pdf"};
  for (int i = 0; i < 5; i++) {
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, files[i]);
    unlink(p);
  }
  rmdir(dir);
  if (failures)
    fprintf(stderr, "test_dot: %d checks failed\n", failures);
  return failures != 0;
}
