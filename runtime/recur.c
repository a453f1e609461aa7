/* recur.c - the depth counter of recursive function bodies (taskrt.h).
 *
 * Per thread, because each worker runs its own tasks. A failure does not
 * unwind the frames that counted (tr_fail longjmps to the worker), so the
 * counter restarts at zero there: the run stops after a failed task. */
#include "rt.h"

static _Thread_local int depth;

void tr_rec_enter(void) {
  if (++depth > TR_REC_LIMIT) {
    depth = 0;
    tr_error("maximum recursion depth exceeded");
  }
}

void tr_rec_leave(void) { depth--; }

/* try/except (exc.c): a caught failure returns to the depth of its try. */
int64_t tr_rec_get(void) { return depth; }
void tr_rec_set(int64_t d) { depth = (int)d; }
