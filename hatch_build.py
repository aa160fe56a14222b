"""Wheel build hook: compile the native ``tgo`` launcher (transpiler/toolchain/launcher).

The wheel installs two commands: ``tgo-py``, the Python command (a console script),
and ``tgo``. When Go is available where the wheel is built, on Linux or macOS,
``tgo`` is the native launcher, which answers a warm ``tgo build | run | test |
vet`` itself and execs ``tgo-py`` for everything else; the wheel is then tagged
for this platform. Otherwise (or with ``TGO_NO_LAUNCHER=1``) ``tgo`` is a Python
script that runs the same entry point as ``tgo-py``, and the wheel stays pure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LAUNCHER_SOURCE = os.path.join("transpiler", "toolchain", "launcher")
PYTHON_SCRIPT = "#!python\nfrom transpiler.fastpath import main\n\nmain()\n"


class LauncherHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._tmp = tempfile.mkdtemp(prefix="tgo-launcher-")
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

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)

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
