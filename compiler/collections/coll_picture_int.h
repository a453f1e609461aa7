/* coll_picture_int.h - the insides of Dask's pictures, shared by
 * coll_picture.c (layers and notes), coll_picture_mirror.c (pic_mirror)
 * and coll_picture_graph.c (pic_graph). Not for the collections. */
#ifndef TASKC_COLL_PICTURE_INT_H
#define TASKC_COLL_PICTURE_INT_H

#include "coll_picture.h"

typedef struct PicDep {
  PicLayer *layer;
  PicShape shape;
  int k;
  int *lo, *hi; /* PIC_RANGE, by task */
} PicDep;

struct PicLayer {
  const char *name;  /* '<prefix>-<token>': the keys' first item */
  const char *label; /* prefix: Dask labels a task's circle key_split(key) */
  int n;
  bool blockwise;
  bool lowlevel;     /* a mirror's: see pic_drawable */
  bool str_key;      /* one task keyed by the name alone */
  bool data;         /* a literal: a box, no function */
  PicDep *deps;
  int ndeps, capdeps;
  PicLayer *also;    /* pic_also */
  int mark;          /* pic_graph's scratch: the visit it was seen by */
  int group;         /* pic_graph's scratch: its fused group, by index */
  Task **tasks;      /* pic_graph's scratch: the tasks drawn for it */
};

/* What is noted of a task. */
typedef struct Note {
  const Task *task;
  PicLayer *layer;
  const char *const *stages;
  int nstages;
  const char *const *sources;
  int nsources;
  bool mirror;
  PicLayer *mirrored; /* the layer an earlier pic_mirror put it in */
  int index;          /* and its index there */
  PicBuild *build;    /* pic_note_build's */
  void *ctx;
} Note;

/* Per compilation: a counter that keeps layer names apart, and the notes
 * by task (open addressing, doubling). */
typedef struct PicState {
  int nlayers;
  int visits;
  Note *notes;
  int nnotes, cap;
} PicState;

PicState *pic_state(Eval *e);
/* notes by task: the one of t or NULL; made if missing */
Note *pic_find(PicState *s, const Task *t);
Note *pic_note(Eval *e, const Task *t);
unsigned pic_slot(const void *p, int cap); /* a hash slot of a pointer */

#endif
