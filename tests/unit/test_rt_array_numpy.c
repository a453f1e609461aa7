/* test_rt_array_numpy.c - arrays printed (repr and str), written as JSON and saved as .npy
 * by the runtime, checked against NumPy itself (Debian's python3-numpy):
 * for ~300 arrays of every dtype, shape and magnitude, numpy.load must read
 * our .npy back bit for bit, repr() of it must be our text exactly, and
 * json.loads of our JSON must be its tolist(). Skipped (passes) when
 * /usr/bin/python3 has no numpy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../runtime/array.h"

static uint64_t ctr;
static double unif(void) { return tr_rng_uniform(99, ctr++); }
static double norm(void) { return tr_rng_normal(99, ctr++); }

static char dir[64];
static int ncases;

static void write_text(const char *name, const char *ext, Buf *b) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
  FILE *f = fopen(path, "w");
  fwrite(b->p, 1, b->len, f);
  fclose(f);
  free(b->p);
}

static void emit(TrArray *a) {
  char name[32], path[128];
  snprintf(name, sizeof name, "c%03d", ncases++);
  snprintf(path, sizeof path, "%s/%s.npy", dir, name);
  if (!npy_write(path, a)) {
    printf("FAIL: cannot write %s\n", path);
    exit(1);
  }
  Buf t = {0}, j = {0}, st = {0};
  TrValue v = tr_obj(TR_ARRAY, a);
  repr_value(&t, &v);
  str_value(&st, &v);
  const char *err = NULL;
  json_value(&j, &v, &err);
  write_text(name, "txt", &t);
  write_text(name, "str", &st);
  write_text(name, "json", &j);
  tr_decref(&v);
}

/* float value of kind k (magnitudes, specials, round decimals...) */
static double fval(int kind, int64_t i) {
  switch (kind) {
  case 0: return (double)(i + 1);
  case 1: return unif();
  case 2: return norm() * 10;
  case 3: return norm() * 1e-6;
  case 4: return norm() * 1e9;
  case 5: return (double)i * 0.1;
  case 6: return 1.0 / (double)(i + 3);
  case 7: { /* specials mixed in */
    double s[] = {NAN, INFINITY, -INFINITY, -0.0, 0.0, 1.5, -2.25};
    return unif() < 0.3 ? s[i % 7] : norm();
  }
  case 8: return norm() * 1e5;
  case 9: return unif() < 0.5 ? 0.0 : norm() * 100;
  case 10: return pow(10.0, (double)(i % 40) - 20);
  case 11: return 123456.0 + unif();
  case 12: return unif() < 0.8 ? NAN : 1.0;
  case 13: return 5e-324 * (double)(i + 1);
  case 14: return 1 - pow(10.0, -(double)(i % 13)); /* rounding carries */
  case 15: return 99999999.0 + unif() * (i % 2 ? 1 : 1e-6);
  case 16: return (double)(int64_t)(norm() * 1e6);
  default: return 1e300 * norm();
  }
}

static void emit_f(int kind, int ndim, const int64_t *shape) {
  TrArray *a = tr_array_new(TR_F64, ndim, shape);
  for (int64_t i = 0; i < a->size; i++)
    ((double *)a->data)[i] = fval(kind, i);
  emit(a);
}

static void emit_i(int kind, int ndim, const int64_t *shape) {
  TrArray *a = tr_array_new(TR_I64, ndim, shape);
  for (int64_t i = 0; i < a->size; i++) {
    int64_t v = kind == 0   ? i
                : kind == 1 ? (int64_t)(norm() * 1000)
                : kind == 2 ? (int64_t)(unif() * 9e18) * (i % 2 ? -1 : 1)
                            : -(int64_t)i * 7;
    ((int64_t *)a->data)[i] = v;
  }
  emit(a);
}

static void emit_b(int ndim, const int64_t *shape, double p) {
  TrArray *a = tr_array_new(TR_B8, ndim, shape);
  for (int64_t i = 0; i < a->size; i++)
    ((uint8_t *)a->data)[i] = unif() < p;
  emit(a);
}

static const int64_t shapes[][4] = {
    {1, 1}, {1, 3}, {1, 7}, {1, 12}, {1, 30}, {1, 1001}, {1, 2000}, {2, 2, 3},
    {2, 3, 1}, {2, 1, 9}, {2, 10, 10}, {2, 40, 40}, {2, 4, 300}, {2, 300, 4},
    {3, 2, 3, 4}, {3, 11, 11, 11}, {3, 1, 1, 1}, {3, 2, 2, 40}, {0, 0}};

int main(void) {
  if (system("/usr/bin/python3 -c 'import numpy' 2>/dev/null") != 0) {
    printf("skipped: /usr/bin/python3 has no numpy\n");
    return 0;
  }
  snprintf(dir, sizeof dir, "/tmp/test_rt_array_numpy.%d", (int)getpid());
  mkdir(dir, 0700);
  int nshapes = (int)(sizeof shapes / sizeof shapes[0]);
  for (int s = 0; s < nshapes; s++) {
    int ndim = (int)shapes[s][0];
    const int64_t *sh = &shapes[s][1];
    for (int k = 0; k <= 17; k++)
      emit_f(k, ndim, sh);
    for (int k = 0; k < 4; k++)
      emit_i(k, ndim, sh);
    emit_b(ndim, sh, 0.5);
    emit_b(ndim, sh, 1.0);
  }
  int64_t empty[2] = {0, 3};
  emit_f(0, 1, empty);
  emit_i(0, 1, empty);
  emit_b(2, empty, 0.5);
  emit_f(0, 2, empty);
  Buf py = {0};
  buf_printf(&py,
           "/usr/bin/python3 - %s %d <<'EOF'\n"
           "import sys, json, math, numpy as np\n"
           "d, n = sys.argv[1], int(sys.argv[2]); bad = 0\n"
           "def same(x, y):\n"
           "    if isinstance(x, list): return isinstance(y, list) and len(x) == len(y) and all(map(same, x, y))\n"
           "    if isinstance(x, float) and math.isnan(x): return isinstance(y, float) and math.isnan(y)\n"
           "    return type(x) == type(y) and x == y\n"
           "for i in range(n):\n"
           "    p = '%%s/c%%03d' %% (d, i)\n"
           "    a = np.load(p + '.npy')\n"
           "    want = repr(a[()]) if a.ndim == 0 else repr(a)\n"
           "    got = open(p + '.txt').read()\n"
           "    if got != want:\n"
           "        bad += 1; print('FAIL repr c%%03d\\n got: %%s\\nwant: %%s' %% (i, got, want))\n"
           "    want = str(a[()]) if a.ndim == 0 else str(a)\n"
           "    got = open(p + '.str').read()\n"
           "    if got != want:\n"
           "        bad += 1; print('FAIL str c%%03d\\n got: %%s\\nwant: %%s' %% (i, got, want))\n"
           "    if not same(json.loads(open(p + '.json').read()), a.tolist()):\n"
           "        bad += 1; print('FAIL json c%%03d' %% i)\n"
           "sys.exit(1 if bad else 0)\n"
           "EOF",
           dir, ncases);
  int rc = system(buf_cstr(&py));
  free(py.p);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0)
    printf("cannot remove %s\n", dir);
  if (tr_live_objects() != 0) {
    printf("FAIL: %lld objects leaked\n", (long long)tr_live_objects());
    return 1;
  }
  return rc != 0;
}
