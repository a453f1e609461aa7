/* dot.c - pictures of the task graph, drawn the way Dask's visualize()
 * draws them (dask/dot.py, to_graphviz):
 *
 *   - a task that calls something is two nodes: a circle labelled with the
 *     function ("inc", "inc+add" when fused) and a box for its result;
 *   - a literal is only a box; a list/tuple/dict/alias built from other
 *     results is a circle labelled "list"/"tuple"/"dict"/"alias" + its box;
 *   - edges go circle -> own box, and each dependency's box -> the circle.
 *
 * The graph is built with cgraph; layout and rendering happen in process
 * with gvc in dot_gvc.c (never by running the `dot` program). DOT text is
 * written with agwrite, which needs no layout. */
#include "dot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "dot_gvc.h"
#include "dot_layers.h"
#include "outfile.h"

/* Longest box label we draw; a huge key would make a huge box. */
enum { MAX_LABEL = 60 };
/* dot lays out 1000 tasks in half a second, 5000 in 17 s (2 cores). */
enum { MAX_QUICK_LAYOUT = 2000 };

/* Graphviz 2.42 takes char * everywhere; one cast here, not at every call. */
void dot_set(void *obj, const char *name, const char *value) {
  agsafeset(obj, (char *)name, (char *)value, "");
}

static Agnode_t *node(Agraph_t *g, const char *name) {
  return agnode(g, (char *)name, 1);
}

/* ---- labels ---- */

static bool is_hash_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Dask's keys carry a 32-digit hex token ('sum-68ad...a7aee321'); Dask's
 * pictures leave it out, and so do we: "-TOKEN" is dropped. */
static void drop_hashes(char *s) {
  char *out = s;
  for (char *p = s; *p;) {
    int n = 0;
    if (*p == '-')
      while (n < 33 && is_hash_char(p[1 + n]))
        n++;
    if (n == 32 && !is_hash_char(p[33])) {
      p += 33;
      continue;
    }
    *out++ = *p++;
  }
  *out = '\0';
}

/* Graphviz reads backslashes in labels as escapes (\n, \N, ...): double
 * them. Control characters and invalid UTF-8 (Graphviz complains about it)
 * are shown as '?'. Long labels are cut at a character boundary and end
 * in "...". */
static char *clean_label(Arena *a, const char *s) {
  size_t n = strlen(s);
  char *out = arena_alloc(a, 2 * n + 4), *o = out;
  int chars = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    if (chars++ == MAX_LABEL) {
      memcpy(o, "...", 3);
      o += 3;
      break;
    }
    int len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3
              : (*p >> 3) == 30 ? 4 : 0;
    for (int i = 1; i < len; i++)
      if ((p[i] & 0xC0) != 0x80)
        len = 0;
    if (len == 0 || *p < 0x20 || *p == 0x7f) {
      *o++ = '?';
      p++;
    } else if (*p == '\\') {
      *o++ = '\\';
      *o++ = *p++;
    } else {
      memcpy(o, p, (size_t)len);
      o += len;
      p += len;
    }
  }
  *o = '\0';
  return out;
}

const char *dot_label(Arena *a, const char *s) {
  char *copy = arena_strdup(a, s);
  drop_hashes(copy);
  return clean_label(a, copy);
}

/* The box label: the key as Dask's label() shows it, str(key): a string
 * key as it is ('inc-3', not quoted or escaped), a tuple as its repr
 * ("('a', 0)"); Dask tokens left out. */
static const char *key_label(Arena *a, const Task *t) {
  if (t->key && t->key->kind == VAL_STR)
    return dot_label(a, arena_strndup(a, t->key->str.s,
                                      (size_t)t->key->str.len));
  return dot_label(a, t->name ? t->name : val_repr(a, t->key));
}

static void count_ref(Val *ref, void *ctx) {
  (void)ref;
  ++*(int *)ctx;
}

static bool has_refs(Task *t) {
  int n = 0;
  for (int i = 0; i < t->nargs; i++)
    val_visit_refs(t->args[i], count_ref, &n);
  return n > 0;
}

/* The circle's label, or NULL when the task is only a box (a literal). */
static const char *func_label(Arena *a, Task *t) {
  if (t->kind != TASK_DATA)
    return clean_label(a, task_label(a, t));
  if (t->nargs == 0 || !has_refs(t))
    return NULL;
  switch (t->args[0]->kind) {
  case VAL_REF: return "alias";
  case VAL_LIST: return "list";
  case VAL_TUPLE: return "tuple";
  case VAL_DICT: return "dict";
  default: return "data";
  }
}

/* ---- colours ---- */

/* Cool (runs first) to warm (runs last): ColorBrewer's RdBu reversed, the
 * map Dask's docs use for color='order', without its darkest ends so that
 * black text stays readable. */
static const unsigned char palette[][3] = {
    {0x43, 0x93, 0xc3}, {0x92, 0xc5, 0xde}, {0xd1, 0xe5, 0xf0},
    {0xf7, 0xf7, 0xf7}, {0xfd, 0xdb, 0xc7}, {0xf4, 0xa5, 0x82},
    {0xd6, 0x60, 0x4d}};
enum { NPALETTE = sizeof palette / sizeof *palette };

/* "#rrggbb" for priority p of 0..maxp, interpolated between anchors. */
static const char *order_color(Arena *a, int p, int maxp) {
  double x = maxp > 0 ? (double)p / maxp * (NPALETTE - 1) : 0;
  int i = (int)x;
  if (i >= NPALETTE - 1)
    i = NPALETTE - 2;
  double f = x - i;
  int c[3];
  for (int k = 0; k < 3; k++)
    c[k] = (int)(palette[i][k] + f * (palette[i + 1][k] - palette[i][k]) +
                 0.5);
  return arena_printf(a, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* ---- which tasks ---- */

/* A root asked for before the passes may have been culled or fused away
 * since: then it is no longer the task at its id. */
static bool in_graph(const Graph *g, const Task *t) {
  return t && t->id >= 0 && t->id < g->ntasks && g->tasks[t->id] == t;
}

/* keep[id]: the roots and everything they need, found with an explicit
 * stack (graphs can be deep). All tasks when there are no roots, or when
 * none of them is still in the graph. */
static bool *select_tasks(Graph *g, const DotOptions *o, int *nkept) {
  bool *keep = ARENA_ARRAY(g->arena, bool, g->ntasks + 1);
  Task **stack = ARENA_ARRAY(g->arena, Task *, g->ntasks + 1);
  int sp = 0;
  for (int i = 0; o->roots && i < o->nroots; i++)
    if (in_graph(g, o->roots[i]) && !keep[o->roots[i]->id]) {
      keep[o->roots[i]->id] = true;
      stack[sp++] = o->roots[i];
    }
  *nkept = sp;
  if (sp == 0) {
    for (int i = 0; i < g->ntasks; i++)
      keep[i] = true;
    *nkept = g->ntasks;
    return keep;
  }
  while (sp > 0) {
    Task *t = stack[--sp];
    for (int i = 0; i < t->ndeps; i++)
      if (!keep[t->deps[i]->id]) {
        keep[t->deps[i]->id] = true;
        stack[sp++] = t->deps[i];
        ++*nkept;
      }
  }
  return keep;
}

/* ---- building the cgraph ---- */

typedef struct Builder {
  Arena *arena;
  Agraph_t *g;
  const DotOptions *o;
  int maxprio;
  Agnode_t **box; /* by task id */
  Agnode_t **fn;  /* by task id; NULL for literals */
} Builder;

static void color(Builder *b, Agnode_t *n, const Task *t) {
  if (!b->o->color_order || t->priority < 0)
    return;
  dot_set(n, "style", "filled");
  dot_set(n, "fillcolor", order_color(b->arena, t->priority, b->maxprio));
  dot_set(n, "tooltip", arena_printf(b->arena, "priority %d", t->priority));
}

static void add_nodes(Builder *b, Task *t) {
  Arena *a = b->arena;
  const char *flabel = func_label(a, t);
  if (flabel) {
    Agnode_t *f = node(b->g, arena_printf(a, "f%d", t->id));
    dot_set(f, "label", flabel);
    dot_set(f, "shape", "circle");
    color(b, f, t);
    b->fn[t->id] = f;
  }
  Agnode_t *d = node(b->g, arena_printf(a, "d%d", t->id));
  dot_set(d, "label", key_label(a, t));
  dot_set(d, "shape", "box");
  if (t->nout > 0)
    dot_set(d, "penwidth", "2");
  color(b, d, t);
  b->box[t->id] = d;
}

static void add_edges(Builder *b, Task *t) {
  Agnode_t *f = b->fn[t->id];
  if (!f)
    return;
  agedge(b->g, f, b->box[t->id], NULL, 1);
  for (int i = 0; i < t->ndeps; i++)
    if (b->box[t->deps[i]->id])
      agedge(b->g, b->box[t->deps[i]->id], f, NULL, 1);
}

static Agraph_t *build(Graph *g, const DotOptions *o, const bool *keep) {
  Builder b = {.arena = g->arena, .o = o,
               .box = ARENA_ARRAY(g->arena, Agnode_t *, g->ntasks + 1),
               .fn = ARENA_ARRAY(g->arena, Agnode_t *, g->ntasks + 1)};
  b.g = agopen("taskc", Agdirected, NULL);
  dot_set(b.g, "rankdir", o->rankdir ? o->rankdir : "TB");
  agattr(b.g, AGNODE, "fontname", "helvetica");
  for (int i = 0; i < g->ntasks; i++)
    if (keep[i] && g->tasks[i]->priority > b.maxprio)
      b.maxprio = g->tasks[i]->priority;
  /* All nodes first, so that a dependency's box exists when an edge needs
   * it whatever the task order. */
  for (int i = 0; i < g->ntasks; i++)
    if (keep[i])
      add_nodes(&b, g->tasks[i]);
  for (int i = 0; i < g->ntasks; i++)
    if (keep[i])
      add_edges(&b, g->tasks[i]);
  return b.g;
}

/* ---- output ---- */

/* The format's canonical name ("SVG" -> "svg", as Dask lowercases the
 * extension), or NULL if we do not draw it. */
static const char *supported(const char *format) {
  static const char *formats[] = {"dot", "svg", "png", "pdf"};
  for (int i = 0; i < 4; i++)
    if (!strcasecmp(format, formats[i]))
      return formats[i];
  return NULL;
}

bool dot_format_supported(const char *format) { return supported(format); }

/* An error of the picture: at the visualize(...) call that asked for it,
 * or unlocated for --emit=dot/svg. */
static _Noreturn DIAG_PRINTF(2, 3) void fail(const DotOptions *o,
                                             const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (o->loc.file)
    diag_error(o->loc, "%s", msg);
  diag_fatal("%s", msg);
}

/* A file of visualize(...) is named as the program named it; -o is "the
 * output", as for every other --emit. */
static _Noreturn void write_failed(const DotOptions *o, const char *path) {
  const char *why = strerror(errno ? errno : EIO);
  if (o->loc.file)
    fail(o, "cannot write '%s': %s", path, why);
  if (!strcmp(path, "-"))
    fail(o, "cannot write output: %s", why);
  fail(o, "cannot write output '%s': %s", path, why);
}

static FILE *open_picture(Arena *a, const DotOptions *o, const char *path,
                          char **tmp) {
  errno = 0;
  *tmp = outfile_temp(a, path);
  FILE *f = *tmp ? fopen(*tmp, "wb") : NULL;
  if (!f)
    write_failed(o, path);
  return f;
}

/* A full disk shows in ferror() (a short fwrite or agwrite), as a failed
 * flush or close, or when the finished file is copied to a device. */
static void close_picture(const DotOptions *o, FILE *f, const char *tmp,
                          const char *path, bool rendered) {
  if (!outfile_close(f))
    write_failed(o, path);
  if (!rendered)
    fail(o, "cannot draw '%s': Graphviz could not lay out or render the "
         "graph", path);
  if (!outfile_commit(tmp, path))
    write_failed(o, path);
}

void dot_render(Graph *g, const DotOptions *o, const char *format,
                const char *path) {
  DotOptions none = {0};
  if (!o)
    o = &none;
  const char *fmt = supported(format);
  if (!fmt)
    fail(o, "cannot draw '%s': unsupported format '%s' (use svg, png, pdf "
         "or dot)", path, format);
  graph_link(g);
  int nkept;
  bool *keep = select_tasks(g, o, &nkept);
  bool text = !strcmp(fmt, "dot");
  /* dot's layout is far from linear: past a size draw the layers, unless
   * every task is asked for (DOT text needs no layout: always every task). */
  bool layers = !text && nkept > MAX_QUICK_LAYOUT && !o->full;
  if (!text && nkept > MAX_QUICK_LAYOUT && o->full)
    diag_warning(o->loc, "drawing %d tasks in '%s': Graphviz may take a "
                 "long time", nkept, path);
  char *tmp;
  FILE *out = open_picture(g->arena, o, path, &tmp);
  /* Graphviz's own warnings (fonts, sizes) are not the user's business. */
  agerrlevel_t level = agseterr(AGERR);
  int nlayers = 0;
  Agraph_t *ag = layers ? dot_layers_build(g, keep, o->rankdir, &nlayers)
                        : build(g, o, keep);
  if (layers)
    diag_note(o->loc, "'%s' shows the %d layers of %d tasks (more than %d); "
              "--full draws every task", path, nlayers, nkept,
              MAX_QUICK_LAYOUT);
  if (layers && nlayers > MAX_QUICK_LAYOUT)
    diag_warning(o->loc, "drawing %d layers in '%s': Graphviz may take a "
                 "long time", nlayers, path);
  errno = 0;
  bool ok = text ? agwrite(ag, out) != EOF : dot_gvc_render(ag, fmt, out);
  agclose(ag);
  agseterr(level);
  close_picture(o, out, tmp, path, ok);
}
