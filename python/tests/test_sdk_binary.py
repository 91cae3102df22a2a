"""Finding the binary: SKILLLITE_BIN, then skilllite / skilllite-sandbox on PATH."""

from __future__ import annotations

import os
import pathlib
import stat
from typing import Dict

import pytest

import skilllite
from skilllite import Client, SkillLiteNotFound, find_binary
from conftest import CALC


def _exe(path: pathlib.Path, body: str = "#!/bin/sh\nexit 0\n") -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def test_env_var_path_wins(tmp_path: pathlib.Path, binary: str) -> None:
    on_path = _exe(tmp_path / "bin" / "skilllite")
    environ = {"SKILLLITE_BIN": binary, "PATH": str(on_path.parent)}
    assert find_binary(environ=environ) == binary


def test_env_var_bare_name_looked_up_on_path(tmp_path: pathlib.Path) -> None:
    tool = _exe(tmp_path / "bin" / "my-skilllite")
    assert find_binary(environ={"SKILLLITE_BIN": "my-skilllite", "PATH": str(tool.parent)}) == str(tool)


def test_path_lookup_order(tmp_path: pathlib.Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    sandbox = _exe(a / "skilllite-sandbox")
    path = f"{a}:{b}"
    # only skilllite-sandbox: the fallback
    assert find_binary(environ={"PATH": path}) == str(sandbox)
    # skilllite anywhere on PATH is preferred over skilllite-sandbox
    full = _exe(b / "skilllite")
    assert find_binary(environ={"PATH": path}) == str(full)


def test_explicit_argument_wins(tmp_path: pathlib.Path, binary: str) -> None:
    other = _exe(tmp_path / "skilllite")
    assert find_binary(other, environ={"SKILLLITE_BIN": binary}) == str(other)
    assert find_binary(pathlib.Path(binary), environ={}) == binary


def test_relative_path_made_absolute(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _exe(tmp_path / "rel" / "skilllite")
    monkeypatch.chdir(tmp_path)
    assert find_binary(environ={"SKILLLITE_BIN": "rel/skilllite"}) == str(tmp_path / "rel" / "skilllite")


@pytest.mark.parametrize("kind", ["missing", "directory", "not-executable", "name-not-on-path"])
def test_bad_env_var_is_an_error_not_a_fallback(tmp_path: pathlib.Path, kind: str) -> None:
    fallback = _exe(tmp_path / "bin" / "skilllite")  # would be found on PATH
    if kind == "missing":
        value = str(tmp_path / "absent")
    elif kind == "directory":
        value = str(tmp_path)
    elif kind == "not-executable":
        f = tmp_path / "plain"
        f.write_text("#!/bin/sh\n")
        value = str(f)
    else:
        value = "no-such-tool-anywhere"
    with pytest.raises(SkillLiteNotFound) as ei:
        find_binary(environ={"SKILLLITE_BIN": value, "PATH": str(fallback.parent)})
    assert "SKILLLITE_BIN" in str(ei.value)
    assert ei.value.reason == "not_found"


def test_nothing_found(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SkillLiteNotFound) as ei:
        find_binary(environ={"PATH": str(empty)})
    assert "SKILLLITE_BIN" in str(ei.value)
    assert isinstance(ei.value, skilllite.SkillLiteError)


def test_empty_env_var_is_ignored(tmp_path: pathlib.Path) -> None:
    tool = _exe(tmp_path / "bin" / "skilllite")
    assert find_binary(environ={"SKILLLITE_BIN": "", "PATH": str(tool.parent)}) == str(tool)


def test_one_shot_functions_honour_skilllite_bin(tmp_path: pathlib.Path, binary: str,
                                                 env: Dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "calls.log"
    wrapper = _exe(tmp_path / "wrapped" / "skilllite-wrapper",
                   f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{binary}" "$@"\n')
    monkeypatch.setenv("SKILLLITE_BIN", str(wrapper))
    r = skilllite.run_skill(CALC, {"operation": "subtract", "a": 10, "b": 4}, sandbox_level=2, env=env)
    assert r.output == {"result": 6}
    assert skilllite.validate(CALC, env=env)["valid"] is True
    assert log.read_text().split() == ["run", "validate"]


def test_one_shot_functions_raise_not_found(tmp_path: pathlib.Path, env: Dict[str, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLLITE_BIN", str(tmp_path / "gone"))
    for call in (lambda: skilllite.run_skill(CALC, {}, env=env),
                 lambda: skilllite.scan(CALC, env=env),
                 lambda: skilllite.list_skills(env=env),
                 lambda: Client(env=env)):
        with pytest.raises(SkillLiteNotFound):
            call()
    monkeypatch.delenv("SKILLLITE_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SkillLiteNotFound):
        skilllite.validate(CALC, env=env)


def test_binary_argument_overrides_env(tmp_path: pathlib.Path, binary: str, env: Dict[str, str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLLITE_BIN", str(tmp_path / "gone"))
    r = skilllite.run_skill(CALC, {"operation": "power", "a": 2, "b": 10}, sandbox_level=2, env=env, binary=binary)
    assert r.output == {"result": 1024}


def test_binary_that_is_not_skilllite(tmp_path: pathlib.Path, env: Dict[str, str]) -> None:
    fake = _exe(tmp_path / "fake", "#!/bin/sh\necho 'not json at all'\nexit 0\n")
    with pytest.raises(skilllite.CommandError) as ei:
        skilllite.scan(CALC, env=env, binary=fake)
    assert ei.value.reason == "bad_output"
    fake2 = _exe(tmp_path / "fake2", "#!/bin/sh\necho 'boom' >&2\nkill -9 $$\n")
    with pytest.raises(skilllite.CommandError) as ei:
        skilllite.validate(CALC, env=env, binary=fake2)
    assert ei.value.exit_code == -9
    assert "signal 9" in str(ei.value)
    assert os.path.basename(ei.value.argv[0]) == "fake2"
