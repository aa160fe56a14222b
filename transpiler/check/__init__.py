"""Check: syntax tree -> checked tree; the gradual checker's rules and flow facts.

* ``check_dir(path) -> list[Diagnostic]`` checks the Go package in a directory:
  all its ``.tgo`` and ``.go`` files (``.go`` files only give types, with
  unknown nullability), imports resolved through stubs.
* ``check_files(paths) -> CheckResult`` checks the named files as one package.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (typing is not imported: the cached `tgo check` loads this module)

if TYPE_CHECKING:
    from typing import Any

    from transpiler.check.driver import CheckResult, check_dir, check_files, check_parsed

__all__ = ["CheckResult", "check_dir", "check_files", "check_parsed"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: the cache and file discovery must not load the checker.
    if name in __all__:
        from transpiler.check import driver

        return getattr(driver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
