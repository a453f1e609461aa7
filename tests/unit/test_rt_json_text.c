/* test_rt_json_text.c - json.loads and json.dumps of programs
 * (runtime/json_load.c, runtime/json_dump.c).
 *
 *   test_rt_json_text          edge cases with CPython 3.11's answers:
 *                              values, escapes, numbers, every error text
 *                              and position, dumps' keys and failures, no
 *                              leaks after failures
 *   test_rt_json_text --serve  a driver for tests/json/json_diff.py; reads
 *       one request a line and answers with one line:
 *         "L HEX"   json.loads of the bytes HEX -> "OK DUMPS" (json.dumps
 *                   of the value)
 *         "D TERMS" json.dumps of the value TERMS spell in prefix form
 *                   (N T F i<int> f<16 hex digits of the double's bits>
 *                   s<hex> l<n> t<n> d<n>, space separated; a container's
 *                   items follow it, a dict's as key value pairs) -> "OK TEXT"
 *       or "ERR MESSAGE" when the op fails the task. */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_fit.h"
#include "rt.h"
#include "test_rt_check.h"

static jmp_buf fail_jb;

/* Runs loads (dump 0) or dumps (dump 1) of *in; the result's text (dumps
 * of the loaded value) or the failure's message, malloc'd; *ok says which. */
static char *run(const TrValue *in, bool dump, bool *ok) {
  TrValue out = {TR_NONE, {0}};
  tr_fail_jmp = &fail_jb;
  *ok = setjmp(fail_jb) == 0;
  if (*ok) {
    if (dump)
      tr_op_json_dumps(in, 1, &out);
    else
      tr_op_json_loads(in, 1, &out);
  }
  tr_fail_jmp = NULL;
  if (!*ok)
    return strdup(tr_fail_msg);
  char *text;
  if (dump) {
    text = strdup(((TrStr *)out.u.p)->data);
  } else {
    Buf b = {0};
    tr_json_dumps(&b, &out);
    text = buf_cstr(&b);
  }
  tr_decref(&out);
  return text;
}

static void check_loads(const char *doc, const char *want, bool want_ok, int line) {
  TrValue in = tr_str_value(doc, (int64_t)strlen(doc));
  bool ok;
  char *got = run(&in, false, &ok);
  CHECK(ok == want_ok && !strcmp(got, want), "line %d: loads(%s): got %s [%s], want [%s]",
        line, doc, ok ? "value" : "error", got, want);
  free(got);
  tr_decref(&in);
}
#define LOADS(doc, want) check_loads(doc, want, true, __LINE__)
#define LOADS_ERR(doc, want) check_loads(doc, want, false, __LINE__)

/* Python 3.11: json.dumps(json.loads(doc)) */
static void test_values(void) {
  LOADS(" {\"a\": [1, 2.5, -0.0, 1E3, 1e-2], \"b\" :null,\"c\":\t\ntrue } ",
        "{\"a\": [1, 2.5, -0.0, 1000.0, 0.01], \"b\": null, \"c\": true}");
  LOADS("{\"a\": 1, \"b\": 2, \"a\": 3}", "{\"a\": 3, \"b\": 2}");
  LOADS("[NaN, Infinity, -Infinity, false]", "[NaN, Infinity, -Infinity, false]");
  LOADS("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\"");
  LOADS("\"\\ud83d\\ude00 \xf0\x9f\x98\x80\"", "\"\\ud83d\\ude00 \\ud83d\\ude00\"");
  LOADS("\"\\ud800\\u0041 \\udc00\"", "\"\\ud800A \\udc00\"");
  LOADS("\"\\ud800\"", "\"\\ud800\"");
  LOADS("9223372036854775807", "9223372036854775807");
  LOADS("-9223372036854775808", "-9223372036854775808");
  LOADS("1e400", "Infinity");
  LOADS("2.2250738585072011e-308", "2.225073858507201e-308");
  LOADS("0.1000000000000000055511151231257827", "0.1");
  LOADS("[[], {}, [[]], {\"\": {}}]", "[[], {}, [[]], {\"\": {}}]");
}

/* Python 3.11: str(e) of the JSONDecodeError */
static void test_errors(void) {
  LOADS_ERR("", "Expecting value: line 1 column 1 (char 0)");
  LOADS_ERR("  ", "Expecting value: line 1 column 3 (char 2)");
  LOADS_ERR("[1,]", "Expecting value: line 1 column 4 (char 3)");
  LOADS_ERR("[1,\n 2,]", "Expecting value: line 2 column 4 (char 7)");
  LOADS_ERR("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)");
  LOADS_ERR("{\"a\":1,}",
            "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)");
  LOADS_ERR("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
  LOADS_ERR("[", "Expecting value: line 1 column 2 (char 1)");
  LOADS_ERR("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)");
  LOADS_ERR("{\"a\":1 \"b\"}", "Expecting ',' delimiter: line 1 column 8 (char 7)");
  LOADS_ERR("1 2", "Extra data: line 1 column 3 (char 2)");
  LOADS_ERR("01", "Extra data: line 1 column 2 (char 1)");
  LOADS_ERR("1.", "Extra data: line 1 column 2 (char 1)");
  LOADS_ERR("1e+", "Extra data: line 1 column 2 (char 1)");
  LOADS_ERR("-", "Expecting value: line 1 column 1 (char 0)");
  LOADS_ERR("-x", "Expecting value: line 1 column 1 (char 0)");
  LOADS_ERR("nul", "Expecting value: line 1 column 1 (char 0)");
  LOADS_ERR("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)");
  LOADS_ERR("[\"ab\\", "Unterminated string starting at: line 1 column 2 (char 1)");
  LOADS_ERR("\"a\x01\"", "Invalid control character at: line 1 column 3 (char 2)");
  LOADS_ERR("\"\\x\"", "Invalid \\escape: line 1 column 2 (char 1)");
  LOADS_ERR("\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
  LOADS_ERR("\"\\u0041", "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
  LOADS_ERR("\"\\ud800\\u12g4\"", "Invalid \\uXXXX escape: line 1 column 9 (char 8)");
  LOADS_ERR("\xef\xbb\xbf" "1",
            "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)");
  /* columns count code points: "é€😀" are 3, not 9 bytes */
  LOADS_ERR("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\", x]",
            "Expecting value: line 1 column 9 (char 8)");
  LOADS_ERR("99999999999999999999", "json.loads: the int 99999999999999999999 does not fit "
            "in 64 bits (taskc's ints are int64)");
  char deep[3001];
  memset(deep, '[', 3000);
  deep[3000] = 0;
  LOADS_ERR(deep, "maximum recursion depth exceeded while decoding a JSON array from a "
            "unicode string");
  TrValue i = tr_int(3);
  bool ok;
  char *m = run(&i, false, &ok);
  CHECK(!ok && !strcmp(m, "the JSON object must be str, bytes or bytearray, not int"), "%s", m);
  free(m);
}

/* A JSONDecodeError is a ValueError for `except ValueError` in bodies. */
static void test_kind(void) {
  TrTry t;
  TrValue in = tr_str_value("[", 1);
  TrValue out;
  tr_fail_jmp = &fail_jb;
  if (setjmp(fail_jb) == 0) {
    tr_try_push(&t);
    if (_setjmp(*(jmp_buf *)t.jb) == 0)
      tr_op_json_loads(&in, 1, &out);
    CHECK(tr_try_caught(&t) == TR_EXC_VALUE, "JSONDecodeError caught as ValueError");
  }
  tr_fail_jmp = NULL;
  tr_decref(&in);
}

static TrValue str_(const char *s) { return tr_str_value(s, (int64_t)strlen(s)); }

static void check_dumps(TrValue v, const char *want, bool want_ok, int line) {
  bool ok;
  char *got = run(&v, true, &ok);
  CHECK(ok == want_ok && !strcmp(got, want), "line %d: dumps: got %s [%s], want [%s]", line,
        ok ? "text" : "error", got, want);
  free(got);
  tr_decref(&v);
}

static void put(TrDict *d, TrValue k, TrValue v) { tr_dict_set(d, &k, &v); }

/* Python 3.11's json.dumps of the same values */
static void test_dumps(void) {
  TrDict *d = tr_dict_new();
  put(d, tr_int(1), tr_float(1e16));
  put(d, tr_float(1.5), tr_float(0.1));
  put(d, tr_bool(false), tr_float(-INFINITY));
  put(d, (TrValue){TR_NONE, {0}}, tr_float(NAN));
  put(d, str_("\xc3\xa9\xf0\x9f\x98\x80\x7f\n"), tr_bool(true));
  put(d, tr_float(INFINITY), (TrValue){TR_NONE, {0}});
  check_dumps(tr_obj(TR_DICT, d),
              "{\"1\": 1e+16, \"1.5\": 0.1, \"false\": -Infinity, \"null\": NaN, "
              "\"\\u00e9\\ud83d\\ude00\\u007f\\n\": true, \"Infinity\": null}",
              true, __LINE__);
  TrSeq *t = tr_seq_new(2);
  t->items[0] = tr_int(-7);
  t->items[1] = str_("");
  check_dumps(tr_obj(TR_TUPLE, t), "[-7, \"\"]", true, __LINE__);
  TrDict *bad = tr_dict_new();
  TrSeq *kt = tr_seq_new(1);
  put(bad, tr_obj(TR_TUPLE, kt), tr_int(1));
  TrSeq *outer = tr_seq_new(1);
  outer->items[0] = tr_obj(TR_DICT, bad);
  check_dumps(tr_obj(TR_LIST, outer),
              "keys must be str, int, float, bool or None, not tuple", false, __LINE__);
  int64_t shape[1] = {2};
  TrArray *a = tr_array_new(TR_F64, 1, shape);
  check_dumps(tr_obj(TR_ARRAY, a), "Object of type ndarray is not JSON serializable", false,
              __LINE__);
}

/* ---- the --serve driver ---- */

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

static char *unhex(const char *h, int64_t *n) {
  size_t len = strlen(h) / 2;
  char *s = malloc(len + 1);
  for (size_t i = 0; i < len; i++)
    s[i] = (char)(hexval(h[2 * i]) * 16 + hexval(h[2 * i + 1]));
  s[len] = 0;
  *n = (int64_t)len;
  return s;
}

/* One value in prefix form from *p (advanced past it). */
static TrValue term(char **p) {
  char *t = strtok_r(NULL, " ", p);
  if (!t)
    return (TrValue){TR_NONE, {0}};
  switch (t[0]) {
  case 'T': return tr_bool(true);
  case 'F': return tr_bool(false);
  case 'i': return tr_int(strtoll(t + 1, NULL, 10));
  case 'f': {
    uint64_t bits = strtoull(t + 1, NULL, 16);
    double x;
    memcpy(&x, &bits, sizeof x);
    return tr_float(x);
  }
  case 's': {
    int64_t n;
    char *s = unhex(t + 1, &n);
    TrValue v = tr_str_value(s, n);
    free(s);
    return v;
  }
  case 'l':
  case 't': {
    int64_t n = atoll(t + 1);
    TrSeq *s = tr_seq_new(n);
    for (int64_t i = 0; i < n; i++)
      s->items[i] = term(p);
    return tr_obj(t[0] == 'l' ? TR_LIST : TR_TUPLE, s);
  }
  case 'd': {
    int64_t n = atoll(t + 1);
    TrDict *d = tr_dict_new();
    for (int64_t i = 0; i < n; i++) {
      TrValue k = term(p), v = term(p);
      tr_dict_set(d, &k, &v);
    }
    return tr_obj(TR_DICT, d);
  }
  default: return (TrValue){TR_NONE, {0}};
  }
}

static void serve_line(char *line) {
  char *save = NULL;
  char *op = strtok_r(line, " ", &save);
  if (!op)
    return;
  TrValue in;
  if (op[0] == 'L') {
    char *h = strtok_r(NULL, " ", &save);
    int64_t n;
    char *s = unhex(h ? h : "", &n);
    in = tr_str_value(s, n);
    free(s);
  } else {
    in = term(&save);
  }
  bool ok;
  char *text = run(&in, op[0] == 'D', &ok);
  printf("%s %s\n", ok ? "OK" : "ERR", text);
  free(text);
  tr_decref(&in);
}

static int serve(void) {
  size_t cap = 0;
  char *line = NULL;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    line[strcspn(line, "\n")] = 0;
    serve_line(line);
    fflush(stdout);
  }
  free(line);
  printf("LIVE %lld\n", (long long)tr_live_objects());
  return 0;
}

/* json_fit.c: a loaded value against a type description (ir/typedesc.h). */
static void check_fit(const char *desc, const char *doc, const char *want) {
  TrFit *f = tr_fit_parse(desc);
  CHECK(f != NULL, "'%s' did not parse", desc);
  if (!f)
    return;
  TrValue v;
  Buf why = {0};
  bool parsed = tr_json_parse(doc, (int64_t)strlen(doc), &v, &why, NULL);
  CHECK(parsed, "'%s' did not load: %s", doc, why.p ? why.p : "");
  if (parsed) {
    bool fits = tr_fit_check(f, &v, &why);
    const char *got = fits ? "fits" : buf_cstr(&why);
    CHECK(!strcmp(got, want), "%s against %s: got <%s>, want <%s>", doc, desc, got, want);
    tr_decref(&v);
  }
  free(why.p);
  tr_fit_free(f);
}

static void test_fit(void) {
  const char *person = "r3;3:agei4:names4:tagsls";
  check_fit(person, "{\"name\": \"A\", \"age\": 3, \"tags\": [\"x\"]}", "fits");
  check_fit(person, "{\"name\": \"A\", \"more\": [1]}", "fits"); /* fewer, more keys */
  check_fit(person, "{\"age\": true}", "fits");                        /* a bool is an int */
  check_fit(person, "{\"age\": 3.5}", "the value at ['age'] is float, not int");
  check_fit(person, "{\"tags\": [\"x\", 2]}", "the value at ['tags'][1] is int, not str");
  check_fit(person, "[1]", "the value is list, not dict");
  check_fit("r1;1:wr1;1:af", "{\"w\": {\"a\": 1}}", "fits"); /* an int is a float */
  check_fit("r1;1:wr1;1:af", "{\"w\": {\"a\": null}}",
            "the value at ['w']['a'] is NoneType, not float");
  check_fit("di", "{\"a\": 1, \"b\": \"2\"}", "the value at ['b'] is str, not int");
  check_fit("a", "{\"a\": [null]}", "fits");
  const char *bad[] = {"", "q", "l", "ii", "r1;", "r1;5:ab", "r1;x:a"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    TrFit *f = tr_fit_parse(bad[i]);
    CHECK(!f, "'%s' parsed", bad[i]);
    tr_fit_free(f);
  }
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "--serve"))
    return serve();
  int64_t live = tr_live_objects();
  test_values();
  test_errors();
  test_kind();
  test_dumps();
  test_fit();
  CHECK(tr_live_objects() == live, "live objects: %lld before, %lld after",
        (long long)live, (long long)tr_live_objects());
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
