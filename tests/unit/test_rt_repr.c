/* test_rt_repr.c - Python repr of floats, strings and containers, and JSON
 * as json.dumps writes it (expected texts from /usr/bin/python3). */
#include "test_rt_util.h"

static const char *frepr(double x) {
  static char buf[32];
  pyfloat_repr(buf, x);
  return buf;
}

static void test_floats(void) {
  CHECK_STR(frepr(0.1), "0.1");
  CHECK_STR(frepr(1e-05), "1e-05");
  CHECK_STR(frepr(1e16), "1e+16");
  CHECK_STR(frepr(1e15), "1000000000000000.0");
  CHECK_STR(frepr(123456789.0), "123456789.0");
  CHECK_STR(frepr(1.5e300), "1.5e+300");
  CHECK_STR(frepr(0.0001), "0.0001");
  CHECK_STR(frepr(9.999e-05), "9.999e-05");
  CHECK_STR(frepr(1.0), "1.0");
  CHECK_STR(frepr(-0.0), "-0.0");
  CHECK_STR(frepr(2.0 / 3), "0.6666666666666666");
  CHECK_STR(frepr(0.3), "0.3");
  CHECK_STR(frepr(1e22), "1e+22");
  CHECK_STR(frepr(1.7976931348623157e308), "1.7976931348623157e+308");
  CHECK_STR(frepr(123456789012345678.0), "1.2345678901234568e+17");
  CHECK_STR(frepr(5e-324), "5e-324");
  CHECK_STR(frepr(INFINITY), "inf");
  CHECK_STR(frepr(-INFINITY), "-inf");
  CHECK_STR(frepr(NAN), "nan");
  CHECK_STR(frepr(-2.5), "-2.5");
}

static char out[1024];

static const char *repr_of(TrValue v) {
  char *r = tr_repr(&v);
  snprintf(out, sizeof out, "%s", r);
  free(r);
  tr_decref(&v);
  return out;
}

static TrValue str(const char *s) { return tr_str_value(s, (int64_t)strlen(s)); }

static void test_strings(void) {
  CHECK_STR(repr_of(str("abc")), "'abc'");
  CHECK_STR(repr_of(str("it's")), "\"it's\"");
  CHECK_STR(repr_of(str("say \"hi\"")), "'say \"hi\"'");
  CHECK_STR(repr_of(str("it's \"x\"")), "'it\\'s \"x\"'");
  CHECK_STR(repr_of(str("a\nb\x01\x7f\xc3\xa9\xc2\x85\\")), "'a\\nb\\x01\\x7f\xc3\xa9\\x85\\\\'");
  CHECK_STR(repr_of(str("")), "''");
}

static void test_containers(void) {
  TrSeq *t1 = tr_seq_new(1);
  t1->items[0] = tr_int(1);
  CHECK_STR(repr_of(tr_obj(TR_TUPLE, t1)), "(1,)");
  CHECK_STR(repr_of(tr_obj(TR_TUPLE, tr_seq_new(0))), "()");
  TrSeq *l = tr_seq_new(0);
  TrValue v[] = {tr_int(-3), tr_float(0.5), tr_bool(true), {0}, str("x")};
  for (int i = 0; i < 5; i++)
    tr_list_append(l, &v[i]);
  CHECK_STR(repr_of(tr_obj(TR_LIST, l)), "[-3, 0.5, True, None, 'x']");
  TrDict *d = tr_dict_new();
  TrValue k1 = str("a"), v1 = tr_int(1), k2 = tr_int(2), v2 = tr_obj(TR_LIST, tr_seq_new(0));
  tr_dict_set(d, &k1, &v1);
  tr_dict_set(d, &k2, &v2);
  TrValue k3 = str("a"), v3 = tr_int(3); /* replaces the value, keeps key order */
  tr_dict_set(d, &k3, &v3);
  CHECK_STR(repr_of(tr_obj(TR_DICT, d)), "{'a': 3, 2: []}");
}

static const char *json_of(TrValue v) {
  Buf b = {0};
  const char *err = NULL;
  if (json_value(&b, &v, &err))
    snprintf(out, sizeof out, "%s", b.p);
  else
    snprintf(out, sizeof out, "!%s", err);
  free(b.p);
  tr_decref(&v);
  return out;
}

static void test_json(void) {
  CHECK_STR(json_of(str("a\"b\\c\n\t\x01\xc3\xa9\xf0\x9f\x98\x80\x7f")),
            "\"a\\\"b\\\\c\\n\\t\\u0001\\u00e9\\ud83d\\ude00\\u007f\"");
  TrSeq *f = tr_seq_new(7);
  double xs[] = {0.1, 1e16, NAN, INFINITY, -INFINITY, 1e-7, 5e-324};
  for (int i = 0; i < 7; i++)
    f->items[i] = tr_float(xs[i]);
  CHECK_STR(json_of(tr_obj(TR_TUPLE, f)), "[0.1, 1e+16, NaN, Infinity, -Infinity, 1e-07, 5e-324]");
  TrDict *d = tr_dict_new();
  TrValue k[] = {tr_int(1), tr_float(1.5), {0}, tr_bool(false)};
  const char *vals[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 4; i++) {
    TrValue v = str(vals[i]);
    tr_dict_set(d, &k[i], &v);
  }
  CHECK_STR(json_of(tr_obj(TR_DICT, d)), "{\"1\": \"a\", \"1.5\": \"b\", \"null\": \"c\", \"false\": \"d\"}");
  TrDict *bad = tr_dict_new();
  TrValue tk = tr_obj(TR_TUPLE, tr_seq_new(0)), tv = tr_int(1);
  tr_dict_set(bad, &tk, &tv);
  CHECK_STR(json_of(tr_obj(TR_DICT, bad)), "!keys must be str, int, float, bool or None, not tuple");
  CHECK_STR(json_of((TrValue){0}), "null");
  CHECK_STR(json_of(tr_bool(true)), "true");
}

int main(void) {
  int64_t live0 = tr_live_objects();
  test_floats();
  test_strings();
  test_containers();
  test_json();
  CHECK(tr_live_objects() == live0);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
