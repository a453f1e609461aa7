/* link.c - the system C compiler links the object file with libtaskrt.a and
 * the program's @extern C sources, objects, archives and libraries.
 *
 * The compiler runs with fork/execvp and an argument vector, never through a
 * shell, so file names need no quoting. Its stderr is captured and shown
 * only when it fails. */
#include "link.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ast.h"
#include "diag.h"

static bool file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where this executable lives is the same for every compilation the process
 * runs, so it is looked up once and kept. */
const char *link_runtime_dir(void) {
  static char dir[PATH_MAX + 32];
  if (dir[0])
    return dir;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    diag_fatal("cannot find the taskc executable: %s", strerror(errno));
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  *slash = 0; /* readlink gives an absolute path */
  const char *tries[] = {"", "/../lib/taskc"};
  for (int i = 0; i < 2; i++) {
    char lib[PATH_MAX + 64];
    snprintf(lib, sizeof lib, "%s%s/libtaskrt.a", exe, tries[i]);
    if (file_exists(lib)) {
      snprintf(dir, sizeof dir, "%s%s", exe, tries[i]);
      return dir;
    }
  }
  diag_fatal("cannot find libtaskrt.a next to %s or in %s/../lib/taskc", exe,
             exe);
}

/* An argument vector that grows in the arena. */
typedef struct Argv {
  Arena *a;
  PtrVec v;
} Argv;

static void arg(Argv *av, const char *s) {
  ptrvec_push(av->a, &av->v, (void *)s);
}

/* $CC split at blanks ("ccache gcc"), or cc. */
static void add_cc(Argv *av) {
  const char *cc = getenv("CC");
  if (!cc || !*cc) {
    arg(av, "cc");
    return;
  }
  char *s = arena_strdup(av->a, cc);
  for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t"))
    arg(av, tok);
}

static bool has_ext(const char *path, const char *ext) {
  size_t n = strlen(path), e = strlen(ext);
  return n > e && !strcmp(path + n - e, ext);
}

static bool is_library_name(const char *s) {
  return !strchr(s, '/') && !strchr(s, '.');
}

static bool seen_before(const Graph *g, int i) {
  for (int j = 0; j < i; j++)
    if (g->funcs[j]->is_extern && g->funcs[j]->extern_src &&
        !strcmp(g->funcs[j]->extern_src, g->funcs[i]->extern_src))
      return true;
  return false;
}

/* Sources, objects and archives of the @extern functions (libraries are
 * added after libtaskrt by add_extern_libs). */
static void add_extern_files(Argv *av, const Graph *g, const char *src_dir) {
  for (int i = 0; i < g->nfuncs; i++) {
    Func *f = g->funcs[i];
    if (!f->is_extern || !f->extern_src || seen_before(g, i) ||
        is_library_name(f->extern_src))
      continue;
    const char *src = f->extern_src;
    if (!has_ext(src, ".c") && !has_ext(src, ".o") && !has_ext(src, ".a") &&
        !has_ext(src, ".so"))
      diag_error(f->loc, "@extern source '%s' is not a C file (.c), an object "
                 "(.o), an archive (.a), a shared library (.so) or a library "
                 "name like \"m\"", src);
    const char *path = src[0] == '/' ? src
                                     : arena_printf(av->a, "%s/%s", src_dir, src);
    if (!file_exists(path))
      diag_error(f->loc, "cannot find @extern source '%s' (looked for %s)",
                 src, path);
    arg(av, path);
  }
}

static void add_extern_libs(Argv *av, const Graph *g) {
  for (int i = 0; i < g->nfuncs; i++) {
    Func *f = g->funcs[i];
    if (f->is_extern && f->extern_src && !seen_before(g, i) &&
        is_library_name(f->extern_src))
      arg(av, arena_printf(av->a, "-l%s", f->extern_src));
  }
}

static void print_command(char **argv) {
  for (int i = 0; argv[i]; i++)
    fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
  fputc('\n', stderr);
}

/* Everything the child wrote to the pipe, NUL-terminated, at most ~64 KiB. */
static char *read_all(Arena *a, int fd) {
  size_t cap = 65536, n = 0;
  char *buf = arena_alloc(a, cap + 1);
  char scratch[4096];
  for (;;) {
    ssize_t r = read(fd, scratch, sizeof scratch);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    size_t take = (size_t)r < cap - n ? (size_t)r : cap - n;
    memcpy(buf + n, scratch, take);
    n += take;
  }
  buf[n] = 0;
  return buf;
}

/* Runs argv; returns its exit status and its stderr (or, with
 * want_stdout, its stdout) in *err. */
static int run_fd(Arena *a, char **argv, char **err, bool want_stdout) {
  int fds[2];
  if (pipe(fds) < 0)
    diag_fatal("cannot create a pipe: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0)
    diag_fatal("fork failed: %s", strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], want_stdout ? 1 : 2);
    close(fds[1]);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run '%s': %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  *err = read_all(a, fds[0]);
  close(fds[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      diag_fatal("waitpid failed: %s", strerror(errno));
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

static int run(Arena *a, char **argv, char **err) {
  return run_fd(a, argv, err, false);
}

/* ---- --mpi: the MPI executor and Open MPI's own link flags ---- */

/* The words of `mpicc --showme:link` (-L, -l, -Wl flags): the wrapper
 * knows where its libraries are, so we ask it rather than guess. */
static void add_mpi_link(Argv *av, const char *rt) {
  const char *lib = arena_printf(av->a, "%s/libtaskrt_mpi.a", rt);
  if (!file_exists(lib))
    diag_fatal("--mpi: cannot find %s (taskc was built without Open MPI: install "
               "libopenmpi-dev openmpi-bin, as scripts/setup.sh does, and rebuild)", lib);
  char *argv[] = {"mpicc", "--showme:link", NULL}, *out;
  if (run_fd(av->a, argv, &out, true) != 0)
    diag_fatal("--mpi: cannot run 'mpicc --showme:link' (install libopenmpi-dev "
               "openmpi-bin, as scripts/setup.sh does)");
  /* pulls exec_mpi.o in: libtaskrt refers to it only weakly */
  arg(av, "-Wl,-u,tr_exec_mpi");
  arg(av, lib);
  arg(av, arena_printf(av->a, "-L%s", rt));
  arg(av, "-ltaskrt");
  for (char *tok = strtok(out, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
    arg(av, tok);
}

/* ---- a failed link, told at the @extern it is about ---- */

static bool starts(const char *s, const char *p) {
  return !strncmp(s, p, strlen(p));
}

/* The text between `open` and the next `close` in line, copied. */
static char *between(Arena *a, const char *line, const char *open, char close) {
  const char *s = strstr(line, open);
  if (!s)
    return NULL;
  s += strlen(open);
  const char *e = strchr(s, close);
  return e ? arena_strndup(a, s, (size_t)(e - s)) : NULL;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* The @extern function one line of the linker's text is about: a missing
 * library (-lNAME), a function of the program that is undefined or whose
 * C body refers to something undefined, or a source file that does not
 * compile. NULL if none. */
static Func *blame_line(const Graph *g, const char *line) {
  char *lib = between(g->arena, line, "cannot find -l", ':');
  if (!lib)
    lib = between(g->arena, line, "cannot find -l", '\n');
  char *undef = between(g->arena, line, "undefined reference to `", '\'');
  char *in_fn = between(g->arena, line, "in function `", '\'');
  for (int i = 0; i < g->nfuncs; i++) {
    Func *f = g->funcs[i];
    if (!f->is_extern)
      continue;
    const char *src = f->extern_src;
    if ((lib && src && !strcmp(lib, src)) ||
        (undef && !strcmp(undef, f->name)) ||
        (in_fn && !strcmp(in_fn, f->name)) ||
        (src && !is_library_name(src) && strstr(line, base_name(src))))
      return f;
  }
  return NULL;
}

/* The lines that say what went wrong (errors, undefined names, missing
 * libraries), without the linker's path prefix; at most MAX_SHOWN, then a
 * count of the others. *blamed: the @extern function of the first line
 * that names one. */
enum { MAX_SHOWN = 4 };

static char *summarise(const Graph *g, char *err, Func **blamed) {
  Arena *a = g->arena;
  char *out = "";
  int shown = 0, more = 0;
  *blamed = NULL;
  for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n")) {
    if ((!strstr(line, "error") && !strstr(line, "undefined reference") &&
         !strstr(line, "cannot find") && !strstr(line, "cannot run") &&
         !strstr(line, "cannot open")) ||
        strstr(line, "ld returned")) /* says nothing new */
      continue;
    if (!*blamed)
      *blamed = blame_line(g, line);
    if (shown == MAX_SHOWN) {
      more++;
      continue;
    }
    const char *ld = strstr(line, "ld: ");
    if (ld && starts(base_name(line), "ld"))
      line = (char *)ld + 4;
    out = arena_printf(a, "%s%s%s", out, shown ? "\n  " : "", line);
    shown++;
  }
  if (more)
    out = arena_printf(a, "%s\n  (%d more)", out, more);
  if (!shown)
    out = "the linker said nothing taskc recognises (taskc -v shows all it said)";
  return out;
}

/* Where f's @extern("...") names what failed to link: the string argument
 * of its decorator (the decorator that names f->extern_src), else the
 * def. */
static Loc extern_loc(const Func *f) {
  const Node *def = f->def;
  for (int i = 0; def && i < def->nitems; i++) {
    const Node *d = def->items[i];
    if (d->kind == N_CALL && d->nitems == 1 && d->items[0]->kind == N_STR &&
        f->extern_src && !strcmp(d->items[0]->str, f->extern_src))
      return d->items[0]->loc;
  }
  return f->loc;
}

static _Noreturn void link_failed(const Graph *g, const char *cc, int status,
                                  char *err) {
  Func *f;
  char *text = summarise(g, err, &f);
  if (f)
    diag_error(extern_loc(f), "linking failed (%s exited with status %d) at "
               "this @extern: %s", cc, status, text);
  diag_fatal("linking failed (%s exited with status %d): %s", cc, status,
             text);
}

void link_executable(const Graph *g, const LinkOptions *o) {
  Argv av = {.a = g->arena};
  const char *rt = link_runtime_dir();
  add_cc(&av);
  arg(&av, "-O2");
  arg(&av, "-o");
  arg(&av, o->out);
  arg(&av, o->obj);
  arg(&av, arena_printf(av.a, "-I%s", rt)); /* taskrt.h for @extern sources */
  add_extern_files(&av, g, o->src_dir ? o->src_dir : ".");
  if (o->mpi)
    add_mpi_link(&av, rt);
  arg(&av, arena_printf(av.a, "-L%s", rt));
  arg(&av, "-ltaskrt");
  /* Only a program with a matrix product takes anything from it
   * (runtime/matmul.c): a static archive adds just what is referenced. */
  arg(&av, TASKC_OPENBLAS_LIB);
  /* Likewise GMP: only a program that can make a big int takes code from it
   * (runtime/bigint*.c); libgmp.a, so no libgmp.so at run time. */
  arg(&av, TASKC_GMP_LIB);
  add_extern_libs(&av, g);
  arg(&av, "-lpthread");
  arg(&av, "-lm");
  arg(&av, NULL);
  char **argv = (char **)av.v.items;
  if (o->verbose)
    print_command(argv);
  char *err;
  int st = run(av.a, argv, &err);
  if (st != 0) {
    if (o->verbose)
      fputs(err, stderr); /* all of it; the error shows the gist */
    link_failed(g, argv[0], st, err);
  }
  fputs(err, stderr); /* warnings of a successful link */
}
