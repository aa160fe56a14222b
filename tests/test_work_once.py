"""Work done once gives the same diagnostics, byte for byte: parsed stubs kept per content
(stubs/parsed.py: a check with the stub trees from memory or from the disk against one that
parsed every stub), and each block typed once (flowcheck.BLOCK_ONCE: against the quiet
fixed-point pass followed by a reporting pass), over the checker fixtures, the examples and
standard packages checked as strict .tgo files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from transpiler.check import check_files, check_parsed, flowcheck
from transpiler.check.files import package_files
from transpiler.stubs import parsed
from transpiler.stubs.locate import bundled_stub_dir
from transpiler.syntax import ast, parse_source

ROOT = Path(__file__).resolve().parent.parent


def _package_dirs() -> list[Path]:
    dirs = sorted(p for p in (ROOT / "tests" / "checker" / "fixtures").glob("*/*") if p.is_dir())
    for top in sorted((ROOT / "examples").iterdir()):
        dirs.extend(sorted({f.parent for f in top.rglob("*.tgo") if "testdata" not in f.parts}))
    return dirs


def _diagnostics(directories: list[Path]) -> str:
    """Every package's diagnostics (checked without the result cache), as JSON text."""
    out = []
    for d in directories:
        files = package_files(str(d))
        if files:
            out.append([d.name, [x.as_json() for x in check_files(files, use_cache=False).diagnostics]])
    return json.dumps(out)


@pytest.mark.slow
def test_cold_and_warm_stub_trees_give_the_same_diagnostics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    dirs = _package_dirs()
    assert len(dirs) > 80
    monkeypatch.setattr(parsed, "_memory", {})
    cold = _diagnostics(dirs)  # every stub parsed, and written
    entries = sorted((tmp_path / "cache" / "trees" / "stubs").glob("*.tree"))
    assert entries
    monkeypatch.setattr(parsed, "_memory", {})
    from_disk = _diagnostics(dirs)  # every stub loaded from its entry
    from_memory = _diagnostics(dirs)
    assert from_disk == cold
    assert from_memory == cold


def _same_tree(a: object, b: object) -> bool:
    if isinstance(a, ast.Node):
        return type(a) is type(b) and all(_same_tree(getattr(a, f), getattr(b, f)) for f in a._fields)  # type: ignore[attr-defined]
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same_tree(x, y) for x, y in zip(a, b, strict=True))
    if hasattr(a, "__slots__") and not isinstance(a, (str, int)):
        return type(a) is type(b) and all(getattr(a, s) == getattr(b, s) for s in a.__slots__)  # type: ignore[attr-defined]
    return a == b


def test_a_kept_tree_is_the_parsed_tree() -> None:
    stubs = bundled_stub_dir()
    assert stubs is not None
    for path in sorted(Path(stubs).glob("net/http/*.tgoi")) + sorted(Path(stubs).glob("go/types/*.tgoi")):
        data = path.read_bytes()
        result = parse_source(data, str(path))
        back = parsed.loads(parsed.dumps(result), str(path))
        assert back is not None
        assert back.source.text == result.source.text and back.source.name == str(path)
        assert _same_tree(result.tree, back.tree)


def test_a_damaged_entry_is_parsed_again_and_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(parsed, "_memory", {})
    path = str(tmp_path / "p.tgoi")
    data = b"//tgo:strict\npackage p\n\nfunc F() ?*int\n"
    first = parsed.parse_stub(path, data)
    (entry,) = (tmp_path / "cache" / "trees" / "stubs").glob("*.tree")
    good = entry.read_bytes()
    entry.write_bytes(good[:-3] + b"xyz")  # the seal no longer matches
    monkeypatch.setattr(parsed, "_memory", {})
    again = parsed.parse_stub(path, data)
    assert _same_tree(first.tree, again.tree)
    assert entry.read_bytes() == good  # written again
    # another content is another entry; a file with an error is not kept
    monkeypatch.setattr(parsed, "_memory", {})
    broken = parsed.parse_stub(path, b"package p\nfunc (\n")
    assert broken.tree is None and broken.diagnostics
    assert len(list((tmp_path / "cache" / "trees" / "stubs").glob("*.tree"))) == 1


STD_SAMPLE = ("encoding/json", "net/url", "bufio", "text/template", "go/scanner", "os", "crypto/tls")


def _std_diagnostics() -> str:
    """The diagnostics of a few standard packages checked as strict .tgo files (hundreds of
    them: dropped errors, nil dereferences)."""
    out = []
    for pkg in STD_SAMPLE:
        listed = subprocess.run(["go", "list", "-f", "{{.Dir}}\n{{join .GoFiles \" \"}}", pkg],
                                capture_output=True, text=True, check=True).stdout.splitlines()
        parsed = []
        for f in listed[1].split():
            name = os.path.join(listed[0], f) + ".tgo"
            data = Path(listed[0], f).read_bytes()
            parsed.append((parse_source(data, name), name))
        out.append([pkg, [d.as_json() for d in check_parsed(parsed).diagnostics]])
    return json.dumps(out)


@pytest.mark.slow
def test_each_block_typed_once_gives_the_same_diagnostics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    dirs = _package_dirs()
    monkeypatch.setattr(flowcheck, "BLOCK_ONCE", True)
    once = _diagnostics(dirs), _std_diagnostics()
    monkeypatch.setattr(flowcheck, "BLOCK_ONCE", False)
    twice = _diagnostics(dirs), _std_diagnostics()
    assert once[0] == twice[0]
    assert once[1] == twice[1]
    for text in once:  # (the comparison is not empty)
        assert '"code": "nil-deref"' in text


def test_after_an_edit_only_the_edited_file_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    pkg = tmp_path / "p"
    pkg.mkdir()
    (pkg / "a.tgo").write_text("package p\n\nfunc find() ?*int { return nil }\n\nfunc use() int {\n\tp := find()\n"
                               "\treturn *p\n}\n")
    (pkg / "b.tgo").write_text("package p\n\nfunc two() int {\n\treturn 2\n}\n")
    files = [str(pkg / "a.tgo"), str(pkg / "b.tgo")]
    first = check_files(files, stub_paths=[])  # a new session each time: as a new process
    parses: list[str] = []
    real = parsed.parse_source

    def counted(data: bytes, name: str) -> object:
        parses.append(os.path.basename(name))
        return real(data, name)

    real_partly = parsed._reparsed

    def partly(last: str, path: str, data: bytes) -> object:  # (the declarations an edit touched)
        parses.append(os.path.basename(path))
        return real_partly(last, path, data)

    monkeypatch.setattr(parsed, "parse_source", counted)
    monkeypatch.setattr(parsed, "_reparsed", partly)
    (pkg / "b.tgo").write_text("package p\n\nfunc two() int {\n\treturn 3\n}\n")
    second = check_files(files, stub_paths=[])
    assert parses == ["b.tgo"]
    assert [d.as_json() for d in second.diagnostics] == [d.as_json() for d in first.diagnostics]
    assert [d.code for d in second.diagnostics] == ["nil-deref"]
