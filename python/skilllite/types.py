"""Result and option types of the SkillLite SDK."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, TypedDict, Union

from .errors import SkillLiteError

__all__ = ["JSON", "NetworkGrant", "RunOptions", "RunResult", "run_options"]

#: Any value that JSON can carry (a parsed document).
JSON = Any

#: ``True`` grants the skill's declared hosts; a list of host patterns adds those;
#: ``False`` (one-shot functions only: ``--no-network``) denies all network.
NetworkGrant = Union[bool, Sequence[str]]


class RunOptions(TypedDict, total=False):
    """The ``options`` object of the ``run``, ``exec`` and ``bash`` requests."""

    sandbox_level: int
    timeout: int
    max_memory: int
    max_procs: int
    allow_network: Union[bool, List[str]]
    approve: bool


def run_options(
    *,
    sandbox_level: Optional[int] = None,
    timeout: Optional[int] = None,
    max_memory: Optional[int] = None,
    max_procs: Optional[int] = None,
    allow_network: Optional[NetworkGrant] = None,
    approve: Optional[bool] = None,
) -> RunOptions:
    """Build a :class:`RunOptions` dict, leaving out every option that is ``None``.

    ``sandbox_level`` 1, 2 or 3; ``timeout`` wall-clock seconds; ``max_memory`` MB;
    ``max_procs`` allowed processes and threads; ``allow_network`` see :data:`NetworkGrant`;
    ``approve`` approves a level-3 medium/high scan verdict (the CLI's ``--yes``).
    """
    opts: Dict[str, Any] = {}
    if sandbox_level is not None:
        opts["sandbox_level"] = _int("sandbox_level", sandbox_level)
    if timeout is not None:
        opts["timeout"] = _int("timeout", timeout)
    if max_memory is not None:
        opts["max_memory"] = _int("max_memory", max_memory)
    if max_procs is not None:
        opts["max_procs"] = _int("max_procs", max_procs)
    if allow_network is not None:
        if isinstance(allow_network, bool):
            opts["allow_network"] = allow_network
        elif isinstance(allow_network, str):
            raise TypeError("allow_network must be a bool or a list of hosts, not a string")
        else:
            hosts = list(allow_network)
            if not hosts or not all(isinstance(h, str) and h for h in hosts):
                raise ValueError("allow_network must list at least one non-empty host")
            opts["allow_network"] = hosts
    if approve is not None:
        opts["approve"] = bool(approve)
    return opts  # type: ignore[return-value]


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


@dataclass(frozen=True)
class RunResult:
    """The envelope of one skill run (``run``, ``exec`` or ``bash``).

    ``ok`` is true when the skill exited 0 within its limits.  ``exit_code`` is the CLI
    exit status of that outcome (0 ok, 1 the skill failed, 3 refused, 4 sandbox
    unavailable, 5 a limit was hit), not the skill's own status (``error`` tells that,
    e.g. "the skill exited with status 3").  ``reason`` says why not
    otherwise: ``"exit"``, ``"signal"``, ``"timeout"``, ``"memory"``, ``"pids"``,
    ``"output_limit"``, ``"refused"``, ``"sandbox_unavailable"`` (or a more precise
    refusal such as ``"scan_critical"`` from the CLI).  ``output`` is the skill's
    stdout parsed as JSON (``None`` if it was not JSON); ``stdout``/``stderr`` the raw
    text; ``raw`` the whole envelope as the binary printed it (``sandbox`` details,
    ``scan`` report of a refusal, ...).
    """

    ok: bool
    exit_code: int
    reason: str
    output: JSON = None
    stdout: str = ""
    stderr: str = ""
    duration_ms: Optional[int] = None
    cpu_ms: Optional[int] = None
    peak_memory_kb: Optional[int] = None
    error: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def sandbox(self) -> Dict[str, Any]:
        """The ``sandbox`` object of the envelope (level, limits, namespaces, ...), or ``{}``."""
        sb = self.raw.get("sandbox")
        return sb if isinstance(sb, dict) else {}

    @classmethod
    def from_envelope(cls, env: Mapping[str, Any]) -> "RunResult":
        """Build a :class:`RunResult` from a parsed envelope; raises ``SkillLiteError`` if it is not one."""
        if not isinstance(env, Mapping) or not isinstance(env.get("ok"), bool):
            raise SkillLiteError(f"not a run envelope: {str(env)[:200]}")

        def opt_int(key: str) -> Optional[int]:
            v = env.get(key)
            if isinstance(v, bool):
                return None
            if isinstance(v, (int, float)):
                return int(v)
            return None

        def opt_str(key: str) -> Optional[str]:
            v = env.get(key)
            return v if isinstance(v, str) else None

        exit_code = opt_int("exit_code")
        return cls(
            ok=env["ok"],
            exit_code=exit_code if exit_code is not None else (0 if env["ok"] else 1),
            reason=opt_str("reason") or ("ok" if env["ok"] else "failed"),
            output=env.get("output"),
            stdout=opt_str("stdout") or "",
            stderr=opt_str("stderr") or "",
            duration_ms=opt_int("duration_ms"),
            cpu_ms=opt_int("cpu_ms"),
            peak_memory_kb=opt_int("peak_memory_kb"),
            error=opt_str("error"),
            raw=dict(env),
        )

    def raise_for_status(self) -> "RunResult":
        """Return ``self`` if the run succeeded, else raise :class:`SkillLiteError` describing it."""
        if self.ok:
            return self
        msg = f"skill run failed: {self.reason} (exit code {self.exit_code})"
        if self.error:
            msg += f": {self.error}"
        last = (self.stderr.strip().splitlines() or [""])[-1]
        if last:
            msg += f"; its stderr ends: {last[:500]}"
        raise SkillLiteError(msg, exit_code=self.exit_code, reason=self.reason, stderr=self.stderr)
