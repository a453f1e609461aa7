/* text.h - the lines of dask.bag.read_text (runtime/text.c): how Dask
 * 2022.12 cuts a file or a block of one into str lines. */
#ifndef TR_TEXT_H
#define TR_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "taskrt.h"

/* How lines end, by the path Dask takes (dask/bag/text.py):
 *   TEXT_UNIVERSAL  newline=None: '\n', '\r\n' and '\r' end a line and
 *                   become '\n'
 *   TEXT_ANY        newline='': the same endings, kept as they are
 *   TEXT_CR_AS      io.StringIO(newline='\r') of a block: its initial value
 *                   is written with '\n' made '\r', then split after '\r'
 *                   (so '\r' and '\n' both end a line, as '\r')
 *   TEXT_CRLF_AS    io.StringIO(newline='\r\n'): '\n' made '\r\n', then
 *                   split after '\r\n' (so after each '\n', as '\r\n')
 *   TEXT_DELIM      split after each DELIM, kept; an empty last piece
 *                   dropped ('\n', or '\r' and '\r\n' read from a file)
 *   TEXT_DELIM_ALL  file_to_blocks' str.split of a whole file with another
 *                   delimiter: the last piece stays even when empty
 *                   ("a;" -> ["a;", ""])
 *   TEXT_DELIM_BLOCK decode()'s split of a block with another delimiter:
 *                   the last piece goes when the text ends with DELIM, even
 *                   when it is not empty ("|||" on "||" -> ["||"]) */
typedef enum TextMode {
  TEXT_UNIVERSAL,
  TEXT_ANY,
  TEXT_CR_AS,
  TEXT_CRLF_AS,
  TEXT_DELIM,
  TEXT_DELIM_ALL,
  TEXT_DELIM_BLOCK,
} TextMode;

/* The mode for linedelimiter DELIM (NULL: None) on the whole-file path
 * (blocksize=None, BLOCKED false) or the block path (decode()). */
TextMode text_mode(const char *delim, int64_t dlen, bool blocked);

/* The lines of TEXT[0, LEN) as a new list of str. No text, no lines. */
TrSeq *text_lines(const char *text, int64_t len, TextMode mode, const char *delim,
                  int64_t dlen);

/* Python's strict UTF-8 check of S[0, N): -1 if it decodes, else the
 * offset of the first bad sequence, with Python's reason ("invalid start
 * byte", "invalid continuation byte", "unexpected end of data") in *WHY
 * and the sequence's length so far in *BAD. */
int64_t text_utf8_error(const char *s, int64_t n, const char **why, int64_t *bad);

/* The lines of one read_text partition, ARGS as bag.read_text's (path,
 * offset, length (-1: the whole file), linedelimiter); *FIRST is the
 * file offset of its first byte. Failures fail the task. */
TrSeq *text_read_lines(const TrValue *args, int64_t *first);
/* The number of the line that starts at byte FIRST of the partition's
 * file (1 + the delimiters before it; for messages: it reads the file up
 * to there). */
int64_t text_line_number(const TrValue *args, int64_t first);

#endif
