/* arena.c - bump allocation in large blocks; see arena.h. */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_SIZE = 1 << 20, ALIGN = 16 };

typedef struct Block {
  struct Block *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
} Block;

struct Arena {
  Block *head;
  size_t total;
};

static void *xcalloc(size_t n) {
  void *p = calloc(1, n);
  if (!p) {
    fprintf(stderr, "taskc: error: out of memory\n");
    exit(1);
  }
  return p;
}

Arena *arena_new(void) { return xcalloc(sizeof(Arena)); }

void arena_free(Arena *a) {
  if (!a)
    return;
  for (Block *b = a->head, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(a);
}

size_t arena_used(const Arena *a) { return a->total; }

void *arena_alloc(Arena *a, size_t size) {
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  Block *b = a->head;
  if (!b || b->size - b->used < size) {
    /* Big requests get a block of their own so small ones keep filling
     * the current block. */
    size_t bsize = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
    Block *nb = xcalloc(sizeof(Block) + bsize);
    nb->size = bsize;
    if (b && bsize != BLOCK_SIZE) {
      nb->next = b->next;
      b->next = nb;
      b = nb;
    } else {
      nb->next = b;
      a->head = b = nb;
    }
  }
  void *p = b->data + b->used;
  b->used += size;
  a->total += size;
  return p;
}

void *arena_realloc(Arena *a, void *old, size_t oldsize, size_t newsize) {
  void *p = arena_alloc(a, newsize);
  if (old && oldsize)
    memcpy(p, old, oldsize < newsize ? oldsize : newsize);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(Arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(Arena *a, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

void vec_push(Arena *a, PtrVec *v, void *item) {
  if (v->len == v->cap) {
    int ncap = v->cap ? v->cap * 2 : 8;
    v->items = arena_realloc(a, v->items, sizeof(void *) * (size_t)v->cap,
                             sizeof(void *) * (size_t)ncap);
    v->cap = ncap;
  }
  v->items[v->len++] = item;
}
