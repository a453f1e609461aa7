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
} TokenKind;

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
} Token;

/* The lexer produces tokens on demand, so memory stays proportional to the
 * syntax tree, not to the token count. After TK_EOF it keeps returning
 * TK_EOF. */
typedef struct Lexer Lexer;
Lexer *lex_open(Arena *a, const SrcFile *f);
Token lex_next(Lexer *L);

/* True when t is the keyword or punctuator spelled s. */
bool lex_tok_is(const Token *t, const char *s);

#endif
