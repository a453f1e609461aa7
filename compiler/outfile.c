/* outfile.c - whole-or-nothing output files; see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files to remove at exit. A process-wide list because exit()
 * is process-wide: diag_error ends the process from anywhere, and its
 * temporary files must go with it. A handful at most are live at once. */
enum { MAX_TEMPS = 16 };
static char *temps[MAX_TEMPS];

static void remove_temps(void) {
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temps[i]) {
      unlink(temps[i]);
      free(temps[i]);
      temps[i] = NULL;
    }
}

static void track(const char *path) {
  static bool registered;
  if (!registered) {
    atexit(remove_temps);
    registered = true;
  }
  for (int i = 0; i < MAX_TEMPS; i++)
    if (!temps[i]) {
      temps[i] = strdup(path);
      return;
    }
}

static void untrack(const char *path) {
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temps[i] && !strcmp(temps[i], path)) {
      free(temps[i]);
      temps[i] = NULL;
    }
}

void outfile_remove(const char *tmp) {
  unlink(tmp);
  untrack(tmp);
}

static const char *tmpdir(void) {
  const char *d = getenv("TMPDIR");
  return d && *d ? d : "/tmp";
}

/* A temporary file can be renamed over FINAL only if FINAL is a regular
 * file or does not exist yet (renaming over /dev/full would replace the
 * device). */
static bool renamable(const char *final) {
  struct stat st;
  if (!strcmp(final, "-"))
    return false;
  return stat(final, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

static char *make_temp(char *path, int suffix_len) {
  int fd = mkstemps(path, suffix_len);
  if (fd < 0)
    return NULL;
  /* mkstemp makes it 0600; the renamed file gets the usual mode. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  track(path);
  return path;
}

char *outfile_scratch(Arena *a, const char *suffix) {
  char *path = arena_printf(a, "%s/taskc-XXXXXX%s", tmpdir(), suffix);
  return make_temp(path, (int)strlen(suffix));
}

char *outfile_temp(Arena *a, const char *final) {
  if (!renamable(final))
    return outfile_scratch(a, "");
  const char *slash = strrchr(final, '/');
  const char *base = slash ? slash + 1 : final;
  int dirlen = slash ? (int)(slash - final) : 0;
  char *path = slash ? arena_printf(a, "%.*s/.%s.tmp-XXXXXX", dirlen, final, base)
                     : arena_printf(a, ".%s.tmp-XXXXXX", base);
  return make_temp(path, 0);
}

bool outfile_close(FILE *f) {
  errno = 0;
  bool ok = !ferror(f);
  int err = errno;
  if (fflush(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (f != stdout && fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  errno = ok ? 0 : err ? err : EIO;
  return ok;
}

/* Copies the file at SRC into OUT; false with errno on a failed read or
 * write. */
static bool copy_into(const char *src, FILE *out) {
  FILE *in = fopen(src, "rb");
  if (!in)
    return false;
  char buf[65536];
  size_t n;
  bool ok = true;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
    ok = fwrite(buf, 1, n, out) == n;
  int err = errno;
  if (ferror(in))
    ok = false;
  fclose(in);
  errno = err;
  return ok;
}

static bool copy_to(const char *tmp, const char *final) {
  bool to_stdout = !strcmp(final, "-");
  FILE *out = to_stdout ? stdout : fopen(final, "wb");
  if (!out)
    return false;
  bool ok = copy_into(tmp, out);
  int err = errno;
  bool closed = outfile_close(out);
  if (ok && !closed)
    err = errno;
  errno = err;
  return ok && closed;
}

bool outfile_commit(const char *tmp, const char *final) {
  bool ok = renamable(final) ? rename(tmp, final) == 0 : copy_to(tmp, final);
  int err = errno;
  outfile_remove(tmp);
  errno = err;
  return ok;
}
