/* df_write.c - df.to_csv(path, index=, header=, sep=) as Dask 2022.12
 * writes: one file per partition, the '*' of the path replaced by the
 * partition's number zero-padded to the digits of the last one (fsspec's
 * build_name_function), or, without a '*', PATH/NN.part; one task per
 * partition (runtime/frame_write.c), and, as Dask's compute=True, the list
 * of the absolute paths computed at once: an output of the program.
 * Relative paths are taken from the current directory at run time, where
 * Dask's process writes them. */
#include <string.h>

#include "../coll_files.h"
#include "df.h"

static bool flag(Eval *e, Args *a, const char *name, bool dflt) {
  int i = -1;
  Value *v = eval_arg_kw(a, name, &i);
  if (!v)
    return dflt;
  if (v->kind != V_BOOL)
    diag_error(a->kw_loc[i], "to_csv(%s=) must be True or False (taskc writes no column "
               "aliases), got %s", name, v_repr(eval_arena(e), v));
  return v->b;
}

static const char *sep_arg(Eval *e, Args *a) {
  int i = -1;
  Value *v = eval_arg_kw(a, "sep", &i);
  if (!v)
    return ",";
  if (v->kind != V_STR || v->str.len != 1 || v->str.s[0] == '"' || v->str.s[0] == '\n' ||
      v->str.s[0] == '\r')
    diag_error(a->kw_loc[i], "to_csv(sep=) must be one character other than a quote or a "
               "line end, got %s", v_repr(eval_arena(e), v));
  return v->str.s;
}

Value *df_to_csv(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"index", "header", "sep", "compute", NULL};
  eval_args_check_kw(e, a, "to_csv", kws);
  eval_args_count(e, a, "to_csv", 1, 1);
  Arena *ar = eval_arena(e);
  if (!flag(e, a, "compute", true))
    diag_error(a->loc, "to_csv(compute=False) is not supported by taskc yet");
  const char **files = coll_write_names(e, a->pos[0], a->pos_loc[0], "to_csv", f->nparts);
  bool index = flag(e, a, "index", true), header = flag(e, a, "header", true);
  const char *sep = sep_arg(e, a);
  Val *opts[3] = {val_str(ar, sep, 1), val_int(ar, index), val_int(ar, header)};
  Val *optv = val_seq(ar, VAL_TUPLE, opts, 3);
  const char *name = coll_token_name(
      e, "to-csv", arena_printf(ar, "%s|%s|%d|%d|%s", f->name, files[0], index, header, sep));
  Val **refs = ARENA_ARRAY(ar, Val *, f->nparts + 1);
  for (int p = 0; p < f->nparts; p++) {
    const char *file = files[p];
    Task *t = df_task(e, name, p, OP_df_to_csv, 3, a->loc);
    t->args[0] = val_ref(ar, f->parts[p]);
    t->args[1] = val_str(ar, file, (int)strlen(file));
    t->args[2] = optv;
    refs[p] = val_ref(ar, t);
  }
  Task *all = df_task(e, arena_printf(ar, "%s-list", name), 0, OP_list, 1, a->loc);
  all->args[0] = val_seq(ar, VAL_LIST, refs, f->nparts);
  return eval_compute(e, v_task(ar, V_DELAYED, all), eval_args_new(e, a->loc, 0, NULL), false);
}
