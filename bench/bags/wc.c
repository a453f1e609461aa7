/* wc.c - the hand-written C baseline of bench/bags: the ten most frequent
 * words of the files named on the command line, as
 *   db.read_text(files).str.lower().str.split().flatten().frequencies()
 *     .topk(10, key=lambda kv: kv[1])
 * computes them for ASCII text: words are runs of non-whitespace, lowered.
 * One thread, each file read whole, one open-addressing hash table
 * (FNV-1a) of words copied into an arena. Prints "word count" lines, the
 * largest count first.
 *
 *   cc -O2 -o wc bench/bags/wc.c && ./wc FILE... */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Entry {
  const char *word; /* NULL: empty slot */
  uint32_t len;
  uint32_t hash;
  int64_t count;
} Entry;

static Entry *table;
static size_t cap = 1 << 16, used;
static char *pool;
static size_t pool_left;

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    perror("malloc");
    exit(2);
  }
  return p;
}

static const char *keep(const char *w, size_t n) {
  if (pool_left < n) {
    pool_left = n > (1 << 20) ? n : (1 << 20);
    pool = xmalloc(pool_left);
  }
  char *p = pool;
  memcpy(p, w, n);
  pool += n;
  pool_left -= n;
  return p;
}

static void grow(void) {
  Entry *old = table;
  size_t ocap = cap;
  cap *= 2;
  table = calloc(cap, sizeof *table);
  for (size_t i = 0; i < ocap; i++)
    if (old[i].word) {
      size_t j = old[i].hash & (cap - 1);
      while (table[j].word)
        j = (j + 1) & (cap - 1);
      table[j] = old[i];
    }
  free(old);
}

static void count(const char *w, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)w[i]) * 16777619u;
  size_t j = h & (cap - 1);
  while (table[j].word) {
    if (table[j].hash == h && table[j].len == n && !memcmp(table[j].word, w, n)) {
      table[j].count++;
      return;
    }
    j = (j + 1) & (cap - 1);
  }
  table[j] = (Entry){keep(w, n), n, h, 1};
  if (++used * 2 > cap)
    grow();
}

static void count_file(const char *path) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(path);
    exit(2);
  }
  char *buf = xmalloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  for (size_t i = 0; i < got; i++)
    buf[i] = (char)tolower((unsigned char)buf[i]);
  size_t i = 0;
  while (i < got) {
    while (i < got && isspace((unsigned char)buf[i]))
      i++;
    size_t s = i;
    while (i < got && !isspace((unsigned char)buf[i]))
      i++;
    if (i > s)
      count(buf + s, (uint32_t)(i - s));
  }
  free(buf);
}

int main(int argc, char **argv) {
  table = calloc(cap, sizeof *table);
  for (int i = 1; i < argc; i++)
    count_file(argv[i]);
  Entry top[10]; /* the largest counts so far, largest first */
  int ntop = 0;
  for (size_t i = 0; i < cap; i++) {
    if (!table[i].word || (ntop == 10 && table[i].count <= top[9].count))
      continue;
    int k = ntop < 10 ? ntop++ : 9;
    top[k] = table[i];
    for (; k > 0 && top[k].count > top[k - 1].count; k--) {
      Entry t = top[k];
      top[k] = top[k - 1];
      top[k - 1] = t;
    }
  }
  for (int i = 0; i < ntop; i++)
    printf("%.*s %lld\n", (int)top[i].len, top[i].word, (long long)top[i].count);
  return 0;
}
