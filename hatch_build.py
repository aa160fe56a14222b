"""Wheel build hook: compile the native ``tgo`` launcher and the pipeline (mypyc).

The wheel installs two commands: ``tgo-py``, the Python command (a console script),
and ``tgo``. When Go is available where the wheel is built, on Linux or macOS,
``tgo`` is the native launcher, which answers a warm ``tgo build | run | test |
vet`` itself and execs ``tgo-py`` for everything else. Otherwise (or with
``TGO_NO_LAUNCHER=1``) ``tgo`` is a Python script that runs the same entry point as
``tgo-py``.

The pipeline's hot modules (the ``mypyc`` list of this hook's settings in
pyproject.toml: the scanner and parser, the type model, the checker, the lowering)
are compiled with mypyc into C extension modules, as mypy itself ships, when a C
compiler and mypyc are found; the ``.py`` sources ship beside them (tracebacks,
``inspect``), and Python imports the extension modules. Otherwise (or with
``TGO_NO_MYPYC=1``, or when mypyc fails) the pipeline is the pure-Python one, and
one line on stderr says why. Both forms give the same output byte for byte
(tests/test_compiled.py); ``tgo --version`` says ``(compiled)`` for the first.

The wheel is tagged for this interpreter and platform (``cp311-cp311-linux_x86_64``)
when the pipeline is compiled, for this platform (``py3-none-...``) when only the
launcher is built, and stays pure otherwise.
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LAUNCHER_SOURCE = os.path.join("transpiler", "toolchain", "launcher")
PYTHON_SCRIPT = "#!python\nfrom transpiler.fastpath import main\n\nmain()\n"
# What building the parse table the wheel ships needs (the runtime dependency's range).
TABLE_REQUIRES = "lark>=1.2,<2"
# What compiling the pipeline needs in the build environment (installed by the
# frontend through dependencies(), only when the pipeline is to be compiled). The same
# mypy as the dev extra's type checking, so that what mypyc compiles type-checks.
MYPYC_REQUIRES = ["mypy==2.4.1", "setuptools>=70"]


class LauncherHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        return [TABLE_REQUIRES] + ([] if _mypyc_off() else list(MYPYC_REQUIRES))

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._tmp = tempfile.mkdtemp(prefix="tgo-build-")
        target = os.path.join(self._tmp, "tgo")
        why = self._build_launcher(target)
        if why is None:
            # the launcher is a program for this platform; it does not depend on Python's ABI
            from packaging.tags import sys_tags

            build_data["pure_python"] = False
            build_data["tag"] = f"py3-none-{next(iter(sys_tags())).platform}"
        else:
            sys.stderr.write(f"tgo: the native launcher is not built ({why}); tgo is the Python command\n")
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(PYTHON_SCRIPT)
            os.chmod(target, 0o755)
        build_data.setdefault("shared_scripts", {})[target] = "tgo"

        why = self._ship_table(build_data)
        if why is not None:
            sys.stderr.write(f"tgo: the parse table is not shipped ({why}); the first run builds it\n")

        started = time.monotonic()
        built: dict[str, str] = {}
        why = "an editable install imports the sources" if version == "editable" else _mypyc_off()
        if why is None:
            built, why = self._compile_pipeline(os.path.join(self._tmp, "mypyc"))
        if why is None:
            # extension modules depend on this interpreter's ABI: cpXY-cpXY-platform
            build_data["pure_python"] = False
            build_data.pop("tag", None)
            build_data["infer_tag"] = True
            build_data.setdefault("force_include", {}).update(built)
            sys.stderr.write(f"tgo: the pipeline is compiled with mypyc ({len(built)} extension modules,"
                             f" {time.monotonic() - started:.0f} s)\n")
        else:
            sys.stderr.write(f"tgo: the pipeline is not compiled with mypyc ({why}); it is pure Python\n")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _ship_table(self, build_data: dict[str, Any]) -> str | None:
        """Build the parse table of the grammar (``transpiler/syntax/table.py``, with Lark) into
        the wheel's data, where a cold cache finds it; None, or why it was not."""
        sys.path.insert(0, self.root)
        try:
            from transpiler.syntax import table
        except ImportError as exc:
            return f"cannot load the table's module: {exc}"
        finally:
            sys.path.remove(self.root)
        text = table.grammar_text()
        try:
            data = table.table_bytes(table.build_table(text))
        except ImportError as exc:
            return f"Lark is not installed: {exc}"
        target = os.path.join(self._tmp, "table")
        with open(target, "wb") as fh:
            fh.write(data)
        build_data.setdefault("force_include", {})[target] = f"transpiler/_data/{table.table_name(text)}"
        return None

    def _build_launcher(self, target: str) -> str | None:
        """Compile the launcher to ``target``; None, or why it was not built."""
        if os.environ.get("TGO_NO_LAUNCHER"):
            return "TGO_NO_LAUNCHER is set"
        if not sys.platform.startswith(("linux", "darwin")):
            return f"not supported on {sys.platform}"
        go = os.environ.get("TGO_GO") or shutil.which("go")
        if not go:
            return "no go on PATH"
        env = dict(os.environ, CGO_ENABLED="0", GOFLAGS="-mod=mod", GOWORK="off")
        try:
            proc = subprocess.run(
                [go, "build", "-trimpath", "-ldflags=-s -w", "-o", target, "."],
                cwd=os.path.join(self.root, LAUNCHER_SOURCE),
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return f"go build failed: {exc}"
        if proc.returncode != 0:
            return f"go build failed: {proc.stderr.strip()}"
        return None

    def _mypyc_sources(self) -> list[str]:
        """The modules to compile (paths relative to the root): the ``mypyc`` entries of this
        hook's settings (directories or files), without those of ``mypyc-exclude``."""
        chosen: list[str] = []
        for entry in self.config.get("mypyc", []):
            if entry.endswith(".py"):
                chosen.append(entry)
            else:
                chosen += sorted(glob.glob(f"{entry}/**/*.py", root_dir=self.root, recursive=True))
        skip = set(self.config.get("mypyc-exclude", []))
        return [p for p in chosen if p not in skip and os.path.basename(p) not in skip]

    def _compile_pipeline(self, work: str) -> tuple[dict[str, str], str | None]:
        """Compile the pipeline with mypyc below ``work``: (the built extension modules, as
        force-include source -> path in the wheel; None), or ({}, why they were not built)."""
        try:
            import setuptools  # mypyc makes setuptools Extensions when setuptools is loaded
            from mypyc.build import mypycify
            from setuptools.command.build_ext import build_ext
        except ImportError as exc:
            return {}, f"mypyc is not installed: {exc}"
        sources = self._mypyc_sources()
        if not sources:
            return {}, "no modules are listed to compile"
        out, log = os.path.join(work, "lib"), io.StringIO()
        try:
            # mypyc reads the mypy settings of pyproject.toml and names modules from the
            # paths, relative to the current directory; its cache stays out of the tree
            with _cwd(self.root), _env(MYPY_CACHE_DIR=os.path.join(work, "mypy-cache")), \
                    contextlib.redirect_stdout(log):
                extensions = mypycify(sources, opt_level="3", multi_file=True,
                                      target_dir=os.path.join(work, "c"))
                dist = setuptools.Distribution({"name": "tgo-lang", "ext_modules": extensions})
                dist.cmdclass["build_ext"] = _parallel_build_ext(build_ext)
                cmd: Any = dist.get_command_obj("build_ext")
                cmd.build_lib, cmd.build_temp = out, os.path.join(work, "temp")
                cmd.ensure_finalized()
                cmd.run()
        except (Exception, SystemExit) as exc:  # mypyc reports its errors by exiting
            said = [line for line in log.getvalue().splitlines() if ": error:" in line]
            return {}, f"mypyc failed: {'; '.join(said[:3]) or exc or type(exc).__name__}"
        built = {
            os.path.join(dirpath, name): os.path.relpath(os.path.join(dirpath, name), out)
            for dirpath, _dirs, names in os.walk(out)
            for name in names
        }
        if len(built) <= len(sources):  # one per module, and the shared library
            return {}, f"mypyc built {len(built)} files for {len(sources)} modules"
        return built, None


def _mypyc_off() -> str | None:
    """Why the pipeline is not to be compiled here, before trying, or None."""
    if os.environ.get("TGO_NO_MYPYC"):
        return "TGO_NO_MYPYC is set"
    if sys.implementation.name != "cpython":
        return f"mypyc compiles for CPython, not {sys.implementation.name}"
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC")
    if isinstance(cc, str) and cc.strip():
        if shutil.which(shlex.split(cc)[0]) is None:
            return f"no C compiler: {shlex.split(cc)[0]} is not on PATH"
    elif sys.platform != "win32":  # MSVC is found by setuptools itself
        return "no C compiler is configured for this Python"
    return None


def _parallel_build_ext(base: Any) -> Any:
    """setuptools' ``build_ext`` compiling the C files of one extension in parallel: mypyc's
    multi-file output is one extension with a C file per module, and ``build_ext``'s own
    ``parallel`` only builds separate extensions side by side."""

    class BuildExt(base):  # type: ignore[misc]
        def build_extensions(self) -> None:
            serial: Callable[..., list[str]] = self.compiler.compile
            jobs = max(1, min(os.cpu_count() or 1, 8))

            def compile_parallel(sources: list[str], *args: Any, **kwargs: Any) -> list[str]:
                with ThreadPoolExecutor(jobs) as pool:
                    parts = list(pool.map(lambda src: serial([src], *args, **kwargs), sources))
                return [obj for part in parts for obj in part]

            self.compiler.compile = compile_parallel
            super().build_extensions()

    return BuildExt


@contextlib.contextmanager
def _cwd(path: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
