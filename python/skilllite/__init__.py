"""SkillLite: run AI agent skills safely, from Python.

A zero-dependency SDK over the ``skilllite`` binary:

* one-shot functions that run the CLI once (:func:`run_skill`, :func:`exec_script`,
  :func:`run_bash`, :func:`scan`, :func:`validate`, :func:`list_skills`, :func:`get_skill`);
* :class:`Client`, a thread-safe client of the ``skilllite serve`` daemon that runs
  many requests concurrently over one process and restarts it if it dies.

The binary is found with :func:`find_binary`: ``$SKILLLITE_BIN``, else ``skilllite``
(then ``skilllite-sandbox``) on ``PATH``.
"""

from ._binary import BIN_ENV, find_binary
from ._cli import exec_script, get_skill, list_skills, run_bash, run_skill, scan, validate
from .client import DEFAULT_MAX_FRAME, Client, PendingCall
from .errors import (
    CommandError,
    DaemonDied,
    InvalidInput,
    LimitExceeded,
    Refused,
    RpcError,
    SandboxUnavailable,
    SkillFailed,
    SkillLiteError,
    SkillLiteNotFound,
    Timeout,
)
from .types import JSON, NetworkGrant, RunOptions, RunResult, run_options

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # binary
    "BIN_ENV",
    "find_binary",
    # one-shot functions
    "run_skill",
    "exec_script",
    "run_bash",
    "scan",
    "validate",
    "list_skills",
    "get_skill",
    # daemon client
    "Client",
    "PendingCall",
    "DEFAULT_MAX_FRAME",
    # types
    "JSON",
    "NetworkGrant",
    "RunOptions",
    "RunResult",
    "run_options",
    # errors
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
]
