/* eval.h - runs the top level of a program at compile time and builds the
 * task graph (docs/language.md §2, §4). Also infers the purity of functions. */
#ifndef TASKC_EVAL_H
#define TASKC_EVAL_H

#include <stdio.h>

#include "ast.h"
#include "ir.h"

typedef struct EvalOptions {
  long step_limit; /* statements + loop iterations before "too many steps" */
} EvalOptions;

enum { EVAL_DEFAULT_STEP_LIMIT = 10000000 };

/* Errors are located diagnostics (diag_error). */
Graph *eval_program(Arena *a, Node *module, const EvalOptions *opt);

/* --explain-purity: one line per function, why it is pure or not. */
void purity_explain(FILE *out, const Graph *g);

#endif
