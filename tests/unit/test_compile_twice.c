/* test_compile_twice.c - one process compiles several programs one after
 * the other through the compiler library (parse -> eval -> sema -> passes
 * -> codegen to LLVM IR), as a server or a test harness would, with a
 * failing compilation in between. Each result must be what that program
 * alone gives: state left behind by an earlier compilation (a Spec memo, a
 * module's imports, an error count) would show as a wrong name, type or
 * graph. tests/lit/sanitize.sh runs it under ASan+UBSan too. Prints only
 * failures; returns 0 when all pass. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ast.h"
#include "codegen/codegen.h"
#include "diag.h"
#include "eval.h"
#include "passes/passes.h"
#include "sema.h"
#include "test_check.h"


/* Both programs define inc, for different types: a Spec memo kept from the
 * first would make the second's `inc.float` an `inc.float.2`, or reuse
 * `inc.int`. The first imports math as m, the second uses math.sqrt: a
 * module kept from the first would not know `math`. */
static const char prog_a[] =
    "import math as m\n"
    "from dask import delayed, compute\n"
    "\n"
    "@delayed(pure=True)\n"
    "def inc(x):\n"
    "    return x + 1\n"
    "\n"
    "@delayed(pure=True)\n"
    "def root(x):\n"
    "    return m.sqrt(x)\n"
    "\n"
    "a = inc(1)\n"
    "b = root(inc(a) + inc(a))\n"
    "compute(a, b)\n";

static const char prog_b[] =
    "import math\n"
    "from dask import delayed, compute\n"
    "\n"
    "@delayed(pure=True)\n"
    "def inc(x):\n"
    "    return x + 1.5\n"
    "\n"
    "@delayed(pure=True)\n"
    "def norm(x, y):\n"
    "    return math.sqrt(x * x + y * y)\n"
    "\n"
    "total = sum([inc(float(i)) for i in range(8)])\n"
    "n = norm(total, 2.0)\n"
    "compute(total, n)\n";

/* Fails in sema, deep inside a body: the longjmp must leave nothing behind
 * for the next compilation. */
static const char prog_bad[] =
    "from dask import delayed, compute\n"
    "\n"
    "@delayed\n"
    "def inc(x):\n"
    "    return x + 'one'\n"
    "\n"
    "compute(inc(1))\n";

typedef struct Result {
  char *graph;    /* --emit=graph text after the passes */
  char *llvm;     /* the module, as --emit=llvm writes it */
  char *errors;   /* what diag printed */
  int nerrors;
  char specs[256]; /* the Specs' names, space-separated */
} Result;

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = 0;
  fclose(f);
  return s;
}

static void spec_names(Result *r, const Sema *sema) {
  int n;
  Spec **specs = sema_specs(sema, &n);
  for (int i = 0; i < n; i++) {
    size_t len = strlen(r->specs);
    snprintf(r->specs + len, sizeof r->specs - len, "%s%s", i ? " " : "",
             specs[i]->name);
  }
}

/* What taskc --emit=graph and --emit=llvm give for text, in-process. */
static Result compile(const char *name, const char *text) {
  Result r = {0};
  size_t elen = 0;
  FILE *err = open_memstream(&r.errors, &elen);
  jmp_buf jb;
  Diag d = {.out = err, .recover = &jb};
  Diag *old = diag_use(&d);
  Arena *volatile a = arena_new();
  char llpath[] = "/tmp/test_compile_twice-XXXXXX.ll";
  int fd = mkstemps(llpath, 3);
  if (fd >= 0)
    close(fd);
  if (setjmp(jb) == 0) {
    Node *m = parse_file(a, src_from_text(a, name, text, strlen(text)));
    EvalOptions eo = {.step_limit = EVAL_DEFAULT_STEP_LIMIT};
    Graph *g = eval_program(a, m, &eo);
    spec_names(&r, sema_graph(g, m));
    PassOptions po = {.cull = true, .cse = true, .tree_reduce = true,
                      .fuse = true, .split_every = 4, .verify = true};
    passes_run(g, &po);
    size_t glen = 0;
    FILE *gf = open_memstream(&r.graph, &glen);
    graph_print(gf, g);
    fclose(gf);
    CodegenOptions co = {.opt_level = 0, .emit = EMIT_LLVM,
                         .out_path = llpath, .prog_name = name};
    codegen(g, &co);
    r.llvm = read_file(llpath);
  }
  diag_use(old);
  fclose(err);
  unlink(llpath);
  r.nerrors = d.errors;
  arena_free(a);
  return r;
}

static void result_free(Result *r) {
  free(r->graph);
  free(r->llvm);
  free(r->errors);
}

static bool has(const char *text, const char *want) {
  return text && strstr(text, want);
}

static void check_a(const Result *r, const char *when) {
  CHECK_MSG(r->nerrors == 0 && r->graph && r->llvm, "%s: A failed:\n%s", when,
        r->errors);
  CHECK_MSG(!strcmp(r->specs, "inc.int root.int"), "%s: A specs '%s'", when,
        r->specs);
  CHECK_MSG(has(r->graph, "output a = 'inc-1'"), "%s: A graph:\n%s", when,
        r->graph);
  CHECK_MSG(has(r->graph, ":: float"), "%s: A root is float:\n%s", when,
        r->graph);
  CHECK_MSG(has(r->llvm, "inc.int") && has(r->llvm, "root.int") &&
            !has(r->llvm, "inc.float"),
        "%s: A module names the wrong functions", when);
}

static void check_b(const Result *r, const char *when) {
  CHECK_MSG(r->nerrors == 0 && r->graph && r->llvm, "%s: B failed:\n%s", when,
        r->errors);
  CHECK_MSG(!strcmp(r->specs, "inc.float norm.float.float"), "%s: B specs '%s'",
        when, r->specs);
  CHECK_MSG(has(r->graph, "output total = ") && has(r->graph, "output n = "),
        "%s: B graph:\n%s", when, r->graph);
  CHECK_MSG(!has(r->graph, "root"), "%s: B graph shows A's tasks:\n%s", when,
        r->graph);
  CHECK_MSG(has(r->llvm, "inc.float") && has(r->llvm, "norm.float.float") &&
            !has(r->llvm, "inc.int") && !has(r->llvm, "root"),
        "%s: B module names the wrong functions", when);
}

int main(void) {
  Result a1 = compile("a.tg", prog_a);
  check_a(&a1, "first");
  Result bad = compile("bad.tg", prog_bad);
  CHECK_MSG(bad.nerrors == 1 && has(bad.errors, "bad.tg:5:"),
        "the bad program: %d errors:\n%s", bad.nerrors, bad.errors);
  Result b = compile("b.tg", prog_b);
  check_b(&b, "after A");
  Result a2 = compile("a.tg", prog_a);
  check_a(&a2, "again");
  /* The same program twice gives the same graph and the same module. */
  CHECK_MSG(a1.graph && a2.graph && !strcmp(a1.graph, a2.graph),
        "A's graph changed:\n%s\nthen:\n%s", a1.graph, a2.graph);
  CHECK_MSG(a1.llvm && a2.llvm && !strcmp(a1.llvm, a2.llvm),
        "A's LLVM module changed between compilations");
  result_free(&a1);
  result_free(&bad);
  result_free(&b);
  result_free(&a2);
  return failures ? 1 : 0;
}
