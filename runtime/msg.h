/* msg.h - one binary encoding of every run-time value, for values that
 * cross a process boundary (exec_mpi.c's messages; docs/mpi.md).
 *
 * A value is a kind byte, then the kind's payload; integers and floats are
 * 8 bytes in the machine's byte order (every rank of a job runs the same
 * executable on the same kind of machine), lengths are int64. Containers
 * hold their items encoded the same way, so any nesting goes through. */
#ifndef TASKRT_MSG_H
#define TASKRT_MSG_H

#include "rt.h"

/* Appends the encoding of v to b. */
void tr_msg_encode(Buf *b, const TrValue *v);

/* Decodes one value from p[0..n) into *out (owned, +1) and sets *used to
 * the bytes it took. false on a malformed or truncated encoding (*out is
 * then None and nothing leaks). */
bool tr_msg_decode(const char *p, size_t n, size_t *used, TrValue *out);

/* Large arrays go as two messages: this header (kind K_ARRAY_HEAD: dtype
 * and shape, no data), then the data straight from the array's memory into
 * the new array's (no copy into or out of a buffer). tr_msg_head_bytes is
 * the data size of v if v is an array of at least min data bytes, else 0;
 * tr_msg_encode_head appends the header; tr_msg_decode of a header gives an
 * array whose data the caller fills (tr_msg_head_bytes(out) bytes). */
size_t tr_msg_head_bytes(const TrValue *v, size_t min);
void tr_msg_encode_head(Buf *b, const TrValue *v);
bool tr_msg_is_head(const char *p, size_t n);

#endif
