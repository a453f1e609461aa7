/* fuzz_json.c - libFuzzer target for what reads JSON at run time: the
 * json.loads scanner (runtime/json_load.c) as bag.read_json uses it, with
 * its shared keys, and the check of loaded values against a type
 * (runtime/json_fit.c).
 *
 * Beyond not crashing: a text that loads, written back by json.dumps,
 * must load again and be written the same (for UTF-8 input: other bytes
 * pass through strs as they are); every value fits `any`; a failure is a
 * task failure (tr_fail), never a crash. Leaks are not checked: a failed
 * task does not free what it built (the run stops). Build and run with
 * tests/fuzz/run.sh. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_fit.h"
#include "text.h"

static const char *const descs[] = {"a", "la", "r2;1:ai1:bs", "di", "lr1;1:xf", "r1;1:ylls"};

static void round_trip(const TrValue *v) {
  Buf a = {0}, b = {0}, why = {0};
  tr_json_dumps(&a, v);
  TrValue w;
  if (!tr_json_parse(a.p ? a.p : "", (int64_t)a.len, &w, &why, NULL))
    abort(); /* json.dumps wrote what json.loads refuses */
  tr_json_dumps(&b, &w);
  if (a.len != b.len || memcmp(a.p, b.p, a.len))
    abort(); /* loads(dumps(v)) is not v */
  tr_decref(&w);
  free(a.p);
  free(b.p);
  free(why.p);
}

static void fits(const TrValue *v) {
  for (size_t i = 0; i < sizeof descs / sizeof *descs; i++) {
    TrFit *f = tr_fit_parse(descs[i]);
    if (!f)
      abort();
    Buf why = {0};
    bool ok = tr_fit_check(f, v, &why);
    if ((i == 0 && !ok) || (!ok && !why.len))
      abort(); /* any refused, or a refusal without a reason */
    free(why.p);
    tr_fit_free(f);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static jmp_buf jb;
  TrJsonKeys keys = {0};
  tr_fail_jmp = &jb;
  if (setjmp(jb)) { /* a task failure: fine, it is how errors end */
    tr_fail_jmp = NULL;
    return 0;
  }
  const char *s = (const char *)data;
  const char *why_utf8;
  int64_t bad;
  bool utf8 = text_utf8_error(s, (int64_t)size, &why_utf8, &bad) < 0;
  for (int pass = 0; pass < 2; pass++) { /* the second with the keys the first left */
    TrValue v;
    Buf why = {0};
    if (tr_json_parse(s, (int64_t)size, &v, &why, &keys)) {
      fits(&v);
      if (utf8)
        round_trip(&v);
      tr_decref(&v);
    } else if (!why.len) {
      abort(); /* a refusal without Python's message */
    }
    free(why.p);
  }
  tr_json_keys_free(&keys);
  tr_fail_jmp = NULL;
  return 0;
}
