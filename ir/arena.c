/* arena.c - bump allocation in large blocks; see arena.h. */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Under AddressSanitizer recycled pieces are poisoned and, unless
 * TASKC_ARENA_REUSE=1, never handed out again: a holder that the evaluator
 * does not count then trips ASan on its next read instead of silently
 * seeing a reused Value. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#if !defined(ARENA_ASAN) && defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#endif

/* Blocks are one 2 MB huge page each where the kernel allows it: a
 * million-task graph spreads its tasks over gigabytes, and the passes walk
 * them in random order, so with 4 kB pages nearly every edge they follow
 * is a TLB miss. */
enum { BLOCK_SIZE = 2 << 20, ALIGN = 16 };

typedef struct Block {
  struct Block *next;
  size_t size, used;
  bool mapped; /* from mmap (a whole huge page), else from calloc */
  _Alignas(16) unsigned char data[];
} Block;

/* A recycled piece of memory, linked through its first bytes. */
typedef struct Free {
  struct Free *next;
} Free;

struct Arena {
  Block *head;
  Block *dense; /* arena_alloc_dense's blocks */
  size_t total; /* bytes taken from blocks (reuse takes none) */
  Free *reuse[ARENA_REUSE_MAX / ALIGN + 1]; /* by size in ALIGN units */
#ifdef ARENA_ASAN
  bool quarantine;   /* poisoned pieces are dropped, not reused */
  size_t poisoned;   /* bytes dropped that way */
#endif
};

static void *xcalloc(size_t n) {
  void *p = calloc(1, n);
  if (!p) {
    fprintf(stderr, "taskc: error: out of memory\n");
    exit(1);
  }
  return p;
}

Arena *arena_new(void) {
  Arena *a = xcalloc(sizeof(Arena));
#ifdef ARENA_ASAN
  const char *reuse = getenv("TASKC_ARENA_REUSE");
  a->quarantine = !(reuse && !strcmp(reuse, "1"));
#endif
  return a;
}

/* A zeroed BLOCK_SIZE block aligned to BLOCK_SIZE, or NULL: mmap a bit
 * more, cut off the unaligned ends, and ask for a huge page. */
static Block *map_block(void) {
  size_t len = (size_t)BLOCK_SIZE * 2;
  unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  uintptr_t start = ((uintptr_t)p + BLOCK_SIZE - 1) & ~(uintptr_t)(BLOCK_SIZE - 1);
  unsigned char *q = (unsigned char *)start;
  if (q > p)
    munmap(p, (size_t)(q - p));
  if (p + len > q + BLOCK_SIZE)
    munmap(q + BLOCK_SIZE, (size_t)(p + len - (q + BLOCK_SIZE)));
#ifdef MADV_HUGEPAGE
  madvise(q, BLOCK_SIZE, MADV_HUGEPAGE);
#endif
  Block *b = (Block *)q;
  b->mapped = true;
  b->size = BLOCK_SIZE - sizeof(Block);
  return b;
}

/* A block for small requests (big == false) or one of `size` bytes. */
static Block *new_block(size_t size, bool big) {
  if (!big) {
    Block *b = map_block();
    if (b)
      return b;
  }
  Block *b = xcalloc(sizeof(Block) + size);
  b->size = size;
  return b;
}

static void free_blocks(Block *b) {
  for (Block *next; b; b = next) {
    next = b->next;
    /* the shadow outlives the mapping: a later block at the same address
     * must not start out poisoned */
    ASAN_UNPOISON_MEMORY_REGION(b->data, b->size);
    if (b->mapped)
      munmap(b, BLOCK_SIZE);
    else
      free(b);
  }
}

void arena_free(Arena *a) {
  if (!a)
    return;
  free_blocks(a->head);
  free_blocks(a->dense);
  free(a);
}

size_t arena_used(const Arena *a) { return a->total; }

/* Bump `size` bytes, aligned to `align`, from the chain at *head. */
static void *alloc_from(Arena *a, Block **head, size_t size, size_t align) {
  Block *b = *head;
  size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  if (!b || at > b->size || b->size - at < size) {
    /* Big requests get a block of their own so small ones keep filling
     * the current block. */
    bool big = size > BLOCK_SIZE / 4;
    Block *nb = new_block(big ? size : BLOCK_SIZE, big);
    if (b && big) {
      nb->next = b->next;
      b->next = nb;
      b = nb;
    } else {
      nb->next = b;
      *head = b = nb;
    }
    at = 0;
  }
  void *p = b->data + at;
  b->used = at + size;
  a->total += size;
  return p;
}

void *arena_alloc(Arena *a, size_t size) {
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  return alloc_from(a, &a->head, size, ALIGN);
}

/* Any type's alignment divides its size and is a power of two, so the
 * largest power of two dividing `size` (up to 16) is enough for an object
 * or array of that size: a 24-byte Val takes 24 bytes, not 32. */
void *arena_alloc_dense(Arena *a, size_t size) {
  size = (size + 7) & ~(size_t)7;
  return alloc_from(a, &a->dense, size, size % 16 ? 8 : 16);
}

void arena_recycle(Arena *a, void *p, size_t size) {
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if (!p || !size || size > ARENA_REUSE_MAX)
    return;
#ifdef ARENA_ASAN
  if (a->quarantine) {
    ASAN_POISON_MEMORY_REGION(p, size);
    a->poisoned += size;
    return;
  }
#endif
  Free *f = p;
  f->next = a->reuse[size / ALIGN];
  a->reuse[size / ALIGN] = f;
  /* the link stays readable for arena_alloc_reuse, the rest traps */
  ASAN_POISON_MEMORY_REGION((char *)p + sizeof(Free), size - sizeof(Free));
}

void *arena_alloc_reuse(Arena *a, size_t size) {
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if (size && size <= ARENA_REUSE_MAX) {
    Free *f = a->reuse[size / ALIGN];
    if (f) {
      a->reuse[size / ALIGN] = f->next;
      ASAN_UNPOISON_MEMORY_REGION(f, size);
      if (size == 32) /* a Value: a constant size is a few stores */
        memset(f, 0, 32);
      else
        memset(f, 0, size);
      return f;
    }
  }
  return alloc_from(a, &a->head, size, ALIGN);
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

void ptrvec_push(Arena *a, PtrVec *v, void *item) {
  if (v->len == v->cap) {
    int ncap = v->cap ? v->cap * 2 : 8;
    v->items = arena_realloc(a, v->items, sizeof(void *) * (size_t)v->cap,
                             sizeof(void *) * (size_t)ncap);
    v->cap = ncap;
  }
  v->items[v->len++] = item;
}
