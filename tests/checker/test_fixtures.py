"""Checker fixtures (spec §8): the checker's diagnostics agree exactly with ``// want:`` comments.

Each directory ``fixtures/<rule>/<case>/`` is one Go package of ``.tgo`` (and
``.go``) files.  A line where diagnostics are expected ends with a comment
``// want: code`` (several codes separated by commas); every other line must
get no diagnostic.  The want comment is the last ``//`` comment on its line, so
it may follow a ``//tgo:ignore`` directive inside the same comment
(``return p.V //tgo:ignore[x] // want: nil-deref, unused-ignore``).

Each fixture is one test (``test_checker_agrees[nil-deref/forms]``), compared
as a multiset of codes per file and line.  The comparisons skip only while
``transpiler.check.check_dir`` does not exist; the fixtures' own well-formedness
(they parse, the package is named after the directory, the codes exist) is
tested regardless.  See README.md beside this file for the judgement calls the
fixtures encode.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from transpiler.syntax import parse_source

FIXTURES = Path(__file__).parent / "fixtures"
SUFFIXES = (".tgo", ".go")

# The codes of spec §8 that a fixture may want ("syntax" never: fixtures parse).
CODES = frozenset(
    [
        "nil-deref",
        "nil-assign",
        "nil-init",
        "bad-nullable",
        "nonexhaustive",
        "bad-variant",
        "bad-enum",
        "bad-union",
        "bad-try",
        "unchecked-error",
        "enum-conversion",
        "unused-ignore",
    ]
)
# fixtures/<rule>/<case>: a rule is a code, or "realistic" (code that must check clean).
RULE_DIRS = CODES | {"realistic"}

Key = tuple[str, int]  # (file name inside the fixture, line)


def fixture_dirs() -> list[Path]:
    return sorted(d for d in FIXTURES.glob("*/*") if d.is_dir())


def fixture_id(d: Path) -> str:
    return f"{d.parent.name}/{d.name}"


def source_files(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if p.is_file() and p.suffix in SUFFIXES)


def want_codes(comment: str) -> list[str] | None:
    """The codes of a want comment (the text after the comment's last ``//``), or None."""
    tail = comment.rsplit("//", 1)[-1].strip()
    if not tail.startswith("want:"):
        return None
    return [c.strip() for c in tail[len("want:") :].split(",") if c.strip()]


def collect_wants(d: Path) -> tuple[Counter[tuple[str, int, str]], list[str]]:
    """Every wanted (file, line, code) of a fixture, and problems with the fixture itself."""
    wants: Counter[tuple[str, int, str]] = Counter()
    problems: list[str] = []
    for path in source_files(d):
        result = parse_source(path.read_bytes(), path.name)
        for diag in result.diagnostics:
            problems.append(f"{path.name}:{diag.line}:{diag.column}: syntax: {diag.message}")
        if result.tree is None:
            continue
        last_on_line: dict[int, str] = {}
        for comment in result.tree.comments:
            if not comment.text.startswith("//"):
                continue
            line, _ = result.source.position(comment.pos)
            last_on_line[line] = comment.text
        for line, text in sorted(last_on_line.items()):
            codes = want_codes(text)
            if codes is None:
                tail = text.rsplit("//", 1)[-1].strip()
                if "want:" in text or tail.startswith("want"):
                    problems.append(f"{path.name}:{line}: malformed want comment {text!r}")
                continue
            if not codes:
                problems.append(f"{path.name}:{line}: want comment without codes")
            for code in codes:
                if code not in CODES:
                    problems.append(f"{path.name}:{line}: unknown code {code!r} in want comment")
                wants[(path.name, line, code)] += 1
    return wants, problems


def load_check_dir() -> Callable[[str], list[Any]]:
    """``transpiler.check.check_dir``; skips the test only when it does not exist yet."""
    module = importlib.import_module("transpiler.check")  # an import that fails is a failure
    check_dir = getattr(module, "check_dir", None)
    if check_dir is None:
        pytest.skip("transpiler.check.check_dir is not implemented yet")
    return check_dir  # type: ignore[no-any-return]


def relative_name(fixture: Path, file: str) -> str:
    """The diagnostic's file as a name inside the fixture directory (else as reported)."""
    p = Path(file)
    if not p.is_absolute():
        p = Path.cwd() / p
    try:
        return str(p.resolve().relative_to(fixture.resolve()))
    except ValueError:
        return file


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=fixture_id)
def test_fixture_well_formed(fixture: Path) -> None:
    """The fixture is a valid package the agreement test can rely on."""
    assert fixture.parent.name in RULE_DIRS, f"unknown rule directory {fixture.parent.name!r}"
    assert fixture.name.isidentifier(), "the case directory must be a Go identifier (it names the package)"
    files = source_files(fixture)
    assert any(p.suffix == ".tgo" for p in files), "a fixture needs at least one .tgo file"
    _, problems = collect_wants(fixture)
    for path in files:
        tree = parse_source(path.read_bytes(), path.name).tree
        if tree is not None and tree.package.name != fixture.name:
            problems.append(f"{path.name}: package {tree.package.name}, want package {fixture.name}")
    assert not problems, "\n".join(problems)
    if fixture.parent.name == "realistic":
        wants, _ = collect_wants(fixture)
        assert not wants, "realistic fixtures must check clean: no want comments"


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=fixture_id)
def test_checker_agrees(fixture: Path) -> None:
    check_dir = load_check_dir()
    wants, problems = collect_wants(fixture)
    assert not problems, "malformed fixture:\n" + "\n".join(problems)

    got: Counter[tuple[str, int, str]] = Counter()
    described: dict[tuple[str, int, str], list[str]] = {}
    for d in check_dir(str(fixture)):
        key = (relative_name(fixture, d.file), d.line, d.code)
        got[key] += 1
        described.setdefault(key, []).append(f"{key[0]}:{d.line}:{d.column}: {d.code}: {d.message}")

    unexpected = got - wants
    missing = wants - got
    if not unexpected and not missing:
        return
    lines = [f"checker disagrees with the // want: comments of {fixture_id(fixture)}"]
    if unexpected:
        lines.append("unexpected diagnostics:")
        for key in sorted(unexpected):
            extra = unexpected[key]
            for text in described[key][-extra:]:
                lines.append(f"  {text}")
    if missing:
        lines.append("missing diagnostics:")
        for key in sorted(missing):
            for _ in range(missing[key]):
                lines.append(f"  {key[0]}:{key[1]}: {key[2]}")
    pytest.fail("\n".join(lines), pytrace=False)


def test_fixtures_exist() -> None:
    dirs = fixture_dirs()
    assert dirs, f"no fixtures under {FIXTURES}"
    rules = {d.parent.name for d in dirs}
    assert rules >= CODES, f"rules without fixtures: {sorted(CODES - rules)}"
