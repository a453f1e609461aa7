/* test_ir.c - the graph IR through its API: types, the op table and its
 * typing rules, values (equality, hashing, Python repr), graphs (keys,
 * linking, printing, verifying). Prints only failures; returns 0 when all
 * pass. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir.h"
#include "test_check.h"


#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if (!g_ || strcmp(g_, w_)) {                                               \
      fprintf(stderr, "%s:%d: got <%s>, want <%s>\n", __FILE__, __LINE__,     \
              g_ ? g_ : "(null)", w_);                                         \
      failures++;                                                              \
    }                                                                          \
  } while (0)

static Arena *A;

/* ---- types ---- */

static void test_types(void) {
  CHECK(ty_list(ty_int) == ty_list(ty_int));
  CHECK(ty_list(ty_int) != ty_list(ty_float));
  Type *e[] = {ty_int, ty_str};
  CHECK(ty_tuple(e, 2) == ty_tuple(e, 2));
  CHECK_STR(ty_name(ty_int), "int");
  CHECK_STR(ty_name(ty_any), "any");
  CHECK_STR(ty_name(ty_list(ty_float)), "list[float]");
  CHECK_STR(ty_name(ty_tuple(e, 2)), "tuple[int, str]");
  CHECK_STR(ty_name(ty_tuple(NULL, 0)), "tuple[()]");
  CHECK_STR(ty_name(ty_dict(ty_str, ty_int)), "dict[str, int]");
  CHECK_STR(ty_name(ty_list(ty_list(ty_bool))), "list[list[bool]]");
  CHECK(ty_join(ty_int, ty_float) == ty_float);
  CHECK(ty_join(ty_bool, ty_int) == ty_int);
  CHECK(ty_join(ty_int, ty_str) == ty_any);
  CHECK(ty_join(ty_list(ty_int), ty_list(ty_float)) == ty_list(ty_float));
  CHECK(ty_join(NULL, ty_str) == ty_str);
  CHECK(ty_is_numeric(ty_bool) && !ty_is_numeric(ty_str));
  /* Nesting is capped, so names and joins stay bounded. */
  Type *t = ty_int;
  for (int i = 0; i < 1000; i++)
    t = ty_list(t);
  CHECK(t == ty_any || strlen(ty_name(t)) < 1000);
}

/* ---- ops ---- */

static Type *rt(const char *op, Type *a, Type *b, int n, OpError *err) {
  Type *args[] = {a, b};
  err->msg[0] = 0;
  return op_result_type(op_lookup(op), args, n, err);
}

static void check_type(const char *op, Type *a, Type *b, int n, Type *want) {
  OpError err;
  Type *got = rt(op, a, b, n, &err);
  if (got != want) {
    fprintf(stderr, "%s(%s, %s): got %s (%s), want %s\n", op, ty_name(a),
            n > 1 ? ty_name(b) : "-", got ? ty_name(got) : "error",
            err.msg, ty_name(want));
    failures++;
  }
}

static void check_error(const char *op, Type *a, Type *b, int n,
                        const char *want) {
  OpError err;
  Type *got = rt(op, a, b, n, &err);
  CHECK(got == NULL);
  CHECK_STR(err.msg, want);
}

static void test_op_table(void) {
  const Op *add = op_lookup("operator.add");
  CHECK(add && add->id == OP_add);
  CHECK_STR(add->label, "add");
  CHECK_STR(add->rt_symbol, "tr_op_add");
  CHECK_STR(op_lookup("math.pow")->label, "pow");
  CHECK_STR(op_lookup("math.pow")->rt_symbol, "tr_op_math_pow");
  CHECK_STR(op_lookup("sum")->label, "sum");
  CHECK_STR(op_lookup("random.uniform")->label, "uniform");
  CHECK(op_lookup("operator.nope") == NULL);
  CHECK(op_lookup("") == NULL);
  CHECK(op_get(OP_sum)->fold == LISTFOLD);
  CHECK(op_get(OP_print)->purity == IMPURE);
  CHECK_STR(op_lookup("bool")->rt_symbol, "tr_op_bool"); /* bool: a macro */
  CHECK(!op_is_chunk_kernel(add) && !op_is_chunk_kernel(NULL));
  const Op *aadd = op_lookup("array.add");
  CHECK(aadd && aadd->family == CHUNK_ELEM && op_is_chunk_kernel(aadd));
  CHECK(op_lookup("array.combine")->family == CHUNK_BLOCK);
  for (int i = 0; i < OP_COUNT; i++) {
    /* only SCALAR ops have a run-time implementation */
    CHECK((op_table[i].rt_symbol != NULL) == (op_table[i].family == SCALAR));
    CHECK(op_table[i].id == (OpId)i);
    CHECK(op_lookup(op_table[i].name) == &op_table[i]);
    CHECK(strchr(op_table[i].label, '.') == NULL);
  }
}

/* An op's id is its name with the dots made underscores; builtins and
 * module operator have no prefix (ops.def). */
static void test_op_ids(void) {
  static const struct { const char *id, *name; } ops[] = {
#define OP(id, name, mina, maxa, purity, fold, rule, family) {#id, name},
#include "ops.def"
#undef OP
  };
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
    const char *name = ops[i].name;
    if (!strncmp(name, "operator.", 9))
      name += 9;
    char want[64];
    snprintf(want, sizeof want, "%s", name);
    for (char *c = want; *c; c++)
      if (*c == '.')
        *c = '_';
    CHECK_STR(ops[i].id, want);
  }
}

static void test_op_types(void) {
  Type *li = ty_list(ty_int), *lf = ty_list(ty_float);
  check_type("operator.add", ty_int, ty_int, 2, ty_int);
  check_type("operator.add", ty_bool, ty_bool, 2, ty_int);
  check_type("operator.add", ty_int, ty_float, 2, ty_float);
  check_type("operator.add", ty_str, ty_str, 2, ty_str);
  check_type("operator.add", li, lf, 2, lf);
  check_type("operator.mul", ty_str, ty_int, 2, ty_str);
  check_type("operator.mul", ty_int, li, 2, li);
  check_type("operator.mod", ty_str, ty_int, 2, ty_str);
  check_type("operator.floordiv", ty_float, ty_int, 2, ty_float);
  check_type("operator.truediv", ty_int, ty_int, 2, ty_float);
  check_type("operator.add", ty_any, ty_int, 2, ty_any);
  check_type("operator.pow", ty_int, ty_int, 2, ty_int);
  check_type("operator.pow", ty_int, ty_float, 2, ty_float);
  check_type("sum", li, NULL, 1, ty_int);
  check_type("sum", lf, NULL, 1, ty_float);
  check_type("sum", ty_list(ty_bool), NULL, 1, ty_int);
  check_type("sum", li, ty_float, 2, ty_float);
  check_type("min", ty_list(ty_str), NULL, 1, ty_str);
  check_type("max", ty_int, ty_float, 2, ty_float);
  check_type("abs", ty_bool, NULL, 1, ty_int);
  check_type("operator.neg", ty_float, NULL, 1, ty_float);
  check_type("round", ty_float, NULL, 1, ty_int);
  check_type("round", ty_float, ty_int, 2, ty_float);
  check_type("round", ty_int, ty_int, 2, ty_int);
  check_type("len", ty_str, NULL, 1, ty_int);
  check_type("operator.getitem", li, ty_int, 2, ty_int);
  check_type("operator.getitem", ty_dict(ty_str, ty_float), ty_str, 2,
             ty_float);
  check_type("operator.getitem", ty_str, ty_int, 2, ty_str);
  check_type("operator.lt", ty_int, ty_float, 2, ty_bool);
  check_type("math.sqrt", ty_int, NULL, 1, ty_float);
  check_type("sorted", ty_list(ty_str), NULL, 1, ty_list(ty_str));
  check_type("print", ty_int, ty_str, 2, ty_none);

  check_error("operator.add", ty_str, ty_int, 2,
              "unsupported operand type(s) for +: 'str' and 'int'");
  check_error("operator.sub", li, li, 2,
              "unsupported operand type(s) for -: 'list' and 'list'");
  check_error("operator.pow", ty_none, ty_int, 2,
              "unsupported operand type(s) for ** or pow(): 'NoneType' and "
              "'int'");
  check_error("sum", ty_list(ty_str), NULL, 1,
              "unsupported operand type(s) for +: 'int' and 'str'");
  check_error("sum", ty_int, NULL, 1, "'int' object is not iterable");
  check_error("abs", ty_str, NULL, 1, "bad operand type for abs(): 'str'");
  check_error("operator.neg", ty_str, NULL, 1,
              "bad operand type for unary -: 'str'");
  check_error("operator.lt", ty_str, ty_int, 2,
              "'<' not supported between instances of 'str' and 'int'");
  check_error("len", ty_int, NULL, 1, "object of type 'int' has no len()");
  check_error("operator.getitem", ty_int, ty_int, 2,
              "'int' object is not subscriptable");
  check_error("operator.getitem", li, ty_str, 2,
              "list indices must be integers or slices, not str");
  check_error("math.sqrt", ty_str, NULL, 1, "must be real number, not str");
  check_error("len", ty_int, ty_int, 2, "len() takes exactly one argument (2 given)");

  /* A constant index into a tuple picks the element. */
  Val *items[] = {val_int(A, 1), val_str(A, "a", 1)};
  Val *args[] = {val_seq(A, VAL_TUPLE, items, 2), val_int(A, 1)};
  OpError err;
  CHECK(op_type_of_args(op_lookup("operator.getitem"), args, 2, &err) ==
        ty_str);
  args[1] = val_int(A, -2);
  CHECK(op_type_of_args(op_lookup("operator.getitem"), args, 2, &err) ==
        ty_int);
  args[1] = val_int(A, 2);
  CHECK(op_type_of_args(op_lookup("operator.getitem"), args, 2, &err) ==
        NULL);
  CHECK_STR(err.msg, "tuple index out of range");
}

/* ---- values ---- */

static void check_repr(Val *v, const char *want) {
  CHECK_STR(val_repr(A, v), want);
}

static Val *S(const char *s) { return val_str(A, s, (int)strlen(s)); }

static void test_repr(void) {
  check_repr(val_none(A), "None");
  check_repr(val_bool(A, true), "True");
  check_repr(val_int(A, -42), "-42");
  check_repr(S("a"), "'a'");
  check_repr(S("it's"), "\"it's\"");
  check_repr(S("say \"hi\" it's"), "'say \"hi\" it\\'s'");
  check_repr(S("a\nb\\\t"), "'a\\nb\\\\\\t'");
  check_repr(val_str(A, "\x01\x7f", 2), "'\\x01\\x7f'");
  struct { double f; const char *s; } floats[] = {
      {0.1, "0.1"}, {1e-5, "1e-05"}, {1e16, "1e+16"}, {1.0, "1.0"},
      {100.0, "100.0"}, {1234.5, "1234.5"}, {-0.0, "-0.0"}, {0.0001, "0.0001"},
      {123456789012345.0, "123456789012345.0"}, {1e15, "1000000000000000.0"},
      {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
      {2.5e-7, "2.5e-07"}, {1.0 / 3, "0.3333333333333333"},
      {INFINITY, "inf"}, {-INFINITY, "-inf"}, {NAN, "nan"}, {1e22, "1e+22"},
      {0.30000000000000004, "0.30000000000000004"}};
  for (size_t i = 0; i < sizeof floats / sizeof *floats; i++)
    check_repr(val_float(A, floats[i].f), floats[i].s);
  Val *one[] = {val_int(A, 1)};
  check_repr(val_seq(A, VAL_TUPLE, one, 1), "(1,)");
  check_repr(val_seq(A, VAL_TUPLE, NULL, 0), "()");
  check_repr(val_seq(A, VAL_LIST, NULL, 0), "[]");
  Val *two[] = {S("a"), val_int(A, 0)};
  check_repr(val_seq(A, VAL_TUPLE, two, 2), "('a', 0)");
  Val *kv[] = {S("k"), val_none(A), S("j"), val_seq(A, VAL_LIST, two, 2)};
  check_repr(val_seq(A, VAL_DICT, kv, 4), "{'k': None, 'j': ['a', 0]}");
  check_repr(val_seq(A, VAL_DICT, NULL, 0), "{}");
}

static void test_equal_hash(void) {
  Val *i1 = val_int(A, 1), *f1 = val_float(A, 1.0), *b1 = val_bool(A, true);
  CHECK(!val_equal(i1, f1) && !val_equal(i1, b1) && !val_equal(f1, b1));
  CHECK(val_equal(i1, val_int(A, 1)));
  CHECK(!val_equal(val_float(A, 0.0), val_float(A, -0.0)));
  CHECK(val_equal(val_float(A, NAN), val_float(A, NAN)));
  Val *a[] = {S("x"), val_int(A, 2)}, *b[] = {S("x"), val_int(A, 2)};
  Val *la = val_seq(A, VAL_LIST, a, 2), *lb = val_seq(A, VAL_LIST, b, 2);
  CHECK(val_equal(la, lb) && val_hash(la) == val_hash(lb));
  CHECK(!val_equal(la, val_seq(A, VAL_TUPLE, a, 2)));
  CHECK(val_hash(la) != val_hash(val_seq(A, VAL_TUPLE, a, 2)));
  Task t1 = {0}, t2 = {0};
  CHECK(val_equal(val_ref(A, &t1), val_ref(A, &t1)));
  CHECK(!val_equal(val_ref(A, &t1), val_ref(A, &t2)));
  /* [[1], 2] and [[1, 2]] */
  Val *in1[] = {val_int(A, 1)}, *in12[] = {val_int(A, 1), val_int(A, 2)};
  Val *x[] = {val_seq(A, VAL_LIST, in1, 1), val_int(A, 2)};
  Val *y[] = {val_seq(A, VAL_LIST, in12, 2)};
  CHECK(val_hash(val_seq(A, VAL_LIST, x, 2)) !=
        val_hash(val_seq(A, VAL_LIST, y, 1)));
}

static void count_ref(Val *ref, void *ctx) {
  (void)ref;
  (*(int *)ctx)++;
}

/* x = [x] a million times: every walk is iterative. */
static void test_deep_value(void) {
  Task t = {0};
  t.name = "'t'";
  Val *v = val_ref(A, &t);
  for (int i = 0; i < 1000000; i++)
    v = val_seq(A, VAL_LIST, &v, 1);
  Val *w = val_ref(A, &t);
  for (int i = 0; i < 1000000; i++)
    w = val_seq(A, VAL_LIST, &w, 1);
  CHECK(val_equal(v, w));
  CHECK(val_hash(v) == val_hash(w));
  int n = 0;
  val_visit_refs(v, count_ref, &n);
  CHECK(n == 1);
  char *s = val_repr(A, v);
  CHECK(strlen(s) == 2000000 + 3);
  CHECK(!strncmp(s, "[[[", 3) && !strncmp(s + 1000000, "'t']", 4));
  CHECK(val_type(v) != NULL);
  t.type = ty_int;
  CHECK(val_type(v) == ty_any || val_type(v)->kind == TY_LIST);
}

static void test_val_type(void) {
  Val *a[] = {val_int(A, 1), val_float(A, 2.5)};
  CHECK(val_type(val_seq(A, VAL_LIST, a, 2)) == ty_list(ty_float));
  Type *e[] = {ty_int, ty_float};
  CHECK(val_type(val_seq(A, VAL_TUPLE, a, 2)) == ty_tuple(e, 2));
  Task t = {0};
  CHECK(val_type(val_ref(A, &t)) == NULL);
  t.type = ty_str;
  Val *kv[] = {val_ref(A, &t), val_int(A, 1)};
  CHECK(val_type(val_seq(A, VAL_DICT, kv, 2)) == ty_dict(ty_str, ty_int));
}

/* ---- graphs ---- */

static Task *call(Graph *g, const char *op, Val **args, int n) {
  const Op *o = op_lookup(op);
  Task *t = graph_add(g, TASK_CALL, NULL, o->label, (Loc){0});
  t->op = o;
  t->pure = true;
  t->args = ARENA_ARRAY(A, Val *, n);
  memcpy(t->args, args, sizeof(Val *) * (size_t)n);
  t->nargs = n;
  return t;
}

static Task *data(Graph *g, Val *key, Val *v) {
  Task *t = graph_add(g, TASK_DATA, key, NULL, (Loc){0});
  t->args = ARENA_ARRAY(A, Val *, 1);
  t->args[0] = v;
  t->nargs = 1;
  return t;
}

static char *printed(const Graph *g) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  graph_print(f, g);
  fclose(f);
  char *s = arena_strdup(A, buf);
  free(buf);
  return s;
}

static void test_graph(void) {
  Graph *g = graph_new(A);
  Task *x = data(g, S("x"), val_int(A, 1));
  Val *k0[] = {S("a"), val_int(A, 0)};
  Task *a0 = call(g, "operator.neg", (Val *[]){val_ref(A, x)}, 1);
  a0->key = val_seq(A, VAL_TUPLE, k0, 2);
  a0->name = val_repr(A, a0->key);
  a0->pure = false;
  a0->type = ty_int;
  Val *lst[] = {val_ref(A, a0), val_ref(A, x)};
  Task *s = call(g, "sum", (Val *[]){val_seq(A, VAL_LIST, lst, 2)}, 1);
  Task *add = call(g, "operator.add",
                   (Val *[]){val_ref(A, s), val_ref(A, x)}, 2);
  add->type = ty_int;
  add->priority = 3;
  graph_add_output(g, "total", add, (Loc){0});
  graph_link(g);
  CHECK_STR(s->name, "'sum-2'");
  CHECK_STR(add->name, "'add-3'");
  CHECK(s->ndeps == 2 && s->deps[0] == a0 && s->deps[1] == x);
  CHECK(add->ndeps == 2 && add->deps[0] == s && add->deps[1] == x);
  CHECK(x->nusers == 3 && x->users[0] == a0 && x->users[2] == add);
  CHECK(add->nout == 1 && s->nout == 0);
  CHECK(graph_nedges(g) == 5);
  CHECK_STR(task_label(A, add), "add");
  CHECK_STR(task_label(A, x), "x");
  CHECK(graph_verify(g, "test"));
  CHECK_STR(printed(g), "'x' = 1\n"
                        "('a', 0) = neg('x') :: int\n"
                        "'sum-2' = sum([('a', 0), 'x']) [pure]\n"
                        "'add-3' = add('sum-2', 'x') :: int [pure, prio 3]\n"
                        "output total = 'add-3'\n");

  /* Linking again after edits gives the same edges, reusing arrays. */
  graph_link(g);
  CHECK(x->nusers == 3 && graph_nedges(g) == 5);

  /* compact drops a task; ids follow. */
  bool keep[] = {true, true, true, true};
  graph_compact(g, keep);
  CHECK(g->ntasks == 4 && add->id == 3);

  /* A cycle and a dangling ref are reported. */
  x->args[0] = val_ref(A, add);
  graph_link(g);
  CHECK(!verify_quietly(g));
  x->args[0] = val_int(A, 1);
  graph_link(g);
  CHECK(verify_quietly(g));
  Task stray = {0};
  stray.name = "'stray'";
  stray.id = 99;
  add->args[1] = val_ref(A, &stray);
  graph_link(g);
  CHECK(!verify_quietly(g));
}

int main(void) {
  A = arena_new();
  test_types();
  test_op_table();
  test_op_ids();
  test_op_types();
  test_repr();
  test_equal_hash();
  test_val_type();
  test_deep_value();
  test_graph();
  arena_free(A);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
