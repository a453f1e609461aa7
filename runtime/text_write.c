/* text_write.c - one partition of dask.bag's to_textfiles: the elements
 * (strs) joined by newlines, a last one only with last_endline, as Dask's
 * _to_textfiles_chunk writes them; returns the file's absolute path. */
#include <stdlib.h>

#include "rt.h"

/* args: the partition (a list of str), the path, last_endline */
void tr_op_bag_to_textfile(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  if (args[0].tag != TR_LIST && args[0].tag != TR_TUPLE)
    tr_fail("to_textfiles: a partition is a list, got %s", tr_type_name(&args[0]));
  const TrSeq *lines = args[0].u.p;
  const TrStr *path = args[1].u.p;
  Buf text = {0};
  for (int64_t i = 0; i < lines->len; i++) {
    if (lines->items[i].tag != TR_STR)
      tr_fail("to_textfiles writes strs, got %s (map str over the bag first)",
              tr_type_name(&lines->items[i]));
    const TrStr *s = lines->items[i].u.p;
    if (i)
      buf_putc(&text, '\n');
    buf_putn(&text, s->data, (size_t)s->len);
  }
  if (args[2].u.i)
    buf_putc(&text, '\n');
  TrStr *written = tr_write_whole(path->data, text.p ? text.p : "", text.len);
  free(text.p);
  *out = tr_obj(TR_STR, written);
}
