/* main.c - the executable's command line (docs/language.md §7): parse the
 * options, run the graph once (or --bench it), write the outputs. Bad usage
 * exits 2, a failed task 1. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memlimit.h"
#include "exec.h"

#ifndef TASKC_VERSION
#define TASKC_VERSION "unknown"
#endif

typedef struct Opts {
  int threads, repeat;
  bool json, bench, list, help, version, progress, stats, fifo;
  const char *save, *trace;
} Opts;

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "error: ");
  fprintf(stderr, msg, arg);
  fputc('\n', stderr);
  return 2;
}

static bool parse_count(const char *s, int *out) {
  char *end;
  long v = s ? strtol(s, &end, 10) : 0;
  if (!s || !*s || *end || v < 1 || v > 1000000)
    return false;
  *out = (int)v;
  return true;
}

/* A seed is a whole number in [0, 2^64-1], digits only: strtoull alone
 * would take "-1" as 2^64-1 and clamp 2^64 to it, silently. */
static bool parse_seed(const char *s) {
  if (!s || !*s || strspn(s, "0123456789") != strlen(s))
    return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno == ERANGE || *end)
    return false;
  tr_seed = (uint64_t)v;
  tr_set_seed((uint64_t)v); /* random arrays; random.random uses tr_seed */
  return true;
}

/* Value of option `name` at argv[*i]: "--name=V" or "--name V". */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *match) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  *match = false;
  if (strncmp(a, name, n) != 0)
    return NULL;
  if (a[n] == '=') {
    *match = true;
    return a + n + 1;
  }
  if (a[n] != 0)
    return NULL;
  *match = true;
  return *i + 1 < argc ? argv[++*i] : NULL;
}

static int parse_args(int argc, char **argv, Opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    bool m;
    if ((v = opt_value(argc, argv, &i, "--threads", &m)), m) {
      if (!parse_count(v, &o->threads))
        return usage_error("--threads expects a positive integer", NULL);
    } else if ((v = opt_value(argc, argv, &i, "--repeat", &m)), m) {
      if (!parse_count(v, &o->repeat))
        return usage_error("--repeat expects a positive integer", NULL);
    } else if ((v = opt_value(argc, argv, &i, "--seed", &m)), m) {
      if (!parse_seed(v))
        return usage_error("--seed expects a whole number from 0 to "
                           "18446744073709551615, got '%s' (see --help)",
                           v ? v : "");
    } else if ((v = opt_value(argc, argv, &i, "--format", &m)), m) {
      if (!v || (strcmp(v, "text") && strcmp(v, "json")))
        return usage_error("--format expects 'text' or 'json'", NULL);
      o->json = !strcmp(v, "json");
    } else if ((v = opt_value(argc, argv, &i, "--save", &m)), m) {
      if (!v || !*v)
        return usage_error("--save expects a directory", NULL);
      o->save = v;
    } else if ((v = opt_value(argc, argv, &i, "--trace", &m)), m) {
      if (!v || !*v)
        return usage_error("--trace expects a file name", NULL);
      o->trace = v;
    } else if (!strcmp(a, "--progress")) {
      o->progress = true;
    } else if (!strcmp(a, "--no-priority")) {
      o->fifo = true;
    } else if (!strcmp(a, "--stats")) {
      o->stats = true;
    } else if (!strcmp(a, "--bench")) {
      o->bench = true;
    } else if (!strcmp(a, "--list-outputs")) {
      o->list = true;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      o->help = true;
    } else if (!strcmp(a, "--version")) {
      o->version = true;
    } else {
      return usage_error(a[0] == '-' ? "unknown option '%s' (see --help)"
                                     : "unexpected argument '%s' (see --help)",
                         a);
    }
  }
  return 0;
}

/* One line per output, escaped as in text output (output.c). */
static void print_names(const TrProgram *p, const char *indent) {
  Buf b = {0};
  for (uint32_t i = 0; i < p->noutputs; i++) {
    buf_puts(&b, indent);
    tr_put_name(&b, p->outputs[i].name);
    buf_putc(&b, '\n');
  }
  if (b.len)
    fwrite(b.p, 1, b.len, stdout);
  free(b.p);
}

static void help(const TrProgram *p) {
  printf("usage: %s [options]\n"
         "Computes the outputs of the task graph '%s' in parallel.\n\n"
         "options:\n"
         "  --threads N       worker threads (default: all online CPUs, or what\n"
         "                    the program's dask.config.set asked for)\n"
         "  --seed S          seed of random arrays (default 0) and of\n"
         "                    random.random/uniform (default: time-based)\n"
         "  --format text|json  'name = repr' lines (default) or one JSON object\n"
         "  --save DIR        write DIR/NAME.npy (arrays) or .json per output\n"
         "                    instead of printing\n"
         "  --bench           run the graph several times, print a timing summary\n"
         "  --repeat N        runs for --bench (default 5)\n"
         "  --trace FILE      write a Chrome trace-event JSON of the run (Perfetto)\n"
         "  --progress        draw a progress bar on stderr\n"
         "  --stats           print run statistics (peak live values, live values\n"
         "                    left at the end: leaks) on stderr\n"
         "  --no-priority     ignore the compiler's order (tasks in creation order;\n"
         "                    for measuring what the order saves)\n"
         "  --list-outputs    print the output names and exit\n"
         "  --help, --version\n\n"
         "outputs:\n",
         p->name, p->name);
  print_names(p, "  ");
}

static int run_once(const TrExecutor *ex, const TrProgram *p, const Opts *o) {
  TrValue *slots = calloc(p->ntasks ? p->ntasks : 1, sizeof *slots);
  TrRunOpts ro = {.nthreads = o->threads, .stats = o->stats, .progress = o->progress,
                  .fifo = o->fifo};
  if (o->trace)
    ro.trace = calloc(p->ntasks ? p->ntasks : 1, sizeof *ro.trace);
  if (!slots || (o->trace && !ro.trace)) {
    fputs("error: out of memory\n", stderr);
    return 1;
  }
  TrFailure fail;
  if (!ex->run(p, &ro, slots, &fail)) {
    fflush(stdout);
    const char *key = fail.subkey ? fail.subkey : p->tasks[fail.task].key;
    char num[32];
    if (!key) {
      snprintf(num, sizeof num, "#%u", fail.task);
      key = num;
    }
    tr_report_failure(stderr, key, fail.msg);
    return 1; /* slots leak: workers may still be using them */
  }
  bool root = ex->writes_outputs();
  if (o->stats && root)
    fprintf(stderr, "tasks: %u\npeak live values: %lld\npeak array memory: %lld bytes\n",
            p->ntasks, (long long)ro.peak_live, (long long)tr_mem_peak());
  if (o->trace) { /* one file per rank: NAME.RANK */
    char path[4096];
    int rank = ex->rank();
    snprintf(path, sizeof path, rank < 0 ? "%s" : "%s.%d", o->trace, rank);
    if (!tr_trace_write(p, ro.trace, path)) {
      fprintf(stderr, "error: cannot write trace '%s'\n", path);
      return 1;
    }
  }
  free(ro.trace);
  if (!root) { /* the outputs live on rank 0 */
    free(slots);
    return 0;
  }
  int rc = o->save ? tr_save_outputs(p, slots, o->save) : tr_write_outputs(p, slots, o->json);
  if (o->stats) /* the outputs' objects, then what is left after freeing them */
    fprintf(stderr, "live values after run: %lld\n", (long long)tr_live_objects());
  tr_run_free_outputs(p, slots);
  free(slots);
  /* Every value is freed by now: anything left is a reference-count leak
   * (tests/lit/leaks check this is 0). */
  if (o->stats)
    fprintf(stderr, "live values at end: %lld\n", (long long)tr_live_objects());
  return rc;
}

static int flush_stdout(void) {
  return fflush(stdout) != 0 || ferror(stdout) ? tr_stdout_error() : 0;
}

int tr_main(int argc, char **argv, const TrProgram *p) {
  Opts o = {.repeat = 5};
  tr_seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
  int rc = parse_args(argc, argv, &o);
  if (rc)
    return rc;
  if (o.version) {
    printf("%s (taskc %s)\n", p->name, TASKC_VERSION);
    return flush_stdout();
  }
  if (o.help) {
    help(p);
    return flush_stdout();
  }
  if (o.list) {
    print_names(p, "");
    return flush_stdout();
  }
  tr_mem_init();
  /* What the program asked for (ProgressBar, dask.config.set), unless the
   * command line says else. */
  if (o.threads == 0)
    o.threads = (int)(p->defaults & 0xffff);
  if (p->defaults & (1u << 16))
    o.progress = true;
  if (o.threads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = n > 0 ? (int)(n < 1024 ? n : 1024) : 1;
  }
  tr_rng_init(0);
  const TrExecutor *ex = tr_exec_pick();
  if (ex->start)
    ex->start(&argc, &argv);
  if (o.bench)
    rc = tr_bench(p, o.threads, o.repeat);
  else
    rc = run_once(ex, p, &o);
  return ex->finish(rc);
}
