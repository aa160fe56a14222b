"""Output forms of diagnostics: text with excerpt and carets, JSON, SARIF 2.1.0 (schema-valid)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from transpiler.diagnostics import codes
from transpiler.diagnostics.codes import CODES, Severity
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.diagnostics.render import SARIF_SCHEMA, render_json, render_sarif, render_text
from transpiler.syntax.source import SourceFile

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
JSON_KEYS = ["file", "line", "column", "end_line", "end_column", "severity", "code", "message"]


def diag(
    file: str,
    start: tuple[int, int],
    end: tuple[int, int] | None = None,
    code: codes.Code = codes.NIL_DEREF,
    message: str = "possible nil dereference: u has type ?*User",
    severity: Severity | None = None,
) -> Diagnostic:
    end = end or start
    return Diagnostic(file, start[0], start[1], end[0], end[1], severity or code.severity, code.name, message)


def src(name: str, text: str) -> dict[str, SourceFile]:
    return {name: SourceFile(name, text)}


def byte_col(line: str, char_index: int) -> int:
    return len(line[:char_index].encode()) + 1


# --- text ---------------------------------------------------------------------


def test_text_header_excerpt_and_caret() -> None:
    text = "package store\n\nfunc f(u ?*User) string {\n    return u.Name\n}\n"
    out = render_text([diag("store/user.tgo", (4, 12), (4, 18))], src("store/user.tgo", text), color=False)
    assert out == (
        "store/user.tgo:4:12: error: possible nil dereference: u has type ?*User [nil-deref]\n"
        "   4 |     return u.Name\n"
        "     |            ^~~~~~\n"
    )


def test_text_tabs_in_prefix_stay_tabs() -> None:
    text = "package p\nfunc f() {\n\t\tx := u.f\n}\n"
    out = render_text([diag("a.tgo", (3, 8), (3, 11))], src("a.tgo", text), color=False)
    lines = out.splitlines()
    assert lines[1] == "   3 | \t\tx := u.f"
    assert lines[2] == "     | \t\t     ^~~"
    # expanded with any tab width, the caret sits under `u`
    for width in (2, 4, 8):
        assert lines[2].expandtabs(width).index("^") == lines[1].expandtabs(width).index("u.f")


def test_text_multibyte_characters() -> None:
    line = '\ts := "日本語" + ü.x'
    text = f"package p\n{line}\n"
    start = line.index("ü")
    out = render_text([diag("a.tgo", (2, byte_col(line, start)), (2, byte_col(line, start + 3)))], src("a.tgo", text), False)
    assert out.splitlines()[0].startswith(f"a.tgo:2:{byte_col(line, start)}:")
    caret = out.splitlines()[2]
    # three wide CJK characters take two cells each: 6 cells, not 3 (nor their 9 bytes)
    assert caret == "     | \t" + " " * (len('s := "') + 6 + len('" + ')) + "^~~"


def test_text_column_inside_a_multibyte_character_ends_after_it() -> None:
    text = "x := é\n"
    # span from `é` (byte column 6) to the middle of it (byte column 7): one whole character
    out = render_text([diag("a.tgo", (1, 6), (1, 7))], src("a.tgo", text), False)
    assert out.splitlines()[2] == "     |      ^"


def test_text_zero_width_span_and_end_of_line() -> None:
    text = "x := (1 +\n"
    out = render_text([diag("a.tgo", (1, 10), code=codes.SYNTAX, message="unexpected newline")], src("a.tgo", text), False)
    assert out.splitlines()[2] == "     |          ^"


def test_text_multiline_span_underlines_to_end_of_line() -> None:
    text = "f(a,\n  b)\n"
    out = render_text([diag("a.tgo", (1, 1), (2, 5))], src("a.tgo", text), False)
    assert out.splitlines()[1:] == ["   1 | f(a,", "     | ^~~~"]


def test_text_without_source_is_header_only() -> None:
    d = diag("missing.tgo", (3, 1), code=codes.ENUM_CONVERSION, message="m")
    assert render_text([d], {}, False) == "missing.tgo:3:1: warning: m [enum-conversion]\n"
    assert render_text([diag("a.tgo", (9, 1))], src("a.tgo", "x\n"), False).count("\n") == 1
    assert render_text([], {}, True) == ""


def test_text_control_characters_are_not_sent_to_the_terminal() -> None:
    text = 'x := "\x1b[2J\u202e" + y\n'
    out = render_text([diag("a.tgo", (1, 1))], src("a.tgo", text), False)
    assert "\x1b" not in out and "\u202e" not in out
    assert out.splitlines()[1] == '   1 | x := "?[2J?" + y'


def test_text_crlf_line() -> None:
    out = render_text([diag("a.tgo", (1, 1), (1, 2))], src("a.tgo", "x := 1\r\ny\r\n"), False)
    assert out.splitlines()[1] == "   1 | x := 1"


def test_text_colour() -> None:
    text = "x := u.f\n"
    sources = src("a.tgo", text)
    err = diag("a.tgo", (1, 6), (1, 7))
    warn = diag("a.tgo", (1, 1), code=codes.UNUSED_IGNORE, message="//tgo:ignore silences nothing")
    plain = render_text([err, warn], sources, color=False)
    assert "\x1b" not in plain
    coloured = render_text([err, warn], sources, color=True)
    assert "\x1b[1ma.tgo:1:6:\x1b[0m \x1b[1;31merror:\x1b[0m possible nil dereference" in coloured
    assert "\x1b[1ma.tgo:1:1:\x1b[0m \x1b[1;33mwarning:\x1b[0m //tgo:ignore silences nothing" in coloured
    assert "\x1b[1;31m^\x1b[0m" in coloured
    # without the escapes, colour changes nothing
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# --- JSON ---------------------------------------------------------------------


def test_json_keys_exact() -> None:
    ds = [diag("a.tgo", (1, 2), (1, 5)), diag("b/c.tgo", (3, 1), code=codes.ENUM_CONVERSION, message="é")]
    data = json.loads(render_json(ds))
    assert isinstance(data, list) and len(data) == 2
    for element in data:
        assert list(element) == JSON_KEYS
    assert data[0] == {
        "file": "a.tgo", "line": 1, "column": 2, "end_line": 1, "end_column": 5,
        "severity": "error", "code": "nil-deref", "message": "possible nil dereference: u has type ?*User",
    }
    assert data[1]["severity"] == "warning" and data[1]["message"] == "é"
    assert json.loads(render_json([])) == []


# --- SARIF --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_schema_file_is_the_oasis_2_1_0_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"] == SARIF_SCHEMA
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_sarif_empty_is_valid(sarif_validator: Any) -> None:
    log = json.loads(render_sarif([], "1.2.3"))
    sarif_validator.validate(log)
    assert log["$schema"] == SARIF_SCHEMA and log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["results"] == []
    driver = run["tool"]["driver"]
    assert driver["name"] == "tgo" and driver["version"] == "1.2.3"
    assert [r["id"] for r in driver["rules"]] == list(CODES)
    for rule, code in zip(driver["rules"], CODES.values(), strict=True):
        assert rule["shortDescription"] == {"text": code.summary}
        assert rule["defaultConfiguration"] == {"level": code.severity.value}


def test_sarif_results(sarif_validator: Any) -> None:
    ds = [
        diag("store/user.tgo", (14, 9), (14, 15)),
        diag("./store/other.tgo", (2, 1), (3, 4), code=codes.ENUM_CONVERSION, message="conversion"),
        diag("dir with space/x#1.tgo", (1, 1), code=codes.UNUSED_IGNORE, severity=Severity.ERROR, message="m"),
    ]
    log = json.loads(render_sarif(ds, "0.1.0", information_uri="https://example.org/tgo"))
    sarif_validator.validate(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["informationUri"] == "https://example.org/tgo"
    assert run["columnKind"] == "utf16CodeUnits"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    r0, r1, r2 = run["results"]
    assert r0["ruleId"] == "nil-deref" and rule_ids[r0["ruleIndex"]] == "nil-deref"
    assert r0["level"] == "error" and r0["message"] == {"text": "possible nil dereference: u has type ?*User"}
    assert r0["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "store/user.tgo", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 14, "startColumn": 9, "endLine": 14, "endColumn": 15},
            }
        }
    ]
    assert r1["level"] == "warning" and rule_ids[r1["ruleIndex"]] == "enum-conversion"
    loc1 = r1["locations"][0]["physicalLocation"]
    assert loc1["artifactLocation"]["uri"] == "store/other.tgo"
    assert loc1["region"] == {"startLine": 2, "startColumn": 1, "endLine": 3, "endColumn": 4}
    # the diagnostic's own severity wins over the rule's default
    assert r2["level"] == "error"
    assert r2["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/x%231.tgo"


def test_sarif_columns_in_utf16_units(sarif_validator: Any) -> None:
    line = 's := "日本😀" + u.f'
    text = f"package p\n{line}\n"
    start = line.index("u.f")
    d = diag("a.tgo", (2, byte_col(line, start)), (2, byte_col(line, start + 3)))
    assert d.column == len('s := "') + 3 * 2 + 4 + len('" + ') + 1  # bytes: CJK 3 each, emoji 4
    log = json.loads(render_sarif([d], "0.1.0", sources=src("a.tgo", text)))
    sarif_validator.validate(log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    units = len('s := "') + 2 + 2 + len('" + ')  # CJK one unit each, the emoji a surrogate pair
    assert region == {"startLine": 2, "startColumn": units + 1, "endLine": 2, "endColumn": units + 4}
    # past the end of the line (an error at the newline) stays past the end
    at_eol = diag("a.tgo", (2, len(line.encode()) + 1))
    region = json.loads(render_sarif([at_eol], "0", sources=src("a.tgo", text)))["runs"][0]["results"][0][
        "locations"
    ][0]["physicalLocation"]["region"]
    assert region["startColumn"] == len(line.encode("utf-16-le")) // 2 + 1
    # without the source the byte columns are kept
    log = json.loads(render_sarif([d], "0.1.0"))
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == d.column


def test_sarif_absolute_path_is_a_file_uri(sarif_validator: Any, tmp_path: Path) -> None:
    path = str(tmp_path / "a.tgo")
    log = json.loads(render_sarif([diag(path, (1, 1))], "0.1.0"))
    sarif_validator.validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": Path(path).as_uri()}


def test_sarif_invalid_document_is_rejected(sarif_validator: Any) -> None:
    """The validator really checks: a result without a message fails."""
    log = json.loads(render_sarif([diag("a.tgo", (1, 1))], "0.1.0"))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator.validate(log)
