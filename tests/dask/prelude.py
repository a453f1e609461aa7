"""What a .tg program needs to run as Python under real Dask.

A .tg file is valid Python, but taskc's language adds a few things that plain
Dask does not have or that we must observe from the outside:

  * outputs: every `x.compute()`, `compute(a, b)`, `dask.compute(...)`,
    `get(dsk, keys)`, `future.result()` and `client.gather(...)` marks values
    as outputs, named as docs/language.md section 2 says.  We patch Dask's entry
    points with wrappers that compute with the threaded scheduler, record
    (name, value) and hand the value back to the program.
  * `@extern(...)` C functions: pure-Python stand-ins come from a sidecar
    PROG.py next to PROG.tg; without one the program cannot run here.
  * `Client` / `Executor` futures: a fake client whose futures are
    dask.delayed values, so no cluster is started.
  * `visualize(...)`: a no-op (the graphviz Python library is not installed).

Variable names are recovered from the program's AST: Outputs.names maps the
source span of each call to the names of what it marks, and a wrapper finds
its caller's span through the frame of the program's code.
"""

import ast
import builtins
import importlib.util
import math
import os
import sys
import types

import dask
import dask.base
import dask.local
import dask.threaded

DelayedClass = sys.modules["dask.delayed"].Delayed


# ---------------------------------------------------------------- outputs

def call_names(tree):
    """Map the span of each output-marking call to a list of names (None
    where the language falls back to outN)."""
    spans = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        span = (node.lineno, node.end_lineno, node.col_offset, node.end_col_offset)
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr in ("compute", "persist", "result") \
                and not is_dask_module(f.value):
            spans[span] = [name_of(f.value)]
        elif is_compute_fn(f):
            spans[span] = [name_of(a) for a in node.args]
        elif isinstance(f, ast.Attribute) and f.attr == "gather":
            spans[span] = [name_of(a) for a in node.args[:1]]
    return spans


def is_dask_module(e):
    return isinstance(e, ast.Name) and e.id == "dask" or \
        isinstance(e, ast.Attribute) and e.attr == "base"


def is_compute_fn(f):
    if isinstance(f, ast.Name):
        return f.id in ("compute", "persist")
    return isinstance(f, ast.Attribute) and f.attr in ("compute", "persist") \
        and is_dask_module(f.value)


def name_of(e):
    return e.id if isinstance(e, ast.Name) else None


class Outputs:
    """The program's outputs in program order, with their names."""

    def __init__(self, path, tree):
        self.path = path
        self.spans = call_names(tree)
        self.items = []        # (name, value)
        self.unnamed = 0
        self.depth = 0         # > 0 while inside one of our wrappers

    def caller_names(self):
        """Names the AST gives the call that is running in the program."""
        f = sys._getframe(1)
        while f is not None and f.f_code.co_filename != self.path:
            f = f.f_back
        if f is None:
            return None
        positions = list(f.f_code.co_positions())
        i = f.f_lasti // 2
        if i >= len(positions):
            return None
        return self.spans.get(positions[i])

    def add(self, name, value):
        if name is None:
            name = "out%d" % self.unnamed
            self.unnamed += 1
        self.items.append((name, value))

    def add_all(self, names, values):
        names = names or []
        for i, v in enumerate(values):
            self.add(names[i] if i < len(names) else None, v)


OUT = None  # the Outputs of the running program


class Nested:
    """Marks a call that runs inside another wrapper: record nothing."""

    def __enter__(self):
        OUT.depth += 1
        return OUT.depth == 1

    def __exit__(self, *exc):
        OUT.depth -= 1


orig_compute = dask.base.compute
orig_persist = dask.base.persist
orig_method_compute = dask.base.DaskMethodsMixin.compute
orig_get_sync = dask.local.get_sync
orig_threaded_get = dask.threaded.get


def run_compute(*args, **kwargs):
    kwargs["scheduler"] = "threads"
    return orig_compute(*args, **kwargs)


def compute(*args, **kwargs):
    names = OUT.caller_names()
    with Nested() as top:
        values = run_compute(*args, **kwargs)
        if top:
            OUT.add_all(names, values)
        return values


def method_compute(self, **kwargs):
    names = OUT.caller_names()
    with Nested() as top:
        (value,) = run_compute(self, traverse=False, **kwargs)
        if top:
            OUT.add_all(names, [value])
        return value


def persist(*args, **kwargs):
    """taskc marks persisted values as outputs, as compute does."""
    names = OUT.caller_names()
    with Nested() as top:
        kwargs["scheduler"] = "threads"
        values = orig_persist(*args, **kwargs)
        if top:
            OUT.add_all(names, run_compute(*values))
        return values


def method_persist(self, **kwargs):
    names = OUT.caller_names()
    with Nested() as top:
        kwargs["scheduler"] = "threads"
        (value,) = orig_persist(self, **kwargs)
        if top:
            OUT.add_all(names, run_compute(value))
        return value


def key_name(k):
    return k if isinstance(k, str) else repr(k)


def make_get(orig):
    def get(dsk, keys, **kwargs):
        with Nested() as top:
            value = orig(dsk, keys, **kwargs)
            if top:
                if isinstance(keys, list):
                    for k, v in zip(keys, value):
                        OUT.add(None if isinstance(k, list) else key_name(k), v)
                else:
                    OUT.add(key_name(keys), value)
            return value
    return get


def visualize(*args, **kwargs):
    return None


def patch_dask():
    get = make_get(orig_threaded_get)
    dask.compute = dask.base.compute = compute
    dask.base.DaskMethodsMixin.compute = method_compute
    dask.persist = dask.base.persist = persist
    dask.base.DaskMethodsMixin.persist = method_persist
    dask.base.DaskMethodsMixin.visualize = visualize
    dask.visualize = dask.base.visualize = visualize
    dask.get = dask.local.get_sync = make_get(orig_get_sync)
    dask.threaded.get = get
    return get


# ---------------------------------------------------------------- futures

class Future:
    """A future of the fake client: a delayed value computed on demand."""

    def __init__(self, d):
        self.delayed = d
        self.key = d.key
        self.done_ = False
        self.value = None

    def compute_now(self):
        if not self.done_:
            with Nested():
                (self.value,) = run_compute(self.delayed)
            self.done_ = True
        return self.value

    def result(self, timeout=None):
        names = OUT.caller_names()
        value = self.compute_now()
        if OUT.depth == 0:
            OUT.add_all(names, [value])
        return value

    def done(self):
        return True

    def __repr__(self):
        return "<Future: key=%s>" % self.key


def unwrap(x):
    """Replace futures by their delayed values, inside lists/tuples/dicts."""
    if isinstance(x, Future):
        return x.delayed
    if isinstance(x, (list, tuple)):
        return type(x)(unwrap(e) for e in x)
    if isinstance(x, dict):
        return {k: unwrap(v) for k, v in x.items()}
    return x


class Client:
    """Stands for dask.distributed.Client and the older Executor."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, func, *args, pure=True, key=None, **kwargs):
        d = dask.delayed(func, pure=pure)(*unwrap(args), **unwrap(kwargs))
        return Future(d)

    def map(self, func, *seqs, pure=True, key=None, **kwargs):
        return [self.submit(func, *a, pure=pure, **kwargs) for a in zip(*seqs)]

    def gather(self, futures, **kwargs):
        names = OUT.caller_names()
        with Nested():
            value = gather_values(futures)
        OUT.add_all(names, [value])
        return value

    def compute(self, x, **kwargs):
        if isinstance(x, (list, tuple)):
            return [self.compute(e) for e in x]
        return Future(x if isinstance(x, DelayedClass) else dask.delayed(x))

    def scatter(self, data, **kwargs):
        return Future(dask.delayed(data))

    persist = compute

    def close(self, *a, **k):
        pass

    shutdown = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<Client: fake, threaded scheduler>"


def gather_values(x):
    """Compute every future inside x at once (shared work done once)."""
    futs = []
    collect_futures(x, futs)
    pending = [f for f in futs if not f.done_]
    if pending:
        values = run_compute(*[f.delayed for f in pending])
        for f, v in zip(pending, values):
            f.value, f.done_ = v, True
    return replace_futures(x)


def collect_futures(x, acc):
    if isinstance(x, Future):
        acc.append(x)
    elif isinstance(x, (list, tuple)):
        for e in x:
            collect_futures(e, acc)
    elif isinstance(x, dict):
        for e in x.values():
            collect_futures(e, acc)


def replace_futures(x):
    if isinstance(x, Future):
        return x.value
    if isinstance(x, (list, tuple)):
        return type(x)(replace_futures(e) for e in x)
    if isinstance(x, dict):
        return {k: replace_futures(v) for k, v in x.items()}
    return x


def distributed_module(name):
    m = types.ModuleType(name)
    m.Client = m.Executor = Client
    m.Future = Future
    m.as_completed = lambda futures, **k: iter(list(futures))
    m.wait = lambda futures, **k: None
    m.progress = lambda *a, **k: None
    m.LocalCluster = lambda *a, **k: None
    return m


# ---------------------------------------------------------------- extern

def load_sidecar(tg_path):
    """The Python stand-ins for @extern functions: PROG.py next to PROG.tg."""
    py = tg_path[:-3] + ".py" if tg_path.endswith(".tg") else tg_path + ".py"
    try:
        spec = importlib.util.spec_from_file_location("taskc_sidecar", py)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    except FileNotFoundError:
        return py, {}
    return py, vars(mod)


def make_extern(tg_path):
    sidecar_path, sidecar = load_sidecar(tg_path)

    def extern(lib, pure=None, **kwargs):
        def wrap(fn):
            impl = sidecar.get(fn.__name__)
            if not callable(impl):
                raise NameError(
                    "@extern(%r) function '%s' has no Python stand-in: define "
                    "def %s(...) in %s to run this program under Dask"
                    % (lib, fn.__name__, fn.__name__, sidecar_path))
            impl.__name__ = fn.__name__
            return impl
        if callable(lib) and not isinstance(lib, str):  # bare @extern
            fn, lib = lib, "?"
            return wrap(fn)
        return wrap
    return extern


# ---------------------------------------------------------------- running

def program_globals(path, get):
    """A module namespace for the program, with imports of
    dask.distributed / distributed answered by the fake client."""
    fake = {n: distributed_module(n) for n in ("distributed", "dask.distributed")}
    real_import = builtins.__import__

    def tg_import(name, globals=None, locals=None, fromlist=(), level=0):
        if name not in fake or level != 0:
            return real_import(name, globals, locals, fromlist, level)
        if fromlist or name == "distributed":
            return fake[name]
        # `import dask.distributed` binds `dask`; its attribute is the fake
        dask.distributed = fake[name]
        return dask

    bi = dict(vars(builtins))
    bi["__import__"] = tg_import
    return {
        "__name__": "__main__",
        "__file__": path,
        "__builtins__": bi,
        "extern": make_extern(path),
        "get": get,
    }


def run(path, source):
    """Run the program; return its outputs as a list of (name, value)."""
    global OUT
    tree = ast.parse(source, filename=path)
    OUT = Outputs(path, tree)
    get = patch_dask()
    if "dask.dataframe" in source:
        patch_read_csv(os.path.dirname(path))
    if "dask.bag" in source:
        patch_bag(os.path.dirname(path))
    if "dask.array" in source:
        patch_array(os.path.dirname(path))
    dask.config.set(scheduler="threads")
    code = compile(tree, path, "exec")
    exec(code, program_globals(path, get))
    return OUT.items


def from_program_dir(reader, program_dir):
    """reader with its relative paths taken from the program's folder, as
    taskc reads them (as from_npy's and @extern sources), whatever the
    cwd."""
    def resolve(p):
        return p if not isinstance(p, str) or os.path.isabs(p) else \
            os.path.join(program_dir, p)

    def read(urlpath, *args, **kwargs):
        if isinstance(urlpath, (list, tuple)):
            urlpath = [resolve(p) for p in urlpath]
        else:
            urlpath = resolve(urlpath)
        return reader(urlpath, *args, **kwargs)
    return read


def one_output(writer):
    """A writer that computes at once (to_csv, to_textfiles) is one output,
    the list of paths, as taskc makes it (not one per partition from the
    compute inside)."""
    def write(self, *args, **kwargs):
        with Nested() as top:
            paths = writer(self, *args, **kwargs)
            if top:
                OUT.add(None, paths)
            return paths
    return write


def no_output(method):
    """A method that computes inside (to_dataframe's take(1) of the first
    element for its metadata, which taskc reads at compile time) records
    nothing."""
    def call(*args, **kwargs):
        with Nested():
            return method(*args, **kwargs)
    return call


def patch_read_csv(program_dir):
    import dask.dataframe as dd
    dd.read_csv = from_program_dir(dd.read_csv, program_dir)
    dd.core._Frame.to_csv = one_output(dd.core._Frame.to_csv)


def patch_array(program_dir):
    import dask.array as da
    # taskc reads the sizes when the program runs: no output of its own
    da.Array.compute_chunk_sizes = no_output(da.Array.compute_chunk_sizes)
    # taskc reads the info at compile time, next to the program
    da.from_npy_stack = from_program_dir(da.from_npy_stack, program_dir)


def patch_bag(program_dir):
    import dask.bag as db
    db.read_text = from_program_dir(db.read_text, program_dir)
    db.Bag.to_textfiles = one_output(db.Bag.to_textfiles)
    db.Bag.to_dataframe = no_output(db.Bag.to_dataframe)
    # repartition(partition_size=) computes the partitions' sizes inside
    db.Bag.repartition = no_output(db.Bag.repartition)


# ---------------------------------------------------------------- JSON

def plain(v):
    """A value as the taskc executables encode it in --format json."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, (list, tuple)):
        return [plain(e) for e in v]
    if isinstance(v, dict):
        return {plain_key(k): plain(x) for k, x in v.items()}
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            return float(v)
        if isinstance(v, np.str_):
            return str(v)
        if isinstance(v, np.ndarray):
            return plain(v.tolist())
    pd = sys.modules.get("pandas")
    if pd is not None:
        # as taskc writes them (runtime/frame_json.c): pandas' orient="split",
        # missing values as null
        if isinstance(v, pd.Series):
            return index_name(v, {"name": frame_cell(v.name),
                                  "index": [frame_cell(i) for i in v.index],
                                  "data": [frame_cell(x) for x in v.tolist()]})
        if isinstance(v, pd.DataFrame):
            return index_name(v, {"columns": [frame_cell(c) for c in v.columns],
                                  "index": [frame_cell(i) for i in v.index],
                                  "data": [[frame_cell(x) for x in row]
                                           for row in v.itertuples(index=False, name=None)]})
    raise TypeError("no JSON encoding for output value of type %s: %r"
                    % (type(v).__name__, v))


def index_name(v, d):
    """A named index (a groupby's keys) adds "index_name" to the layout."""
    if v.index.name is not None:
        d["index_name"] = frame_cell(v.index.name)
    return d


def frame_cell(x):
    """A cell, label or name of a pandas value: NaN and None as null."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    pd = sys.modules.get("pandas")
    if pd is not None and x is pd.NaT:
        return None
    if pd is not None and isinstance(x, pd.Timestamp):  # datetime64[ns]: ISO text
        return x.isoformat()
    p = plain(x)
    if isinstance(p, float) and math.isnan(p):
        return None
    return p


def plain_key(k):
    """Dict keys as json.dumps converts them; tuple keys as their repr."""
    if isinstance(k, str):
        return k
    if k is None:
        return "null"
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        if math.isnan(k):
            return "NaN"
        if math.isinf(k):
            return "Infinity" if k > 0 else "-Infinity"
        return repr(k)
    p = plain(k)  # numpy scalars
    if p is None or isinstance(p, (str, bool, int, float)):
        return plain_key(p)
    return repr(k)
