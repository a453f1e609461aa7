/* exec_place.c - where each task runs, and one rank's share of the program
 * (exec_place.h). */
#include "exec_place.h"

#include <stdlib.h>
#include <string.h>

#define NO UINT32_MAX

static void *xalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

/* Tasks in an order where producers come first (Kahn's algorithm over the
 * users lists: ids need not be topological). */
static uint32_t *topo_order(const TrProgram *p) {
  uint32_t n = p->ntasks, head = 0, tail = 0;
  uint32_t *order = xalloc(n, sizeof *order), *deps = xalloc(n, sizeof *deps);
  for (uint32_t t = 0; t < n; t++)
    if ((deps[t] = p->tasks[t].ndeps) == 0)
      order[tail++] = t;
  while (head < tail) {
    const TrTask *tk = &p->tasks[order[head++]];
    for (uint32_t k = 0; k < tk->nusers; k++) {
      uint32_t u = p->users[tk->users_off + k];
      if (--deps[u] == 0)
        order[tail++] = u;
    }
  }
  free(deps);
  return order;
}

/* lead[t]: the position, among the sources in id order, of the source
 * task t's rank follows (its first input's, recursively; outputs are on
 * rank 0, position 0). */
static uint32_t *lead_sources(const TrProgram *p, const uint32_t *order, uint32_t *nsrc) {
  uint32_t n = p->ntasks, *lead = xalloc(n, sizeof *lead);
  *nsrc = 0;
  for (uint32_t t = 0; t < n; t++)
    if (p->tasks[t].nin == 0)
      lead[t] = (*nsrc)++;
  for (uint32_t i = 0; i < n; i++) {
    const TrTask *tk = &p->tasks[order[i]];
    if (tk->nin > 0)
      lead[order[i]] = lead[p->in_idx[tk->in_off]];
    if (tk->nout > 0)
      lead[order[i]] = 0;
  }
  return lead;
}

/* cost[i]: the edges a rank boundary before source position i would cut
 * (producer and reader leading on different sides), i in 0..nsrc, by
 * prefix sums over each edge's interval of cutting positions. */
static int64_t *cut_costs(const TrProgram *p, const uint32_t *lead, uint32_t nsrc) {
  int64_t *cost = xalloc((size_t)nsrc + 2, sizeof *cost);
  for (uint32_t t = 0; t < p->ntasks; t++) {
    const TrTask *tk = &p->tasks[t];
    for (uint32_t j = 0; j < tk->nin; j++) {
      uint32_t a = lead[t], b = lead[p->in_idx[tk->in_off + j]];
      if (a > b) {
        uint32_t c = a;
        a = b;
        b = c;
      }
      if (a < b) { /* cut by a boundary at a+1 .. b */
        cost[a + 1]++;
        cost[b + 1]--;
      }
    }
  }
  for (uint32_t i = 1; i <= nsrc; i++)
    cost[i] += cost[i - 1];
  return cost;
}

/* cut[r]: the first source position of rank r (cut[nranks] = nsrc). Each
 * boundary starts at its equal-count place and moves, by at most 1/8 of
 * a rank's share, to the position cutting the fewest edges (nearest
 * first): on a tree of fan-in f it lands on the boundary of the largest
 * subtree it can, so whole subtrees stay on one rank and only their
 * partial results cross, instead of up to f - 1 values on every level of
 * the tree above a misaligned cut. A rank gets at most 1.25 times its
 * share of the sources; a message costs far more than a small chunk. */
static uint32_t *cut_points(const int64_t *cost, uint32_t nsrc, int nranks) {
  uint32_t *cut = xalloc((size_t)nranks + 1, sizeof *cut);
  uint64_t w = nsrc / ((uint64_t)nranks * 8);
  for (int r = 1; r < nranks; r++) {
    uint64_t ideal = ((uint64_t)r * nsrc + (uint64_t)nranks - 1) / (uint64_t)nranks;
    uint64_t lo = ideal > w ? ideal - w : 0, hi = ideal + w < nsrc ? ideal + w : nsrc;
    if (lo < cut[r - 1])
      lo = cut[r - 1];
    uint64_t best = ideal < lo ? lo : ideal;
    for (uint64_t i = lo; i <= hi; i++) {
      uint64_t d = i > ideal ? i - ideal : ideal - i, db = best > ideal ? best - ideal : ideal - best;
      if (cost[i] < cost[best] || (cost[i] == cost[best] && d < db))
        best = i;
    }
    cut[r] = (uint32_t)best;
  }
  cut[nranks] = nsrc;
  return cut;
}

int32_t *tr_place(const TrProgram *p, int nranks) {
  uint32_t n = p->ntasks, nsrc;
  int32_t *owner = xalloc(n, sizeof *owner);
  uint32_t *order = topo_order(p), *lead = lead_sources(p, order, &nsrc);
  int64_t *cost = cut_costs(p, lead, nsrc);
  uint32_t *cut = cut_points(cost, nsrc, nranks);
  int32_t r = 0; /* sources in id order: contiguous ranges */
  for (uint32_t t = 0, k = 0; t < n; t++)
    if (p->tasks[t].nin == 0) {
      while (r + 1 < nranks && k >= cut[r + 1])
        r++;
      owner[t] = r;
      k++;
    }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t t = order[i];
    const TrTask *tk = &p->tasks[t];
    if (tk->nin > 0)
      owner[t] = owner[p->in_idx[tk->in_off]];
    if (tk->nout > 0)
      owner[t] = 0;
  }
  free(order);
  free(lead);
  free(cost);
  free(cut);
  return owner;
}

/* ---------------- one rank's share ---------------- */

/* Sub ids: own tasks in id order, proxies, sends; counts and maps. */
static void number_tasks(const TrProgram *p, const int32_t *owner, int rank, TrShare *s,
                         uint32_t *local, uint32_t *send) {
  uint32_t n = p->ntasks;
  for (uint32_t t = 0; t < n; t++) {
    local[t] = send[t] = s->proxy[t] = NO;
    if (owner[t] == rank)
      local[t] = s->nlocal++;
  }
  for (uint32_t t = 0; t < n; t++) {
    const TrTask *tk = &p->tasks[t];
    bool read_here = false, read_away = false;
    for (uint32_t k = 0; k < tk->nusers; k++) {
      int32_t r = owner[p->users[tk->users_off + k]];
      read_here |= r == rank;
      read_away |= r != rank;
    }
    if (owner[t] != rank && read_here)
      s->proxy[t] = s->nproxy++;
    if (owner[t] == rank && read_away)
      send[t] = s->nsend++;
  }
  for (uint32_t t = 0; t < n; t++) {
    if (s->proxy[t] != NO)
      s->proxy[t] += s->nlocal;
    if (send[t] != NO)
      send[t] += s->nlocal + s->nproxy;
  }
}

/* users of original task t that run on `rank`, as sub ids, plus its send. */
static uint32_t put_users(const TrProgram *p, const int32_t *owner, int rank,
                          const uint32_t *local, uint32_t t, uint32_t send, uint32_t *out) {
  const TrTask *tk = &p->tasks[t];
  uint32_t m = 0;
  for (uint32_t k = 0; k < tk->nusers; k++) {
    uint32_t u = p->users[tk->users_off + k];
    if (owner[u] == rank)
      out[m++] = local[u];
  }
  if (send != NO)
    out[m++] = send;
  return m;
}

static void build_tables(const TrProgram *p, const int32_t *owner, int rank, TrShare *s,
                         const uint32_t *local, const uint32_t *send) {
  uint32_t n = p->ntasks, ns = s->nlocal + s->nproxy + s->nsend;
  size_t nin = 0, nusers = 0;
  for (uint32_t t = 0; t < n; t++)
    if (owner[t] == rank || s->proxy[t] != NO) {
      nin += p->tasks[t].nin + (send[t] != NO);
      nusers += p->tasks[t].nusers + (send[t] != NO);
    }
  s->tasks = xalloc(ns, sizeof *s->tasks);
  s->in_idx = xalloc(nin, sizeof *s->in_idx);
  s->users = xalloc(nusers, sizeof *s->users);
  s->orig = xalloc(ns, sizeof *s->orig);
  uint32_t ni = 0, nu = 0, recv_kind = p->nkinds, send_kind = p->nkinds + 1;
  for (uint32_t t = 0; t < n; t++) {
    const TrTask *tk = &p->tasks[t];
    uint32_t id;
    if (owner[t] == rank) {
      id = local[t];
      s->tasks[id] = *tk;
      s->tasks[id].in_off = ni;
      for (uint32_t j = 0; j < tk->nin; j++) {
        uint32_t q = p->in_idx[tk->in_off + j];
        s->in_idx[ni++] = owner[q] == rank ? local[q] : s->proxy[q];
      }
    } else if (s->proxy[t] != NO) {
      id = s->proxy[t]; /* a gated task: ndeps 1, no producer */
      s->tasks[id] = (TrTask){.kind = recv_kind, .ndeps = 1, .priority = tk->priority,
                              .key = tk->key};
    } else {
      continue;
    }
    s->orig[id] = t;
    s->tasks[id].users_off = nu;
    s->tasks[id].nusers = put_users(p, owner, rank, local, t, send[t], s->users + nu);
    nu += s->tasks[id].nusers;
    if (send[t] != NO) { /* first of all the tasks it made ready */
      s->tasks[send[t]] = (TrTask){.kind = send_kind, .nin = 1, .in_off = ni, .ndeps = 1,
                                   .priority = INT32_MIN, .key = tk->key};
      s->in_idx[ni++] = id;
      s->orig[send[t]] = t;
    }
  }
}

static void send_dests(const TrProgram *p, const int32_t *owner, int rank, TrShare *s,
                       const uint32_t *send, int nranks) {
  s->dst_off = xalloc(s->nsend + 1, sizeof *s->dst_off);
  s->dst = xalloc((size_t)s->nsend * (size_t)(nranks > 1 ? nranks - 1 : 1), sizeof *s->dst);
  bool *seen = xalloc((size_t)nranks, sizeof *seen);
  uint32_t m = 0, base = s->nlocal + s->nproxy;
  for (uint32_t t = 0; t < p->ntasks; t++) {
    if (send[t] == NO)
      continue;
    s->dst_off[send[t] - base] = m;
    const TrTask *tk = &p->tasks[t];
    memset(seen, 0, (size_t)nranks * sizeof *seen);
    for (uint32_t k = 0; k < tk->nusers; k++) {
      int32_t r = owner[p->users[tk->users_off + k]];
      if (r != rank && !seen[r]) {
        seen[r] = true;
        s->dst[m++] = r;
      }
    }
  }
  s->dst_off[s->nsend] = m;
  free(seen);
}

void tr_share_build(const TrProgram *p, const int32_t *owner, int nranks, int rank,
                    TrKindFn recv, TrKindFn send_fn, TrShare *s) {
  memset(s, 0, sizeof *s);
  uint32_t n = p->ntasks;
  s->proxy = xalloc(n, sizeof *s->proxy);
  uint32_t *local = xalloc(n, sizeof *local), *send = xalloc(n, sizeof *send);
  number_tasks(p, owner, rank, s, local, send);
  build_tables(p, owner, rank, s, local, send);
  send_dests(p, owner, rank, s, send, nranks);
  s->kinds = xalloc(p->nkinds + 2, sizeof *s->kinds);
  s->kind_names = xalloc(p->nkinds + 2, sizeof *s->kind_names);
  memcpy(s->kinds, p->kinds, p->nkinds * sizeof *s->kinds);
  memcpy(s->kind_names, p->kind_names, p->nkinds * sizeof *s->kind_names);
  s->kinds[p->nkinds] = recv;
  s->kinds[p->nkinds + 1] = send_fn;
  s->kind_names[p->nkinds] = "recv";
  s->kind_names[p->nkinds + 1] = "send";
  uint32_t nout = 0;
  s->outputs = xalloc(p->noutputs, sizeof *s->outputs);
  for (uint32_t i = 0; i < p->noutputs; i++)
    if (owner[p->outputs[i].task] == rank) {
      s->outputs[nout] = p->outputs[i];
      s->outputs[nout++].task = local[p->outputs[i].task];
    }
  s->sub = (TrProgram){.name = p->name, .ntasks = s->nlocal + s->nproxy + s->nsend,
                       .nkinds = p->nkinds + 2, .noutputs = nout, .tasks = s->tasks,
                       .in_idx = s->in_idx, .users = s->users, .consts = p->consts,
                       .kinds = s->kinds, .kind_names = s->kind_names, .outputs = s->outputs};
  free(local);
  free(send);
}

void tr_share_free(TrShare *s) {
  free(s->orig);
  free(s->proxy);
  free(s->dst_off);
  free(s->dst);
  free(s->tasks);
  free(s->in_idx);
  free(s->users);
  free(s->kinds);
  free(s->kind_names);
  free(s->outputs);
}
