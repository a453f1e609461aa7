/* registry.c - the modules of the collections: which module's attributes
 * are which collection's (dask.array.X and numpy.X are arrays'). One row
 * per module; adding a collection adds its rows (docs/architecture.md). */
#include <string.h>

#include "array/array.h"
#include "bag/bag.h"
#include "collections.h"
#include "dataframe/df.h"

static const CollModule modules[] = {
    {"dask.array", array_module_attr}, /* and dask.array.random */
    {"numpy", array_numpy_attr},       /* NumPy's functions of dask arrays */
    {"dask.dataframe", dataframe_module_attr},
    {"dask.bag", bag_module_attr},
};

enum { NMODULES = sizeof modules / sizeof *modules };

const CollModule *coll_module(const char *m) {
  for (int i = 0; i < NMODULES; i++) {
    size_t n = strlen(modules[i].name);
    if (!strncmp(m, modules[i].name, n) && (m[n] == 0 || m[n] == '.'))
      return &modules[i];
  }
  return NULL;
}

const CollModule *coll_submodule(const char *parent, const char *name) {
  size_t n = strlen(parent);
  for (int i = 0; i < NMODULES; i++) {
    const char *r = modules[i].name;
    if (!strncmp(r, parent, n) && r[n] == '.' && !strcmp(r + n + 1, name))
      return &modules[i];
  }
  return NULL;
}
