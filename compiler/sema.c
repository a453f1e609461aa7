/* PLACEHOLDER: replaced by the module's real implementation. */
#include "sema.h"
void sema_graph(Graph *g) { (void)g; }
