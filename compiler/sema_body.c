/* sema_body.c - statements of a function body: locals, definite
 * assignment, loops, returns.
 *
 * One forward pass in source order. A local gets its type from its first
 * assignment and keeps it. A local read where it may not have been assigned
 * on every path is an error (there is no UnboundLocalError at run time).
 * Blocks report whether control can reach their end, which decides whether
 * the function can fall off its end and return None. */
#include <string.h>

#include "sema_impl.h"

const char *sema_pyname(Type *t) {
  switch (t->kind) {
  case TY_NONE: return "NoneType";
  case TY_LIST: return "list";
  case TY_TUPLE: return "tuple";
  case TY_DICT: return "dict";
  default: return ty_name(t);
  }
}

int sema_local_find(Checker *c, const char *name) {
  /* the newest first: a comprehension's variable shadows a local */
  for (int i = c->info->nlocals - 1; i >= 0; i--)
    if (!strcmp(c->info->locals[i].name, name))
      return i;
  return -1;
}

int sema_local_add(Checker *c, const char *name, Type *t, int line) {
  BodyInfo *bi = c->info;
  if (bi->nlocals == c->cap_locals) {
    int cap = c->cap_locals ? 2 * c->cap_locals : 16;
    bi->locals = arena_realloc(c->a, bi->locals,
                               sizeof(Local) * (size_t)c->cap_locals,
                               sizeof(Local) * (size_t)cap);
    c->defined = arena_realloc(c->a, c->defined, (size_t)c->cap_locals,
                               (size_t)cap);
    c->cap_locals = cap;
  }
  bi->locals[bi->nlocals] = (Local){.name = name, .type = t, .line = line};
  c->defined[bi->nlocals] = false;
  return bi->nlocals++;
}

/* ---- definite assignment: snapshots of `defined` ---- */

typedef struct Snap {
  bool *d;
  int n;
} Snap;

static Snap snap(Checker *c) {
  Snap s = {ARENA_ARRAY(c->a, bool, c->info->nlocals + 1), c->info->nlocals};
  memcpy(s.d, c->defined, (size_t)s.n);
  return s;
}

static void restore(Checker *c, Snap s) {
  for (int i = 0; i < c->info->nlocals; i++)
    c->defined[i] = i < s.n && s.d[i];
}

/* defined = defined && s */
static void meet(Checker *c, Snap s) {
  for (int i = 0; i < c->info->nlocals; i++)
    c->defined[i] = c->defined[i] && i < s.n && s.d[i];
}

/* ---- assignment ---- */

/* [] or {}: the element (key, value) types come from later uses */
static bool is_empty_list(const Node *n) {
  return n && (n->kind == N_LIST || n->kind == N_DICT) && n->nitems == 0;
}

/* Bind name to a value of type t at node target. */
static void assign_name(Checker *c, Node *target, Type *t, bool empty_list) {
  int slot = sema_local_find(c, target->name);
  if (slot < 0) {
    slot = sema_local_add(c, target->name, t, target->loc.line);
    c->info->locals[slot].pending = empty_list;
  } else {
    Local *l = &c->info->locals[slot];
    if (l->type != t) {
      if (l->pending && t->kind == l->type->kind &&
          (t->kind == TY_LIST || t->kind == TY_DICT)) {
        l->type = t;            /* the list's element type is now known */
        l->pending = empty_list;
        l->line = target->loc.line;
      } else if (empty_list && l->type->kind == t->kind) {
        /* xs = [] keeps xs's element type (d = {} its types) */
      } else if (sema_is_num(l->type) && sema_is_num(t) &&
                 (l->type == ty_float || t == ty_float)) {
        diag_error(target->loc, "variable '%s' is %s (line %d) but is "
                   "assigned %s here; a variable keeps one type: start it "
                   "as a float (e.g. 0.0) or convert with float()",
                   l->name, ty_name(l->type), l->line, ty_name(t));
      } else {
        diag_error(target->loc, "variable '%s' is %s (line %d) but is "
                   "assigned %s here; a variable keeps one type", l->name,
                   ty_name(l->type), l->line, ty_name(t));
      }
    }
  }
  NodeInfo *ni = sema_note(c, target);
  ni->slot = slot;
  ni->type = c->info->locals[slot].type;
  c->defined[slot] = true;
}

/* xs[i] = v */
static void assign_item(Checker *c, Node *target, Type *t) {
  Type *lt = sema_expr(c, target->lhs);
  if (lt->kind == TY_DICT) {
    sema_set_type(c, target, sema_dict_store(c, target, lt, t));
    return;
  }
  if (target->rhs->kind == N_SLICE)
    diag_error(target->loc, "slice assignment is not supported in function "
               "bodies");
  if (lt->kind != TY_LIST)
    diag_error(target->loc, "'%s' object does not support item assignment",
               sema_pyname(lt));
  Type *it = sema_expr(c, target->rhs);
  if (it != ty_int && it != ty_bool)
    diag_error(target->rhs->loc, "list indices must be integers, not %s",
               sema_pyname(it));
  if (lt->elem->kind == TY_ANY || !sema_accepts(lt->elem, t))
    diag_error(target->loc, "cannot store %s in a %s", ty_name(t),
               ty_name(lt));
  sema_set_type(c, target, lt->elem);
}

void sema_check_unpack(Checker *c, Node *target, Type *t) {
  if (t->kind != TY_TUPLE)
    diag_error(target->loc, "cannot unpack %s in a function body (only "
               "tuples)", ty_name(t));
  if (t->n != target->nitems)
    diag_error(target->loc, "cannot unpack a tuple of %d values into %d "
               "names", t->n, target->nitems);
  sema_set_type(c, target, t);
}

static void assign(Checker *c, Node *target, Node *value, Type *t) {
  switch (target->kind) {
  case N_NAME:
    assign_name(c, target, t, is_empty_list(value));
    return;
  case N_SUBSCRIPT:
    assign_item(c, target, t);
    return;
  case N_TUPLE:
  case N_LIST:
    sema_check_unpack(c, target, t);
    for (int i = 0; i < target->nitems; i++)
      assign(c, target->items[i], NULL, t->elems[i]);
    return;
  default:
    diag_error(target->loc, "cannot assign to this expression in a function "
               "body");
  }
}

static void stmt_assign(Checker *c, Node *n) {
  if (sema_lambda_assign(c, n)) /* sema_lambda.c */
    return;
  Type *t = sema_expr(c, n->rhs);
  if (t->kind == TY_ANY) /* json.loads(s): only a run-time type */
    diag_error(n->rhs->loc, "this value's type is known only at run time: a "
               "function body can return it or pass it to json.dumps()");
  if (t == ty_none && n->rhs->kind == N_CALL)
    diag_error(n->rhs->loc, "this call returns None; its result cannot be "
               "assigned");
  for (int i = 0; i < n->nitems; i++)
    assign(c, n->items[i], n->rhs, t);
}

static void stmt_annassign(Checker *c, Node *n) {
  Type *want = sema_annotation(c->a, n->annot);
  if (!want || want->kind == TY_ANY)
    diag_error(n->annot->loc, "unsupported type annotation");
  if (n->lhs->kind != N_NAME)
    diag_error(n->lhs->loc, "only a name can be annotated in a function "
               "body");
  int slot = sema_local_find(c, n->lhs->name);
  if (slot < 0)
    slot = sema_local_add(c, n->lhs->name, want, n->lhs->loc.line);
  else if (c->info->locals[slot].type != want)
    diag_error(n->lhs->loc, "variable '%s' is %s (line %d), not %s",
               n->lhs->name, ty_name(c->info->locals[slot].type),
               c->info->locals[slot].line, ty_name(want));
  NodeInfo *ni = sema_note(c, n->lhs);
  ni->slot = slot;
  ni->type = want;
  sema_set_type(c, n, want);
  if (!n->rhs)
    return;
  Type *t = sema_expr(c, n->rhs);
  if (!sema_accepts(want, t) || (t->kind == TY_ANY && !is_empty_list(n->rhs)))
    diag_error(n->rhs->loc, "variable '%s' is declared %s but is assigned %s",
               n->lhs->name, ty_name(want), ty_name(t));
  c->defined[slot] = true;
}

Type *sema_binop(Checker *c, OpCode op, Type *l, Type *r, Loc loc);

static void stmt_augassign(Checker *c, Node *n) {
  Type *lt;
  if (n->lhs->kind == N_NAME) {
    lt = sema_expr(c, n->lhs);
  } else if (n->lhs->kind == N_SUBSCRIPT) {
    lt = sema_expr(c, n->lhs);
    Type *base = sema_note(c, n->lhs->lhs)->type;
    if (base->kind != TY_LIST && base->kind != TY_DICT)
      diag_error(n->lhs->loc, "'%s' object does not support item assignment",
                 sema_pyname(base));
  } else {
    diag_error(n->lhs->loc, "cannot assign to this expression in a function "
               "body");
  }
  Type *rt = sema_expr(c, n->rhs);
  Type *t = sema_binop(c, n->op, lt, rt, n->loc);
  if (t != lt) {
    if (sema_is_num(lt) && sema_is_num(t))
      diag_error(n->loc, "'%s %s= ...' makes %s from %s; a variable keeps "
                 "one type: start it as a float (e.g. 0.0) or convert with "
                 "float()", n->lhs->kind == N_NAME ? n->lhs->name : "item",
                 ast_opcode_str(n->op), ty_name(t), ty_name(lt));
    diag_error(n->loc, "'%s=' makes %s from %s; a variable keeps one type",
               ast_opcode_str(n->op), ty_name(t), ty_name(lt));
  }
  sema_set_type(c, n, t);
}

/* ---- control flow ---- */

static bool block(Checker *c, Node **body, int n);

static bool stmt_if(Checker *c, Node *n) {
  sema_cond(c, n->cond);
  Snap before = snap(c);
  bool then_falls = block(c, n->body, n->nbody);
  Snap after_then = snap(c);
  restore(c, before);
  bool else_falls = block(c, n->orelse, n->norelse);
  if (then_falls && else_falls)
    meet(c, after_then);
  else if (then_falls)
    restore(c, after_then);
  return then_falls || else_falls;
}

static bool is_true_const(const Node *n) {
  return n->kind == N_TRUE || (n->kind == N_INT && (n->ival != 0 || n->str));
}

/* Is there a `break` of this loop (not of an inner one) in body? Iterative
 * over the statement lists would need a stack; nesting is bounded by the
 * parser's depth limit, so plain recursion is safe here. */
static bool has_break(Node **body, int n) {
  for (int i = 0; i < n; i++) {
    Node *s = body[i];
    if (s->kind == N_BREAK)
      return true;
    if ((s->kind == N_IF || s->kind == N_TRY) &&
        (has_break(s->body, s->nbody) || has_break(s->orelse, s->norelse)))
      return true;
    for (int k = 0; s->kind == N_TRY && k < s->nitems; k++)
      if (has_break(s->items[k]->body, s->items[k]->nbody))
        return true;
  }
  return false;
}

static bool loop_body(Checker *c, Node *n) {
  if (n->norelse)
    diag_error(n->orelse[0]->loc, "'else' after a loop is not supported in "
               "function bodies");
  Snap before = snap(c);
  c->loops++;
  block(c, n->body, n->nbody);
  c->loops--;
  restore(c, before); /* the body may run zero times */
  return true;
}

static bool stmt_while(Checker *c, Node *n) {
  sema_cond(c, n->cond);
  loop_body(c, n);
  /* `while True:` without break never ends normally */
  return !is_true_const(n->cond) || has_break(n->body, n->nbody);
}

static bool is_range_call(Checker *c, Node *e) {
  return e->kind == N_CALL && e->lhs->kind == N_NAME &&
         !strcmp(e->lhs->name, "range") &&
         sema_local_find(c, "range") < 0 && !sema_find_func(c->g, "range");
}

static bool stmt_for(Checker *c, Node *n) {
  Node *it = n->rhs;
  Type *elem;
  NodeInfo *ni = sema_note(c, n);
  if (is_range_call(c, it)) {
    if (it->nkws || it->nitems < 1 || it->nitems > 3)
      diag_error(it->loc, "range() takes 1 to 3 integer arguments");
    for (int i = 0; i < it->nitems; i++) {
      Type *t = sema_expr(c, it->items[i]);
      if (t != ty_int && t != ty_bool)
        diag_error(it->items[i]->loc, "'%s' object cannot be interpreted as "
                   "an integer", sema_pyname(t));
    }
    ni->method = SEMA_M_RANGE;
    elem = ty_int;
  } else {
    elem = sema_iter(c, it); /* sema_comp.c */
    NodeInfo *ii = sema_note(c, it);
    Type *t = ii->type;
    ni->type = t;
    if (ii->method || (t->kind != TY_LIST && t != ty_str))
      ni->method = SEMA_M_ITER;
  }
  if (n->lhs->kind != N_NAME && n->lhs->kind != N_TUPLE)
    diag_error(n->lhs->loc, "a for loop target must be a name");
  Snap before = snap(c);
  assign(c, n->lhs, NULL, elem);
  loop_body(c, n);
  restore(c, before);
  return true;
}

static void stmt_return(Checker *c, Node *n) {
  if (c->guessing) {
    sema_recur_return(c, n);
    return;
  }
  Type *t = n->lhs ? sema_expr(c, n->lhs) : ty_none;
  sema_no_set(n, t, "be returned"); /* sema_dict.c */
  sema_set_type(c, n, t);
  Func *fn = c->spec->fn;
  if (fn->ret_type) {
    if (!sema_accepts(fn->ret_type, t))
      diag_error(n->loc, "function '%s' is annotated to return %s but "
                 "returns %s", sema_fn_name(fn), ty_name(fn->ret_type),
                 ty_name(t));
    return;
  }
  if (t->kind == TY_ANY && !sema_note(c, n->lhs)->op)
    diag_error(n->loc, "the returned value has no single type");
  if (!c->ret) {
    c->ret = t;
    c->ret_line = n->loc.line;
  } else if (c->ret != t) {
    diag_error(n->loc, "function '%s' returns %s on line %d but %s on line "
               "%d%s", sema_fn_name(fn), ty_name(c->ret), c->ret_line,
               ty_name(t), n->loc.line,
               sema_is_num(c->ret) && sema_is_num(t)
                   ? "; convert with float() so it returns one type" : "");
  }
}

/* try/except/else: a handler starts from what was assigned before the
 * try (the failure may come at any point of it); after the statement,
 * what every branch that falls through assigned. */
/* defined = defined || s */
static void join(Checker *c, Snap s) {
  for (int i = 0; i < c->info->nlocals; i++)
    c->defined[i] = c->defined[i] || (i < s.n && s.d[i]);
}

/* try: B finally: F (parse.c: an N_TRY without handlers, F in orelse). F
 * may run after B failed anywhere, so it sees only what was assigned
 * before the try; after the statement both B's and F's assignments hold. */
static bool stmt_finally(Checker *c, Node *n) {
  Snap before = snap(c);
  bool body_falls = block(c, n->body, n->nbody);
  Snap after_body = snap(c);
  restore(c, before);
  bool fin_falls = block(c, n->orelse, n->norelse);
  join(c, after_body);
  return body_falls && fin_falls;
}

static bool stmt_try(Checker *c, Node *n) {
  if (!n->nitems)
    return stmt_finally(c, n);
  Snap before = snap(c);
  bool falls = block(c, n->body, n->nbody);
  falls = block(c, n->orelse, n->norelse) && falls;
  Snap acc = snap(c);
  bool have = falls;
  for (int i = 0; i < n->nitems; i++) {
    Node *h = n->items[i];
    restore(c, before);
    NodeInfo *hi = sema_note(c, h);
    hi->method = (int)sema_exc_mask(c, h->lhs); /* sema_try.c */
    if (h->name) { /* e is str(e) */
      Node *e = ARENA_NEW(c->a, Node);
      e->kind = N_NAME;
      e->loc = h->loc;
      e->name = h->name;
      assign_name(c, e, ty_str, false);
      hi->args = ARENA_ARRAY(c->a, Node *, 1);
      hi->args[0] = e;
    }
    if (block(c, h->body, h->nbody)) {
      if (have)
        meet(c, acc);
      acc = snap(c);
      have = true;
    }
  }
  if (have)
    restore(c, acc);
  return have;
}

/* Returns whether control can reach the end of the statement. */
static bool stmt(Checker *c, Node *n) {
  switch (n->kind) {
  case N_EXPR:
    sema_expr(c, n->lhs);
    return true;
  case N_ASSIGN:
    stmt_assign(c, n);
    return true;
  case N_ANNASSIGN:
    stmt_annassign(c, n);
    return true;
  case N_AUGASSIGN:
    stmt_augassign(c, n);
    return true;
  case N_IF:
    return stmt_if(c, n);
  case N_WHILE:
    return stmt_while(c, n);
  case N_TRY:
    return stmt_try(c, n);
  case N_RAISE:
    sema_raise(c, n); /* sema_try.c */
    return false;
  case N_FOR:
    return stmt_for(c, n);
  case N_BREAK:
  case N_CONTINUE:
    if (!c->loops)
      diag_error(n->loc, "'%s' outside loop",
                 n->kind == N_BREAK ? "break" : "continue");
    return false;
  case N_PASS:
    return true;
  case N_RETURN:
    stmt_return(c, n);
    return false;
  case N_ASSERT:
    sema_cond(c, n->cond ? n->cond : n->lhs);
    if (n->cond && n->lhs && sema_expr(c, n->lhs) != ty_str)
      diag_error(n->lhs->loc, "the message of an assert must be a str");
    return true;
  case N_DEF:
    sema_nested_def(c, n); /* sema_lambda.c */
    return true;
  case N_IMPORT:
  case N_FROMIMPORT:
    diag_error(n->loc, "import inside a function body: move it to the top "
               "level");
  case N_GLOBAL:
    diag_error(n->loc, "'global' is not supported in function bodies");
  case N_DEL:
    diag_error(n->loc, "'del' is not supported in function bodies");
  default:
    diag_error(n->loc, "this statement is not supported in function bodies");
  }
}

static bool block(Checker *c, Node **body, int n) {
  bool falls = true;
  for (int i = 0; i < n; i++)
    if (!(c->guessing ? sema_recur_stmt(c, body[i], stmt) : stmt(c, body[i])))
      falls = false; /* the rest is dead code; still checked */
  return falls;
}

void sema_check_body(Sema *sema, Spec *s, bool guessing) {
  Func *fn = s->fn;
  Node *def = fn->def;
  Graph *g = sema->g;
  Checker c = {.sema = sema, .g = g, .a = g->arena, .spec = s,
               .guessing = guessing};
  c.info = ARENA_NEW(g->arena, BodyInfo);
  s->info = c.info;
  for (int i = 0; i < fn->nparams; i++) {
    int slot = sema_local_add(&c, fn->param_names[i], s->params[i],
                              def && i < def->nparams ? def->params[i].loc.line
                                                      : fn->loc.line);
    c.defined[slot] = true;
  }
  if (!def)
    diag_error(fn->loc, "function '%s' has no body", sema_fn_name(fn));
  sema_nested_self(&c, fn);
  bool falls = block(&c, def->body, def->nbody);
  if (guessing) {
    if (!s->guess && falls)
      s->guess = ty_none; /* no return: it returns None */
    return;
  }
  Type *ret = c.ret;
  if (falls && ret && ret != ty_none)
    diag_error(def->loc, "function '%s' returns %s on line %d but None at "
               "its end", sema_fn_name(fn), ty_name(ret), c.ret_line);
  if (!ret)
    ret = ty_none;
  if (fn->ret_type) {
    if (falls && !sema_accepts(fn->ret_type, ty_none))
      diag_error(def->loc, "function '%s' is annotated to return %s but can "
                 "reach its end (returning None)", sema_fn_name(fn),
                 ty_name(fn->ret_type));
    ret = fn->ret_type;
  }
  s->ret = ret;
}
