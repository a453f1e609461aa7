/* msgcost.c - what taskc adds to each message besides MPI itself, per size
 * (bench/mpi/run.sh): for a small int or array, encoding it into a buffer
 * and decoding it into a new value (runtime/msg.c); for an array of 32 KiB
 * or more, what exec_mpi.c does instead: encoding and decoding only its
 * header (the new array is allocated; MPI moves the data itself).
 *   usage: msgcost    (links libtaskrt.a; prints "SIZE us_encode_decode") */
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "msg.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double round_trip_us(const TrValue *v, int reps) {
  double t0 = now();
  bool head = tr_msg_head_bytes(v, 32768) > 0; /* exec_mpi.c's SPLIT_MIN */
  for (int i = 0; i < reps; i++) {
    Buf b = {0};
    if (head)
      tr_msg_encode_head(&b, v);
    else
      tr_msg_encode(&b, v);
    TrValue out;
    size_t used;
    if (!tr_msg_decode(b.p, b.len, &used, &out))
      abort();
    tr_decref(&out);
    free(b.p);
  }
  return (now() - t0) / reps * 1e6;
}

int main(void) {
  TrValue small = tr_int(42);
  printf("8 %.3f\n", round_trip_us(&small, 200000));
  const long sizes[] = {1024, 65536, 1 << 20, 16 << 20};
  for (int s = 0; s < 4; s++) {
    int64_t n = sizes[s] / 8;
    TrArray *a = tr_array_new(TR_F64, 1, &n);
    for (int64_t i = 0; i < n; i++)
      ((double *)a->data)[i] = (double)i;
    TrValue v = tr_obj(TR_ARRAY, a);
    printf("%ld %.3f\n", sizes[s], round_trip_us(&v, sizes[s] >= (1 << 20) ? 20 : 2000));
    tr_decref(&v);
  }
  return 0;
}
