/* pingpong.c - raw MPI between ranks 0 and 1: one-way time of a message
 * of each size (half the round trip, blocking MPI_Send/MPI_Recv), the
 * baseline for taskc's per-message cost (bench/mpi/run.sh).
 *   usage: mpirun -n 2 pingpong [REPS]
 * Prints "SIZE us_one_way MB_per_s" lines from rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int reps = argc > 1 ? atoi(argv[1]) : 1000;
  const long sizes[] = {8, 1024, 65536, 1 << 20, 16 << 20};
  char *buf = calloc(16 << 20, 1);
  for (int s = 0; s < 5; s++) {
    long n = sizes[s];
    int r = n >= (1 << 20) ? reps / 50 + 2 : reps;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int i = 0; i < r; i++) {
      if (rank == 0) {
        MPI_Send(buf, (int)n, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
        MPI_Recv(buf, (int)n, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      } else if (rank == 1) {
        MPI_Recv(buf, (int)n, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Send(buf, (int)n, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
      }
    }
    double one_way = (MPI_Wtime() - t0) / r / 2;
    if (rank == 0)
      printf("%ld %.2f %.0f\n", n, one_way * 1e6, n / one_way / 1e6);
  }
  free(buf);
  MPI_Finalize();
  return 0;
}
