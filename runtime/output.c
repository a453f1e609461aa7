/* output.c - printing the outputs of a finished run on stdout. */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

static int write_text(const TrProgram *p, const TrValue *slots) {
  Buf b = {0};
  for (uint32_t i = 0; i < p->noutputs; i++) {
    buf_printf(&b, "%s = ", p->outputs[i].name);
    repr_value(&b, &slots[p->outputs[i].task]);
    buf_putc(&b, '\n');
  }
  if (b.len)
    fwrite(b.p, 1, b.len, stdout);
  free(b.p);
  return 0;
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
  if (!err)
    fwrite(b.p, 1, b.len, stdout);
  free(b.p);
  return err ? 1 : 0;
}

int tr_write_outputs(const TrProgram *p, const TrValue *slots, bool json) {
  int rc = json ? write_json(p, slots) : write_text(p, slots);
  fflush(stdout);
  return rc;
}
