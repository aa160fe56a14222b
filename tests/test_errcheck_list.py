"""One errcheck-exemption list: ``stubgen.ERRCHECK_EXEMPT`` is the source, the bundled stubs'
``//tgo:errcheck-exempt`` directives (which the checker reads) are generated from it, and the
two must say exactly the same: no directive added by hand, no list entry left unwritten."""

from __future__ import annotations

from pathlib import Path

from transpiler.stubs import DIRECTIVE_ERRCHECK_EXEMPT, load_stub, stub_file_name
from transpiler.stubs.stubgen import ERRCHECK_EXEMPT

STUBS = Path(__file__).resolve().parent.parent / "stdlib_stubs"


def marked_in_stubs() -> dict[str, frozenset[str]]:
    """import path -> the declarations its bundled stub marks ``//tgo:errcheck-exempt``."""
    out = {}
    for path in sorted(STUBS.rglob("*.tgoi")):
        import_path = path.parent.relative_to(STUBS).as_posix()
        assert path == STUBS / stub_file_name(import_path)
        marked = frozenset(name for name, marks in load_stub(str(path)).directives.items()
                           if DIRECTIVE_ERRCHECK_EXEMPT in marks)
        if marked:
            out[import_path] = marked
    return out


def test_bundled_stubs_mark_exactly_the_list() -> None:
    marked = marked_in_stubs()
    assert len(marked) >= 10 and sum(map(len, marked.values())) >= 27  # not vacuous
    assert marked == ERRCHECK_EXEMPT
