/* save.c - --save DIR: DIR (and its parents) created, one NAME.json per
 * output holding the same JSON value as --format json, or NAME.npy for an
 * array (npy.c). A '/' in an output name (dict-graph keys can hold
 * anything) becomes '_'; two outputs that end up with the same file name
 * are both kept: t.json, t-1.json, t-2.json, ...
 *
 * Every file is written whole or not at all: the bytes go to a temporary
 * file in the same folder (.NAME.EXT.tmp-PID), which is flushed, fsynced and
 * then renamed over NAME.EXT. An old good file is never truncated first; a
 * full disk or a signal leaves it as it was. SIGINT and SIGTERM remove the
 * temporary file before the process dies of them; after SIGKILL only a
 * stray .tmp file can remain, never a truncated NAME.EXT. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "frame.h"

/* The temporary file being written, for the signal handler: a fixed
 * buffer, since a handler may not allocate. Empty when none. */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_live;

static void on_signal(int sig) {
  if (tmp_live)
    unlink(tmp_path);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

static bool make_dirs(const char *dir) {
  char *d = strdup(dir);
  if (!d)
    return false;
  for (char *s = d + 1; *s; s++)
    if (*s == '/') {
      *s = 0;
      if (mkdir(d, 0777) != 0 && errno != EEXIST) {
        free(d);
        return false;
      }
      *s = '/';
    }
  bool ok = mkdir(d, 0777) == 0 || errno == EEXIST;
  free(d);
  return ok;
}

typedef bool WriteFn(FILE *f, const void *data);

static bool write_json_text(FILE *f, const void *data) {
  const Buf *text = data;
  return fwrite(text->p, 1, text->len, f) == text->len;
}

static bool write_npy(FILE *f, const void *data) {
  return npy_write_file(f, data);
}

/* Writes PATH atomically (see the top of the file). errno tells why not. */
static bool write_atomic(const char *dir, const char *file, WriteFn *write,
                         const void *data) {
  int n = snprintf(tmp_path, sizeof tmp_path, "%s/.%s.tmp-%ld", dir, file,
                   (long)getpid());
  if (n < 0 || (size_t)n >= sizeof tmp_path) {
    errno = ENAMETOOLONG;
    return false;
  }
  int fd = open(tmp_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0)
    return false;
  tmp_live = 1;
  FILE *f = fdopen(fd, "wb");
  bool ok = f && write(f, data) && fflush(f) == 0 && fsync(fd) == 0;
  int err = errno;
  if (f ? fclose(f) != 0 : close(fd) != 0) {
    if (ok)
      err = errno;
    ok = false;
  }
  if (ok) {
    Buf final = {0};
    buf_printf(&final, "%s/%s", dir, file);
    ok = rename(tmp_path, final.p) == 0;
    err = errno;
    free(final.p);
  }
  if (!ok)
    unlink(tmp_path);
  tmp_live = 0;
  errno = err;
  return ok;
}

/* The output's file name, unique among those already taken (names[0..n)). */
static char *file_name(const TrOutput *o, const char *ext, char **taken,
                       uint32_t n) {
  Buf base = {0};
  for (const char *s = o->name; *s; s++)
    buf_putc(&base, *s == '/' ? '_' : *s);
  const char *b = base.p ? base.p : "";
  Buf name = {0};
  for (int k = 0;; k++) {
    name.len = 0;
    if (k)
      buf_printf(&name, "%s-%d%s", b, k, ext);
    else
      buf_printf(&name, "%s%s", b, ext);
    bool used = false;
    for (uint32_t i = 0; i < n && !used; i++)
      used = strcmp(taken[i], name.p) == 0;
    if (!used)
      break;
  }
  free(base.p);
  return name.p;
}

static int save_frame(const char *dir, const char *file, const TrFrame *f) {
  Buf text = {0};
  frame_csv_text(&text, f, ',', true, true);
  int rc = 0;
  if (!write_atomic(dir, file, write_json_text, &text)) {
    fprintf(stderr, "error: cannot write '%s/%s': %s\n", dir, file, strerror(errno));
    rc = 1;
  }
  free(text.p);
  return rc;
}

static int save_one(const char *dir, const TrOutput *o, const TrValue *v,
                    char **taken, uint32_t ntaken) {
  bool array = v->tag == TR_ARRAY;
  char *file = file_name(o, array ? ".npy" : v->tag == TR_FRAME ? ".csv" : ".json", taken,
                         ntaken);
  taken[ntaken] = file;
  if (v->tag == TR_FRAME) /* a DataFrame or Series: pandas' to_csv */
    return save_frame(dir, file, v->u.p);
  if (array) {
    if (write_atomic(dir, file, write_npy, v->u.p))
      return 0;
    fprintf(stderr, "error: cannot write '%s/%s': %s\n", dir, file, strerror(errno));
    return 1;
  }
  Buf text = {0};
  const char *err = NULL;
  int rc = 0;
  if (!json_value(&text, v, &err)) {
    fprintf(stderr, "error: output '%s' cannot be written as JSON: %s\n", o->name, err);
    rc = 1;
  } else {
    buf_putc(&text, '\n');
    if (!write_atomic(dir, file, write_json_text, &text)) {
      fprintf(stderr, "error: cannot write '%s/%s': %s\n", dir, file, strerror(errno));
      rc = 1;
    }
  }
  free(text.p);
  return rc;
}

int tr_save_outputs(const TrProgram *p, const TrValue *slots, const char *dir) {
  if (!make_dirs(dir)) {
    fprintf(stderr, "error: cannot create directory '%s': %s\n", dir, strerror(errno));
    return 1;
  }
  catch_signals();
  char **taken = calloc(p->noutputs ? p->noutputs : 1, sizeof *taken);
  if (!taken) {
    fputs("error: out of memory\n", stderr);
    return 1;
  }
  int rc = 0;
  for (uint32_t i = 0; i < p->noutputs && !rc; i++)
    rc = save_one(dir, &p->outputs[i], &slots[p->outputs[i].task], taken, i);
  for (uint32_t i = 0; i < p->noutputs; i++)
    free(taken[i]);
  free(taken);
  return rc;
}
