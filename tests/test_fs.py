"""The file-system layer (transpiler/fs): disk, overlay, recorder, discovery, the atomic writer."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from transpiler.check.files import package_files, packages
from transpiler.fs import DISK, FileRejected, OverlayFS, RecordingFS, replacing, write_atomic
from transpiler.fs.modules import find_module, module_files, module_roots, walk


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_overlay_reads_memory_and_lists_new_files(tmp_path: Path) -> None:
    _tree(tmp_path, {"p/a.tgo": "package p\n", "p/b.go": "package p\n"})
    pdir = str(tmp_path / "p")
    fs = OverlayFS(DISK, {os.path.join(pdir, "a.tgo"): b"package p // edited\n",
                          os.path.join(pdir, "new.tgo"): b"package p\n",
                          str(tmp_path / "q" / "only.tgo"): b"package q\n"})
    assert fs.read(os.path.join(pdir, "a.tgo")) == b"package p // edited\n"
    assert fs.read(os.path.join(pdir, "b.go")) == b"package p\n"
    assert fs.listdir(pdir) == ["a.tgo", "b.go", "new.tgo"]
    assert package_files(pdir, fs) == [os.path.join(pdir, n) for n in ("a.tgo", "b.go", "new.tgo")]
    assert package_files(pdir) == [os.path.join(pdir, n) for n in ("a.tgo", "b.go")]
    # a directory that only the overlay has
    assert fs.is_dir(str(tmp_path / "q")) and not DISK.is_dir(str(tmp_path / "q"))
    assert "q" in fs.listdir(str(tmp_path))
    assert [d for d, _ in walk(str(tmp_path), fs)] == [str(tmp_path), pdir, str(tmp_path / "q")]
    with pytest.raises(FileNotFoundError):
        fs.listdir(str(tmp_path / "nothing"))
    with pytest.raises(FileRejected):
        fs.read(os.path.join(pdir, "a.tgo"), limit=4)
    assert fs.read(os.path.join(pdir, "a.tgo"), head=7) == b"package"


def test_recording_fs_records_reads_with_hashes(tmp_path: Path) -> None:
    _tree(tmp_path, {"go.mod": "module example.com/m\n", "p/a.tgo": "package p\n"})
    seen: list[str] = []
    fs = RecordingFS(DISK, lambda paths: seen.extend(paths))
    assert find_module(str(tmp_path / "p"), fs) == (str(tmp_path), "example.com/m")
    gomod = str(tmp_path / "go.mod")
    assert fs.reads[gomod] == hashlib.sha256(b"module example.com/m\n").hexdigest()
    assert str(tmp_path / "p" / "go.mod") in fs.probed  # (absent: a search that found it above)
    assert gomod in seen and str(tmp_path / "p" / "go.mod") in seen


def test_walk_skips_as_go_does(tmp_path: Path) -> None:
    _tree(tmp_path, {"go.mod": "module m\n", "a/x.go": "", "a/testdata/t.go": "", "_h/x.go": "", ".g/x.go": "",
                     "vendor/v/x.go": "", "nested/go.mod": "module n\n", "nested/y/x.go": "", "b/c/x.go": ""})
    (tmp_path / "link").symlink_to(tmp_path / "b")
    top = str(tmp_path)
    want_all = [top, *(str(tmp_path / d) for d in ("a", "b", "b/c", "nested", "nested/y"))]
    assert [d for d, _ in walk(top)] == want_all
    assert [d for d, _ in walk(top, skip_modules=True)] == [top, *(str(tmp_path / d) for d in ("a", "b", "b/c"))]
    # `tgo check ./...` walks with it: the same directories as before the walker was shared
    groups, problems = packages([top + "/..."])
    assert problems == []
    assert [os.path.dirname(g[0]) for g in groups] == [str(tmp_path / d) for d in ("a", "b/c", "nested/y")]


def test_go_work_and_module_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOWORK", raising=False)
    _tree(tmp_path, {"go.work": "go 1.26\n\nuse (\n\t./a // the first\n\t\"./b\"\n)\n", "a/go.mod": "module a\n",
                     "b/go.mod": "module b\n", "a/go.sum": ""})
    assert module_roots(str(tmp_path / "a")) == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert module_files(str(tmp_path / "a")) == [str(tmp_path / "a" / "go.mod"), str(tmp_path / "a" / "go.sum"),
                                                 str(tmp_path / "go.work")]
    monkeypatch.setenv("GOWORK", "off")
    assert module_roots(str(tmp_path / "a")) == [str(tmp_path / "a")]


def test_atomic_writer(tmp_path: Path) -> None:
    target = tmp_path / "d" / "e" / "f.txt"
    write_atomic(str(target), b"one", mode=0o640, dir_mode=0o700)
    assert target.read_bytes() == b"one" and (target.stat().st_mode & 0o777) == 0o640
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o700
    with pytest.raises(RuntimeError), replacing(str(target)) as tmp:
        Path(tmp).write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"one"
    assert sorted(os.listdir(target.parent)) == ["f.txt"]  # the temporary file is gone


def test_launch_records_note_what_discovery_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the witness of a go command reads through a RecordingFS: the walk, the go.mod search
    # and the files of each package are noted without a hand-placed note for each
    from transpiler.toolchain import gocmd, launchrec

    monkeypatch.delenv("GOWORK", raising=False)
    _tree(tmp_path, {"go.mod": "module m\n", "a/x.tgo": "package a\n", "a/gone_tgo.go": "// Code generated by tgo\n",
                     "nested/go.mod": "module n\n", "nested/y.tgo": "package y\n", "b/README": ""})
    witness = launchrec.Witness()
    monkeypatch.setattr(launchrec, "current", witness)
    monkeypatch.chdir(tmp_path)
    assert gocmd.package_dirs(str(tmp_path / "a"), ["./..."]) == [str(tmp_path / "a")]
    members, stale = gocmd._package_members(str(tmp_path / "a"), str(tmp_path))
    assert members == [os.path.join("a", "x.tgo")] and stale == [str(tmp_path / "a" / "gone_tgo.go")]
    noted = set(witness.paths)
    assert {str(tmp_path / "go.mod"), str(tmp_path / "a" / "go.mod"),  # the upward search, found and not
            str(tmp_path), str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "nested"),  # the walk
            str(tmp_path / "a" / "x.tgo"), str(tmp_path / "a" / "gone_tgo.go")} <= noted
    assert str(tmp_path / "b" / "README") not in noted  # (a listed directory notes its entries' set only)
    assert str(tmp_path / "nested" / "y.tgo") not in noted  # (another module: not walked into)
