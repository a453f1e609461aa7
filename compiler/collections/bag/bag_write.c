/* bag_write.c - b.to_textfiles(path): one file per partition, computed at
 * once as Dask does, giving the list of the files' absolute paths. A '*'
 * in the path is the partition number (zero-padded to the widest, Dask's
 * build_name_function); a path without one is a folder of '*.part' files. */
#include <string.h>

#include "../coll_files.h"
#include "bag.h"

Value *bag_to_textfiles(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"name_function", "compression", "encoding", "compute",
                              "storage_options", "last_endline", NULL};
  eval_args_check_kw(e, a, "to_textfiles", kws);
  eval_args_count(e, a, "to_textfiles", 1, 1);
  Arena *ar = eval_arena(e);
  int at;
  static const char *unsupported[] = {"name_function", "compression", "storage_options", NULL};
  for (int i = 0; unsupported[i]; i++)
    if (eval_arg_kw(a, unsupported[i], &at))
      diag_error(a->kw_loc[at], "taskc limit: to_textfiles(%s=) is not supported",
                 unsupported[i]);
  Value *c = eval_arg_kw(a, "compute", &at);
  if (c && !eval_truthy(e, c, a->kw_loc[at]))
    diag_error(a->kw_loc[at], "taskc limit: to_textfiles(compute=False) is not supported");
  Value *enc = eval_arg_kw(a, "encoding", &at);
  if (enc && (enc->kind != V_STR || (strcmp(enc->str.s, "utf-8") && strcmp(enc->str.s, "utf8"))))
    diag_error(a->kw_loc[at], "taskc limit: to_textfiles writes UTF-8 only");
  Value *last = eval_arg_kw(a, "last_endline", &at);
  bool endline = last && eval_truthy(e, last, a->kw_loc[at]);
  const char **files = coll_write_names(e, a->pos[0], a->pos_loc[0], "to_textfiles", b->nparts);
  const char *name = bag_name(e, "to-textfiles", b, arena_printf(ar, "%s|%d", files[0], endline));
  Value **written = ARENA_ARRAY(ar, Value *, b->nparts + 1);
  for (int i = 0; i < b->nparts; i++) {
    const char *file = files[i];
    Value *args[3] = {bag_part(e, b, i), v_str(ar, file, (int)strlen(file)),
                      eval_mk_int(e, endline)};
    written[i] = v_task(ar, V_DELAYED, eval_op_task(e, "bag.to_textfile", bag_key(e, name, i),
                                                     args, 3, a->loc));
  }
  Value *list = eval_mk_list(e, written, b->nparts);
  Task *all = eval_op_task(e, "list", NULL, &list, 1, a->loc);
  return eval_compute(e, v_task(ar, V_DELAYED, all), eval_args_new(e, a->loc, 0, NULL), false);
}
