"""One exception family. The CLI catches `UsageError` once and exits 2 with its message."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Contract section 4."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


class PostguardError(Exception):
    """Base of every error postguard raises on purpose."""


class UsageError(PostguardError):
    """Bad flag, config or rule pack: nothing was checked (exit 2)."""


class ConfigError(UsageError):
    """The configuration file is invalid."""


class RuleError(UsageError):
    """A rule pack is invalid."""


class InputError(PostguardError):
    """One input could not be read or parsed; becomes an `input` finding, never an exit 2."""
