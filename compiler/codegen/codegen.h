/* codegen.h - lowers the typed, optimised graph to LLVM IR through the LLVM
 * C API: one function per task kind, constant tables for the tasks, and a
 * main() that calls tr_main (runtime/taskrt.h). */
#ifndef TASKC_CODEGEN_H
#define TASKC_CODEGEN_H

#include "ir.h"

typedef enum { EMIT_LLVM, EMIT_ASM, EMIT_OBJ } EmitKind;

typedef struct CodegenOptions {
  int opt_level;          /* 0..3 */
  EmitKind emit;
  const char *out_path;   /* "-" for stdout (llvm, asm) */
  const char *prog_name;  /* stem of the .tg file */
} CodegenOptions;

void codegen(Graph *g, const CodegenOptions *o);

#endif
