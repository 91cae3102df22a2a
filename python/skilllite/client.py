"""A client of the ``skilllite serve`` daemon (newline-delimited JSON-RPC 2.0 over stdio).

One :class:`Client` owns one daemon process and may be shared by any number of
threads: each request gets its own id, is written whole under a lock, and its answer
(which may come back in any order) is routed by id to the caller waiting for it.
If the daemon dies, the requests it still owed fail with
:class:`~skilllite.errors.DaemonDied` and the next request starts a new daemon
(immediately the first time, then with a growing pause; after ``max_restarts`` deaths
in a row with no answer in between the client stops restarting and every request
raises :class:`~skilllite.errors.DaemonDied` until :meth:`Client.restart` is called).
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import json
import os
import signal
import subprocess
import threading
import time
from typing import IO, Any, Callable, Deque, Dict, List, Mapping, Optional, Sequence, Union

from ._binary import PathArg, find_binary
from .errors import DaemonDied, RpcError, SkillLiteError, Timeout
from .types import JSON, NetworkGrant, RunResult, run_options

__all__ = ["Client", "PendingCall", "DEFAULT_MAX_FRAME"]

#: The daemon's default cap on one request line (10 MiB); larger requests are refused locally.
DEFAULT_MAX_FRAME = 10 * 1024 * 1024

_STDERR_LINE_MAX = 4096
_PROTOCOL_ERRORS_KEPT = 32

SkillArg = Union[str, "os.PathLike[str]"]


class _SendFailed(Exception):
    pass


class PendingCall:
    """A request sent to the daemon whose answer may not have arrived yet.

    ``id`` is its JSON-RPC id, ``method`` its method and ``future`` a
    :class:`concurrent.futures.Future` that receives the result or the exception.
    """

    def __init__(self, daemon: "_Daemon", id: int, method: str) -> None:
        self.id: int = id
        self.method: str = method
        self.future: "concurrent.futures.Future[Any]" = concurrent.futures.Future()
        # Running from the start: only the daemon's answer (or its death) completes it,
        # and Future.cancel() cannot orphan a request; use PendingCall.cancel().
        self.future.set_running_or_notify_cancel()
        self._daemon = daemon

    def done(self) -> bool:
        """Whether the answer (or an error) has arrived."""
        return self.future.done()

    def result(self, timeout: Optional[float] = None) -> Any:
        """Wait up to ``timeout`` seconds (``None``: for ever) and return the result.

        Raises the :class:`~skilllite.errors.RpcError` the daemon answered,
        :class:`~skilllite.errors.DaemonDied`, or :class:`~skilllite.errors.Timeout`
        (the request stays pending: call :meth:`cancel` to stop it).
        """
        try:
            return self.future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise Timeout(f"no answer to {self.method} (id {self.id}) within {timeout} s") from None

    def cancel(self) -> bool:
        """Ask the daemon to stop this request (``$/cancelRequest``).

        The request then fails with :class:`~skilllite.errors.RpcError` code -32800
        (reason ``cancelled``) unless its answer was already on the way.  Returns
        whether the notification was sent (false if the request is no longer pending).
        """
        return self._daemon.cancel(self.id)

    def _forget(self) -> None:
        self._daemon.unregister(self.id)

    def __repr__(self) -> str:
        state = "done" if self.done() else "pending"
        return f"<PendingCall id={self.id} method={self.method!r} {state}>"


class _Daemon:
    """One ``skilllite serve`` process, its pending requests and its three threads."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Optional[Mapping[str, str]],
        cwd: Optional[str],
        stderr_lines: int,
        on_answer: Callable[[], None],
    ) -> None:
        self._lock = threading.Lock()  # guards _pending and _dead
        self._wlock = threading.Lock()  # one writer at a time on stdin
        self._pending: Dict[int, PendingCall] = {}
        self._dead = False
        self._eof = False
        self._broken = False
        self._on_answer = on_answer
        self._stderr: Deque[str] = collections.deque(maxlen=max(stderr_lines, 1))
        self.protocol_errors: Deque[Any] = collections.deque(maxlen=_PROTOCOL_ERRORS_KEPT)
        self.returncode: Optional[int] = None
        try:
            self.proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE if stderr_lines > 0 else subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                close_fds=True,
                start_new_session=True,  # no controlling terminal, no terminal signals
            )
        except OSError as exc:
            raise DaemonDied(f"cannot start {argv[0]} serve: {exc}") from exc
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._stdin: IO[bytes] = self.proc.stdin
        name = f"skilllite-serve-{self.proc.pid}"
        self._stderr_thread: Optional[threading.Thread] = None
        if stderr_lines > 0:
            self._stderr_thread = threading.Thread(target=self._stderr_loop, name=name + "-stderr", daemon=True)
            self._stderr_thread.start()
        self._reader = threading.Thread(target=self._read_loop, name=name + "-reader", daemon=True)
        self._reader.start()
        self._watcher = threading.Thread(target=self._watch, name=name + "-watcher", daemon=True)
        self._watcher.start()

    # -- state ---------------------------------------------------------------------------

    @property
    def pid(self) -> int:
        return self.proc.pid

    def usable(self) -> bool:
        """Whether new requests can still be sent to this process."""
        return not (self._dead or self._eof or self._broken)

    def mark_broken(self) -> None:
        self._broken = True

    def stderr_tail(self) -> str:
        return "\n".join(list(self._stderr))

    def pending_count(self) -> int:
        with self._lock:
            return len(self._pending)

    def register(self, pc: PendingCall) -> bool:
        with self._lock:
            if self._dead:
                return False
            self._pending[pc.id] = pc
            return True

    def unregister(self, id: int) -> None:
        with self._lock:
            self._pending.pop(id, None)

    # -- writing ---------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        with self._wlock:
            if self._broken or self._dead:
                raise _SendFailed("the daemon is gone")
            try:
                self._stdin.write(data)
                self._stdin.flush()
            except (OSError, ValueError) as exc:  # BrokenPipeError, or stdin already closed
                self._broken = True
                raise _SendFailed(str(exc)) from exc

    def cancel(self, id: int) -> bool:
        with self._lock:
            if id not in self._pending:
                return False
        note = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id}}
        try:
            self.send((json.dumps(note, separators=(",", ":")) + "\n").encode("ascii"))
        except _SendFailed:
            return False
        return True

    # -- reading ---------------------------------------------------------------------------

    def _stderr_loop(self) -> None:
        stream = self.proc.stderr
        assert stream is not None
        try:
            for raw in stream:
                line = raw.decode("utf-8", errors="replace").rstrip("\n")
                self._stderr.append(line[:_STDERR_LINE_MAX])
        except (OSError, ValueError):
            pass

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            for line in stream:
                self._handle_line(line)
        except (OSError, ValueError):
            pass
        finally:
            self._eof = True
            # A daemon that closed its stdout but goes on running can answer nothing more.
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._kill()

    def _handle_line(self, line: bytes) -> None:
        line = line.strip()
        if not line:
            return
        try:
            msg = json.loads(line)
        except ValueError:
            self.protocol_errors.append(line[:500].decode("utf-8", errors="replace"))
            return
        if not isinstance(msg, dict):
            self.protocol_errors.append(msg)
            return
        rid = msg.get("id")
        if not isinstance(rid, int) or isinstance(rid, bool):
            # An error with id null (parse error, frame too large) or a stray message.
            self.protocol_errors.append(msg)
            return
        with self._lock:
            pc = self._pending.pop(rid, None)
        if pc is None:
            return  # the answer to a request that timed out and was forgotten
        self._on_answer()
        if "error" in msg:
            _complete(pc, exc=RpcError.from_response(msg["error"]))
        elif "result" in msg:
            _complete(pc, result=msg["result"])
        else:
            _complete(pc, exc=RpcError(RpcError.INTERNAL, "answer without result or error", reason="internal"))

    def _watch(self) -> None:
        rc = self.proc.wait()
        # Answers the daemon wrote before it ended are still routed (unless a leftover
        # child holds the pipe open: then give up on them after a short while).
        self._reader.join(timeout=2.0)
        if self._stderr_thread is not None:
            self._stderr_thread.join(timeout=0.5)
        self.returncode = rc
        with self._lock:
            self._dead = True
            orphans = list(self._pending.values())
            self._pending.clear()
        if not orphans:
            return
        how = f"was killed by signal {_signame(-rc)}" if rc < 0 else f"exited with status {rc}"
        tail = self.stderr_tail()
        for pc in orphans:
            msg = f"skilllite serve (pid {self.proc.pid}) {how} before answering {pc.method} (id {pc.id})"
            _complete(pc, exc=DaemonDied(msg, returncode=rc, stderr=tail or None))

    # -- ending ----------------------------------------------------------------------------

    def _kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass

    def shutdown(self, timeout: Optional[float]) -> Optional[int]:
        """Close stdin (the daemon answers what is in flight, then exits); kill it after ``timeout``."""
        with self._wlock:
            self._broken = True
            try:
                self._stdin.close()
            except (OSError, ValueError):
                pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._kill()
        self._watcher.join()
        return self.returncode


def _complete(pc: PendingCall, *, result: Any = None, exc: Optional[BaseException] = None) -> None:
    try:
        if exc is not None:
            pc.future.set_exception(exc)
        else:
            pc.future.set_result(result)
    except concurrent.futures.InvalidStateError:
        pass


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


def _skill_param(skill: SkillArg) -> str:
    """A skill for the daemon: names as they are, paths made absolute (the daemon's cwd may differ)."""
    if isinstance(skill, os.PathLike):
        return os.path.abspath(os.fspath(skill))
    if not isinstance(skill, str):
        raise TypeError(f"skill must be a name or a path, not {type(skill).__name__}")
    if not skill:
        raise ValueError("skill must not be empty")
    if os.sep in skill or skill in (".", ".."):
        return os.path.abspath(skill)
    return skill


def _max_frame_arg(args: Sequence[str]) -> Optional[int]:
    """The value of ``--max-frame`` among extra ``serve`` arguments, if there is one."""
    found: Optional[int] = None
    for i, a in enumerate(args):
        value: Optional[str] = None
        if a == "--max-frame" and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith("--max-frame="):
            value = a.split("=", 1)[1]
        if value is not None:
            try:
                found = int(value)
            except ValueError:
                pass
    return found


class Client:
    """A thread-safe client of one ``skilllite serve`` daemon.

    ``binary``: the ``skilllite`` binary (default: :func:`~skilllite.find_binary`).
    ``skills_dir``, ``workers``, ``max_inflight``: passed to ``serve`` as
    ``--skills-dir``, ``--workers``, ``--max-inflight``; ``args``: more arguments.
    ``env``: the daemon's complete environment (default: this process's); ``cwd``:
    its working directory.  ``max_restarts``: deaths in a row (no answer in between)
    after which the client stops restarting; the pauses before restarts 2, 3, ... are
    ``backoff`` seconds, doubling, at most ``max_backoff``.  ``stderr_lines``: how
    many of the daemon's last stderr lines to keep for error messages (0: discard
    its stderr).  ``max_frame``: requests longer than this are refused locally (keep it at
    most the daemon's ``--max-frame``; one given in ``args`` is taken into account).
    ``start``: start the daemon now rather than at the first request.

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        binary: Optional[PathArg] = None,
        *,
        skills_dir: Optional[PathArg] = None,
        workers: Optional[int] = None,
        max_inflight: Optional[int] = None,
        args: Sequence[str] = (),
        env: Optional[Mapping[str, str]] = None,
        cwd: Optional[PathArg] = None,
        max_restarts: int = 5,
        backoff: float = 0.1,
        max_backoff: float = 2.0,
        stderr_lines: int = 200,
        max_frame: int = DEFAULT_MAX_FRAME,
        start: bool = True,
    ) -> None:
        self.binary: str = find_binary(binary)
        argv: List[str] = [self.binary, "serve", "--stdio"]
        if skills_dir is not None:
            argv += ["--skills-dir", os.path.abspath(os.fspath(skills_dir))]
        if workers is not None:
            argv += ["--workers", str(int(workers))]
        if max_inflight is not None:
            argv += ["--max-inflight", str(int(max_inflight))]
        extra = [str(a) for a in args]
        argv += extra
        self.argv: List[str] = argv
        self._env = dict(env) if env is not None else None
        self._cwd = os.fspath(cwd) if cwd is not None else None
        self._max_restarts = max(0, int(max_restarts))
        self._backoff = float(backoff)
        self._max_backoff = float(max_backoff)
        self._stderr_lines = int(stderr_lines)
        self._max_frame = int(max_frame)
        daemon_cap = _max_frame_arg(extra)
        if daemon_cap is not None:  # a request over the daemon's cap would be answered with id null
            self._max_frame = min(self._max_frame, daemon_cap)
        self._state_lock = threading.Lock()  # guards _daemon, _closed, restart counters
        self._daemon: Optional[_Daemon] = None
        self._closed = False
        self._failures = 0  # deaths in a row without an answer
        self._ids = itertools.count(1)
        self._id_lock = threading.Lock()
        #: How many times the daemon was restarted after dying.
        self.restarts: int = 0
        if start:
            with self._state_lock:
                self._daemon = self._spawn()

    # -- lifecycle -------------------------------------------------------------------------

    def _spawn(self) -> _Daemon:
        return _Daemon(self.argv, self._env, self._cwd, self._stderr_lines, self._answered)

    def _answered(self) -> None:
        self._failures = 0

    def _daemon_for_call(self) -> _Daemon:
        with self._state_lock:
            if self._closed:
                raise SkillLiteError("the client is closed", reason="closed")
            d = self._daemon
            if d is not None and d.usable():
                return d
            if d is not None:
                if self._failures >= self._max_restarts:
                    raise DaemonDied(
                        f"skilllite serve died {self._failures + 1} times in a row without answering; "
                        "not restarting it again (call Client.restart() to try anew)",
                        returncode=d.returncode,
                        stderr=d.stderr_tail() or None,
                    )
                if self._failures > 0:
                    time.sleep(min(self._backoff * (2 ** (self._failures - 1)), self._max_backoff))
                self._failures += 1
                self.restarts += 1
            self._daemon = self._spawn()
            return self._daemon

    @property
    def pid(self) -> Optional[int]:
        """The process id of the current daemon (``None`` if none was started yet)."""
        d = self._daemon
        return d.pid if d is not None else None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def stderr_tail(self) -> str:
        """The last lines the current daemon wrote on its stderr (its logs)."""
        d = self._daemon
        return d.stderr_tail() if d is not None else ""

    def restart(self, timeout: Optional[float] = 10.0) -> None:
        """Stop the current daemon (gracefully, killed after ``timeout``) and start a new one.

        Also clears the give-up state after too many deaths in a row.
        """
        with self._state_lock:
            if self._closed:
                raise SkillLiteError("the client is closed", reason="closed")
            old = self._daemon
            self._daemon = None
            self._failures = 0
        if old is not None:
            old.shutdown(timeout)
        with self._state_lock:
            if self._daemon is None and not self._closed:
                self._daemon = self._spawn()

    def close(self, timeout: Optional[float] = None) -> Optional[int]:
        """Stop the daemon: close its stdin, so that it answers the requests in flight and exits.

        Waits for it to end (at most ``timeout`` seconds, then kills it; requests still
        pending then fail with :class:`~skilllite.errors.DaemonDied`).  Returns its exit
        status (``None`` if it was never started).  Idempotent; later requests raise
        :class:`~skilllite.errors.SkillLiteError`.
        """
        with self._state_lock:
            self._closed = True
            d = self._daemon
        if d is None:
            return None
        return d.shutdown(timeout)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<skilllite.Client binary={self.binary!r} pid={self.pid} closed={self._closed}>"

    # -- requests --------------------------------------------------------------------------

    def _next_id(self) -> int:
        with self._id_lock:
            return next(self._ids)

    def submit(self, method: str, params: Optional[Mapping[str, Any]] = None) -> PendingCall:
        """Send a request without waiting for its answer; returns its :class:`PendingCall`.

        Raises ``TypeError``/``ValueError`` for params JSON cannot carry,
        :class:`~skilllite.errors.RpcError` (reason ``frame_too_large``) for a request
        over ``max_frame`` bytes, :class:`~skilllite.errors.DaemonDied` if no daemon
        could be started.
        """
        if not isinstance(method, str) or not method:
            raise ValueError("method must be a non-empty string")
        rid = self._next_id()
        msg = {"jsonrpc": "2.0", "id": rid, "method": method, "params": dict(params) if params is not None else {}}
        data = (json.dumps(msg, ensure_ascii=True, allow_nan=False, separators=(",", ":")) + "\n").encode("ascii")
        if len(data) > self._max_frame:
            raise RpcError(
                RpcError.INVALID_REQUEST,
                f"the request is {len(data)} bytes, over the frame cap of {self._max_frame} bytes",
                reason="frame_too_large",
            )
        last: Optional[_Daemon] = None
        # A write that failed never reached the daemon whole (the newline comes last), so
        # it is safe to send it once more to a new daemon.
        for _ in range(2):
            d = self._daemon_for_call()
            last = d
            pc = PendingCall(d, rid, method)
            if not d.register(pc):
                d.mark_broken()
                continue
            try:
                d.send(data)
            except _SendFailed:
                d.unregister(rid)
                continue
            return pc
        raise DaemonDied(
            "could not send the request: skilllite serve is not running",
            returncode=last.returncode if last else None,
            stderr=(last.stderr_tail() or None) if last else None,
        )

    def call(self, method: str, params: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> Any:
        """Send a request and wait for its result (at most ``timeout`` seconds; ``None``: for ever).

        Raises :class:`~skilllite.errors.RpcError` for an error answer,
        :class:`~skilllite.errors.DaemonDied` if the daemon ended first, and
        :class:`~skilllite.errors.Timeout` after ``timeout`` (the request is then
        cancelled on the daemon).
        """
        pc = self.submit(method, params)
        try:
            return pc.result(timeout)
        except Timeout:
            pc.cancel()
            pc._forget()
            raise

    def cancel(self, id: int) -> bool:
        """Cancel the pending request ``id`` (see :meth:`PendingCall.cancel`)."""
        d = self._daemon
        return d.cancel(id) if d is not None else False

    def protocol_errors(self) -> List[Any]:
        """What the current daemon wrote that answered no request: lines that were not JSON,
        errors with id null (parse error, frame too large), ... (the last 32)."""
        d = self._daemon
        return list(d.protocol_errors) if d is not None else []

    def pending(self) -> int:
        """How many requests of the current daemon are waiting for an answer."""
        d = self._daemon
        return d.pending_count() if d is not None else 0

    # -- convenience methods ---------------------------------------------------------------

    def _call_object(self, method: str, params: Mapping[str, Any], call_timeout: Optional[float]) -> Dict[str, Any]:
        """:meth:`call` for the methods whose result is a JSON object."""
        ans = self.call(method, params, call_timeout)
        if not isinstance(ans, dict):
            raise SkillLiteError(f"{method} answered something other than a JSON object", reason="bad_output")
        return ans

    def ping(self, *, call_timeout: Optional[float] = None) -> Dict[str, Any]:
        """``ping``: returns ``{"version": ...}``."""
        return self._call_object("ping", {}, call_timeout)

    def _run_like(
        self, method: str, params: Dict[str, Any], options: Dict[str, Any], call_timeout: Optional[float]
    ) -> RunResult:
        if options:
            params["options"] = options
        return RunResult.from_envelope(self.call(method, params, call_timeout))

    def run(
        self,
        skill: SkillArg,
        input: JSON = None,
        *,
        sandbox_level: Optional[int] = None,
        timeout: Optional[int] = None,
        max_memory: Optional[int] = None,
        max_procs: Optional[int] = None,
        allow_network: Optional[NetworkGrant] = None,
        approve: Optional[bool] = None,
        call_timeout: Optional[float] = None,
    ) -> RunResult:
        """Run a skill's entry point (``run``); same meaning as :func:`skilllite.run_skill`.

        ``skill`` is an installed skill's name or a directory.  ``timeout`` is the sandbox's
        wall-clock limit in seconds; ``call_timeout`` how long this call waits for the answer.
        A failed run is a result with ``ok`` false; refusals and invalid input are
        :class:`~skilllite.errors.RpcError` (codes -32001, -32602, ...).
        """
        params: Dict[str, Any] = {"skill": _skill_param(skill), "input": {} if input is None else input}
        opts = run_options(
            sandbox_level=sandbox_level, timeout=timeout, max_memory=max_memory, max_procs=max_procs,
            allow_network=allow_network, approve=approve,
        )
        return self._run_like("run", params, dict(opts), call_timeout)

    def exec(
        self,
        skill: SkillArg,
        script: str,
        input: JSON = None,
        *,
        sandbox_level: Optional[int] = None,
        timeout: Optional[int] = None,
        max_memory: Optional[int] = None,
        max_procs: Optional[int] = None,
        allow_network: Optional[NetworkGrant] = None,
        approve: Optional[bool] = None,
        call_timeout: Optional[float] = None,
    ) -> RunResult:
        """Run one script of a skill (``exec``); ``script`` is a path inside the skill."""
        params: Dict[str, Any] = {
            "skill": _skill_param(skill), "script": script, "input": {} if input is None else input,
        }
        opts = run_options(
            sandbox_level=sandbox_level, timeout=timeout, max_memory=max_memory, max_procs=max_procs,
            allow_network=allow_network, approve=approve,
        )
        return self._run_like("exec", params, dict(opts), call_timeout)

    def bash(
        self,
        skill: SkillArg,
        command: str,
        *,
        sandbox_level: Optional[int] = None,
        timeout: Optional[int] = None,
        max_memory: Optional[int] = None,
        max_procs: Optional[int] = None,
        allow_network: Optional[NetworkGrant] = None,
        approve: Optional[bool] = None,
        call_timeout: Optional[float] = None,
    ) -> RunResult:
        """Run a command for a bash-tool skill (``bash``); ``output`` is ``{"stdout", "stderr", "exit_code"}``."""
        params: Dict[str, Any] = {"skill": _skill_param(skill), "command": command}
        opts = run_options(
            sandbox_level=sandbox_level, timeout=timeout, max_memory=max_memory, max_procs=max_procs,
            allow_network=allow_network, approve=approve,
        )
        return self._run_like("bash", params, dict(opts), call_timeout)

    def scan(self, path: PathArg, *, call_timeout: Optional[float] = None) -> Dict[str, Any]:
        """Scan a skill directory or file (``scan``); returns the report (``verdict``, ``findings``, ...)."""
        return self._call_object("scan", {"path": os.path.abspath(os.fspath(path))}, call_timeout)

    def validate(self, skill: SkillArg, *, call_timeout: Optional[float] = None) -> Dict[str, Any]:
        """Validate a skill (``validate``); returns ``{"valid", "errors", "warnings", "skill"}``."""
        return self._call_object("validate", {"skill": _skill_param(skill)}, call_timeout)

    def list_skills(self, *, call_timeout: Optional[float] = None) -> List[Dict[str, Any]]:
        """The skills of the daemon's skills directory (the ``skills`` list of ``list_skills``)."""
        skills = self._call_object("list_skills", {}, call_timeout).get("skills")
        if not isinstance(skills, list):
            raise SkillLiteError("list_skills answered no 'skills' list", reason="bad_output")
        return skills

    def get_skill(self, skill: str, *, call_timeout: Optional[float] = None) -> Dict[str, Any]:
        """Describe one installed skill (``get_skill``, as ``skilllite show --json``)."""
        return self._call_object("get_skill", {"skill": skill}, call_timeout)
