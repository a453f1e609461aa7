/* ast.h - the syntax tree of a .tg file (a Python subset, docs/language.md §1-3).
 *
 * One Node type for expressions and statements, chibicc style: a kind plus the
 * few fields each kind uses. Every node carries its Loc. Nodes live in the
 * compilation's arena. Sequences are (Node **, int) pairs. */
#ifndef TASKC_AST_H
#define TASKC_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/arena.h"
#include "../ir/loc.h"

typedef enum {
  /* ---- expressions ---- */
  N_NAME,     /* name */
  N_INT,      /* ival; a decimal literal past int64: str/len its digits */
  N_FLOAT,    /* fval */
  N_STR,      /* str, len (escapes resolved; may contain NUL) */
  N_TRUE,
  N_FALSE,
  N_NONE,
  N_ELLIPSIS, /* `...` (body of an @extern def) */
  N_BINOP,    /* op, lhs, rhs: + - * / // % ** @ & | ^ << >> */
  N_UNARY,    /* op, lhs: - + ~ not */
  N_BOOLOP,   /* op (OP_AND/OP_OR), lhs, rhs; short-circuit */
  N_COMPARE,  /* chain a < b <= c: items = operands (n >= 2), ops[i] between
                 items[i] and items[i+1]; ops are < <= > >= == != in, not in,
                 is, is not */
  N_IFEXP,    /* cond ? then : els   (then if cond else els) */
  N_CALL,     /* lhs(args..., kw=...): items = positional args (an N_STARRED
                 item is *x), kws = keyword args (N_KEYWORD; name NULL means
                 **x) */
  N_KEYWORD,  /* name=lhs, inside a call */
  N_STARRED,  /* *lhs, in calls, displays and assignment targets */
  N_ATTR,     /* lhs.name */
  N_SUBSCRIPT,/* lhs[rhs]; rhs may be an N_SLICE or an N_TUPLE of them */
  N_SLICE,    /* lo:hi:step, each may be NULL: lo in lhs, hi in rhs, step in
                 els */
  N_LIST,     /* [items] */
  N_TUPLE,    /* (items) or a, b */
  N_DICT,     /* {keys[i]: items[i]}; keys[i] == NULL means **items[i] */
  N_SET,      /* {items}; {lhs for ...} has comps (a set comprehension) */
  N_LISTCOMP, /* [lhs for targets in iter if conds] : comps = N_COMPFOR list;
                 len = 1 marks a generator expression (lhs for ...) */
  N_DICTCOMP, /* {key: lhs for ...} : key in rhs, value in lhs */
  N_COMPFOR,  /* for target(lhs) in iter(rhs) if conds(items) */
  N_LAMBDA,   /* lambda params: body(lhs) ; params as in N_DEF */
  N_FSTRING,  /* f"..": items are the pieces in order, N_STR and N_FFIELD */
  N_FFIELD,   /* {lhs!conv:spec} in an f-string: ival is the conversion (0,
                 'r', 's', 'a'), rhs the spec (an N_FSTRING or N_STR) or NULL */

  /* ---- statements ---- */
  N_EXPR,     /* lhs */
  N_ASSIGN,   /* targets (items, n >= 1, a = b = c) = rhs */
  N_AUGASSIGN,/* lhs op= rhs */
  N_ANNASSIGN,/* lhs: annot = rhs (rhs may be NULL) */
  N_IF,       /* if cond: body elif/else: orelse (an elif is an N_IF alone in
                 orelse) */
  N_FOR,      /* for lhs in rhs: body else: orelse */
  N_WHILE,    /* while cond: body else: orelse */
  N_BREAK,
  N_CONTINUE,
  N_PASS,
  N_RETURN,   /* return lhs (may be NULL) */
  N_DEF,      /* def name(params) -> annot: body ; decorators in items */
  N_IMPORT,   /* import name(dotted) as asname ; one node per imported name */
  N_FROMIMPORT,/* from module import name as asname ; one node per name;
                  the dotted module name is in str */
  N_GLOBAL,   /* global names (parsed, rejected in bodies by sema) */
  N_ASSERT,   /* assert cond, lhs */
  N_DEL,      /* del items */
  N_MODULE,   /* the file: body */
  N_TRY,      /* try: body; handlers (N_EXCEPT) in items; else: orelse */
  N_WITH,     /* with: contexts in items, their `as` names (or NULL) in
                 keys, body */
  N_EXCEPT,   /* except lhs (NULL: bare) as name: body */
  N_RAISE,    /* raise lhs (NULL: re-raise) */
  N_KIND_COUNT
} NodeKind;

/* Operator codes, shared by BINOP/UNARY/AUGASSIGN/COMPARE/BOOLOP. */
typedef enum {
  OP_NONE,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW, OP_MATMUL,
  OP_BITAND, OP_BITOR, OP_BITXOR, OP_LSHIFT, OP_RSHIFT,
  OP_NEG, OP_POS, OP_INVERT, OP_NOT,
  OP_AND, OP_OR,
  OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_IN, OP_NOTIN, OP_IS, OP_ISNOT,
} OpCode;

/* How an operator is spelled, for messages: "+", "//", "not in". */
const char *ast_opcode_str(OpCode op);

typedef struct Node Node;

/* A parameter of a def or lambda. */
typedef struct Param {
  const char *name;
  Node *annot;   /* may be NULL */
  Node *deflt;   /* default value, may be NULL */
  int star;      /* 0 plain, 1 for *args, 2 for **kwargs */
  Loc loc;
} Param;

/* Fields are grouped by size so that no padding sits between them (a
 * 100 MB source makes ~30 million nodes): 208 bytes, was 256. */
struct Node {
  NodeKind kind;
  OpCode op;
  Loc loc;
  int len;            /* N_STR length in bytes */
  int nitems, nkeys, nkws, ncomps, nbody, norelse, nparams; /* of the arrays */

  const char *name;   /* N_NAME, N_ATTR attribute, N_KEYWORD, N_DEF, imports */
  const char *asname; /* imports */
  const char *str;    /* N_STR (NUL-terminated copy too) */
  union {
    int64_t ival;     /* N_INT */
    double fval;      /* N_FLOAT */
  };

  Node *lhs, *rhs;
  Node *cond, *then, *els;
  Node *annot;        /* N_DEF return annotation, N_ANNASSIGN */
  Node *key;          /* N_DICTCOMP key expression */

  Node **items;       /* operands, elements, args, targets, decorators */
  Node **keys;        /* N_DICT keys (parallel to items) */
  Node **kws;         /* N_CALL keyword arguments */
  Node **comps;       /* N_LISTCOMP / N_DICTCOMP generators */
  Node **body;        /* blocks */
  Node **orelse;
  OpCode *ops;        /* N_COMPARE */
  Param *params;      /* N_DEF, N_LAMBDA */
};

/* Parse a whole file. On a syntax error reports through diag_error (which
 * does not return). Never crashes, never recurses without bound: nesting
 * deeper than PARSE_MAX_DEPTH is an error. */
enum { PARSE_MAX_DEPTH = 1000 };
Node *parse_file(Arena *a, const SrcFile *file);

/* Read a file into a SrcFile in the arena; diag_fatal when unreadable. */
SrcFile *src_read(Arena *a, const char *path);
/* A SrcFile over text in memory (tests, fuzzer). */
SrcFile *src_from_text(Arena *a, const char *name, const char *text,
                       size_t len);

/* Calls visit on n and every node below it, pre-order (the nodes of one
 * node's fields in declaration order). Depth is bounded by the parser's
 * nesting limit. */
void ast_walk(Node *n, void (*visit)(Node *n, void *ctx), void *ctx);

/* Debug dump of the tree (taskc --emit=ast), one node per line. */
void ast_dump(FILE *out, const Node *n);

#endif
