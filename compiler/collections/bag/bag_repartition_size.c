/* bag_repartition_size.c - b.repartition(partition_size=SIZE) as Dask
 * 2022.12's repartition_size lays it out: each partition's dask.sizeof,
 * computed at run time; a partition using more than SIZE split into
 * 1 + usage // SIZE pieces ('repartition-split-<token>', Dask's split);
 * then neighbours concatenated while their usages add up to at most SIZE
 * (dask.utils.iter_chunks; pieces count usage / pieces each), keyed
 * ('repartition-<token>', i).
 *
 * taskc's graph is fixed at compile time, so the usages are worked out
 * here, where they do not depend on the run:
 *   - most of Dask's partitions are lazy iterators whose sys.getsizeof
 *     is the same whatever they hold (Bag.dask_sizeof: a map 56 bytes; a
 *     filter, pluck, starmap or range 48; a zip 64; read_text's
 *     generator 272), after Dask's optimizer drops the reify around them;
 *   - from_sequence's partitions are constants: the list Dask's executor
 *     rebuilds (grown by appends: CPython 3.11's over-allocation) and
 *     each element's sys.getsizeof, added as dask.sizeof adds them (past
 *     10 items it adds 10 random ones times n / 10: elements of one size
 *     only, else Dask's own answer changes from run to run);
 * anything else (a list of data-dependent length: flatten, map_partitions,
 * groupby, read_text with blocksize=, ...) is a located taskc limit. */
#include <string.h>

#include "../coll_files.h"
#include "bag.h"

enum { SAMPLES = 10 }; /* dask.sizeof's num_samples */

/* The room CPython 3.11 gives a list after n appends (list_resize). */
static int64_t list_room(int64_t n) {
  int64_t room = 0;
  for (int64_t size = 1; size <= n; size = room + 1) {
    int64_t grown = (size + (size >> 3) + 6) & ~(int64_t)3;
    if (1 > grown - size) /* an append adds 1: never, kept as CPython has it */
      grown = (size + 3) & ~(int64_t)3;
    room = grown;
  }
  return room;
}

/* sys.getsizeof of a str: CPython's compact forms by widest character. */
static int64_t str_size(const char *s, int len) {
  unsigned widest = 0;
  int64_t chars = 0;
  for (int i = 0; i < len; chars++) {
    unsigned char c = (unsigned char)s[i];
    int k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    unsigned cp = k == 1 ? c : c & (0x3f >> (k - 1));
    for (int j = 1; j < k && i + j < len; j++)
      cp = cp << 6 | ((unsigned char)s[i + j] & 0x3f);
    widest = cp > widest ? cp : widest;
    i += k;
  }
  if (widest < 0x80)
    return 49 + chars;
  if (widest < 0x100)
    return 73 + chars;
  return widest < 0x10000 ? 74 + 2 * chars : 76 + 4 * chars;
}

/* sys.getsizeof of an int: 30-bit digits, at least one. */
static int64_t int_size(int64_t v) {
  uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int digits = 1;
  while (m >>= 30)
    digits++;
  return 24 + 4 * digits;
}

static bool items_size(Val **items, int n, int64_t *out, const char **why);

/* dask.sizeof of one element (the value as Dask's task holds it: a list
 * rebuilt by appends, a tuple as it is); false with *why if taskc cannot
 * tell. */
static bool val_size(const Val *v, int64_t *out, const char **why) {
  int64_t inner = 0;
  switch (v->kind) {
  case VAL_NONE: *out = 16; return true;
  case VAL_BOOL: *out = 28; return true;
  case VAL_INT: *out = int_size(v->i); return true;
  case VAL_FLOAT: *out = 24; return true;
  case VAL_STR: *out = str_size(v->str.s, v->str.len); return true;
  case VAL_TUPLE:
    if (!items_size(v->seq.items, v->seq.n, &inner, why))
      return false;
    *out = 40 + 8 * (int64_t)v->seq.n + inner;
    return true;
  case VAL_LIST:
    if (!items_size(v->seq.items, v->seq.n, &inner, why))
      return false;
    *out = 56 + 8 * list_room(v->seq.n) + inner;
    return true;
  case VAL_DICT:
    *why = "a dict's size depends on how CPython built its table";
    return false;
  default:
    *why = "an element is a task's result";
    return false;
  }
}

/* What dask.sizeof adds for the items of a list or tuple. */
static bool items_size(Val **items, int n, int64_t *out, const char **why) {
  int64_t sum = 0, first = 0;
  for (int i = 0; i < n; i++) {
    int64_t s;
    if (!val_size(items[i], &s, why))
      return false;
    if (i == 0)
      first = s;
    if (n > SAMPLES && s != first) {
      *why = "dask.sizeof samples 10 random elements of a longer list, and these differ in "
             "size: Dask's own partitions change from run to run";
      return false;
    }
    sum += s;
  }
  /* int(num_items / num_samples * sum(map(sizeof, samples))) */
  *out = n <= SAMPLES ? sum : (int64_t)((double)n / SAMPLES * (double)(SAMPLES * first));
  return true;
}

/* Dask's total_mem_usage of partition i of b. */
static int64_t usage(Bag *b, int i, Loc loc) {
  const char *why = "its partitions are lists whose length depends on the data";
  if (b->dask_sizeof)
    return b->dask_sizeof;
  Task *t = b->parts[i];
  if (!b->chain && !strncmp(b->name, "from_sequence-", 14) && t && t->kind == TASK_DATA &&
      t->nargs == 1) {
    const Val *part = t->args[0];
    int64_t inner;
    if (part->kind == VAL_LIST && items_size(part->seq.items, part->seq.n, &inner, &why))
      return 56 + 8 * list_room(part->seq.n) + inner;
  }
  diag_error(loc, "taskc limit: repartition(partition_size=) needs the size of each partition "
             "as Dask measures it at run time, and for this bag taskc cannot know it when "
             "it builds the graph (%s); give npartitions=", why);
}

static int64_t size_arg(Eval *e, Value *v, Loc loc) {
  int64_t n;
  if (v->kind == V_STR) {
    n = coll_parse_bytes(v->str.s);
    if (n < 0)
      diag_error(loc, "ValueError: Could not interpret %s as a byte size",
                 v_repr(eval_arena(e), v));
  } else if (v->kind == V_FLOAT) {
    n = (int64_t)v->f; /* int(size) */
  } else {
    n = eval_need_int(e, v, loc, "partition_size");
  }
  if (n <= 0)
    diag_error(loc, "partition_size must be positive, got %lld", (long long)n);
  return n;
}

/* Dask's _split_partitions: partition i in nsplit[i] pieces. */
static Bag *split_parts(Eval *e, Bag *b, const int64_t *nsplit, int total, const char *token,
                        Loc loc) {
  Arena *ar = eval_arena(e);
  Value *cut, *get, *same;
  bag_split_defs(e, loc, &cut, &get, &same);
  const char *name = arena_printf(ar, "repartition-split-%s", token);
  const char *sname = bag_name(e, "split", b, arena_printf(ar, "%s|pieces", token));
  Bag *out = bag_alloc(e, name, total);
  for (int i = 0, j = 0; i < b->nparts; i++) {
    Value *p = bag_part(e, b, i);
    if (nsplit[i] == 1) {
      out->parts[j] = bag_task(e, same, bag_key(e, name, j), &p, 1, loc);
      j++;
      continue;
    }
    Value *args[2] = {p, eval_mk_int(e, nsplit[i])};
    Value *pieces = v_task(ar, V_DELAYED, bag_task(e, cut, bag_key(e, sname, i), args, 2, loc));
    for (int k = 0; k < nsplit[i]; k++, j++) {
      Value *gargs[2] = {pieces, eval_mk_int(e, k)};
      out->parts[j] = bag_task(e, get, bag_key(e, name, j), gargs, 2, loc);
    }
  }
  return out;
}

Value *bag_repartition_size(Eval *e, Bag *b, Value *sizev, Loc loc) {
  Arena *ar = eval_arena(e);
  int64_t size = size_arg(e, sizev, loc);
  int64_t *nsplit = ARENA_ARRAY(ar, int64_t, b->nparts + 1);
  double *use = ARENA_ARRAY(ar, double, b->nparts + 1);
  int64_t total = 0;
  for (int i = 0; i < b->nparts; i++) {
    int64_t u = usage(b, i, loc);
    nsplit[i] = 1 + u / size;
    use[i] = (double)u;
    total += nsplit[i];
  }
  if (total > 1000000)
    diag_error(loc, "taskc limit: repartition(partition_size=%lld) makes %lld partitions",
               (long long)size, (long long)total);
  const char *token =
      bag_name(e, "", b, arena_printf(ar, "%lld|partition_size", (long long)size)) + 1;
  Bag *src = b;
  if (total > b->nparts) { /* some split: usages become usage / n each */
    src = split_parts(e, b, nsplit, (int)total, token, loc);
    double *pieces = ARENA_ARRAY(ar, double, total + 1);
    for (int i = 0, j = 0; i < b->nparts; i++)
      for (int k = 0; k < nsplit[i]; k++)
        pieces[j++] = use[i] / (double)nsplit[i];
    use = pieces;
  }
  /* iter_chunks: the boundaries of runs adding up to at most size */
  int *bound = ARENA_ARRAY(ar, int, src->nparts + 2), nb = 0;
  double sum = 0;
  bound[nb++] = 0;
  for (int j = 0; j < src->nparts; j++) {
    if (j > bound[nb - 1] && sum + use[j] > (double)size) {
      bound[nb++] = j;
      sum = 0;
    }
    sum += use[j];
  }
  bound[nb] = src->nparts;
  const char *name = arena_printf(ar, "repartition-%s", token);
  Value *concat = bag_concat_def(e, loc);
  Bag *out = bag_alloc(e, name, nb);
  for (int p = 0; p < nb; p++)
    out->parts[p] = bag_concat_task(e, src, bound[p], bound[p + 1], concat,
                                    bag_key(e, name, p), loc);
  return bag_value(e, out);
}
