/* test_sema.c - sema and body lowering without the evaluator: parse a
 * program, build a graph of calls by hand, type it, lower every Spec with
 * body.c and verify the LLVM module. Then the errors: each bad body must
 * fail with its message. */
#include <llvm-c/Analysis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "codegen/cg.h"
#include "diag.h"
#include "sema.h"
#include "sema_impl.h"
#include "test_check.h"


/* The Funcs of every top-level def, as the evaluator would make them. */
static void add_funcs(Graph *g, Node *module) {
  for (int i = 0; i < module->nbody; i++) {
    Node *d = module->body[i];
    if (d->kind != N_DEF)
      continue;
    Func *fn = ARENA_NEW(g->arena, Func);
    fn->name = d->name;
    fn->def = d;
    fn->loc = d->loc;
    fn->nparams = d->nparams;
    fn->param_names = ARENA_ARRAY(g->arena, const char *, d->nparams + 1);
    fn->param_types = ARENA_ARRAY(g->arena, Type *, d->nparams + 1);
    for (int k = 0; k < d->nparams; k++) {
      fn->param_names[k] = d->params[k].name;
      fn->param_types[k] = sema_annotation(g->arena, d->params[k].annot);
    }
    fn->ret_type = sema_annotation(g->arena, d->annot);
    for (int k = 0; k < d->nitems; k++)
      if (d->items[k]->kind == N_CALL && d->items[k]->lhs->kind == N_NAME &&
          !strcmp(d->items[k]->lhs->name, "extern"))
        fn->is_extern = true;
    if (g->nfuncs == g->capfuncs) {
      int cap = g->capfuncs ? 2 * g->capfuncs : 8;
      g->funcs = arena_realloc(g->arena, g->funcs,
                               sizeof(Func *) * (size_t)g->capfuncs,
                               sizeof(Func *) * (size_t)cap);
      g->capfuncs = cap;
    }
    g->funcs[g->nfuncs++] = fn;
  }
}

static Func *func(Graph *g, const char *name) {
  for (int i = 0; i < g->nfuncs; i++)
    if (!strcmp(g->funcs[i]->name, name))
      return g->funcs[i];
  fprintf(stderr, "no def %s\n", name);
  exit(1);
}

/* A call task of `name` with constant arguments described by a string:
 * i = int 3, f = float 2.5, s = str, b = bool, l = list of ints,
 * L = list of floats. */
static Task *call(Graph *g, const char *name, const char *sig) {
  Task *t = graph_add(g, TASK_CALL, NULL, name, (Loc){0});
  t->fn = func(g, name);
  t->nargs = (int)strlen(sig);
  t->args = ARENA_ARRAY(g->arena, Val *, t->nargs + 1);
  Arena *a = g->arena;
  for (int i = 0; i < t->nargs; i++) {
    switch (sig[i]) {
    case 'i': t->args[i] = val_int(a, 3); break;
    case 'f': t->args[i] = val_float(a, 2.5); break;
    case 's': t->args[i] = val_str(a, "ab", 2); break;
    case 'b': t->args[i] = val_bool(a, true); break;
    default: {
      Val **items = ARENA_ARRAY(a, Val *, 2);
      items[0] = sig[i] == 'l' ? val_int(a, 1) : val_float(a, 1.5);
      items[1] = sig[i] == 'l' ? val_int(a, 2) : val_float(a, 0.5);
      t->args[i] = val_seq(a, VAL_LIST, items, 2);
    }
    }
  }
  return t;
}

static Node *parse(Arena *a, const char *text) {
  SrcFile *f = src_from_text(a, "t.tg", text, strlen(text));
  return parse_file(a, f);
}

static const char good[] =
    "import math\n"
    "from time import sleep\n"
    "def inc(a):\n"
    "    return a + 1\n"
    "def arith(a, b):\n"
    "    q = a // b\n"
    "    r = a % b\n"
    "    d = a / b\n"
    "    p = a ** 2\n"
    "    return q + r + int(d) + p - (a * b) + abs(a) + min(a, b)\n"
    "def norm(x: float, y: float) -> float:\n"
    "    s = x * x + y * y\n"
    "    if s == 0:\n"
    "        return 0.0\n"
    "    return math.sqrt(s)\n"
    "def loops(n):\n"
    "    total = 0\n"
    "    for i in range(n):\n"
    "        if i % 2 == 0 and i > 2:\n"
    "            continue\n"
    "        total += i\n"
    "    while total > 100:\n"
    "        total -= 7\n"
    "        if total < 50:\n"
    "            break\n"
    "    return total\n"
    "def strs(s):\n"
    "    t = s + '!'\n"
    "    print('len', len(t), t[0], t == 'ab!')\n"
    "    return t if len(t) > 2 else s\n"
    "def lists(xs):\n"
    "    out = []\n"
    "    for x in xs:\n"
    "        out.append(x * 2)\n"
    "    out[0] = out[-1]\n"
    "    return sum(out) + len(xs) + max(xs)\n"
    "def rounds(x):\n"
    "    sleep(0.0)\n"
    "    return round(x) + math.floor(x) + math.ceil(x) + round(x, 1)\n"
    "def caller(a):\n"
    "    b = inc(a)\n"
    "    c = helper(b, k=2)\n"
    "    return c\n"
    "def helper(x, k=1):\n"
    "    return (x, k)\n"
    "def nothing(x):\n"
    "    print(x)\n"
    "def tup(t):\n"
    "    a, b = t[0], t[1]\n"
    "    a, b = b, a\n"
    "    return a - b\n";

static Type *task_type(Graph *g, Task *t) { (void)g; return t->type; }

static void test_good(void) {
  Arena *a = arena_new();
  Node *m = parse(a, good);
  Graph *g = graph_new(a);
  add_funcs(g, m);
  Task *t_inc_i = call(g, "inc", "i");
  Task *t_inc_f = call(g, "inc", "f");
  Task *t_inc_i2 = call(g, "inc", "i");
  Task *t_arith = call(g, "arith", "ii");
  Task *t_arith_f = call(g, "arith", "ff");
  Task *t_norm = call(g, "norm", "ii");
  Task *t_loops = call(g, "loops", "i");
  Task *t_strs = call(g, "strs", "s");
  Task *t_lists = call(g, "lists", "l");
  Task *t_rounds = call(g, "rounds", "f");
  Task *t_caller = call(g, "caller", "i");
  Task *t_nothing = call(g, "nothing", "f");
  Task *t_tup = call(g, "tup", "i");
  /* tup takes a tuple: replace the int by (3, 2.5) */
  Val **items = ARENA_ARRAY(a, Val *, 2);
  items[0] = val_int(a, 3);
  items[1] = val_int(a, 4);
  t_tup->args[0] = val_seq(a, VAL_TUPLE, items, 2);
  Sema *sema = sema_graph(g, m);
  CHECK_MSG(task_type(g, t_inc_i) == ty_int, "inc(int) -> %s",
        ty_name(t_inc_i->type));
  CHECK_MSG(t_inc_f->type == ty_float, "inc(float) -> %s",
        ty_name(t_inc_f->type));
  CHECK_MSG(t_inc_i->spec == t_inc_i2->spec, "one spec per signature");
  CHECK_MSG(t_inc_i->spec != t_inc_f->spec, "two signatures, two specs");
  CHECK_MSG(!strcmp(t_inc_i->spec->name, "inc.int"), "spec name %s",
        t_inc_i->spec->name);
  CHECK_MSG(t_arith->type == ty_int, "arith(int, int) -> %s",
        ty_name(t_arith->type));
  CHECK_MSG(t_arith_f->type == ty_float, "arith(float, float) -> %s",
        ty_name(t_arith_f->type));
  CHECK_MSG(t_norm->type == ty_float, "norm -> %s", ty_name(t_norm->type));
  CHECK_MSG(t_norm->spec->params[0] == ty_float, "annotated float param");
  CHECK_MSG(t_loops->type == ty_int, "loops -> %s", ty_name(t_loops->type));
  CHECK_MSG(t_strs->type == ty_str, "strs -> %s", ty_name(t_strs->type));
  CHECK_MSG(t_lists->type == ty_int, "lists -> %s", ty_name(t_lists->type));
  CHECK_MSG(t_rounds->type == ty_float, "rounds -> %s", ty_name(t_rounds->type));
  CHECK_MSG(t_caller->type && t_caller->type->kind == TY_TUPLE, "caller -> %s",
        ty_name(t_caller->type));
  CHECK_MSG(t_nothing->type == ty_none, "nothing -> %s",
        ty_name(t_nothing->type));
  CHECK_MSG(t_tup->type == ty_int, "tup -> %s", ty_name(t_tup->type));

  /* lower every spec and verify */
  Cg cg = {.a = a, .g = g};
  cg.ctx = LLVMContextCreate();
  cg.mod = LLVMModuleCreateWithNameInContext("t", cg.ctx);
  cg.b = LLVMCreateBuilderInContext(cg.ctx);
  cg.t_void = LLVMVoidTypeInContext(cg.ctx);
  cg.t_i1 = LLVMInt1TypeInContext(cg.ctx);
  cg.t_i8 = LLVMInt8TypeInContext(cg.ctx);
  cg.t_i32 = LLVMInt32TypeInContext(cg.ctx);
  cg.t_i64 = LLVMInt64TypeInContext(cg.ctx);
  cg.t_f64 = LLVMDoubleTypeInContext(cg.ctx);
  cg.t_ptr = LLVMPointerTypeInContext(cg.ctx, 0);
  cg.t_value = LLVMStructCreateNamed(cg.ctx, "TrValue");
  LLVMTypeRef fields[] = {cg.t_i64, cg.t_i64};
  LLVMStructSetBody(cg.t_value, fields, 2, 0);
  int n;
  Spec **specs = sema_specs(sema, &n);
  CHECK_MSG(n >= 13, "specs: %d", n);
  for (int i = 0; i < n; i++)
    cg_spec_fn(&cg, specs[i]);
  /* and a kind-like wrapper that unboxes and boxes, as kinds.c does */
  LLVMTypeRef pt[] = {cg.t_ptr, cg.t_ptr, cg.t_ptr};
  LLVMValueRef k = LLVMAddFunction(cg.mod, "kind",
                                   LLVMFunctionType(cg.t_void, pt, 3, 0));
  LLVMPositionBuilderAtEnd(cg.b, LLVMAppendBasicBlockInContext(cg.ctx, k, ""));
  Spec *s = t_norm->spec;
  LLVMValueRef argv[2];
  for (int i = 0; i < 2; i++) {
    LLVMValueRef ix = LLVMConstInt(cg.t_i64, (unsigned)i, 0);
    argv[i] = cg_unbox(&cg, s->params[i],
                       LLVMBuildGEP2(cg.b, cg.t_value, LLVMGetParam(k, 0), &ix,
                                     1, ""));
  }
  LLVMValueRef fn = cg_spec_fn(&cg, s);
  LLVMValueRef r = LLVMBuildCall2(cg.b, LLVMGlobalGetValueType(fn), fn, argv,
                                  2, "");
  cg_box(&cg, s->ret, r, LLVMGetParam(k, 2));
  LLVMBuildRetVoid(cg.b);
  char *err = NULL;
  if (LLVMVerifyModule(cg.mod, LLVMReturnStatusAction, &err)) {
    CHECK_MSG(0, "module does not verify: %s", err);
    if (getenv("TEST_SEMA_DUMP"))
      LLVMDumpModule(cg.mod);
  }
  LLVMDisposeMessage(err);
  if (getenv("TEST_SEMA_DUMP") && !failures)
    LLVMDumpModule(cg.mod);
  LLVMDisposeBuilder(cg.b);
  LLVMDisposeModule(cg.mod);
  LLVMContextDispose(cg.ctx);
  arena_free(a);
}

/* Each program defines f; the graph calls f with the argument signature;
 * sema must fail with a message containing `want`. */
static void expect_error(const char *prog, const char *sig, const char *want) {
  Arena *a = arena_new();
  char *out = NULL;
  size_t outlen = 0;
  FILE *mem = open_memstream(&out, &outlen);
  jmp_buf jb;
  Diag d = {.out = mem, .recover = &jb};
  Diag *old = diag_use(&d);
  bool failed = false;
  if (setjmp(jb) == 0) {
    Node *m = parse(a, prog);
    Graph *g = graph_new(a);
    add_funcs(g, m);
    call(g, "f", sig);
    sema_graph(g, m);
  } else {
    failed = true;
  }
  diag_use(old);
  fclose(mem);
  CHECK_MSG(failed, "no error for:\n%s(want: %s)", prog, want);
  CHECK_MSG(failed && strstr(out, want), "for:\n%swant '%s', got:\n%s", prog,
        want, out);
  free(out);
  arena_free(a);
}

static void test_errors(void) {
  expect_error("def f(a):\n    return a + 'x'\n", "i",
               "unsupported operand type(s) for +: 'int' and 'str'");
  expect_error("def f(a):\n    return y\n", "i", "name 'y' is not defined");
  expect_error("def f(a):\n    return a[0]\n", "f",
               "'float' object is not subscriptable");
  expect_error("def f(a: float):\n    return a\n", "s",
               "argument 'a' of 'f' expects float, got str");
  expect_error("def f(a):\n    if a:\n        return 1\n", "i",
               "function 'f' returns int on line 3 but None at its end");
  expect_error("def f(a):\n    return f(a - 1)\n", "i",
               "cannot infer the return type of recursive function");
  expect_error("def f(a):\n    return g(a)\ndef g(b):\n    return f(b)\n", "i",
               "cannot infer the return type of recursive function");
  expect_error("def f(a):\n    x = 0\n    x = 1.5\n    return x\n", "i",
               "float()");
  expect_error("def f(a):\n    t = 0\n    t += a\n    return t\n", "f",
               "float()");
  expect_error("def f(a):\n    if a:\n        x = 1\n    return x\n", "i",
               "variable 'x' may be used before it is assigned");
  expect_error("def f(a):\n    if a:\n        return 1\n    return 2.0\n",
               "i", "returns int on line 3 but float on line 4");
  expect_error("def f(a):\n    break\n", "i", "'break' outside loop");
  expect_error("def f(a):\n    return len(a)\n", "i",
               "object of type 'int' has no len()");
  expect_error("def f(a):\n    return a < 'x'\n", "i",
               "'<' not supported between instances of 'int' and 'str'");
  expect_error("import math\ndef f(a):\n    return math.sqrt('x')\n", "i",
               "math.sqrt() argument must be a number, not 'str'");
  expect_error("def f(a, b):\n    return a\n", "i",
               "f() takes 2 positional arguments but 1 was given");
  expect_error("def f(a):\n    return math.sqrt(a)\n", "i",
               "name 'math' is not defined");
}

int main(void) {
  test_good();
  test_errors();
  if (failures)
    fprintf(stderr, "test_sema: %d failure(s)\n", failures);
  return failures != 0;
}
