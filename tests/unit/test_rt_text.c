/* test_rt_text.c - dask.bag.read_text's partitions (runtime/text.c).
 *
 *   test_rt_text           edge cases: each mode's line endings, empty and
 *                          unterminated texts, UTF-8 errors, the op on files
 *                          (blocks, multi-byte delimiters, missing files)
 *   test_rt_text --serve   a driver for tests/text/text_diff.py: reads
 *       requests "PATH<TAB>BLOCKSIZE<TAB>DELIM" from stdin (BLOCKSIZE -1 for
 *       None; DELIM "N" for None, else "x" and the delimiter's bytes in
 *       hex) and answers each with one JSON line: the file's partitions
 *       (read_bytes' blocks, csv_block_plan, each read by
 *       tr_op_bag_read_text) as a list of lists of str, or {"error": MSG}
 *       when a partition's task fails. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "rt.h"
#include "test_rt_check.h"
#include "text.h"

/* ---- lines as one printable string: items joined by '|' ---- */

static void join(const TrSeq *l, char *out, size_t cap) {
  size_t k = 0;
  out[0] = 0;
  for (int64_t i = 0; i < l->len; i++) {
    const TrStr *s = l->items[i].u.p;
    k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "|" : "", s->data);
    if (k >= cap)
      return;
  }
}

static void check_lines(const char *text, const char *delim, bool blocked, const char *want,
                        int line) {
  int64_t dlen = delim ? (int64_t)strlen(delim) : 0;
  TextMode m = text_mode(delim, dlen, blocked);
  TrSeq *l = text_lines(text, (int64_t)strlen(text), m, delim, dlen);
  char got[512];
  join(l, got, sizeof got);
  CHECK(strcmp(got, want) == 0, "line %d: [%s] delim %s blocked %d: got [%s], want [%s]", line,
        text, delim ? delim : "None", blocked, got, want);
  TrValue v = tr_obj(TR_LIST, l);
  tr_decref(&v);
}
#define LINES(text, delim, blocked, want) check_lines(text, delim, blocked, want, __LINE__)

/* Outputs of Dask 2022.12 (Python 3.11) for the text "a\nb\rc\r\nd\r". */
static void test_modes(void) {
  const char *t = "a\nb\rc\r\nd\r";
  LINES(t, NULL, false, "a\n|b\n|c\n|d\n");
  LINES(t, "", false, "a\n|b\r|c\r\n|d\r");
  LINES(t, "\n", false, "a\n|b\rc\r\n|d\r");
  LINES(t, "\r", false, "a\nb\r|c\r|\nd\r");
  LINES(t, "\r\n", false, "a\nb\rc\r\n|d\r");
  LINES(t, ";", false, "a\nb\rc\r\nd\r");
  /* decode() of a block: StringIO translates '\n' for '\r' and '\r\n' */
  LINES(t, NULL, true, "a\n|b\n|c\n|d\n");
  LINES(t, "", true, "a\n|b\r|c\r\n|d\r");
  LINES(t, "\r", true, "a\r|b\r|c\r|\r|d\r");
  LINES(t, "\r\n", true, "a\r\n|b\rc\r\r\n|d\r");
}

static void test_edges(void) {
  LINES("", NULL, false, "");
  LINES("", ";", false, ""); /* file_to_blocks: no text, no lines */
  LINES("", ";", true, "");
  LINES("x", NULL, false, "x"); /* no final newline: the last line without one */
  LINES("x\n\ny", NULL, false, "x\n|\n|y");
  LINES("\n", NULL, true, "\n");
  LINES("\r\n\r\n", NULL, false, "\n|\n");
  LINES("\r\r\n", "", false, "\r|\r\n");
  /* a custom delimiter: kept on each piece; the last piece, even empty,
   * stays on the whole-file path and goes on the block path */
  LINES("a;b;", ";", false, "a;|b;|");
  LINES("a;b;", ";", true, "a;|b;");
  LINES("a;b", ";", true, "a;|b");
  LINES("x|||||", "||", true, "x|||||"); /* ends with '||': the last piece '|' goes */
  LINES("x|||||", "||", false, "x|||||||"); /* "x||", "||", "|" */
  LINES("a||b|||c", "||", false, "a|||b||||c"); /* "a||", "b||", "|c" */
  LINES("héllo\nwörld", NULL, false, "héllo\n|wörld");
}

static void check_utf8(const char *s, int64_t n, int64_t want_at, const char *want_why,
                       int64_t want_bad) {
  const char *why = "";
  int64_t bad = 0;
  int64_t at = text_utf8_error(s, n, &why, &bad);
  CHECK(at == want_at && (at < 0 || (!strcmp(why, want_why) && bad == want_bad)),
        "utf8 of %lld bytes: at %lld (%s, %lld), want %lld (%s, %lld)", (long long)n,
        (long long)at, why, (long long)bad, (long long)want_at, want_why, (long long)want_bad);
}

/* CPython's reasons and ranges (b'...'.decode()) */
static void test_utf8(void) {
  check_utf8("plain ascii text, longer than eight", 35, -1, "", 0);
  check_utf8("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 12, -1, "", 0);
  check_utf8("abcdefgh\xff", 9, 8, "invalid start byte", 1);
  check_utf8("\xc0\x80", 2, 0, "invalid start byte", 1);
  check_utf8("\xe2\x28\xa1", 3, 0, "invalid continuation byte", 1);
  check_utf8("\xe2\x82\x28", 3, 0, "invalid continuation byte", 2);
  check_utf8("x\xe2\x82", 3, 1, "unexpected end of data", 2);
  check_utf8("\xe0\x80", 2, 0, "invalid continuation byte", 1);
  check_utf8("\xed\xa0\x80", 3, 0, "invalid continuation byte", 1); /* a surrogate */
  check_utf8("\xf4\x90\x80\x80", 4, 0, "invalid continuation byte", 1); /* > U+10FFFF */
  check_utf8("\xf0\x9f\x98", 3, 0, "unexpected end of data", 3);
}

/* ---- the op on files ---- */

static jmp_buf fail_jb;

/* tr_op_bag_read_text(path, offset, length, delim); NULL when the task
 * fails (its message in tr_fail_msg). */
static TrSeq *read_part(const char *path, int64_t offset, int64_t length, const char *delim,
                        int64_t dlen) {
  TrValue args[4] = {tr_str_value(path, (int64_t)strlen(path)), {TR_INT, {.i = offset}},
                     {TR_INT, {.i = length}}, {TR_NONE, {0}}};
  if (delim)
    args[3] = tr_str_value(delim, dlen);
  TrValue out = {TR_NONE, {0}};
  tr_fail_jmp = &fail_jb;
  bool failed = setjmp(fail_jb) != 0;
  if (!failed)
    tr_op_bag_read_text(args, 4, &out);
  tr_fail_jmp = NULL;
  tr_decref(&args[0]);
  tr_decref(&args[3]);
  return failed ? NULL : out.u.p;
}

static const char *write_tmp(const char *text, size_t n) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/test_rt_text_XXXXXX");
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, text, n) != (ssize_t)n) {
    perror("mkstemp");
    exit(2);
  }
  close(fd);
  return path;
}

static void check_part(const char *path, int64_t off, int64_t len, const char *delim,
                       const char *want, int line) {
  TrSeq *l = read_part(path, off, len, delim, delim ? (int64_t)strlen(delim) : 0);
  char got[512];
  if (l)
    join(l, got, sizeof got);
  CHECK(l && !strcmp(got, want), "line %d: (%lld, %lld): got [%s], want [%s]", line,
        (long long)off, (long long)len, l ? got : tr_fail_msg, want);
  if (l) {
    TrValue v = tr_obj(TR_LIST, l);
    tr_decref(&v);
  }
}
#define PART(path, off, len, delim, want) check_part(path, off, len, delim, want, __LINE__)

static void test_op(void) {
  const char *p = write_tmp("ab\ncd\r\nef", 9);
  PART(p, 0, -1, NULL, "ab\n|cd\n|ef");
  PART(p, 0, 4, NULL, "ab\n|cd\n");     /* the line that starts in the block, whole */
  PART(p, 4, 5, NULL, "ef");           /* starts after the '\n' at or after 4 */
  PART(p, 0, 1, "", "a");              /* linedelimiter '': raw bytes, no alignment */
  PART(p, 2, 3, "", "\n|cd");
  unlink(p);
  p = write_tmp("a||b||c||", 9);
  PART(p, 0, -1, "||", "a|||b|||c|||");   /* the empty last piece of str.split */
  PART(p, 0, 2, "||", "a|||b||"); /* ends after the first '||' at or after 2: 4-5 */
  PART(p, 1, 2, "||", "b||");     /* starts after the '||' at 1, ends after the one at 4 */
  PART(p, 2, 7, "||", "c||");     /* the '||' at 1 starts before 2: not this block's */
  unlink(p);
  p = write_tmp("", 0);
  PART(p, 0, -1, NULL, "");
  unlink(p);
  p = write_tmp("ok\nbad \xff\n", 9);
  PART(p, 0, 2, NULL, "ok\n"); /* the other block of the file still reads */
  CHECK(!read_part(p, 2, 5, NULL, 0) && strstr(tr_fail_msg, "invalid start byte") &&
            strstr(tr_fail_msg, p) && strstr(tr_fail_msg, "position 7"),
        "bad UTF-8: [%s]", tr_fail_msg);
  unlink(p);
  CHECK(!read_part("/nonexistent/x.txt", 0, -1, NULL, 0) &&
            !strcmp(tr_fail_msg, "[Errno 2] No such file or directory: '/nonexistent/x.txt'"),
        "missing file: [%s]", tr_fail_msg);
  CHECK(!read_part("/tmp", 0, -1, NULL, 0) && strstr(tr_fail_msg, "Is a directory"),
        "a directory: [%s]", tr_fail_msg);
}

/* ---- the driver ---- */

static void put_json_str(const TrStr *s) {
  putchar('"');
  for (int64_t i = 0; i < s->len; i++) {
    unsigned char c = (unsigned char)s->data[i];
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static void put_json_error(const char *msg) {
  TrStr *s = tr_str_new(msg, (int64_t)strlen(msg));
  printf("{\"error\": ");
  put_json_str(s);
  printf("}\n");
  TrValue v = tr_obj(TR_STR, s);
  tr_decref(&v);
}

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

static void serve_one(const char *path, int64_t bs, const char *delim, int64_t dlen) {
  struct stat st;
  if (stat(path, &st) != 0) {
    put_json_error("cannot stat");
    return;
  }
  int64_t nb = bs > 0 ? csv_block_plan(st.st_size, bs, NULL, 0) : 1;
  CsvBlock *plan = malloc(sizeof *plan * (size_t)(nb + 1));
  if (bs > 0)
    csv_block_plan(st.st_size, bs, plan, nb);
  else
    plan[0] = (CsvBlock){0, -1};
  TrSeq **parts = calloc((size_t)nb + 1, sizeof *parts);
  for (int64_t i = 0; i < nb; i++)
    if (!(parts[i] = read_part(path, plan[i].offset, plan[i].length, delim, dlen))) {
      put_json_error(tr_fail_msg);
      nb = i;
      goto done;
    }
  putchar('[');
  for (int64_t i = 0; i < nb; i++) {
    printf(i ? ", [" : "[");
    for (int64_t k = 0; k < parts[i]->len; k++) {
      if (k)
        printf(", ");
      put_json_str(parts[i]->items[k].u.p);
    }
    putchar(']');
  }
  printf("]\n");
done:
  for (int64_t i = 0; i < nb; i++) {
    TrValue v = tr_obj(TR_LIST, parts[i]);
    tr_decref(&v);
  }
  free(parts);
  free(plan);
}

static int serve(void) {
  char line[8192];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *bs = strchr(line, '\t'), *d = bs ? strchr(bs + 1, '\t') : NULL;
    if (!d) {
      put_json_error("bad request");
      continue;
    }
    *bs++ = 0;
    *d++ = 0;
    char delim[256];
    int64_t dlen = 0;
    if (d[0] == 'x')
      for (const char *h = d + 1; h[0] && h[1] && dlen < 255; h += 2)
        delim[dlen++] = (char)(hexval(h[0]) * 16 + hexval(h[1]));
    delim[dlen] = 0;
    serve_one(line, atoll(bs), d[0] == 'x' ? delim : NULL, dlen);
    fflush(stdout);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "--serve"))
    return serve();
  test_modes();
  test_edges();
  test_utf8();
  test_op();
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
