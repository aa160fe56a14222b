"""Output forms of diagnostics for ``tgo check`` (spec §8): text with a source excerpt, JSON, SARIF.

* ``render_text`` prints each diagnostic Go-style, ``file:line:col: severity: message [code]``,
  then the source line and a caret line under the column span::

      store/user.tgo:14:9: error: possible nil dereference: u has type ?*User [nil-deref]
        14 | 	return u.Name
           | 	       ^~~~~~

  Tabs before the span stay tabs in the caret line, so the caret sits under the
  span whatever the terminal's tab width; wide (East Asian) characters take two
  cells, combining marks none.  A span that runs onto later lines is underlined
  to the end of its first line.  Control characters of the source line (and the
  bidirectional overrides of "Trojan Source") show as ``?``.  ANSI colour (bold
  location, red ``error``, yellow ``warning``) only with ``color=True``: the CLI
  decides, from ``isatty`` and ``NO_COLOR``.
* ``render_json`` prints one JSON array whose elements have exactly the spec's keys.
* ``render_sarif`` prints a SARIF 2.1.0 log: one run, one rule per code of the
  registry.  SARIF counts columns in UTF-16 code units by default and tgo in
  bytes, so given the sources it converts (and says ``columnKind:
  utf16CodeUnits``); for a file it has no source of, it keeps the byte columns,
  which agree on ASCII lines.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from transpiler.diagnostics.codes import CODES, Severity
from transpiler.diagnostics.diagnostic import Diagnostic

if TYPE_CHECKING:  # a runtime import would cycle: syntax imports diagnostics
    from transpiler.syntax.source import SourceFile

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_COLOR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m"}

# Bidirectional controls that can make a displayed line differ from the code ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# --- text ---------------------------------------------------------------------


def render_text(diags: Iterable[Diagnostic], sources: Mapping[str, SourceFile], color: bool) -> str:
    """Each diagnostic as a header line plus, when its source is known, an excerpt and carets."""
    out: list[str] = []
    for d in diags:
        out.append(_header(d, color))
        src = sources.get(d.file)
        if src is not None and 1 <= d.line <= src.line_count:
            out.extend(_excerpt(d, src, color))
    return "".join(line + "\n" for line in out)


def _header(d: Diagnostic, color: bool) -> str:
    loc = f"{d.file}:{d.line}:{d.column}:"
    sev = f"{d.severity.value}:"
    if color:
        loc = f"{_BOLD}{loc}{_RESET}"
        sev = f"{_SEVERITY_COLOR[d.severity]}{sev}{_RESET}"
    return f"{loc} {sev} {d.message} [{d.code}]"


def _excerpt(d: Diagnostic, src: SourceFile, color: bool) -> list[str]:
    line = src.line_text(d.line)
    if line.endswith("\r"):
        line = line[:-1]
    shown = "".join(_shown(ch) for ch in line)
    begin = src.line_start(d.line)
    # the byte columns as character indices in the line (a column inside a multi-byte
    # character counts that character in at the end of the span)
    start = min(src.offset(d.line, d.column) - begin, len(line))
    if d.end_line == d.line:
        end = max(start, min(src.offset(d.line, d.end_column, round_up=True) - begin, len(line)))
    elif d.end_line > d.line:
        end = len(line)
    else:
        end = start
    prefix = "".join("\t" if ch == "\t" else " " * _width(ch) for ch in shown[:start])
    span = shown[start:end]
    # A tab inside the span stays a tab, so what follows it keeps its place.
    marks = "".join("\t" if ch == "\t" else "~" * _width(ch) for ch in span)
    marks = "^" + marks[1:] if marks and marks[0] == "~" else "^" + marks
    if color:
        marks = f"{_SEVERITY_COLOR[d.severity]}{marks}{_RESET}"
    number = str(d.line).rjust(4)
    gutter = " " * len(number)
    return [f"{number} | {shown}".rstrip(), f"{gutter} | {prefix}{marks}"]


def _shown(ch: str) -> str:
    if ch == "\t":
        return ch
    if ch in _BIDI or unicodedata.category(ch) == "Cc":
        return "?"
    return ch


def _width(ch: str) -> int:
    """Terminal cells taken by ``ch``."""
    if ch.isascii():
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# --- JSON ---------------------------------------------------------------------


def render_json(diags: Iterable[Diagnostic]) -> str:
    """One JSON array; each element has exactly the spec's eight keys."""
    return json.dumps([d.as_json() for d in diags], indent=2) + "\n"


# --- SARIF --------------------------------------------------------------------


def render_sarif(
    diags: Iterable[Diagnostic],
    tool_version: str,
    *,
    sources: Mapping[str, SourceFile] | None = None,
    information_uri: str | None = None,
) -> str:
    """A SARIF 2.1.0 log with one run of tgo; ``sources`` lets columns be given in UTF-16 units."""
    codes = list(CODES.values())
    index = {c.name: i for i, c in enumerate(codes)}
    driver: dict[str, object] = {"name": "tgo", "version": tool_version}
    if information_uri:
        driver["informationUri"] = information_uri
    driver["rules"] = [
        {
            "id": c.name,
            "shortDescription": {"text": c.summary},
            "defaultConfiguration": {"level": c.severity.value},
        }
        for c in codes
    ]
    results: list[dict[str, object]] = []
    for d in diags:
        result: dict[str, object] = {"ruleId": d.code}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        result["level"] = d.severity.value
        result["message"] = {"text": d.message}
        result["locations"] = [{"physicalLocation": _physical_location(d, (sources or {}).get(d.file))}]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _physical_location(d: Diagnostic, src: SourceFile | None) -> dict[str, object]:
    start_column = _utf16_column(src, d.line, d.column)
    end_line, end_column = d.end_line, d.end_column
    if (end_line, end_column) < (d.line, d.column):
        end_line, end_column = d.line, d.column
    end_column = _utf16_column(src, end_line, end_column)
    return {
        "artifactLocation": _artifact_location(d.file),
        "region": {
            "startLine": max(1, d.line),
            "startColumn": max(1, start_column),
            "endLine": max(1, end_line),
            "endColumn": max(1, end_column),
        },
    }


def _utf16_column(src: SourceFile | None, line: int, column: int) -> int:
    """1-based byte ``column`` of ``line`` as a 1-based column in UTF-16 code units (through
    ``SourceFile``); a column past the line's end (the newline, or the end of the file)
    keeps its excess, since SARIF allows a region to end there."""
    if src is None or not 1 <= line <= src.line_count:
        return column
    _, end_column = src.position(src.line_end(line))
    if column > end_column:
        return src.utf16_position(src.line_end(line))[1] + column - end_column
    return src.utf16_column(line, column)


def _artifact_location(path: str) -> dict[str, object]:
    import os
    import pathlib
    import urllib.parse

    if os.path.isabs(path):
        return {"uri": pathlib.Path(path).as_uri()}
    if os.sep == "\\" or os.altsep == "\\":
        path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return {"uri": urllib.parse.quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}
