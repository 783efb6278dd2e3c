"""``dti-warm``: a papermill engine that runs each notebook in a process forked from a warm parent.

The stock engine starts a Jupyter kernel per report, and the kernel imports pandas, matplotlib,
scikit-learn and the library again: about 3 s of a 4–5 s report.  This engine keeps one **warm
parent** per calling thread (a batch worker, a Dask worker thread): a ``python -m
dtilib.reporting.warm`` process that has created an IPython shell, selected matplotlib's inline
backend and imported the report's modules once.  Each notebook then runs in a **fresh child forked
from that parent**: no kernel start, no re-import, and the same isolation as a kernel per report —
whatever a report changes (globals, module attributes, ``os.environ``, open figures) dies with its
child; the parent itself never runs notebook code.

Outputs are captured the way ipykernel sends them: ``stream`` (stdout/stderr), ``display_data``
(images, HTML, the report header's JSON), ``execute_result`` with its execution count, and ``error``
with its traceback; execution stops at the first error, and papermill marks the failed cell and
raises :class:`papermill.PapermillExecutionError` as with the stock engine.  The per-cell timeout,
a child that dies (segfault, ``os._exit``) and a parent that cannot start are reported as errors of
the cell concerned.

Warming up: at its start the parent imports the library's packages and the dependencies the library
imports inside its functions (SciPy, seaborn, openpyxl …); fills the caches that are keyed on their
files' modification time — the processed record, the shipped frameworks, the name index — so that a file
changed later is read again by the report that needs it, as a fresh kernel would; reads the text
catalogue (a file of the package, read once like its code); and fills matplotlib's font caches (one
figure drawn into memory and closed).  Then it freezes its objects (``gc.freeze``) so that a child's
garbage collections do not copy the pages they share.  Before forking, the
parent also imports the installed modules the notebook's ``import`` lines name; after a report, it imports
every installed module the child ended up loading (the standard library, site-packages, dtilib — never a
user's module, whose code must run in the report and whose edits must be seen), so from the second report
on nothing installed is imported again.  A report runs in its own process group, stopped with it.

Registered for papermill under the name ``dti-warm`` (``[project.entry-points."papermill.engine"]``):
``papermill nb.ipynb out.ipynb --engine dti-warm``; ``dti report … --engine warm`` uses it (the
default for batches).  It runs notebooks with the Python of the calling process (the kernel name of
the notebook is not used) — the ``dti`` kernel's Python in this project.
"""

from __future__ import annotations

import ast
import base64
import functools
import io
import os
import select
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

NAME = "dti-warm"
INLINE = "module://matplotlib_inline.backend_inline"
# imported by every parent at start: the notebooks' common ground (each report adds its own)
BASE_MODULES = ("IPython.display", "numpy", "pandas", "matplotlib.pyplot", "dtilib", "dtilib.reporting.params",
                "dtilib.reporting.display")
# environment variables read at import time: a parent started under other values is replaced
_ENV_KEYS = ("DTILIB_", "PYTHON", "MPL")


# ============================================================================ inside the child
class _Stream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` of a report: text goes to the current cell's outputs."""

    def __init__(self, name: str, sink):
        super().__init__()
        self.name, self._sink = name, sink

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if s:
            self._sink.stream(self.name, s)
        return len(s)


def _b64(data: dict) -> dict:
    """Bytes (PNG, JPEG, PDF) as base64 text, as ipykernel puts them in messages."""
    return {k: (base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v) for k, v in data.items()}


class _Sink:
    """The outputs of the cell being run, in the order the kernel would send them."""

    def __init__(self):
        self.outputs: list[dict] = []
        self._clear_on_next = False

    def _add(self, out: dict):
        if self._clear_on_next:
            self.outputs, self._clear_on_next = [], False
        self.outputs.append(out)

    def stream(self, name, text):
        last = self.outputs[-1] if self.outputs and not self._clear_on_next else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["_parts"].append(text)     # joined once in take(): 8 MB printed line by line stays linear
        else:
            self._add({"output_type": "stream", "name": name, "text": "", "_parts": [text]})

    def display(self, data, metadata, transient=None, update=False):
        out = {"output_type": "display_data", "data": _b64(data), "metadata": metadata or {}}
        display_id = (transient or {}).get("display_id")
        if update and display_id:
            for o in self.outputs:
                if o.get("_display_id") == display_id:
                    o["data"], o["metadata"] = out["data"], out["metadata"]
            return
        if display_id:
            out["_display_id"] = display_id
        self._add(out)

    def result(self, data, metadata, count):
        self._add({"output_type": "execute_result", "data": _b64(data), "metadata": metadata or {},
                   "execution_count": count})

    def error(self, ename, evalue, traceback):
        self._add({"output_type": "error", "ename": ename, "evalue": evalue, "traceback": list(traceback)})

    def clear(self, wait=False):
        if wait:
            self._clear_on_next = True
        else:
            self.outputs = []

    def take(self) -> list[dict]:
        outs, self.outputs = self.outputs, []
        for o in outs:
            o.pop("_display_id", None)
            parts = o.pop("_parts", None)
            if parts is not None:
                o["text"] = "".join(parts)
        return outs


def _make_shell():
    """An IPython shell whose display hook, display publisher and traceback go to a :class:`_Sink`."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    sink = _Sink()

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            sys.stdout.flush()
            sys.stderr.flush()
            sink.display(data, metadata, transient, update)

        def clear_output(self, wait=False):
            sink.clear(wait)

    class Hook(DisplayHook):
        def start_displayhook(self):
            self._pending = {"data": {}, "metadata": {}}

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self._pending = {"data": format_dict, "metadata": md_dict or {}}

        def finish_displayhook(self):
            sys.stdout.flush()
            sys.stderr.flush()
            if self._pending["data"]:
                sink.result(self._pending["data"], self._pending["metadata"], self.prompt_count)

    class Shell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

        def _showtraceback(self, etype, evalue, stb):
            sys.stdout.flush()
            sys.stderr.flush()
            sink.error(str(etype.__name__), str(evalue), stb)

    config = Config()
    config.HistoryManager.enabled = False  # no sqlite file and no history thread (the parent forks)
    shell = Shell.instance(config=config)
    return shell, sink


def _run_child(shell, sink, cells, cwd, env, conn) -> None:
    """In the forked child: run *cells* (``[(index, source)]``) and send each cell's outputs."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(env)
    os.environ["MPLBACKEND"] = INLINE
    os.chdir(cwd)
    if sys.path[:1] != [""]:
        sys.path.insert(0, "")  # as in a kernel: the working folder first
    sys.stdout, sys.stderr = _Stream("stdout", sink), _Stream("stderr", sink)
    me, before = os.getpid(), set(sys.modules)
    conn.send(("started", me))
    for index, source in cells:
        conn.send(("start", index))
        count = shell.execution_count
        result = shell.run_cell(source, store_history=True)
        if os.getpid() != me:  # a process the cell forked: it must not go on with the notebook
            os._exit(0)
        failed = not result.success
        conn.send(("cell", index, count, sink.take(), failed))
        if failed:
            break
    conn.send(("done", sorted(m for m in set(sys.modules) - before if _learnable(m, sys.modules.get(m)))))


# =========================================================================== the warm parent
def _learnable(name: str, module=None) -> bool:
    """A module the parent may import for the next reports: an installed one (the standard library, the
    environment's packages, dtilib) — never one of the user's (a notebook's helper next to it: importing
    it would run the user's code in the parent, and an edit to it would not be seen)."""
    if name.startswith(("__main__", "__mp_main__", "_ipython", "ipykernel", "__")) or "<" in name:
        return False
    path = getattr(module, "__file__", None)
    return name in sys.builtin_module_names if path is None else path.startswith(_installed_roots())


@functools.cache
def _installed_roots() -> tuple[str, ...]:
    """The folders of installed code: the standard library, site-packages, dtilib itself."""
    import sysconfig

    import dtilib

    paths = sysconfig.get_paths()
    roots = [paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths]
    roots.append(os.path.dirname(dtilib.__file__))
    return tuple(dict.fromkeys(os.path.join(p, "") for r in roots for p in (r, os.path.realpath(r))))


def _installed_name(name: str) -> bool:
    """Whether the module *name* would come from installed code (found without importing anything)."""
    import importlib.util

    top = name.partition(".")[0]
    if top in sys.modules:
        return _learnable(top, sys.modules[top])
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    where = spec.origin if spec.origin not in (None, "namespace") else next(iter(spec.submodule_search_locations or []), "")
    return where in ("built-in", "frozen") or str(where).startswith(_installed_roots())


def _preload(names) -> None:
    import importlib

    for name in names:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 — a module the report could not import either is not ours to fix
            sys.modules.pop(name, None)


# the library's packages whose modules every report may import, and the dependencies the library imports
# inside its functions (a report would otherwise import them itself, each time)
LIBRARY_PACKAGES = ("dtilib.data", "dtilib.frameworks", "dtilib.analysis", "dtilib.effort", "dtilib.reporting")
LAZY_MODULES = ("seaborn", "scipy.optimize", "scipy.stats", "openpyxl", "tqdm.auto")
_NOT_PRELOADED = ("dtilib.reporting.warm", "dtilib.reporting.batch")


def _warm_library() -> None:
    """Import the library and what it imports lazily, fill the caches that are keyed on their files'
    modification time (the processed record, the shipped frameworks, the name index: a file changed
    since is read again) and read the text catalogue (a package file): a report forked from here finds
    them ready.  Nothing a report could see is changed (no rcParams, no options)."""
    import importlib
    import pkgutil

    for pkg in LIBRARY_PACKAGES:
        mod = importlib.import_module(pkg)
        _preload(m.name for m in pkgutil.walk_packages(mod.__path__, pkg + ".")
                 if not m.name.startswith(_NOT_PRELOADED) and ".cli" not in m.name)
    _preload(LAZY_MODULES)
    from dtilib.data.record import load_record
    from dtilib.frameworks import load_framework, shipped
    from dtilib.i18n import t

    t("report.generated")
    for fid in shipped():
        load_framework(fid)
    try:
        record = load_record()
    except Exception:  # noqa: BLE001 — no processed data yet: the report says so itself
        return
    _warm_plots(record)


def _warm_plots(record) -> None:
    """Draw one report figure (a province's trend) into memory and close it: matplotlib's font and
    text-layout caches then hold the project style's fonts and sizes."""
    import matplotlib.pyplot as plt

    from dtilib.analysis import plot_trend, trend

    try:
        with plt.rc_context():
            fig = plot_trend(trend(record, record.results["unit_slug"].iloc[0], national=record.averages))
            fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    except Exception:  # noqa: BLE001 — only a warm-up: a report that draws says what is wrong itself
        pass
    finally:
        plt.close("all")


def _freeze() -> None:
    """Move every object made so far out of the collector's reach, so that a child's garbage
    collections do not write into (and copy) the pages it shares with this parent."""
    import gc

    gc.collect()
    gc.freeze()


def _warm_matplotlib() -> None:
    """Load the fonts and the PNG writer once (module-level caches only: no figure is left open)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="ĐÂ")
    ax.set_title("Tiếng Việt 0,5")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")


def _activate_inline() -> None:
    """Select the inline backend as a kernel does (interactive, figures shown after each cell), outside
    any ``rc_context`` (which would undo ``interactive``: a plain ``plt.plot`` would then show nothing)."""
    import matplotlib.pyplot as plt

    plt.switch_backend(INLINE)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_child(pid: int, req: Connection):
    """Wait for the child; if the owner goes away meanwhile (its pipe closes), kill the child."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            fds = [req.fileno()] + ([pidfd] if pidfd is not None else [])
            ready, _, _ = select.select(fds, [], [], None if pidfd is not None else 0.02)
            if req.fileno() in ready:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            got_pid, status, usage = os.wait4(pid, os.WNOHANG)
            if got_pid == pid:
                return status, usage
    finally:
        if pidfd is not None:
            os.close(pidfd)


def serve(req_fd: int, resp_fd: int) -> None:
    """The warm parent's loop (``python -m dtilib.reporting.warm REQ_FD RESP_FD``)."""
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the report (the child), not the parent
    req, resp = Connection(req_fd, writable=False), Connection(resp_fd, readable=False)
    os.environ["MPLBACKEND"] = INLINE
    sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]  # the user's folder is the report's, not ours
    try:
        shell, sink = _make_shell()
        _preload(BASE_MODULES)
        _activate_inline()
        _warm_matplotlib()
        _warm_library()
        _freeze()
    except BaseException as exc:  # noqa: BLE001
        resp.send(("broken", f"{type(exc).__name__}: {exc}"))
        return
    resp.send(("ready", os.getpid()))
    while True:
        try:
            msg = req.recv()
        except (EOFError, OSError):
            return
        if msg[0] == "learn":  # the installed modules the last report loaded (the child sorted them out by
            _preload(msg[1])   # their files): import them while the owner exports
            _freeze()
            continue
        if msg[0] != "run":
            continue
        _, cells, cwd, env, modules = msg
        _preload(m for m in modules if _installed_name(m))
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run the notebook, never come back into this loop
            code = 0
            try:
                os.setpgid(0, 0)  # its own process group: what it starts is stopped with it
                req.close()
                _run_child(shell, sink, cells, cwd, env, resp)
            except BaseException:  # noqa: BLE001
                code = 70
            finally:
                os._exit(code)
        status, usage = _wait_child(pid, req)
        _kill_group(pid)  # processes the report left running (a kernel's are stopped with it too)
        own_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            resp.send(("exit", pid, status, usage.ru_maxrss, own_kb, usage.ru_utime + usage.ru_stime))
        except OSError:
            return


# ========================================================================== in the caller
class WarmParentError(RuntimeError):
    """The warm parent could not be started or stopped answering."""


class WarmParent:
    """A warm parent process owned by one thread of the calling process."""

    def __init__(self, start_timeout: float = 120):
        r_req, w_req = os.pipe()
        r_resp, w_resp = os.pipe()
        env = {**os.environ, "MPLBACKEND": INLINE}
        self.proc = subprocess.Popen([sys.executable, "-m", "dtilib.reporting.warm", str(r_req), str(w_resp)],
                                     pass_fds=(r_req, w_resp), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        os.close(r_req)
        os.close(w_resp)
        self.req, self.resp = Connection(w_req, readable=False), Connection(r_resp, writable=False)
        self.env_key = _env_key()
        self.modules: set[str] = set()
        self.peak_child_kb = 0
        self.parent_kb = 0
        self.last_child_cpu = None  # CPU seconds of the last report's process
        self.child = None  # the running report's process (and process group)
        self.start_timeout = start_timeout
        self.pid = None  # known once the parent said it is ready (it imports while the caller goes on)

    def ready(self) -> WarmParent:
        """Wait until the parent has imported its modules (once)."""
        if self.pid is None:
            if not self.resp.poll(self.start_timeout):
                self.close()
                raise WarmParentError(f"the warm parent did not start within {self.start_timeout:g} s")
            msg = self._recv()
            if msg[0] != "ready":
                self.close()
                raise WarmParentError(f"the warm parent could not start: {msg[1]}")
            self.pid = msg[1]
        return self

    def _recv(self):
        try:
            return self.resp.recv()
        except (EOFError, OSError):
            raise WarmParentError("the warm parent stopped") from None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        for c in (self.req, self.resp):
            try:
                c.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def run(self, cells, *, cwd: str, timeout: float | None = None):
        """Run *cells* (``[(index, source)]``) in a fresh child; yield ``("start", i)`` and
        ``("cell", i, count, outputs, failed)`` messages, then ``("exit", status_text_or_None)``."""
        self.ready()
        modules = [m for m in notebook_modules(src for _, src in cells) if m not in self.modules]
        self.req.send(("run", cells, cwd, dict(os.environ), modules))
        self._ended = False
        try:
            yield from self._messages(timeout)
        finally:
            if not self._ended:  # abandoned: nothing of this run may reach the next report
                self.abandon()

    def abandon(self) -> None:
        """Stop the running report (its process group) and this parent; the thread's next report gets a
        new parent."""
        if self.child:
            _kill_group(self.child)
        self.proc.kill()
        self.close()
        if getattr(_local, "parent", None) is self:
            _local.parent = None

    def _messages(self, timeout):
        """The run's messages (see :meth:`run`); a silent parent between cells is a :class:`WarmParentError`."""
        self.child = None
        running = None
        learned: list[str] = []
        done = False
        while True:
            # a cell's time is *timeout*; between cells (the fork, the parent importing) the parent's start time
            wait = (timeout if running is not None else max(timeout, self.start_timeout)) if timeout else None
            if not self.resp.poll(wait):
                if running is None:
                    raise WarmParentError(f"the warm parent did not answer within {wait:g} s")
                # the cell ran out of time: stop the child; its "exit" follows
                if self.child:
                    _kill_group(self.child)
                yield ("timeout", running)
                running, timeout = None, None
                continue
            msg = self._recv()
            kind = msg[0]
            if kind == "started":
                self.child = msg[1]
            elif kind == "start":
                running = msg[1]
                yield msg
            elif kind == "cell":
                running = None
                yield msg
            elif kind == "done":
                learned, done = msg[1], True
            elif kind == "exit":
                _, pid, status, child_kb, parent_kb, self.last_child_cpu = msg
                self.peak_child_kb = max(self.peak_child_kb, child_kb)
                self.parent_kb = parent_kb
                new = [m for m in learned if m not in self.modules]
                self.modules.update(learned)
                if new:
                    self.req.send(("learn", new))
                self._ended = True
                yield ("exit", _exit_text(status, done))
                return


def _exit_text(status: int, finished: bool) -> str | None:
    """Why the child ended early (None when it ended normally)."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"the report's process died ({name})"
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    if code != 0 or not finished:
        return f"the report's process exited with code {code}"
    return None


def notebook_modules(sources) -> list[str]:
    """The modules the ``import`` statements of *sources* name (unparsable cells are skipped).

    >>> notebook_modules(["import numpy as np\\nfrom dtilib.reporting import display as show", "%matplotlib inline"])
    ['numpy', 'dtilib.reporting']
    """
    names: list[str] = []
    for src in sources:
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(names))


def _env_key() -> tuple:
    return (sys.executable, tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV_KEYS))))


_local = threading.local()


def warm_parent(wait: bool = True) -> WarmParent:
    """This thread's warm parent (started on first use, replaced if it died or the environment changed);
    *wait*: until it is ready."""
    parent = getattr(_local, "parent", None)
    if parent is not None and (not parent.alive() or parent.env_key != _env_key()):
        parent.close()
        parent = None
    if parent is None:
        parent = _local.parent = WarmParent()
    return parent.ready() if wait else parent


def prestart() -> None:
    """Start this thread's warm parent without waiting for it, and meanwhile load what the caller
    itself needs for a report (papermill, the HTML exporter): a batch worker's initializer."""
    try:
        warm_parent(wait=False)
        import papermill  # noqa: F401

        from .runner import html_exporter

        html_exporter()
    except Exception:  # noqa: BLE001 — a worker must start anyway: its first report will say what is wrong
        pass


def stop_warm_parent() -> None:
    """Stop this thread's warm parent (it also stops by itself when its owner exits)."""
    parent = getattr(_local, "parent", None)
    if parent is not None:
        parent.close()
        _local.parent = None


# ============================================================================ the engine
class WarmEngine:
    """papermill engine ``dti-warm`` (see the module docstring).

    It has papermill's engine interface without importing papermill at import time: papermill loads
    its engines' entry points while it is itself being imported, and the warm parent does not need it.
    """

    @classmethod
    def execute_notebook(cls, nb, kernel_name, **kwargs):
        from papermill.engines import Engine

        return Engine.execute_notebook.__func__(cls, nb, kernel_name, **kwargs)

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        from papermill.utils import nb_kernel_name

        return nb_kernel_name(nb, name)

    @classmethod
    def nb_language(cls, nb, language=None):
        from papermill.utils import nb_language

        return nb_language(nb, language)

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs):
        import nbformat

        nb = nb_man.nb
        cells = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
        if not cells:
            return
        try:
            parent = warm_parent()
            messages = parent.run(cells, cwd=os.getcwd(), timeout=execution_timeout)
        except (WarmParentError, OSError) as exc:
            stop_warm_parent()
            return cls._fail(nb_man, cells[0][0], "WarmParentError", str(exc))
        running = None
        try:
            for msg in messages:
                if msg[0] == "start":
                    running = msg[1]
                    nb_man.cell_start(nb.cells[running], running)
                elif msg[0] == "cell":
                    _, index, count, outputs, failed = msg
                    cell = nb.cells[index]
                    cell.execution_count = count
                    cell.outputs = [nbformat.from_dict(o) for o in outputs]
                    if failed:
                        nb_man.cell_exception(cell, cell_index=index)
                    nb_man.cell_complete(cell, cell_index=index)
                    running = None
                elif msg[0] == "timeout":
                    cls._fail(nb_man, msg[1], "TimeoutError",
                              f"the cell did not finish within {execution_timeout:g} s")
                    running = None
                elif msg[0] == "exit" and msg[1] and running is not None:
                    cls._fail(nb_man, running, "DeadKernelError", msg[1])
        except WarmParentError as exc:
            stop_warm_parent()
            cls._fail(nb_man, running if running is not None else cells[0][0], "WarmParentError", str(exc))
        finally:
            messages.close()  # a run left unfinished (an error here, Ctrl-C) stops its child and its parent

    @staticmethod
    def _fail(nb_man, index, ename, evalue):
        import nbformat

        cell = nb_man.nb.cells[index]
        cell.outputs = list(cell.get("outputs", [])) + [nbformat.v4.new_output(
            "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])]
        nb_man.cell_exception(cell, cell_index=index)
        nb_man.cell_complete(cell, cell_index=index)


def register() -> None:
    """Make ``dti-warm`` known to papermill even where the package's entry points are not installed."""
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(NAME)
    except PapermillException:
        papermill_engines.register(NAME, WarmEngine)


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
