/* print.c - --emit=graph: the graph as text, one line per task in id order,
 * then one line per output. The format is described in docs/ir.md; it is
 * deterministic (no pointers, no hash order), so tests can check it. */
#include <stdio.h>

#include "ir.h"

static void print_args(FILE *out, Val **args, int n) {
  fputc('(', out);
  for (int i = 0; i < n; i++) {
    if (i)
      fputs(", ", out);
    val_print(out, args[i]);
  }
  fputc(')', out);
}

static const char *callee(const Task *t) {
  if (t->op)
    return t->op->label;
  return t->fn ? t->fn->name : "?";
}

/* The right-hand side: a value, a call, or fused[f, g](deps). */
static void print_rhs(FILE *out, const Task *t) {
  switch (t->kind) {
  case TASK_DATA:
    if (t->nargs > 0)
      val_print(out, t->args[0]);
    else
      fputs("None", out);
    return;
  case TASK_CALL:
    fputs(callee(t), out);
    print_args(out, t->args, t->nargs);
    return;
  case TASK_FUSED:
    fputs("fused[", out);
    for (int i = 0; i < t->ninner; i++) {
      const Task *in = t->inner[i];
      fprintf(out, "%s%s", i ? ", " : "",
              in->kind == TASK_DATA ? "data" : callee(in));
    }
    fputs("](", out);
    for (int i = 0; i < t->ndeps; i++)
      fprintf(out, "%s%s", i ? ", " : "", t->deps[i]->name);
    fputc(')', out);
    return;
  }
}

static void print_task(FILE *out, const Task *t, const char *indent) {
  fprintf(out, "%s%s = ", indent, t->name ? t->name : "?");
  print_rhs(out, t);
  if (t->type)
    fprintf(out, " :: %s", ty_name(t->type));
  bool pure = t->pure && t->kind != TASK_DATA;
  if (pure && t->priority >= 0)
    fprintf(out, " [pure, prio %d]", t->priority);
  else if (pure)
    fputs(" [pure]", out);
  else if (t->priority >= 0)
    fprintf(out, " [prio %d]", t->priority);
  fputc('\n', out);
}

void graph_print(FILE *out, const Graph *g) {
  for (int i = 0; i < g->ntasks; i++) {
    const Task *t = g->tasks[i];
    print_task(out, t, "");
    for (int j = 0; t->kind == TASK_FUSED && j < t->ninner; j++)
      print_task(out, t->inner[j], "    ");
  }
  for (int i = 0; i < g->noutputs; i++) {
    const Output *o = &g->outputs[i];
    fprintf(out, "output %s = %s\n", o->name ? o->name : "?",
            o->task && o->task->name ? o->task->name : "?");
  }
  fflush(out);
}
