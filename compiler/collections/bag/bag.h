/* bag.h - dask.bag at compile time (docs/bags.md).
 *
 * A bag value is a Bag: Dask's key name and one task per partition, keyed
 * ('<name>', i) as Dask keys them. A partition is a list at run time.
 * Every bag operation is a small def the collection writes as Python
 * source over the program's own functions (bag_def): `b.map(f)` makes
 * `def map(p): return [f(x) for x in p]` and one task of it per
 * partition, so sema types the elements and codegen compiles the loops
 * like any task function. Not a public header: the evaluator reaches bags
 * through bag_ops and the registry's row for dask.bag. */
#ifndef TASKC_BAG_H
#define TASKC_BAG_H

#include "../builder.h"
#include "../coll_picture.h"
#include "../collections.h"

typedef struct Chain Chain;

/* The first element's keys, in order, and the types of their values, where
 * the compiler knows them (to_dataframe's metadata, bag_frame.c). */
typedef struct BagFirst {
  int n;
  const char **names;
  Type **types;
} BagFirst;

typedef struct Bag {
  Coll coll;        /* ops: bag_ops */
  const char *name; /* the first item of the keys */
  int nparts;
  Task **parts;     /* made on the first bag_part when chain is set */
  Chain *chain;     /* element-wise stages not yet tasks (bag_chain.c) */
  Task *whole;      /* the partitions concatenated, once asked for */
  Value **text_args; /* of read_text: each partition's 4 bag.read_text
                        arguments in a row; else NULL */
  BagFirst json_first; /* of read_text(...).map(json.loads): the first
                          record's (names NULL: none) */
  int dask_sizeof;     /* dask.sizeof of Dask's partition object where it is
                          a lazy iterator of fixed size (a map: 56, filter:
                          48, ...; repartition(partition_size=)); 0: it
                          depends on the data */
} Bag;

extern const CollOps bag_ops;
CollModuleAttr bag_module_attr; /* dask.bag */

static inline bool bag_is(const Value *v) {
  return v->kind == V_COLL && v->coll->ops == &bag_ops;
}
static inline Bag *bag_of(Value *v) { return (Bag *)v->coll; }

/* bag.c */
Bag *bag_alloc(Eval *e, const char *name, int nparts);
Value *bag_value(Eval *e, Bag *b);
Val *bag_key(Eval *e, const char *name, int i);
/* bag_chain.c. Partition i as a delayed value, for task arguments (a
 * chain's partitions become tasks here). */
Value *bag_part(Eval *e, Bag *b, int i);
/* One more element-wise stage: text is Python over @x (the element) and
 * @c0..@c9 (extra[0..], constants passed to the tasks); label names the
 * stage in pictures. */
typedef enum { BAG_MAP, BAG_FILTER, BAG_FLATTEN } BagStage;
Bag *bag_stage(Eval *e, Bag *b, const char *name, BagStage kind, const char *text,
               Value **extra, int nextra, const char *label);
/* The source of `def fname(_p, <the chain's constants>)`: `before`, the
 * loop over b's chain with `sink` (statements over @x, one level inside
 * the innermost stage) and `after`; the tasks' arguments are a partition
 * of *src and then *extra. For a bag without a chain, the loop is over
 * its own partition. */
const char *bag_chain_def(Eval *e, Bag *b, const char *fname, const char *before,
                          const char *sink, const char *after, Value ***extra, int *nextra,
                          Bag **src);
/* t does the work of b's chain (a reduction's part over it): Dask's
 * pictures have the chain's stages before t. */
void bag_note_stages(Eval *e, const Bag *b, Task *t);
/* b's chain: the bag its stages read and their key names; 0: no chain */
int bag_chain_stages(const Bag *b, Bag **src, const char *const **names);
/* bag_picture.c: the tasks Dask has before a read_text partition of path
 * (offset -1: a whole file, as without blocksize) */
void bag_text_sources(Eval *e, Task *t, const char *path, int64_t offset);
/* groupby's picture: Dask's partd and groupby-barrier between the parts
 * and out's collect tasks (ours need the parts directly) */
void bag_groupby_picture(Eval *e, Task **parts, int nparts, Bag *out, const char *token);
/* out's picture has t too, which nothing needs (accumulate's last carried
 * value: Dask's graph has it) */
void bag_also_picture(Eval *e, Bag *out, Task *t);
/* the hooks of bag_ops */
int bag_roots(Eval *e, Value *self, Task ***out);
PicLayer *bag_picture(Eval *e, Value *self, bool optimize);
/* name-<token of what>, as Dask's tokenize names keys. */
const char *bag_name(Eval *e, const char *prefix, const Bag *b, const char *what);
/* dask.utils.funcname: how Dask names a function in keys. */
const char *bag_funcname(Value *f);
/* A name for a written def, unique in the compilation: _bag_<what>_<n>. */
const char *bag_fresh(Eval *e, const char *what);
/* A def written from printf-style source, located at loc. */
Value *bag_def(Eval *e, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The source text of calling f (the value of expression fx) on the
 * source text args ("x", "x, a1"). */
const char *bag_call(Eval *e, Value *f, Node *fx, const char *args, Loc loc);
/* A task of a written def, which pictures label as Dask does: by the
 * key's name (key_split). */
Task *bag_task(Eval *e, Value *def, Val *key, Value **args, int n, Loc loc);
/* A bag of the tasks def(part_i, extra...) for each partition of b. */
Bag *bag_each(Eval *e, Bag *b, const char *name, Value *def, Value **extra, int nextra,
              Loc loc);

/* bag_create.c: the module's functions */
Value *bag_from_sequence(Eval *e, Args *a);
Value *bag_range(Eval *e, Args *a);
Value *bag_from_delayed(Eval *e, Args *a);
Value *bag_read_text(Eval *e, Args *a);

/* bag_json.c: b.map(json.loads) of a read_text bag b: records of the type
 * inferred from a sample of b's files (the list's type), as the bag NAME
 * of bag.read_json tasks. */
Type *bag_json_type(Eval *e, Value **text_args, int nparts, Loc loc);
Bag *bag_json_records(Eval *e, Bag *b, const char *name, Loc loc);

/* bag_frame.c: b.to_dataframe(columns=) */
Value *bag_to_dataframe(Eval *e, Bag *b, Args *a);

/* bag_map.c: element-wise methods; NULL if name is not one */
Value *bag_map_method(Eval *e, Bag *b, const char *name, Args *a);
/* bag_str.c: b.str and its methods */
Value *bag_str_accessor(Eval *e, Value *self);
/* bag_group.c: b.groupby(grouper) */
Value *bag_groupby(Eval *e, Bag *b, Args *a);
/* bag_accumulate.c: b.accumulate(binop, initial=) */
Value *bag_accumulate(Eval *e, Bag *b, Args *a);
/* bag_repartition.c: b.repartition(npartitions), db.zip(*bags), b.product */
Value *bag_repartition(Eval *e, Bag *b, Args *a);
/* Dask's _split_partitions pieces: split a partition in n (cut), take
 * piece j (get), a partition as it is (same). */
void bag_split_defs(Eval *e, Loc loc, Value **cut, Value **get, Value **same);
/* A partition made of src's partitions [lo, hi) joined by def (the
 * concat def), keyed key: Dask's repartition merge. */
Value *bag_concat_def(Eval *e, Loc loc);
Task *bag_concat_task(Eval *e, Bag *src, int lo, int hi, Value *def, Val *key, Loc loc);
Value *bag_zip(Eval *e, Args *a);
Value *bag_product(Eval *e, Bag *b, Args *a);
/* bag_item.c: dask.bag.Item, the value of a reduction: the task t */
Value *bag_item(Eval *e, Task *t);
/* bag_repartition_size.c: b.repartition(partition_size=SIZE) */
Value *bag_repartition_size(Eval *e, Bag *b, Value *size, Loc loc);
/* bag_write.c: b.to_textfiles(path) */
Value *bag_to_textfiles(Eval *e, Bag *b, Args *a);
/* bag_reduce.c: reductions and aggregations; NULL if name is not one */
Value *bag_reduce_method(Eval *e, Bag *b, const char *name, Args *a);

#endif
