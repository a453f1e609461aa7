/* graph_file.h - read a .graph file written by gen.py (shared by the TBB and
 * OpenMP peers): per task, its value if a leaf, else its deps. */
#ifndef GRAPH_FILE_H
#define GRAPH_FILE_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GMOD = 1000003 };

typedef struct Graph {
  uint32_t n;
  uint32_t *off;  /* deps of i: dep[off[i] .. off[i+1]); leaf if empty */
  uint32_t *dep;
  int64_t *leaf;  /* value of a leaf */
} Graph;

static void *g_alloc(size_t n) {
  void *p = calloc(n ? n : 1, 1);
  if (!p) {
    fputs("out of memory\n", stderr);
    exit(1);
  }
  return p;
}

static Graph graph_read(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(1);
  }
  Graph g = {0, NULL, NULL, NULL};
  char line[256];
  size_t cap = 1024, ndep = 0, dcap = 4096;
  g.off = (uint32_t *)g_alloc(cap * sizeof *g.off);
  g.leaf = (int64_t *)g_alloc(cap * sizeof *g.leaf);
  g.dep = (uint32_t *)g_alloc(dcap * sizeof *g.dep);
  while (fgets(line, sizeof line, f)) {
    if (g.n + 2 > cap) {
      cap *= 2;
      g.off = (uint32_t *)realloc(g.off, cap * sizeof *g.off);
      g.leaf = (int64_t *)realloc(g.leaf, cap * sizeof *g.leaf);
    }
    g.off[g.n] = (uint32_t)ndep;
    char *p = line + 2, *end;
    if (line[0] == 'L') {
      g.leaf[g.n] = strtoll(p, NULL, 10);
    } else {
      for (long d = strtol(p, &end, 10); end != p; d = strtol(p, &end, 10)) {
        if (ndep == dcap) {
          dcap *= 2;
          g.dep = (uint32_t *)realloc(g.dep, dcap * sizeof *g.dep);
        }
        g.dep[ndep++] = (uint32_t)d;
        p = end;
      }
    }
    g.n++;
  }
  g.off[g.n] = (uint32_t)ndep;
  fclose(f);
  return g;
}

/* the task body: every peer computes exactly this */
static inline int64_t graph_task(const Graph *g, const int64_t *v, uint32_t i) {
  if (g->off[i] == g->off[i + 1])
    return g->leaf[i];
  int64_t acc = 1;
  for (uint32_t j = g->off[i]; j < g->off[i + 1]; j++)
    acc += v[g->dep[j]];
  return acc % GMOD;
}

#endif
