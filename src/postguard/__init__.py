"""postguard: a pre-publication compliance linter for healthcare social media."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check_text", "run_check"]


def __getattr__(name: str) -> object:
    # Lazy, so `postguard --version` and plain imports stay fast.
    if name in ("check_text", "run_check"):
        from postguard import check

        return getattr(check, name)
    raise AttributeError(name)
