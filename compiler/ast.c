/* ast.c - source files in memory, operator spellings, and the AST dump.
 *
 * The dump (taskc --emit=ast) prints one node per line, indented two spaces
 * per level under its parent, ending with the node's line:col:
 *
 *   Module
 *     Assign 1:1
 *       target: Name 'x' 1:1
 *       value: BinOp + 1:7
 *         Int 1 1:5
 *         Int 2 1:9
 *
 * A child that plays a named role is prefixed with it ("target:", "value:",
 * "cond:", "lo:", "key:", "default:" ...); operands, arguments and elements
 * are not. Statement lists are introduced by a line of their own ("body:",
 * "orelse:") with the statements one level deeper. Strings print in double
 * quotes with \n \t \r \\ \" escapes and \xNN for every other byte outside
 * printable ASCII; floats print in the shortest form that reads back
 * exactly. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ast.h"
#include "diag.h"
#include "pyfloat.h"

/* ---- source files ---- */

SrcFile *src_from_text(Arena *a, const char *name, const char *text,
                       size_t len) {
  SrcFile *f = ARENA_NEW(a, SrcFile);
  f->name = arena_strdup(a, name);
  f->text = arena_strndup(a, text, len); /* NUL-terminated, as loc.h says */
  f->len = len;
  return f;
}

SrcFile *src_read(Arena *a, const char *path) {
  bool std = !strcmp(path, "-");
  FILE *fp = std ? stdin : fopen(path, "rb");
  if (!fp)
    diag_fatal("cannot read '%s': %s", path, strerror(errno));
  struct stat st;
  if (!fstat(fileno(fp), &st) && S_ISDIR(st.st_mode))
    diag_fatal("cannot read '%s': %s", path, strerror(EISDIR));
  size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 1 << 16, len = 0;
  char *buf = arena_alloc(a, cap);
  for (;;) {
    if (len + 1 >= cap) {
      buf = arena_realloc(a, buf, cap, cap * 2);
      cap *= 2;
    }
    size_t n = fread(buf + len, 1, cap - len - 1, fp);
    len += n;
    if (n == 0)
      break;
  }
  int err = ferror(fp) ? errno : 0;
  if (!std)
    fclose(fp);
  if (err)
    diag_fatal("cannot read '%s': %s", path, strerror(err));
  buf[len] = '\0';
  SrcFile *f = ARENA_NEW(a, SrcFile);
  f->name = arena_strdup(a, path);
  f->text = buf;
  f->len = len;
  return f;
}

/* ---- operators ---- */

const char *ast_opcode_str(OpCode op) {
  static const char *names[] = {
      [OP_NONE] = "?",    [OP_ADD] = "+",     [OP_SUB] = "-",
      [OP_MUL] = "*",     [OP_DIV] = "/",     [OP_FLOORDIV] = "//",
      [OP_MOD] = "%",     [OP_POW] = "**",    [OP_MATMUL] = "@",
      [OP_BITAND] = "&",  [OP_BITOR] = "|",   [OP_BITXOR] = "^",
      [OP_LSHIFT] = "<<", [OP_RSHIFT] = ">>", [OP_NEG] = "-",
      [OP_POS] = "+",     [OP_INVERT] = "~",  [OP_NOT] = "not",
      [OP_AND] = "and",   [OP_OR] = "or",     [OP_LT] = "<",
      [OP_LE] = "<=",     [OP_GT] = ">",      [OP_GE] = ">=",
      [OP_EQ] = "==",     [OP_NE] = "!=",     [OP_IN] = "in",
      [OP_NOTIN] = "not in", [OP_IS] = "is",  [OP_ISNOT] = "is not",
  };
  if ((unsigned)op >= sizeof names / sizeof *names || !names[op])
    return "?";
  return names[op];
}

/* ---- the dump ---- */

static void dump(FILE *out, const Node *n, int ind, const char *label);

static void print_str(FILE *out, const char *s, int len) {
  fputc('"', out);
  for (int i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') fputs("\\n", out);
    else if (c == '\t') fputs("\\t", out);
    else if (c == '\r') fputs("\\r", out);
    else if (c == '\\') fputs("\\\\", out);
    else if (c == '"') fputs("\\\"", out);
    else if (c < 0x20 || c >= 0x7f) fprintf(out, "\\x%02x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

/* A double as Python's repr prints it (ir/pyfloat.c, shared with the
 * evaluator and the runtime). */
static void print_float(FILE *out, double d) {
  char buf[PYFLOAT_MAX];
  pyfloat_repr(buf, d);
  fputs(buf, out);
}

/* Deeper levels (long operator chains) show their depth as [N] instead of
 * ever more spaces, so the dump stays linear in the tree. */
enum { MAX_INDENT = 100 };

static void indent(FILE *out, int ind, const char *label) {
  if (ind > MAX_INDENT)
    fprintf(out, "%*s[%d] ", MAX_INDENT * 2, "", ind);
  else
    fprintf(out, "%*s", ind * 2, "");
  if (label)
    fprintf(out, "%s: ", label);
}

static void dump_list(FILE *out, Node **v, int n, int ind, const char *label) {
  for (int i = 0; i < n; i++)
    dump(out, v[i], ind, label);
}

/* A statement list under a header line; nothing when empty. */
static void dump_block(FILE *out, const char *name, Node **v, int n, int ind) {
  if (!n)
    return;
  indent(out, ind, NULL);
  fprintf(out, "%s:\n", name);
  dump_list(out, v, n, ind + 1, NULL);
}

static void dump_params(FILE *out, const Node *n, int ind) {
  for (int i = 0; i < n->nparams; i++) {
    const Param *p = &n->params[i];
    indent(out, ind, NULL);
    fprintf(out, "Param %s'%s' %d:%d\n", p->star == 2 ? "**" : p->star ? "*" : "",
            p->name, p->loc.line, p->loc.col);
    if (p->annot)
      dump(out, p->annot, ind + 1, "annot");
    if (p->deflt)
      dump(out, p->deflt, ind + 1, "default");
  }
}

/* The first line of a node, without the location. */
static void head(FILE *out, const Node *n) {
  static const char *names[N_KIND_COUNT] = {
      [N_NAME] = "Name", [N_INT] = "Int", [N_FLOAT] = "Float", [N_STR] = "Str",
      [N_TRUE] = "True", [N_FALSE] = "False", [N_NONE] = "None",
      [N_ELLIPSIS] = "Ellipsis", [N_BINOP] = "BinOp", [N_UNARY] = "Unary",
      [N_BOOLOP] = "BoolOp", [N_COMPARE] = "Compare", [N_IFEXP] = "IfExp",
      [N_CALL] = "Call", [N_KEYWORD] = "Keyword", [N_STARRED] = "Starred",
      [N_ATTR] = "Attr", [N_SUBSCRIPT] = "Subscript", [N_SLICE] = "Slice",
      [N_LIST] = "List", [N_TUPLE] = "Tuple", [N_DICT] = "Dict",
      [N_SET] = "Set", [N_LISTCOMP] = "ListComp", [N_DICTCOMP] = "DictComp",
      [N_COMPFOR] = "For", [N_LAMBDA] = "Lambda",
      [N_FSTRING] = "FString", [N_FFIELD] = "FField", [N_EXPR] = "Expr",
      [N_ASSIGN] = "Assign", [N_AUGASSIGN] = "AugAssign",
      [N_ANNASSIGN] = "AnnAssign", [N_IF] = "If", [N_FOR] = "For",
      [N_WHILE] = "While", [N_BREAK] = "Break", [N_CONTINUE] = "Continue",
      [N_PASS] = "Pass", [N_RETURN] = "Return", [N_DEF] = "Def",
      [N_IMPORT] = "Import", [N_FROMIMPORT] = "FromImport",
      [N_GLOBAL] = "Global", [N_ASSERT] = "Assert", [N_DEL] = "Del",
      [N_MODULE] = "Module", [N_TRY] = "Try", [N_WITH] = "With", [N_EXCEPT] = "Except",
      [N_RAISE] = "Raise"};
  fputs(names[n->kind] ? names[n->kind] : "?", out);
  switch (n->kind) {
  case N_NAME: case N_ATTR: case N_DEF:
    fprintf(out, " '%s'", n->name);
    break;
  case N_KEYWORD:
    if (n->name)
      fprintf(out, " '%s'", n->name);
    else
      fputs(" **", out);
    break;
  case N_INT:
    if (n->str) /* past int64: its digits */
      fprintf(out, " %s", n->str);
    else
      fprintf(out, " %" PRId64, n->ival);
    break;
  case N_FLOAT:
    fputc(' ', out);
    print_float(out, n->fval);
    break;
  case N_STR:
    fputc(' ', out);
    print_str(out, n->str, n->len);
    break;
  case N_BINOP: case N_UNARY: case N_BOOLOP:
    fprintf(out, " %s", ast_opcode_str(n->op));
    break;
  case N_AUGASSIGN:
    fprintf(out, " %s=", ast_opcode_str(n->op));
    break;
  case N_COMPARE:
    for (int i = 0; i + 1 < n->nitems; i++)
      fprintf(out, " %s", ast_opcode_str(n->ops[i]));
    break;
  case N_IMPORT:
    fprintf(out, " '%s'", n->name);
    if (n->asname)
      fprintf(out, " as '%s'", n->asname);
    break;
  case N_FROMIMPORT:
    fprintf(out, " '%s' import '%s'", n->str, n->name);
    if (n->asname)
      fprintf(out, " as '%s'", n->asname);
    break;
  case N_GLOBAL:
    for (int i = 0; i < n->nitems; i++)
      fprintf(out, " '%s'", n->items[i]->name);
    break;
  case N_FFIELD:
    if (n->ival)
      fprintf(out, " !%c", (char)n->ival);
    break;
  default:
    break;
  }
}

static void children(FILE *out, const Node *n, int ind) {
  switch (n->kind) {
  case N_IFEXP:
    dump(out, n->cond, ind, "cond");
    dump(out, n->then, ind, "then");
    dump(out, n->els, ind, "else");
    break;
  case N_CALL:
    dump(out, n->lhs, ind, NULL);
    dump_list(out, n->items, n->nitems, ind, NULL);
    dump_list(out, n->kws, n->nkws, ind, NULL);
    break;
  case N_SUBSCRIPT:
    dump(out, n->lhs, ind, "value");
    dump(out, n->rhs, ind, "index");
    break;
  case N_SLICE:
    dump(out, n->lhs, ind, "lo");
    dump(out, n->rhs, ind, "hi");
    dump(out, n->els, ind, "step");
    break;
  case N_DICT:
    for (int i = 0; i < n->nitems; i++) {
      if (n->keys[i])
        dump(out, n->keys[i], ind, "key");
      dump(out, n->items[i], ind, n->keys[i] ? "value" : "unpack");
    }
    break;
  case N_LISTCOMP:
  case N_DICTCOMP:
    dump(out, n->key, ind, "key");
    dump(out, n->lhs, ind, n->key ? "value" : "elt");
    dump_list(out, n->comps, n->ncomps, ind, NULL);
    break;
  case N_COMPFOR:
  case N_FOR:
    dump(out, n->lhs, ind, "target");
    dump(out, n->rhs, ind, "iter");
    dump_list(out, n->items, n->nitems, ind, "if");
    break;
  case N_LAMBDA:
    dump_params(out, n, ind);
    dump(out, n->lhs, ind, "body");
    break;
  case N_ASSIGN:
    dump_list(out, n->items, n->nitems, ind, "target");
    dump(out, n->rhs, ind, "value");
    break;
  case N_AUGASSIGN:
  case N_ANNASSIGN:
    dump(out, n->lhs, ind, "target");
    dump(out, n->annot, ind, "annot");
    dump(out, n->rhs, ind, "value");
    break;
  case N_IF:
  case N_WHILE:
    dump(out, n->cond, ind, "cond");
    break;
  case N_DEF:
    dump_list(out, n->items, n->nitems, ind, "decorator");
    dump_params(out, n, ind);
    dump(out, n->annot, ind, "returns");
    break;
  case N_ASSERT:
    dump(out, n->cond, ind, "cond");
    dump(out, n->lhs, ind, "msg");
    break;
  case N_GLOBAL:
    break;
  default: /* operands and elements, in order */
    dump(out, n->lhs, ind, NULL);
    dump(out, n->rhs, ind, NULL);
    dump_list(out, n->items, n->nitems, ind, NULL);
    break;
  }
  dump_block(out, "body", n->body, n->nbody, ind);
  dump_block(out, "orelse", n->orelse, n->norelse, ind);
}

static void line(FILE *out, const Node *n, int ind, const char *label) {
  indent(out, ind, label);
  head(out, n);
  fprintf(out, " %d:%d\n", n->loc.line, n->loc.col);
}

/* `a + b + c + ...` (as deep as it is long) as dump() would print it, in a
 * loop over its left spine: the operators top down, the first operand,
 * then the right operands bottom up. */
static void dump_chain(FILE *out, const Node *n, int ind, const char *label) {
  int k = 0;
  for (const Node *s = n; s->kind == N_BINOP; s = s->lhs)
    k++;
  const Node **spine = malloc(sizeof *spine * (size_t)k);
  if (!spine) {
    fprintf(stderr, "taskc: error: out of memory\n");
    exit(1);
  }
  k = 0;
  for (const Node *s = n; s->kind == N_BINOP; s = s->lhs) {
    line(out, s, ind + k, k ? NULL : label);
    spine[k++] = s;
  }
  dump(out, spine[k - 1]->lhs, ind + k, NULL);
  for (int i = k - 1; i >= 0; i--)
    dump(out, spine[i]->rhs, ind + i + 1, NULL);
  free(spine);
}

static void dump(FILE *out, const Node *n, int ind, const char *label) {
  if (!n)
    return;
  if (n->kind == N_BINOP && n->lhs->kind == N_BINOP) {
    dump_chain(out, n, ind, label);
    return;
  }
  indent(out, ind, label);
  head(out, n);
  if (n->kind == N_MODULE)
    fputc('\n', out);
  else
    fprintf(out, " %d:%d\n", n->loc.line, n->loc.col);
  if (n->kind == N_MODULE)
    dump_list(out, n->body, n->nbody, ind + 1, NULL);
  else
    children(out, n, ind + 1);
}

void ast_dump(FILE *out, const Node *n) { dump(out, n, 0, NULL); }

static void walk_list(Node **v, int n, void (*visit)(Node *, void *), void *ctx) {
  for (int i = 0; i < n; i++)
    ast_walk(v[i], visit, ctx);
}

void ast_walk(Node *n, void (*visit)(Node *n, void *ctx), void *ctx) {
  if (!n)
    return;
  visit(n, ctx);
  Node *one[] = {n->lhs, n->rhs, n->cond, n->then, n->els, n->key};
  for (size_t i = 0; i < sizeof one / sizeof *one; i++)
    ast_walk(one[i], visit, ctx);
  walk_list(n->items, n->nitems, visit, ctx);
  walk_list(n->keys, n->nkeys, visit, ctx);
  walk_list(n->kws, n->nkws, visit, ctx);
  walk_list(n->comps, n->ncomps, visit, ctx);
  walk_list(n->body, n->nbody, visit, ctx);
  walk_list(n->orelse, n->norelse, visit, ctx);
  for (int i = 0; i < n->nparams; i++)
    ast_walk(n->params[i].deflt, visit, ctx);
}
