/* file_write.c - writing a whole output file as Dask's writers do
 * (to_csv, to_textfiles): the folders made first, the file written in one
 * go, an error naming it, and its absolute, normalised path returned. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt.h"

/* mkdir -p of PATH's folder, as fsspec makes it before writing. */
static void make_parent(const char *path) {
  char *d = strdup(path);
  if (!d)
    tr_fail("out of memory");
  char *slash = strrchr(d, '/');
  for (char *s = d + 1; slash && s <= slash; s++)
    if (*s == '/') {
      *s = 0;
      if (mkdir(d, 0777) != 0 && errno != EEXIST) {
        int err = errno;
        free(d);
        tr_fail("cannot create the folder of '%s': %s", path, strerror(err));
      }
      *s = '/';
    }
  free(d);
}

/* os.path.normpath(os.path.abspath(path)): what Dask's to_csv returns. */
static TrStr *abs_norm(const char *path) {
  Buf full = {0};
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
      tr_fail("cannot read the current directory: %s", strerror(errno));
    buf_printf(&full, "%s/", cwd);
  }
  buf_puts(&full, path);
  char *s = buf_cstr(&full);
  /* parts: drop "" and ".", ".." pops */
  char **parts = calloc(strlen(s) + 1, sizeof *parts);
  int n = 0;
  for (char *tok = strtok(s, "/"); tok; tok = strtok(NULL, "/")) {
    if (!strcmp(tok, "."))
      continue;
    if (!strcmp(tok, "..")) {
      n -= n > 0;
      continue;
    }
    parts[n++] = tok;
  }
  Buf out = {0};
  for (int i = 0; i < n; i++)
    buf_printf(&out, "/%s", parts[i]);
  if (!n)
    buf_putc(&out, '/');
  TrStr *r = tr_str_new(out.p, (int64_t)out.len);
  free(out.p);
  free(parts);
  free(s);
  return r;
}

TrStr *tr_write_whole(const char *path, const char *data, size_t len) {
  make_parent(path);
  FILE *fp = fopen(path, "wb");
  bool ok = fp && fwrite(data, 1, len, fp) == len;
  int err = errno;
  if (fp && fclose(fp) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok)
    tr_fail("[Errno %d] %s: '%s'", err, strerror(err), path);
  return abs_norm(path);
}
