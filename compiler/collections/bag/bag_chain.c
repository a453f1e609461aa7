/* bag_chain.c - element-wise stages fused before they become tasks.
 *
 * b.str.lower().str.split().flatten() over partitions of lines would be
 * three tasks per partition, each making a whole list the next one reads
 * once. A bag made by an element-wise operation (map, filter, remove,
 * flatten, pluck, starmap, a str method) is instead a chain: the source
 * bag and the stages as nested Python statements over one element,
 *
 *     for _x0 in _p:
 *         _x1 = _x0.lower()
 *         for _x2 in _x1.split():
 *             <sink of _x2>
 *
 * and it becomes tasks (one def per partition, keyed by the last stage's
 * name) only when something needs its partitions (bag_part). A reduction
 * puts its own per-partition work in the sink instead (bag_chain_def), so
 * a word count reads each line once and keeps no list of words: Dask's
 * own bags are lazy iterators within a task for the same reason. */
#include <string.h>

#include "bag.h"

struct Chain {
  Bag *src;          /* materialised: whose partitions the stages read */
  const char *body;  /* the statements inside `for _x0 in _p:` */
  int indent;        /* the sink's, in levels of 4 spaces (2: the loop's body) */
  const char *x;     /* the variable the sink receives */
  int nvars;         /* _x0 .. _x{nvars-1} */
  Value **extra;     /* the constants the stages read: parameters _c0 .. */
  int nextra;
  const char *label; /* "lower+split+flatten": the stages, for pictures */
  /* the last stage when it was a map: its expression and the body before
   * it, so that a flatten of it iterates the expression itself */
  const char *map_expr, *before_map;
  const char **stages; /* the stages' key names, for Dask's pictures */
  int nstages;
};

static const char *pad(Arena *a, int indent) {
  char *s = arena_alloc(a, (size_t)indent * 4 + 1);
  memset(s, ' ', (size_t)indent * 4);
  return s;
}

/* text with @x replaced by x and @c0..@c9 by _c<base+k>. */
static const char *fill(Arena *a, const char *text, const char *x, int base) {
  size_t n = strlen(text) + 1;
  for (const char *p = strchr(text, '@'); p; p = strchr(p + 1, '@'))
    n += strlen(x) + 16;
  char *out = arena_alloc(a, n), *o = out;
  for (const char *p = text; *p; p++) {
    if (p[0] == '@' && p[1] == 'x') {
      o = stpcpy(o, x);
      p++;
    } else if (p[0] == '@' && p[1] == 'c' && p[2] >= '0' && p[2] <= '9') {
      o += sprintf(o, "_c%d", base + (p[2] - '0'));
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = 0;
  return out;
}

Bag *bag_stage(Eval *e, Bag *b, const char *name, BagStage kind, const char *text,
               Value **extra, int nextra, const char *label) {
  Arena *a = eval_arena(e);
  Chain *c = ARENA_NEW(a, Chain);
  if (b->chain) {
    *c = *b->chain;
  } else {
    c->src = b;
    c->body = "";
    c->indent = 2;
    c->x = "_x0";
    c->nvars = 1;
  }
  Value **all = ARENA_ARRAY(a, Value *, c->nextra + nextra + 1);
  if (c->nextra)
    memcpy(all, c->extra, sizeof *all * (size_t)c->nextra);
  if (nextra)
    memcpy(all + c->nextra, extra, sizeof *all * (size_t)nextra);
  const char *expr = fill(a, text, c->x, c->nextra);
  c->extra = all;
  c->nextra += nextra;
  const char *in = pad(a, c->indent), *v = arena_printf(a, "_x%d", c->nvars);
  const char *map_expr = c->map_expr, *before_map = c->before_map;
  c->map_expr = NULL;
  switch (kind) {
  case BAG_MAP:
    c->before_map = c->body;
    c->map_expr = expr;
    c->body = arena_printf(a, "%s%s%s = %s\n", c->body, in, v, expr);
    c->x = v;
    c->nvars++;
    break;
  case BAG_FILTER:
    c->body = arena_printf(a, "%s%sif %s:\n", c->body, in, expr);
    c->indent++;
    break;
  case BAG_FLATTEN:
    /* .str.split().flatten(): `for w in x.split():`, not a list named
     * first (the map's variable is read by nothing else), so that codegen
     * sees the word count loop (codegen/body_dict.c) */
    if (map_expr && !strcmp(expr, c->x))
      c->body = arena_printf(a, "%s%sfor %s in %s:\n", before_map, in, v, map_expr);
    else
      c->body = arena_printf(a, "%s%sfor %s in %s:\n", c->body, in, v, expr);
    c->x = v;
    c->nvars++;
    c->indent++;
    break;
  }
  c->label = b->chain ? arena_printf(a, "%s+%s", c->label, label) : label;
  const char **stages = ARENA_ARRAY(a, const char *, c->nstages + 1);
  if (c->nstages)
    memcpy(stages, c->stages, sizeof *stages * (size_t)c->nstages);
  stages[c->nstages++] = name;
  c->stages = stages;
  Bag *out = bag_alloc(e, name, b->nparts);
  out->chain = c;
  return out;
}

const char *bag_chain_def(Eval *e, Bag *b, const char *fname, const char *before,
                          const char *sink, const char *after, Value ***extra, int *nextra,
                          Bag **src) {
  Arena *a = eval_arena(e);
  Chain *c = b->chain;
  const char *params = "";
  for (int i = 0; c && i < c->nextra; i++)
    params = arena_printf(a, "%s, _c%d", params, i);
  *extra = c ? c->extra : NULL;
  *nextra = c ? c->nextra : 0;
  *src = c ? c->src : b;
  const char *loop = c ? c->body : "";
  const char *in = pad(a, c ? c->indent : 2);
  const char *x = c ? c->x : "_x0";
  return arena_printf(a, "def %s(_p%s):\n%s    for _x0 in _p:\n%s%s%s\n%s", fname, params,
                      before, loop, in, fill(a, sink, x, 0), after);
}

/* The chain's partitions as tasks: its elements collected in lists. */
static void materialise(Eval *e, Bag *b, Loc loc) {
  Value **extra;
  int nextra;
  Bag *src;
  const char *text = bag_chain_def(e, b, bag_fresh(e, "chain"), "    _out = []\n",
                                   "_out.append(@x)", "    return _out\n", &extra, &nextra,
                                   &src);
  Value *def = eval_def_text(e, text, loc);
  def->func->fn->label = b->chain->label;
  Arena *a = eval_arena(e);
  Value **args = ARENA_ARRAY(a, Value *, nextra + 1);
  if (nextra)
    memcpy(args + 1, extra, sizeof *args * (size_t)nextra);
  for (int i = 0; i < b->nparts; i++) {
    args[0] = bag_part(e, src, i);
    b->parts[i] = eval_fn_task(e, def, bag_key(e, b->name, i), args, 1 + nextra, loc);
    /* the task is the last stage; Dask has the others before it */
    pic_note_stages(e, b->parts[i], b->chain->stages, b->chain->nstages - 1);
  }
  b->chain = NULL;
}

int bag_chain_stages(const Bag *b, Bag **src, const char *const **names) {
  if (!b->chain)
    return 0;
  *src = b->chain->src;
  *names = b->chain->stages;
  return b->chain->nstages;
}

void bag_note_stages(Eval *e, const Bag *b, Task *t) {
  if (b->chain)
    pic_note_stages(e, t, b->chain->stages, b->chain->nstages);
}

Value *bag_part(Eval *e, Bag *b, int i) {
  if (b->chain)
    materialise(e, b, eval_loc(e));
  return v_task(eval_arena(e), V_DELAYED, b->parts[i]);
}
