/* body_try.c - try/except/else and raise in bodies (sema_try.c types
 * them; runtime/exc.c runs them).
 *
 *   TrTry t; tr_try_push(&t);
 *   if (_setjmp(t.jb) == 0) { body; tr_try_pop(&t); else-block }
 *   else { kind = tr_try_caught(&t); the first handler whose mask has
 *          kind runs, with `e` = tr_exc_str(); none: tr_reraise(kind) }
 *
 * A function with a try is compiled unoptimised (body.c): its locals then
 * live in memory, so after the longjmp they hold their last values, which
 * C's setjmp promises only for volatile objects. A return, break or
 * continue that leaves a try block pops it first (f->tries). A failure
 * that a handler catches leaks the temporaries of the statement that
 * failed (the run goes on; they are not freed). */
#include <string.h>

#include "../../runtime/taskrt.h"
#include "../diag.h"
#include "body.h"

static LLVMValueRef setjmp_call(FnBody *f, LLVMValueRef buf) {
  Cg *cg = f->cg;
  LLVMTypeRef fty = LLVMFunctionType(cg->t_i32, &cg->t_ptr, 1, 0);
  LLVMValueRef fn = cg_runtime_fn(cg, "_setjmp", fty);
  unsigned k = LLVMGetEnumAttributeKindForName("returns_twice", 13);
  LLVMAttributeRef a = LLVMCreateEnumAttribute(cg->ctx, k, 0);
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, a);
  LLVMValueRef call = LLVMBuildCall2(f->b, fty, fn, &buf, 1, "sj");
  LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, a);
  return call;
}

static void rt1(FnBody *f, const char *name, LLVMValueRef p) {
  body_call(f, name, f->cg->t_void, &f->cg->t_ptr, 1, &p);
}

void body_try_leave(FnBody *f, int from) {
  if (f->ntries > from) /* the outermost one left restores the handler */
    rt1(f, "tr_try_pop", f->tries[from]);
}

/* A try inside the finally block emitted here takes the slots from k on:
 * the open tries' records are put back after it, for the code that
 * follows the exit inside them. */
void body_finally_leave(FnBody *f, int from) {
  int open = f->ntries;
  LLVMValueRef tries[BODY_MAX_LOOPS];
  Node *fin[BODY_MAX_LOOPS];
  memcpy(tries, f->tries, sizeof tries);
  memcpy(fin, f->finally, sizeof fin);
  for (int k = open - 1; k >= from; k--) {
    if (!fin[k])
      continue;
    rt1(f, "tr_try_pop", tries[k]); /* its failures go outward now */
    f->ntries = k;
    body_stmts(f, fin[k]->orelse, fin[k]->norelse);
  }
  memcpy(f->tries, tries, sizeof tries);
  memcpy(f->finally, fin, sizeof fin);
  f->ntries = open;
}

/* try: B finally: F (an N_TRY without handlers, F in orelse; parse.c).
 *
 *   TrTry t; tr_try_push(&t);
 *   if (_setjmp(t.jb) == 0) { B; tr_try_pop(&t); F }
 *   else { kind = tr_try_caught(&t); F; tr_reraise(kind) }
 *
 * and a return, break or continue in B runs F on its way out
 * (body_finally_leave), so F's code is emitted once per exit. The failure
 * F runs for is held (tr_exc_hold) while F runs, so that the failures F
 * catches itself do not replace what is re-raised after it. */
static void try_finally(FnBody *f, Node *n) {
  Cg *cg = f->cg;
  LLVMValueRef t = body_alloca(f, LLVMArrayType2(cg->t_i64, 34), "try");
  LLVMSetAlignment(t, 16);
  rt1(f, "tr_try_push", t);
  LLVMValueRef sj = setjmp_call(f, t);
  LLVMBasicBlockRef tryb = body_block(f, "try"), caught = body_block(f, "finally.exc"),
                    end = body_block(f, "endtry");
  LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntEQ, sj, LLVMConstInt(cg->t_i32, 0, 0), ""),
                  tryb, caught);
  LLVMPositionBuilderAtEnd(f->b, tryb);
  f->finally[f->ntries] = n;
  f->tries[f->ntries++] = t;
  body_stmts(f, n->body, n->nbody);
  f->ntries--;
  f->finally[f->ntries] = NULL;
  rt1(f, "tr_try_pop", t);
  body_stmts(f, n->orelse, n->norelse);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, caught);
  LLVMValueRef kind = body_call(f, "tr_try_caught", cg->t_i64, &cg->t_ptr, 1, &t);
  LLVMValueRef held = body_alloca(f, LLVMArrayType2(cg->t_i64, TR_EXC_HELD / 8), "held");
  rt1(f, "tr_exc_hold", held);
  body_stmts(f, n->orelse, n->norelse);
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64};
  body_call(f, "tr_exc_resume", cg->t_void, pt, 2, (LLVMValueRef[]){held, kind});
  LLVMBuildUnreachable(f->b);
  LLVMPositionBuilderAtEnd(f->b, end);
}

void body_try(FnBody *f, Node *n) {
  Cg *cg = f->cg;
  f->has_try = true;
  if (f->ntries == BODY_MAX_LOOPS)
    diag_error(n->loc, "try statements nested too deeply");
  if (!n->nitems) {
    try_finally(f, n);
    return;
  }
  /* TrTry (runtime/taskrt.h): 32 longs of jmp_buf, prev, depth */
  LLVMValueRef t = body_alloca(f, LLVMArrayType2(cg->t_i64, 34), "try");
  LLVMSetAlignment(t, 16);
  rt1(f, "tr_try_push", t);
  LLVMValueRef sj = setjmp_call(f, t);
  LLVMBasicBlockRef tryb = body_block(f, "try"), caught = body_block(f, "caught"),
                    end = body_block(f, "endtry");
  LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntEQ, sj,
                                      LLVMConstInt(cg->t_i32, 0, 0), ""),
                  tryb, caught);
  LLVMPositionBuilderAtEnd(f->b, tryb);
  f->finally[f->ntries] = NULL;
  f->tries[f->ntries++] = t;
  body_stmts(f, n->body, n->nbody);
  f->ntries--;
  rt1(f, "tr_try_pop", t);
  body_stmts(f, n->orelse, n->norelse);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, caught);
  LLVMValueRef kind = body_call(f, "tr_try_caught", cg->t_i64, &cg->t_ptr, 1,
                                &t);
  for (int i = 0; i < n->nitems; i++) {
    Node *h = n->items[i];
    NodeInfo *hi = body_info(f, h);
    LLVMBasicBlockRef hb = body_block(f, "except"),
                      next = body_block(f, "except.next");
    LLVMValueRef hit = LLVMBuildAnd(f->b, kind, body_i64(f, hi->method), "");
    LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntNE, hit, body_i64(f, 0),
                                        ""),
                    hb, next);
    LLVMPositionBuilderAtEnd(f->b, hb);
    if (hi->args) {
      LLVMValueRef s = body_call(f, "tr_exc_str", cg->t_ptr, NULL, 0, NULL);
      body_assign(f, hi->args[0], s, ty_str, true);
    }
    body_stmts(f, h->body, h->nbody);
    LLVMBuildBr(f->b, end);
    LLVMPositionBuilderAtEnd(f->b, next);
  }
  body_call(f, "tr_reraise", cg->t_void, &cg->t_i64, 1, &kind);
  LLVMBuildUnreachable(f->b);
  LLVMPositionBuilderAtEnd(f->b, end);
}

void body_raise(FnBody *f, Node *n) {
  Cg *cg = f->cg;
  NodeInfo *ni = body_info(f, n);
  LLVMValueRef msg = ni->args ? body_expr(f, ni->args[0])
                              : LLVMConstNull(cg->t_ptr);
  bool owned = ni->args && body_is_fresh(f, ni->args[0]);
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_ptr, cg->t_i1};
  LLVMValueRef av[] = {body_i64(f, ni->method), msg, body_bool(f, owned)};
  body_call(f, "tr_raise", cg->t_void, pt, 3, av);
  LLVMBuildUnreachable(f->b);
  LLVMPositionBuilderAtEnd(f->b, body_block(f, "dead"));
}
