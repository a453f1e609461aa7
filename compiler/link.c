/* PLACEHOLDER: replaced by the module's real implementation. */
#include "link.h"
#include "diag.h"
const char *link_runtime_dir(void) { return "."; }
void link_executable(const Graph *g, const char *obj, const char *src_dir, const char *out) { (void)g; (void)obj; (void)src_dir; diag_fatal("cannot link %s: not implemented yet", out); }
