/* PLACEHOLDER: replaced by the module's real implementation. */
#include "dot.h"
#include "diag.h"
void dot_render(Graph *g, const DotOptions *o, const char *format, const char *path) { (void)g; (void)o; (void)format; diag_fatal("cannot write %s: dot not implemented yet", path); }
