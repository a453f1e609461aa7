/* output.c - printing the outputs of a finished run on stdout. A write
 * that fails (a full disk, a closed pipe) is an error, exit 1: the output
 * must never be lost silently. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

static int write_stdout(const Buf *b) {
  if (b->len && fwrite(b->p, 1, b->len, stdout) != b->len)
    return tr_stdout_error();
  return 0;
}

void tr_put_name(Buf *b, const char *name) {
  for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
    const char *esc = *s == '\n' ? "\\n" : *s == '\r' ? "\\r"
                    : *s == '\t' ? "\\t" : NULL;
    if (esc)
      buf_puts(b, esc);
    else if (*s < 0x20 || *s == 0x7f)
      buf_printf(b, "\\x%02x", *s);
    else
      buf_putc(b, (char)*s);
  }
}

static int write_text(const TrProgram *p, const TrValue *slots) {
  Buf b = {0};
  for (uint32_t i = 0; i < p->noutputs; i++) {
    tr_put_name(&b, p->outputs[i].name);
    /* a DataFrame's lines line up below the name, as print(df) shows them */
    buf_puts(&b, slots[p->outputs[i].task].tag == TR_FRAME ? " =\n" : " = ");
    repr_value(&b, &slots[p->outputs[i].task]);
    buf_putc(&b, '\n');
  }
  int rc = write_stdout(&b);
  free(b.p);
  return rc;
}

static int write_json(const TrProgram *p, const TrValue *slots) {
  Buf b = {0};
  const char *err = NULL;
  buf_putc(&b, '{');
  for (uint32_t i = 0; i < p->noutputs && !err; i++) {
    const TrOutput *o = &p->outputs[i];
    TrStr *name = tr_str_new(o->name, (int64_t)strlen(o->name));
    TrValue nv = tr_obj(TR_STR, name);
    if (i)
      buf_puts(&b, ", ");
    json_value(&b, &nv, &err);
    tr_decref(&nv);
    buf_puts(&b, ": ");
    if (!json_value(&b, &slots[o->task], &err))
      fprintf(stderr, "error: output '%s' cannot be written as JSON: %s\n", o->name, err);
  }
  buf_puts(&b, "}\n");
  int rc = err ? 1 : write_stdout(&b);
  free(b.p);
  return rc;
}

int tr_write_outputs(const TrProgram *p, const TrValue *slots, bool json) {
  int rc = json ? write_json(p, slots) : write_text(p, slots);
  if (fflush(stdout) != 0 || ferror(stdout))
    return rc ? rc : tr_stdout_error();
  return rc;
}

int tr_stdout_error(void) {
  fprintf(stderr, "error: cannot write output: %s\n",
          strerror(errno ? errno : EIO));
  return 1;
}
