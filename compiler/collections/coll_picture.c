/* coll_picture.c - Dask's layers of a collection's expression, and the
 * picture graph expanded from them (coll_picture.h). */
#include "coll_picture_int.h"

#include <math.h>
#include <string.h>

PicState *pic_state(Eval *e) {
  return eval_coll_state(e, COLL_PICTURE, sizeof(PicState));
}

PicLayer *pic_layer(Eval *e, const char *prefix, int n, bool blockwise) {
  Arena *a = eval_arena(e);
  PicLayer *l = ARENA_NEW(a, PicLayer);
  memset(l, 0, sizeof *l);
  l->name = coll_token_name(e, prefix, arena_printf(a, "picture|%s|%d", prefix,
                                                     ++pic_state(e)->nlayers));
  l->label = prefix;
  l->n = n > 0 ? n : 1;
  l->blockwise = blockwise;
  return l;
}

PicLayer *pic_drawable(PicLayer *l, bool optimize) {
  return l && !(optimize && l->lowlevel) ? l : NULL;
}

void pic_dep(Eval *e, PicLayer *l, PicLayer *dep, PicShape shape, int k) {
  if (!dep)
    return;
  if (l->ndeps == l->capdeps) {
    int cap = l->capdeps ? 2 * l->capdeps : 4;
    l->deps = arena_realloc(eval_arena(e), l->deps, sizeof(PicDep) * (size_t)l->capdeps,
                            sizeof(PicDep) * (size_t)cap);
    l->capdeps = cap;
  }
  l->deps[l->ndeps++] = (PicDep){.layer = dep, .shape = shape, .k = k};
}

PicLayer *pic_each(Eval *e, const char *prefix, int n, PicLayer *dep1, PicLayer *dep2) {
  PicLayer *l = pic_layer(e, prefix, n, true);
  pic_dep(e, l, dep1, PIC_EACH, 0);
  pic_dep(e, l, dep2, PIC_EACH, 0);
  return l;
}

static int ceil_div(int n, int k) { return (n + k - 1) / k; }

PicLayer *pic_aca(Eval *e, PicLayer *chunk, const char *prefix, int split_every) {
  Arena *a = eval_arena(e);
  PicLayer *x = chunk;
  /* Dask's aca: while more than split_every are left, combine them in
   * groups of split_every (all levels are one layer, '-combine'). */
  while (split_every > 1 && x->n > split_every) {
    PicLayer *c = pic_layer(e, arena_printf(a, "%s-combine", prefix),
                            ceil_div(x->n, split_every), false);
    pic_dep(e, c, x, PIC_GROUPS, split_every);
    x = c;
  }
  PicLayer *agg = pic_layer(e, arena_printf(a, "%s-agg", prefix), 1, false);
  pic_dep(e, agg, x, PIC_ALL, 0);
  return agg;
}

PicLayer *pic_array_tree(Eval *e, PicLayer *chunk, const char *combine, const char *agg,
                         int split_every) {
  /* da.reductions._tree_reduce: depth = ceil(log(n, split_every)), depth - 1
   * partial levels, then the aggregate. */
  int depth = 1;
  if (chunk->n > 1) {
    double d = ceil(log((double)chunk->n) / log((double)split_every) - 1e-12);
    depth = d > 1 ? (int)d : 1;
  }
  PicLayer *x = chunk;
  for (int i = 0; i < depth - 1; i++) {
    PicLayer *c = pic_layer(e, combine, ceil_div(x->n, split_every), false);
    pic_dep(e, c, x, PIC_GROUPS, split_every);
    x = c;
  }
  PicLayer *l = pic_layer(e, agg, 1, false);
  pic_dep(e, l, x, PIC_ALL, 0);
  return l;
}

/* ---- notes by task ---- */

unsigned pic_slot(const void *p, int cap) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (unsigned)(x >> 32) & (unsigned)(cap - 1);
}

Note *pic_find(PicState *s, const Task *t) {
  if (!s->cap)
    return NULL;
  for (unsigned j = pic_slot(t, s->cap);; j = (j + 1) & (unsigned)(s->cap - 1)) {
    if (s->notes[j].task == t)
      return &s->notes[j];
    if (!s->notes[j].task)
      return NULL;
  }
}

Note *pic_note(Eval *e, const Task *t) {
  PicState *s = pic_state(e);
  Note *n = pic_find(s, t);
  if (n)
    return n;
  if (2 * (s->nnotes + 1) > s->cap) {
    int cap = s->cap ? 2 * s->cap : 256;
    Note *old = s->notes;
    int oldcap = s->cap;
    s->notes = ARENA_ARRAY(eval_arena(e), Note, cap);
    memset(s->notes, 0, sizeof(Note) * (size_t)cap);
    s->cap = cap;
    for (int i = 0; i < oldcap; i++)
      if (old[i].task) {
        unsigned j = pic_slot(old[i].task, cap);
        while (s->notes[j].task)
          j = (j + 1) & (unsigned)(cap - 1);
        s->notes[j] = old[i];
      }
  }
  unsigned j = pic_slot(t, s->cap);
  while (s->notes[j].task)
    j = (j + 1) & (unsigned)(s->cap - 1);
  s->notes[j] = (Note){.task = t};
  s->nnotes++;
  return &s->notes[j];
}

void pic_note_task(Eval *e, Task *t, PicLayer *l) { pic_note(e, t)->layer = l; }

void pic_note_stages(Eval *e, Task *t, const char *const *names, int n) {
  Note *x = pic_note(e, t);
  x->stages = names;
  x->nstages = n;
}

void pic_note_mirror(Eval *e, Task *t) { pic_note(e, t)->mirror = true; }

void pic_note_sources(Eval *e, Task *t, const char *const *names, int n) {
  Note *x = pic_note(e, t);
  x->sources = names;
  x->nsources = n;
}

void pic_copy_sources(Eval *e, Task *to, const Task *from) {
  Note *x = pic_find(pic_state(e), from);
  if (x)
    pic_note_sources(e, to, x->sources, x->nsources);
}

static PicLayer *noted(Eval *e, Task *t) {
  Note *n = pic_find(pic_state(e), t);
  if (n && !n->layer && n->mirror)
    n->layer = pic_mirror(e, &t, 1);
  return n ? n->layer : NULL;
}

enum { MAX_DEPTH = 64 };

typedef struct Refs {
  Eval *e;
  PtrVec layers;
  bool ok;
  int depth;
} Refs;

static PicLayer *of_task(Eval *e, Task *t, int depth);

static void ref_layer(Val *ref, void *ctx) {
  Refs *r = ctx;
  PicLayer *l = r->ok ? of_task(r->e, ref->ref, r->depth + 1) : NULL;
  if (l)
    ptrvec_push(eval_arena(r->e), &r->layers, l);
  r->ok = l != NULL;
}

/* A task noted, or a call whose arguments are all pictures (s.sum() +
 * t.sum(): Dask's Scalar arithmetic, one task of a layer named after the
 * function). */
static PicLayer *of_task(Eval *e, Task *t, int depth) {
  PicLayer *l = noted(e, t);
  if (l || depth > MAX_DEPTH || t->kind != TASK_CALL)
    return l;
  Refs r = {.e = e, .ok = true, .depth = depth};
  for (int i = 0; i < t->nargs && r.ok; i++)
    val_visit_refs(t->args[i], ref_layer, &r);
  if (!r.ok || !r.layers.len)
    return NULL;
  l = pic_layer(e, task_label(eval_arena(e), t), 1, false);
  for (int i = 0; i < r.layers.len; i++) {
    PicLayer *d = r.layers.items[i];
    l->lowlevel |= d->lowlevel;
    pic_dep(e, l, d, PIC_ALL, 0);
  }
  pic_note_task(e, t, l);
  return l;
}

PicLayer *pic_of_task(Eval *e, Task *t) { return t ? of_task(e, t, 0) : NULL; }
