"""Pure-Python parts: envelopes, options, error mapping."""

from __future__ import annotations

from typing import Any

import pytest

import skilllite
from skilllite import RpcError, RunResult, SkillLiteError, run_options
from skilllite.errors import command_error


def test_public_api_is_exported() -> None:
    for name in skilllite.__all__:
        assert hasattr(skilllite, name), name
    assert skilllite.__version__ == "0.1.0"
    assert not hasattr(skilllite, "chat")  # not until the agent exists


def test_from_envelope_full() -> None:
    env = {"ok": False, "exit_code": 5, "reason": "timeout", "output": None, "stdout": "partial",
           "stderr": "err", "duration_ms": 1006, "cpu_ms": 28, "peak_memory_kb": 4584,
           "sandbox": {"level": 2}, "extra": [1]}
    r = RunResult.from_envelope(env)
    assert (r.ok, r.exit_code, r.reason, r.output) == (False, 5, "timeout", None)
    assert (r.stdout, r.stderr, r.duration_ms, r.cpu_ms, r.peak_memory_kb) == ("partial", "err", 1006, 28, 4584)
    assert r.sandbox == {"level": 2}
    assert r.raw == env and r.raw is not env
    with pytest.raises(SkillLiteError) as ei:
        r.raise_for_status()
    assert ei.value.reason == "timeout" and ei.value.exit_code == 5


def test_from_envelope_tolerates_missing_and_wrong_types() -> None:
    r = RunResult.from_envelope({"ok": True, "exit_code": "0", "stdout": 3, "duration_ms": True,
                                 "sandbox": "nope"})
    assert r.ok and r.exit_code == 0 and r.reason == "ok"
    assert r.stdout == "" and r.duration_ms is None and r.sandbox == {}
    r = RunResult.from_envelope({"ok": False})
    assert r.exit_code == 1 and r.reason == "failed"


@pytest.mark.parametrize("bad", [None, [], "x", {}, {"ok": "yes"}, {"ok": 1}])
def test_from_envelope_rejects_non_envelopes(bad: Any) -> None:
    with pytest.raises(SkillLiteError):
        RunResult.from_envelope(bad)


def test_run_options() -> None:
    assert run_options() == {}
    assert run_options(sandbox_level=2, timeout=5, max_memory=64, max_procs=4,
                       allow_network=["a.example", "*.b.example"], approve=False) == {
        "sandbox_level": 2, "timeout": 5, "max_memory": 64, "max_procs": 4,
        "allow_network": ["a.example", "*.b.example"], "approve": False}
    assert run_options(allow_network=True) == {"allow_network": True}
    assert run_options(allow_network=("x.example",)) == {"allow_network": ["x.example"]}
    for kwargs, exc in [({"sandbox_level": True}, TypeError), ({"timeout": 1.5}, TypeError),
                        ({"max_memory": -1}, ValueError), ({"allow_network": "host"}, TypeError),
                        ({"allow_network": []}, ValueError), ({"allow_network": [""]}, ValueError),
                        ({"allow_network": [3]}, ValueError)]:
        with pytest.raises(exc):
            run_options(**kwargs)


@pytest.mark.parametrize("code,cls,reason", [
    (1, skilllite.SkillFailed, "failed"), (2, skilllite.InvalidInput, "invalid_input"),
    (3, skilllite.Refused, "refused"), (4, skilllite.SandboxUnavailable, "sandbox_unavailable"),
    (5, skilllite.LimitExceeded, "limit"), (9, skilllite.CommandError, None),
])
def test_command_error_mapping(code: int, cls: type, reason: Any) -> None:
    e = command_error(code, "some noise\nskilllite: error: the real problem\n", ["skilllite", "run"])
    assert type(e) is cls
    assert isinstance(e, skilllite.CommandError) and isinstance(e, SkillLiteError)
    assert e.exit_code == code and e.reason == reason
    assert str(e) == f"skilllite exited with status {code}: skilllite: error: the real problem"
    assert e.argv == ("skilllite", "run")


def test_command_error_without_stderr() -> None:
    assert str(command_error(2, "", [])) == "skilllite exited with status 2"
    assert "signal 11" in str(command_error(-11, "", []))


def test_rpc_error_from_response() -> None:
    e = RpcError.from_response({"code": -32001, "message": "refused", "data": {"reason": "refused", "scan": {}}})
    assert (e.code, e.message, e.reason, e.exit_code) == (-32001, "refused", "refused", 3)
    assert e.data == {"reason": "refused", "scan": {}}
    assert str(e) == "refused (code -32001, refused)"
    e = RpcError.from_response({"code": -32601, "message": "no such method"})
    assert (e.code, e.reason, e.data, e.exit_code) == (-32601, None, None, None)
    assert str(e) == "no such method (code -32601)"


@pytest.mark.parametrize("bad", [None, "boom", [1], {"code": "x"}, {"code": True, "message": 3},
                                 {"code": -1, "data": "str"}])
def test_rpc_error_from_malformed(bad: Any) -> None:
    e = RpcError.from_response(bad)
    assert isinstance(e, RpcError)
    assert isinstance(e.code, int) and isinstance(e.message, str)


def test_timeout_is_a_builtin_timeout_error() -> None:
    assert issubclass(skilllite.Timeout, TimeoutError)
    assert issubclass(skilllite.DaemonDied, SkillLiteError)
