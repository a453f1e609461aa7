/* coll_picture_mirror.c - Dask's layers of tasks keyed as Dask keys them
 * (pic_mirror, coll_picture.h): grouped by key name, with the stages and
 * sources noted on them drawn before them. */
#include <limits.h>
#include <string.h>

#include "coll_picture_int.h"

/* ---- mirrors of tasks keyed as Dask's ---- */

/* A task the mirror reached: its layer and index there; frozen: mirrored
 * by an earlier pic_mirror, whose layer is taken whole. */
typedef struct Seen {
  const Task *task;
  PicLayer *layer;
  int index;
  bool frozen;
} Seen;

typedef struct Mirror {
  Eval *e;
  PtrVec tasks;   /* reachable from the roots, each once */
  PtrVec groups;  /* PicLayer per key name */
  Seen *seen;     /* by task (open addressing) */
  int cap;
} Mirror;

static Seen *seen_slot(Mirror *m, const Task *t) {
  unsigned j = pic_slot(t, m->cap);
  while (m->seen[j].task && m->seen[j].task != t)
    j = (j + 1) & (unsigned)(m->cap - 1);
  return &m->seen[j];
}

static void grow_seen(Mirror *m) {
  int cap = m->cap ? 4 * m->cap : 1024;
  Seen *old = m->seen;
  int oldcap = m->cap;
  m->seen = ARENA_ARRAY(eval_arena(m->e), Seen, cap);
  memset(m->seen, 0, sizeof(Seen) * (size_t)cap);
  m->cap = cap;
  for (int j = 0; j < oldcap; j++)
    if (old[j].task)
      *seen_slot(m, old[j].task) = old[j];
}

static void visit_ref(Val *ref, void *ctx) {
  Mirror *m = ctx;
  if (2 * (m->tasks.len + 1) > m->cap)
    grow_seen(m);
  Seen *n = seen_slot(m, ref->ref);
  if (!n->task) {
    n->task = ref->ref;
    /* mirrored before (dask.visualize(b.sum(), b.map(f)) shares b's
     * layers): that layer, whole, and not what it needs again */
    Note *x = pic_find(pic_state(m->e), ref->ref);
    if (x && !x->mirrored && x->build) {
      PicBuild *build = x->build;
      x->build = NULL; /* once */
      build(m->e, x->ctx);
      x = pic_find(pic_state(m->e), ref->ref); /* the notes may have grown */
    }
    if (x && x->mirrored) {
      n->frozen = true;
      n->layer = x->mirrored;
      n->index = x->index;
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

PicLayer *pic_named(Eval *e, const char *name, int n, bool str_key) {
  PicLayer *l = ARENA_NEW(eval_arena(e), PicLayer);
  memset(l, 0, sizeof *l);
  l->name = name;
  l->label = key_split(eval_arena(e), name);
  l->n = n;
  l->str_key = str_key;
  l->lowlevel = true; /* Dask fuses such graphs low-level: not modelled */
  return l;
}

void pic_note_layer(Eval *e, Task *const *tasks, int n, PicLayer *l) {
  for (int i = 0; i < n; i++) {
    Note *x = pic_note(e, tasks[i]);
    x->mirrored = l;
    x->index = i;
  }
}

void pic_also(PicLayer *l, PicLayer *also) { l->also = also; }

PicLayer *pic_mirrored(Eval *e, const Task *t) {
  Note *x = pic_find(pic_state(e), t);
  return x ? x->mirrored : NULL;
}

void pic_note_build(Eval *e, Task *t, PicBuild *build, void *ctx) {
  Note *x = pic_note(e, t);
  x->build = build;
  x->ctx = ctx;
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
  PicLayer *l = pic_named(m->e, name, 0, str); /* n: the highest index + 1 */
  l->data = t->kind == TASK_DATA;
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
  Seen *n = seen_slot(c->m, ref->ref);
  PicDep *d = range_dep(c->m->e, c->l, n->layer);
  int j = n->index;
  d->lo[c->i] = j < d->lo[c->i] ? j : d->lo[c->i];
  d->hi[c->i] = j > d->hi[c->i] ? j : d->hi[c->i];
}

/* Task i of l needs the chain of sources x notes. */
static void add_sources(Eval *e, PicLayer *l, int i, const Note *x) {
  PicLayer *prev = NULL;
  for (int s = 0; s < x->nsources; s++) {
    PicLayer *src = pic_named(e, x->sources[s], 1, true);
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
    PicLayer *st = pic_named(e, x->stages[s], l->n, false);
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

PicLayer *pic_stages(Eval *e, PicLayer *src, const char *const *names, int n) {
  for (int s = 0; s < n; s++) {
    PicLayer *st = pic_named(e, names[s], src->n, false);
    pic_dep(e, st, src, PIC_EACH, 0);
    src = st;
  }
  return src;
}

PicLayer *pic_mirror(Eval *e, Task **roots, int n) {
  Arena *a = eval_arena(e);
  Mirror m = {.e = e};
  for (int i = 0; i < n; i++)
    visit_ref(val_ref(a, roots[i]), &m);
  for (int i = 0; i < m.tasks.len; i++) { /* every task once, breadth first */
    Task *t = m.tasks.items[i];
    if (seen_slot(&m, t)->frozen)
      continue;
    for (int k = 0; k < t->nargs; k++)
      val_visit_refs(t->args[k], visit_ref, &m);
  }
  if (!n)
    return NULL;
  for (int i = 0; i < m.tasks.len; i++) {
    Task *t = m.tasks.items[i];
    Seen *s = seen_slot(&m, t);
    if (s->frozen)
      continue;
    int index;
    PicLayer *l = group_of(&m, t, &index);
    s->layer = l;
    s->index = index;
    if (index + 1 > l->n)
      l->n = index + 1;
  }
  for (int i = 0; i < m.tasks.len; i++) {
    Task *t = m.tasks.items[i];
    Seen *s = seen_slot(&m, t);
    if (s->frozen)
      continue;
    DepCtx c = {&m, s->layer, s->index};
    for (int k = 0; k < t->nargs; k++)
      val_visit_refs(t->args[k], add_range, &c);
  }
  for (int i = 0; i < m.tasks.len; i++) {
    Seen *s = seen_slot(&m, m.tasks.items[i]);
    Note *x = s->frozen ? NULL : pic_find(pic_state(e), m.tasks.items[i]);
    if (x && x->nsources)
      add_sources(e, s->layer, s->index, x);
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
    if (seen_slot(&m, t)->frozen)
      continue;
    PicLayer *l = seen_slot(&m, t)->layer;
    Note *x = pic_find(pic_state(e), t);
    if (!l->mark && x && x->nstages) {
      insert_stages(e, l, x);
      l->mark = -1;
    }
  }
  for (int g = 0; g < m.groups.len; g++)
    ((PicLayer *)m.groups.items[g])->mark = 0;
  PicLayer *root = seen_slot(&m, roots[0])->layer;
  for (int i = 0; i < m.tasks.len; i++) { /* for the next mirrors */
    Seen *s = seen_slot(&m, m.tasks.items[i]);
    if (!s->frozen) {
      Note *x = pic_note(e, m.tasks.items[i]);
      x->mirrored = s->layer;
      x->index = s->index;
    }
  }
  return root;
}
