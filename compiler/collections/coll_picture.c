/* coll_picture.c - Dask's layers of a collection's expression, and the
 * picture graph expanded from them (coll_picture.h). */
#include "coll_picture.h"

#include <limits.h>
#include <math.h>
#include <string.h>

typedef struct PicDep {
  PicLayer *layer;
  PicShape shape;
  int k;
  int *lo, *hi; /* PIC_RANGE, by task */
} PicDep;

struct PicLayer {
  const char *name;  /* '<prefix>-<token>': the keys' first item */
  const char *label; /* prefix: Dask labels a task's circle key_split(key) */
  int n;
  bool blockwise;
  bool lowlevel;     /* pic_fuses_low_level */
  bool str_key;      /* one task keyed by the name alone */
  bool data;         /* a literal: a box, no function */
  PicDep *deps;
  int ndeps, capdeps;
  int mark;          /* pic_graph's scratch: the visit it was seen by */
  int group;         /* pic_graph's scratch: its fused group, by index */
  Task **tasks;      /* pic_graph's scratch: the tasks drawn for it */
};

/* What is noted of a task. */
typedef struct Note {
  const Task *task;
  PicLayer *layer;
  const char *const *stages;
  int nstages;
  const char *const *sources;
  int nsources;
  bool mirror;
  PicLayer *mirrored; /* the layer an earlier pic_mirror put it in */
  int index;          /* and its index there */
} Note;

/* Per compilation: a counter that keeps layer names apart, and the notes
 * by task (open addressing, doubling). */
typedef struct PicState {
  int nlayers;
  int visits;
  Note *notes;
  int nnotes, cap;
} PicState;

static PicState *state(Eval *e) {
  return eval_coll_state(e, COLL_PICTURE, sizeof(PicState));
}

PicLayer *pic_layer(Eval *e, const char *prefix, int n, bool blockwise) {
  Arena *a = eval_arena(e);
  PicLayer *l = ARENA_NEW(a, PicLayer);
  memset(l, 0, sizeof *l);
  l->name = coll_token_name(e, prefix, arena_printf(a, "picture|%s|%d", prefix,
                                                     ++state(e)->nlayers));
  l->label = prefix;
  l->n = n > 0 ? n : 1;
  l->blockwise = blockwise;
  return l;
}

int pic_ntasks(const PicLayer *l) { return l->n; }

void pic_fuses_low_level(PicLayer *l) { l->lowlevel = true; }

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

static unsigned slot_of(const void *p, int cap) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (unsigned)(x >> 32) & (unsigned)(cap - 1);
}

static Note *find(PicState *s, const Task *t) {
  if (!s->cap)
    return NULL;
  for (unsigned j = slot_of(t, s->cap);; j = (j + 1) & (unsigned)(s->cap - 1)) {
    if (s->notes[j].task == t)
      return &s->notes[j];
    if (!s->notes[j].task)
      return NULL;
  }
}

static Note *note(Eval *e, const Task *t) {
  PicState *s = state(e);
  Note *n = find(s, t);
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
        unsigned j = slot_of(old[i].task, cap);
        while (s->notes[j].task)
          j = (j + 1) & (unsigned)(cap - 1);
        s->notes[j] = old[i];
      }
  }
  unsigned j = slot_of(t, s->cap);
  while (s->notes[j].task)
    j = (j + 1) & (unsigned)(s->cap - 1);
  s->notes[j] = (Note){.task = t};
  s->nnotes++;
  return &s->notes[j];
}

void pic_note_task(Eval *e, Task *t, PicLayer *l) { note(e, t)->layer = l; }

void pic_note_stages(Eval *e, Task *t, const char *const *names, int n) {
  Note *x = note(e, t);
  x->stages = names;
  x->nstages = n;
}

void pic_note_mirror(Eval *e, Task *t) { note(e, t)->mirror = true; }

void pic_note_sources(Eval *e, Task *t, const char *const *names, int n) {
  Note *x = note(e, t);
  x->sources = names;
  x->nsources = n;
}

void pic_copy_sources(Eval *e, Task *to, const Task *from) {
  Note *x = find(state(e), from);
  if (x)
    pic_note_sources(e, to, x->sources, x->nsources);
}

static PicLayer *noted(Eval *e, Task *t) {
  Note *n = find(state(e), t);
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

/* ---- mirrors of tasks keyed as Dask's ---- */

typedef struct Mirror {
  Eval *e;
  PtrVec tasks;   /* reachable from the roots, each once */
  PtrVec groups;  /* PicLayer per key name */
  Note *seen;     /* by task: layer = its group, nstages = its index */
  int cap;
} Mirror;

static Note *seen_slot(Mirror *m, const Task *t) {
  unsigned j = slot_of(t, m->cap);
  while (m->seen[j].task && m->seen[j].task != t)
    j = (j + 1) & (unsigned)(m->cap - 1);
  return &m->seen[j];
}

static void grow_seen(Mirror *m) {
  int cap = m->cap ? 4 * m->cap : 1024;
  Note *old = m->seen;
  int oldcap = m->cap;
  m->seen = ARENA_ARRAY(eval_arena(m->e), Note, cap);
  memset(m->seen, 0, sizeof(Note) * (size_t)cap);
  m->cap = cap;
  for (int j = 0; j < oldcap; j++)
    if (old[j].task)
      *seen_slot(m, old[j].task) = old[j];
}

static void visit_ref(Val *ref, void *ctx) {
  Mirror *m = ctx;
  if (2 * (m->tasks.len + 1) > m->cap)
    grow_seen(m);
  Note *n = seen_slot(m, ref->ref);
  if (!n->task) {
    n->task = ref->ref;
    /* mirrored before (dask.visualize(b.sum(), b.map(f)) shares b's
     * layers): that layer, whole, and not what it needs again */
    Note *x = find(state(m->e), ref->ref);
    if (x && x->mirrored) {
      n->mirror = true;
      n->layer = x->mirrored;
      n->nstages = x->index;
    }
    ptrvec_push(eval_arena(m->e), &m->tasks, ref->ref);
  }
}

/* The key's name and index: ('name', i), or a str key (index 0). */
static const char *key_name(Arena *a, const Task *t, int *index, bool *str) {
  const Val *k = t->key;
  *index = 0;
  *str = false;
  if (k && k->kind == VAL_TUPLE && k->seq.n >= 2 && k->seq.items[0]->kind == VAL_STR &&
      k->seq.items[1]->kind == VAL_INT) {
    *index = (int)k->seq.items[1]->i;
    return k->seq.items[0]->str.s;
  }
  *str = true;
  if (k && k->kind == VAL_STR)
    return k->str.s;
  return t->name ? t->name : val_repr(a, k);
}

static PicLayer *group_of(Mirror *m, const Task *t, int *index) {
  Arena *a = eval_arena(m->e);
  bool str;
  const char *name = key_name(a, t, index, &str);
  for (int i = 0; i < m->groups.len; i++) {
    PicLayer *l = m->groups.items[i];
    if (!strcmp(l->name, name))
      return l;
  }
  PicLayer *l = ARENA_NEW(a, PicLayer);
  memset(l, 0, sizeof *l);
  l->name = name;
  l->label = key_split(a, name);
  l->str_key = str;
  l->data = t->kind == TASK_DATA;
  l->lowlevel = true; /* Dask fuses such graphs low-level: not modelled */
  l->n = 0;
  ptrvec_push(a, &m->groups, l);
  return l;
}

static PicDep *range_dep(Eval *e, PicLayer *l, PicLayer *dep) {
  for (int i = 0; i < l->ndeps; i++)
    if (l->deps[i].layer == dep)
      return &l->deps[i];
  pic_dep(e, l, dep, PIC_RANGE, 0);
  PicDep *d = &l->deps[l->ndeps - 1];
  d->lo = ARENA_ARRAY(eval_arena(e), int, l->n);
  d->hi = ARENA_ARRAY(eval_arena(e), int, l->n);
  for (int i = 0; i < l->n; i++) {
    d->lo[i] = INT_MAX;
    d->hi[i] = -1;
  }
  return d;
}

typedef struct DepCtx {
  Mirror *m;
  PicLayer *l;
  int i;
} DepCtx;

static void add_range(Val *ref, void *ctx) {
  DepCtx *c = ctx;
  Note *n = seen_slot(c->m, ref->ref);
  PicDep *d = range_dep(c->m->e, c->l, n->layer);
  int j = n->nstages;
  d->lo[c->i] = j < d->lo[c->i] ? j : d->lo[c->i];
  d->hi[c->i] = j > d->hi[c->i] ? j : d->hi[c->i];
}

/* A one-task layer keyed name. */
static PicLayer *single(Eval *e, const char *name) {
  PicLayer *l = ARENA_NEW(eval_arena(e), PicLayer);
  memset(l, 0, sizeof *l);
  l->name = name;
  l->label = key_split(eval_arena(e), name);
  l->n = 1;
  l->str_key = true;
  l->lowlevel = true;
  return l;
}

/* Task i of l needs the chain of sources x notes. */
static void add_sources(Eval *e, PicLayer *l, int i, const Note *x) {
  PicLayer *prev = NULL;
  for (int s = 0; s < x->nsources; s++) {
    PicLayer *src = single(e, x->sources[s]);
    pic_dep(e, src, prev, PIC_EACH, 0);
    prev = src;
  }
  if (!prev)
    return;
  PicDep *d = range_dep(e, l, prev);
  d->lo[i] = d->hi[i] = 0;
}

/* The stages noted on l's first task, as layers between l and its deps. */
static void insert_stages(Eval *e, PicLayer *l, const Note *x) {
  if (!x || !x->nstages)
    return;
  PicLayer *prev = NULL;
  for (int s = 0; s < x->nstages; s++) {
    PicLayer *st = ARENA_NEW(eval_arena(e), PicLayer);
    memset(st, 0, sizeof *st);
    st->name = x->stages[s];
    st->label = key_split(eval_arena(e), st->name);
    st->n = l->n;
    st->lowlevel = true;
    if (prev) {
      pic_dep(e, st, prev, PIC_EACH, 0);
    } else { /* the first stage reads what l read */
      st->deps = l->deps;
      st->ndeps = st->capdeps = l->ndeps;
    }
    prev = st;
  }
  l->deps = NULL;
  l->ndeps = l->capdeps = 0;
  pic_dep(e, l, prev, PIC_EACH, 0);
}

PicLayer *pic_mirror(Eval *e, Task **roots, int n) {
  Arena *a = eval_arena(e);
  Mirror m = {.e = e};
  for (int i = 0; i < n; i++)
    visit_ref(val_ref(a, roots[i]), &m);
  for (int i = 0; i < m.tasks.len; i++) { /* every task once, breadth first */
    Task *t = m.tasks.items[i];
    if (seen_slot(&m, t)->mirror)
      continue;
    for (int k = 0; k < t->nargs; k++)
      val_visit_refs(t->args[k], visit_ref, &m);
  }
  if (!n)
    return NULL;
  for (int i = 0; i < m.tasks.len; i++) {
    Task *t = m.tasks.items[i];
    Note *s = seen_slot(&m, t);
    if (s->mirror)
      continue;
    int index;
    PicLayer *l = group_of(&m, t, &index);
    s->layer = l;
    s->nstages = index;
    if (index + 1 > l->n)
      l->n = index + 1;
  }
  for (int i = 0; i < m.tasks.len; i++) {
    Task *t = m.tasks.items[i];
    Note *s = seen_slot(&m, t);
    if (s->mirror)
      continue;
    DepCtx c = {&m, s->layer, s->nstages};
    for (int k = 0; k < t->nargs; k++)
      val_visit_refs(t->args[k], add_range, &c);
  }
  for (int i = 0; i < m.tasks.len; i++) {
    Note *s = seen_slot(&m, m.tasks.items[i]);
    Note *x = s->mirror ? NULL : find(state(e), m.tasks.items[i]);
    if (x && x->nsources)
      add_sources(e, s->layer, s->nstages, x);
  }
  for (int g = 0; g < m.groups.len; g++) { /* a task missing from a layer: drawn alone */
    PicLayer *l = m.groups.items[g];
    for (int d = 0; d < l->ndeps; d++)
      for (int i = 0; i < l->n; i++)
        if (l->deps[d].hi[i] < 0)
          l->deps[d].lo[i] = 0;
  }
  for (int i = 0; i < m.tasks.len; i++) { /* each layer's stages, once */
    Task *t = m.tasks.items[i];
    if (seen_slot(&m, t)->mirror)
      continue;
    PicLayer *l = seen_slot(&m, t)->layer;
    Note *x = find(state(e), t);
    if (!l->mark && x && x->nstages) {
      insert_stages(e, l, x);
      l->mark = -1;
    }
  }
  for (int g = 0; g < m.groups.len; g++)
    ((PicLayer *)m.groups.items[g])->mark = 0;
  PicLayer *root = seen_slot(&m, roots[0])->layer;
  for (int i = 0; i < m.tasks.len; i++) { /* for the next mirrors */
    Note *s = seen_slot(&m, m.tasks.items[i]);
    if (!s->mirror) {
      Note *x = note(e, m.tasks.items[i]);
      x->mirrored = s->layer;
      x->index = s->nstages;
    }
  }
  return root;
}

/* ---- the picture graph ---- */

/* The layers roots need, dependencies first (an explicit stack: a long
 * pipeline is deep). */
static void collect(Eval *e, PicLayer **roots, int nroots, PtrVec *out) {
  Arena *a = eval_arena(e);
  int visit = ++state(e)->visits * 2; /* visit: expanded; visit + 1: done */
  PtrVec stack = {0};
  for (int i = nroots - 1; i >= 0; i--)
    ptrvec_push(a, &stack, roots[i]);
  while (stack.len) {
    PicLayer *l = stack.items[stack.len - 1];
    if (l->mark == visit + 1) {
      stack.len--;
    } else if (l->mark != visit) { /* first time on top: its deps first */
      l->mark = visit;
      for (int i = l->ndeps - 1; i >= 0; i--)
        if (l->deps[i].layer->mark < visit)
          ptrvec_push(a, &stack, l->deps[i].layer);
    } else { /* on top again: its deps are done */
      l->mark = visit + 1;
      l->group = out->len;
      ptrvec_push(a, out, l);
      stack.len--;
    }
  }
}

/* Dask's optimize_blockwise, as it works out on these layers: a
 * blockwise layer joins the group of the layer that uses it when every
 * layer that uses it is in that group (and it is not a root). Groups are
 * by index into the topological order; a group is named by its last
 * layer. Repeated until nothing changes (a diamond of blockwise layers
 * fuses whole). */
static void fuse_groups(PtrVec *order, PicLayer **roots, int nroots) {
  int n = order->len;
  PicLayer **L = (PicLayer **)order->items;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int i = n - 1; i >= 0; i--) {
      PicLayer *d = L[i];
      if (!d->blockwise || d->group != i)
        continue;
      bool is_root = false;
      for (int r = 0; r < nroots; r++)
        is_root |= roots[r] == d;
      int g = -1;
      bool ok = !is_root;
      for (int j = i + 1; ok && j < n; j++)
        for (int k = 0; k < L[j]->ndeps; k++)
          if (L[j]->deps[k].layer == d) {
            int gj = L[j]->group;
            ok &= L[j]->blockwise && (g < 0 || g == gj);
            g = gj;
          }
      if (ok && g >= 0) {
        for (int j = 0; j <= i; j++) /* d and what was fused into it */
          if (L[j]->group == i)
            L[j]->group = g;
        changed = true;
      }
    }
  }
}

static Val *layer_key(Arena *a, const PicLayer *l, int i) {
  Val *k[2] = {val_str(a, l->name, (int)strlen(l->name)), val_int(a, i)};
  return val_seq(a, VAL_TUPLE, k, 2);
}

/* dep's tasks task i of a layer needs, as refs appended to refs. */
static void dep_refs(Arena *a, const PicDep *d, int i, PtrVec *refs) {
  PicLayer *x = d->layer;
  int from = 0, to = x->n;
  switch (d->shape) {
  case PIC_EACH: from = x->n == 1 ? 0 : i; to = from + 1; break;
  case PIC_ALL: break;
  case PIC_FIRST: to = 1; break;
  case PIC_GROUPS: from = i * d->k; to = from + d->k < x->n ? from + d->k : x->n; break;
  case PIC_RANGE: from = d->lo[i]; to = d->hi[i] + 1; break;
  }
  for (int j = from; j < to && j < x->n; j++) {
    bool seen = false;
    for (int m = 0; m < refs->len && !seen; m++)
      seen = ((Val *)refs->items[m])->ref == x->tasks[j];
    if (!seen)
      ptrvec_push(a, refs, val_ref(a, x->tasks[j]));
  }
}

/* Task i of the fused group whose last layer is out: what the group's
 * members need from outside it, for index i (every member is blockwise:
 * index i of each). */
static void group_refs(Arena *a, PtrVec *order, int out, int i, PtrVec *refs) {
  PicLayer **L = (PicLayer **)order->items;
  for (int m = 0; m <= out; m++) {
    if (L[m]->group != out)
      continue;
    for (int k = 0; k < L[m]->ndeps; k++) {
      const PicDep *d = &L[m]->deps[k];
      if (d->layer->group == out)
        continue;
      PicDep dd = *d;
      dd.layer = L[d->layer->group];
      dep_refs(a, &dd, i, refs);
    }
  }
}

static void make_tasks(Eval *e, Graph *g, PtrVec *order, int out) {
  Arena *a = eval_arena(e);
  PicLayer *l = order->items[out];
  Func *fn = ARENA_NEW(a, Func);
  memset(fn, 0, sizeof *fn);
  fn->name = l->label;
  fn->pure = true;
  l->tasks = ARENA_ARRAY(a, Task *, l->n);
  for (int i = 0; i < l->n; i++) {
    Val *key = l->str_key ? val_str(a, l->name, (int)strlen(l->name)) : layer_key(a, l, i);
    Task *t = graph_add(g, l->data ? TASK_DATA : TASK_CALL, key, l->label, eval_loc(e));
    if (!l->data)
      t->fn = fn;
    t->pure = true;
    l->tasks[i] = t;
  }
}

/* The tasks' arguments: refs to what they need (after every layer's
 * tasks exist: a mirror's layers may need each other, as accumulate's). */
static void link_tasks(Eval *e, PtrVec *order, int out) {
  Arena *a = eval_arena(e);
  PicLayer *l = order->items[out];
  for (int i = 0; i < l->n; i++) {
    Task *t = l->tasks[i];
    PtrVec refs = {0};
    group_refs(a, order, out, i, &refs);
    t->nargs = refs.len;
    t->args = ARENA_ARRAY(a, Val *, refs.len + 1);
    memcpy(t->args, refs.items, sizeof(Val *) * (size_t)refs.len);
    if (l->data) { /* a literal is only a box; a list of results a circle */
      t->nargs = 1;
      t->args[0] = refs.len ? val_seq(a, VAL_LIST, (Val **)refs.items, refs.len)
                            : val_none(a);
    }
  }
}

/* Dask's cull: only what the roots' tasks need. */
static void cull(Graph *g, PicLayer **roots, int nroots) {
  graph_link(g);
  bool *keep = ARENA_ARRAY(g->arena, bool, g->ntasks + 1);
  Task **stack = ARENA_ARRAY(g->arena, Task *, g->ntasks + 1);
  int sp = 0;
  for (int r = 0; r < nroots; r++)
    for (int i = 0; i < roots[r]->n; i++) {
      Task *t = roots[r]->tasks[i];
      if (!keep[t->id]) {
        keep[t->id] = true;
        stack[sp++] = t;
      }
    }
  while (sp) {
    Task *t = stack[--sp];
    for (int i = 0; i < t->ndeps; i++)
      if (!keep[t->deps[i]->id]) {
        keep[t->deps[i]->id] = true;
        stack[sp++] = t->deps[i];
      }
  }
  int n = 0;
  for (int i = 0; i < g->ntasks; i++)
    if (keep[i])
      g->tasks[n++] = g->tasks[i];
  g->ntasks = n;
  graph_link(g);
}

Graph *pic_graph(Eval *e, PicLayer **roots, int nroots, bool optimize) {
  Arena *a = eval_arena(e);
  PtrVec order = {0};
  collect(e, roots, nroots, &order);
  if (optimize)
    fuse_groups(&order, roots, nroots);
  Graph *g = graph_new(a);
  for (int i = 0; i < order.len; i++)
    if (((PicLayer *)order.items[i])->group == i)
      make_tasks(e, g, &order, i);
  for (int i = 0; i < order.len; i++)
    if (((PicLayer *)order.items[i])->group == i)
      link_tasks(e, &order, i);
  if (optimize)
    cull(g, roots, nroots);
  else
    graph_link(g);
  return g;
}
