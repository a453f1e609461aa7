/* sema_str.c - types of the string operations of function bodies; see
 * sema_str.h. Each str method takes the arguments Python's does (keywords
 * only where Python users write them: split's sep and maxsplit), checked
 * here so that the runtime never sees a wrong type. */
#include <stdlib.h>
#include <string.h>

#include "sema_str.h"

/* Arguments: s str, S str or None, i int, I int or None, L list[str]. */
static const struct {
  const char *name;
  const char *args; /* required, then '|', then optional */
  Type **ret;
} methods[] = {
    [STR_SPLIT] = {"split", "|Si", NULL},  [STR_JOIN] = {"join", "L", &ty_str},
    [STR_STRIP] = {"strip", "|S", &ty_str}, [STR_LSTRIP] = {"lstrip", "|S", &ty_str},
    [STR_RSTRIP] = {"rstrip", "|S", &ty_str}, [STR_LOWER] = {"lower", "", &ty_str},
    [STR_UPPER] = {"upper", "", &ty_str},  [STR_REPLACE] = {"replace", "ss|i", &ty_str},
    [STR_STARTSWITH] = {"startswith", "s", &ty_bool},
    [STR_ENDSWITH] = {"endswith", "s", &ty_bool},
    [STR_FIND] = {"find", "s|II", &ty_int}, [STR_RFIND] = {"rfind", "s|II", &ty_int},
    [STR_INDEX] = {"index", "s|II", &ty_int}, [STR_RINDEX] = {"rindex", "s|II", &ty_int},
    [STR_COUNT] = {"count", "s|II", &ty_int}, [STR_ISDIGIT] = {"isdigit", "", &ty_bool},
    [STR_ISALPHA] = {"isalpha", "", &ty_bool}, [STR_ISSPACE] = {"isspace", "", &ty_bool},
    [STR_ISALNUM] = {"isalnum", "", &ty_bool}, [STR_ISUPPER] = {"isupper", "", &ty_bool},
    [STR_ISLOWER] = {"islower", "", &ty_bool}, [STR_FORMAT] = {"format", NULL, &ty_str},
};

static bool fits(char want, Type *t) {
  switch (want) {
  case 's': return t == ty_str;
  case 'S': return t == ty_str || t == ty_none;
  case 'i': return t == ty_int || t == ty_bool;
  case 'I': return t == ty_int || t == ty_bool || t == ty_none;
  default: return t == ty_list(ty_str);
  }
}

static const char *want_name(char want) {
  switch (want) {
  case 's': return "str";
  case 'S': return "str or None";
  case 'i': return "int";
  case 'I': return "int or None";
  default: return "list[str]";
  }
}

/* split(sep=..., maxsplit=...): keywords moved to their positions. */
static void split_keywords(Checker *c, Node *n) {
  if (!n->nkws)
    return;
  Node **items = ARENA_ARRAY(c->a, Node *, 3);
  for (int i = 0; i < n->nitems; i++)
    items[i] = n->items[i];
  int count = n->nitems;
  for (int k = 0; k < n->nkws; k++) {
    Node *kw = n->kws[k];
    int at = kw->name && !strcmp(kw->name, "sep")        ? 0
             : kw->name && !strcmp(kw->name, "maxsplit") ? 1
                                                         : -1;
    if (at < 0)
      diag_error(kw->loc, "split() got an unexpected keyword argument '%s'",
                 kw->name ? kw->name : "**");
    if (at < count && items[at])
      diag_error(kw->loc, "split() got multiple values for argument '%s'", kw->name);
    if (at == 1 && count == 0) {
      Node *none = ARENA_NEW(c->a, Node);
      none->kind = N_NONE;
      none->loc = kw->loc;
      items[0] = none;
    }
    items[at] = kw->lhs;
    if (count < at + 1)
      count = at + 1;
  }
  n->items = items;
  n->nitems = count;
  n->nkws = 0;
}

static Type *method(Checker *c, Node *n, int m) {
  const char *name = methods[m].name, *spec = methods[m].args;
  if (m == STR_SPLIT)
    split_keywords(c, n);
  else if (n->nkws)
    diag_error(n->kws[0]->loc, "%s() takes no keyword arguments", name);
  int need = (int)strcspn(spec, "|"), most = (int)strlen(spec) - (strchr(spec, '|') ? 1 : 0);
  if (n->nitems < need || n->nitems > most)
    diag_error(n->loc, "%s() takes %s%d argument%s (%d given)", name,
               need == most ? "" : need ? "at least " : "at most ", n->nitems < need ? need : most,
               (n->nitems < need ? need : most) == 1 ? "" : "s", n->nitems);
  const char *w = spec;
  for (int i = 0; i < n->nitems; i++, w++) {
    if (*w == '|')
      w++;
    if (n->items[i]->kind == N_STARRED)
      diag_error(n->items[i]->loc, "'*' arguments are not supported in function bodies");
    Type *t = sema_expr(c, n->items[i]);
    if (!fits(*w, t)) {
      if (m == STR_STARTSWITH || m == STR_ENDSWITH)
        diag_error(n->items[i]->loc, "%s() of a %s is not supported in function bodies "
                   "(a str prefix only)", name, ty_name(t));
      diag_error(n->items[i]->loc, "%s() argument %d must be %s, not %s", name, i + 1,
                 want_name(*w), ty_name(t));
    }
  }
  sema_note(c, n)->method = SEMA_M_STR + m;
  return methods[m].ret ? *methods[m].ret : ty_list(ty_str);
}

/* ---- str.format ---- */

Node *sema_str_format_arg(Node *n, const PyfField *f, int *auto_next) {
  for (size_t i = 0; i < f->namen; i++)
    if (f->name[i] == '.' || f->name[i] == '[')
      diag_error(n->loc, "str.format field '%.*s': indexing and attributes in a field are a "
                 "taskc limit (compute the value first)", (int)f->namen, f->name);
  for (size_t i = 0; i < f->specn; i++)
    if (f->spec[i] == '{')
      diag_error(n->loc, "str.format: a nested field in a format spec is a taskc limit in "
                 "function bodies (use an f-string)");
  if (f->namen == 0) {
    if (*auto_next < 0)
      diag_error(n->loc, "cannot switch from manual field specification to automatic field "
                 "numbering");
    int k = (*auto_next)++;
    if (k >= n->nitems)
      diag_error(n->loc, "Replacement index %d out of range for positional args tuple", k);
    return n->items[k];
  }
  int64_t k = pyf_field_index(f->name, f->namen);
  if (k >= 0) {
    if (*auto_next > 0)
      diag_error(n->loc, "cannot switch from automatic field numbering to manual field "
                 "specification");
    *auto_next = -1;
    if (k >= n->nitems)
      diag_error(n->loc, "Replacement index %lld out of range for positional args tuple",
                 (long long)k);
    return n->items[k];
  }
  for (int i = 0; i < n->nkws; i++)
    if (n->kws[i]->name && strlen(n->kws[i]->name) == f->namen &&
        !memcmp(n->kws[i]->name, f->name, f->namen))
      return n->kws[i]->lhs;
  diag_error(n->loc, "KeyError: '%.*s'", (int)f->namen, f->name);
}

static Type *format_method(Checker *c, Node *n) {
  Node *t = n->lhs->lhs;
  if (t->kind != N_STR)
    diag_error(t->loc, "str.format() in a function body needs a constant template "
               "(a string literal); use an f-string");
  for (int i = 0; i < n->nitems; i++) {
    if (n->items[i]->kind == N_STARRED)
      diag_error(n->items[i]->loc, "'*' arguments are not supported in function bodies");
    sema_expr(c, n->items[i]);
  }
  for (int i = 0; i < n->nkws; i++) {
    if (!n->kws[i]->name)
      diag_error(n->kws[i]->loc, "'**' arguments are not supported in function bodies");
    sema_expr(c, n->kws[i]->lhs);
  }
  size_t pos = 0;
  PyfBuf lit = {0};
  PyfField f;
  char err[PYF_ERR];
  int auto_next = 0, r;
  while ((r = pyf_template_next(t->str, (size_t)t->len, &pos, &lit, &f, err)) == 1)
    if (f.has_field)
      sema_str_format_arg(n, &f, &auto_next);
  free(lit.p);
  if (r < 0)
    diag_error(t->loc, "%s", err);
  sema_note(c, n)->method = SEMA_M_STR + STR_FORMAT;
  return ty_str;
}

/* ---- the entry points ---- */

/* Lists, tuples and dicts format as their repr (sets cannot leave a body,
 * and CPython shows them in hash order). */
bool sema_str_container(const Type *t) {
  return t->kind == TY_LIST || t->kind == TY_TUPLE || (t->kind == TY_DICT && !sema_is_set(t));
}

static bool formattable(Type *t) {
  return t == ty_int || t == ty_float || t == ty_bool || t == ty_str || t == ty_none ||
         sema_str_container(t);
}

static void want_formattable(Node *at, Type *t) {
  if (!formattable(t))
    diag_error(at->loc, "formatting a %s is not supported in function bodies", ty_name(t));
}

static Type *builtin(Checker *c, Node *n, const char *name) {
  bool is_repr = !strcmp(name, "repr");
  if (n->nkws)
    diag_error(n->kws[0]->loc, "%s() takes no keyword arguments", name);
  if (n->nitems < 1 || n->nitems > (is_repr ? 1 : 2))
    diag_error(n->loc, is_repr ? "repr() takes exactly one argument (%d given)"
                               : "format() takes 1 or 2 arguments (%d given)", n->nitems);
  want_formattable(n->items[0], sema_expr(c, n->items[0]));
  if (n->nitems == 2 && sema_expr(c, n->items[1]) != ty_str)
    diag_error(n->items[1]->loc, "format() argument 2 must be str");
  sema_note(c, n)->method = SEMA_M_STR + (is_repr ? STR_REPR : STR_FORMAT_BUILTIN);
  return ty_str;
}

/* Is the receiver of f (an N_ATTR being called) a str? Module paths
 * (math.sqrt) and locals of other types are left to sema_call; any other
 * receiver is typed here (once: chains like s.strip().lower() nest), and
 * *other gets its type when it is not a str (list and dict methods of
 * values, sema_seq.c). */
static bool str_receiver(Checker *c, Node *f, Type **other) {
  *other = NULL;
  if (sema_resolve(c, f))
    return false;
  Node *r = f->lhs;
  if (r->kind == N_NAME) {
    int slot = sema_local_find(c, r->name);
    if (slot < 0 || c->info->locals[slot].type != ty_str)
      return false;
    sema_expr(c, r);
    return true;
  }
  if (r->kind == N_ATTR)
    return false;
  Type *t = sema_expr(c, r);
  if (t != ty_str)
    *other = t;
  return t == ty_str;
}

Type *sema_str_call(Checker *c, Node *n) {
  Node *f = n->lhs;
  if (f->kind == N_NAME && (!strcmp(f->name, "repr") || !strcmp(f->name, "format")) &&
      sema_local_find(c, f->name) < 0 && !sema_find_func(c->g, f->name))
    return builtin(c, n, f->name);
  if (f->kind != N_ATTR)
    return NULL;
  Type *other;
  if (!str_receiver(c, f, &other)) {
    if (!other)
      return NULL;
    Type *t = sema_value_method_of(c, n, other); /* d.setdefault(k, []).append */
    if (!t)
      diag_error(f->loc, "'%s' object has no attribute '%s' in function "
                 "bodies", sema_pyname(other), f->name);
    return t;
  }
  for (int m = 0; m < STR_REPR; m++)
    if (!strcmp(methods[m].name, f->name))
      return m == STR_FORMAT ? format_method(c, n) : method(c, n, m);
  diag_error(f->loc, "str method '%s' is not supported in function bodies", f->name);
}

Type *sema_str_binop(OpCode op, Type *l, Type *r) {
  bool lint = l == ty_int || l == ty_bool, rint = r == ty_int || r == ty_bool;
  if (op == OP_MUL && ((l == ty_str && rint) || (lint && r == ty_str)))
    return ty_str;
  if (op == OP_MOD && l == ty_str)
    return formattable(r) ? ty_str : NULL;
  return NULL;
}

Type *sema_fstring(Checker *c, Node *n) {
  for (int i = 0; i < n->nitems; i++) {
    Node *p = n->items[i];
    if (p->kind != N_FFIELD)
      continue;
    want_formattable(p->lhs, sema_expr(c, p->lhs));
    if (p->rhs)
      sema_expr(c, p->rhs); /* an N_STR or an N_FSTRING: str */
  }
  return ty_str;
}

Type *sema_str_slice(Checker *c, Node *n, Type *t) {
  if (t != ty_str)
    diag_error(n->rhs->loc, "slices are not supported in function bodies");
  Node *s = n->rhs, *parts[] = {s->lhs, s->rhs, s->els};
  for (int i = 0; i < 3; i++) {
    if (!parts[i])
      continue;
    Type *pt = sema_expr(c, parts[i]);
    if (pt != ty_int && pt != ty_bool && pt != ty_none)
      diag_error(parts[i]->loc, "slice indices must be integers or None");
  }
  return ty_str;
}

Type *sema_str_number(Checker *c, Node *n, bool is_int, Type *arg) {
  if (arg != ty_str)
    return NULL;
  sema_note(c, n)->method = SEMA_M_STR + (is_int ? STR_TO_INT : STR_TO_FLOAT);
  return is_int ? ty_int : ty_float;
}
