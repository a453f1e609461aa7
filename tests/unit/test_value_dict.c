/* test_value_dict.c - the evaluator's dict (compiler/value.c) stays linear
 * on the keys Dask programs use: ('x', i) tuples and consecutive ints. A
 * lookup of a missing key walks the run of occupied index slots it lands
 * in, so the longest run bounds every lookup; consecutive hashes once made
 * one run as long as the dict (graphs of 100k tuple keys took 14 s). */
#include <stdio.h>
#include <string.h>

#include "value.h"
#include "test_check.h"


enum { N = 50000 };

static Value *tuple_key(Arena *a, const char *name, int i) {
  Value *items[2] = {v_cstr(a, name), v_int(a, i)};
  return v_seq(a, V_TUPLE, items, 2);
}

/* The longest run of occupied slots, wrapping around. */
static int longest_run(const VDict *d) {
  int best = 0, run = 0;
  for (int k = 0; k < 2 * d->icap; k++) {
    run = d->index[k % d->icap].entry ? run + 1 : 0;
    if (run > best)
      best = run;
  }
  return best;
}

static void check_keys(const char *what, bool tuples) {
  Arena *a = arena_new();
  VDict *d = v_dict(a)->dict;
  Loc loc = {0};
  for (int i = 0; i < N; i++)
    v_dict_set(a, d, tuples ? tuple_key(a, "x", i) : v_int(a, i), v_int(a, i), loc);
  CHECK_MSG(d->n == N, "%s: %d entries", what, d->n);
  int run = longest_run(d);
  CHECK_MSG(run < 200, "%s: a run of %d occupied slots in %d", what, run, d->icap);
  for (int i = 0; i < N; i += 97) {
    Value *k = tuples ? tuple_key(a, "x", i) : v_int(a, i);
    CHECK_MSG(v_dict_find(d, k) == i, "%s: key %d found at %d", what, i, v_dict_find(d, k));
  }
  /* absent keys: another name, ints among tuples, floats equal to ints */
  CHECK_MSG(v_dict_find(d, tuple_key(a, "y", 5)) < 0, "%s: ('y', 5) found", what);
  CHECK_MSG(v_dict_find(d, v_int(a, N + 3)) < 0, "%s: %d found", what, N + 3);
  CHECK_MSG(tuples || v_dict_find(d, v_float(a, 7.0)) == 7, "%s: 7.0 is not 7", what);
  arena_free(a);
}

static void check_remove_and_clear(void) {
  Arena *a = arena_new();
  VDict *d = v_dict(a)->dict;
  Loc loc = {0};
  for (int i = 0; i < 100; i++)
    v_dict_set(a, d, tuple_key(a, "x", i), v_int(a, i), loc);
  CHECK_MSG(v_dict_remove(a, d, tuple_key(a, "x", 10)), "remove ('x', 10)");
  CHECK_MSG(v_dict_find(d, tuple_key(a, "x", 10)) < 0, "('x', 10) still there");
  CHECK_MSG(v_dict_find(d, tuple_key(a, "x", 11)) == 10, "('x', 11) moved up");
  v_dict_clear(d);
  CHECK_MSG(d->n == 0 && v_dict_find(d, tuple_key(a, "x", 11)) < 0, "clear");
  v_dict_set(a, d, tuple_key(a, "x", 3), v_int(a, 3), loc);
  CHECK_MSG(v_dict_find(d, tuple_key(a, "x", 3)) == 0, "set after clear");
  arena_free(a);
}

int main(void) {
  check_keys("tuple keys", true);
  check_keys("int keys", false);
  check_remove_and_clear();
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("test_value_dict: ok\n");
  return 0;
}
