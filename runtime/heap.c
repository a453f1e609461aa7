/* heap.c - the ready queue of one worker: a binary min-heap of packed
 * (priority, task) keys. Growth doubles, so pushes are amortised O(log n)
 * with no allocation once the heap has reached its working size. */
#include <stdlib.h>

#include "scheduler.h"

void heap_push(Heap *h, uint64_t key) {
  if (h->n == h->cap) {
    uint32_t cap = h->cap ? h->cap * 2 : 256;
    uint64_t *a = realloc(h->a, cap * sizeof *a);
    if (!a) {
      fputs("error: out of memory\n", stderr);
      exit(1);
    }
    h->a = a;
    h->cap = cap;
  }
  uint32_t i = h->n++;
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (h->a[parent] <= key)
      break;
    h->a[i] = h->a[parent];
    i = parent;
  }
  h->a[i] = key;
}

uint64_t heap_pop(Heap *h) {
  uint64_t top = h->a[0];
  uint64_t last = h->a[--h->n];
  uint32_t i = 0, n = h->n;
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= n)
      break;
    if (c + 1 < n && h->a[c + 1] < h->a[c])
      c++;
    if (last <= h->a[c])
      break;
    h->a[i] = h->a[c];
    i = c;
  }
  if (n > 0)
    h->a[i] = last;
  return top;
}

void heap_free(Heap *h) {
  free(h->a);
  h->a = NULL;
  h->n = h->cap = 0;
}
