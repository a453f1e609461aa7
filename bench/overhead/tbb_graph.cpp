// tbb_graph.cpp FILE.graph THREADS REPEAT - the graph as a TBB flow graph:
// one continue_node per task, an edge per distinct dep, leaves started with
// try_put. Prints "ns_per_task value build_ns_per_task": the run (try_put
// + wait_for_all, median over REPEAT) and, apart, building the nodes and
// edges (TBB graphs are built at run time; taskc's are constants).
#include <tbb/flow_graph.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "graph_file.h"

using namespace tbb::flow;

static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  Graph g = graph_read(argv[1]);
  int threads = atoi(argv[2]), repeat = atoi(argv[3]);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
  std::vector<int64_t> v(g.n);
  std::vector<double> run_t, build_t;
  for (int r = 0; r < repeat; r++) {
    double t0 = now();
    graph fg;
    std::vector<std::unique_ptr<continue_node<continue_msg>>> nodes(g.n);
    std::vector<uint32_t> leaves;
    for (uint32_t i = 0; i < g.n; i++) {
      nodes[i].reset(new continue_node<continue_msg>(
          fg, [&g, &v, i](const continue_msg &) { v[i] = graph_task(&g, v.data(), i); }));
      std::vector<uint32_t> d(g.dep + g.off[i], g.dep + g.off[i + 1]);
      std::sort(d.begin(), d.end());
      d.erase(std::unique(d.begin(), d.end()), d.end());
      for (uint32_t p : d)
        make_edge(*nodes[p], *nodes[i]);
      if (d.empty())
        leaves.push_back(i);
    }
    double t1 = now();
    for (uint32_t i : leaves)
      nodes[i]->try_put(continue_msg());
    fg.wait_for_all();
    double t2 = now();
    build_t.push_back(t1 - t0);
    run_t.push_back(t2 - t1);
  }
  std::sort(run_t.begin(), run_t.end());
  std::sort(build_t.begin(), build_t.end());
  printf("%.1f %lld %.1f\n", run_t[repeat / 2] * 1e9 / g.n, (long long)v[g.n - 1],
         build_t[repeat / 2] * 1e9 / g.n);
  return 0;
}
