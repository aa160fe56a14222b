"""Check: syntax tree -> checked tree; the gradual checker's rules and flow facts.

* ``check_dir(path) -> list[Diagnostic]`` checks the Go package in a directory:
  all its ``.tgo`` and ``.go`` files (``.go`` files only give types, with
  unknown nullability), imports resolved through stubs.
* ``check_files(paths) -> CheckResult`` checks the named files as one package.
"""

from transpiler.check.driver import CheckResult, check_dir, check_files, check_parsed

__all__ = ["CheckResult", "check_dir", "check_files", "check_parsed"]
