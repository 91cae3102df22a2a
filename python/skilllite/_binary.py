"""Locating the ``skilllite`` binary."""

from __future__ import annotations

import os
import shutil
from typing import Mapping, Optional, Union

from .errors import SkillLiteNotFound

__all__ = ["BIN_ENV", "BINARY_NAMES", "find_binary"]

#: Environment variable naming the binary to use (a path, or a name looked up on ``PATH``).
BIN_ENV = "SKILLLITE_BIN"
#: Names looked up on ``PATH``, in order, when ``SKILLLITE_BIN`` is not set.
BINARY_NAMES = ("skilllite", "skilllite-sandbox")

PathArg = Union[str, "os.PathLike[str]"]


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_binary(binary: Optional[PathArg] = None, *, environ: Optional[Mapping[str, str]] = None) -> str:
    """Return the absolute path of the ``skilllite`` binary to run.

    Lookup order: the ``binary`` argument if given; else ``$SKILLLITE_BIN`` (a path, or
    a bare name looked up on ``PATH``); else ``skilllite`` on ``PATH``; else
    ``skilllite-sandbox`` (the build without the LLM parts) on ``PATH``.
    An explicit choice (argument or ``SKILLLITE_BIN``) that does not name an executable
    file is an error rather than a reason to fall back.

    ``environ`` is where ``SKILLLITE_BIN`` and ``PATH`` are read (default ``os.environ``).
    Raises :class:`~skilllite.errors.SkillLiteNotFound`.
    """
    env = os.environ if environ is None else environ
    search_path = env.get("PATH", os.defpath)
    if binary is not None:
        return _resolve_explicit(os.fspath(binary), "the binary argument", search_path)
    configured = env.get(BIN_ENV)
    if configured:
        return _resolve_explicit(configured, f"${BIN_ENV}", search_path)
    for name in BINARY_NAMES:
        found = shutil.which(name, path=search_path)
        if found:
            return os.path.abspath(found)
    raise SkillLiteNotFound(
        f"the skilllite binary was not found: set ${BIN_ENV} to its path, or put "
        f"'skilllite' (or 'skilllite-sandbox') on PATH (searched: {search_path})",
        reason="not_found",
    )


def _resolve_explicit(value: str, origin: str, search_path: str) -> str:
    if os.sep in value or (os.altsep and os.altsep in value):
        path = os.path.abspath(os.path.expanduser(value))
        if _executable(path):
            return path
        why = "does not exist" if not os.path.exists(path) else "is not an executable file"
        raise SkillLiteNotFound(f"{origin} names '{value}', which {why}", reason="not_found")
    found = shutil.which(value, path=search_path)
    if not found:
        raise SkillLiteNotFound(f"{origin} names '{value}', which is not on PATH ({search_path})", reason="not_found")
    return os.path.abspath(found)
