/* PLACEHOLDER: replaced by the module's real implementation. */
#include "taskrt.h"
#include <stdio.h>
int tr_main(int argc, char **argv, const TrProgram *prog) { (void)argc; (void)argv; (void)prog; fputs("runtime not implemented yet\n", stderr); return 1; }
