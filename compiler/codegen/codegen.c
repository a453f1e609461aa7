/* PLACEHOLDER: replaced by the module's real implementation. */
#include "codegen.h"
#include "diag.h"
void codegen(Graph *g, const CodegenOptions *o) { (void)g; (void)o; diag_fatal("codegen not implemented yet"); }
