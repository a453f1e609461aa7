/* array_npy.c - da.from_npy('file.npy', chunks=).
 *
 * The .npy header is read at compile time (the path is relative to the .tg
 * file's directory, as @extern sources are), so shape and dtype are known
 * like any array's; each chunk task reads its block at run time with the
 * runtime's tr_npy_read_chunk, which fails the task if the file vanished or
 * changed its dtype or shape since. Both read the header with the one
 * parser of ir/npyhead.c. The chunk tasks are leaves of fused
 * loops like the creation ops (compiler/codegen/kernel_elem.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "npyhead.h"

static Type *dtype_of(NpyDtype dt) {
  return dt == NPYHEAD_F8 ? ty_float : dt == NPYHEAD_I8 ? ty_int : ty_bool;
}

_Static_assert((int)NPYHEAD_MAXDIM == (int)DA_MAXDIM, "one limit on dimensions");

/* path relative to the directory of the .tg file, made absolute so that
 * the executable finds it from any working directory */
const char *da_npy_path(Eval *e, const char *path, Loc loc) {
  const char *p = path;
  if (path[0] != '/' && loc.file && loc.file->name) {
    const char *slash = strrchr(loc.file->name, '/');
    if (slash)
      p = arena_printf(eval_arena(e), "%.*s/%s", (int)(slash - loc.file->name),
                       loc.file->name, path);
  }
  char *real = realpath(p, NULL);
  if (!real)
    diag_error(loc, "cannot open '%s': %s", p, strerror(errno));
  const char *r = arena_printf(eval_arena(e), "%s", real);
  free(real);
  return r;
}

static Value *from_npy(Eval *e, Args *a) {
  static const char *kws[] = {"chunks", NULL};
  eval_args_check_kw(e, a, "from_npy", kws);
  eval_args_count(e, a, "from_npy", 1, 1);
  Value *pv = a->pos[0];
  Loc ploc = a->pos_loc[0];
  if (pv->kind != V_STR)
    diag_error(ploc, "from_npy() needs a file name (a str), got %s",
               v_type_name(pv));
  const char *path = da_npy_path(e, pv->str.s, ploc);
  char err[NPYHEAD_ERR];
  FILE *f = npyhead_open(path, err);
  if (!f)
    diag_error(ploc, "cannot open '%s': %s", path, err);
  NpyHead h;
  bool ok = npyhead_read(f, &h, err);
  fclose(f);
  if (!ok)
    diag_error(ploc, "%s: %s", pv->str.s, err);
  if (h.ndim == 0)
    diag_error(ploc, "%s: 0-d .npy files are not supported", pv->str.s);
  DArray *x = da_alloc(e, "from-npy", dtype_of(h.dtype), h.ndim, h.shape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  da_normalize_chunks(e, eval_arg_kw(a, "chunks", NULL), h.ndim, h.shape,
                      dtype_of(h.dtype), NULL, chunks, nb, a->loc);
  da_set_chunks(e, x, chunks, nb);
  Val *pathv = val_str(eval_arena(e), path, (int)strlen(path));
  Val *fullv = da_ituple(e, h.shape, h.ndim);
  for (int b = 0; b < x->nb; b++) {
    int c[DA_MAXDIM];
    int64_t off[DA_MAXDIM];
    da_block_coords(x, b, c);
    da_block_offset(x, c, off);
    Task *t = da_block_task(e, x, b, OP_array_from_npy, 5, a->loc);
    t->args[2] = pathv;
    t->args[3] = da_ituple(e, off, h.ndim);
    t->args[4] = fullv;
  }
  return da_value(e, x);
}

Value *da_npy_builtin_fn(Eval *e, Args *a) { return from_npy(e, a); }
