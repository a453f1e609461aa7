/* fuzz_parse.c - libFuzzer target for the lexer and parser.
 *
 * Each input is parsed as a .tg file; a syntax error longjmps back here
 * through its Diag's recovery point, as any caller that must survive
 * errors does. The tree is dumped too, so the dumper walks every node the
 * parser built. Build and run with tests/fuzz/run.sh. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  Arena *a = arena_new();
  jmp_buf jb;
  Diag d = {.out = devnull, .recover = &jb};
  diag_use(&d);
  if (!setjmp(jb)) {
    SrcFile *f = src_from_text(a, "fuzz.tg", (const char *)data, size);
    Node *m = parse_file(a, f);
    ast_dump(devnull, m);
  }
  diag_use(NULL);
  arena_free(a);
  return 0;
}
