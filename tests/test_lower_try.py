"""Lowering ``?`` in ``var`` declarations: the forms it refuses, with a clear error.

What it produces is pinned by the golden cases (``tests/golden/try_*``,
``try_var_grouped`` for ``var ( ... )`` groups) and the line directives by
``test_line_directives.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transpiler.lower import lower_package
from transpiler.lower.edits import LowerError

HEAD = """package p

import "strconv"

func f(s string) (int, error) {
"""


def _lower(tmp_path: Path, body: str, check: bool = True) -> str:
    path = tmp_path / "p.tgo"
    path.write_text(HEAD + body + "}\n")
    result = lower_package([str(path)], check=check)
    assert result.ok, [d.text() for d in result.diagnostics]
    return result.outputs[str(path)]


@pytest.mark.parametrize(
    "body",
    [
        "\tvar (a = strconv.Atoi(s)?\n\t\tb = 1\n\t)\n\treturn a + b, nil\n",
        "\tvar (\n\t\ta = strconv.Atoi(s)?; b = 1\n\t)\n\treturn a + b, nil\n",
        "\tvar (\n\t\ta = 1\n\t\tb = strconv.Atoi(s)?)\n\treturn a + b, nil\n",
    ],
    ids=["after-paren", "two-specs", "before-paren"],
)
def test_a_group_whose_specs_share_a_line_is_refused(tmp_path: Path, body: str) -> None:
    with pytest.raises(LowerError, match="share a line"):
        _lower(tmp_path, body)


def test_code_after_the_groups_paren_is_refused(tmp_path: Path) -> None:
    body = "\tvar (\n\t\ta = strconv.Atoi(s)?\n\t); b := 1\n\treturn a + b, nil\n"
    with pytest.raises(LowerError, match=r"end the line there"):
        _lower(tmp_path, body)


def test_a_const_is_refused_even_unchecked(tmp_path: Path) -> None:
    # the checker reports bad-try; without the check, the lowering must not make a var of it
    body = "\tconst c = strconv.Atoi(s)?\n\treturn c, nil\n"
    with pytest.raises(LowerError, match="const declaration"):
        _lower(tmp_path, body, check=False)


def test_the_layout_gofmt_writes_lowers(tmp_path: Path) -> None:
    body = "\tvar (\n\t\ta = strconv.Atoi(s)?\n\t\tb = 1\n\t)\n\treturn a + b, nil\n"
    out = re.sub(r" ?/\*line [^*]*\*/", "", _lower(tmp_path, body))  # (the columns of the specs moved)
    assert "\tvar a, err = strconv.Atoi(s)\n" in out
    assert "\tvar b = 1\n" in out


def test_a_typed_var_whose_call_uses_the_name_it_declares_is_refused(tmp_path: Path) -> None:
    # `var n int` would come first and hide the parameter n from the call
    path = tmp_path / "p.tgo"
    path.write_text(HEAD.replace("s string", "n string") + "\tvar n int = strconv.Atoi(n)?\n\treturn n, nil\n}\n")
    with pytest.raises(LowerError, match="the call uses n, which the var declares"):
        lower_package([str(path)])
