/* codegen.c - entry point of the LLVM lowering: target machine, module,
 * kinds and tables (kinds.c, tables.c), verification, the new pass manager,
 * and writing LLVM IR, assembly or an object file. */
#include "codegen.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Support.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "cg.h"
#include "diag.h"

/* A broken module is our bug, not the user's: say so and stop. */
static _Noreturn void internal_error(const char *what, char *msg) {
  fprintf(stderr, "taskc: internal error: %s: %s\n", what, msg ? msg : "");
  LLVMDisposeMessage(msg);
  exit(1);
}

/* LLVM's X86 domain reassignment (on AVX-512 hosts) is quadratic in the
 * size of a function: a def body summing 10,000 terms took 8 s in it, and
 * 100,000 would take hours. It only moves integer work to mask registers,
 * so it is off. LLVM options are per process: set them once. */
static void set_llvm_options(void) {
  const char *argv[] = {"taskc", "-disable-x86-domain-reassignment"};
  LLVMParseCommandLineOptions(2, argv, NULL);
}

static LLVMTargetMachineRef host_machine(int opt_level, char **triple_out) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, set_llvm_options);
  LLVMInitializeNativeTarget();
  LLVMInitializeNativeAsmPrinter();
  LLVMInitializeNativeAsmParser();
  char *triple = LLVMGetDefaultTargetTriple();
  LLVMTargetRef target;
  char *err = NULL;
  if (LLVMGetTargetFromTriple(triple, &target, &err))
    internal_error("no LLVM target for the host", err);
  static const LLVMCodeGenOptLevel levels[] = {
      LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
      LLVMCodeGenLevelAggressive};
  char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
  LLVMTargetMachineRef tm = LLVMCreateTargetMachine(
      target, triple, cpu, features, levels[opt_level], LLVMRelocPIC,
      LLVMCodeModelDefault);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(features);
  *triple_out = triple;
  return tm;
}

static void init_types(Cg *cg) {
  LLVMContextRef c = cg->ctx;
  cg->t_void = LLVMVoidTypeInContext(c);
  cg->t_i1 = LLVMInt1TypeInContext(c);
  cg->t_i8 = LLVMInt8TypeInContext(c);
  cg->t_i32 = LLVMInt32TypeInContext(c);
  cg->t_i64 = LLVMInt64TypeInContext(c);
  cg->t_f64 = LLVMDoubleTypeInContext(c);
  cg->t_ptr = LLVMPointerTypeInContext(c, 0);
  cg->t_value = LLVMStructCreateNamed(c, "TrValue");
  LLVMTypeRef fields[] = {cg->t_i64, cg->t_i64};
  LLVMStructSetBody(cg->t_value, fields, 2, 0);
  LLVMTypeRef params[] = {cg->t_ptr, cg->t_ptr, cg->t_ptr};
  cg->t_kindfn = LLVMFunctionType(cg->t_void, params, 3, 0);
}

static void run_llvm_passes(LLVMModuleRef mod, LLVMTargetMachineRef tm,
                            int opt_level) {
  char pipeline[32];
  snprintf(pipeline, sizeof pipeline, "default<O%d>", opt_level);
  LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
  LLVMErrorRef e = LLVMRunPasses(mod, pipeline, tm, po);
  LLVMDisposePassBuilderOptions(po);
  if (e)
    internal_error("LLVM passes failed", LLVMGetErrorMessage(e));
}

/* Copy a temporary file to stdout (for -o - with asm and obj). */
static void copy_to_stdout(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    diag_fatal("cannot read '%s': %s", path, strerror(errno));
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    fwrite(buf, 1, n, stdout);
  fclose(f);
  fflush(stdout);
}

static void emit_machine_code(LLVMTargetMachineRef tm, LLVMModuleRef mod,
                              const CodegenOptions *o) {
  LLVMCodeGenFileType ft = o->emit == EMIT_ASM ? LLVMAssemblyFile
                                               : LLVMObjectFile;
  bool to_stdout = !strcmp(o->out_path, "-");
  char tmp[] = "/tmp/taskc-emit-XXXXXX";
  const char *path = o->out_path;
  if (to_stdout) {
    int fd = mkstemp(tmp);
    if (fd < 0)
      diag_fatal("cannot create a temporary file: %s", strerror(errno));
    close(fd);
    path = tmp;
  }
  char *err = NULL;
  /* The C API takes a non-const file name. */
  if (LLVMTargetMachineEmitToFile(tm, mod, (char *)path, ft, &err)) {
    if (to_stdout)
      unlink(tmp);
    diag_fatal("cannot write '%s': %s", o->out_path, err);
  }
  if (to_stdout) {
    copy_to_stdout(tmp);
    unlink(tmp);
  }
}

static void emit_llvm_ir(LLVMModuleRef mod, const char *out) {
  if (!strcmp(out, "-")) {
    char *s = LLVMPrintModuleToString(mod);
    fputs(s, stdout);
    fflush(stdout);
    LLVMDisposeMessage(s);
    return;
  }
  char *err = NULL;
  if (LLVMPrintModuleToFile(mod, out, &err))
    diag_fatal("cannot write '%s': %s", out, err);
}

void codegen(Graph *g, const CodegenOptions *o) {
  int opt = o->opt_level < 0 ? 0 : o->opt_level > 3 ? 3 : o->opt_level;
  char *triple;
  LLVMTargetMachineRef tm = host_machine(opt, &triple);

  Cg cg = {.a = g->arena, .g = g};
  cg.ctx = LLVMContextCreate();
  cg.mod = LLVMModuleCreateWithNameInContext(
      o->prog_name ? o->prog_name : "taskc", cg.ctx);
  cg.b = LLVMCreateBuilderInContext(cg.ctx);
  LLVMSetTarget(cg.mod, triple);
  cg.td = LLVMCreateTargetDataLayout(tm);
  char *layout = LLVMCopyStringRepOfTargetData(cg.td);
  LLVMSetDataLayout(cg.mod, layout);
  LLVMDisposeMessage(layout);
  init_types(&cg);

  int nkinds;
  Kind **kinds = cg_kinds(&cg, &nkinds);
  cg_tables(&cg, kinds, nkinds, o->prog_name ? o->prog_name : "prog");

  char *msg = NULL;
  if (LLVMVerifyModule(cg.mod, LLVMReturnStatusAction, &msg))
    internal_error("invalid LLVM module", msg);
  LLVMDisposeMessage(msg);
  run_llvm_passes(cg.mod, tm, opt);

  if (o->emit == EMIT_LLVM)
    emit_llvm_ir(cg.mod, o->out_path);
  else
    emit_machine_code(tm, cg.mod, o);

  LLVMDisposeBuilder(cg.b);
  LLVMDisposeModule(cg.mod);
  LLVMDisposeTargetData(cg.td);
  LLVMContextDispose(cg.ctx);
  LLVMDisposeTargetMachine(tm);
  LLVMDisposeMessage(triple);
}
