/* coll_picture.h - Dask's picture of a collection's graph (docs/dataframes.md
 * and docs/bags.md, "Pictures").
 *
 * The graph taskc executes is built already optimised (describe() is one
 * task per partition, a bag's map/filter chain one task per partition), but
 * visualize() must draw what Dask draws: the layers of Dask's
 * HighLevelGraph. So the collections record, next to the tasks they make,
 * Dask's layers for the same expression (PicLayer: a name, a task count
 * and how each task needs its dependencies' tasks), and a picture is a
 * small graph of its own expanded from them (pic_graph), used only to be
 * drawn. */
#ifndef TASKC_COLL_PICTURE_H
#define TASKC_COLL_PICTURE_H

#include "builder.h"

/* Which tasks of a dependency task i of a layer needs. */
typedef enum PicShape {
  PIC_EACH,   /* its task i (a one-task dependency: its only task) */
  PIC_ALL,    /* all of them (an aggregate) */
  PIC_FIRST,  /* task 0 (head) */
  PIC_GROUPS, /* tasks [i*k, (i+1)*k) (a level of a reduction tree) */
  PIC_RANGE,  /* tasks [lo[i], hi[i]] (pic_mirror's, from the tasks) */
} PicShape;

typedef struct PicLayer PicLayer;

/* A layer of n tasks keyed ('<prefix>-<token>', i), as Dask's; its circles
 * are labelled prefix. blockwise: a Blockwise layer, which Dask's
 * optimize_blockwise fuses into the layers that use it. */
PicLayer *pic_layer(Eval *e, const char *prefix, int n, bool blockwise);
/* l needs dep's tasks as shape says (k: PIC_GROUPS' group size). */
void pic_dep(Eval *e, PicLayer *l, PicLayer *dep, PicShape shape, int k);
/* l of n tasks, blockwise, needing each of deps (NULL ones skipped) with
 * PIC_EACH: an element-wise step. */
PicLayer *pic_each(Eval *e, const char *prefix, int n, PicLayer *dep1, PicLayer *dep2);
/* A reduction tree over chunk as Dask's apply-concat-apply builds it with
 * split_every: levels of '<prefix>-combine' while more than split_every
 * tasks are left, then '<prefix>-agg' (one task). split_every 0: no tree
 * (split_every=False). Returns the aggregate. */
PicLayer *pic_aca(Eval *e, PicLayer *chunk, const char *prefix, int split_every);
/* The same with explicit names of each tree level and aggregate (Dask's
 * array reductions: 'moment_combine-partial', 'moment_agg-aggregate'),
 * and the array tree's depth rule. */
PicLayer *pic_array_tree(Eval *e, PicLayer *chunk, const char *combine, const char *agg,
                         int split_every);
/* l, or NULL when optimize and its optimised picture is not modelled
 * (Dask fuses a mirror's graph low-level, which pictures do not model:
 * optimize_graph=True draws the executed graph). */
PicLayer *pic_drawable(PicLayer *l, bool optimize);

/* A lazy scalar's picture (a reduction's result is a delayed value, not a
 * collection): the layer of the task that holds it. */
void pic_note_task(Eval *e, Task *t, PicLayer *l);
/* The picture of t: as noted, a mirror (pic_note_mirror), or a call of
 * pictured tasks (Dask's Scalar arithmetic); NULL: none. */
PicLayer *pic_of_task(Eval *e, Task *t);

/* A collection whose tasks are keyed and split as Dask's (bags) but for
 * element-wise stages fused into one task: its layers are its own tasks
 * grouped by key name, with each task's fused stages (pic_note_stages)
 * drawn as the layers Dask has before it. roots: one layer's tasks;
 * returns that layer. */
PicLayer *pic_mirror(Eval *e, Task **roots, int n);
/* n layers keyed (names[s], i) after src, each needing the one before
 * task for task (a bag's stages not yet tasks); returns the last. */
PicLayer *pic_stages(Eval *e, PicLayer *src, const char *const *names, int n);
/* Dask has the stages named names[0..n) before t (their keys' names). */
void pic_note_stages(Eval *e, Task *t, const char *const *names, int n);
/* Dask has one-task layers keyed names[0], ..., names[n-1] (str keys),
 * each needing the one before, before t (read_text's file_to_blocks and
 * list of each file); pic_copy_sources gives to the sources of from. */
void pic_note_sources(Eval *e, Task *t, const char *const *names, int n);
void pic_copy_sources(Eval *e, Task *to, const Task *from);
/* A layer of n tasks keyed (name, i), or name alone (str_key, n 1), for
 * a mirror's own layers. */
PicLayer *pic_named(Eval *e, const char *name, int n, bool str_key);
/* A mirror draws tasks[i] as task i of l, and what l needs as l says. */
void pic_note_layer(Eval *e, Task *const *tasks, int n, PicLayer *l);
/* Draw also with l, though l does not need it. */
void pic_also(PicLayer *l, PicLayer *also);
/* The layer a mirror drew t in, or NULL. */
PicLayer *pic_mirrored(Eval *e, const Task *t);
/* When a mirror reaches t, build(e, ctx) is called once to note it with
 * pic_note_layer (an operation whose tasks are not Dask's: groupby). */
typedef void PicBuild(Eval *e, void *ctx);
void pic_note_build(Eval *e, Task *t, PicBuild *build, void *ctx);
/* pic_of_task(t) is pic_mirror(t). */
void pic_note_mirror(Eval *e, Task *t);

/* The graph Dask's visualize() draws of the layers roots and what they
 * need: every task of them unoptimised (Dask draws the graph uncullled),
 * or optimised as Dask's dataframe optimisation does (optimize_blockwise:
 * a blockwise layer whose users are all one fused group joins it, named
 * after the group's last layer; then cull). */
Graph *pic_graph(Eval *e, PicLayer **roots, int nroots, bool optimize);

#endif
