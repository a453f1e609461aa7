/* eval_ctx.c - `with` at the top level, and the context managers Dask
 * users write around their computes:
 *
 *   with ProgressBar(): x.compute()          (dask.diagnostics)
 *   with dask.config.set(scheduler='sync'): ...   (also without `with`)
 *   progress(futures)                        (dask.distributed)
 *
 * The executable runs the whole graph once, so what they ask for becomes
 * a default of that run (TrProgram.defaults, runtime/main.c): a progress
 * bar on stderr when any compute was inside a ProgressBar (or progress()
 * was called); the thread count of the computes inside dask.config.set
 * (num_workers=N, or 1 for the synchronous scheduler). The executable's
 * own flags (--threads, --progress) still win. A context manager is a
 * collection value whose table has enter/exit. */
#include <string.h>

#include "eval_int.h"

static const char *ctx_repr(Arena *a, const Value *v) {
  (void)a;
  return ((const Coll *)v->coll)->ops->type_name;
}

/* ---- ProgressBar ---- */

static void bar_enter(Eval *e, Value *self, Loc loc) {
  (void)self;
  (void)loc;
  e->progress_depth++;
}

static void bar_exit(Eval *e, Value *self) {
  (void)self;
  e->progress_depth--;
}

static const CollOps bar_ops = {.type_name = "ProgressBar", .repr = ctx_repr,
                                .enter = bar_enter, .exit = bar_exit};

Value *bi_progress_bar(Eval *e, Args *a) {
  static const char *kws[] = {"minimum", "width", "dt", "out", NULL};
  eval_args_check_kw(e, a, "ProgressBar", kws);
  eval_args_count(e, a, "ProgressBar", 0, 4);
  Coll *c = ARENA_NEW(e->a, Coll);
  c->ops = &bar_ops;
  return v_coll(e->a, c);
}

/* distributed.progress(futures), distributed.wait(futures): the run draws
 * its bar; the values are ready when the run ends either way. */
Value *bi_progress(Eval *e, Args *a) {
  if (!strcmp(eval_callee(e), "distributed.progress"))
    e->g->run_progress = true;
  (void)a;
  return v_none();
}

/* ---- dask.config.set ---- */

typedef struct ConfigSet {
  Coll coll;
  int threads, before; /* the setting, and what it replaced */
} ConfigSet;

static void config_exit(Eval *e, Value *self) {
  e->cfg_threads = ((ConfigSet *)self->coll)->before;
}

static void config_enter(Eval *e, Value *self, Loc loc) {
  (void)e; /* dask.config.set applies when made; `with` only ends it */
  (void)self;
  (void)loc;
}

static const CollOps config_ops = {.type_name = "set", .repr = ctx_repr,
                                   .enter = config_enter, .exit = config_exit};

static int scheduler_threads(Eval *e, Value *v, Loc loc) {
  if (v->kind != V_STR)
    diag_error(loc, "scheduler= takes a name here ('threads', 'sync', ...)");
  const char *s = v->str.s;
  if (!strcmp(s, "sync") || !strcmp(s, "synchronous") ||
      !strcmp(s, "single-threaded"))
    return 1;
  if (!strcmp(s, "processes") || !strcmp(s, "multiprocessing") ||
      !strcmp(s, "distributed"))
    diag_note(loc, "scheduler='%s' has no effect: the executable runs tasks "
              "on threads", s);
  else if (strcmp(s, "threads") && strcmp(s, "threading"))
    diag_error(loc, "unknown scheduler '%s' (threads, sync, processes)", s);
  return 0;
}

Value *bi_config_set(Eval *e, Args *a) {
  eval_args_count(e, a, "dask.config.set", 0, 0);
  ConfigSet *c = ARENA_NEW(e->a, ConfigSet);
  c->coll.ops = &config_ops;
  c->before = e->cfg_threads;
  c->threads = e->cfg_threads;
  for (int i = 0; i < a->nkw; i++) {
    const char *k = a->kw_names[i];
    if (!strcmp(k, "scheduler")) {
      int t = scheduler_threads(e, a->kw[i], a->kw_loc[i]);
      c->threads = t ? t : c->threads;
    } else if (!strcmp(k, "num_workers")) {
      int64_t n = eval_need_int(e, a->kw[i], a->kw_loc[i], "num_workers");
      if (n < 1 || n > 0xffff)
        diag_error(a->kw_loc[i], "num_workers must be 1..65535");
      if (c->threads != 1) /* the synchronous scheduler stays at one */
        c->threads = (int)n;
    } else {
      diag_note(a->kw_loc[i], "dask.config.set(%s=...) has no effect in "
                "taskc", k);
    }
  }
  e->cfg_threads = c->threads;
  return v_coll(e->a, &c->coll);
}

/* ---- the with statement ---- */

static const CollOps *ctx_ops(Value *v) {
  if (v->kind != V_COLL)
    return NULL;
  const CollOps *o = ((Coll *)v->coll)->ops;
  return o->enter && o->exit ? o : NULL;
}

void eval_with(Eval *e, Node *n, int *ctl) {
  Value **ctx = ARENA_ARRAY(e->a, Value *, n->nitems);
  for (int i = 0; i < n->nitems; i++) {
    ctx[i] = eval_expr(e, n->items[i]);
    if (!ctx_ops(ctx[i]))
      diag_error(n->items[i]->loc, "'with' takes ProgressBar() or "
                 "dask.config.set(...) here (a taskc limit), not %s",
                 v_type_name(ctx[i]));
    v_pin(ctx[i]);
    ctx_ops(ctx[i])->enter(e, ctx[i], n->items[i]->loc);
    if (n->keys[i])
      eval_assign(e, n->keys[i], ctx[i]);
  }
  eval_exec_block(e, n->body, n->nbody, ctl);
  for (int i = n->nitems - 1; i >= 0; i--)
    ctx_ops(ctx[i])->exit(e, ctx[i]);
}

/* What the computes marked now ask of the run. */
void eval_note_compute(Eval *e) {
  if (e->progress_depth)
    e->g->run_progress = true;
  if (e->cfg_threads)
    e->g->run_threads = e->cfg_threads;
}
