/* sema_record.c - records in bodies: dicts with str keys whose values
 * differ in type per key (ir/type.h, ty_record).
 *
 * A record comes from constant data (a task argument, a bag partition:
 * ir/val.c types it), from a dict display whose keys are str literals, and
 * from joining records (a list of them). A body reads and writes it with
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

Type *sema_record_display(Checker *c, Node *n) {
  if (n->nitems > TY_MAX_FIELDS)
    return NULL;
  for (int i = 0; i < n->nitems; i++)
    if (!literal_key(n->keys[i]))
      return NULL;
  const char *names[TY_MAX_FIELDS];
  Type *types[TY_MAX_FIELDS];
  for (int i = 0; i < n->nitems; i++) {
    sema_expr(c, n->keys[i]);
    names[i] = literal_key(n->keys[i]);
    types[i] = sema_expr(c, n->items[i]);
    if (types[i]->kind == TY_ANY)
      diag_error(n->items[i]->loc, "this value has no single type; a dict "
                 "value in a function body needs one");
    sema_no_set(n->items[i], types[i], "be a dict value");
  }
  return ty_settle(ty_record(names, types, n->nitems));
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
