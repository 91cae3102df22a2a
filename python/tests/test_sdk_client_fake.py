"""The Client's routing, concurrency, restart and shutdown logic, against a scripted daemon
(tests/fake_serve.py) that can misbehave on demand: die, stay silent, write garbage."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import sys
import threading
import time
from typing import Any, Dict, List

import pytest

from skilllite import Client, DaemonDied, RpcError, SkillLiteError, Timeout
from conftest import HERE


@pytest.fixture
def fake(tmp_path: pathlib.Path) -> pathlib.Path:
    """An executable that runs fake_serve.py."""
    exe = tmp_path / "fake-skilllite"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{HERE / "fake_serve.py"}" "$@"\n')
    exe.chmod(0o755)
    return exe


@pytest.fixture
def fake_env(tmp_path: pathlib.Path) -> Dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "FAKE_SERVE_LOG": str(tmp_path / "requests.log")}


def logged(env: Dict[str, str]) -> List[Dict[str, Any]]:
    path = pathlib.Path(env["FAKE_SERVE_LOG"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def fc(fake: pathlib.Path, fake_env: Dict[str, str]):
    c = Client(fake, env=fake_env, backoff=0.01)
    yield c
    c.close(timeout=10)


def test_echo_and_request_format(fc: Client, fake_env: Dict[str, str]) -> None:
    params = {"text": "é✓😀\n\u2028\"quoted\"", "nested": {"list": [1, 2.5, None, True]}}
    assert fc.call("echo", params) == params
    assert fc.call("echo") == {}
    reqs = logged(fake_env)
    assert [r["id"] for r in reqs] == [1, 2]
    assert all(r["jsonrpc"] == "2.0" and r["method"] == "echo" for r in reqs)
    # one request per line, ASCII only (non-ASCII escaped), no raw newline inside
    raw = pathlib.Path(fake_env["FAKE_SERVE_LOG"]).read_bytes()
    assert raw.count(b"\n") == 2 and max(raw) < 0x80


def test_argv_and_env_of_the_daemon(fake: pathlib.Path, fake_env: Dict[str, str], tmp_path: pathlib.Path) -> None:
    with Client(fake, skills_dir=tmp_path, workers=3, max_inflight=7, args=["--extra"],
                env={**fake_env, "SKILLLITE_LOG": "debug"}) as c:
        assert c.call("argv") == ["serve", "--stdio", "--skills-dir", str(tmp_path), "--workers", "3",
                                  "--max-inflight", "7", "--extra"]
        assert c.call("getenv", {"name": "SKILLLITE_LOG"}) == "debug"
        assert c.call("getenv", {"name": "HOME"}) is None  # the env given is the whole env


def test_out_of_order_answers(fc: Client) -> None:
    slow = fc.submit("sleep", {"seconds": 1.0, "tag": "slow"})
    fast = fc.submit("sleep", {"seconds": 0, "tag": "fast"})
    assert fast.result(10) == {"tag": "fast", "slept": 0}
    assert not slow.done()
    assert slow.result(10) == {"tag": "slow", "slept": 1.0}
    assert slow.id != fast.id


def test_many_threads_every_answer_matched(fc: Client) -> None:
    results: Dict[int, Any] = {}
    errors: List[BaseException] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        try:
            for i in range(50):
                key = t * 1000 + i
                method = "sleep" if i % 10 == 0 else "echo"
                params = {"seconds": 0.01, "tag": key} if method == "sleep" else {"key": key, "pad": "x" * (i * 97)}
                ans = fc.call(method, params, timeout=30)
                with lock:
                    results[key] = ans
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    assert len(results) == 16 * 50
    for key, ans in results.items():
        if key % 1000 % 10 == 0:
            assert ans == {"tag": key, "slept": 0.01}
        else:
            assert ans["key"] == key and len(ans["pad"]) == (key % 1000) * 97
    assert fc.pending() == 0


def test_garbage_from_the_daemon_is_ignored(fc: Client) -> None:
    assert fc.call("garbage", timeout=10) == "after garbage"
    errs = fc.protocol_errors()
    assert "this is not json" in errs
    assert [1, 2] in errs
    assert any(isinstance(e, dict) and e.get("id") is None and e["error"]["code"] == -32700 for e in errs)
    assert any(isinstance(e, dict) and e.get("id") is True for e in errs)
    assert fc.call("echo", {"still": "works"}) == {"still": "works"}


def test_error_answers(fc: Client) -> None:
    with pytest.raises(RpcError) as ei:
        fc.call("error", {"code": -32003, "reason": "memory"})
    assert (ei.value.code, ei.value.reason, ei.value.exit_code) == (-32003, "memory", 5)
    with pytest.raises(RpcError) as ei:
        fc.call("no-such-method")
    assert ei.value.code == RpcError.METHOD_NOT_FOUND
    with pytest.raises(RpcError) as ei:
        fc.call("noresult")
    assert ei.value.code == RpcError.INTERNAL


def test_daemon_death_fails_pending_and_next_call_restarts(fc: Client) -> None:
    first_pid = fc.call("pid")
    slow = fc.submit("sleep", {"seconds": 30, "tag": "never"})
    silent = fc.submit("silent")
    with pytest.raises(DaemonDied) as ei:
        fc.call("die", {"code": 7}, timeout=20)
    for pc in (slow, silent):
        with pytest.raises(DaemonDied) as ej:
            pc.result(20)
        assert ej.value.returncode == 7
    assert ei.value.returncode == 7
    assert "exited with status 7" in str(ei.value)
    assert "dying as told" in (ei.value.stderr or "")
    # the next call starts a new daemon
    assert fc.call("echo", {"n": 1}, timeout=20) == {"n": 1}
    assert fc.call("pid") != first_pid
    assert fc.restarts == 1


def test_killed_daemon(fc: Client) -> None:
    slow = fc.submit("sleep", {"seconds": 30})
    pid = fc.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(DaemonDied) as ei:
        slow.result(20)
    assert ei.value.returncode == -signal.SIGKILL
    assert "SIGKILL" in str(ei.value)
    assert fc.call("echo", {"after": "kill"}, timeout=20) == {"after": "kill"}
    assert fc.pid != pid


def test_restarts_are_bounded_and_back_off(fake: pathlib.Path, fake_env: Dict[str, str],
                                           tmp_path: pathlib.Path) -> None:
    flag = tmp_path / "fail"
    flag.write_text("")
    env = {**fake_env, "FAKE_SERVE_FAIL_IF": str(flag)}
    c = Client(fake, env=env, max_restarts=3, backoff=0.1, max_backoff=0.15)
    try:
        t0 = time.monotonic()
        for _ in range(6):
            with pytest.raises(DaemonDied):
                c.call("echo", timeout=20)
        elapsed = time.monotonic() - t0
        assert c.restarts == 3
        # pauses before restarts 2 and 3: 0.1 + 0.15
        assert elapsed >= 0.25
        with pytest.raises(DaemonDied) as ei:
            c.call("echo", timeout=20)
        assert "not restarting" in str(ei.value)
        assert ei.value.returncode == 3
        assert "exiting at start" in (ei.value.stderr or "")
        assert c.restarts == 3
        # once the cause is gone, restart() clears the give-up state
        flag.unlink()
        c.restart()
        assert c.call("echo", {"back": True}, timeout=20) == {"back": True}
    finally:
        c.close(timeout=10)


def test_restart_counter_resets_after_an_answer(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    with Client(fake, env=fake_env, max_restarts=1, backoff=0.01) as c:
        for i in range(4):  # more deaths than max_restarts, each followed by an answer
            assert c.call("echo", {"i": i}, timeout=20) == {"i": i}
            os.kill(c.pid, signal.SIGKILL)  # type: ignore[arg-type]
            time.sleep(0.05)
        assert c.call("echo", {"i": "last"}, timeout=20) == {"i": "last"}
        assert c.restarts == 4


def test_cancel(fc: Client, fake_env: Dict[str, str]) -> None:
    pc = fc.submit("sleep", {"seconds": 30})
    assert fc.pending() == 1
    t0 = time.monotonic()
    assert pc.cancel() is True
    with pytest.raises(RpcError) as ei:
        pc.result(10)
    assert time.monotonic() - t0 < 5
    assert ei.value.code == RpcError.CANCELLED and ei.value.reason == "cancelled"
    assert pc.cancel() is False  # no longer pending
    assert fc.cancel(pc.id) is False
    assert fc.cancel(123456) is False
    notes = [r for r in logged(fake_env) if r.get("method") == "$/cancelRequest"]
    assert notes == [{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": pc.id}}]
    # Future.cancel() cannot orphan a request: it is running from the start
    pc2 = fc.submit("echo", {"x": 1})
    assert pc2.future.cancel() is False
    assert pc2.result(10) == {"x": 1}


def test_client_cancel_by_id_from_another_thread(fc: Client) -> None:
    pc = fc.submit("sleep", {"seconds": 30})
    threading.Timer(0.2, lambda: fc.cancel(pc.id)).start()
    with pytest.raises(RpcError) as ei:
        pc.result(10)
    assert ei.value.code == -32800


def test_call_timeout_cancels_the_request(fc: Client, fake_env: Dict[str, str]) -> None:
    t0 = time.monotonic()
    with pytest.raises(Timeout) as ei:
        fc.call("silent", timeout=0.3)
    assert 0.25 <= time.monotonic() - t0 < 5
    assert isinstance(ei.value, TimeoutError)
    silent_id = next(r["id"] for r in logged(fake_env) if r.get("method") == "silent")
    time.sleep(0.2)
    assert {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": silent_id}} in logged(fake_env)
    assert fc.pending() == 0
    # a late answer to a forgotten request is dropped, and the client goes on
    assert fc.call("echo", {"ok": 1}) == {"ok": 1}


def test_pending_result_timeout_leaves_the_request(fc: Client) -> None:
    pc = fc.submit("sleep", {"seconds": 0.6, "tag": "t"})
    with pytest.raises(Timeout):
        pc.result(0.05)
    assert fc.pending() == 1
    assert pc.result(10) == {"tag": "t", "slept": 0.6}


def test_request_over_frame_cap_is_refused_locally(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    with Client(fake, env=fake_env, max_frame=1000) as c:
        with pytest.raises(RpcError) as ei:
            c.call("echo", {"blob": "x" * 1000})
        assert ei.value.reason == "frame_too_large" and ei.value.code == RpcError.INVALID_REQUEST
        assert c.call("echo", {"blob": "x" * 900}) == {"blob": "x" * 900}
    assert [len(r["params"].get("blob", "")) for r in logged(fake_env)] == [900]


@pytest.mark.parametrize("result", ["[1, 2]", "\"text\"", "null", "42"])
def test_methods_answering_objects_refuse_anything_else(fake: pathlib.Path, fake_env: Dict[str, str],
                                                        tmp_path: pathlib.Path, result: str) -> None:
    """ping, scan, validate, get_skill and list_skills promise a dict (list_skills: its list)."""
    with Client(fake, env={**fake_env, "FAKE_SERVE_RESULT": result}) as c:
        calls = [c.ping, lambda: c.scan(tmp_path), lambda: c.validate(str(tmp_path)),
                 lambda: c.get_skill("x"), c.list_skills]
        for call in calls:
            with pytest.raises(SkillLiteError) as e:
                call()
            assert e.value.reason == "bad_output"
    with Client(fake, env={**fake_env, "FAKE_SERVE_RESULT": '{"skills": [{"name": "a"}], "version": "1"}'}) as c:
        assert c.ping()["version"] == "1"
        assert c.list_skills() == [{"name": "a"}]


def test_bad_params_are_python_errors(fc: Client) -> None:
    with pytest.raises(ValueError):
        fc.call("echo", {"x": float("inf")})
    with pytest.raises(TypeError):
        fc.call("echo", {"x": {1, 2}})
    with pytest.raises(ValueError):
        fc.call("")
    assert fc.call("echo", {"fine": True}) == {"fine": True}


def test_close_answers_in_flight_requests_first(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    c = Client(fake, env=fake_env)
    pcs = [c.submit("sleep", {"seconds": 0.3, "tag": i}) for i in range(5)]
    assert c.close() == 0
    assert [pc.result(0) for pc in pcs] == [{"tag": i, "slept": 0.3} for i in range(5)]
    assert c.closed
    with pytest.raises(SkillLiteError) as ei:
        c.call("echo")
    assert ei.value.reason == "closed"
    with pytest.raises(SkillLiteError):
        c.restart()
    assert c.close() == 0  # idempotent


def test_close_timeout_kills(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    c = Client(fake, env=fake_env)
    pc = c.submit("sleep", {"seconds": 60})
    t0 = time.monotonic()
    assert c.close(timeout=0.3) == -signal.SIGKILL
    assert time.monotonic() - t0 < 10
    with pytest.raises(DaemonDied):
        pc.result(0)


def test_stderr_is_kept_bounded_or_discarded(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    with Client(fake, env=fake_env, stderr_lines=5) as c:
        assert c.call("stderr", {"lines": 50}) == "logged"
        deadline = time.monotonic() + 10
        while "log line 49" not in c.stderr_tail() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert c.stderr_tail().splitlines() == [f"fake_serve: log line {i}" for i in range(45, 50)]
    with Client(fake, env=fake_env, stderr_lines=0) as c:
        assert c.call("stderr", {"lines": 100000}) == "logged"  # would block if nobody read it
        assert c.stderr_tail() == ""


def test_lazy_start_and_context_manager(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    with Client(fake, env=fake_env, start=False) as c:
        assert c.pid is None and c.pending() == 0 and c.stderr_tail() == ""
        assert c.call("echo", {"a": 1}) == {"a": 1}
        pid = c.pid
        assert pid is not None
        assert c.restarts == 0
    assert c.closed
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_restart_replaces_the_daemon(fc: Client) -> None:
    old = fc.call("pid")
    fc.restart()
    assert fc.call("pid") != old


def test_calls_racing_a_dying_daemon_never_hang(fake: pathlib.Path, fake_env: Dict[str, str]) -> None:
    """Threads keep calling while the daemon is killed repeatedly: every call either gets its
    own answer or DaemonDied, and nothing waits for ever."""
    outcomes: List[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    with Client(fake, env=fake_env, backoff=0.01, max_restarts=50) as c:
        def worker(t: int) -> None:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    ans = c.call("echo", {"t": t, "i": i}, timeout=20)
                    assert ans == {"t": t, "i": i}
                    out = "ok"
                except DaemonDied:
                    out = "died"
                with lock:
                    outcomes.append(out)

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(6)]
        for th in threads:
            th.start()
        for _ in range(5):
            time.sleep(0.15)
            pid = c.pid
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        time.sleep(0.2)
        stop.set()
        for th in threads:
            th.join(30)
            assert not th.is_alive()
        assert c.call("echo", {"end": 1}, timeout=20) == {"end": 1}
    assert outcomes.count("ok") > 10
    assert set(outcomes) <= {"ok", "died"}
