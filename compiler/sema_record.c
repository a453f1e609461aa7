/* sema_record.c - records in bodies: dicts with str keys whose values
 * differ in type per key (ir/type.h, ty_record).
 *
 * A record comes from constant data (a task argument, a bag partition:
 * ir/val.c types it), from a dict display whose keys are str literals
 * (also {**r, "k": v} of a record r), and from joining records (a list of
 * them). A body reads and writes it with
 * literal keys, d["k"], d.get("k", default), d.pop("k"),
 * d.setdefault("k", v), and d["k"] = v: each gets the key's own type.
 * Codegen checks the tag of every value read against that type, so data
 * that does not fit fails its task naming the key (codegen/body_dict.c).
 * Everything else (in, len, keys, items, iteration, ==, printing) is the
 * plain dict's: its key type is str, its value type the join of the
 * fields (any when they differ). */
#include <string.h>

#include "sema_impl.h"

/* The text of a str literal key usable as a field name, or NULL. */
static const char *literal_key(const Node *k) {
  if (!k || k->kind != N_STR || (int)strlen(k->str) != k->len)
    return NULL;
  return k->str;
}

/* {**r, "k": v}: r's keys, then the display's (a later one wins). */
static int spread(Type *t, const char **names, Type **types, int nf) {
  for (int j = 0; j < t->nfields; j++) {
    names[nf] = t->fnames[j];
    types[nf++] = t->ftypes[j];
  }
  return nf;
}

/* One value type for a and b (equal, or ints and floats), else an error. */
static Type *join_values(Node *at, Type *a, Type *b, const char *what) {
  if (!a || a == b)
    return b;
  if (sema_is_num(a) && sema_is_num(b))
    return a == ty_float || b == ty_float ? ty_float : ty_int;
  diag_error(at->loc, "%s have different types (%s and %s); a function body "
             "needs one type", what, ty_name(a), ty_name(b));
}

/* {**d, "k": v} with a plain dict d: its keys are not known, so the
 * display is a plain dict too, of one key and one value type (the items
 * are typed already). */
static Type *plain_spread(Checker *c, Node *n) {
  Type *k = NULL, *v = NULL;
  for (int i = 0; i < n->nitems; i++) {
    Node *at = n->items[i];
    Type *t = sema_note(c, at)->type;
    if (n->keys[i]) {
      k = join_values(n->keys[i], k, ty_str, "dict keys");
      v = join_values(at, v, t, "dict values");
    } else if (t->kind != TY_DICT || sema_is_set(t)) {
      diag_error(at->loc, "'**' takes a dict, not %s", sema_pyname(t));
    } else {
      k = join_values(at, k, t->key, "dict keys");
      v = join_values(at, v, t->val, "dict values");
    }
  }
  return ty_dict(k, v);
}

Type *sema_record_display(Checker *c, Node *n) {
  if (n->nitems > TY_MAX_FIELDS)
    return NULL;
  bool spreads = false;
  for (int i = 0; i < n->nitems; i++) {
    if (n->keys[i] && !literal_key(n->keys[i]))
      return NULL;
    spreads |= !n->keys[i];
  }
  /* each item gives one key, a '**' at most TY_MAX_FIELDS */
  int cap = spreads ? n->nitems * TY_MAX_FIELDS : n->nitems, nf = 0;
  const char **names = ARENA_ARRAY(c->a, const char *, cap);
  Type **types = ARENA_ARRAY(c->a, Type *, cap);
  bool plain = false;
  for (int i = 0; i < n->nitems; i++) {
    Type *t = sema_expr(c, n->items[i]);
    if (!n->keys[i]) {
      plain |= !ty_is_record(t);
      if (!plain)
        nf = spread(t, names, types, nf);
      continue;
    }
    sema_expr(c, n->keys[i]);
    if (t->kind == TY_ANY)
      diag_error(n->items[i]->loc, "this value has no single type; a dict "
                 "value in a function body needs one");
    sema_no_set(n->items[i], t, "be a dict value");
    names[nf] = literal_key(n->keys[i]);
    types[nf++] = t;
  }
  if (plain)
    return plain_spread(c, n);
  return ty_settle(ty_record(names, types, nf));
}

/* The type of d[key] for record d; store: for d[key] = v. */
Type *sema_record_item(Checker *c, Type *d, Node *key, bool store) {
  const char *k = literal_key(key);
  if (!k) {
    if (!store && d->val->kind != TY_ANY)
      return d->val; /* its values share one type */
    diag_error(key->loc, "taskc limit: the values of this dict differ in "
               "type per key (%s): %s it with a literal key, d['k'], not a "
               "computed one", ty_name(d), store ? "write" : "read");
  }
  Type *f = ty_field(d, k);
  if (!f && store)
    diag_error(key->loc, "taskc limit: '%s' is not a key of %s; the keys of "
               "a dict whose values differ in type are fixed by its type "
               "(build a new dict with every key instead)", k, ty_name(d));
  if (!f)
    diag_error(key->loc, "taskc limit: no dict here has the key '%s' (%s), "
               "so its value has no type (Python would raise KeyError)", k,
               ty_name(d));
  if (f->kind == TY_ANY)
    diag_error(key->loc, "the values of key '%s' differ in type between the "
               "dicts here (%s); taskc needs one type per key", k,
               ty_name(d));
  return f;
}

/* The value type of d.get("k", v), d.pop("k"[, v]), d.setdefault("k", v)
 * on record d: the key's; NULL for get() of a key no record has (its
 * value is the default's). */
Type *sema_record_method(Checker *c, Node *n, Type *d, int id) {
  Node *key = n->items[0];
  const char *k = literal_key(key);
  if (id == SEMA_DM_GET && n->nitems == 2 && k && !ty_field(d, k))
    return NULL;
  return sema_record_item(c, d, key, id == SEMA_DM_SETDEFAULT);
}
