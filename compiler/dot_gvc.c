/* dot_gvc.c - layout and rendering in process with gvc; see dot_gvc.h. */
#include "dot_gvc.h"

#include <stdlib.h>

#include <graphviz/gvc.h>

/* One context for the whole process. Graphviz 2.42's pango plugin keeps a
 * pointer to the last font name it measured, and that name is freed with
 * the context: a second context would read freed memory (ASan sees it on a
 * program with two visualize() calls). */
static GVC_t *gvc;

static void free_context(void) {
  gvFreeContext(gvc);
  gvc = NULL;
}

/* Rendered in memory, then written here: gvc writing to a FILE * calls
 * exit(1) when a write fails (a full disk), which would skip our message. */
bool dot_gvc_render(Agraph_t *ag, const char *format, FILE *out) {
  if (!gvc) {
    gvc = gvContext();
    atexit(free_context);
  }
  if (gvLayout(gvc, ag, "dot") != 0)
    return false;
  char *data = NULL;
  unsigned int len = 0;
  bool ok = gvRenderData(gvc, ag, format, &data, &len) == 0;
  gvFreeLayout(gvc, ag);
  if (ok)
    fwrite(data, 1, len, out); /* failures show in ferror(out) */
  if (data)
    gvFreeRenderData(data);
  return ok;
}

/* Fontconfig and gvc keep caches for the life of the process; under
 * LeakSanitizer (-DTASKC_SANITIZE=ON) those are not our leaks. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
  return "leak:libfontconfig\nleak:libgvc\nleak:libpango\nleak:libcairo\n";
}
