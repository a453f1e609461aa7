#!/usr/bin/python3
"""run.py - the body of run.sh: generate, build, run, print the tables.
Environment: TASKC (compiler), OUT (work dir), NS (task counts), THREADS,
REPEAT, DASK_MAX (largest N Dask runs at), SHAPES (default "wide chain dag"),
FORMS (compile-only forms of gen.py, default all; "" for none), FORM_NS
(their task counts, default "100000 1000000")."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TASKC = os.environ['TASKC']
OUT = os.environ.get('OUT', '/tmp/taskc-overhead')
NS = [int(n) for n in os.environ.get('NS', '10000 100000 1000000').split()]
THREADS = [int(t) for t in os.environ.get('THREADS', '1 2').split()]
REPEAT = int(os.environ.get('REPEAT', '5'))
DASK_MAX = int(os.environ.get('DASK_MAX', '100000'))
SHAPES = os.environ.get('SHAPES', 'wide chain dag').split()
FORMS = os.environ.get('FORMS', 'delayed dict-str dict-int dict-tuple submit map array').split()
FORM_NS = [int(n) for n in os.environ.get('FORM_NS', '100000 1000000').split()]
PY = '/usr/bin/python3'


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build_peers():
    sh(['g++', '-O2', '-std=c++17', '-o', OUT + '/tbb_graph', HERE + '/tbb_graph.cpp', '-ltbb'])
    sh(['gcc', '-O2', '-fopenmp', '-o', OUT + '/omp_graph', HERE + '/omp_graph.c'])


def compile_taskc(shape, n, flags=('--no-fuse', '--step-limit=2000000000')):
    base = '%s/%s-%d' % (OUT, shape, n)
    sh([PY, HERE + '/gen.py', shape, str(n), OUT])
    # chains would be fused into one task: the benchmark is the scheduler
    r = subprocess.run(['/usr/bin/time', '-f', '%e %M', TASKC, base + '.tg', '-o', base] +
                       list(flags), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('taskc failed on %s.tg:\n%s' % (base, r.stderr))
    secs, kb = r.stderr.strip().splitlines()[-1].split()
    return base, float(secs), int(kb) / 1024


def taskc_ns(base, threads):
    out = sh([base, '--bench', '--threads', str(threads), '--repeat', str(REPEAT)])
    d = dict(line.split(': ', 1) for line in out.splitlines())
    value = sh([base, '--threads', str(threads)]).split(' = ')[1].strip()
    return float(d['per-task overhead (ns)']), int(d['tasks']), value


def peer(cmd):
    w = sh(cmd).split()
    return float(w[0]), w[1]


def dask(graph, sched, threads, n):
    if n > DASK_MAX:
        return None, None
    rep = '3' if n <= 10000 else '1'
    return peer([PY, HERE + '/dask_graph.py', graph, sched, str(threads), rep])


def fmt(x):
    return '-' if x is None else ('%.0f' % x if x >= 100 else '%.1f' % x)


def ratio(x, base):
    return '-' if x is None else '%.1fx' % (x / base) if x / base < 100 else '%.0fx' % (x / base)


def forms():
    """Compile time of each way to write a graph, without flags (the default
    passes and step limit), and the executable's answer."""
    rows = []
    for n in FORM_NS:
        for form in FORMS:
            log('== form %s N=%d: compile' % (form, n))
            base, secs, mb = compile_taskc(form, n, ())
            value = sh([base, '--threads', '2']).split(' = ')[1].strip()
            rows.append((form, n, secs, mb, value))
    print('taskc compile of each form (taskc FILE.tg, /usr/bin/time; N inc tasks and a sum)')
    print('| form | N | seconds | peak MB | us/task | KB/task | result |')
    print('|---|---|---|---|---|---|---|')
    for form, n, secs, mb, value in rows:
        print('| %s | %d | %.2f | %.0f | %.2f | %.2f | %s |' % (
            form, n, secs, mb, secs * 1e6 / n, mb * 1024 / n, value))
    print()


def main():
    os.makedirs(OUT, exist_ok=True)
    if FORMS:
        forms()
    if not SHAPES:
        return
    build_peers()
    rows, comp = [], []
    for n in NS:
        for shape in SHAPES:
            log('== %s N=%d: compile' % (shape, n))
            base, secs, mb = compile_taskc(shape, n)
            graph = base + '.graph'
            sync, sv = dask(graph, 'sync', 1, n)
            for th in THREADS:
                log('   %d thread(s)' % th)
                tc, ntasks, value = taskc_ns(base, th)
                tbb, v1 = peer([OUT + '/tbb_graph', graph, str(th), str(REPEAT)])
                omp, v2 = peer([OUT + '/omp_graph', graph, str(th), str(REPEAT)])
                thr, v3 = dask(graph, 'threaded', th, n)
                for who, v in (('tbb', v1), ('omp', v2), ('dask', v3), ('dask-sync', sv)):
                    if v is not None and v != value:
                        sys.exit('%s computed %s, taskc %s (%s)' % (who, v, value, graph))
                rows.append((shape, ntasks, th, tc, tbb, omp, thr, sync))
            comp.append((shape, n, ntasks, secs, mb))
    print('per-task time, ns (median of %d runs; Dask: 3 runs at 10k, 1 at 100k, '
          'not run above %d: "-")' % (REPEAT, DASK_MAX))
    head = ('shape', 'tasks', 'thr', 'taskc', 'TBB', 'OpenMP', 'Dask-thr', 'Dask-sync',
            'TBB/taskc', 'OMP/taskc', 'Dask-thr/taskc', 'Dask-sync/taskc')
    print('| ' + ' | '.join(head) + ' |')
    print('|' + '---|' * len(head))
    for shape, nt, th, tc, tbb, omp, thr, sync in rows:
        print('| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            shape, nt, th, fmt(tc), fmt(tbb), fmt(omp), fmt(thr), fmt(sync),
            ratio(tbb, tc), ratio(omp, tc), ratio(thr, tc), ratio(sync, tc)))
    print()
    print('taskc compile (taskc FILE.tg --no-fuse, /usr/bin/time)')
    print('| shape | N | tasks | seconds | peak MB | us/task | KB/task |')
    print('|---|---|---|---|---|---|---|')
    for shape, n, nt, secs, mb in comp:
        print('| %s | %d | %d | %.2f | %.0f | %.2f | %.2f |' % (
            shape, n, nt, secs, mb, secs * 1e6 / nt, mb * 1024 / nt))


main()
