/* trace.c - --trace FILE: the run as Chrome trace-event JSON (the format
 * chrome://tracing and Perfetto open). One complete event ("ph":"X") per
 * executed task: name = the task's kind, tid = the worker, args.key = the
 * task's key; times in microseconds from the first task's start. */
#include <stdlib.h>

#include "scheduler.h"

static void put_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\')
      fprintf(f, "\\%c", *c);
    else if (*c < 0x20 || *c == 0x7f)
      fprintf(f, "\\u%04x", *c);
    else
      fputc(*c, f);
  }
  fputc('"', f);
}

bool tr_trace_write(const TrProgram *p, const TrTraceEv *ev, const char *path) {
  FILE *f = fopen(path, "w");
  if (!f)
    return false;
  uint64_t t0 = UINT64_MAX;
  uint32_t nw = 0;
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (ev[t].end) {
      t0 = ev[t].start < t0 ? ev[t].start : t0;
      nw = ev[t].worker + 1 > nw ? ev[t].worker + 1 : nw;
    }
  fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
  fprintf(f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
             "\"args\":{\"name\":");
  put_json_str(f, p->name ? p->name : "taskc");
  fputs("}}", f);
  for (uint32_t k = 0; k < nw; k++)
    fprintf(f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%u,"
               "\"args\":{\"name\":\"worker %u\"}}", k, k);
  for (uint32_t t = 0; t < p->ntasks; t++) {
    const TrTraceEv *e = &ev[t];
    if (!e->end)
      continue;
    const TrTask *tk = &p->tasks[t];
    const char *name = p->kind_names && p->kind_names[tk->kind] ? p->kind_names[tk->kind] : "task";
    fputs(",\n{\"name\":", f);
    put_json_str(f, name);
    fprintf(f, ",\"cat\":\"task\",\"ph\":\"X\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":1,\"tid\":%u,"
               "\"args\":{\"key\":",
            (double)(e->start - t0) / 1e3, (double)(e->end - e->start) / 1e3, e->worker);
    if (tk->key)
      put_json_str(f, tk->key);
    else
      fprintf(f, "\"#%u\"", t);
    fputs("}}", f);
  }
  fputs("\n]}\n", f);
  bool ok = !ferror(f);
  return fclose(f) == 0 && ok;
}
