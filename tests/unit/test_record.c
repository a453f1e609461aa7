/* test_record.c - record types (ir/type.h ty_record): interning, names,
 * joins of records (keys some records lack, types that differ), settling
 * into plain dicts, and how ir/val.c types constant dicts. Prints only
 * failures; returns 0 when all pass. */
#include <stdio.h>
#include <string.h>

#include "ir.h"
#include "typedesc.h"
#include "test_check.h"

static Arena *A;

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if (!g_ || strcmp(g_, w_)) {                                               \
      fprintf(stderr, "%s:%d: got <%s>, want <%s>\n", __FILE__, __LINE__,     \
              g_ ? g_ : "(null)", w_);                                         \
      failures++;                                                              \
    }                                                                          \
  } while (0)

static Type *rec2(const char *a, Type *ta, const char *b, Type *tb) {
  const char *names[] = {a, b};
  Type *types[] = {ta, tb};
  return ty_record(names, types, 2);
}

static Type *rec1(const char *a, Type *ta) {
  return ty_record(&a, &ta, 1);
}

static void test_interning(void) {
  Type *r = rec2("name", ty_str, "age", ty_int);
  /* key order does not matter: fields are sorted */
  CHECK(r == rec2("age", ty_int, "name", ty_str));
  CHECK(r != rec2("age", ty_float, "name", ty_str));
  CHECK(ty_is_record(r) && r->kind == TY_DICT && r->key == ty_str);
  CHECK(r->val == ty_any);
  CHECK_STR(ty_name(r), "dict{'age': int, 'name': str}");
  CHECK(ty_field(r, "age") == ty_int && ty_field(r, "name") == ty_str);
  CHECK(ty_field(r, "city") == NULL);
  /* a field name is copied and compared by content */
  char buf[8];
  strcpy(buf, "age");
  CHECK(rec2(buf, ty_int, "name", ty_str) == r);
  /* a repeated key: the later value wins, as in a Python display */
  const char *names[] = {"a", "b", "a"};
  Type *types[] = {ty_int, ty_str, ty_float};
  CHECK(ty_record(names, types, 3) == rec2("a", ty_float, "b", ty_str));
  CHECK_STR(ty_name(rec2("it's", ty_int, "b\\", ty_str)),
            "dict{'b\\\\': str, 'it\\'s': int}");
  CHECK(!ty_is_record(ty_dict(ty_str, ty_int)));
}

static void test_join(void) {
  Type *r = rec2("age", ty_int, "name", ty_str);
  /* a key only one has keeps its type */
  Type *j = ty_join(r, rec1("city", ty_str));
  CHECK_STR(ty_name(j), "dict{'age': int, 'city': str, 'name': str}");
  /* ints and floats make float, other differences any */
  CHECK(ty_field(ty_join(r, rec1("age", ty_float)), "age") == ty_float);
  CHECK(ty_field(ty_join(r, rec1("age", ty_str)), "age") == ty_any);
  /* with a plain dict[str, T]: any key may hold a T */
  CHECK(ty_join(r, ty_dict(ty_str, ty_str)) == rec2("age", ty_any, "name",
                                                     ty_str));
  CHECK(ty_join(r, ty_dict(ty_any, ty_any)) == r); /* {} */
}

static void test_settle(void) {
  /* one type for every key: the plain dict */
  CHECK(ty_settle(rec2("a", ty_int, "b", ty_int)) == ty_dict(ty_str, ty_int));
  Type *r = rec2("a", ty_int, "b", ty_float);
  CHECK(ty_settle(r) == r);
  CHECK(r->val == ty_float);
  CHECK(ty_settle(ty_list(rec1("a", ty_int))) ==
        ty_list(ty_dict(ty_str, ty_int)));
}

static Val *str(const char *s) { return val_str(A, s, (int)strlen(s)); }

static void test_val_type(void) {
  Val *p1[] = {str("name"), str("Bob"), str("age"), val_int(A, 25)};
  Val *p2[] = {str("name"), str("Al")};
  Val *rows[] = {val_seq(A, VAL_DICT, p1, 4), val_seq(A, VAL_DICT, p2, 2)};
  Type *r = rec2("age", ty_int, "name", ty_str);
  CHECK(val_type(rows[0]) == r);
  /* alone, {"name": "Al"} is a dict[str, str]; in the list, a record */
  CHECK(val_type(rows[1]) == ty_dict(ty_str, ty_str));
  CHECK(val_type(val_seq(A, VAL_LIST, rows, 2)) == ty_list(r));
  /* a key with a NUL: a plain dict */
  Val *p3[] = {val_str(A, "a\0b", 3), val_int(A, 1), str("c"), str("x")};
  CHECK(val_type(val_seq(A, VAL_DICT, p3, 4)) == ty_dict(ty_str, ty_any));
  /* more keys than TY_MAX_FIELDS: a plain dict */
  Val *many[2 * (TY_MAX_FIELDS + 1)];
  for (int i = 0; i <= TY_MAX_FIELDS; i++) {
    char k[16];
    snprintf(k, sizeof k, "k%d", i);
    many[2 * i] = str(arena_strdup(A, k));
    many[2 * i + 1] = i ? val_int(A, i) : str("s");
  }
  CHECK(val_type(val_seq(A, VAL_DICT, many, 2 * (TY_MAX_FIELDS + 1))) ==
        ty_dict(ty_str, ty_any));
}

/* A type written by ty_desc reads back as itself (ir/typedesc.h); what
 * is not a whole description reads as NULL. */
static void test_desc(void) {
  Type *people = rec2("age", ty_int, "name", ty_str);
  Type *nested = rec2("who", people, "tags", ty_list(ty_str));
  Type *all[] = {ty_any, ty_none, ty_bool, ty_int, ty_float, ty_str,
                 ty_list(ty_list(ty_float)), ty_dict(ty_str, ty_int),
                 people, nested, ty_list(nested), rec1("a b:;", ty_none)};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    CHECK_MSG(ty_from_desc(ty_desc(A, all[i])) == all[i], "%s did not come back\n",
              ty_name(all[i]));
  CHECK_STR(ty_desc(A, people), "r2;3:agei4:names");
  const char *bad[] = {"", "x", "l", "ii", "r2;3:agei", "r1;9:ab", "r-1;", "r1;1:a",
                       "lllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllli"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK_MSG(!ty_from_desc(bad[i]), "'%s' was read\n", bad[i]);
}

int main(void) {
  A = arena_new();
  test_desc();
  test_interning();
  test_join();
  test_settle();
  test_val_type();
  arena_free(A);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
