/* lex.h - the tokenizer of .tg files (Python's lexical rules, docs/language.md §1).
 *
 * Layout is made explicit as Python does it: NEWLINE ends
 * a logical line, INDENT/DEDENT open and close blocks; inside brackets lines
 * are joined and no layout tokens are produced. Every lexical error (bad
 * character, unterminated string, unbalanced bracket, bad indentation) is
 * reported here through diag_error. */
#ifndef TASKC_LEX_H
#define TASKC_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "../ir/arena.h"
#include "../ir/loc.h"

typedef enum {
  TK_EOF,
  TK_NEWLINE,
  TK_INDENT,
  TK_DEDENT,
  TK_NAME,    /* identifier: name */
  TK_KEYWORD, /* Python keyword: text/len */
  TK_INT,     /* ival */
  TK_FLOAT,   /* fval */
  TK_STR,     /* str/slen, escapes resolved (one literal; the parser joins
                 adjacent ones) */
  TK_PUNCT,   /* operator or delimiter: text/len */
  TK_FSTR,    /* an f-string: fparts/nfparts */
} TokenKind;

/* One piece of an f-string: literal text (escapes and {{ }} resolved),
 * then, when field is set, a replacement field {expr!conv:spec}. The
 * parser lexes the expression again from its source span (lex_open_span).
 * A debug field {x=} has "x=" at the end of lit and conv 'r' unless it
 * gave a conversion or a spec. */
typedef struct FPart FPart;
struct FPart {
  char *lit;
  int litn;
  bool field, has_spec;
  char conv;          /* 0, 'r', 's', 'a' */
  const char *expr;   /* the expression's source text */
  int exprn;
  Loc loc;            /* where it starts, and the start of its line */
  const char *bol;
  FPart *spec;        /* the spec's own pieces (it may hold {fields}) */
  int nspec;
};

typedef struct Token {
  TokenKind kind;
  Loc loc;
  const char *text; /* spelling in the source */
  int len;
  const char *name; /* TK_NAME: NUL-terminated copy */
  int64_t ival;
  double fval;
  char *str; /* TK_STR: decoded bytes, NUL-terminated (may contain NUL) */
  int slen;
  FPart *fparts; /* TK_FSTR */
  int nfparts;
} Token;

/* The lexer produces tokens on demand, so memory stays proportional to the
 * syntax tree, not to the token count. After TK_EOF it keeps returning
 * TK_EOF. */
typedef struct Lexer Lexer;
Lexer *lex_open(Arena *a, const SrcFile *f);
Token lex_next(Lexer *L);
/* A lexer over the source span [p, end) that starts at loc (bol: the start
 * of its line): the expression of an f-string field. */
Lexer *lex_open_span(Arena *a, const SrcFile *f, const char *p, const char *end, Loc loc,
                     const char *bol);

/* True when t is the keyword or punctuator spelled s. */
bool lex_tok_is(const Token *t, const char *s);

#endif
