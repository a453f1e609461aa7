/* lex.c - the tokenizer; see lex.h.
 *
 * Every read of the source goes through peek(), which knows where the buffer
 * ends, so NUL bytes inside the text and a missing final newline are both
 * harmless. Brackets are tracked here (not in the parser) so that unbalanced
 * ones are reported at the bracket, as Python does, and so that deep nesting
 * is refused before anything recurses. */
#include "lex.h"

#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"

struct Lexer {
  Arena *a;
  const SrcFile *f;
  const char *p, *end;
  const char *bol; /* beginning of the current line */
  int line;
  bool at_bol;     /* indentation still to be measured */
  bool line_open;  /* a real token since the last NEWLINE */
  Loc after;       /* just after the last real token: where NEWLINE goes */
  Token tok;       /* the token being produced */
  bool have;
  int ndedent;     /* DEDENTs still owed, at dedent_loc */
  Loc dedent_loc;
  int *indents; /* the indentation stack; indents[0] == 0 */
  int nind, capind;
  char brack[PARSE_MAX_DEPTH];
  Loc brack_loc[PARSE_MAX_DEPTH];
  int nbrack;
};

static const char *keywords[] = {
    "False", "None",   "True",    "and",      "as",       "assert", "async",
    "await", "break",  "class",   "continue", "def",      "del",    "elif",
    "else",  "except", "finally", "for",      "from",     "global", "if",
    "import", "in",    "is",      "lambda",   "nonlocal", "not",    "or",
    "pass",  "raise",  "return",  "try",      "while",    "with",   "yield",
};

/* Longest first, so the first match is the right one. */
static const char *puncts[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>",
    "<=",  ">=",  "==",  "!=",  "+=",  "-=", "*=", "/=", "%=", "&=", "|=",
    "^=",  "@=",  "(",   ")",   "[",   "]",  "{",  "}",  ",",  ":",  ".",
    ";",   "+",   "-",   "*",   "/",   "%",  "&",  "|",  "^",  "~",  "<",
    ">",   "=",   "@",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof *(a)))

bool lex_tok_is(const Token *t, const char *s) {
  if (t->kind != TK_PUNCT && t->kind != TK_KEYWORD)
    return false;
  size_t n = strlen(s);
  return (size_t)t->len == n && !memcmp(t->text, s, n);
}

/* The byte k positions ahead, or -1 past the end. */
static int peek(const Lexer *L, int k) {
  return L->end - L->p > k ? (unsigned char)L->p[k] : -1;
}

static Loc loc_at(const Lexer *L, const char *p) {
  return (Loc){L->f, L->line, (int)(p - L->bol) + 1};
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }

/* Length of the valid UTF-8 sequence at p (1-4), 0 if invalid. Rejects
 * overlong forms, surrogates and code points past U+10FFFF. */
static int utf8_len(const char *p, const char *end, int *cp) {
  const unsigned char *s = (const unsigned char *)p;
  int n, c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, c &= 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, c &= 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, c &= 0x07;
  else
    return 0;
  if (end - p < n)
    return 0;
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3f);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
      (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return n;
}

static _Noreturn void bad_char(const Lexer *L, const char *p) {
  Loc loc = loc_at(L, p);
  int c = (unsigned char)*p, cp;
  if (c >= 0x80) {
    int n = utf8_len(p, L->end, &cp);
    if (n)
      diag_error(loc, "invalid character '%.*s' (U+%04X); only ASCII is "
                 "allowed outside strings and comments", n, p, cp);
    diag_error(loc, "invalid character '\\x%02x' (not UTF-8)", c);
  }
  if (c == 0)
    diag_error(loc, "invalid character '\\x00' (NUL byte)");
  if (c < 0x20 || c == 0x7f)
    diag_error(loc, "invalid character '\\x%02x'", c);
  diag_error(loc, "invalid character '%c'", c);
}

static Token *push(Lexer *L, TokenKind kind, Loc loc, const char *text,
                   int len) {
  L->tok = (Token){.kind = kind, .loc = loc, .text = text, .len = len};
  L->have = true;
  return &L->tok;
}

/* A real token (not layout) ending at L->p. */
static Token *push_real(Lexer *L, TokenKind kind, Loc loc, const char *start) {
  Token *t = push(L, kind, loc, start, (int)(L->p - start));
  L->after = loc_at(L, L->p);
  L->line_open = true;
  return t;
}

static void newline(Lexer *L) {
  L->p++;
  L->line++;
  L->bol = L->p;
}

/* ---- indentation ---- */

static void push_indent(Lexer *L, int n) {
  if (L->nind == L->capind) {
    int ncap = L->capind ? L->capind * 2 : 16;
    L->indents = arena_realloc(L->a, L->indents, sizeof(int) * (size_t)L->capind,
                               sizeof(int) * (size_t)ncap);
    L->capind = ncap;
  }
  L->indents[L->nind++] = n;
}

/* At the start of a logical line: measure the indentation and emit INDENT or
 * DEDENTs. Blank and comment-only lines do not count, whatever their
 * indentation. */
static void indentation(Lexer *L) {
  const char *tab = NULL;
  int n = 0;
  for (;; L->p++, n++) {
    int c = peek(L, 0);
    if (c == '\t' && !tab)
      tab = L->p;
    else if (c != ' ' && c != '\t')
      break;
  }
  int c = peek(L, 0);
  if (c == -1 || c == '#' || c == '\n' || (c == '\r' && peek(L, 1) == '\n'))
    return;
  if (tab)
    diag_error(loc_at(L, tab), "tab in indentation; use spaces");
  Loc loc = loc_at(L, L->p);
  int top = L->indents[L->nind - 1];
  if (n > top) {
    push_indent(L, n);
    push(L, TK_INDENT, loc, L->p, 0);
    return;
  }
  while (n < L->indents[L->nind - 1]) {
    L->nind--;
    L->ndedent++;
  }
  if (n != L->indents[L->nind - 1])
    diag_error(loc, "unindent does not match any outer indentation level");
  L->dedent_loc = loc;
  if (L->ndedent) {
    L->ndedent--;
    push(L, TK_DEDENT, loc, L->p, 0);
  }
}

/* ---- numbers ---- */

/* Digits of base with single '_' between them; accumulates the value into
 * *v (setting *big on int64 overflow). Returns the number of digits. */
static int digits(Lexer *L, int base, int64_t *v, bool *big, bool lead_ok) {
  int n = 0;
  for (;;) {
    int c = peek(L, 0), d;
    if (c == '_') {
      int next = peek(L, 1);
      bool next_ok = base == 16 ? (is_digit(next) || ((next | 0x20) >= 'a' &&
                                                      (next | 0x20) <= 'f'))
                                : (next >= '0' && next < '0' + base);
      if ((!n && !lead_ok) || !next_ok)
        diag_error(loc_at(L, L->p), "invalid %s literal",
                   base == 10 ? "decimal" : base == 16 ? "hexadecimal"
                   : base == 8 ? "octal" : "binary");
      L->p++;
      continue;
    }
    if (is_digit(c))
      d = c - '0';
    else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
      d = (c | 0x20) - 'a' + 10;
    else
      break;
    if (d >= base)
      break;
    if (*v > (INT64_MAX - d) / base)
      *big = true;
    else
      *v = *v * base + d;
    L->p++;
    n++;
  }
  return n;
}

/* A number must not run into a name: `1abc`, `0b12`. */
static void number_end(Lexer *L, Loc loc, int base) {
  int c = peek(L, 0);
  if (c == 'j' || c == 'J')
    diag_error(loc, "complex numbers are not supported");
  if (is_alnum(c) || c == '.') {
    if (base == 2 || base == 8)
      if (is_digit(c))
        diag_error(loc_at(L, L->p), "invalid digit '%c' in %s literal", c,
                   base == 2 ? "binary" : "octal");
    diag_error(loc, "invalid %s literal",
               base == 10 ? "decimal" : base == 16 ? "hexadecimal"
               : base == 8 ? "octal" : "binary");
  }
}

static void lex_number(Lexer *L) {
  const char *start = L->p;
  Loc loc = loc_at(L, start);
  int64_t v = 0;
  bool big = false;
  int x = peek(L, 1) | 0x20;
  if (*start == '0' && (x == 'x' || x == 'o' || x == 'b')) {
    int base = x == 'x' ? 16 : x == 'o' ? 8 : 2;
    L->p += 2;
    if (!digits(L, base, &v, &big, true))
      diag_error(loc, "invalid %s literal",
                 base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary");
    number_end(L, loc, base);
  } else {
    bool is_float = false;
    if (*start != '.')
      digits(L, 10, &v, &big, false);
    if (peek(L, 0) == '.') {
      /* `1.e5`, `1.`, `.5`; digits() stops before '_' misuse here. */
      L->p++;
      is_float = true;
      if (peek(L, 0) == '_')
        diag_error(loc_at(L, L->p), "invalid decimal literal");
      int64_t dummy = 0;
      bool b = false;
      digits(L, 10, &dummy, &b, false);
    }
    if ((peek(L, 0) | 0x20) == 'e') {
      int k = peek(L, 1) == '+' || peek(L, 1) == '-' ? 2 : 1;
      if (!is_digit(peek(L, k)))
        diag_error(loc, "invalid decimal literal");
      L->p += k;
      int64_t dummy = 0;
      bool b = false;
      digits(L, 10, &dummy, &b, false);
      is_float = true;
    }
    number_end(L, loc, 10);
    if (is_float) {
      /* strtod on a copy without the underscores. */
      char *buf = arena_alloc(L->a, (size_t)(L->p - start) + 1), *q = buf;
      for (const char *s = start; s < L->p; s++)
        if (*s != '_')
          *q++ = *s;
      *q = '\0';
      Token *t = push_real(L, TK_FLOAT, loc, start);
      t->fval = strtod(buf, NULL);
      return;
    }
    if (*start == '0' && v != 0)
      diag_error(loc, "leading zeros in decimal integer literals are not "
                 "permitted; use an 0o prefix for octal integers");
  }
  if (big && *start == '0') /* 0x, 0o, 0b past int64 */
    diag_error(loc, "integer literal is too large");
  Token *t = push_real(L, TK_INT, loc, start);
  t->ival = v;
  if (big) {
    /* A decimal literal past int64: task bodies make it a big int from its
     * digits (the top level's ints are int64 and reject it there). */
    char *buf = arena_alloc(L->a, (size_t)(L->p - start) + 1), *q = buf;
    for (const char *s = start; s < L->p; s++)
      if (*s != '_')
        *q++ = *s;
    *q = '\0';
    t->str = buf;
    t->slen = (int)(q - buf);
    t->ival = 0;
  }
}

/* ---- strings ---- */

typedef struct Buf {
  char *d;
  int n, cap;
} Buf;

static void put(Lexer *L, Buf *b, const char *s, int n) {
  if (b->n + n + 1 > b->cap) {
    int ncap = b->cap ? b->cap * 2 : 32;
    while (ncap < b->n + n + 1)
      ncap *= 2;
    b->d = arena_realloc(L->a, b->d, (size_t)b->cap, (size_t)ncap);
    b->cap = ncap;
  }
  memcpy(b->d + b->n, s, (size_t)n);
  b->n += n;
}

static void put_utf8(Lexer *L, Buf *b, int c) {
  char s[4];
  int n;
  if (c < 0x80)
    s[0] = (char)c, n = 1;
  else if (c < 0x800)
    s[0] = (char)(0xc0 | c >> 6), s[1] = (char)(0x80 | (c & 0x3f)), n = 2;
  else if (c < 0x10000)
    s[0] = (char)(0xe0 | c >> 12), s[1] = (char)(0x80 | ((c >> 6) & 0x3f)),
    s[2] = (char)(0x80 | (c & 0x3f)), n = 3;
  else
    s[0] = (char)(0xf0 | c >> 18), s[1] = (char)(0x80 | ((c >> 12) & 0x3f)),
    s[2] = (char)(0x80 | ((c >> 6) & 0x3f)), s[3] = (char)(0x80 | (c & 0x3f)),
    n = 4;
  put(L, b, s, n);
}

static int hex_value(int c) {
  if (is_digit(c))
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* \xNN, \uNNNN, \UNNNNNNNN: exactly n hex digits after the letter. */
static void hex_escape(Lexer *L, Buf *b, const char *bs, int n) {
  int c = 0;
  for (int i = 1; i <= n; i++) {
    int d = hex_value(peek(L, i));
    if (d < 0)
      diag_error(loc_at(L, bs), "truncated \\%c%s escape", *L->p,
                 n == 2 ? "XX" : n == 4 ? "XXXX" : "XXXXXXXX");
    c = c * 16 + d;
    if (c > 0x10ffff) /* checked per digit: 8 digits overflow an int */
      diag_error(loc_at(L, bs), "illegal Unicode character in \\U escape");
  }
  if (c >= 0xd800 && c <= 0xdfff)
    diag_error(loc_at(L, bs), "surrogate code point in \\u escape is not "
               "supported");
  L->p += n + 1;
  put_utf8(L, b, c);
}

/* One escape; L->p is at the backslash. Strings are Python str values kept
 * as UTF-8, so \xNN is the code point U+00NN, as in Python 3. */
static void escape(Lexer *L, Buf *b) {
  const char *bs = L->p++;
  int c = peek(L, 0);
  static const char simple[] = "n\nt\tr\r\\\\''\"\"a\ab\bf\fv\v";
  for (const char *s = simple; *s; s += 2)
    if (c == *s) {
      put(L, b, s + 1, 1);
      L->p++;
      return;
    }
  if (c == '\n') { /* backslash-newline continues the string */
    newline(L);
    return;
  }
  if (c == '\r' && peek(L, 1) == '\n') {
    L->p++;
    newline(L);
    return;
  }
  if (c >= '0' && c <= '7') {
    int v = 0;
    for (int i = 0; i < 3 && peek(L, 0) >= '0' && peek(L, 0) <= '7'; i++)
      v = v * 8 + (*L->p++ - '0');
    put_utf8(L, b, v);
    return;
  }
  if (c == 'x' || c == 'u' || c == 'U') {
    hex_escape(L, b, bs, c == 'x' ? 2 : c == 'u' ? 4 : 8);
    return;
  }
  if (c == 'N')
    diag_error(loc_at(L, bs), "\\N{...} escapes are not supported");
  put(L, b, "\\", 1); /* unknown escape: Python keeps the backslash */
}

/* One character of a string literal's body (plain or f-string text) at
 * L->p into b: CRLF reads as \n, escapes, UTF-8 checked, control
 * characters rejected. */
static void literal_char(Lexer *L, Buf *b, int q, bool raw) {
  int c = peek(L, 0);
  if (c == '\r' && peek(L, 1) == '\n') /* CRLF reads as \n */
    L->p++, c = '\n';
  if (c == '\n') {
    put(L, b, "\n", 1);
    newline(L);
  } else if (c == '\\' && raw) {
    /* A raw string keeps the backslash but it still protects a quote. */
    int n = peek(L, 1) == q || peek(L, 1) == '\\' ? 2 : 1;
    put(L, b, L->p, n);
    L->p += n;
  } else if (c == '\\') {
    escape(L, b);
  } else if (c >= 0x80) {
    int cp, n = utf8_len(L->p, L->end, &cp);
    if (!n)
      bad_char(L, L->p);
    put(L, b, L->p, n);
    L->p += n;
  } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
    bad_char(L, L->p);
  } else {
    put(L, b, L->p, 1);
    L->p++;
  }
}

/* L->p is at the opening quote; start is where the prefix began. */
static void lex_string(Lexer *L, const char *start, bool raw) {
  Loc loc = loc_at(L, start);
  char q = *L->p;
  bool triple = peek(L, 1) == q && peek(L, 2) == q;
  L->p += triple ? 3 : 1;
  Buf b = {0};
  put(L, &b, "", 0);
  for (;;) {
    int c = peek(L, 0);
    if (c == -1 || (!triple && (c == '\n' || c == '\r')))
      diag_error(loc, triple ? "unterminated triple-quoted string literal"
                             : "unterminated string literal");
    if (c == q && (!triple || (peek(L, 1) == q && peek(L, 2) == q))) {
      L->p += triple ? 3 : 1;
      break;
    }
    literal_char(L, &b, q, raw);
  }
  b.d[b.n] = '\0';
  Token *t = push_real(L, TK_STR, loc, start);
  t->str = b.d;
  t->slen = b.n;
}

/* ---- f-strings ---- */

typedef struct FVec {
  FPart *v;
  int n, cap;
} FVec;

static FPart *fpart_push(Lexer *L, FVec *v, Buf *lit) {
  if (v->n == v->cap) {
    int ncap = v->cap ? v->cap * 2 : 4;
    v->v = arena_realloc(L->a, v->v, sizeof(FPart) * (size_t)v->cap, sizeof(FPart) * (size_t)ncap);
    v->cap = ncap;
  }
  FPart *f = &v->v[v->n++];
  *f = (FPart){0};
  put(L, lit, "", 0);
  lit->d[lit->n] = '\0';
  f->lit = lit->d;
  f->litn = lit->n;
  *lit = (Buf){0};
  return f;
}

static FPart *fparts(Lexer *L, char q, bool triple, bool raw, bool in_spec, Loc sloc, int *count);

/* A nested string literal inside a field's expression: skipped whole. */
static void fskip_string(Lexer *L, Loc sloc) {
  char q = *L->p++;
  while (peek(L, 0) != q) {
    if (peek(L, 0) == -1 || peek(L, 0) == '\n')
      diag_error(sloc, "f-string: expecting '}'");
    if (peek(L, 0) == '\\')
      diag_error(loc_at(L, L->p), "f-string expression part cannot include a backslash");
    L->p++;
  }
  L->p++;
}

/* The expression of a field, up to the ! : = or } that ends it. */
static void fexpr(Lexer *L, char q, bool triple, FPart *f, Loc sloc) {
  f->expr = L->p;
  f->loc = loc_at(L, L->p);
  f->bol = L->bol;
  int depth = 0;
  for (;;) {
    int c = peek(L, 0), n1 = peek(L, 1);
    if (c == -1 || c == q || (!triple && (c == '\n' || c == '\r')))
      diag_error(sloc, "f-string: expecting '}'");
    if (c == '\\')
      diag_error(loc_at(L, L->p), "f-string expression part cannot include a backslash");
    if (c == '#')
      diag_error(loc_at(L, L->p), "f-string expression part cannot include '#'");
    if (c == '\'' || c == '"') {
      fskip_string(L, sloc);
      continue;
    }
    if (depth == 0) {
      char prev = L->p > f->expr ? L->p[-1] : 0;
      if (c == '}' || c == ':' || (c == '!' && n1 != '=') ||
          (c == '=' && n1 != '=' && !strchr("=!<>", prev ? prev : 'x')))
        break;
    }
    if (c == '(' || c == '[' || c == '{')
      depth++;
    else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0)
        diag_error(loc_at(L, L->p), "f-string: unmatched '%c'", c);
      depth--;
    }
    if (c == '\n')
      newline(L);
    else
      L->p++;
  }
  f->exprn = (int)(L->p - f->expr);
  bool blank = true;
  for (int i = 0; i < f->exprn; i++)
    blank = blank && (f->expr[i] == ' ' || f->expr[i] == '\t');
  if (blank)
    diag_error(f->loc, "f-string: empty expression not allowed");
}

/* A field; L->p is just after its {. */
static void ffield(Lexer *L, char q, bool triple, bool raw, FPart *f, Loc sloc) {
  fexpr(L, q, triple, f, sloc);
  bool debug = false;
  if (peek(L, 0) == '=') { /* {x=}: the text "x=" goes before the value */
    L->p++;
    while (peek(L, 0) == ' ')
      L->p++;
    debug = true;
    Buf t = {0};
    put(L, &t, f->lit, f->litn);
    put(L, &t, f->expr, (int)(L->p - f->expr));
    t.d[t.n] = '\0';
    f->lit = t.d;
    f->litn = t.n;
  }
  if (peek(L, 0) == '!') {
    L->p++;
    int c = peek(L, 0);
    if (c != 'r' && c != 's' && c != 'a')
      diag_error(loc_at(L, L->p), "f-string: invalid conversion character: expected 's', "
                                  "'r', or 'a'");
    f->conv = (char)c;
    L->p++;
  }
  if (peek(L, 0) == ':') {
    L->p++;
    f->has_spec = true;
    f->spec = fparts(L, q, triple, raw, true, sloc, &f->nspec);
  }
  if (peek(L, 0) != '}')
    diag_error(sloc, "f-string: expecting '}'");
  L->p++;
  if (debug && !f->conv && !f->has_spec)
    f->conv = 'r';
  f->field = true;
}

/* The pieces of an f-string (L->p after the opening quote) or, in_spec, of
 * a field's spec (up to, not past, the field's closing }). */
static FPart *fparts(Lexer *L, char q, bool triple, bool raw, bool in_spec, Loc sloc, int *count) {
  FVec v = {0};
  Buf b = {0};
  for (;;) {
    int c = peek(L, 0);
    if (c == -1 || (!triple && (c == '\n' || c == '\r')))
      diag_error(sloc, in_spec ? "f-string: expecting '}'"
                       : triple ? "unterminated triple-quoted string literal"
                                : "unterminated string literal");
    if (c == q && (!triple || (peek(L, 1) == q && peek(L, 2) == q))) {
      if (in_spec)
        diag_error(sloc, "f-string: expecting '}'");
      L->p += triple ? 3 : 1;
      break;
    }
    if (c == '}' && in_spec)
      break;
    if ((c == '{' || c == '}') && peek(L, 1) == c && !in_spec) {
      put(L, &b, L->p, 1);
      L->p += 2;
    } else if (c == '}') {
      diag_error(loc_at(L, L->p), "f-string: single '}' is not allowed");
    } else if (c == '{') {
      L->p++;
      FPart *f = fpart_push(L, &v, &b);
      ffield(L, q, triple, raw, f, sloc);
    } else {
      literal_char(L, &b, q, raw);
    }
  }
  if (b.n || v.n == 0)
    fpart_push(L, &v, &b);
  *count = v.n;
  return v.v;
}

/* L->p is at the opening quote of an f-string; start is where the prefix
 * began. */
static void lex_fstring(Lexer *L, const char *start, bool raw) {
  Loc loc = loc_at(L, start);
  char q = *L->p;
  bool triple = peek(L, 1) == q && peek(L, 2) == q;
  L->p += triple ? 3 : 1;
  int n;
  FPart *parts = fparts(L, q, triple, raw, false, loc, &n);
  Token *t = push_real(L, TK_FSTR, loc, start);
  t->fparts = parts;
  t->nfparts = n;
}

/* ---- names, keywords, string prefixes ---- */

static void lex_name(Lexer *L) {
  const char *start = L->p;
  Loc loc = loc_at(L, start);
  while (is_alnum(peek(L, 0)))
    L->p++;
  int len = (int)(L->p - start), c = peek(L, 0);
  if (c >= 0x80)
    bad_char(L, L->p);
  if ((c == '\'' || c == '"') && len <= 2) {
    bool r = false, bytes = false, f = false, other = false;
    for (int i = 0; i < len; i++) {
      int ch = start[i] | 0x20;
      if (ch == 'r')
        r = true;
      else if (ch == 'b')
        bytes = true;
      else if (ch == 'f')
        f = true;
      else if (ch != 'u')
        other = true;
    }
    bool valid = len == 1 ? !other : !other && r && (bytes || f);
    if (valid) {
      if (bytes)
        diag_error(loc, "bytes literals are not supported");
      if (f)
        lex_fstring(L, start, r);
      else
        lex_string(L, start, r);
      return;
    }
  }
  for (int i = 0; i < COUNT(keywords); i++)
    if ((int)strlen(keywords[i]) == len && !memcmp(keywords[i], start, len)) {
      push_real(L, TK_KEYWORD, loc, start);
      return;
    }
  Token *t = push_real(L, TK_NAME, loc, start);
  t->name = arena_strndup(L->a, start, (size_t)len);
}

/* ---- punctuation and brackets ---- */

static void open_bracket(Lexer *L, char c, Loc loc) {
  if (L->nbrack == PARSE_MAX_DEPTH)
    diag_error(loc, "too deeply nested");
  L->brack[L->nbrack] = c;
  L->brack_loc[L->nbrack++] = loc;
}

static void close_bracket(Lexer *L, char c, Loc loc) {
  if (!L->nbrack)
    diag_error(loc, "unmatched '%c'", c);
  char o = L->brack[--L->nbrack];
  Loc ol = L->brack_loc[L->nbrack];
  if ((o == '(' && c == ')') || (o == '[' && c == ']') || (o == '{' && c == '}'))
    return;
  if (ol.line != loc.line)
    diag_error(loc, "closing parenthesis '%c' does not match opening "
               "parenthesis '%c' on line %d", c, o, ol.line);
  diag_error(loc, "closing parenthesis '%c' does not match opening "
             "parenthesis '%c'", c, o);
}

static void lex_punct(Lexer *L) {
  const char *start = L->p;
  Loc loc = loc_at(L, start);
  for (int i = 0; i < COUNT(puncts); i++) {
    int n = (int)strlen(puncts[i]);
    if (L->end - start >= n && !memcmp(start, puncts[i], (size_t)n)) {
      L->p += n;
      if (n == 1 && strchr("([{", *start))
        open_bracket(L, *start, loc);
      else if (n == 1 && strchr(")]}", *start))
        close_bracket(L, *start, loc);
      push_real(L, TK_PUNCT, loc, start);
      return;
    }
  }
  bad_char(L, start);
}

/* ---- the main loop ---- */

/* At the end of the text: close the last line and the open blocks. */
static void finish(Lexer *L) {
  if (L->nbrack) {
    int i = L->nbrack - 1;
    diag_error(L->brack_loc[i], "'%c' was never closed", L->brack[i]);
  }
  Loc end = loc_at(L, L->p);
  if (L->line_open) {
    L->line_open = false;
    push(L, TK_NEWLINE, L->after, L->p, 0);
  } else if (L->nind > 1) {
    L->nind--;
    push(L, TK_DEDENT, end, L->p, 0);
  } else {
    push(L, TK_EOF, end, L->p, 0);
  }
}

static void skip_comment(Lexer *L) {
  while (peek(L, 0) != -1 && peek(L, 0) != '\n' && peek(L, 0) != '\r') {
    int cp, n = peek(L, 0) ? utf8_len(L->p, L->end, &cp) : 0;
    if (!n)
      bad_char(L, L->p);
    L->p += n;
  }
}

static void continuation(Lexer *L) {
  int k = peek(L, 1) == '\r' && peek(L, 2) == '\n' ? 2 : 1;
  if (peek(L, k) == -1)
    diag_error(loc_at(L, L->p), "unexpected end of file after line "
               "continuation character");
  if (peek(L, k) != '\n')
    diag_error(loc_at(L, L->p), "unexpected character after line "
               "continuation character");
  L->p += k;
  newline(L);
}

/* Advance over one lexical element; may or may not produce a token. */
static void step(Lexer *L) {
  if (L->at_bol) {
    L->at_bol = false;
    indentation(L);
    return;
  }
  int c = peek(L, 0);
  if (c == -1) {
    finish(L);
  } else if (c == ' ' || c == '\t') {
    L->p++;
  } else if (c == '#') {
    skip_comment(L);
  } else if (c == '\n' || (c == '\r' && peek(L, 1) == '\n')) {
    if (!L->nbrack && L->line_open) {
      L->line_open = false;
      push(L, TK_NEWLINE, L->after, L->p, 0);
    }
    if (c == '\r')
      L->p++;
    newline(L);
    L->at_bol = !L->nbrack;
  } else if (c == '\\') {
    continuation(L);
  } else if (is_digit(c) || (c == '.' && is_digit(peek(L, 1)))) {
    lex_number(L);
  } else if (is_alpha(c)) {
    lex_name(L);
  } else if (c == '\'' || c == '"') {
    lex_string(L, L->p, false);
  } else if (c >= 0x21 && c < 0x7f) {
    lex_punct(L);
  } else {
    bad_char(L, L->p);
  }
}

Lexer *lex_open(Arena *a, const SrcFile *f) {
  Lexer *L = ARENA_NEW(a, Lexer);
  *L = (Lexer){.a = a, .f = f, .p = f->text, .end = f->text + f->len,
               .bol = f->text, .line = 1, .at_bol = true};
  push_indent(L, 0);
  if (f->len >= 3 && !memcmp(f->text, "\xef\xbb\xbf", 3)) /* UTF-8 BOM */
    L->p += 3, L->bol = L->p;
  return L;
}

Lexer *lex_open_span(Arena *a, const SrcFile *f, const char *p, const char *end, Loc loc,
                     const char *bol) {
  Lexer *L = ARENA_NEW(a, Lexer);
  *L = (Lexer){.a = a, .f = f, .p = p, .end = end, .bol = bol, .line = loc.line};
  push_indent(L, 0);
  return L;
}

Token lex_next(Lexer *L) {
  L->have = false;
  if (L->ndedent) {
    L->ndedent--;
    push(L, TK_DEDENT, L->dedent_loc, L->p, 0);
  }
  while (!L->have)
    step(L);
  return L->tok;
}
