/* memlimit.c - the memory budget; see memlimit.h. */
#include "memlimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "rt.h"

/* One budget per process: the limit is the process's, and every worker
 * charges the same counter. */
static int64_t limit;  /* bytes; 0: none known */
static int64_t budget; /* bytes the runtime may count; 0: no budget */
static int64_t used;
static int64_t peak;  /* the most "used" has been */

enum { MB = 1 << 20 };

/* "1000000", "512K", "100M", "2G"; -1 if not a size. */
static int64_t parse_size(const char *s) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (end == s || v < 0)
    return -1;
  int64_t unit = *end == 'K' || *end == 'k' ? 1 << 10
               : *end == 'M' || *end == 'm' ? MB
               : *end == 'G' || *end == 'g' ? (int64_t)1 << 30 : 1;
  if (unit > 1)
    end++;
  if (*end || v > INT64_MAX / unit)
    return -1;
  return (int64_t)v * unit;
}

/* The number in a cgroup file ("max" and absurd values: none, -1). */
static int64_t read_number(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  char line[64] = "";
  bool ok = fgets(line, sizeof line, f) != NULL;
  fclose(f);
  line[strcspn(line, "\n")] = 0;
  int64_t v = ok ? parse_size(line) : -1;
  return v >= (int64_t)1 << 60 ? -1 : v; /* v1's "no limit" is ~2^63 */
}

static const char *env_or(const char *name, const char *dflt) {
  const char *v = getenv(name);
  return v && *v ? v : dflt;
}

/* The smallest FILE limit from DIR up to the root of the hierarchy at
 * ROOT (limits of parent cgroups apply too); *usage: USAGE_FILE of DIR. */
static int64_t limit_along(const char *root, char *dir, const char *file,
                           const char *usage_file, int64_t *usage) {
  char path[4096];
  snprintf(path, sizeof path, "%s%s/%s", root, dir, usage_file);
  *usage = read_number(path);
  int64_t best = -1;
  for (;;) {
    snprintf(path, sizeof path, "%s%s/%s", root, dir, file);
    int64_t v = read_number(path);
    if (v >= 0 && (best < 0 || v < best))
      best = v;
    char *slash = strrchr(dir, '/');
    if (!slash || !*dir)
      break;
    *slash = 0; /* the parent; "" is the root */
  }
  return best;
}

/* The cgroup memory limit of this process (v2, else v1), -1 if none. The
 * paths can be moved for tests: TASKC_PROC_CGROUP (/proc/self/cgroup) and
 * TASKC_CGROUP_FS (/sys/fs/cgroup). */
static int64_t cgroup_limit(int64_t *usage) {
  const char *fs = env_or("TASKC_CGROUP_FS", "/sys/fs/cgroup");
  FILE *f = fopen(env_or("TASKC_PROC_CGROUP", "/proc/self/cgroup"), "r");
  *usage = -1;
  if (!f)
    return -1;
  char line[4096], root[4200];
  int64_t best = -1;
  while (best < 0 && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2)
      continue;
    *c1 = *c2 = 0;
    char *ctrl = c1 + 1, *dir = c2 + 1;
    if (!strcmp(line, "0") && !*ctrl) { /* v2: "0::/path" */
      snprintf(root, sizeof root, "%s", fs);
      best = limit_along(root, dir, "memory.max", "memory.current", usage);
    } else if (strstr(ctrl, "memory")) { /* v1: "4:memory:/path" */
      snprintf(root, sizeof root, "%s/memory", fs);
      best = limit_along(root, dir, "memory.limit_in_bytes",
                         "memory.usage_in_bytes", usage);
    }
  }
  fclose(f);
  return best;
}

void tr_mem_init(void) {
  const char *env = getenv("TASKC_MEMORY_LIMIT");
  if (env && *env) {
    /* Exact, for tests: the whole limit is the runtime's budget. */
    limit = budget = parse_size(env) > 0 ? parse_size(env) : 0;
    return;
  }
  int64_t usage;
  int64_t cg = cgroup_limit(&usage);
  if (cg <= 0)
    return;
  limit = cg;
  /* What the runtime does not count (code, stacks, small objects, malloc's
   * own overhead, other processes of the cgroup) needs room too. */
  budget = cg - (usage > 0 ? usage : 0) - cg / 10;
  if (budget < MB)
    budget = MB;
}

int64_t tr_mem_limit(void) { return limit; }

void tr_mem_charge(int64_t n) {
  int64_t now = __atomic_add_fetch(&used, n, __ATOMIC_RELAXED);
  if (budget && now > budget) {
    __atomic_sub_fetch(&used, n, __ATOMIC_RELAXED);
    tr_oom();
  }
  int64_t pk = __atomic_load_n(&peak, __ATOMIC_RELAXED);
  while (now > pk && !__atomic_compare_exchange_n(&peak, &pk, now, true,
                                                  __ATOMIC_RELAXED,
                                                  __ATOMIC_RELAXED))
    ;
}

int64_t tr_mem_peak(void) { return __atomic_load_n(&peak, __ATOMIC_RELAXED); }

void tr_mem_release(int64_t n) {
  __atomic_sub_fetch(&used, n, __ATOMIC_RELAXED);
}

/* ulimit -v shows as RLIMIT_AS: named when no cgroup limit is known. */
static int64_t shown_limit(void) {
  if (limit)
    return limit;
  struct rlimit rl;
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    return (int64_t)rl.rlim_cur;
  return 0;
}

void tr_oom(void) {
  int64_t l = shown_limit();
  if (l)
    tr_fail("out of memory (limit %lld MB)", (long long)((l + MB / 2) / MB));
  tr_fail("out of memory");
}
