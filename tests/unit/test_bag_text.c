/* test_bag_text.c - db.read_text's compile-time half
 * (compiler/collections/bag/bag_text.c): each file's blocks as Dask's
 * read_bytes cuts them, and the type of the op bag.read_text. */
#include <stdlib.h>
#include <string.h>

#include "collections/bag/bag_text.h"
#include "ops.h"
#include "test_check.h"
#include "type.h"

static const char *file_of(size_t size) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/test_bag_text_XXXXXX");
  int fd = mkstemp(path);
  char *data = calloc(size + 1, 1);
  memset(data, 'a', size);
  if (fd < 0 || write(fd, data, size) != (ssize_t)size)
    abort();
  close(fd);
  free(data);
  return path;
}

/* Offsets and lengths of dask.bytes.read_bytes(path, blocksize=BS) for a
 * file of SIZE bytes (Dask 2022.12). */
static void check_blocks(size_t size, int64_t bs, int n, const BagTextBlock *want) {
  Arena *a = arena_new();
  const char *path = file_of(size);
  BagTextBlock *got = NULL;
  int k = bag_text_blocks(a, path, bs, &got);
  unlink(path);
  CHECK_MSG(k == n, "size %zu blocksize %lld: %d blocks, want %d\n", size, (long long)bs, k, n);
  for (int i = 0; i < n && i < k; i++)
    CHECK_MSG(got[i].offset == want[i].offset && got[i].length == want[i].length,
              "size %zu blocksize %lld: block %d is (%lld, %lld), want (%lld, %lld)\n", size,
              (long long)bs, i, (long long)got[i].offset, (long long)got[i].length,
              (long long)want[i].offset, (long long)want[i].length);
  arena_free(a);
}

static void test_blocks(void) {
  check_blocks(25, 10, 2, (BagTextBlock[]){{0, 12}, {12, 13}});
  check_blocks(20, 10, 2, (BagTextBlock[]){{0, 10}, {10, 10}});
  check_blocks(5, 1000, 1, (BagTextBlock[]){{0, 5}});
  check_blocks(0, 10, 0, NULL);                       /* an empty file: no blocks */
  check_blocks(0, 0, 1, (BagTextBlock[]){{0, -1}});   /* blocksize=None: the file */
  check_blocks(300, -1, 1, (BagTextBlock[]){{0, -1}});
  check_blocks(100, 7, 14, (BagTextBlock[]){{0, 7}, {7, 7}, {14, 7}, {21, 7}, {28, 7}, {35, 7},
                                            {42, 8}, {50, 7}, {57, 7}, {64, 7}, {71, 7},
                                            {78, 7}, {85, 7}, {92, 8}});
  Arena *a = arena_new();
  BagTextBlock *b;
  CHECK(bag_text_blocks(a, "/nonexistent/file.txt", 10, &b) == -1);
  arena_free(a);
}

static void test_op_type(void) {
  const Op *op = op_lookup("bag.read_text");
  CHECK(op != NULL);
  if (!op)
    return;
  Type *args[4] = {ty_str, ty_int, ty_int, ty_none};
  OpError err = {0};
  Type *t = op_result_type(op, args, 4, &err);
  CHECK(t && t->kind == TY_LIST && t->elem == ty_str);
  CHECK(!op_result_type(op, args, 3, &err)); /* four arguments */
}

int main(void) {
  test_blocks();
  test_op_type();
  return failures != 0;
}
