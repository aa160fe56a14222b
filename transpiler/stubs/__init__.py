"""Stubs: ``.tgoi`` files holding a package's exported API in tgo syntax (spec §7).

* ``stubgen.generate(patterns, out_dir, ...)`` writes stubs for Go packages from
  their sources (``tgo stubgen``); ``stubgen.stub_text`` makes one stub's text.
* ``locate.find_stub(import_path, stub_paths)`` finds the stub files of an import,
  user stub directories first, then the bundled standard-library stubs;
  ``locate.module_root`` and ``locate.load_config`` read ``tgo.toml``;
  ``locate.load_stub`` parses a stub and reads its ``//tgo:`` directives.

The conventions (layout, ``//tgo:strict``, directives) are in docs/stubs.md.
"""

from transpiler.stubs.locate import (
    CONFIG_NAME,
    DIRECTIVE_ERRCHECK_EXEMPT,
    DIRECTIVE_NORETURN,
    STRICT_MARK,
    STUB_SUFFIX,
    Config,
    Stub,
    StubConfigError,
    bundled_stub_dir,
    find_stub,
    load_config,
    load_stub,
    module_root,
    stub_file_name,
)

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
