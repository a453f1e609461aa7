/* main.c - the taskc driver: command line, then the pipeline
 *   parse -> eval -> sema -> passes -> (dot | graph | codegen -> link)
 * Each stage is one call; this file only wires them together. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <llvm-c/ErrorHandling.h>

#include "ast.h"
#include "codegen/codegen.h"
#include "diag.h"
#include "dot.h"
#include "eval.h"
#include "link.h"
#include "memplan.h"
#include "outfile.h"
#include "passes/passes.h"
#include "sema.h"

typedef enum {
  E_EXE, E_OBJ, E_ASM, E_LLVM, E_GRAPH, E_DOT, E_SVG, E_AST, E_NONE
} Emit;

typedef struct Options {
  const char *input;
  const char *output;
  Emit emit;
  bool stage_parsed;
  const char *rankdir;
  bool color_order;
  bool full_picture; /* --full: every task, even in a big graph */
  bool explain_purity;
  bool verbose;
  bool mpi;          /* --mpi: link the MPI executor (docs/mpi.md) */
  int opt_level;
  long step_limit;
  PassOptions passes;
  bool run;          /* taskc run FILE [-- ARGS] */
  char **run_args;
  int nrun_args;
} Options;

static const char usage[] =
    "usage: taskc FILE.tg [-o OUT] [options]\n"
    "       taskc run FILE.tg [options] [-- ARGS...]\n"
    "\n"
    "Compiles a Dask-style program into a standalone parallel executable.\n"
    "\n"
    "output:\n"
    "  -o FILE              output file (default: FILE without .tg; '-' = stdout)\n"
    "  --emit=KIND          exe (default), obj, asm, llvm, graph, dot, svg, ast\n"
    "  --stage=STAGE        graph/dot/svg of the 'parsed' or 'optimized' graph\n"
    "  --rankdir=DIR        direction of pictures: TB (default), LR, BT, RL\n"
    "  --color=order        colour pictures by execution priority\n"
    "  --full               draw every task of a big graph (default past 2000\n"
    "                       tasks: one node per layer)\n"
    "passes:\n"
    "  --no-cull --no-cse --no-tree-reduce --no-fuse\n"
    "  --split-every=N      fan-in of reduction trees (default 4)\n"
    "  --stats              tasks, edges and time before/after each pass,\n"
    "                       time and memory of each compile phase\n"
    "  --dump-after=PASS    after PASS, print the graph (as --emit=graph) to\n"
    "                       stdout and go on; PASS: all or one of\n"
    "                       %s\n"
    "code generation:\n"
    "  -O0 -O1 -O2 -O3      LLVM optimisation level (default -O2)\n"
    "  --mpi                an executable for mpirun: one process per rank\n"
    "                       (Open MPI; docs/mpi.md)\n"
    "other:\n"
    "  --explain-purity     say why each function is pure or impure\n"
    "  --step-limit=N       compile-time evaluation steps (default 10000000)\n"
    "  -v, --verbose        print the commands run\n"
    "  --help, --version\n";

static bool has_prefix(const char *s, const char *p, const char **rest) {
  size_t n = strlen(p);
  if (strncmp(s, p, n) != 0)
    return false;
  *rest = s + n;
  return true;
}

static long parse_number(const char *flag, const char *s, long lo, long hi) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < lo || v > hi)
    diag_fatal("%s expects a number in [%ld, %ld], got '%s'", flag, lo, hi, s);
  return v;
}

static Emit parse_emit(const char *s) {
  static const char *names[] = {"exe", "obj", "asm", "llvm", "graph",
                                "dot", "svg", "ast"};
  for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
    if (!strcmp(s, names[i]))
      return (Emit)i;
  diag_fatal("unknown --emit kind '%s' (exe, obj, asm, llvm, graph, dot, svg, "
             "ast)", s);
}

static const char *parse_pass(const char *s) {
  if (!passes_known(s)) {
    char names[128];
    passes_names(names, sizeof names);
    diag_fatal("unknown pass '%s' for --dump-after (passes: %s; or all)", s,
               names);
  }
  return s;
}

static int check_stdout(int rc);

static void parse_args(int argc, char **argv, Options *o) {
  *o = (Options){.emit = E_EXE, .rankdir = "TB", .opt_level = 2,
                 .step_limit = EVAL_DEFAULT_STEP_LIMIT,
                 .passes = {.cull = true, .cse = true, .tree_reduce = true,
                            .fuse = true, .split_every = 4}};
#ifndef NDEBUG
  o->passes.verify = true;
#endif
  int i = 1;
  if (argc > 1 && !strcmp(argv[1], "run")) {
    o->run = true;
    i = 2;
  }
  for (; i < argc; i++) {
    const char *a = argv[i], *v;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      char names[128];
      passes_names(names, sizeof names);
      printf(usage, names); /* the one %s: the passes of the table */
      exit(check_stdout(0));
    } else if (!strcmp(a, "--version")) {
      printf("taskc %s (LLVM 19)\n", TASKC_VERSION);
      exit(check_stdout(0));
    } else if (!strcmp(a, "--") && o->run) {
      o->run_args = argv + i + 1;
      o->nrun_args = argc - i - 1;
      break;
    } else if (!strcmp(a, "-o")) {
      if (++i >= argc)
        diag_fatal("-o needs a file name");
      o->output = argv[i];
    } else if (has_prefix(a, "-o", &v) && *v) {
      o->output = v;
    } else if (has_prefix(a, "--emit=", &v)) {
      o->emit = parse_emit(v);
    } else if (has_prefix(a, "--stage=", &v)) {
      if (strcmp(v, "parsed") && strcmp(v, "optimized"))
        diag_fatal("--stage must be 'parsed' or 'optimized', got '%s'", v);
      o->stage_parsed = !strcmp(v, "parsed");
    } else if (has_prefix(a, "--rankdir=", &v)) {
      if (strcmp(v, "TB") && strcmp(v, "LR") && strcmp(v, "BT") &&
          strcmp(v, "RL"))
        diag_fatal("--rankdir must be TB, LR, BT or RL, got '%s'", v);
      o->rankdir = v;
    } else if (has_prefix(a, "--color=", &v)) {
      if (strcmp(v, "order"))
        diag_fatal("--color supports only 'order', got '%s'", v);
      o->color_order = true;
    } else if (!strcmp(a, "--full")) {
      o->full_picture = true;
    } else if (!strcmp(a, "--no-cull")) {
      o->passes.cull = false;
    } else if (!strcmp(a, "--no-cse")) {
      o->passes.cse = false;
    } else if (!strcmp(a, "--no-tree-reduce")) {
      o->passes.tree_reduce = false;
    } else if (!strcmp(a, "--no-fuse")) {
      o->passes.fuse = false;
    } else if (has_prefix(a, "--split-every=", &v)) {
      o->passes.split_every = (int)parse_number("--split-every", v, 2, 1000000);
    } else if (has_prefix(a, "--dump-after=", &v)) {
      o->passes.dump_after = parse_pass(v);
      o->passes.dump = stdout;
    } else if (!strcmp(a, "--stats")) {
      o->passes.stats = stderr;
    } else if (!strcmp(a, "--verify")) {
      o->passes.verify = true;
    } else if (has_prefix(a, "-O", &v) && strlen(v) == 1 && *v >= '0' &&
               *v <= '3') {
      o->opt_level = *v - '0';
    } else if (!strcmp(a, "--explain-purity")) {
      o->explain_purity = true;
    } else if (has_prefix(a, "--step-limit=", &v)) {
      o->step_limit = parse_number("--step-limit", v, 1, 1000000000000L);
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      o->verbose = true;
    } else if (!strcmp(a, "--mpi")) {
      o->mpi = true;
    } else if (a[0] == '-' && a[1]) {
      diag_fatal("unknown option '%s' (see taskc --help)", a);
    } else if (o->input) {
      diag_fatal("more than one input file ('%s' and '%s')", o->input, a);
    } else {
      o->input = a;
    }
  }
  if (!o->input)
    diag_fatal("no input file (see taskc --help)");
}

/* "dir/prog.tg" -> "prog" (in the arena). */
static char *stem(Arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  return arena_strndup(a, base, n);
}

static char *dirname_of(Arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? arena_strndup(a, path, (size_t)(slash - path)) : ".";
}

static const char *default_output(Arena *a, const Options *o) {
  if (o->output)
    return o->output;
  switch (o->emit) {
  case E_EXE: return arena_printf(a, "%s/%s", dirname_of(a, o->input),
                                  stem(a, o->input));
  case E_OBJ: return arena_printf(a, "%s.o", stem(a, o->input));
  case E_SVG: return arena_printf(a, "%s.svg", stem(a, o->input));
  default: return "-";
  }
}

/* The pictures asked for by visualize(...) in the program. Those with
 * optimize_graph=True are drawn after the passes, the others before. */
static void render_requests(Graph *g, const Options *o, bool optimized) {
  for (int i = 0; i < g->nvis; i++) {
    VisRequest *r = &g->vis[i];
    if (r->optimize != optimized)
      continue;
    const char *ext = strrchr(r->filename, '.');
    const char *fmt = ext ? ext + 1 : "svg";
    DotOptions d = {.rankdir = r->rankdir, .color_order = r->color_order,
                    .full = o->full_picture, .roots = r->roots,
                    .nroots = r->nroots, .loc = r->loc};
    dot_render(r->picture ? r->picture : g, &d, fmt, r->filename);
  }
}

static void render_unoptimized(Graph *g, void *ctx) {
  render_requests(g, ctx, false);
}

static void emit_picture(Graph *g, const Options *o, const char *out) {
  DotOptions d = {.rankdir = o->rankdir, .color_order = o->color_order,
                  .full = o->full_picture};
  dot_render(g, &d, o->emit == E_DOT ? "dot" : "svg", out);
}

/* ---- -o outputs: whole or not at all (outfile.h) ---- */

static _Noreturn void write_error(const char *out) {
  const char *why = strerror(errno ? errno : EIO);
  if (!strcmp(out, "-"))
    diag_fatal("cannot write output: %s", why);
  diag_fatal("cannot write output '%s': %s", out, why);
}

static char *begin_output(Arena *a, const char *out) {
  char *tmp = outfile_temp(a, out);
  if (!tmp)
    write_error(out);
  return tmp;
}

static void end_output(const char *tmp, const char *out) {
  if (!outfile_commit(tmp, out))
    write_error(out);
}

/* LLVM writes --emit=llvm/asm/obj files itself, and a failed write is a
 * fatal error in LLVM ("IO failure on output stream"), which exits after
 * calling this handler. The handler has no context argument: the driver
 * compiles one program per process, so the output's name is kept here. */
static const char *llvm_output;

static void llvm_fatal(const char *reason) {
  if (llvm_output && strstr(reason, "IO failure"))
    fprintf(stderr, "taskc: error: cannot write output '%s': %s\n",
            llvm_output, reason);
  else
    fprintf(stderr, "taskc: error: LLVM: %s\n", reason);
}

typedef void TextWriter(FILE *f, const void *what);

static void write_ast(FILE *f, const void *module) { ast_dump(f, module); }
static void write_graph(FILE *f, const void *g) { graph_print(f, g); }

/* A text output (the AST, the graph) through a checked temporary file. */
static void write_text(Arena *a, const char *out, TextWriter *write,
                       const void *what) {
  char *tmp = begin_output(a, out);
  FILE *f = fopen(tmp, "w");
  if (!f)
    write_error(out);
  write(f, what);
  if (!outfile_close(f))
    write_error(out);
  end_output(tmp, out);
}

static int run_program(const char *exe, const Options *o) {
  char **argv = calloc((size_t)o->nrun_args + 2, sizeof *argv);
  argv[0] = (char *)exe;
  for (int i = 0; i < o->nrun_args; i++)
    argv[i + 1] = o->run_args[i];
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0)
    diag_fatal("fork failed: %s", strerror(errno));
  if (pid == 0) {
    execv(exe, argv);
    fprintf(stderr, "taskc: error: cannot run '%s': %s\n", exe,
            strerror(errno));
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  free(argv);
  unlink(exe);
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  fprintf(stderr, "taskc: error: program killed by signal %d\n",
          WTERMSIG(status));
  return 1;
}

/* ---- outputs bigger than the machine ---- */

/* A warning, not an error: the machine that runs the program may be
 * bigger than the one that compiles it. */
static void warn_big_outputs(const Graph *g) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0)
    return;
  double machine = (double)pages * (double)page;
  for (int i = 0; i < g->noutputs; i++) {
    int64_t n = memplan_task_bytes(g->outputs[i].task);
    if (n >= 0 && (double)n > machine)
      diag_warning(g->outputs[i].loc, "output '%s' needs %.1f GB, more than "
                   "this machine's memory (%.1f GB)", g->outputs[i].name,
                   (double)n / 1e9, machine / 1e9);
  }
}

/* --stats: what one worker's run will hold at most, so a user learns it
 * before running (memplan.c); the executable's --stats measures it. */
static void print_memplan(const Options *o, const Graph *g) {
  if (!o->passes.stats)
    return;
  MemPlan mp;
  memplan_run(g, &mp);
  fprintf(o->passes.stats, "predicted peak array memory (1 thread): %lld "
          "bytes (%.1f MB; outputs %.1f MB)", (long long)mp.peak,
          (double)mp.peak / 1e6, (double)mp.outputs / 1e6);
  if (mp.unknown)
    fprintf(o->passes.stats, ", %d array tasks of unknown size not counted",
            mp.unknown);
  fputc('\n', o->passes.stats);
}

/* --stats: one row per compile phase, its time and the arena's size after
 * it, so a slow or fat compile shows where it goes. */
static void phase_row(const Options *o, const Arena *a, const char *name,
                      struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (o->passes.stats)
    fprintf(o->passes.stats, "phase %-14s %9.2f ms %8.1f MB arena\n", name,
            (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
                (double)(t1.tv_nsec - t0->tv_nsec) / 1e6,
            (double)arena_used(a) / (1 << 20));
  *t0 = t1;
}

static int compile(int argc, char **argv) {
  Options o;
  parse_args(argc, argv, &o);
  Arena *arena = arena_new();
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  SrcFile *src = src_read(arena, o.input);
  Node *module = parse_file(arena, src);
  phase_row(&o, arena, "parse", &t0);
  if (o.emit == E_AST) {
    write_text(arena, default_output(arena, &o), write_ast, module);
    return 0;
  }

  EvalOptions eo = {.step_limit = o.step_limit};
  Graph *g = eval_program(arena, module, &eo);
  phase_row(&o, arena, "evaluate", &t0);
  if (o.explain_purity)
    purity_explain(stdout, g);

  bool picture = o.emit == E_DOT || o.emit == E_SVG || o.emit == E_GRAPH;
  const char *out = default_output(arena, &o);
  if (picture && o.stage_parsed) {
    render_requests(g, &o, false);
    if (o.emit == E_GRAPH) {
      graph_link(g);
      write_text(arena, out, write_graph, g);
    } else {
      emit_picture(g, &o, out);
    }
    return 0;
  }

  sema_graph(g, module);
  phase_row(&o, arena, "typecheck", &t0);
  for (int i = 0; i < g->nvis; i++) /* only when there is one to draw */
    if (!g->vis[i].optimize)
      o.passes.after_cse = render_unoptimized;
  o.passes.hook_ctx = &o;
  passes_run(g, &o.passes);
  phase_row(&o, arena, "passes", &t0);
  warn_big_outputs(g);
  print_memplan(&o, g);
  render_requests(g, &o, true);
  if (o.emit == E_GRAPH) {
    write_text(arena, out, write_graph, g);
    return 0;
  }
  if (picture) {
    emit_picture(g, &o, out);
    return 0;
  }

  const char *prog = stem(arena, o.input);
  CodegenOptions co = {.opt_level = o.opt_level, .out_path = out,
                       .prog_name = prog};
  if (o.emit != E_EXE) {
    co.emit = o.emit == E_LLVM ? EMIT_LLVM : o.emit == E_ASM ? EMIT_ASM
                                                             : EMIT_OBJ;
    co.out_path = begin_output(arena, out);
    llvm_output = out;
    LLVMInstallFatalErrorHandler(llvm_fatal);
    codegen(g, &co);
    end_output(co.out_path, out);
    phase_row(&o, arena, "codegen", &t0);
    return 0;
  }

  /* exe: object in a temporary file (removed at exit if the link fails),
   * then link. */
  const char *objpath = outfile_scratch(arena, ".o");
  if (!objpath)
    diag_fatal("cannot create a temporary file: %s", strerror(errno));
  co.emit = EMIT_OBJ;
  co.out_path = objpath;
  codegen(g, &co);
  phase_row(&o, arena, "codegen", &t0);
  const char *exe = out;
  if (o.run && !o.output)
    exe = arena_printf(arena, "/tmp/taskc-run-%d-%s", (int)getpid(), prog);
  LinkOptions lo = {.obj = objpath, .src_dir = dirname_of(arena, o.input),
                    .out = exe, .verbose = o.verbose, .mpi = o.mpi};
  link_executable(g, &lo);
  outfile_remove(objpath);
  phase_row(&o, arena, "link", &t0);
  if (o.verbose)
    fprintf(stderr, "taskc: wrote %s\n", exe);
  int rc = o.run ? run_program(exe, &o) : 0;
  arena_free(arena);
  return rc;
}

/* The compiler's walks over the AST and values recurse as deep as the
 * program nests (up to PARSE_MAX_DEPTH levels, ~1.5 KB of stack each):
 * they run on a thread with a stack of known size rather than trusting
 * the caller's `ulimit -s`. */
enum { COMPILER_STACK = 64 << 20 };

typedef struct MainArgs {
  int argc;
  char **argv;
  int rc;
} MainArgs;

static void *compile_thread(void *p) {
  MainArgs *m = p;
  m->rc = compile(m->argc, m->argv);
  return NULL;
}

/* A closed stdin, stdout or stderr would be the next file opened (a
 * temporary output file would then receive the messages meant for the
 * user). A read-only /dev/null holds the slot: writes to it fail with
 * EBADF, as writes to the closed descriptor would. */
static void hold_std_fds(void) {
  for (int fd = 0; fd < 3; fd++)
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      int n = open("/dev/null", O_RDONLY);
      if (n >= 0 && n != fd) {
        dup2(n, fd);
        close(n);
      }
    }
}

/* What went to stdout directly (--dump-after, --explain-purity, --help)
 * must not be lost either. */
static int check_stdout(int rc) {
  errno = 0;
  if (fflush(stdout) == 0 && !ferror(stdout))
    return rc; /* (an earlier failed write may have lost its errno: EIO) */
  fprintf(stderr, "taskc: error: cannot write output: %s\n",
          strerror(errno ? errno : EIO));
  return 1;
}

int main(int argc, char **argv) {
  hold_std_fds();
  MainArgs m = {argc, argv, 1};
  pthread_attr_t attr;
  pthread_t th;
  if (pthread_attr_init(&attr) != 0 ||
      pthread_attr_setstacksize(&attr, COMPILER_STACK) != 0 ||
      pthread_create(&th, &attr, compile_thread, &m) != 0)
    return check_stdout(compile(argc, argv));
  pthread_join(th, NULL);
  return check_stdout(m.rc);
}
