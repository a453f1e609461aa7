/* test_pyformat.c - ir/pyformat.c against CPython: format(v, spec), str,
 * repr and fmt % args for ints, floats, bools and strs, in the table that
 * gen_pyformat_table.py wrote from /usr/bin/python3 (committed, so this
 * test needs no Python). An error case checks that we fail too (the
 * message is CPython's, except for what taskc words as its own limit). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyformat.h"

typedef struct Case {
  const char *what; /* format, str, repr, pct */
  const char *spec;
  int nargs;
  PyfArg args[3];
  int err;
  const char *want; /* the text, or the error message */
  size_t wantn;
} Case;

#include "pyformat_table.h"

static int failures;

static void show(const char *label, const char *s, size_t n) {
  PyfBuf b = {0};
  pyf_repr_str(&b, s, n);
  fprintf(stderr, " %s %s", label, b.p);
  free(b.p);
}

static void run(const Case *c) {
  PyfBuf out = {0};
  char err[PYF_ERR] = "";
  bool ok = true;
  if (!strcmp(c->what, "format"))
    ok = pyf_format(&out, &c->args[0], c->spec, strlen(c->spec), err);
  else if (!strcmp(c->what, "str"))
    pyf_str(&out, &c->args[0]);
  else if (!strcmp(c->what, "repr"))
    pyf_repr(&out, &c->args[0]);
  else
    ok = pyf_percent(&out, c->spec, strlen(c->spec), c->args, (size_t)c->nargs, err);
  const char *got = ok ? (out.p ? out.p : "") : err;
  size_t gotn = ok ? out.len : strlen(err);
  bool good = ok == !c->err &&
              (!strcmp(c->want, "taskc limit") ? strstr(err, "taskc limit") != NULL
                                               : gotn == c->wantn && !memcmp(got, c->want, gotn));
  if (!good) {
    failures++;
    fprintf(stderr, "%s spec '%s' arg kind %d:", c->what, c->spec, c->args[0].kind);
    show(c->err ? "want error" : "want", c->want, c->wantn);
    show(ok ? "got" : "got error", got, gotn);
    fputc('\n', stderr);
  }
  free(out.p);
}

/* str.format templates: literal pieces and fields. */
static void test_template(void) {
  const char *t = "a{{b}}{0!r:>{w}}{}c{x[1]}";
  size_t pos = 0;
  PyfBuf lit = {0};
  PyfField f;
  char err[PYF_ERR];
  const char *want_lit[] = {"a{b}", "", "c"};
  const char *want_name[] = {"0", "", "x[1]"};
  for (int k = 0; k < 3; k++) {
    int r = pyf_template_next(t, strlen(t), &pos, &lit, &f, err);
    if (r != 1 || strcmp(lit.p ? lit.p : "", want_lit[k]) || !f.has_field ||
        f.namen != strlen(want_name[k]) || memcmp(f.name, want_name[k], f.namen)) {
      fprintf(stderr, "template piece %d wrong\n", k);
      failures++;
    }
    if (k == 0 && (f.conv != 'r' || f.specn != 4 || memcmp(f.spec, ">{w}", 4))) {
      fprintf(stderr, "template conv/spec wrong\n");
      failures++;
    }
  }
  if (pyf_template_next(t, strlen(t), &pos, &lit, &f, err) != 0) {
    fprintf(stderr, "template end wrong\n");
    failures++;
  }
  const char *bad[] = {"a}b", "{0", "{!x}", "{0!}"};
  for (int k = 0; k < 4; k++) {
    pos = 0;
    int r;
    while ((r = pyf_template_next(bad[k], strlen(bad[k]), &pos, &lit, &f, err)) == 1)
      ;
    if (r != -1) {
      fprintf(stderr, "template '%s' should be an error\n", bad[k]);
      failures++;
    }
  }
  free(lit.p);
}

int main(void) {
  size_t n = sizeof cases / sizeof cases[0];
  for (size_t i = 0; i < n; i++)
    run(&cases[i]);
  test_template();
  fprintf(stderr, "%zu cases, %d failures\n", n, failures);
  return failures != 0;
}
