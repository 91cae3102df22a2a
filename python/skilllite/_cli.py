"""One-shot functions: each runs the ``skilllite`` CLI once with ``--json`` and parses its answer.

They need no daemon and keep no state; for many calls, use :class:`skilllite.Client`,
which keeps one ``skilllite serve`` process and runs requests concurrently.

The SDK never prompts: the CLI is started in a new session without a controlling
terminal, so a level-3 scan verdict that needs approval is refused unless
``approve=True`` is passed (or ``SKILLLITE_AUTO_APPROVE=1`` is in ``env``).
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from ._binary import PathArg, find_binary
from .errors import CommandError, InvalidInput, SkillLiteError, Timeout, command_error
from .types import JSON, NetworkGrant, RunResult

__all__ = ["run_skill", "exec_script", "run_bash", "scan", "validate", "list_skills", "get_skill"]

SkillArg = Union[str, "os.PathLike[str]"]


def _run(
    argv: Sequence[str],
    *,
    stdin: Optional[bytes] = None,
    env: Optional[Mapping[str, str]] = None,
    wait: Optional[float] = None,
) -> "subprocess.CompletedProcess[bytes]":
    try:
        return subprocess.run(
            list(argv),
            input=stdin if stdin is not None else b"",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            timeout=wait,
            close_fds=True,
            start_new_session=True,  # no controlling terminal: the CLI never prompts
        )
    except subprocess.TimeoutExpired as exc:
        raise Timeout(f"skilllite did not finish within {wait} s: {' '.join(argv[:3])} ...") from exc
    except OSError as exc:
        raise SkillLiteError(f"cannot run {argv[0]}: {exc}", reason="exec_failed") from exc


def _decode(b: bytes) -> str:
    return b.decode("utf-8", errors="replace")


def _json_answer(proc: "subprocess.CompletedProcess[bytes]", argv: Sequence[str]) -> Any:
    """The JSON document the CLI printed on stdout; an error built from the exit status if none."""
    out = proc.stdout.strip()
    if out:
        try:
            return json.loads(out)
        except ValueError:
            pass
    if proc.returncode == 0:
        raise CommandError(
            f"skilllite printed no JSON answer: {_decode(out[:200])!r}",
            exit_code=0,
            reason="bad_output",
            stderr=_decode(proc.stderr),
            argv=argv,
        )
    raise command_error(proc.returncode, _decode(proc.stderr), argv)


def _skill_path(
    skill: SkillArg, skills_dir: Optional[PathArg], binary: str, env: Optional[Mapping[str, str]]
) -> str:
    """A skill directory for the CLI: paths are kept, bare names are looked up in the skills directory.

    A ``PathLike``, or a string holding a path separator or being ``.``/``..``, is a path.
    A bare name is looked up with ``skilllite show`` (in ``skills_dir``, else the CLI's
    default: ``$SKILLLITE_SKILLS_DIR``, ``./.skills``, ``./skills``); when that finds
    nothing and no ``skills_dir`` was given, an existing directory of that name is used.
    """
    if isinstance(skill, os.PathLike):
        return os.path.abspath(os.fspath(skill))
    if not isinstance(skill, str):
        raise TypeError(f"skill must be a name or a path, not {type(skill).__name__}")
    if not skill:
        raise ValueError("skill must not be empty")
    if os.sep in skill or (os.altsep and os.altsep in skill) or skill in (".", ".."):
        return skill
    try:
        info = _show(skill, skills_dir, binary, env)
    except CommandError:
        if skills_dir is None and os.path.isdir(skill):
            return skill
        raise
    path = info.get("path") if isinstance(info, dict) else None
    if not isinstance(path, str) or not path:
        raise SkillLiteError(f"skilllite show gave no path for skill '{skill}'", reason="bad_output")
    return path


def _show(name: str, skills_dir: Optional[PathArg], binary: str, env: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    argv = [binary, "show", "--json"]
    if skills_dir is not None:
        argv += ["-s", os.fspath(skills_dir)]
    argv += ["--", name]
    proc = _run(argv, env=env)
    if proc.returncode == 1:
        # `show` says 1 for "no such skill": for the SDK that is invalid input, as in `serve`.
        stderr = _decode(proc.stderr)
        detail = stderr.strip().splitlines()[-1] if stderr.strip() else f"no skill named '{name}'"
        raise InvalidInput(detail, exit_code=1, reason="invalid_input", stderr=stderr, argv=argv)
    ans = _json_answer(proc, argv)
    if not isinstance(ans, dict):
        raise SkillLiteError("skilllite show printed something other than a JSON object", reason="bad_output")
    return ans


def _run_flags(
    sandbox_level: Optional[int],
    timeout: Optional[int],
    max_memory: Optional[int],
    max_procs: Optional[int],
    allow_network: Optional[NetworkGrant],
    approve: bool,
) -> List[str]:
    flags: List[str] = []

    def num(name: str, flag: str, value: Optional[int]) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{name} must not be negative")
        flags.append(f"{flag}={value}")

    num("sandbox_level", "--sandbox-level", sandbox_level)
    num("timeout", "--timeout", timeout)
    num("max_memory", "--max-memory", max_memory)
    num("max_procs", "--max-procs", max_procs)
    if allow_network is True:
        flags.append("--allow-network")
    elif allow_network is False:
        flags.append("--no-network")
    elif allow_network is not None:
        if isinstance(allow_network, str):
            raise TypeError("allow_network must be a bool or a list of hosts, not a string")
        hosts = list(allow_network)
        if not hosts or not all(isinstance(h, str) and h and "," not in h for h in hosts):
            raise ValueError("allow_network must list at least one host, none empty or holding a comma")
        flags.append("--allow-network=" + ",".join(hosts))
    if approve:
        flags.append("--yes")
    return flags


def _envelope(proc: "subprocess.CompletedProcess[bytes]", argv: Sequence[str]) -> RunResult:
    ans = _json_answer(proc, argv)
    if isinstance(ans, dict) and isinstance(ans.get("ok"), bool):
        return RunResult.from_envelope(ans)
    raise command_error(proc.returncode, _decode(proc.stderr), argv) if proc.returncode else SkillLiteError(
        "skilllite printed JSON that is not a run envelope", reason="bad_output"
    )


def _input_bytes(input: JSON) -> bytes:
    doc = {} if input is None else input
    return json.dumps(doc, ensure_ascii=True, allow_nan=False).encode("ascii")


def run_skill(
    skill: SkillArg,
    input: JSON = None,
    *,
    sandbox_level: Optional[int] = None,
    timeout: Optional[int] = None,
    max_memory: Optional[int] = None,
    max_procs: Optional[int] = None,
    allow_network: Optional[NetworkGrant] = None,
    approve: bool = False,
    skills_dir: Optional[PathArg] = None,
    env: Optional[Mapping[str, str]] = None,
    binary: Optional[PathArg] = None,
) -> RunResult:
    """Run a skill's entry point in the sandbox (``skilllite run --json``) and return its envelope.

    ``skill`` is a skill directory, or the name of an installed skill (looked up in
    ``skills_dir``, default the CLI's).  ``input`` is any JSON-serialisable value
    (default ``{}``), sent on the skill's stdin.  ``sandbox_level`` 1/2/3 (CLI default 3),
    ``timeout`` seconds, ``max_memory`` MB, ``max_procs`` processes, ``allow_network``
    (``True`` the declared hosts, a list of hosts, ``False`` no network at all),
    ``approve`` approves a level-3 medium/high verdict.  ``env`` is the complete
    environment of the ``skilllite`` process (default: this process's).

    A run that happened but failed is returned with ``ok`` false (also a level-3 refusal
    the CLI reports as an envelope).  Raises :class:`~skilllite.errors.InvalidInput`,
    :class:`~skilllite.errors.Refused`, :class:`~skilllite.errors.SandboxUnavailable`
    (or another :class:`~skilllite.errors.CommandError`) when the CLI printed no envelope.
    """
    exe = find_binary(binary)
    path = _skill_path(skill, skills_dir, exe, env)
    argv = [exe, "run", "--json"]
    argv += _run_flags(sandbox_level, timeout, max_memory, max_procs, allow_network, approve)
    argv += ["--", path, "-"]
    return _envelope(_run(argv, stdin=_input_bytes(input), env=env), argv)


def exec_script(
    skill: SkillArg,
    script: str,
    input: JSON = None,
    *,
    sandbox_level: Optional[int] = None,
    timeout: Optional[int] = None,
    max_memory: Optional[int] = None,
    max_procs: Optional[int] = None,
    allow_network: Optional[NetworkGrant] = None,
    approve: bool = False,
    skills_dir: Optional[PathArg] = None,
    env: Optional[Mapping[str, str]] = None,
    binary: Optional[PathArg] = None,
) -> RunResult:
    """Run one script of a skill (``script``: a path inside the skill, e.g. ``scripts/length.py``).

    Same options and errors as :func:`run_skill` (``skilllite exec --json``).
    """
    if not isinstance(script, str) or not script:
        raise ValueError("script must be a non-empty path inside the skill")
    exe = find_binary(binary)
    path = _skill_path(skill, skills_dir, exe, env)
    argv = [exe, "exec", "--json"]
    argv += _run_flags(sandbox_level, timeout, max_memory, max_procs, allow_network, approve)
    argv += ["--", path, script, "-"]
    return _envelope(_run(argv, stdin=_input_bytes(input), env=env), argv)


def run_bash(
    skill: SkillArg,
    command: str,
    *,
    sandbox_level: Optional[int] = None,
    timeout: Optional[int] = None,
    max_memory: Optional[int] = None,
    max_procs: Optional[int] = None,
    allow_network: Optional[NetworkGrant] = None,
    approve: bool = False,
    skills_dir: Optional[PathArg] = None,
    env: Optional[Mapping[str, str]] = None,
    binary: Optional[PathArg] = None,
) -> RunResult:
    """Run a command for a bash-tool skill (``allowed-tools: Bash(prefix:*)``) in the sandbox.

    ``output`` of the result is ``{"stdout", "stderr", "exit_code"}``.  Same options and
    errors as :func:`run_skill` (``skilllite bash --json``).
    """
    if not isinstance(command, str) or not command:
        raise ValueError("command must be a non-empty string")
    exe = find_binary(binary)
    path = _skill_path(skill, skills_dir, exe, env)
    argv = [exe, "bash", "--json"]
    argv += _run_flags(sandbox_level, timeout, max_memory, max_procs, allow_network, approve)
    argv += ["--", path, command]
    return _envelope(_run(argv, env=env), argv)


def scan(
    path: PathArg, *, env: Optional[Mapping[str, str]] = None, binary: Optional[PathArg] = None
) -> Dict[str, Any]:
    """Scan a skill directory or one file (``skilllite scan --json``) and return the report.

    The report's ``verdict`` is the highest severity found (``safe``, ``low``, ``medium``,
    ``high``, ``critical``); ``findings`` lists what was found.  A risky verdict is a
    report, not an error.  Raises :class:`~skilllite.errors.InvalidInput` for an
    unreadable path.
    """
    exe = find_binary(binary)
    argv = [exe, "scan", "--json", "--", os.fspath(path)]
    ans = _json_answer(_run(argv, env=env), argv)
    if not isinstance(ans, dict):
        raise SkillLiteError("skilllite scan printed something other than a JSON object", reason="bad_output")
    return ans


def validate(
    skill: SkillArg,
    *,
    skills_dir: Optional[PathArg] = None,
    env: Optional[Mapping[str, str]] = None,
    binary: Optional[PathArg] = None,
) -> Dict[str, Any]:
    """Check a skill against the Agent Skills specification (``skilllite validate --json``).

    Returns ``{"valid", "errors", "warnings", "skill"}``; an invalid skill is a result
    with ``valid`` false, not an error.
    """
    exe = find_binary(binary)
    path = _skill_path(skill, skills_dir, exe, env)
    argv = [exe, "validate", "--json", "--", path]
    ans = _json_answer(_run(argv, env=env), argv)
    if not isinstance(ans, dict):
        raise SkillLiteError("skilllite validate printed something other than a JSON object", reason="bad_output")
    return ans


def list_skills(
    skills_dir: Optional[PathArg] = None,
    *,
    env: Optional[Mapping[str, str]] = None,
    binary: Optional[PathArg] = None,
) -> List[Dict[str, Any]]:
    """List the skills in ``skills_dir`` (default the CLI's: ``$SKILLLITE_SKILLS_DIR``,
    ``./.skills``, ``./skills``), valid and invalid ones, as ``skilllite list --json`` does.

    Each item has ``name``, ``description``, ``path``, ``valid``, ``errors``, ...
    """
    exe = find_binary(binary)
    argv = [exe, "list", "--json"]
    if skills_dir is not None:
        argv += ["-s", os.fspath(skills_dir)]
    ans = _json_answer(_run(argv, env=env), argv)
    skills = ans.get("skills") if isinstance(ans, dict) else None
    if not isinstance(skills, list):
        raise SkillLiteError("skilllite list printed no 'skills' list", reason="bad_output")
    return skills


def get_skill(
    name: str,
    *,
    skills_dir: Optional[PathArg] = None,
    env: Optional[Mapping[str, str]] = None,
    binary: Optional[PathArg] = None,
) -> Dict[str, Any]:
    """Describe one installed skill in detail (``skilllite show --json``).

    Raises :class:`~skilllite.errors.InvalidInput` (``exit_code`` 1) if there is no such skill.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    return _show(name, skills_dir, find_binary(binary), env)
