"""Exceptions raised by the SkillLite SDK.

Every exception derives from :class:`SkillLiteError`, so ``except SkillLiteError``
catches everything the SDK raises on purpose.  Each error carries, where known:

* ``exit_code``: the CLI exit status this error corresponds to
  (1 failed, 2 usage or invalid input, 3 refused, 4 sandbox unavailable, 5 limit);
* ``reason``: a short machine-readable word (``"invalid_input"``, ``"refused"``, ...);
* ``stderr``: what the ``skilllite`` process said on its standard error, if anything.

A skill *run* that happened but failed (non-zero exit, timeout, memory limit) is not
an exception: it is a :class:`~skilllite.types.RunResult` with ``ok`` false.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence, Type

__all__ = [
    "SkillLiteError",
    "SkillLiteNotFound",
    "CommandError",
    "SkillFailed",
    "InvalidInput",
    "Refused",
    "SandboxUnavailable",
    "LimitExceeded",
    "RpcError",
    "DaemonDied",
    "Timeout",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_USAGE",
    "EXIT_REFUSED",
    "EXIT_SANDBOX_UNAVAILABLE",
    "EXIT_LIMIT",
]

#: CLI exit statuses (see ``skilllite --help``).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_SANDBOX_UNAVAILABLE = 4
EXIT_LIMIT = 5


class SkillLiteError(Exception):
    """Base class of every error the SDK raises."""

    def __init__(
        self,
        message: str,
        *,
        exit_code: Optional[int] = None,
        reason: Optional[str] = None,
        stderr: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.exit_code: Optional[int] = exit_code
        self.reason: Optional[str] = reason
        self.stderr: Optional[str] = stderr

    def __str__(self) -> str:
        return self.message


class SkillLiteNotFound(SkillLiteError):
    """The ``skilllite`` binary could not be found (``SKILLLITE_BIN``, then ``PATH``)."""


class CommandError(SkillLiteError):
    """A one-shot ``skilllite`` command failed without printing a JSON answer.

    ``exit_code`` is the process exit status (negative: killed by that signal),
    ``stderr`` its error output and ``argv`` the command line that was run.
    The subclasses below name the documented exit statuses.
    """

    def __init__(
        self,
        message: str,
        *,
        exit_code: Optional[int] = None,
        reason: Optional[str] = None,
        stderr: Optional[str] = None,
        argv: Sequence[str] = (),
    ) -> None:
        super().__init__(message, exit_code=exit_code, reason=reason, stderr=stderr)
        self.argv: Sequence[str] = tuple(argv)


class SkillFailed(CommandError):
    """Exit status 1: the command failed."""


class InvalidInput(CommandError):
    """Exit status 2: usage error, invalid input JSON, no such skill or script."""


class Refused(CommandError):
    """Exit status 3: refused by security policy (scan verdict, integrity, approval)."""


class SandboxUnavailable(CommandError):
    """Exit status 4: the requested sandbox level cannot be enforced on this host."""


class LimitExceeded(CommandError):
    """Exit status 5: a resource limit was hit before a result could be produced."""


_EXIT_CLASSES: Dict[int, Type[CommandError]] = {
    EXIT_FAILED: SkillFailed,
    EXIT_USAGE: InvalidInput,
    EXIT_REFUSED: Refused,
    EXIT_SANDBOX_UNAVAILABLE: SandboxUnavailable,
    EXIT_LIMIT: LimitExceeded,
}

_EXIT_REASONS: Dict[int, str] = {
    EXIT_FAILED: "failed",
    EXIT_USAGE: "invalid_input",
    EXIT_REFUSED: "refused",
    EXIT_SANDBOX_UNAVAILABLE: "sandbox_unavailable",
    EXIT_LIMIT: "limit",
}


def command_error(exit_code: int, stderr: str, argv: Sequence[str]) -> CommandError:
    """Build the :class:`CommandError` subclass that matches a CLI exit status."""
    cls = _EXIT_CLASSES.get(exit_code, CommandError)
    detail = _last_error_line(stderr)
    if exit_code < 0:
        head = f"skilllite was killed by signal {-exit_code}"
    else:
        head = f"skilllite exited with status {exit_code}"
    message = f"{head}: {detail}" if detail else head
    return cls(message, exit_code=exit_code, reason=_EXIT_REASONS.get(exit_code), stderr=stderr, argv=argv)


def _last_error_line(stderr: str) -> str:
    """The most useful line of a CLI's stderr: its last ``error:`` line, else its last line."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if "error:" in ln:
            return ln
    return lines[-1] if lines else ""


class RpcError(SkillLiteError):
    """A JSON-RPC error answer from ``skilllite serve``.

    Attributes: ``code`` (JSON-RPC error code), ``message``, ``reason``
    (``error.data.reason``) and ``data`` (the whole ``error.data`` object, or ``None``).
    ``exit_code`` is the CLI exit status with the same meaning, when there is one.
    The class constants name the codes the daemon uses.
    """

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL = -32603
    REFUSED = -32001
    SANDBOX_UNAVAILABLE = -32002
    LIMIT = -32003
    FAILED = -32004
    BUSY = -32005
    CANCELLED = -32800

    _CODE_EXIT: Dict[int, int] = {
        INVALID_PARAMS: EXIT_USAGE,
        REFUSED: EXIT_REFUSED,
        SANDBOX_UNAVAILABLE: EXIT_SANDBOX_UNAVAILABLE,
        LIMIT: EXIT_LIMIT,
        FAILED: EXIT_FAILED,
    }

    def __init__(
        self,
        code: int,
        message: str,
        *,
        reason: Optional[str] = None,
        data: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(message, exit_code=self._CODE_EXIT.get(code), reason=reason)
        self.code: int = code
        self.data: Optional[Dict[str, Any]] = dict(data) if data is not None else None

    def __str__(self) -> str:
        if self.reason:
            return f"{self.message} (code {self.code}, {self.reason})"
        return f"{self.message} (code {self.code})"

    @classmethod
    def from_response(cls, error: Any) -> "RpcError":
        """Build an :class:`RpcError` from the ``error`` member of a response (tolerantly)."""
        if not isinstance(error, dict):
            return cls(RpcError.INTERNAL, f"malformed error object: {error!r}"[:500], reason="internal")
        code = error.get("code")
        if not isinstance(code, int) or isinstance(code, bool):
            code = RpcError.INTERNAL
        message = error.get("message")
        if not isinstance(message, str):
            message = "error"
        data = error.get("data")
        reason = None
        if isinstance(data, dict):
            r = data.get("reason")
            reason = r if isinstance(r, str) else None
        else:
            data = None
        return cls(code, message, reason=reason, data=data)


class DaemonDied(SkillLiteError):
    """The ``skilllite serve`` process ended while a request was pending (or would not start).

    ``returncode`` is its exit status if known (negative: killed by that signal);
    ``stderr`` holds the last lines it wrote to its error output, when captured.
    The next call on the :class:`~skilllite.Client` starts a new daemon.
    """

    def __init__(self, message: str, *, returncode: Optional[int] = None, stderr: Optional[str] = None) -> None:
        super().__init__(message, reason="daemon_died", stderr=stderr)
        self.returncode: Optional[int] = returncode


class Timeout(SkillLiteError, TimeoutError):
    """The client gave up waiting for an answer (the request was cancelled on the daemon)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="timeout")
