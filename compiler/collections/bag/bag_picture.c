/* bag_picture.c - visualize() of a bag as Dask draws it (coll_picture.h).
 *
 * A bag's tasks are keyed and split as Dask's (one per partition per
 * operation, reductions as Dask's trees), except that element-wise stages
 * (map, filter, flatten, pluck, str methods) are fused into one task per
 * partition (bag_chain.c), where Dask has a layer per stage. So the
 * picture mirrors the bag's own tasks, layer by key name, with the stages
 * a fused task does (noted by bag_chain.c and bag_reduce.c) drawn as
 * Dask's layers before it. optimize_graph=True draws the executed,
 * optimised graph: Dask's low-level fuse of bags is not modelled. */
#include <string.h>

#include "bag.h"

void bag_text_sources(Eval *e, Task *t, const char *path, int64_t offset) {
  Arena *a = eval_arena(e);
  const char **names = ARENA_ARRAY(a, const char *, 2);
  if (offset < 0) { /* read_text without blocksize: file_to_blocks, list */
    names[0] = coll_token_name(e, "file_to_blocks", path);
    names[1] = coll_token_name(e, "list", path);
  } else { /* read_bytes' blocks: read-block-<offset>, decode */
    names[0] = coll_token_name(e, arena_printf(a, "read-block-%lld", (long long)offset), path);
    names[1] = coll_token_name(e, "decode", arena_printf(a, "%s|%lld", path, (long long)offset));
  }
  pic_note_sources(e, t, names, 2);
}

typedef struct GroupPic {
  Task **parts;
  int nparts;
  Bag *out;
  const char *token;
} GroupPic;

/* Dask's disk shuffle: every part and every collect needs ('partd-<t>',),
 * the barrier all parts, every collect the barrier. */
static void groupby_layers(Eval *e, void *ctx) {
  GroupPic *g = ctx;
  Arena *a = eval_arena(e);
  for (int j = 0; j < g->out->nparts; j++)
    pic_note_build(e, g->out->parts[j], NULL, NULL);
  PicLayer *parts = pic_mirror(e, g->parts, g->nparts);
  PicLayer *partd = pic_named(e, arena_printf(a, "partd-%s", g->token), 1, true);
  PicLayer *barrier = pic_named(e, arena_printf(a, "groupby-barrier-%s", g->token), 1, true);
  PicLayer *collect = pic_named(e, g->out->name, g->out->nparts, false);
  pic_dep(e, parts, partd, PIC_EACH, 0);
  pic_dep(e, barrier, parts, PIC_ALL, 0);
  pic_dep(e, collect, partd, PIC_EACH, 0);
  pic_dep(e, collect, barrier, PIC_EACH, 0);
  pic_note_layer(e, g->out->parts, g->out->nparts, collect);
}

void bag_groupby_picture(Eval *e, Task **parts, int nparts, Bag *out, const char *token) {
  GroupPic *g = ARENA_NEW(eval_arena(e), GroupPic);
  *g = (GroupPic){parts, nparts, out, token};
  for (int j = 0; j < out->nparts; j++)
    pic_note_build(e, out->parts[j], groupby_layers, g);
}

typedef struct AlsoPic {
  Bag *out;
  Task *also;
} AlsoPic;

static void also_layers(Eval *e, void *ctx) {
  AlsoPic *p = ctx;
  int n = p->out->nparts;
  for (int j = 0; j < n; j++) /* built once, here: not by the mirror below */
    pic_note_build(e, p->out->parts[j], NULL, NULL);
  Task **roots = ARENA_ARRAY(eval_arena(e), Task *, n + 1);
  memcpy(roots, p->out->parts, sizeof *roots * (size_t)n);
  roots[n] = p->also;
  PicLayer *l = pic_mirror(e, roots, n + 1); /* notes out's tasks */
  pic_also(l, pic_mirrored(e, p->also));
}

void bag_also_picture(Eval *e, Bag *out, Task *t) {
  AlsoPic *p = ARENA_NEW(eval_arena(e), AlsoPic);
  *p = (AlsoPic){out, t};
  for (int j = 0; j < out->nparts; j++)
    pic_note_build(e, out->parts[j], also_layers, p);
}

/* The executed graph's picture (optimize_graph=True, or next to plain
 * delayed values) draws a chain's tasks: they are made here. */
int bag_roots(Eval *e, Value *self, Task ***out) {
  Bag *b = bag_of(self);
  for (int i = 0; i < b->nparts; i++)
    bag_part(e, b, i); /* a chain becomes tasks */
  *out = b->parts;
  return b->nparts;
}

PicLayer *bag_picture(Eval *e, Value *self, bool optimize) {
  Bag *b = bag_of(self);
  if (optimize || !b->nparts)
    return NULL;
  /* a chain is drawn without making it tasks: a reduction of it later
   * still runs its stages inside its own tasks */
  Bag *src;
  const char *const *stages;
  int n = bag_chain_stages(b, &src, &stages);
  if (n)
    return pic_stages(e, pic_mirror(e, src->parts, src->nparts), stages, n);
  return pic_mirror(e, b->parts, b->nparts);
}
