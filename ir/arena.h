/* arena.h - one bump allocator per compilation.
 *
 * Everything the compiler builds (tokens, AST, compile-time values, the graph
 * IR, types) lives in the arena of its compilation and is freed in one go.
 * Passes never free individual nodes. */
#ifndef TASKC_ARENA_H
#define TASKC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
size_t arena_used(const Arena *a);

/* Zeroed memory, aligned for any type. Never returns NULL (aborts on OOM). */
void *arena_alloc(Arena *a, size_t size);
/* Zeroed memory like arena_alloc, but from blocks of their own and packed
 * to 8 bytes where the size allows: for the graph's tasks and values, made
 * by the million amid the evaluator's short-lived values, so that the
 * passes, which walk them in random order, find them close together. */
void *arena_alloc_dense(Arena *a, size_t size);
/* Memory from arena_alloc that nothing uses any more, handed back for
 * arena_alloc_reuse to give out again: a compile-time loop that makes and
 * drops millions of small values (the evaluator's numbers and lists) then
 * does not fill the arena with them. `size` is the size it was allocated
 * with; blocks larger than ARENA_REUSE_MAX are simply dropped. */
enum { ARENA_REUSE_MAX = 512 };
void arena_recycle(Arena *a, void *p, size_t size);
/* Like arena_alloc (zeroed, aligned), from recycled memory when there is
 * some of this size. */
void *arena_alloc_reuse(Arena *a, size_t size);
/* Grow an array allocated in the arena: copies old contents. */
void *arena_realloc(Arena *a, void *old, size_t oldsize, size_t newsize);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);

#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

/* A growable array of pointers in an arena: the common "vector" of the IR. */
typedef struct PtrVec {
  void **items;
  int len, cap;
} PtrVec;

void ptrvec_push(Arena *a, PtrVec *v, void *item);

#endif
