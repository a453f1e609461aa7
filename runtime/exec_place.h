/* exec_place.h - static placement of a program's tasks on the ranks of a
 * distributed run, and one rank's share of the program as a TrProgram the
 * thread pool runs (docs/mpi.md). No MPI here: exec_mpi.c moves the values.
 *
 * Placement, from the graph alone: the tasks without inputs (the chunks
 * and other sources) in contiguous ranges per rank, in task id order, of
 * about equal count: each boundary moves by up to 1/8 of a rank's share to
 * where it cuts the fewest edges (so a reduction tree's subtrees stay
 * whole); every other task with its first input (so a reduction-tree
 * node goes where its leftmost input is); the outputs on rank 0.
 *
 * A rank's share: its own tasks (ids 0..nlocal), then one proxy per task
 * of another rank that one of its tasks reads (the value arrives in a
 * message: a gated task, kind `recv`, released by the communication
 * thread), then one `send` task per own task read on other ranks (it
 * hands the value to the communication thread). */
#ifndef TASKRT_EXEC_PLACE_H
#define TASKRT_EXEC_PLACE_H

#include "scheduler.h"

/* The rank of every task (malloc'd, ntasks entries). */
int32_t *tr_place(const TrProgram *p, int nranks);

typedef struct TrShare {
  TrProgram sub;
  uint32_t nlocal, nproxy, nsend;
  uint32_t *orig;     /* sub id -> original id (a send: of its producer) */
  uint32_t *proxy;    /* original id -> sub id of its proxy, or UINT32_MAX */
  uint32_t *dst_off;  /* send s goes to ranks dst[dst_off[s] .. dst_off[s+1]) */
  int32_t *dst;
  /* the sub-program's tables (owned) */
  TrTask *tasks;
  uint32_t *in_idx, *users;
  TrKindFn *kinds;
  const char **kind_names;
  TrOutput *outputs;
} TrShare;

/* Rank `rank`'s share of p under `owner`; recv and send are the kinds of
 * proxies and sends (appended to p's kinds). */
void tr_share_build(const TrProgram *p, const int32_t *owner, int nranks, int rank,
                    TrKindFn recv, TrKindFn send, TrShare *s);
void tr_share_free(TrShare *s);

#endif
