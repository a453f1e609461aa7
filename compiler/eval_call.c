/* eval_call.c - calls at compile time: argument evaluation and binding,
 * lambdas, and the methods of lists, dicts, strings and tuples. Builtin
 * functions are in eval_builtin.c; calls that make tasks in eval_task.c. */
#include <string.h>

#include "eval_int.h"

/* ---- arguments ---- */

Args *eval_args_new(Eval *e, Loc loc, int npos, Value **pos) {
  Args *a = ARENA_NEW(e->a, Args);
  a->loc = loc;
  a->npos = npos;
  a->pos = ARENA_ARRAY(e->a, Value *, npos + 1);
  a->pos_loc = ARENA_ARRAY(e->a, Loc, npos + 1);
  a->pos_node = ARENA_ARRAY(e->a, Node *, npos + 1);
  for (int i = 0; i < npos; i++) {
    a->pos[i] = pos[i];
    a->pos_loc[i] = loc;
  }
  return a;
}

static void push_pos(Eval *e, Args *a, Value *v, Loc loc, Node *node, int *cap) {
  if (a->npos == *cap) {
    int c = *cap * 2 + 4;
    a->pos = arena_realloc(e->a, a->pos, sizeof(Value *) * (size_t)*cap,
                           sizeof(Value *) * (size_t)c);
    a->pos_loc = arena_realloc(e->a, a->pos_loc, sizeof(Loc) * (size_t)*cap,
                               sizeof(Loc) * (size_t)c);
    a->pos_node = arena_realloc(e->a, a->pos_node, sizeof(Node *) * (size_t)*cap,
                                sizeof(Node *) * (size_t)c);
    *cap = c;
  }
  a->pos[a->npos] = v;
  a->pos_loc[a->npos] = loc;
  a->pos_node[a->npos] = node;
  a->npos++;
}

static void push_kw(Eval *e, Args *a, const char *name, Value *v, Loc loc, int *cap) {
  for (int i = 0; i < a->nkw; i++)
    if (!strcmp(a->kw_names[i], name))
      diag_error(loc, "keyword argument '%s' repeated", name);
  if (a->nkw == *cap) {
    int c = *cap * 2 + 4;
    a->kw_names = arena_realloc(e->a, a->kw_names, sizeof(char *) * (size_t)*cap,
                                sizeof(char *) * (size_t)c);
    a->kw = arena_realloc(e->a, a->kw, sizeof(Value *) * (size_t)*cap,
                          sizeof(Value *) * (size_t)c);
    a->kw_loc = arena_realloc(e->a, a->kw_loc, sizeof(Loc) * (size_t)*cap,
                              sizeof(Loc) * (size_t)c);
    *cap = c;
  }
  a->kw_names[a->nkw] = name;
  a->kw[a->nkw] = v;
  a->kw_loc[a->nkw] = loc;
  a->nkw++;
}

/* A record for a call's arguments: a finished call's when one is free, so
 * a loop making millions of calls does not fill the arena with them. */
static Args *args_take(Eval *e, int npos) {
  Args *a = e->free_args;
  if (a) {
    e->free_args = a->next_free;
    *a = (Args){.pos = a->pos, .pos_loc = a->pos_loc, .pos_node = a->pos_node,
                .pos_cap = a->pos_cap, .kw_names = a->kw_names, .kw = a->kw,
                .kw_loc = a->kw_loc, .kw_cap = a->kw_cap};
  } else {
    a = ARENA_NEW(e->a, Args);
  }
  /* Sized for the common call without *args: push_pos's growth would
   * leave room for four, and a big loop makes millions of calls. */
  if (a->pos_cap < npos) {
    a->pos = ARENA_ARRAY(e->a, Value *, npos);
    a->pos_loc = ARENA_ARRAY(e->a, Loc, npos);
    a->pos_node = ARENA_ARRAY(e->a, Node *, npos);
    a->pos_cap = npos;
  }
  return a;
}

/* Only for callees known to keep neither the record nor its arrays once
 * they return (see args_reusable). */
static void args_give_back(Eval *e, Args *a) {
  a->next_free = e->free_args;
  e->free_args = a;
}

/* Callees that only read their arguments during the call: list methods
 * (values are stored, never the arrays), range, len, and task-making calls
 * (convert_args and bind_params copy), and defs run at compile time. */
static bool args_reusable(Value *callee) {
  switch (callee->kind) {
  case V_LIST: return true;
  case V_DFUNC: return callee->dfunc.target != NULL;
  case V_FUNC: return true; /* eval_def_call binds the values, not the record */
  case V_BUILTIN: return eval_builtin_args_reusable(callee);
  default: return false;
  }
}

static Args *eval_args(Eval *e, Node *n) {
  Args *a = args_take(e, n->nitems);
  a->loc = n->loc;
  a->call = n;
  for (int i = 0; i < n->nitems; i++) {
    Node *it = n->items[i];
    if (it->kind == N_STARRED) {
      int m;
      Value **items = eval_iterate(e, eval_expr(e, it->lhs), it->loc, &m);
      for (int k = 0; k < m; k++)
        push_pos(e, a, items[k], it->loc, NULL, &a->pos_cap);
    } else {
      push_pos(e, a, eval_expr(e, it), it->loc, it, &a->pos_cap);
    }
  }
  for (int i = 0; i < n->nkws; i++) {
    Node *k = n->kws[i];
    Value *v = eval_expr(e, k->lhs);
    if (k->name) {
      push_kw(e, a, k->name, v, k->loc, &a->kw_cap);
      continue;
    }
    if (v->kind != V_DICT)
      diag_error(k->loc, "'**' needs a dict, not '%s'", v_type_name(v));
    for (int j = 0; j < v->dict->n; j++) {
      Value *key = v->dict->keys[j];
      if (key->kind != V_STR)
        diag_error(k->loc, "keywords must be strings");
      push_kw(e, a, key->str.s, v->dict->vals[j], k->loc, &a->kw_cap);
    }
  }
  return a;
}

Value *eval_arg_kw(Args *a, const char *name, int *index) {
  for (int i = 0; i < a->nkw; i++)
    if (!strcmp(a->kw_names[i], name)) {
      if (index)
        *index = i;
      return a->kw[i];
    }
  return NULL;
}

void eval_args_no_kw(Eval *e, Args *a, const char *fname) {
  (void)e;
  if (a->nkw)
    diag_error(a->kw_loc[0], "%s() got an unexpected keyword argument '%s'",
               fname, a->kw_names[0]);
}

void eval_args_check_kw(Eval *e, Args *a, const char *fname, const char **allowed) {
  (void)e;
  for (int i = 0; i < a->nkw; i++) {
    bool ok = false;
    for (int k = 0; allowed[k] && !ok; k++)
      ok = !strcmp(allowed[k], a->kw_names[i]);
    if (!ok)
      diag_error(a->kw_loc[i], "%s() got an unexpected keyword argument '%s'",
                 fname, a->kw_names[i]);
  }
}

void eval_args_count(Eval *e, Args *a, const char *fname, int min, int max) {
  (void)e;
  if (a->npos >= min && (max < 0 || a->npos <= max))
    return;
  if (min == max)
    diag_error(a->loc, "%s() takes %d argument%s but %d %s given", fname, min,
               min == 1 ? "" : "s", a->npos, a->npos == 1 ? "was" : "were");
  if (a->npos < min)
    diag_error(a->loc, "%s() takes at least %d argument%s but %d %s given",
               fname, min, min == 1 ? "" : "s", a->npos,
               a->npos == 1 ? "was" : "were");
  diag_error(a->loc, "%s() takes at most %d argument%s but %d %s given", fname,
             max, max == 1 ? "" : "s", a->npos, a->npos == 1 ? "was" : "were");
}

Value **eval_bind_params(Eval *e, const char *fname, Param *params, int np,
                    Value **defaults, Args *a) {
  /* One buffer for every call: callers use the result before the next
   * call (a million task calls would otherwise leave a million arrays). */
  if (e->bind_cap < np + 1) {
    e->bind_cap = np + 1 > 16 ? np + 1 : 16;
    e->bind_buf = ARENA_ARRAY(e->a, Value *, e->bind_cap);
  }
  Value **out = e->bind_buf;
  memset(out, 0, sizeof *out * (size_t)(np + 1));
  if (a->npos > np)
    diag_error(a->npos ? a->pos_loc[np] : a->loc,
               "%s() takes %d positional argument%s but %d %s given", fname,
               np, np == 1 ? "" : "s", a->npos, a->npos == 1 ? "was" : "were");
  for (int i = 0; i < a->npos; i++)
    out[i] = a->pos[i];
  for (int k = 0; k < a->nkw; k++) {
    int i = 0;
    while (i < np && strcmp(params[i].name, a->kw_names[k]))
      i++;
    if (i == np)
      diag_error(a->kw_loc[k], "%s() got an unexpected keyword argument '%s'",
                 fname, a->kw_names[k]);
    if (out[i])
      diag_error(a->kw_loc[k], "%s() got multiple values for argument '%s'",
                 fname, a->kw_names[k]);
    out[i] = a->kw[k];
  }
  for (int i = 0; i < np; i++) {
    if (!out[i])
      out[i] = defaults ? defaults[i] : NULL;
    if (!out[i])
      diag_error(a->loc, "%s() missing required argument '%s'", fname,
                 params[i].name);
  }
  return out;
}

/* ---- lambdas ---- */

static Value *call_lambda(Eval *e, Value *f, Args *a) {
  Node *n = f->lambda.node;
  Value **vals = eval_bind_params(e, "<lambda>", n->params, n->nparams,
                             f->lambda.defaults, a);
  Scope *saved = e->scope;
  e->scope = eval_scope_new(e, f->lambda.env);
  for (int i = 0; i < n->nparams; i++)
    eval_bind(e, e->scope, n->params[i].name, vals[i]);
  eval_step(e, a->loc, 1);
  Value *r = eval_expr(e, n->lhs);
  e->scope = saved;
  return r;
}

/* ---- sorting ---- */

static void merge(Eval *e, Value **v, Value **k, Value **tv, Value **tk,
                  int lo, int hi, bool rev, Loc loc) {
  if (hi - lo < 2)
    return;
  int mid = (lo + hi) / 2;
  merge(e, v, k, tv, tk, lo, mid, rev, loc);
  merge(e, v, k, tv, tk, mid, hi, rev, loc);
  int i = lo, j = mid, o = lo;
  while (i < mid && j < hi) {
    /* take from the right only when strictly before: stable */
    bool right = rev ? eval_less_than(e, k[i], k[j], loc) : eval_less_than(e, k[j], k[i], loc);
    if (right) {
      tv[o] = v[j];
      tk[o++] = k[j++];
    } else {
      tv[o] = v[i];
      tk[o++] = k[i++];
    }
  }
  while (i < mid) {
    tv[o] = v[i];
    tk[o++] = k[i++];
  }
  while (j < hi) {
    tv[o] = v[j];
    tk[o++] = k[j++];
  }
  memcpy(v + lo, tv + lo, sizeof *v * (size_t)(hi - lo));
  memcpy(k + lo, tk + lo, sizeof *k * (size_t)(hi - lo));
}

void eval_sort_values(Eval *e, Value **items, int n, Value *key, bool reverse, Loc loc) {
  Value **keys = ARENA_ARRAY(e->a, Value *, n + 1);
  for (int i = 0; i < n; i++)
    keys[i] = key && key->kind != V_NONE
                  ? eval_call_value(e, key, eval_args_new(e, loc, 1, &items[i]))
                  : items[i];
  eval_step(e, loc, n);
  merge(e, items, keys, ARENA_ARRAY(e->a, Value *, n + 1),
        ARENA_ARRAY(e->a, Value *, n + 1), 0, n, reverse, loc);
}

/* ---- methods ---- */

static Value *list_method(Eval *e, Value *l, const char *m, Args *a) {
  Loc loc = a->loc;
  if (!strcmp(m, "append")) {
    eval_args_count(e, a, "append", 1, 1);
    v_list_push(e->a, l, a->pos[0]);
    return v_none();
  }
  if (!strcmp(m, "extend")) {
    eval_args_count(e, a, "extend", 1, 1);
    int n;
    Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
    for (int i = 0; i < n; i++)
      v_list_push(e->a, l, items[i]);
    return v_none();
  }
  if (!strcmp(m, "pop")) {
    eval_args_count(e, a, "pop", 0, 1);
    if (!l->seq.n)
      diag_error(loc, "pop from empty list");
    int64_t i = a->npos ? eval_need_int(e, a->pos[0], a->pos_loc[0], "an index")
                        : l->seq.n - 1;
    if (i < 0)
      i += l->seq.n;
    if (i < 0 || i >= l->seq.n)
      diag_error(loc, "pop index out of range");
    Value *v = l->seq.items[i];
    v_list_remove_at(l, (int)i);
    return v;
  }
  if (!strcmp(m, "insert")) {
    eval_args_count(e, a, "insert", 2, 2);
    int64_t i = eval_need_int(e, a->pos[0], a->pos_loc[0], "an index");
    if (i < 0)
      i += l->seq.n;
    i = i < 0 ? 0 : i > l->seq.n ? l->seq.n : i;
    v_list_insert(e->a, l, (int)i, a->pos[1]);
    return v_none();
  }
  if (!strcmp(m, "remove")) {
    eval_args_count(e, a, "remove", 1, 1);
    for (int i = 0; i < l->seq.n; i++)
      if (v_equal(l->seq.items[i], a->pos[0])) {
        v_list_remove_at(l, i);
        return v_none();
      }
    diag_error(loc, "list.remove(x): x not in list");
  }
  if (!strcmp(m, "copy")) {
    eval_args_count(e, a, "copy", 0, 0);
    return eval_mk_list(e, l->seq.items, l->seq.n);
  }
  if (!strcmp(m, "clear")) {
    eval_args_count(e, a, "clear", 0, 0);
    l->seq.n = 0;
    return v_none();
  }
  if (!strcmp(m, "reverse")) {
    eval_args_count(e, a, "reverse", 0, 0);
    for (int i = 0, j = l->seq.n - 1; i < j; i++, j--) {
      Value *t = l->seq.items[i];
      l->seq.items[i] = l->seq.items[j];
      l->seq.items[j] = t;
    }
    return v_none();
  }
  if (!strcmp(m, "sort")) {
    eval_args_count(e, a, "sort", 0, 0);
    static const char *kws[] = {"key", "reverse", NULL};
    eval_args_check_kw(e, a, "sort", kws);
    Value *rev = eval_arg_kw(a, "reverse", NULL);
    /* sorted in a copy: a key function may grow the list, which moves
     * (and recycles) its items */
    int n = l->seq.n;
    Value **items = ARENA_ARRAY(e->a, Value *, n + 1);
    memcpy(items, l->seq.items, sizeof *items * (size_t)n);
    eval_sort_values(e, items, n, eval_arg_kw(a, "key", NULL), rev && eval_truthy(e, rev, loc),
                loc);
    memcpy(l->seq.items, items, sizeof *items * (size_t)(n < l->seq.n ? n : l->seq.n));
    return v_none();
  }
  return NULL;
}

static Value *seq_method(Eval *e, Value *l, const char *m, Args *a) {
  if (!strcmp(m, "index")) {
    eval_args_count(e, a, "index", 1, 1);
    for (int i = 0; i < l->seq.n; i++)
      if (v_equal(l->seq.items[i], a->pos[0]))
        return eval_mk_int(e, i);
    diag_error(a->loc, "%s is not in the %s", v_repr(e->a, a->pos[0]),
               v_type_name(l));
  }
  if (!strcmp(m, "count")) {
    eval_args_count(e, a, "count", 1, 1);
    int c = 0;
    for (int i = 0; i < l->seq.n; i++)
      c += v_equal(l->seq.items[i], a->pos[0]);
    return eval_mk_int(e, c);
  }
  return NULL;
}

static void need_key(Eval *e, Value *k, Loc loc) {
  (void)e;
  if (!v_hashable(k))
    diag_error(loc, "unhashable type: '%s'", v_type_name(k));
}

static void dict_update(Eval *e, Value *d, Args *a) {
  if (a->npos) {
    Value *src = a->pos[0];
    if (src->kind == V_DICT) {
      for (int i = 0; i < src->dict->n; i++)
        v_dict_set(e->a, d->dict, src->dict->keys[i], src->dict->vals[i],
                 src->dict->locs[i]);
    } else {
      int n;
      Value **items = eval_iterate(e, src, a->pos_loc[0], &n);
      for (int i = 0; i < n; i++) {
        if ((items[i]->kind != V_TUPLE && items[i]->kind != V_LIST) ||
            items[i]->seq.n != 2)
          diag_error(a->pos_loc[0], "dict update sequence element #%d is not "
                     "a pair", i);
        need_key(e, items[i]->seq.items[0], a->pos_loc[0]);
        v_dict_set(e->a, d->dict, items[i]->seq.items[0], items[i]->seq.items[1],
                 a->pos_loc[0]);
      }
    }
  }
  for (int i = 0; i < a->nkw; i++)
    v_dict_set(e->a, d->dict, v_cstr(e->a, a->kw_names[i]), a->kw[i], a->kw_loc[i]);
}

static Value *dict_method(Eval *e, Value *d, const char *m, Args *a) {
  VDict *dd = d->dict;
  if (!strcmp(m, "keys") || !strcmp(m, "values") || !strcmp(m, "items")) {
    eval_args_count(e, a, m, 0, 0);
    Value **out = ARENA_ARRAY(e->a, Value *, dd->n + 1);
    for (int i = 0; i < dd->n; i++) {
      Value *pair[2] = {dd->keys[i], dd->vals[i]};
      out[i] = m[0] == 'k' ? dd->keys[i] : m[0] == 'v' ? dd->vals[i]
                                                       : eval_mk_tuple(e, pair, 2);
    }
    return eval_mk_list(e, out, dd->n);
  }
  if (!strcmp(m, "get") || !strcmp(m, "setdefault") || !strcmp(m, "pop")) {
    eval_args_no_kw(e, a, m);
    eval_args_count(e, a, m, m[0] == 'p' ? 1 : 1, 2);
    need_key(e, a->pos[0], a->pos_loc[0]);
    Value *v = v_dict_get(dd, a->pos[0]);
    Value *dflt = a->npos > 1 ? a->pos[1] : v_none();
    if (m[0] == 'g')
      return v ? v : dflt;
    if (m[0] == 's') {
      if (!v)
        v_dict_set(e->a, dd, a->pos[0], v = dflt, a->loc);
      return v;
    }
    if (!v) {
      if (a->npos < 2)
        diag_error(a->loc, "key %s is not in the dict", v_repr(e->a, a->pos[0]));
      return dflt;
    }
    v_dict_remove(e->a, dd, a->pos[0]);
    return v;
  }
  if (!strcmp(m, "update")) {
    eval_args_count(e, a, "update", 0, 1);
    dict_update(e, d, a);
    return v_none();
  }
  if (!strcmp(m, "copy")) {
    eval_args_count(e, a, "copy", 0, 0);
    return v_dict_copy(e->a, dd);
  }
  if (!strcmp(m, "clear")) {
    eval_args_count(e, a, "clear", 0, 0);
    v_dict_clear(dd);
    return v_none();
  }
  return NULL;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static Value *str_split(Eval *e, Value *s, Args *a) {
  static const char *kws[] = {"sep", "maxsplit", NULL};
  eval_args_check_kw(e, a, "split", kws);
  eval_args_count(e, a, "split", 0, 2);
  Value *sep = a->npos > 0 ? a->pos[0] : eval_arg_kw(a, "sep", NULL);
  Value *mx = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "maxsplit", NULL);
  int64_t max = mx ? eval_need_int(e, mx, a->loc, "maxsplit") : -1;
  Value *out = eval_mk_list(e, NULL, 0);
  const char *p = s->str.s, *end = p + s->str.len;
  eval_step(e, a->loc, s->str.len / 16);
  if (!sep || sep->kind == V_NONE) {
    for (;;) {
      while (p < end && is_space(*p))
        p++;
      if (p == end)
        break;
      const char *q = p;
      if (max >= 0 && out->seq.n == max) {
        q = end; /* the rest, trailing whitespace and all, as Python keeps it */
      } else {
        while (q < end && !is_space(*q))
          q++;
      }
      v_list_push(e->a, out, v_str(e->a, p, (int)(q - p)));
      p = q;
    }
    return out;
  }
  if (sep->kind != V_STR)
    diag_error(a->loc, "split() separator must be a str");
  if (!sep->str.len)
    diag_error(a->loc, "empty separator");
  for (;;) {
    const char *q = p;
    while (q + sep->str.len <= end &&
           memcmp(q, sep->str.s, (size_t)sep->str.len))
      q++;
    if (q + sep->str.len > end || (max >= 0 && out->seq.n == max)) {
      v_list_push(e->a, out, v_str(e->a, p, (int)(end - p)));
      return out;
    }
    v_list_push(e->a, out, v_str(e->a, p, (int)(q - p)));
    p = q + sep->str.len;
  }
}

static bool strip_char(Value *chars, char c) {
  if (!chars || chars->kind == V_NONE)
    return is_space(c);
  return memchr(chars->str.s, c, (size_t)chars->str.len) != NULL;
}

static Value *str_method(Eval *e, Value *s, const char *m, Args *a) {
  if (!strcmp(m, "split"))
    return str_split(e, s, a);
  Value *r = eval_str_method_more(e, s, m, a);
  if (r)
    return r;
  eval_args_no_kw(e, a, m);
  if (!strcmp(m, "upper") || !strcmp(m, "lower")) {
    eval_args_count(e, a, m, 0, 0);
    Value *r = v_str(e->a, s->str.s, s->str.len);
    char *p = (char *)r->str.s;
    for (int i = 0; i < r->str.len; i++)
      if (m[0] == 'u' && p[i] >= 'a' && p[i] <= 'z')
        p[i] = (char)(p[i] - 32);
      else if (m[0] == 'l' && p[i] >= 'A' && p[i] <= 'Z')
        p[i] = (char)(p[i] + 32);
    return r;
  }
  if (!strcmp(m, "strip") || !strcmp(m, "lstrip") || !strcmp(m, "rstrip")) {
    eval_args_count(e, a, m, 0, 1);
    Value *chars = a->npos ? a->pos[0] : NULL;
    if (chars && chars->kind != V_STR && chars->kind != V_NONE)
      diag_error(a->pos_loc[0], "%s arg must be None or str", m);
    int lo = 0, hi = s->str.len;
    if (m[0] != 'r')
      while (lo < hi && strip_char(chars, s->str.s[lo]))
        lo++;
    if (m[0] != 'l')
      while (hi > lo && strip_char(chars, s->str.s[hi - 1]))
        hi--;
    return v_str(e->a, s->str.s + lo, hi - lo);
  }
  if (!strcmp(m, "startswith") || !strcmp(m, "endswith")) {
    eval_args_count(e, a, m, 1, 1);
    Value *p = a->pos[0];
    if (p->kind != V_STR)
      diag_error(a->pos_loc[0], "%s() argument must be a str", m);
    if (p->str.len > s->str.len)
      return v_bool(false);
    int off = m[0] == 's' ? 0 : s->str.len - p->str.len;
    return v_bool(!memcmp(s->str.s + off, p->str.s, (size_t)p->str.len));
  }
  if (!strcmp(m, "replace")) {
    eval_args_count(e, a, "replace", 2, 2);
    Value *old = a->pos[0], *new = a->pos[1];
    if (old->kind != V_STR || new->kind != V_STR)
      diag_error(a->loc, "replace() arguments must be str");
    if (!old->str.len)
      diag_error(a->loc, "replace() of an empty string is not supported");
    Value *r = v_str(e->a, "", 0);
    const char *p = s->str.s, *end = p + s->str.len, *start = p;
    while (p + old->str.len <= end) {
      if (!memcmp(p, old->str.s, (size_t)old->str.len)) {
        r = eval_binop(e, OP_ADD, r, v_str(e->a, start, (int)(p - start)), a->loc);
        r = eval_binop(e, OP_ADD, r, new, a->loc);
        p += old->str.len;
        start = p;
      } else {
        p++;
      }
    }
    return eval_binop(e, OP_ADD, r, v_str(e->a, start, (int)(end - start)), a->loc);
  }
  return NULL;
}

/* ---- values that leave counted code (Value.refs) ---- */

static void pin_args(Args *a) {
  for (int i = 0; i < a->npos; i++)
    v_pin(a->pos[i]);
  for (int i = 0; i < a->nkw; i++)
    v_pin(a->kw[i]);
}

/* Whether calling f (a method call when self is set) keeps to the counted
 * constructors and keeps none of its arguments. */
static bool call_counts_holders(Value *f, Value *self) {
  if (self) /* a collection may keep what it is given */
    return self->kind != V_COLL;
  switch (f->kind) {
  case V_BUILTIN: return eval_builtin_counts_holders(f);
  case V_DFUNC: return f->dfunc.target != NULL; /* else it keeps its arg */
  case V_METHOD: return call_counts_holders(NULL, f->method.self);
  default: return true;
  }
}

static Value *call_method_raw(Eval *e, Value *self, const char *name, Args *a);
static Value *call_value_raw(Eval *e, Value *f, Args *a);

/* Other code may keep anything it is given or sees, and hand out values
 * it keeps: all of those are pinned, never recycled. */
static Value *call_pinned(Eval *e, Value *f, Value *self, const char *name,
                          Args *a) {
  if (self)
    v_pin(self);
  pin_args(a);
  e->pin_all++;
  Value *r = self ? call_method_raw(e, self, name, a) : call_value_raw(e, f, a);
  e->pin_all--;
  v_pin(r);
  return r;
}

Value *eval_call_method(Eval *e, Value *self, const char *name, Args *a) {
  if (!call_counts_holders(NULL, self))
    return call_pinned(e, NULL, self, name, a);
  return call_method_raw(e, self, name, a);
}

Value *eval_call_value(Eval *e, Value *f, Args *a) {
  if (!call_counts_holders(f, NULL))
    return call_pinned(e, f, NULL, NULL, a);
  return call_value_raw(e, f, a);
}

static Value *call_method_raw(Eval *e, Value *self, const char *name, Args *a) {
  Value *r = NULL;
  switch (self->kind) {
  case V_DELAYED:
    return eval_delayed_method(e, self, name, a);
  case V_CLIENT:
    return eval_client_method(e, self, name, a);
  case V_COLL:
    if (self->coll->ops->method)
      r = self->coll->ops->method(e, self, name, a);
    break;
  case V_LIST:
    r = list_method(e, self, name, a);
    if (!r)
      r = seq_method(e, self, name, a);
    break;
  case V_TUPLE:
    r = seq_method(e, self, name, a);
    break;
  case V_DICT:
    r = dict_method(e, self, name, a);
    break;
  case V_STR:
    r = str_method(e, self, name, a);
    break;
  default:
    break;
  }
  if (!r)
    diag_error(a->loc, "'%s' object has no method '%s' (or it is not "
               "supported)", v_type_name(self), name);
  return r;
}

/* ---- calls ---- */

static Value *call_value_raw(Eval *e, Value *f, Args *a) {
  switch (f->kind) {
  case V_BUILTIN:
    if (!f->bi.fn && e->call_depth) /* in a def run at compile time */
      diag_error(a->loc, "%s() runs at run time, but '%s' is called at the "
                 "top level, so its body runs at compile time; make the call "
                 "a task with delayed(%s)(...)", f->bi.name, e->def_name,
                 e->def_name);
    if (!f->bi.fn)
      diag_error(a->loc, "%s() runs at run time, not at the top level; call "
                 "it inside a function, or make a task with delayed(%s)(...)",
                 f->bi.name, f->bi.name);
    if (a->npos || a->nkw) { /* str(r), max(r, 0), ...: a task */
      Value *r = eval_runval_builtin(e, f, a);
      if (r)
        return r;
    }
    e->callee = f->bi.name;
    return f->bi.fn(e, a);
  case V_FUNC: /* a plain def runs now, as in Python (eval_def.c) */
    return eval_def_call(e, f, a);
  case V_DFUNC:
    if (!f->dfunc.target) {
      /* delayed(pure=...) applied to its function, as a decorator does */
      eval_args_no_kw(e, a, "delayed");
      eval_args_count(e, a, "delayed", 1, 1);
      Value *v = ARENA_NEW(e->a, Value);
      *v = *f;
      v->dfunc.target = a->pos[0];
      if (!v_is_callable(a->pos[0]))
        diag_error(a->pos_loc[0], "delayed(pure=...) expects a function");
      return v;
    }
    return eval_call_delayed(e, f->dfunc.target, f->dfunc.pure, a);
  case V_LAMBDA:
    return call_lambda(e, f, a);
  case V_METHOD:
    return eval_call_method(e, f->method.self, f->method.name, a);
  case V_DELAYED: case V_COMPUTED:
    eval_runtime_only(e, f, a->loc, "it cannot be called");
  default:
    diag_error(a->loc, "'%s' object is not callable", v_type_name(f));
  }
}

Value *eval_call(Eval *e, Node *n) {
  /* obj.method(...): no bound-method value needed */
  if (n->lhs->kind == N_ATTR) {
    Value *obj = eval_expr(e, n->lhs->lhs);
    if (obj->kind != V_MODULE && obj->kind != V_RANGE) {
      Args *a = eval_args(e, n);
      if (obj->kind == V_COMPUTED ||
          (obj->kind == V_STR && eval_runval_any(a))) /* r.upper(), "{}".format(r) */
        return eval_runval_method(e, obj, n->lhs->name, a);
      if (obj->kind != V_DELAYED && obj->kind != V_CLIENT && obj->kind != V_LIST &&
          obj->kind != V_COLL &&
          obj->kind != V_TUPLE && obj->kind != V_DICT && obj->kind != V_STR)
        diag_error(n->lhs->loc, "'%s' object has no attribute '%s'",
                   v_type_name(obj), n->lhs->name);
      Loc saved = e->loc;
      e->loc = n->loc;
      Value *r = eval_call_method(e, obj, n->lhs->name, a);
      e->loc = saved;
      if (args_reusable(obj))
        args_give_back(e, a);
      return r;
    }
    Value *f = eval_attribute(e, obj, n->lhs->name, n->lhs->loc);
    return eval_call_value(e, f, eval_args(e, n));
  }
  Value *f = eval_expr(e, n->lhs);
  Args *a = eval_args(e, n);
  Value *r = eval_call_value(e, f, a);
  if (args_reusable(f))
    args_give_back(e, a);
  return r;
}
