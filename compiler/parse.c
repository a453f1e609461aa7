/* parse.c - recursive-descent parser for the Python subset of .tg files.
 *
 * The grammar follows Python's (precedence from loosest to tightest):
 *   lambda < x if c else y < or < and < not < comparisons < | < ^ < & <
 *   << >> < + - < * / // % @ < unary - + ~ < ** < primary (calls,
 *   attributes, subscripts) < atoms.
 *
 * Depth: every path that recurses (brackets, unary operators, lambda, the
 * else-branch of a conditional, nested blocks, elif) goes through enter(),
 * and so does every extra link of a left-associative chain of calls,
 * attributes or `and`/`or` (`x.f().g()`), because the tree those build is
 * as deep as the chain and later stages walk it recursively. Chains of
 * binary operators (`a + b + c`, 100,000 terms) are not limited: every
 * stage walks their left spine in a loop (eval_expr.c binop_chain, sema,
 * codegen bodies, purity, the AST dump). The limit is PARSE_MAX_DEPTH (1000:
 * with ~1.5 KB of stack per level in the deepest stage, main.c's 64 MB
 * compiler thread has room to spare).
 *
 * Locations: binary, boolean and comparison nodes point at their (first)
 * operator, so a run-time "division by zero" can show the `/`; every other
 * node points at its first character. */
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "lex.h"

/* Tokens come from the lexer one at a time into a small ring: the current
 * one, one of lookahead, and the few just consumed (a parse function may
 * still read the token it has just stepped over). */
enum { RING = 8 };

typedef struct Parser {
  Arena *a;
  Lexer *lx;
  Token ring[RING];
  int pos;
  Token *t; /* the current token, ring[pos] */
  int depth;
} Parser;

typedef struct NodeVec {
  Node **v;
  int n, cap;
} NodeVec;

static Node *expr(Parser *P);
static Node *or_test(Parser *P);
static Node *bitor_expr(Parser *P);
static Node *factor(Parser *P);
static void statement(Parser *P, NodeVec *out);

/* ---- helpers ---- */

static void vpush(Parser *P, NodeVec *v, Node *n) {
  if (v->n == v->cap) {
    int ncap = v->cap ? v->cap * 2 : 4;
    v->v = arena_realloc(P->a, v->v, sizeof(Node *) * (size_t)v->cap,
                         sizeof(Node *) * (size_t)ncap);
    v->cap = ncap;
  }
  v->v[v->n++] = n;
}

static Node *new_node(Parser *P, NodeKind kind, Loc loc) {
  Node *n = ARENA_NEW(P->a, Node);
  n->kind = kind;
  n->loc = loc;
  return n;
}

static Node *binop(Parser *P, NodeKind kind, OpCode op, Loc loc, Node *lhs,
                   Node *rhs) {
  Node *n = new_node(P, kind, loc);
  n->op = op;
  n->lhs = lhs;
  n->rhs = rhs;
  return n;
}

static bool is(Parser *P, const char *s) { return lex_tok_is(P->t, s); }
static bool is_kind(Parser *P, TokenKind k) { return P->t->kind == k; }
static Token *ahead(Parser *P) { return &P->ring[(P->pos + 1) % RING]; }
static void next(Parser *P) {
  if (P->t->kind == TK_EOF)
    return;
  P->pos = (P->pos + 1) % RING;
  P->t = &P->ring[P->pos];
  *ahead(P) = lex_next(P->lx);
}
static bool accept(Parser *P, const char *s) {
  if (!is(P, s))
    return false;
  next(P);
  return true;
}

/* Errors at the current token. A few tokens get their own message because
 * they are things people write that the subset leaves out. */
static _Noreturn void unexpected(Parser *P, const char *msg) {
  Token *t = P->t;
  if (lex_tok_is(t, ":="))
    diag_error(t->loc, "assignment expressions (':=') are not supported");
  if (lex_tok_is(t, "yield"))
    diag_error(t->loc, "'yield' is not supported");
  if (lex_tok_is(t, "await") || lex_tok_is(t, "async"))
    diag_error(t->loc, "async and await are not supported");
  if (t->kind == TK_INDENT)
    diag_error(t->loc, "unexpected indent");
  diag_error(t->loc, "%s", msg);
}

static void expect(Parser *P, const char *s) {
  if (!accept(P, s))
    unexpected(P, arena_printf(P->a, "expected '%s'", s));
}

static void enter(Parser *P) {
  if (++P->depth > PARSE_MAX_DEPTH)
    diag_error(P->t->loc, "too deeply nested");
}
static void leave(Parser *P) { P->depth--; }

/* Can t begin an expression? Used to tell `a, b` from a trailing comma. */
static bool starts_expr(const Token *t) {
  static const char *starts[] = {"(", "[", "{", "-", "+", "~", "*", "...",
                                 "not", "lambda", "True", "False", "None",
                                 "yield", "await"};
  if (t->kind == TK_NAME || t->kind == TK_INT || t->kind == TK_FLOAT ||
      t->kind == TK_STR || t->kind == TK_FSTR)
    return true;
  for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
    if (lex_tok_is(t, starts[i]))
      return true;
  return false;
}

static bool at_stmt_end(Parser *P) {
  return is_kind(P, TK_NEWLINE) || is_kind(P, TK_EOF) || is(P, ";");
}

/* ---- assignment targets ---- */

static const char *describe(const Node *e) {
  switch (e->kind) {
  case N_INT: case N_FLOAT: case N_STR: return "literal";
  case N_TRUE: return "True";
  case N_FALSE: return "False";
  case N_NONE: return "None";
  case N_ELLIPSIS: return "ellipsis";
  case N_CALL: return "function call";
  case N_COMPARE: return "comparison";
  case N_IFEXP: return "conditional expression";
  case N_LAMBDA: return "lambda";
  case N_DICT: return "dict literal";
  case N_SET: return "set display";
  case N_LISTCOMP: return "list comprehension";
  case N_DICTCOMP: return "dict comprehension";
  case N_TUPLE: return "tuple";
  case N_LIST: return "list";
  case N_STARRED: return "starred";
  default: return "expression";
  }
}

/* verb is "assign to" or "delete". */
static void check_target(Node *e, const char *verb) {
  switch (e->kind) {
  case N_NAME: case N_ATTR: case N_SUBSCRIPT:
    return;
  case N_TUPLE: case N_LIST: {
    int stars = 0;
    for (int i = 0; i < e->nitems; i++) {
      Node *x = e->items[i];
      if (x->kind == N_STARRED && *verb == 'a') {
        if (++stars > 1)
          diag_error(x->loc, "multiple starred expressions in assignment");
        check_target(x->lhs, verb);
      } else {
        check_target(x, verb);
      }
    }
    return;
  }
  case N_STARRED:
    if (*verb == 'a')
      diag_error(e->loc, "starred assignment target must be in a list or "
                 "tuple");
    /* fall through */
  default:
    diag_error(e->loc, "cannot %s %s", verb, describe(e));
  }
}

/* ---- atoms ---- */

/* An f-string field's expression, parsed from its source span by a parser
 * of its own. */
static Node *tuple_or(Parser *P, Node *(*elem)(Parser *));
static Node *fstring_expr(Parser *P, const FPart *f) {
  Parser sub = {.a = P->a, .depth = P->depth,
                .lx = lex_open_span(P->a, f->loc.file, f->expr, f->expr + f->exprn, f->loc, f->bol)};
  sub.ring[0] = lex_next(sub.lx);
  sub.ring[1] = lex_next(sub.lx);
  sub.t = &sub.ring[0];
  Node *e = tuple_or(&sub, expr);
  if (!is_kind(&sub, TK_NEWLINE))
    unexpected(&sub, "f-string: invalid syntax");
  return e;
}

/* The pieces of an f-string (or of a field's spec) appended to v; lit
 * collects literal text until a field needs it flushed as an N_STR. */
typedef struct StrAcc {
  char *s;
  size_t len, cap;
} StrAcc;

static void acc_put(Parser *P, StrAcc *b, const char *s, size_t n, Loc loc) {
  if (b->len + n > 0x7fffffff)
    diag_error(loc, "string literal is too long");
  if (b->len + n + 1 > b->cap) {
    size_t ncap = b->cap * 2 > b->len + n + 1 ? b->cap * 2 : b->len + n + 1;
    b->s = arena_realloc(P->a, b->s, b->cap, ncap);
    b->cap = ncap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void acc_flush(Parser *P, StrAcc *b, NodeVec *v, Loc loc, bool always) {
  if (!b->len && !always)
    return;
  Node *n = new_node(P, N_STR, loc);
  n->str = b->s ? b->s : "";
  n->len = (int)b->len;
  vpush(P, v, n);
  *b = (StrAcc){0};
}

static Node *fstring_node(Parser *P, NodeVec *v, Loc loc);
static void fparts(Parser *P, const FPart *parts, int n, StrAcc *b, NodeVec *v, Loc loc) {
  for (int i = 0; i < n; i++) {
    const FPart *f = &parts[i];
    acc_put(P, b, f->lit, (size_t)f->litn, loc);
    if (!f->field)
      continue;
    acc_flush(P, b, v, loc, false);
    Node *fld = new_node(P, N_FFIELD, f->loc);
    fld->lhs = fstring_expr(P, f);
    fld->ival = f->conv;
    if (f->has_spec) {
      NodeVec sv = {0};
      StrAcc sb = {0};
      fparts(P, f->spec, f->nspec, &sb, &sv, f->loc);
      acc_flush(P, &sb, &sv, f->loc, sv.n == 0);
      fld->rhs = sv.n == 1 && sv.v[0]->kind == N_STR ? sv.v[0] : fstring_node(P, &sv, f->loc);
    }
    vpush(P, v, fld);
  }
}

static Node *fstring_node(Parser *P, NodeVec *v, Loc loc) {
  Node *n = new_node(P, N_FSTRING, loc);
  n->items = v->v;
  n->nitems = v->n;
  return n;
}

/* Adjacent string literals are one string: 'a' "b" == 'ab'; with an
 * f-string among them they are one N_FSTRING of literal pieces and fields. */
static Node *strings(Parser *P) {
  Loc loc = P->t->loc;
  StrAcc b = {0};
  NodeVec v = {0};
  bool fields = false;
  for (; is_kind(P, TK_STR) || is_kind(P, TK_FSTR); next(P)) {
    if (is_kind(P, TK_STR)) {
      acc_put(P, &b, P->t->str, (size_t)P->t->slen, loc);
    } else {
      int before = v.n;
      fparts(P, P->t->fparts, P->t->nfparts, &b, &v, loc);
      fields = fields || v.n > before;
    }
  }
  if (!fields) {
    Node *n = new_node(P, N_STR, loc);
    n->str = b.s ? b.s : "";
    n->len = (int)b.len;
    return n;
  }
  acc_flush(P, &b, &v, loc, false);
  return fstring_node(P, &v, loc);
}

/* `elt for x in xs if c for y in ys` after the element: the N_COMPFORs. */
static Node *target_list(Parser *P);
static void comp_fors(Parser *P, Node *n) {
  NodeVec comps = {0};
  while (is(P, "for") || is(P, "async")) {
    if (is(P, "async"))
      unexpected(P, "");
    Node *c = new_node(P, N_COMPFOR, P->t->loc);
    next(P);
    c->lhs = target_list(P);
    check_target(c->lhs, "assign to");
    expect(P, "in");
    c->rhs = or_test(P);
    NodeVec conds = {0};
    while (accept(P, "if"))
      vpush(P, &conds, or_test(P));
    c->items = conds.v;
    c->nitems = conds.n;
    vpush(P, &comps, c);
  }
  n->comps = comps.v;
  n->ncomps = comps.n;
}

/* `(e for x in xs)`: a generator expression is an N_LISTCOMP marked
 * len = 1 (ast.h); taskc evaluates it as the list it would yield. */
static Node *genexp(Parser *P, Node *first) {
  if (first->kind == N_STARRED)
    diag_error(first->loc, "iterable unpacking cannot be used in "
               "comprehension");
  Node *n = new_node(P, N_LISTCOMP, first->loc);
  n->lhs = first;
  n->len = 1;
  comp_fors(P, n);
  return n;
}

/* An element of a display or call: `*x` or an expression. */
static Node *star_or_expr(Parser *P) {
  if (is(P, "*")) {
    Node *n = new_node(P, N_STARRED, P->t->loc);
    next(P);
    n->lhs = bitor_expr(P);
    return n;
  }
  return expr(P);
}

/* Comma-separated elements up to close; first is already parsed. */
static void elements(Parser *P, NodeVec *v, Node *first, const char *close) {
  vpush(P, v, first);
  while (accept(P, ",")) {
    if (is(P, close))
      break;
    vpush(P, v, star_or_expr(P));
  }
  if (!accept(P, close))
    unexpected(P, arena_printf(P->a, "expected ',' or '%s'", close));
}

static Node *paren(Parser *P) {
  Node *n = new_node(P, N_TUPLE, P->t->loc);
  next(P);
  if (accept(P, ")"))
    return n;
  Node *first = star_or_expr(P);
  if (is(P, "for")) {
    first = genexp(P, first);
    expect(P, ")");
    return first;
  }
  if (accept(P, ")")) {
    if (first->kind == N_STARRED)
      diag_error(first->loc, "cannot use starred expression here");
    return first;
  }
  if (!is(P, ","))
    unexpected(P, "expected ',' or ')'");
  NodeVec v = {0};
  elements(P, &v, first, ")");
  n->items = v.v;
  n->nitems = v.n;
  return n;
}

static Node *list(Parser *P) {
  Node *n = new_node(P, N_LIST, P->t->loc);
  next(P);
  if (accept(P, "]"))
    return n;
  Node *first = star_or_expr(P);
  if (is(P, "for")) {
    n->kind = N_LISTCOMP;
    n->lhs = first;
    comp_fors(P, n);
    expect(P, "]");
    return n;
  }
  NodeVec v = {0};
  elements(P, &v, first, "]");
  n->items = v.v;
  n->nitems = v.n;
  return n;
}

/* One `key: value` or `**mapping` of a dict display. */
static void dict_item(Parser *P, NodeVec *keys, NodeVec *vals) {
  if (accept(P, "**")) {
    vpush(P, keys, NULL);
    vpush(P, vals, bitor_expr(P));
    return;
  }
  Node *k = expr(P);
  expect(P, ":");
  vpush(P, keys, k);
  vpush(P, vals, expr(P));
}

static Node *brace(Parser *P) {
  Node *n = new_node(P, N_DICT, P->t->loc);
  next(P);
  if (accept(P, "}"))
    return n;
  NodeVec keys = {0}, vals = {0};
  if (is(P, "**")) {
    dict_item(P, &keys, &vals);
  } else {
    Node *first = star_or_expr(P);
    if (!accept(P, ":")) { /* a set */
      n->kind = N_SET;
      if (is(P, "for")) { /* {e for x in xs}: an N_SET with comps */
        if (first->kind == N_STARRED)
          diag_error(first->loc, "iterable unpacking cannot be used in "
                     "comprehension");
        n->lhs = first;
        comp_fors(P, n);
        expect(P, "}");
        return n;
      }
      elements(P, &vals, first, "}");
      n->items = vals.v;
      n->nitems = vals.n;
      return n;
    }
    if (first->kind == N_STARRED)
      diag_error(first->loc, "cannot use a starred expression in a dict");
    Node *value = expr(P);
    if (is(P, "for")) {
      n->kind = N_DICTCOMP;
      n->key = n->rhs = first;
      n->lhs = value;
      comp_fors(P, n);
      expect(P, "}");
      return n;
    }
    vpush(P, &keys, first);
    vpush(P, &vals, value);
  }
  while (accept(P, ",")) {
    if (is(P, "}"))
      break;
    dict_item(P, &keys, &vals);
  }
  if (!accept(P, "}"))
    unexpected(P, "expected ',' or '}'");
  n->keys = keys.v;
  n->nkeys = keys.n;
  n->items = vals.v;
  n->nitems = vals.n;
  return n;
}

static Node *atom(Parser *P) {
  Token *t = P->t;
  Node *n;
  switch (t->kind) {
  case TK_NAME:
    n = new_node(P, N_NAME, t->loc);
    n->name = t->name;
    next(P);
    if (is(P, ":="))
      unexpected(P, "");
    return n;
  case TK_INT:
    n = new_node(P, N_INT, t->loc);
    n->ival = t->ival;
    n->str = t->str; /* the digits of a literal past int64, else NULL */
    n->len = t->slen;
    next(P);
    return n;
  case TK_FLOAT:
    n = new_node(P, N_FLOAT, t->loc);
    n->fval = t->fval;
    next(P);
    return n;
  case TK_STR:
  case TK_FSTR:
    return strings(P);
  default:
    break;
  }
  static const struct { const char *s; NodeKind k; } consts[] = {
      {"True", N_TRUE}, {"False", N_FALSE}, {"None", N_NONE},
      {"...", N_ELLIPSIS}};
  for (int i = 0; i < 4; i++)
    if (is(P, consts[i].s)) {
      next(P);
      return new_node(P, consts[i].k, t->loc);
    }
  if (is(P, "("))
    return paren(P);
  if (is(P, "["))
    return list(P);
  if (is(P, "{"))
    return brace(P);
  unexpected(P, "expected an expression");
}

/* ---- trailers: calls, subscripts, attributes ---- */

static bool kw_seen(NodeVec *kws, const char *name) {
  for (int i = 0; i < kws->n; i++)
    if (kws->v[i]->name && !strcmp(kws->v[i]->name, name))
      return true;
  return false;
}

/* One argument of a call. */
static void argument(Parser *P, NodeVec *args, NodeVec *kws) {
  Loc loc = P->t->loc;
  bool kwunpack = false;
  for (int i = 0; i < kws->n; i++)
    kwunpack |= !kws->v[i]->name;
  if (accept(P, "**")) {
    Node *k = new_node(P, N_KEYWORD, loc);
    k->lhs = expr(P);
    vpush(P, kws, k);
    return;
  }
  if (is_kind(P, TK_NAME) && lex_tok_is(ahead(P), "=")) {
    Node *k = new_node(P, N_KEYWORD, loc);
    k->name = P->t->name;
    if (kw_seen(kws, k->name))
      diag_error(loc, "keyword argument repeated: '%s'", k->name);
    next(P);
    next(P);
    k->lhs = expr(P);
    vpush(P, kws, k);
    return;
  }
  Node *e = star_or_expr(P);
  if (is(P, "="))
    diag_error(e->loc, "expression cannot contain assignment, perhaps you "
               "meant \"==\"?");
  if (is(P, "for")) {
    /* f(e for x in xs): only as the sole argument, as in Python */
    e = genexp(P, e);
    if (args->n || kws->n || !is(P, ")"))
      diag_error(e->loc, "Generator expression must be parenthesized");
  }
  if (kwunpack)
    diag_error(e->loc, e->kind == N_STARRED
                           ? "iterable argument unpacking follows keyword "
                             "argument unpacking"
                           : "positional argument follows keyword argument "
                             "unpacking");
  if (kws->n && e->kind != N_STARRED)
    diag_error(e->loc, "positional argument follows keyword argument");
  vpush(P, args, e);
}

static Node *call(Parser *P, Node *fn) {
  Node *n = new_node(P, N_CALL, fn->loc);
  n->lhs = fn;
  next(P);
  NodeVec args = {0}, kws = {0};
  while (!is(P, ")")) {
    argument(P, &args, &kws);
    if (!accept(P, ","))
      break;
  }
  if (!accept(P, ")"))
    unexpected(P, "expected ',' or ')'");
  n->items = args.v;
  n->nitems = args.n;
  n->kws = kws.v;
  n->nkws = kws.n;
  return n;
}

/* `lo:hi:step` or a plain index. */
static Node *slice_item(Parser *P) {
  Loc loc = P->t->loc;
  Node *lo = is(P, ":") ? NULL : expr(P);
  if (!accept(P, ":"))
    return lo;
  Node *n = new_node(P, N_SLICE, lo ? lo->loc : loc);
  n->lhs = lo;
  if (!is(P, ":") && !is(P, "]") && !is(P, ","))
    n->rhs = expr(P);
  if (accept(P, ":") && !is(P, "]") && !is(P, ","))
    n->els = expr(P);
  return n;
}

static Node *subscript(Parser *P, Node *value) {
  Node *n = new_node(P, N_SUBSCRIPT, value->loc);
  n->lhs = value;
  next(P);
  Loc loc = P->t->loc;
  Node *index = slice_item(P);
  if (is(P, ",")) {
    NodeVec v = {0};
    vpush(P, &v, index);
    while (accept(P, ",") && !is(P, "]"))
      vpush(P, &v, slice_item(P));
    index = new_node(P, N_TUPLE, loc);
    index->items = v.v;
    index->nitems = v.n;
  }
  if (!accept(P, "]"))
    unexpected(P, "expected ']'");
  n->rhs = index;
  return n;
}

static Node *primary(Parser *P) {
  Node *n = atom(P);
  int depth = P->depth;
  for (;;) {
    if (is(P, "(")) {
      enter(P);
      n = call(P, n);
    } else if (is(P, "[")) {
      enter(P);
      n = subscript(P, n);
    } else if (is(P, ".")) {
      enter(P);
      next(P);
      if (!is_kind(P, TK_NAME))
        unexpected(P, "expected an attribute name after '.'");
      Node *a = new_node(P, N_ATTR, n->loc);
      a->lhs = n;
      a->name = P->t->name;
      next(P);
      n = a;
    } else {
      break;
    }
  }
  P->depth = depth;
  return n;
}

/* ---- operators ---- */

static Node *power(Parser *P) {
  Node *n = primary(P);
  if (!is(P, "**"))
    return n;
  Loc loc = P->t->loc;
  next(P);
  enter(P);
  n = binop(P, N_BINOP, OP_POW, loc, n, factor(P));
  leave(P);
  return n;
}

static Node *factor(Parser *P) {
  static const struct { const char *s; OpCode op; } unary[] = {
      {"-", OP_NEG}, {"+", OP_POS}, {"~", OP_INVERT}};
  for (int i = 0; i < 3; i++)
    if (is(P, unary[i].s)) {
      Node *n = new_node(P, N_UNARY, P->t->loc);
      n->op = unary[i].op;
      next(P);
      enter(P);
      n->lhs = factor(P);
      leave(P);
      return n;
    }
  return power(P);
}

/* The left-associative binary levels, loosest first. */
static const struct { const char *s; OpCode op; int level; } binops[] = {
    {"|", OP_BITOR, 0},  {"^", OP_BITXOR, 1}, {"&", OP_BITAND, 2},
    {"<<", OP_LSHIFT, 3}, {">>", OP_RSHIFT, 3}, {"+", OP_ADD, 4},
    {"-", OP_SUB, 4},    {"*", OP_MUL, 5},    {"/", OP_DIV, 5},
    {"//", OP_FLOORDIV, 5}, {"%", OP_MOD, 5}, {"@", OP_MATMUL, 5},
};
enum { LAST_LEVEL = 5 };

static OpCode binop_at(Parser *P, int level) {
  for (size_t i = 0; i < sizeof binops / sizeof *binops; i++)
    if (binops[i].level == level && is(P, binops[i].s))
      return binops[i].op;
  return OP_NONE;
}

static Node *binary(Parser *P, int level) {
  if (level > LAST_LEVEL)
    return factor(P);
  Node *n = binary(P, level + 1);
  for (OpCode op; (op = binop_at(P, level));) {
    Loc loc = P->t->loc;
    next(P);
    n = binop(P, N_BINOP, op, loc, n, binary(P, level + 1));
  }
  return n;
}

static Node *bitor_expr(Parser *P) { return binary(P, 0); }

/* A comparison operator at the current token, consumed; OP_NONE if none. */
static OpCode comp_op(Parser *P) {
  static const struct { const char *s; OpCode op; } ops[] = {
      {"<", OP_LT}, {"<=", OP_LE}, {">", OP_GT}, {">=", OP_GE},
      {"==", OP_EQ}, {"!=", OP_NE}, {"in", OP_IN}};
  for (int i = 0; i < 7; i++)
    if (accept(P, ops[i].s))
      return ops[i].op;
  if (is(P, "not") && lex_tok_is(ahead(P), "in")) {
    next(P);
    next(P);
    return OP_NOTIN;
  }
  if (accept(P, "is"))
    return accept(P, "not") ? OP_ISNOT : OP_IS;
  return OP_NONE;
}

static Node *comparison(Parser *P) {
  Node *first = bitor_expr(P);
  Loc loc = P->t->loc;
  OpCode op = comp_op(P);
  if (!op)
    return first;
  Node *n = new_node(P, N_COMPARE, loc);
  NodeVec items = {0};
  OpCode *ops = NULL;
  int cap = 0;
  vpush(P, &items, first);
  do {
    if (items.n > cap) {
      int ncap = cap ? cap * 2 : 4;
      ops = arena_realloc(P->a, ops, sizeof *ops * (size_t)cap,
                          sizeof *ops * (size_t)ncap);
      cap = ncap;
    }
    ops[items.n - 1] = op;
    vpush(P, &items, bitor_expr(P));
  } while ((op = comp_op(P)));
  n->items = items.v;
  n->nitems = items.n;
  n->ops = ops;
  return n;
}

static Node *not_test(Parser *P) {
  if (!is(P, "not"))
    return comparison(P);
  Node *n = new_node(P, N_UNARY, P->t->loc);
  n->op = OP_NOT;
  next(P);
  enter(P);
  n->lhs = not_test(P);
  leave(P);
  return n;
}

static Node *bool_chain(Parser *P, const char *kw, OpCode op,
                        Node *(*sub)(Parser *)) {
  Node *n = sub(P);
  int depth = P->depth;
  while (is(P, kw)) {
    Loc loc = P->t->loc;
    next(P);
    enter(P);
    n = binop(P, N_BOOLOP, op, loc, n, sub(P));
  }
  P->depth = depth;
  return n;
}

static Node *and_test(Parser *P) {
  return bool_chain(P, "and", OP_AND, not_test);
}
static Node *or_test(Parser *P) { return bool_chain(P, "or", OP_OR, and_test); }

/* ---- lambda and parameters ---- */

static void add_param(Parser *P, Param **ps, int *n, int *cap, Param p) {
  for (int i = 0; i < *n; i++)
    if (!strcmp((*ps)[i].name, p.name))
      diag_error(p.loc, "duplicate argument '%s' in function definition",
                 p.name);
  if (*n && (*ps)[*n - 1].star == 2)
    diag_error(p.loc, "arguments cannot follow var-keyword argument");
  if (!p.star && !p.deflt && *n && (*ps)[*n - 1].deflt)
    diag_error(p.loc, "parameter without a default follows parameter with a "
               "default");
  if (p.star == 1)
    for (int i = 0; i < *n; i++)
      if ((*ps)[i].star == 1)
        diag_error(p.loc, "only one *args parameter is allowed");
  if (*n == *cap) {
    int ncap = *cap ? *cap * 2 : 4;
    *ps = arena_realloc(P->a, *ps, sizeof **ps * (size_t)*cap,
                        sizeof **ps * (size_t)ncap);
    *cap = ncap;
  }
  (*ps)[(*n)++] = p;
}

/* Parameters up to close (")" for def, ":" for lambda). */
static void params(Parser *P, Node *fn, const char *close, bool annotations) {
  Param *ps = NULL;
  int n = 0, cap = 0;
  while (!is(P, close)) {
    Param p = {.loc = P->t->loc};
    if (accept(P, "**"))
      p.star = 2;
    else if (accept(P, "*"))
      p.star = 1;
    if (is(P, "/") || (p.star == 1 && (is(P, ",") || is(P, close))))
      diag_error(p.loc, "keyword-only and positional-only parameter markers "
                 "are not supported");
    if (!is_kind(P, TK_NAME))
      unexpected(P, "expected a parameter name");
    p.name = P->t->name;
    next(P);
    if (annotations && accept(P, ":"))
      p.annot = expr(P);
    if (accept(P, "=")) {
      if (p.star)
        diag_error(p.loc, "var-positional and var-keyword parameters cannot "
                   "have a default");
      p.deflt = expr(P);
    }
    add_param(P, &ps, &n, &cap, p);
    if (!accept(P, ","))
      break;
  }
  fn->params = ps;
  fn->nparams = n;
}

static Node *lambda(Parser *P) {
  Node *n = new_node(P, N_LAMBDA, P->t->loc);
  next(P);
  params(P, n, ":", false);
  expect(P, ":");
  n->lhs = expr(P);
  return n;
}

static Node *expr(Parser *P) {
  enter(P);
  Node *n;
  if (is(P, "lambda")) {
    n = lambda(P);
  } else {
    n = or_test(P);
    if (is(P, "if")) {
      Node *c = new_node(P, N_IFEXP, n->loc);
      next(P);
      c->then = n;
      c->cond = or_test(P);
      if (!accept(P, "else"))
        unexpected(P, "expected 'else' after 'if' expression");
      c->els = expr(P);
      n = c;
    }
  }
  leave(P);
  return n;
}

/* `a, b` builds a tuple; elements may be starred. */
static Node *tuple_or(Parser *P, Node *(*elem)(Parser *)) {
  Node *first = elem(P);
  if (!is(P, ","))
    return first;
  Node *n = new_node(P, N_TUPLE, first->loc);
  NodeVec v = {0};
  vpush(P, &v, first);
  while (accept(P, ",") && starts_expr(P->t))
    vpush(P, &v, elem(P));
  n->items = v.v;
  n->nitems = v.n;
  return n;
}

static Node *exprlist(Parser *P) { return tuple_or(P, star_or_expr); }

/* An exprlist that is a value: a lone `*x` is only allowed inside a tuple. */
static Node *value_list(Parser *P) {
  Node *e = exprlist(P);
  if (e->kind == N_STARRED)
    diag_error(e->loc, "cannot use starred expression here");
  return e;
}

/* A for-target element: `x`, `*x`, `(a, b)`, `a.b` (stops before `in`). */
static Node *target_elem(Parser *P) {
  if (is(P, "*")) {
    Node *n = new_node(P, N_STARRED, P->t->loc);
    next(P);
    n->lhs = bitor_expr(P);
    return n;
  }
  return bitor_expr(P);
}
static Node *target_list(Parser *P) { return tuple_or(P, target_elem); }

/* ---- simple statements ---- */

static Node *expr_stmt(Parser *P) {
  Loc loc = P->t->loc;
  Node *e = exprlist(P);
  if (is(P, "=")) {
    Node *n = new_node(P, N_ASSIGN, loc);
    NodeVec targets = {0};
    while (accept(P, "=")) {
      check_target(e, "assign to");
      vpush(P, &targets, e);
      e = exprlist(P);
    }
    if (e->kind == N_STARRED)
      diag_error(e->loc, "cannot use starred expression here");
    n->items = targets.v;
    n->nitems = targets.n;
    n->rhs = e;
    return n;
  }
  static const struct { const char *s; OpCode op; } aug[] = {
      {"+=", OP_ADD},    {"-=", OP_SUB},      {"*=", OP_MUL},
      {"/=", OP_DIV},    {"//=", OP_FLOORDIV}, {"%=", OP_MOD},
      {"**=", OP_POW},   {"@=", OP_MATMUL},   {"&=", OP_BITAND},
      {"|=", OP_BITOR},  {"^=", OP_BITXOR},   {"<<=", OP_LSHIFT},
      {">>=", OP_RSHIFT}};
  for (size_t i = 0; i < sizeof aug / sizeof *aug; i++)
    if (is(P, aug[i].s)) {
      if (e->kind != N_NAME && e->kind != N_ATTR && e->kind != N_SUBSCRIPT)
        diag_error(e->loc, "'%s' is an illegal expression for augmented "
                   "assignment", describe(e));
      next(P);
      Node *n = binop(P, N_AUGASSIGN, aug[i].op, loc, e, value_list(P));
      return n;
    }
  if (is(P, ":")) {
    if (e->kind == N_TUPLE)
      diag_error(e->loc, "only single target (not tuple) can be annotated");
    if (e->kind != N_NAME && e->kind != N_ATTR && e->kind != N_SUBSCRIPT)
      diag_error(e->loc, "illegal target for annotation");
    next(P);
    Node *n = new_node(P, N_ANNASSIGN, loc);
    n->lhs = e;
    n->annot = expr(P);
    if (accept(P, "="))
      n->rhs = value_list(P);
    return n;
  }
  if (e->kind == N_STARRED)
    diag_error(e->loc, "cannot use starred expression here");
  Node *n = new_node(P, N_EXPR, loc);
  n->lhs = e;
  return n;
}

/* A dotted name `a.b.c`, as one string. */
static const char *dotted_name(Parser *P) {
  if (!is_kind(P, TK_NAME))
    unexpected(P, "expected a module name");
  const char *s = P->t->name;
  next(P);
  while (accept(P, ".")) {
    if (!is_kind(P, TK_NAME))
      unexpected(P, "expected a name after '.'");
    s = arena_printf(P->a, "%s.%s", s, P->t->name);
    next(P);
  }
  return s;
}

static const char *as_name(Parser *P) {
  if (!accept(P, "as"))
    return NULL;
  if (!is_kind(P, TK_NAME))
    unexpected(P, "expected a name after 'as'");
  const char *s = P->t->name;
  next(P);
  return s;
}

static void import_stmt(Parser *P, NodeVec *out) {
  next(P);
  do {
    Node *n = new_node(P, N_IMPORT, P->t->loc);
    n->name = dotted_name(P);
    n->asname = as_name(P);
    vpush(P, out, n);
  } while (accept(P, ","));
}

static void from_stmt(Parser *P, NodeVec *out) {
  next(P);
  if (is(P, ".") || is(P, "..."))
    diag_error(P->t->loc, "relative imports are not supported");
  const char *module = dotted_name(P);
  expect(P, "import");
  if (is(P, "*"))
    diag_error(P->t->loc, "'from ... import *' is not supported; name what "
               "you import");
  bool paren = accept(P, "(");
  do {
    if (paren && is(P, ")"))
      break;
    Node *n = new_node(P, N_FROMIMPORT, P->t->loc);
    n->str = module;
    n->len = (int)strlen(module);
    if (!is_kind(P, TK_NAME))
      unexpected(P, "expected a name to import");
    n->name = P->t->name;
    next(P);
    n->asname = as_name(P);
    vpush(P, out, n);
  } while (accept(P, ","));
  if (paren && !accept(P, ")"))
    unexpected(P, "expected ',' or ')'");
}

static void simple_stmt(Parser *P, NodeVec *out) {
  Token *t = P->t;
  Node *n;
  if (is(P, "pass") || is(P, "break") || is(P, "continue")) {
    n = new_node(P, is(P, "pass") ? N_PASS : is(P, "break") ? N_BREAK
                                                           : N_CONTINUE,
                 t->loc);
    next(P);
  } else if (accept(P, "return")) {
    n = new_node(P, N_RETURN, t->loc);
    if (!at_stmt_end(P)) {
      n->lhs = value_list(P);
    }
  } else if (accept(P, "global")) {
    n = new_node(P, N_GLOBAL, t->loc);
    NodeVec v = {0};
    do {
      if (!is_kind(P, TK_NAME))
        unexpected(P, "expected a name after 'global'");
      Node *x = new_node(P, N_NAME, P->t->loc);
      x->name = P->t->name;
      vpush(P, &v, x);
      next(P);
    } while (accept(P, ","));
    n->items = v.v;
    n->nitems = v.n;
  } else if (accept(P, "del")) {
    n = new_node(P, N_DEL, t->loc);
    Node *e = target_list(P);
    check_target(e, "delete");
    if (e->kind == N_TUPLE) {
      n->items = e->items;
      n->nitems = e->nitems;
    } else {
      n->items = ARENA_ARRAY(P->a, Node *, 1);
      n->items[0] = e;
      n->nitems = 1;
    }
  } else if (accept(P, "assert")) {
    n = new_node(P, N_ASSERT, t->loc);
    n->cond = expr(P);
    if (accept(P, ","))
      n->lhs = expr(P);
  } else if (is(P, "import")) {
    import_stmt(P, out);
    return;
  } else if (is(P, "from")) {
    from_stmt(P, out);
    return;
  } else if (is(P, "raise")) {
    n = new_node(P, N_RAISE, t->loc);
    next(P);
    if (!is_kind(P, TK_NEWLINE) && !is(P, ";"))
      n->lhs = expr(P);
    if (is(P, "from"))
      diag_error(P->t->loc, "'raise ... from' is not supported");
  } else if (is(P, "nonlocal")) {
    diag_error(t->loc, "'%.*s' is not supported", t->len, t->text);
  } else {
    n = expr_stmt(P);
  }
  vpush(P, out, n);
}

/* simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static void simple_stmts(Parser *P, NodeVec *out) {
  for (;;) {
    simple_stmt(P, out);
    if (!accept(P, ";") || is_kind(P, TK_NEWLINE) || is_kind(P, TK_EOF))
      break;
  }
  if (is_kind(P, TK_EOF))
    return;
  if (!is_kind(P, TK_NEWLINE))
    unexpected(P, "expected newline or ';' after the statement");
  next(P);
}

/* ---- compound statements ---- */

/* ':' then a one-line body or an indented block. */
static void block(Parser *P, Node ***body, int *n) {
  expect(P, ":");
  NodeVec v = {0};
  if (!is_kind(P, TK_NEWLINE)) {
    simple_stmts(P, &v);
  } else {
    next(P);
    if (!is_kind(P, TK_INDENT))
      diag_error(P->t->loc, "expected an indented block");
    next(P);
    enter(P);
    while (!is_kind(P, TK_DEDENT) && !is_kind(P, TK_EOF))
      statement(P, &v);
    leave(P);
    next(P);
  }
  *body = v.v;
  *n = v.n;
}

static Node *if_stmt(Parser *P) {
  Node *n = new_node(P, N_IF, P->t->loc);
  next(P);
  n->cond = expr(P);
  block(P, &n->body, &n->nbody);
  if (is(P, "elif")) {
    enter(P);
    n->orelse = ARENA_ARRAY(P->a, Node *, 1);
    n->orelse[0] = if_stmt(P);
    n->norelse = 1;
    leave(P);
  } else if (accept(P, "else")) {
    block(P, &n->orelse, &n->norelse);
  }
  return n;
}

static Node *finally_of(Parser *P, Node *n, Node **body, int nbody) {
  next(P); /* finally */
  n->body = body;
  n->nbody = nbody;
  n->items = NULL;
  n->nitems = 0;
  block(P, &n->orelse, &n->norelse);
  return n;
}

/* try: ... except [E [as name]]: ... [else: ...] [finally: ...]. A finally
 * makes an N_TRY without handlers (nitems 0, which no other try has)
 * whose body is the rest of the statement and whose orelse is the finally
 * block, so walkers that visit body and orelse see it all. */
static Node *try_stmt(Parser *P) {
  Node *n = new_node(P, N_TRY, P->t->loc);
  next(P);
  block(P, &n->body, &n->nbody);
  if (is(P, "finally"))
    return finally_of(P, n, n->body, n->nbody);
  NodeVec handlers = {0};
  while (is(P, "except")) {
    Node *h = new_node(P, N_EXCEPT, P->t->loc);
    next(P);
    if (!is(P, ":")) {
      h->lhs = expr(P);
      if (accept(P, "as")) {
        if (!is_kind(P, TK_NAME))
          unexpected(P, "expected a name after 'as'");
        h->name = P->t->name;
        next(P);
      }
    }
    block(P, &h->body, &h->nbody);
    vpush(P, &handlers, h);
  }
  if (!handlers.n)
    diag_error(P->t->loc, "expected 'except' or 'finally'");
  n->items = handlers.v;
  n->nitems = handlers.n;
  if (accept(P, "else"))
    block(P, &n->orelse, &n->norelse);
  if (is(P, "finally")) {
    Node **inner = ARENA_ARRAY(P->a, Node *, 1);
    inner[0] = n;
    return finally_of(P, new_node(P, N_TRY, n->loc), inner, 1);
  }
  return n;
}

/* with EXPR [as NAME], ...: BLOCK; the contexts in items, their names
 * (N_NAME or NULL) in keys. */
static Node *with_stmt(Parser *P) {
  Node *n = new_node(P, N_WITH, P->t->loc);
  next(P);
  NodeVec items = {0}, names = {0};
  do {
    vpush(P, &items, expr(P));
    Node *as = NULL;
    if (accept(P, "as")) {
      if (!is_kind(P, TK_NAME))
        unexpected(P, "expected a name after 'as'");
      as = new_node(P, N_NAME, P->t->loc);
      as->name = P->t->name;
      next(P);
    }
    vpush(P, &names, as);
  } while (accept(P, ","));
  n->items = items.v;
  n->nitems = items.n;
  n->keys = names.v;
  block(P, &n->body, &n->nbody);
  return n;
}

static Node *while_stmt(Parser *P) {
  Node *n = new_node(P, N_WHILE, P->t->loc);
  next(P);
  n->cond = expr(P);
  block(P, &n->body, &n->nbody);
  if (accept(P, "else"))
    block(P, &n->orelse, &n->norelse);
  return n;
}

static Node *for_stmt(Parser *P) {
  Node *n = new_node(P, N_FOR, P->t->loc);
  next(P);
  n->lhs = target_list(P);
  check_target(n->lhs, "assign to");
  expect(P, "in");
  n->rhs = value_list(P);
  block(P, &n->body, &n->nbody);
  if (accept(P, "else"))
    block(P, &n->orelse, &n->norelse);
  return n;
}

static Node *def_stmt(Parser *P, NodeVec *decorators) {
  Node *n = new_node(P, N_DEF, P->t->loc);
  next(P);
  if (!is_kind(P, TK_NAME))
    unexpected(P, "expected a function name after 'def'");
  n->name = P->t->name;
  next(P);
  expect(P, "(");
  params(P, n, ")", true);
  if (!accept(P, ")"))
    unexpected(P, "expected ',' or ')'");
  if (accept(P, "->"))
    n->annot = expr(P);
  n->items = decorators->v;
  n->nitems = decorators->n;
  block(P, &n->body, &n->nbody);
  return n;
}

static Node *decorated(Parser *P) {
  NodeVec decos = {0};
  while (accept(P, "@")) {
    vpush(P, &decos, expr(P));
    if (!is_kind(P, TK_NEWLINE))
      unexpected(P, "expected newline after the decorator");
    next(P);
  }
  if (!is(P, "def"))
    diag_error(P->t->loc, "decorators are only supported on 'def'");
  return def_stmt(P, &decos);
}

/* Statements people write that the subset leaves out. */
static void reject(Parser *P) {
  static const struct { const char *kw, *msg; } no[] = {
      {"class", "class definitions are not supported"},
      {"except", "'except' without a matching 'try'"},
      {"finally", "'finally' without a matching 'try'"},
      {"async", "async and await are not supported"},
      {"elif", "'elif' without a matching 'if'"},
      {"else", "'else' without a matching 'if', 'for' or 'while'"},
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    if (is(P, no[i].kw))
      diag_error(P->t->loc, "%s", no[i].msg);
  if (is_kind(P, TK_INDENT))
    diag_error(P->t->loc, "unexpected indent");
}

static void statement(Parser *P, NodeVec *out) {
  reject(P);
  if (is(P, "if"))
    vpush(P, out, if_stmt(P));
  else if (is(P, "while"))
    vpush(P, out, while_stmt(P));
  else if (is(P, "try"))
    vpush(P, out, try_stmt(P));
  else if (is(P, "with"))
    vpush(P, out, with_stmt(P));
  else if (is(P, "for"))
    vpush(P, out, for_stmt(P));
  else if (is(P, "def")) {
    NodeVec none = {0};
    vpush(P, out, def_stmt(P, &none));
  } else if (is(P, "@"))
    vpush(P, out, decorated(P));
  else
    simple_stmts(P, out);
}

Node *parse_file(Arena *a, const SrcFile *file) {
  Parser p = {.a = a, .lx = lex_open(a, file)};
  p.ring[0] = lex_next(p.lx);
  p.ring[1] = lex_next(p.lx);
  p.t = &p.ring[0];
  Node *m = new_node(&p, N_MODULE, (Loc){file, 1, 1});
  NodeVec body = {0};
  while (!is_kind(&p, TK_EOF)) {
    if (is_kind(&p, TK_NEWLINE)) { /* cannot happen, but harmless */
      next(&p);
      continue;
    }
    statement(&p, &body);
  }
  m->body = body.v;
  m->nbody = body.n;
  return m;
}
