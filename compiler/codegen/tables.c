/* tables.c - the constant tables that describe every task (the TrProgram of
 * runtime/taskrt.h) and main().
 *
 * A program may have millions of tasks, so the big tables (tasks, in_idx,
 * users, consts, keys, string constants) are laid out here in C with the
 * runtime's own struct definitions and handed to LLVM as byte arrays: one
 * LLVM constant per table, not one per row, which keeps compile time and
 * memory small and linear. Byte arrays cannot hold relocations, so the two
 * kinds of pointer inside rows (TrTask.key, the TrStr* of string constants)
 * are stored as offsets into their pool and turned into pointers by two
 * small loops at the start of main(), before tr_main. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/taskrt.h"
#include "cg.h"
#include "diag.h"

_Static_assert(sizeof(TrValue) == 16, "TrValue is {i64, i64}");
_Static_assert(sizeof(TrProgram) == 80, "TrProgram layout");
_Static_assert(sizeof(TrOutput) == 16, "TrOutput layout");

/* A growable byte array. The big tables are the one place where codegen
 * uses malloc instead of the arena: they are copied into LLVM constants and
 * freed right away, which saves their size twice over (arena growth leaves
 * the old copies behind) for a million-task program. */
typedef struct Buf {
  char *p;
  size_t n, cap;
} Buf;

static void *buf_grow(Buf *b, size_t len) {
  if (b->n + len > b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 4096;
    while (cap < b->n + len)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
      diag_fatal("out of memory for the task tables (%zu bytes)", cap);
    memset(p + b->cap, 0, cap - b->cap);
    b->p = p;
    b->cap = cap;
  }
  void *at = b->p + b->n;
  b->n += len;
  return at;
}

static void buf_free(Buf *b) {
  free(b->p);
  *b = (Buf){0};
}

static void buf_add(Buf *b, const void *data, size_t len) {
  memcpy(buf_grow(b, len), data, len);
}

static void buf_u32(Buf *b, size_t v) {
  if (v > UINT32_MAX)
    diag_fatal("program too large for the task tables (%zu)", v);
  uint32_t x = (uint32_t)v;
  buf_add(b, &x, 4);
}

/* String constants: immortal TrStr objects, each once, in one pool. */
typedef struct StrPool {
  Arena *a;
  Buf data;
  const char **key;
  int *keylen;
  size_t *off;
  int cap, n;
} StrPool;

static uint64_t str_hash(const char *s, int len) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static void pool_rehash(StrPool *sp) {
  int cap = sp->cap ? 2 * sp->cap : 256;
  const char **key = ARENA_ARRAY(sp->a, const char *, cap);
  int *keylen = ARENA_ARRAY(sp->a, int, cap);
  size_t *off = ARENA_ARRAY(sp->a, size_t, cap);
  for (int i = 0; i < sp->cap; i++) {
    if (!sp->key[i])
      continue;
    int j = (int)(str_hash(sp->key[i], sp->keylen[i]) & (uint64_t)(cap - 1));
    while (key[j])
      j = (j + 1) & (cap - 1);
    key[j] = sp->key[i], keylen[j] = sp->keylen[i], off[j] = sp->off[i];
  }
  sp->key = key, sp->keylen = keylen, sp->off = off, sp->cap = cap;
}

/* Offset of the TrStr holding s in the pool. */
static size_t pool_str(StrPool *sp, const char *s, int len) {
  if (2 * (sp->n + 1) > sp->cap)
    pool_rehash(sp);
  int j = (int)(str_hash(s, len) & (uint64_t)(sp->cap - 1));
  for (; sp->key[j]; j = (j + 1) & (sp->cap - 1))
    if (sp->keylen[j] == len && !memcmp(sp->key[j], s, (size_t)len))
      return sp->off[j];
  size_t size = (sizeof(TrStr) + (size_t)len + 1 + 7) & ~(size_t)7;
  size_t off = sp->data.n;
  TrStr *str = buf_grow(&sp->data, size); /* zeroed by buf_grow */
  str->h.refcount = -1;
  str->len = len;
  memcpy(str->data, s, (size_t)len);
  sp->key[j] = s, sp->keylen[j] = len, sp->off[j] = off;
  sp->n++;
  return off;
}

/* Everything laid out in C before it becomes LLVM constants. */
typedef struct Tables {
  Buf tasks, in_idx, users, consts, keys, str_idx;
  Buf big_idx; /* consts that are big ints: their decimal text in strs */
  StrPool strs;
  size_t nconsts, nin;
} Tables;

static void add_leaf(void *ctx, Task *ref, const Val *v) {
  Tables *tb = ctx;
  if (ref) {
    buf_u32(&tb->in_idx, (size_t)ref->id);
    tb->nin++;
    return;
  }
  TrValue c = {0};
  switch (v->kind) {
  case VAL_NONE: c.tag = TR_NONE; break;
  case VAL_BOOL: c.tag = TR_BOOL; c.u.i = v->b; break;
  case VAL_INT: c.tag = TR_INT; c.u.i = v->i; break;
  case VAL_FLOAT: c.tag = TR_FLOAT; c.u.f = v->f; break;
  case VAL_BIG: /* made from its text when the executable starts */
    c.tag = TR_INT;
    c.u.i = (int64_t)pool_str(&tb->strs, v->str.s, v->str.len);
    buf_u32(&tb->big_idx, tb->nconsts);
    break;
  default:
    c.tag = TR_STR;
    c.u.i = (int64_t)pool_str(&tb->strs, v->str.s, v->str.len);
    buf_u32(&tb->str_idx, tb->nconsts);
  }
  buf_add(&tb->consts, &c, sizeof c);
  tb->nconsts++;
}

static void add_task(Tables *tb, Task *t, int nout) {
  TrTask *row = buf_grow(&tb->tasks, sizeof *row);
  row->kind = (uint32_t)(intptr_t)t->aux;
  size_t in0 = tb->nin, k0 = tb->nconsts;
  cg_task_leaves(t, add_leaf, tb);
  row->nin = (uint32_t)(tb->nin - in0);
  row->in_off = (uint32_t)in0;
  row->k_off = (uint32_t)k0;
  row->ndeps = (uint32_t)t->ndeps;
  row->nusers = (uint32_t)t->nusers;
  row->users_off = (uint32_t)(tb->users.n / 4);
  for (int i = 0; i < t->nusers; i++)
    buf_u32(&tb->users, (size_t)t->users[i]->id);
  row->priority = t->priority;
  row->nout = (uint32_t)nout;
  const char *key = t->name ? t->name : "?";
  row->key = (const char *)(uintptr_t)tb->keys.n; /* offset; main fixes it */
  buf_add(&tb->keys, key, strlen(key) + 1);
}

static void fill_tables(Cg *cg, Tables *tb) {
  Graph *g = cg->g;
  tb->strs.a = cg->a;
  int *nout = ARENA_ARRAY(cg->a, int, g->ntasks + 1);
  for (int i = 0; i < g->noutputs; i++)
    nout[g->outputs[i].task->id]++;
  for (int i = 0; i < g->ntasks; i++) {
    if (g->tasks[i]->id != i)
      diag_fatal("internal error: task %d has id %d", i, g->tasks[i]->id);
    add_task(tb, g->tasks[i], nout[i]);
  }
  if (tb->in_idx.n / 4 > UINT32_MAX || tb->nconsts > UINT32_MAX)
    diag_fatal("program too large for the task tables");
}

/* ---------------- LLVM globals ---------------- */

/* A global byte array holding b (NULL pointer constant if b is empty). */
static LLVMValueRef blob(Cg *cg, const char *name, const Buf *b,
                         bool writable) {
  if (!b->n)
    return LLVMConstNull(cg->t_ptr);
  LLVMValueRef init = LLVMConstStringInContext2(cg->ctx, b->p, b->n, 1);
  LLVMValueRef gv = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(gv, init);
  LLVMSetLinkage(gv, LLVMPrivateLinkage);
  LLVMSetGlobalConstant(gv, !writable);
  LLVMSetAlignment(gv, 16);
  return gv;
}

static LLVMValueRef cstr_global(Cg *cg, const char *s, const char *name) {
  LLVMValueRef init = LLVMConstStringInContext2(cg->ctx, s, strlen(s), 0);
  LLVMValueRef gv = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(gv, init);
  LLVMSetLinkage(gv, LLVMPrivateLinkage);
  LLVMSetGlobalConstant(gv, 1);
  LLVMSetUnnamedAddress(gv, LLVMGlobalUnnamedAddr);
  return gv;
}

static LLVMValueRef ptr_array(Cg *cg, const char *name, LLVMValueRef *items,
                              int n) {
  if (!n)
    return LLVMConstNull(cg->t_ptr);
  LLVMValueRef init = LLVMConstArray2(cg->t_ptr, items, (uint64_t)n);
  LLVMValueRef gv = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(gv, init);
  LLVMSetLinkage(gv, LLVMPrivateLinkage);
  LLVMSetGlobalConstant(gv, 1);
  return gv;
}

static LLVMValueRef kind_table(Cg *cg, Kind **kinds, int n, bool names) {
  LLVMValueRef *v = ARENA_ARRAY(cg->a, LLVMValueRef, n + 1);
  for (int i = 0; i < n; i++)
    v[i] = names ? cstr_global(cg, kinds[i]->name, "tr.kind_name")
                 : kinds[i]->fn;
  return ptr_array(cg, names ? "tr.kind_names" : "tr.kinds", v, n);
}

/* TrOutput rows; the names live in one pool, pointed into by GEPs. */
/* TrProgram.defaults (taskrt.h). */
static uint64_t program_defaults(const Graph *g) {
  uint64_t t = g->run_threads > 0 && g->run_threads < 0x10000 ? (uint64_t)g->run_threads : 0;
  return t | (g->run_progress ? 1u << 16 : 0);
}

static LLVMValueRef output_table(Cg *cg) {
  Graph *g = cg->g;
  if (!g->noutputs)
    return LLVMConstNull(cg->t_ptr);
  Buf names = {0};
  size_t *off = ARENA_ARRAY(cg->a, size_t, g->noutputs);
  for (int i = 0; i < g->noutputs; i++) {
    off[i] = names.n;
    buf_add(&names, g->outputs[i].name, strlen(g->outputs[i].name) + 1);
  }
  LLVMValueRef pool = blob(cg, "tr.output_names", &names, false);
  buf_free(&names);
  LLVMTypeRef fields[] = {cg->t_ptr, cg->t_i32, cg->t_i32};
  LLVMTypeRef row_t = LLVMStructTypeInContext(cg->ctx, fields, 3, 0);
  LLVMValueRef *rows = ARENA_ARRAY(cg->a, LLVMValueRef, g->noutputs);
  for (int i = 0; i < g->noutputs; i++) {
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, off[i], 0);
    LLVMValueRef v[] = {LLVMConstInBoundsGEP2(cg->t_i8, pool, &idx, 1),
                        LLVMConstInt(cg->t_i32, (uint64_t)g->outputs[i].task->id, 0),
                        LLVMConstInt(cg->t_i32, 0, 0)};
    rows[i] = LLVMConstNamedStruct(row_t, v, 3);
  }
  LLVMValueRef init = LLVMConstArray2(row_t, rows, (uint64_t)g->noutputs);
  LLVMValueRef gv = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), "tr.outputs");
  LLVMSetInitializer(gv, init);
  LLVMSetLinkage(gv, LLVMPrivateLinkage);
  LLVMSetGlobalConstant(gv, 1);
  return gv;
}

/* Pointers to the blobs that main() must patch. */
typedef struct Globals {
  LLVMValueRef tasks, keys, consts, strs, str_idx, big_idx;
} Globals;

static void program_global(Cg *cg, Tables *tb, Kind **kinds, int nkinds,
                           const char *prog_name, Globals *gl) {
  gl->tasks = blob(cg, "tr.tasks", &tb->tasks, true);
  gl->keys = blob(cg, "tr.keys", &tb->keys, false);
  gl->consts = blob(cg, "tr.consts", &tb->consts, tb->str_idx.n + tb->big_idx.n > 0);
  gl->strs = blob(cg, "tr.strs", &tb->strs.data, false);
  gl->str_idx = blob(cg, "tr.str_idx", &tb->str_idx, false);
  gl->big_idx = blob(cg, "tr.big_idx", &tb->big_idx, false);
  LLVMTypeRef i32 = cg->t_i32;
  LLVMValueRef f[] = {
      cstr_global(cg, prog_name, "tr.name"),
      LLVMConstInt(i32, (uint64_t)cg->g->ntasks, 0),
      LLVMConstInt(i32, (uint64_t)nkinds, 0),
      LLVMConstInt(i32, (uint64_t)cg->g->noutputs, 0),
      LLVMConstInt(i32, program_defaults(cg->g), 0),
      gl->tasks,
      blob(cg, "tr.in_idx", &tb->in_idx, false),
      blob(cg, "tr.users", &tb->users, false),
      gl->consts,
      kind_table(cg, kinds, nkinds, false),
      kind_table(cg, kinds, nkinds, true),
      output_table(cg),
  };
  LLVMValueRef init = LLVMConstStructInContext(cg->ctx, f, 12, 0);
  LLVMValueRef gv = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), "tr_program");
  LLVMSetInitializer(gv, init);
  LLVMSetGlobalConstant(gv, 1);
}

/* ---------------- main ---------------- */

/* for i < count: *(i64 *)(base + idx(i) * stride + field) += (i64)pool,
 * where idx(i) = list ? list[i] : i. */
static void emit_fixup(Cg *cg, LLVMValueRef fn, LLVMValueRef base,
                       size_t count, size_t stride, size_t field,
                       LLVMValueRef pool, LLVMValueRef list) {
  if (!count)
    return;
  LLVMBuilderRef b = cg->b;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(b);
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(cg->ctx, fn, "fix");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, fn, "fixed");
  LLVMBuildBr(b, body);
  LLVMPositionBuilderAtEnd(b, body);
  LLVMValueRef i = LLVMBuildPhi(b, cg->t_i64, "i");
  LLVMValueRef idx = i;
  if (list) {
    LLVMValueRef p = LLVMBuildInBoundsGEP2(b, cg->t_i32, list, &i, 1, "");
    idx = LLVMBuildZExt(b, LLVMBuildLoad2(b, cg->t_i32, p, ""), cg->t_i64, "");
  }
  LLVMValueRef off = LLVMBuildAdd(
      b, LLVMBuildMul(b, idx, LLVMConstInt(cg->t_i64, stride, 0), ""),
      LLVMConstInt(cg->t_i64, field, 0), "");
  LLVMValueRef at = LLVMBuildInBoundsGEP2(b, cg->t_i8, base, &off, 1, "");
  LLVMValueRef v = LLVMBuildLoad2(b, cg->t_i64, at, "");
  LLVMValueRef p = LLVMBuildPtrToInt(b, pool, cg->t_i64, "");
  LLVMBuildStore(b, LLVMBuildAdd(b, v, p, ""), at);
  LLVMValueRef next = LLVMBuildAdd(b, i, LLVMConstInt(cg->t_i64, 1, 0), "");
  LLVMValueRef zero = LLVMConstInt(cg->t_i64, 0, 0);
  LLVMAddIncoming(i, &zero, &pre, 1);
  LLVMAddIncoming(i, &next, &body, 1);
  LLVMValueRef more = LLVMBuildICmp(b, LLVMIntULT, next,
                                    LLVMConstInt(cg->t_i64, count, 0), "");
  LLVMBuildCondBr(b, more, body, done);
  LLVMPositionBuilderAtEnd(b, done);
}

static void emit_main(Cg *cg, Tables *tb, Globals *gl, LLVMValueRef prog) {
  LLVMTypeRef params[] = {cg->t_i32, cg->t_ptr, cg->t_ptr};
  LLVMTypeRef main_t = LLVMFunctionType(cg->t_i32, params, 2, 0);
  LLVMTypeRef trmain_t = LLVMFunctionType(cg->t_i32, params, 3, 0);
  LLVMValueRef fn = LLVMAddFunction(cg->mod, "main", main_t);
  LLVMValueRef trmain = LLVMAddFunction(cg->mod, "tr_main", trmain_t);
  LLVMPositionBuilderAtEnd(cg->b,
                           LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  emit_fixup(cg, fn, gl->tasks, (size_t)cg->g->ntasks, sizeof(TrTask),
             offsetof(TrTask, key), gl->keys, NULL);
  emit_fixup(cg, fn, gl->consts, tb->str_idx.n / 4, sizeof(TrValue),
             offsetof(TrValue, u), gl->strs, gl->str_idx);
  if (tb->big_idx.n) { /* this call alone brings GMP into the executable */
    LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr, cg->t_i64, cg->t_ptr};
    LLVMValueRef a[] = {gl->consts, gl->big_idx, LLVMConstInt(cg->t_i64, tb->big_idx.n / 4, 0),
                        gl->strs};
    cg_call(cg, "tr_consts_bigs", LLVMFunctionType(LLVMVoidTypeInContext(cg->ctx), pt, 4, 0),
            a, 4);
  }
  LLVMValueRef args[] = {LLVMGetParam(fn, 0), LLVMGetParam(fn, 1), prog};
  LLVMBuildRet(cg->b, LLVMBuildCall2(cg->b, trmain_t, trmain, args, 3, ""));
}

void cg_tables(Cg *cg, Kind **kinds, int nkinds, const char *prog_name) {
  Tables tb = {0};
  fill_tables(cg, &tb);
  Globals gl;
  program_global(cg, &tb, kinds, nkinds, prog_name, &gl);
  emit_main(cg, &tb, &gl, LLVMGetNamedGlobal(cg->mod, "tr_program"));
  Buf *all[] = {&tb.tasks, &tb.in_idx, &tb.users, &tb.consts, &tb.keys,
                &tb.str_idx, &tb.big_idx, &tb.strs.data};
  for (int i = 0; i < (int)(sizeof all / sizeof *all); i++)
    buf_free(all[i]);
}
