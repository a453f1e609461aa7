/* fuzz_compile.c - libFuzzer target for the compile to the graph: parse,
 * the compile-time evaluator (with the collections), sema and every pass
 * with the verifier on, then the graph printed. Codegen and linking stay
 * out: they only see graphs the verifier accepted.
 *
 * A located error longjmps back here through the Diag's recovery point,
 * as it does for any caller that must survive errors; what must never
 * happen is a crash, a sanitizer report, a hang or an internal error.
 * The step limit is small so that a generated endless loop ends in its
 * located error quickly. Build and run with tests/fuzz/run.sh. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "eval.h"
#include "passes/passes.h"
#include "sema.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  Arena *volatile a = arena_new();
  jmp_buf jb;
  Diag d = {.out = devnull, .recover = &jb};
  diag_use(&d);
  if (!setjmp(jb)) {
    SrcFile *f = src_from_text(a, "fuzz.tg", (const char *)data, size);
    Node *m = parse_file(a, f);
    EvalOptions eo = {.step_limit = 20000};
    Graph *g = eval_program(a, m, &eo);
    sema_graph(g, m);
    PassOptions po = {.cull = true, .cse = true, .tree_reduce = true,
                      .fuse = true, .split_every = 4, .verify = true};
    passes_run(g, &po);
    graph_print(devnull, g);
  }
  diag_use(NULL);
  arena_free(a);
  return 0;
}
