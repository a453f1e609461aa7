/* csv_marks.h - where a CSV block's fields end, 64 bytes at a time.
 *
 * A field's end (the separator or '\n') or a closing quote falls at an
 * unpredictable byte: a loop that tests bytes (or words) mispredicts its
 * exit once a field. Instead a window of 64 bytes is turned into two bit
 * masks at once (SSE2 compares where there are, eight-byte words
 * otherwise), and each field's end is the next set bit: one hard branch
 * per window, not per field. Searches only move forward. */
#ifndef CSV_MARKS_H
#define CSV_MARKS_H

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct CsvMarks {
  const char *t;
  int64_t n, base;       /* the text; the window is [base, base + 64) */
  uint64_t ends, quotes; /* its bytes that are sep or '\n'; that are '"' */
  char sep;
} CsvMarks;

#define CSV_ONES 0x0101010101010101u
#define CSV_TOPS (0x80 * CSV_ONES)

/* 0x80 in each byte of W that is zero, exactly (no borrow between bytes). */
static inline uint64_t csv_zero_bytes(uint64_t w) {
  return ~(((w & ~CSV_TOPS) + ~CSV_TOPS) | w) & CSV_TOPS;
}

/* The eight 0x80 flags of F as eight bits. */
static inline uint64_t csv_pack_tops(uint64_t f) {
  return ((f >> 7) * 0x0102040810204080u) >> 56;
}

static inline void csv_marks_load(CsvMarks *m, int64_t base) {
  m->base = base;
  m->ends = m->quotes = 0;
  const char *p = m->t + base;
  if (base + 64 > m->n) { /* the tail, byte by byte */
    for (int64_t k = 0; k < m->n - base; k++) {
      m->ends |= (uint64_t)(p[k] == m->sep || p[k] == '\n') << k;
      m->quotes |= (uint64_t)(p[k] == '"') << k;
    }
    return;
  }
#ifdef __SSE2__
  __m128i vs = _mm_set1_epi8(m->sep), vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"');
  for (int k = 0; k < 4; k++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
    __m128i e = _mm_or_si128(_mm_cmpeq_epi8(x, vs), _mm_cmpeq_epi8(x, vn));
    m->ends |= (uint64_t)(uint16_t)_mm_movemask_epi8(e) << (16 * k);
    m->quotes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vq)) << (16 * k);
  }
#else
  uint64_t ws = CSV_ONES * (unsigned char)m->sep, wn = CSV_ONES * '\n', wq = CSV_ONES * '"';
  for (int k = 0; k < 8; k++) {
    uint64_t w;
    memcpy(&w, p + 8 * k, 8);
    m->ends |= csv_pack_tops(csv_zero_bytes(w ^ ws) | csv_zero_bytes(w ^ wn)) << (8 * k);
    m->quotes |= csv_pack_tops(csv_zero_bytes(w ^ wq)) << (8 * k);
  }
#endif
}

/* The first byte at or after I that is a separator or '\n' (QUOTE false)
 * or a '"' (QUOTE true); n if none. */
static inline int64_t csv_marks_next(CsvMarks *m, int64_t i, bool quote) {
  for (;;) {
    if (i >= m->n)
      return m->n;
    if (i < m->base || i - m->base >= 64)
      csv_marks_load(m, i);
    uint64_t bits = (quote ? m->quotes : m->ends) >> (i - m->base);
    if (bits)
      return i + __builtin_ctzll(bits);
    i = m->base + 64;
  }
}

#endif
