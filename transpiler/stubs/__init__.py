"""Stubs: ``.tgoi`` files holding a package's exported API in tgo syntax (spec §7).

* ``stubgen.generate(patterns, out_dir, ...)`` writes stubs for Go packages from
  their sources (``tgo stubgen``); ``stubgen.stub_text`` makes one stub's text.
* ``locate.find_stub(import_path, stub_paths)`` finds the stub files of an import,
  user stub directories first, then the bundled standard-library stubs;
  ``config.module_root`` and ``config.load_config`` read ``tgo.toml``;
  ``locate.load_stub`` parses a stub (once per content: ``parsed.parse_stub``, kept in
  memory and on disk) and reads its ``//tgo:`` directives.

The conventions (layout, ``//tgo:strict``, directives) are in docs/stubs.md.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (typing is not imported: the cached `tgo check` loads this module)
if TYPE_CHECKING:
    from typing import Any

_CONFIG_NAMES = frozenset({"CONFIG_NAME", "Config", "StubConfigError", "load_config", "module_root"})

__all__ = [
    "CONFIG_NAME",
    "DIRECTIVE_ERRCHECK_EXEMPT",
    "DIRECTIVE_NORETURN",
    "STRICT_MARK",
    "STUB_SUFFIX",
    "Config",
    "Stub",
    "StubConfigError",
    "bundled_stub_dir",
    "find_stub",
    "load_config",
    "load_stub",
    "module_root",
    "stub_file_name",
]


def __getattr__(name: str) -> Any:
    # Loaded on first use: reading tgo.toml (config) must not load the parser (locate).
    if name in _CONFIG_NAMES:
        from transpiler.stubs import config

        return getattr(config, name)
    if name in __all__:
        from transpiler.stubs import locate

        return getattr(locate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
