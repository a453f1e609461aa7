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
