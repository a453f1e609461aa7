/* test_rt_cli.c - the executable's command line: --threads validation,
 * --version, --help, --list-outputs, --format, --save, --bench, unknown
 * options. */
#include <sys/stat.h>

#include "test_rt_util.h"

static void k_const(const TrValue *in, const TrValue *k, TrValue *out) { *out = k[0]; }
static void k_pair(const TrValue *in, const TrValue *k, TrValue *out) {
  TrSeq *s = tr_seq_new(2);
  s->items[0] = in[0];
  s->items[1] = in[1];
  tr_incref(&in[0]);
  tr_incref(&in[1]);
  *out = tr_obj(TR_TUPLE, s);
}

static const TrProgram *prog(Builder *b) {
  b_init(b, 8, 8, 8);
  uint32_t c = b_kind(b, k_const, "const"), pair = b_kind(b, k_pair, "pair");
  TrValue x = tr_float(0.1), y = tr_int(7);
  uint32_t tx = b_task(b, c, NULL, 0, &x, 1, 0, "'x'");
  uint32_t ty = b_task(b, c, NULL, 0, &y, 1, 1, "'y'");
  uint32_t ins[2] = {tx, ty};
  uint32_t tp = b_task(b, pair, ins, 2, NULL, 0, 2, "'p'");
  b_output(b, "total", tp);
  b_output(b, "y", ty);
  return b_finish(b, "demo");
}

static Child c;
static void run(const TrProgram *p, const char *const *args) { run_child(p, args, &c); }

int main(void) {
  Builder b;
  const TrProgram *p = prog(&b);

  run(p, (const char *[]){"--threads", "0", NULL});
  CHECK(c.status == 2);
  CHECK_STR(c.err, "error: --threads expects a positive integer\n");
  run(p, (const char *[]){"--threads=x", NULL});
  CHECK(c.status == 2);
  run(p, (const char *[]){"--frobnicate", NULL});
  CHECK(c.status == 2);
  CHECK_STR(c.err, "error: unknown option '--frobnicate' (see --help)\n");

  run(p, (const char *[]){"--version", NULL});
  CHECK(c.status == 0);
  CHECK(!strncmp(c.out, "demo (taskc ", 12) && strstr(c.out, ")\n"));
  run(p, (const char *[]){"--list-outputs", NULL});
  CHECK_STR(c.out, "total\ny\n");
  run(p, (const char *[]){"--help", NULL});
  CHECK(c.status == 0 && strstr(c.out, "--threads") && strstr(c.out, "  total\n"));

  run(p, (const char *[]){"--threads", "2", NULL});
  CHECK(c.status == 0);
  CHECK_STR(c.out, "total = (0.1, 7)\ny = 7\n");
  run(p, (const char *[]){"--format=json", NULL});
  CHECK_STR(c.out, "{\"total\": [0.1, 7], \"y\": 7}\n");

  char dir[] = "/tmp/test_rt_cli_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char sub[64], path[96], text[64] = "";
  snprintf(sub, sizeof sub, "%s/a/b", dir);
  run(p, (const char *[]){"--save", sub, NULL});
  CHECK(c.status == 0);
  snprintf(path, sizeof path, "%s/total.json", sub);
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (f) {
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
  }
  CHECK_STR(text, "[0.1, 7]\n");
  remove(path);
  snprintf(path, sizeof path, "%s/y.json", sub);
  remove(path);
  rmdir(sub);
  snprintf(path, sizeof path, "%s/a", dir);
  rmdir(path);
  rmdir(dir);

  run(p, (const char *[]){"--bench", "--repeat", "3", "--threads", "2", NULL});
  CHECK(c.status == 0);
  CHECK(strstr(c.out, "tasks: 3\n") && strstr(c.out, "threads: 2\n") &&
        strstr(c.out, "wall time (ms): median ") && strstr(c.out, "peak RSS (MB): "));
  CHECK(!strstr(c.out, "total ="));

  b_free(&b);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
