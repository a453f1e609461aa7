/* coll_files.c - a path argument's files (coll_files.h), moved out of
 * dataframe/df_csv.c so that db.read_text finds files as dd.read_csv
 * does. */
#include "coll_files.h"

#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The program's directory joined to a relative path. */
static const char *relative_to_program(Eval *e, const char *path, Loc loc) {
  if (path[0] == '/' || !loc.file || !loc.file->name)
    return path;
  const char *slash = strrchr(loc.file->name, '/');
  if (!slash)
    return path;
  return arena_printf(eval_arena(e), "%.*s/%s", (int)(slash - loc.file->name), loc.file->name,
                      path);
}

static void add_file(Eval *e, CollFiles *l, const char *path, Loc loc) {
  char *real = realpath(path, NULL);
  struct stat st;
  if (!real || stat(real, &st) != 0)
    diag_error(loc, "cannot open '%s': %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    free(real);
    diag_error(loc, "'%s' is not a regular file", path);
  }
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 8;
    l->f = arena_realloc(eval_arena(e), l->f, sizeof *l->f * (size_t)l->cap,
                         sizeof *l->f * (size_t)cap);
    l->cap = cap;
  }
  l->f[l->n++] = (CollFile){arena_printf(eval_arena(e), "%s", real), (int64_t)st.st_size,
                            (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
  free(real);
}

static int cmp_str(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* One path or glob pattern (fsspec expands those with * ? [, sorted). */
static void add_path(Eval *e, CollFiles *l, const char *path, Loc loc) {
  const char *p = relative_to_program(e, path, loc);
  if (!strpbrk(path, "*?[")) {
    add_file(e, l, p, loc);
    return;
  }
  glob_t g;
  int rc = glob(p, GLOB_NOSORT, NULL, &g);
  if (rc != 0 || g.gl_pathc == 0) {
    if (rc == 0)
      globfree(&g);
    diag_error(loc, "'%s' resolved to no files", path);
  }
  qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, cmp_str);
  for (size_t i = 0; i < g.gl_pathc; i++)
    add_file(e, l, g.gl_pathv[i], loc);
  globfree(&g);
}

CollFiles coll_files(Eval *e, Value *v, const char *fn, Loc loc) {
  CollFiles l = {0};
  if (v->kind == V_STR) {
    add_path(e, &l, v->str.s, loc);
  } else if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; i < v->seq.n; i++) {
      if (v->seq.items[i]->kind != V_STR)
        diag_error(loc, "%s() paths must be str, got %s", fn, v_type_name(v->seq.items[i]));
      add_path(e, &l, v->seq.items[i]->str.s, loc);
    }
  } else {
    diag_error(loc, "%s() needs a path, a glob or a list of paths, got %s", fn,
               v_type_name(v));
  }
  if (!l.n)
    diag_error(loc, "%s() was given no files", fn);
  return l;
}

/* dask.utils.parse_bytes: "128MiB", "1e6", "2 GB", "kB". -1 if not one. */
int64_t coll_parse_bytes(const char *text) {
  static const struct { const char *unit; double mult; } units[] = {
      {"", 1}, {"b", 1}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
      {"pb", 1e15}, {"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12},
      {"p", 1e15}, {"kib", 1024.0}, {"mib", 1048576.0},
      {"gib", 1073741824.0}, {"tib", 1099511627776.0},
      {"pib", 1125899906842624.0}, {"ki", 1024.0}, {"mi", 1048576.0},
      {"gi", 1073741824.0}, {"ti", 1099511627776.0},
      {"pi", 1125899906842624.0}};
  char s[64];
  size_t n = 0;
  for (const char *p = text; *p && n + 1 < sizeof s; p++)
    if (*p != ' ')
      s[n++] = *p;
  s[n] = '\0';
  size_t i = n;
  while (i > 0 && ((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z'))
    i--;
  char *end;
  double num = i == 0 ? 1 : strtod(s, &end);
  if (i > 0 && end != s + i)
    return -1;
  for (size_t u = 0; u < sizeof units / sizeof *units; u++)
    if (!strcasecmp(s + i, units[u].unit))
      return (int64_t)(num * units[u].mult);
  return -1;
}

static int digits(int n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    d++;
  }
  return d;
}

const char **coll_write_names(Eval *e, Value *path, Loc loc, const char *fn, int n) {
  Arena *a = eval_arena(e);
  if (path->kind != V_STR || !path->str.len)
    diag_error(loc, "%s() needs a path (str), got %s", fn, v_repr(a, path));
  const char *p = path->str.s;
  const char *star = strchr(p, '*');
  if (star && strchr(star + 1, '*'))
    diag_error(loc, "When writing data, only one filename mask can be specified.");
  if (!star)
    p = arena_printf(a, "%s/*.part", p);
  star = strchr(p, '*');
  int pad = digits(n - 1);
  const char **names = ARENA_ARRAY(a, const char *, n + 1);
  for (int i = 0; i < n; i++)
    names[i] = arena_printf(a, "%.*s%0*d%s", (int)(star - p), p, pad, i, star + 1);
  return names;
}
