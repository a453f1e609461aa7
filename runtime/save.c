/* save.c - --save DIR: DIR (and its parents) created, one NAME.json per
 * output holding the same JSON value as --format json, or NAME.npy for an
 * array (npy.c). A '/' in an output name (dict-graph keys can hold
 * anything) becomes '_'. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"

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

static int save_one(const char *dir, const TrOutput *o, const TrValue *v) {
  Buf path = {0}, text = {0};
  const char *err = NULL;
  buf_printf(&path, "%s/", dir);
  for (const char *s = o->name; *s; s++)
    buf_putc(&path, *s == '/' ? '_' : *s);
  int rc = 0;
  if (v->tag == TR_ARRAY) {
    buf_puts(&path, ".npy");
    if (!npy_write(buf_cstr(&path), v->u.p)) {
      fprintf(stderr, "error: cannot write '%s': %s\n", path.p, strerror(errno));
      rc = 1;
    }
    free(path.p);
    return rc;
  }
  buf_puts(&path, ".json");
  if (!json_value(&text, v, &err)) {
    fprintf(stderr, "error: output '%s' cannot be written as JSON: %s\n", o->name, err);
    rc = 1;
  } else {
    buf_putc(&text, '\n');
    FILE *f = fopen(buf_cstr(&path), "w");
    bool ok = f && fwrite(text.p, 1, text.len, f) == text.len;
    if (f && fclose(f) != 0)
      ok = false;
    if (!ok) {
      fprintf(stderr, "error: cannot write '%s': %s\n", path.p, strerror(errno));
      rc = 1;
    }
  }
  free(path.p);
  free(text.p);
  return rc;
}

int tr_save_outputs(const TrProgram *p, const TrValue *slots, const char *dir) {
  if (!make_dirs(dir)) {
    fprintf(stderr, "error: cannot create directory '%s': %s\n", dir, strerror(errno));
    return 1;
  }
  for (uint32_t i = 0; i < p->noutputs; i++)
    if (save_one(dir, &p->outputs[i], &slots[p->outputs[i].task]))
      return 1;
  return 0;
}
