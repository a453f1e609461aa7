/* csv_split.c - one CSV line into fields, as pandas' C tokenizer splits it
 * with the default dialect (',' delimiter, '"' quotes, doubled quotes).
 * Shared with the compiler, which reads a sample to infer the columns. */
#include "csv.h"

int64_t csv_split(const char *s, size_t n, char *buf, CsvField *f, int64_t cap) {
  return csv_split_sep(s, n, ',', buf, f, cap);
}

int64_t csv_split_sep(const char *s, size_t n, char sep, char *buf, CsvField *f,
                      int64_t cap) {
  int64_t nf = 0;
  size_t i = 0, o = 0;
  for (;;) {
    size_t start = o;
    if (i < n && s[i] == '"') { /* a quoted field: quotes removed, "" is " */
      for (i++; i < n; i++) {
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            buf[o++] = '"';
            i++;
            continue;
          }
          i++;
          break;
        }
        buf[o++] = s[i];
      }
    }
    /* the unquoted rest: a quote here is an ordinary byte */
    for (; i < n && s[i] != sep; i++)
      buf[o++] = s[i];
    if (nf < cap) {
      f[nf].off = (int64_t)start;
      f[nf].len = (int64_t)(o - start);
    }
    nf++;
    if (i >= n)
      return nf;
    i++; /* the separator */
  }
}

/* A quote opens a quoted field only at the start of a field, as in
 * csv_split_sep; inside one, '\n' is text. */
int64_t csv_line_end(const char *s, int64_t n, char sep) {
  bool start = true, quoted = false;
  for (int64_t i = 0; i < n; i++) {
    char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < n && s[i + 1] == '"')
          i++;
        else
          quoted = false;
      }
      continue;
    }
    if (c == '\n')
      return i;
    if (c == '"' && start)
      quoted = true;
    start = c == sep;
  }
  return n;
}
