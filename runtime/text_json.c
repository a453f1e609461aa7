/* text_json.c - bag.read_json: db.read_text(...).map(json.loads) as one
 * op. The lines of the partition are read as bag.read_text reads them
 * (runtime/text.c), each is parsed by json.loads' scanner
 * (runtime/json_load.c) and checked whole against the type the compiler
 * inferred from a sample of the files (runtime/json_fit.c), so the bodies
 * downstream, compiled for that type, can trust every element. A line
 * that is not JSON fails the task with Python's JSONDecodeError text, a
 * record that does not fit with where it differs; both name the file and
 * the line. */
#include <stdlib.h>

#include "json_fit.h"
#include "text.h"

static _Noreturn void fail_line(const TrValue *args, int64_t first, int64_t index, Buf *why,
                                const char *tail) {
  int64_t line = text_line_number(args, first) + index;
  const TrStr *path = args[0].u.p;
  char msg[TR_MSG_MAX];
  snprintf(msg, sizeof msg, "'%s', line %lld: %s%s", path->data, (long long)line, buf_cstr(why),
           tail);
  free(why->p);
  tr_fail("%s", msg);
}

void tr_op_bag_read_json(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrStr *desc = args[4].u.p;
  TrFit *fit = tr_fit_parse(desc->data);
  const TrFit *elem = fit ? tr_fit_elem(fit) : NULL;
  if (!elem)
    tr_fail("internal error: bag.read_json without a list type");
  int64_t first;
  TrSeq *lines = text_read_lines(args, &first);
  TrJsonKeys keys = {0};
  for (int64_t i = 0; i < lines->len; i++) {
    const TrStr *s = lines->items[i].u.p;
    TrValue v;
    Buf why = {0};
    if (!tr_json_parse(s->data, s->len, &v, &why, &keys)) {
      tr_json_keys_free(&keys);
      tr_fit_free(fit);
      tr_decref(&(TrValue){.tag = TR_LIST, .u.p = lines});
      fail_line(args, first, i, &why, "");
    }
    if (!tr_fit_check(elem, &v, &why)) {
      tr_json_keys_free(&keys);
      tr_fit_free(fit);
      tr_decref(&v);
      tr_decref(&(TrValue){.tag = TR_LIST, .u.p = lines});
      fail_line(args, first, i, &why,
                " (the type taskc inferred from a sample of the input)");
    }
    tr_decref(&lines->items[i]);
    lines->items[i] = v;
  }
  tr_json_keys_free(&keys);
  tr_fit_free(fit);
  *out = tr_obj(TR_LIST, lines);
}
