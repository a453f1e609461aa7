/* keysplit.c - dask.utils.key_split: the name of a key without its
 * token, as Dask's pictures label layers and functions ('inc-3' -> inc,
 * 'sum-aggregate-<token>' -> sum-aggregate). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ir.h"

static bool is_alpha_word(const char *s, size_t n) {
  if (n == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
      return false;
  return true;
}

/* Dask's hex_pattern.match: the word starts with a letter a-f. With the
 * length-8 test it keeps Dask's short tokens ('x-abcdefab') out of names. */
static bool starts_hex(const char *s) { return *s >= 'a' && *s <= 'f'; }

static bool is_token32(const char *s, size_t n) {
  if (n != 32)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* dask.utils.key_split of a string: the leading words that are all
 * letters, joined by '-'; a first word that does not start with a letter
 * loses its quotes, brackets and underscores. */
const char *key_split(Arena *a, const char *s) {
  const char *end = strchr(s, '-');
  size_t n = end ? (size_t)(end - s) : strlen(s);
  char *out = arena_alloc(a, strlen(s) + 1);
  size_t len = 0;
  bool alpha0 = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
  if (!alpha0) {
    const char *comma = memchr(s, ',', n);
    size_t m = comma ? (size_t)(comma - s) : n, b = 0;
    while (b < m && strchr("_'()\"", s[b]))
      b++;
    while (m > b && strchr("_'()\"", s[m - 1]))
      m--;
    memcpy(out, s + b, m - b);
    len = m - b;
  } else {
    memcpy(out, s, n);
    len = n;
  }
  while (end) {
    const char *w = end + 1;
    end = strchr(w, '-');
    size_t wn = end ? (size_t)(end - w) : strlen(w);
    if (!is_alpha_word(w, wn) || (wn == 8 && starts_hex(w)))
      break;
    out[len++] = '-';
    memcpy(out + len, w, wn);
    len += wn;
  }
  out[len] = '\0';
  if (is_token32(out, len))
    return "data";
  return len ? out : "Other";
}

