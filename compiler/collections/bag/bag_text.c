/* bag_text.c - db.read_text's files and blocks at compile time
 * (bag_text.h); the arithmetic is read_bytes', shared with dd.read_csv. */
#include "bag_text.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../../../runtime/csv.h"

int bag_text_blocks(Arena *a, const char *path, int64_t blocksize, BagTextBlock **out) {
  struct stat st;
  if (stat(path, &st) != 0)
    return -1;
  if (blocksize <= 0) {
    *out = ARENA_ARRAY(a, BagTextBlock, 1);
    (*out)[0] = (BagTextBlock){0, -1};
    return 1;
  }
  int64_t n = csv_block_plan((int64_t)st.st_size, blocksize, NULL, 0);
  if (n > INT32_MAX) {
    errno = EFBIG; /* more partitions than an int counts */
    return -1;
  }
  CsvBlock *plan = ARENA_ARRAY(a, CsvBlock, n + 1);
  csv_block_plan((int64_t)st.st_size, blocksize, plan, n);
  *out = ARENA_ARRAY(a, BagTextBlock, n + 1);
  for (int64_t i = 0; i < n; i++)
    (*out)[i] = (BagTextBlock){plan[i].offset, plan[i].length};
  return (int)n;
}

CollFiles bag_text_files(Eval *e, Value *v, Loc loc) {
  return coll_files(e, v, "read_text", loc);
}
