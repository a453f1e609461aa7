/* dot_layers.c - the layer view of a big graph.
 *
 * Graphviz's dot layout is far from linear (5,000 tasks take ~17 s), and a
 * picture of 100,000 boxes says nothing anyway. Past a threshold dot.c asks
 * for this view instead: one box per layer, as Dask's HighLevelGraph
 * visualisation draws one node per layer (dask/highlevelgraph.py,
 * to_graphviz): the label is the layer's name, the font grows with its task
 * count (20 to 40 points), the tooltip says how many tasks it holds, and an
 * edge joins two layers when a task of one needs a task of the other.
 *
 * A layer is what Dask would call one: the tasks of a tuple key share the
 * key's first element ('random_sample-<token>' for every chunk of one array
 * op); string keys are grouped by Dask's key_split ('inc-1' .. 'inc-5000'
 * make one layer 'inc'), other keys by their kind. */
#include "dot_layers.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct Layer {
  const char *group; /* what its tasks share */
  int ntasks;
  bool output;       /* holds an output of the program */
  Agnode_t *node;
} Layer;

/* Open addressing over strings (layers) and over layer pairs (edges); both
 * grow by doubling, so grouping is linear in the tasks drawn. */
typedef struct Layers {
  Arena *a;
  Layer *v;
  int n, cap;
  int *slot; /* index + 1 into v, 0 = empty */
  int nslot;
  uint64_t *edge; /* (from + 1) << 32 | (to + 1), 0 = empty */
  int nedge, capedge;
} Layers;

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdu;
  return x ^ (x >> 33);
}

static const char *group_of(Arena *a, const Task *t) {
  const Val *k = t->key;
  if (k && k->kind == VAL_TUPLE && k->seq.n > 0 &&
      k->seq.items[0]->kind == VAL_STR)
    return k->seq.items[0]->str.s;
  if (k && k->kind == VAL_STR)
    return key_split(a, k->str.s);
  return "Other"; /* Dask's key_split of an int or float key */
}

static void grow_slots(Layers *L) {
  int n = L->nslot ? L->nslot * 2 : 64;
  int *slot = ARENA_ARRAY(L->a, int, n);
  for (int i = 0; i < L->n; i++) {
    uint64_t h = hash_str(L->v[i].group);
    int j = (int)(h & (uint64_t)(n - 1));
    while (slot[j])
      j = (j + 1) & (n - 1);
    slot[j] = i + 1;
  }
  L->slot = slot;
  L->nslot = n;
}

static int layer_index(Layers *L, const char *group) {
  if (2 * (L->n + 1) > L->nslot)
    grow_slots(L);
  int j = (int)(hash_str(group) & (uint64_t)(L->nslot - 1));
  for (; L->slot[j]; j = (j + 1) & (L->nslot - 1))
    if (!strcmp(L->v[L->slot[j] - 1].group, group))
      return L->slot[j] - 1;
  if (L->n == L->cap) {
    int cap = L->cap ? 2 * L->cap : 16;
    L->v = arena_realloc(L->a, L->v, sizeof(Layer) * (size_t)L->cap,
                         sizeof(Layer) * (size_t)cap);
    L->cap = cap;
  }
  L->v[L->n] = (Layer){.group = group};
  L->slot[j] = L->n + 1;
  return L->n++;
}

/* Adds from -> to once; returns whether it was new. */
static bool add_edge(Layers *L, int from, int to) {
  if (2 * (L->nedge + 1) > L->capedge) {
    int cap = L->capedge ? L->capedge * 2 : 64;
    uint64_t *e = ARENA_ARRAY(L->a, uint64_t, cap);
    for (int i = 0; i < L->capedge; i++)
      if (L->edge[i]) {
        int j = (int)(mix(L->edge[i]) & (uint64_t)(cap - 1));
        while (e[j])
          j = (j + 1) & (cap - 1);
        e[j] = L->edge[i];
      }
    L->edge = e;
    L->capedge = cap;
  }
  uint64_t key = (uint64_t)(from + 1) << 32 | (uint64_t)(to + 1);
  int j = (int)(mix(key) & (uint64_t)(L->capedge - 1));
  for (; L->edge[j]; j = (j + 1) & (L->capedge - 1))
    if (L->edge[j] == key)
      return false;
  L->edge[j] = key;
  L->nedge++;
  return true;
}

/* Dask's font size: 20 points for the smallest layer, 40 for the largest. */
static int font_size(int n, int lo, int hi) {
  return hi == lo ? 20 : (int)(20 + (double)(n - lo) / (hi - lo) * 20);
}

static void add_nodes(Layers *L, Agraph_t *ag) {
  int lo = L->v[0].ntasks, hi = lo;
  for (int i = 1; i < L->n; i++) {
    lo = L->v[i].ntasks < lo ? L->v[i].ntasks : lo;
    hi = L->v[i].ntasks > hi ? L->v[i].ntasks : hi;
  }
  for (int i = 0; i < L->n; i++) {
    Layer *l = &L->v[i];
    l->node = agnode(ag, arena_printf(L->a, "l%d", i), 1);
    dot_set(l->node, "label", dot_label(L->a, key_split(L->a, l->group)));
    dot_set(l->node, "fontsize",
            arena_printf(L->a, "%d", font_size(l->ntasks, lo, hi)));
    dot_set(l->node, "tooltip",
            arena_printf(L->a, "A Layer with %d Tasks.\n", l->ntasks));
    if (l->output)
      dot_set(l->node, "penwidth", "2");
  }
}

Agraph_t *dot_layers_build(Graph *g, const bool *keep, const char *rankdir,
                           int *nlayers) {
  Layers L = {.a = g->arena};
  int *of = ARENA_ARRAY(g->arena, int, g->ntasks + 1);
  for (int i = 0; i < g->ntasks; i++) {
    if (!keep[i])
      continue;
    Task *t = g->tasks[i];
    of[i] = layer_index(&L, group_of(g->arena, t));
    L.v[of[i]].ntasks++;
    L.v[of[i]].output |= t->nout > 0;
  }
  Agraph_t *ag = agopen("taskc", Agdirected, NULL);
  dot_set(ag, "rankdir", rankdir ? rankdir : "TB");
  agattr(ag, AGNODE, "fontname", "helvetica");
  agattr(ag, AGNODE, "shape", "box");
  if (L.n > 0)
    add_nodes(&L, ag);
  /* Edges in task order, so the DOT text is the same on every run. */
  for (int i = 0; i < g->ntasks; i++) {
    if (!keep[i])
      continue;
    Task *t = g->tasks[i];
    for (int d = 0; d < t->ndeps; d++) {
      int from = of[t->deps[d]->id], to = of[i];
      if (keep[t->deps[d]->id] && from != to && add_edge(&L, from, to))
        agedge(ag, L.v[from].node, L.v[to].node, NULL, 1);
    }
  }
  *nlayers = L.n;
  return ag;
}
