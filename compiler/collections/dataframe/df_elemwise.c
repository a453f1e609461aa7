/* df_elemwise.c - operators of dataframe columns, partition by partition:
 * Series + - * / with a number or a Series of the same frame, the six
 * comparisons (also of text columns with a str), and df[mask] with a bool
 * Series. Keys as Dask's elemwise names them: ('add-<token>', i). */
#include <string.h>

#include "df.h"

typedef struct OpInfo {
  OpCode op;
  const char *text, *name; /* "+" for the runtime, "add" for the key */
} OpInfo;

static const OpInfo ops[] = {
    {OP_ADD, "+", "add"}, {OP_SUB, "-", "sub"}, {OP_MUL, "*", "mul"},
    {OP_DIV, "/", "truediv"}, {OP_LT, "<", "lt"}, {OP_LE, "<=", "le"},
    {OP_GT, ">", "gt"}, {OP_GE, ">=", "ge"}, {OP_EQ, "==", "eq"}, {OP_NE, "!=", "ne"},
    {OP_BITAND, "&", "and_"}, {OP_BITOR, "|", "or_"},
};

static const OpInfo *op_info(OpCode op) {
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (ops[i].op == op)
      return &ops[i];
  return NULL;
}

static bool is_cmp(OpCode op) { return op >= OP_LT && op <= OP_NE; }

/* The dtype of one side: a Series' column, or a scalar's (-1: not one). */
static int side_dtype(const Value *v) {
  if (df_is(v))
    return ((const DFrame *)v->coll)->dtypes[0];
  switch (v->kind) {
  case V_BOOL: return DF_BOOL;
  case V_INT: return DF_I64;
  case V_FLOAT: return DF_F64;
  case V_STR: return DF_OBJ;
  default: return -1;
  }
}

static Val *side_val(Eval *e, Value *v, int p) {
  Arena *a = eval_arena(e);
  if (df_is(v))
    return val_ref(a, ((DFrame *)v->coll)->parts[p]);
  switch (v->kind) {
  case V_INT: return val_int(a, v->i);
  case V_BOOL: return val_bool(a, v->b);
  case V_FLOAT: return val_float(a, v->f);
  default: return val_str(a, v->str.s, v->str.len);
  }
}

static const DFrame *series_of(Eval *e, Value *v, Loc loc) {
  const DFrame *f = (const DFrame *)v->coll;
  if (!f->series)
    diag_error(loc, "operators of whole DataFrames are not supported by taskc yet (select a "
               "column: df['a'] + 1)");
  (void)e;
  return f;
}

static const char *side_name(Eval *e, Value *v) {
  return df_is(v) ? ((const DFrame *)v->coll)->name : v_repr(eval_arena(e), v);
}

Value *df_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc) {
  const OpInfo *info = op_info(op);
  int dx = side_dtype(x), dy = side_dtype(y);
  if (!info || dx < 0 || dy < 0)
    return NULL; /* Python's NotImplemented: the evaluator's error */
  if (dx == DF_DT || dy == DF_DT)
    diag_error(loc, "'%s' of datetime columns is not supported by taskc yet (their .dt "
               "fields are)", ast_opcode_str(op));
  const DFrame *s = series_of(e, df_is(x) ? x : y, loc);
  const DFrame *o = df_is(x) && df_is(y) ? series_of(e, y, loc) : NULL;
  if (o && o->nparts != s->nparts)
    diag_error(loc, "the two Series have %d and %d partitions; taskc combines Series of the "
               "same frame only", s->nparts, o->nparts);
  bool text = dx == DF_OBJ || dy == DF_OBJ;
  if (text && !(is_cmp(op) && dx == DF_OBJ && dy == DF_OBJ))
    diag_error(loc, "'%s' between text and %s is not supported by taskc yet",
               ast_opcode_str(op), dx == DF_OBJ && dy == DF_OBJ ? "text" : "numbers");
  bool logic = op == OP_BITAND || op == OP_BITOR;
  if (logic && !(dx == DF_BOOL && (dy == DF_BOOL || (y->kind == V_BOOL && !df_is(y))))
      && !(dy == DF_BOOL && x->kind == V_BOOL))
    diag_error(loc, "'%s' of Series other than bool ones is not supported by taskc yet",
               ast_opcode_str(op));
  if (!is_cmp(op) && !logic && (dx == DF_BOOL || dy == DF_BOOL))
    diag_error(loc, "arithmetic on bool columns is not supported by taskc yet");
  int dt = is_cmp(op) || logic ? DF_BOOL
           : op == OP_DIV || dx == DF_F64 || dy == DF_F64 ? DF_F64 : DF_I64;
  const char *what = arena_printf(eval_arena(e), "%s|%s|%s", info->name, side_name(e, x),
                                  side_name(e, y));
  DFrame *r = df_alloc(e, coll_token_name(e, info->name, what), 1, s->nparts, true);
  const char *nx = df_is(x) ? series_of(e, x, loc)->cols[0] : NULL;
  const char *ny = df_is(y) ? series_of(e, y, loc)->cols[0] : NULL;
  r->cols[0] = !nx ? ny : !ny ? nx : !strcmp(nx, ny) ? nx : NULL;
  r->dtypes[0] = dt;
  r->pic = df_pic_each(e, info->name, s, o);
  Val *opv = val_str(eval_arena(e), info->text, (int)strlen(info->text));
  for (int p = 0; p < s->nparts; p++) {
    Task *t = df_task(e, r->name, p, OP_df_binop, 3, loc);
    t->args[0] = side_val(e, x, p);
    t->args[1] = side_val(e, y, p);
    t->args[2] = opv;
    r->parts[p] = t;
  }
  return df_value(e, r);
}

/* -s, ~s, abs(s) (op OP_NEG, OP_INVERT, or OP_NONE for abs); NULL: other
 * operators (the evaluator's error). */
Value *df_unop(Eval *e, OpCode op, Value *x, Loc loc) {
  const DFrame *s = series_of(e, x, loc);
  const char *text = op == OP_NEG ? "-" : op == OP_INVERT ? "~" : op == OP_NONE ? "abs" : NULL;
  if (!text)
    return NULL;
  int dt = s->dtypes[0];
  if (dt == DF_OBJ || dt == DF_DT || (dt == DF_BOOL) != (op == OP_INVERT))
    diag_error(loc, "%s of a %s column is not supported by taskc yet",
               op == OP_NONE ? "abs()" : op == OP_NEG ? "'-'" : "'~'", df_dtype_name(dt));
  const char *key = op == OP_NEG ? "neg" : op == OP_INVERT ? "invert" : "abs";
  DFrame *r = df_alloc(e, coll_token_name(e, key, s->name), 1, s->nparts, true);
  r->cols[0] = s->cols[0];
  r->dtypes[0] = dt;
  r->pic = df_pic_each(e, op == OP_INVERT ? "inv" : key, s, NULL); /* operator.inv */
  Val *opv = val_str(eval_arena(e), text, (int)strlen(text));
  for (int p = 0; p < s->nparts; p++) {
    Task *t = df_task(e, r->name, p, OP_df_unop, 2, loc);
    t->args[0] = val_ref(eval_arena(e), s->parts[p]);
    t->args[1] = opv;
    r->parts[p] = t;
  }
  return df_value(e, r);
}

Value *df_filter(Eval *e, DFrame *f, DFrame *mask, Loc loc) {
  if (!mask->series || mask->dtypes[0] != DF_BOOL)
    diag_error(loc, "a dataframe index must be a column name, a list of them or a bool "
               "Series");
  if (mask->nparts != f->nparts)
    diag_error(loc, "the mask has %d partitions, the frame %d; taskc filters by a Series "
               "of the same frame only", mask->nparts, f->nparts);
  const char *what = arena_printf(eval_arena(e), "%s|%s", f->name, mask->name);
  DFrame *r = df_alloc(e, coll_token_name(e, "getitem", what), f->ncols, f->nparts, f->series);
  memcpy(r->cols, f->cols, sizeof *r->cols * (size_t)f->ncols);
  memcpy(r->dtypes, f->dtypes, sizeof *r->dtypes * (size_t)f->ncols);
  r->pic = df_pic_each(e, "getitem", f, mask);
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, r->name, p, OP_df_filter, 2, loc);
    t->args[0] = val_ref(eval_arena(e), f->parts[p]);
    t->args[1] = val_ref(eval_arena(e), mask->parts[p]);
    r->parts[p] = t;
  }
  return df_value(e, r);
}
