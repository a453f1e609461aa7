/* array_npy.c - da.from_npy('file.npy', chunks=).
 *
 * The .npy header is read at compile time (the path is relative to the .tg
 * file's directory, as @extern sources are), so shape and dtype are known
 * like any array's; each chunk task reads its block at run time with the
 * runtime's tr_npy_read_chunk, which fails the task if the file vanished or
 * changed its dtype or shape since. The chunk tasks are leaves of fused
 * loops like the creation ops (compiler/codegen/kernel_elem.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

typedef struct NpyHead {
  Type *dtype;
  int ndim;
  int64_t shape[DA_MAXDIM];
  long data_off;
} NpyHead;

/* The value of 'key': in header h (a Python dict literal), or NULL. */
static const char *field(const char *h, const char *key) {
  const char *p = strstr(h, key);
  if (!p)
    return NULL;
  p = strchr(p + strlen(key), ':');
  if (!p)
    return NULL;
  for (p++; *p == ' '; p++)
    ;
  return p;
}

/* Parses dtype and shape out of header text h; NULL or what is wrong. */
static const char *parse_dict(Eval *e, const char *h, NpyHead *out) {
  const char *d = field(h, "'descr'"), *f = field(h, "'fortran_order'"),
             *s = field(h, "'shape'");
  if (!d || !f || !s || *d != '\'' || *s != '(')
    return "malformed .npy header";
  if (!strncmp(f, "True", 4))
    return "Fortran-ordered .npy files are not supported";
  const char *q = strchr(d + 1, '\'');
  if (!q)
    return "malformed .npy header";
  int n = (int)(q - d - 1);
  if (n == 3 && !strncmp(d + 1, "<f8", 3))
    out->dtype = ty_float;
  else if (n == 3 && !strncmp(d + 1, "<i8", 3))
    out->dtype = ty_int;
  else if (n == 3 && !strncmp(d + 1, "|b1", 3))
    out->dtype = ty_bool;
  else
    return arena_printf(eval_arena(e), "unsupported dtype '%.*s' (float64 "
                        "'<f8', int64 '<i8' and bool '|b1' are supported)",
                        n > 40 ? 40 : n, d + 1);
  out->ndim = 0;
  for (s++;;) {
    while (*s == ' ' || *s == ',')
      s++;
    if (*s == ')')
      break;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || v < 0 || errno)
      return "malformed shape in .npy header";
    if (out->ndim == DA_MAXDIM)
      return "too many dimensions in .npy file";
    out->shape[out->ndim++] = v;
    s = end;
  }
  if (out->ndim == 0)
    return "0-d .npy files are not supported";
  return NULL;
}

static const char *read_head(Eval *e, FILE *f, NpyHead *out) {
  unsigned char pre[12];
  if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0)
    return "not a .npy file (bad magic)";
  if (pre[6] < 1 || pre[6] > 3)
    return "unsupported .npy format version";
  size_t hlen = pre[8] | (size_t)pre[9] << 8, at = 10;
  if (pre[6] >= 2) { /* versions 2 and 3: a 4-byte length */
    if (fread(pre + 10, 1, 2, f) != 2)
      return "truncated .npy header";
    hlen |= (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
    at = 12;
  }
  if (hlen > 1 << 20)
    return "malformed .npy header (too long)";
  char *h = arena_alloc(eval_arena(e), hlen + 1);
  if (fread(h, 1, hlen, f) != hlen)
    return "truncated .npy header";
  h[hlen] = 0;
  out->data_off = (long)(at + hlen);
  return parse_dict(e, h, out);
}

/* The file must hold all the data its header announces. */
static const char *check_size(FILE *f, const NpyHead *h) {
  int64_t n = 1, es = h->dtype == ty_bool ? 1 : 8;
  for (int d = 0; d < h->ndim; d++) {
    if (h->shape[d] && n > INT64_MAX / 16 / h->shape[d])
      return "shape in .npy header too large";
    n *= h->shape[d];
  }
  if (fseek(f, 0, SEEK_END) != 0)
    return "cannot seek in the file";
  long size = ftell(f);
  if (size < 0 || (int64_t)size < h->data_off + n * es)
    return "file is shorter than its .npy header says";
  return NULL;
}

/* path relative to the directory of the .tg file, made absolute so that
 * the executable finds it from any working directory */
static const char *resolve(Eval *e, const char *path, Loc loc) {
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
  const char *path = resolve(e, pv->str.s, ploc);
  FILE *f = fopen(path, "rb");
  if (!f)
    diag_error(ploc, "cannot open '%s': %s", path, strerror(errno));
  NpyHead h;
  const char *err = read_head(e, f, &h);
  if (!err)
    err = check_size(f, &h);
  fclose(f);
  if (err)
    diag_error(ploc, "%s: %s", pv->str.s, err);
  DArray *x = da_alloc(e, "from-npy", h.dtype, h.ndim, h.shape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  da_normalize_chunks(e, eval_arg_kw(a, "chunks", NULL), h.ndim, h.shape, chunks,
                      nb, a->loc);
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
