/* bag_create.c - the functions of dask.bag that make bags: from_sequence,
 * range, from_delayed, read_text (its blocks: bag_text.c), with Dask 2022.12's
 * partitioning and key names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bag.h"
#include "bag_text.h"

/* An optional int keyword or positional argument; dflt when absent or None. */
static int64_t int_arg(Eval *e, Args *a, int pos, const char *kw, int64_t dflt) {
  int at;
  Value *v = eval_arg_kw(a, kw, &at);
  Loc loc = v ? a->kw_loc[at] : a->loc;
  if (!v && a->npos > pos) {
    v = a->pos[pos];
    loc = a->pos_loc[pos];
  }
  if (!v || v->kind == V_NONE)
    return dflt;
  return eval_need_int(e, v, loc, kw);
}

/* db.from_sequence(seq, partition_size=None, npartitions=None) */
Value *bag_from_sequence(Eval *e, Args *a) {
  static const char *kws[] = {"partition_size", "npartitions", NULL};
  eval_args_check_kw(e, a, "from_sequence", kws);
  eval_args_count(e, a, "from_sequence", 1, 3);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  int64_t size = int_arg(e, a, 1, "partition_size", 0);
  int64_t nparts = int_arg(e, a, 2, "npartitions", 0);
  if (nparts && !size)
    size = (n + nparts - 1) / nparts;
  if (!size)
    size = n < 100 ? 1 : n / 100;
  if (size < 0)
    diag_error(a->loc, "partition_size must be positive, got %lld", (long long)size);
  int count = n ? (int)((n + size - 1) / size) : 1;
  const char *name = bag_name(e, "from_sequence", NULL,
                              arena_printf(eval_arena(e), "%s|%lld", v_repr(eval_arena(e),
                                           a->pos[0]), (long long)size));
  Bag *b = bag_alloc(e, name, count);
  for (int i = 0; i < count; i++) {
    int lo = (int)(i * size), hi = lo + (int)size < n ? lo + (int)size : n;
    Value *part = eval_mk_list(e, items + lo, hi - lo);
    Task *t = eval_new_task(e, TASK_DATA, bag_key(e, name, i), NULL, a->loc);
    t->args = ARENA_ARRAY(eval_arena(e), Val *, 1);
    t->args[0] = eval_to_val(e, part, a->loc);
    t->nargs = 1;
    b->parts[i] = t;
  }
  return bag_value(e, b);
}

/* db.range(n, npartitions) */
Value *bag_range(Eval *e, Args *a) {
  static const char *kws[] = {"npartitions", NULL};
  eval_args_check_kw(e, a, "range", kws);
  eval_args_count(e, a, "range", 1, 2);
  int64_t n = eval_need_int(e, a->pos[0], a->pos_loc[0], "range(n)");
  int64_t np = int_arg(e, a, 1, "npartitions", -1);
  if (np <= 0)
    diag_error(a->loc, "range() needs npartitions > 0");
  int64_t size = n / np;
  if (size <= 0)
    diag_error(a->loc, "range() arg 3 must not be zero (n=%lld is less than npartitions=%lld)",
               (long long)n, (long long)np);
  const char *name = arena_printf(eval_arena(e), "range-%lld-npartitions-%lld", (long long)n,
                                  (long long)np);
  Value *def = bag_def(e, a->loc, "def _bag_range(_lo, _hi):\n"
                                  "    return [_i for _i in range(_lo, _hi)]\n");
  Bag *b = bag_alloc(e, name, (int)np);
  b->dask_sizeof = 48; /* Dask's partition is a range (repartition(partition_size=)) */
  for (int i = 0; i < np; i++) {
    int64_t lo = i * size, hi = i == np - 1 ? n : lo + size;
    Value *args[2] = {eval_mk_int(e, lo), eval_mk_int(e, hi)};
    b->parts[i] = bag_task(e, def, bag_key(e, name, i), args, 2, a->loc);
  }
  return bag_value(e, b);
}

/* db.from_delayed(values): each delayed value is a partition. */
Value *bag_from_delayed(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "from_delayed");
  eval_args_count(e, a, "from_delayed", 1, 1);
  int n = 1;
  Value **vals = &a->pos[0];
  if (a->pos[0]->kind != V_DELAYED)
    vals = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  Arena *ar = eval_arena(e);
  char **keys = ARENA_ARRAY(ar, char *, n + 1);
  size_t len = 1;
  for (int i = 0; i < n; i++) {
    if (vals[i]->kind != V_DELAYED)
      diag_error(a->pos_loc[0], "from_delayed takes delayed values, got %s",
                 v_type_name(vals[i]));
    keys[i] = val_repr(ar, vals[i]->task->key);
    len += strlen(keys[i]) + 1;
  }
  char *what = arena_alloc(ar, len), *w = what;
  for (int i = 0; i < n; i++)
    w += sprintf(w, "%s|", keys[i]);
  *w = 0;
  const char *name = bag_name(e, "bag-from-delayed", NULL, what);
  Value *def = bag_def(e, a->loc, "def _bag_reify(_v):\n    return list(_v)\n");
  Bag *b = bag_alloc(e, name, n);
  for (int i = 0; i < n; i++)
    b->parts[i] = bag_task(e, def, bag_key(e, name, i), &vals[i], 1, a->loc);
  return bag_value(e, b);
}

/* read_text's blocksize=: None (whole files), an int, or a byte size str. */
static int64_t text_blocksize(Eval *e, Value *v, Loc loc) {
  if (!v || v->kind == V_NONE)
    return 0;
  if (v->kind == V_STR) {
    int64_t n = coll_parse_bytes(v->str.s);
    if (n <= 0)
      diag_error(loc, "blocksize: cannot read %s as a number of bytes",
                 v_repr(eval_arena(e), v));
    return n;
  }
  int64_t n = eval_need_int(e, v, loc, "blocksize");
  if (n <= 0)
    diag_error(loc, "blocksize must be positive, got %lld", (long long)n);
  return n;
}

/* A keyword read_text takes only at its default (encoding='utf-8', ...). */
static void only_default(Eval *e, Args *a, const char *kw, const char *const *ok) {
  int at;
  Value *v = eval_arg_kw(a, kw, &at);
  if (!v || v->kind == V_NONE)
    return;
  for (int i = 0; ok[i]; i++)
    if (v->kind == V_STR ? !strcmp(v->str.s, ok[i]) : !strcmp(ok[i], v_repr(eval_arena(e), v)))
      return;
  diag_error(a->kw_loc[at], "taskc limit: read_text(%s=%s) is not supported", kw,
             v_repr(eval_arena(e), v));
}

/* include_path=True: each partition's lines paired with their file's
 * path, (line, path), as Dask's file_to_blocks and decode pair them. The
 * read task gets a key of its own; the pair keeps the partition's. */
static void with_paths(Eval *e, Bag *b, const char *name, Loc loc) {
  Arena *ar = eval_arena(e);
  Value *def = bag_def(e, loc, "def _bag_with_path(_p, _f):\n"
                               "    return [(_l, _f) for _l in _p]\n");
  const char *inner = bag_name(e, "read-text", b, "include_path");
  for (int i = 0; i < b->nparts; i++) {
    Task *read = b->parts[i];
    read->key = bag_key(e, inner, i);
    Value *args[2] = {v_task(ar, V_DELAYED, read), b->text_args[4 * i]};
    b->parts[i] = bag_task(e, def, bag_key(e, name, i), args, 2, loc);
  }
  b->text_args = NULL; /* not lines any more: map(json.loads) is a map */
}

/* files_per_partition=N: partition k is files kN.. kN+N-1 read whole, in
 * order, one task each, concatenated. */
static Bag *grouped(Eval *e, Bag *files, const char *name, int64_t per, Loc loc) {
  Arena *ar = eval_arena(e);
  int n = (int)((files->nparts + per - 1) / per);
  Bag *b = bag_alloc(e, name, n);
  Value *def = bag_def(e, loc, "def _bag_concat_files(_ps):\n"
                               "    return [_l for _p in _ps for _l in _p]\n");
  const char *inner = bag_name(e, "read-text", files, "files_per_partition");
  for (int k = 0; k < n; k++) {
    int lo = (int)(k * per), hi = lo + (int)per < files->nparts ? lo + (int)per : files->nparts;
    Value **reads = ARENA_ARRAY(ar, Value *, hi - lo);
    for (int j = lo; j < hi; j++) {
      files->parts[j]->key = bag_key(e, inner, j);
      reads[j - lo] = v_task(ar, V_DELAYED, files->parts[j]);
    }
    Value *list = eval_mk_list(e, reads, hi - lo);
    b->parts[k] = bag_task(e, def, bag_key(e, name, k), &list, 1, loc);
  }
  return b;
}

static bool flag_arg(Eval *e, Args *a, const char *kw) {
  int at;
  Value *v = eval_arg_kw(a, kw, &at);
  return v && eval_truthy(e, v, a->kw_loc[at]);
}

/* db.read_text(urlpath, blocksize=None, linedelimiter=None,
 * include_path=False, files_per_partition=None): one partition per file,
 * per block of blocksize bytes (bag_text.h) or per files_per_partition
 * files, each a task of the op bag.read_text keyed as Dask's from_delayed
 * bag. */
Value *bag_read_text(Eval *e, Args *a) {
  static const char *kws[] = {"blocksize", "compression", "encoding", "errors",
                              "linedelimiter", "collection", "storage_options",
                              "files_per_partition", "include_path", NULL};
  eval_args_check_kw(e, a, "read_text", kws);
  eval_args_count(e, a, "read_text", 1, 2);
  static const char *infer[] = {"infer", NULL}, *utf8[] = {"utf-8", "utf8", "UTF-8", NULL},
                    *strict[] = {"strict", NULL}, *yes[] = {"True", NULL},
                    *no[] = {"False", NULL};
  only_default(e, a, "compression", infer);
  only_default(e, a, "encoding", utf8);
  only_default(e, a, "errors", strict);
  only_default(e, a, "collection", yes);
  only_default(e, a, "storage_options", no);
  Arena *ar = eval_arena(e);
  int at;
  Value *bs = eval_arg_kw(a, "blocksize", &at);
  Loc bl = bs ? a->kw_loc[at] : a->loc;
  if (!bs && a->npos == 2) {
    bs = a->pos[1];
    bl = a->pos_loc[1];
  }
  int64_t blocksize = text_blocksize(e, bs, bl);
  Value *fpp = eval_arg_kw(a, "files_per_partition", &at);
  int64_t per = fpp && fpp->kind != V_NONE
                    ? eval_need_int(e, fpp, a->kw_loc[at], "files_per_partition") : 0;
  if (per && blocksize > 0)
    diag_error(a->kw_loc[at], "ValueError: Only one of blocksize or files_per_partition can "
               "be set");
  if (fpp && fpp->kind != V_NONE && per <= 0)
    diag_error(a->kw_loc[at], "files_per_partition must be positive, got %lld",
               (long long)per);
  bool paths = flag_arg(e, a, "include_path");
  Value *delim = eval_arg_kw(a, "linedelimiter", &at);
  if (!delim)
    delim = v_none();
  else if (delim->kind != V_NONE && (delim->kind != V_STR || !delim->str.len))
    diag_error(a->kw_loc[at], "linedelimiter must be a non-empty str or None");
  CollFiles files = bag_text_files(e, a->pos[0], a->pos_loc[0]);
  BagTextBlock **blocks = ARENA_ARRAY(ar, BagTextBlock *, files.n + 1);
  int *nblocks = ARENA_ARRAY(ar, int, files.n + 1), total = 0;
  const char *what = arena_printf(ar, "%lld|%s|%d|%lld", (long long)blocksize,
                                  v_repr(ar, delim), paths, (long long)per);
  for (int f = 0; f < files.n; f++) {
    nblocks[f] = bag_text_blocks(ar, files.f[f].path, blocksize, &blocks[f]);
    if (nblocks[f] < 0)
      diag_error(a->pos_loc[0], "read_text: cannot read '%s': %s", files.f[f].path,
                 strerror(errno));
    total += nblocks[f];
    what = arena_printf(ar, "%s|%s|%lld|%lld", what, files.f[f].path,
                        (long long)files.f[f].size, (long long)files.f[f].mtime);
  }
  if (total == 0)
    diag_error(a->pos_loc[0], "ValueError: ('No files found', %s)", v_repr(ar, a->pos[0]));
  const char *name = bag_name(e, "bag-from-delayed", NULL, what);
  Bag *b = bag_alloc(e, name, total);
  b->text_args = ARENA_ARRAY(ar, Value *, 4 * total);
  int i = 0;
  for (int f = 0; f < files.n; f++)
    for (int k = 0; k < nblocks[f]; k++, i++) {
      const char *p = files.f[f].path;
      Value **args = b->text_args + 4 * i;
      args[0] = v_str(ar, p, (int)strlen(p));
      args[1] = eval_mk_int(e, blocks[f][k].offset);
      args[2] = eval_mk_int(e, blocks[f][k].length);
      args[3] = delim;
      b->parts[i] = eval_op_task(e, "bag.read_text", bag_key(e, name, i), args, 4, a->loc);
      bag_text_sources(e, b->parts[i], p, blocksize > 0 ? blocks[f][k].offset : -1);
    }
  if (paths)
    with_paths(e, b, name, a->loc);
  if (per)
    b = grouped(e, b, name, per, a->loc);
  if (blocksize <= 0 && !per)
    b->dask_sizeof = 272; /* Dask's partition: its file_to_blocks generator */
  return bag_value(e, b);
}
