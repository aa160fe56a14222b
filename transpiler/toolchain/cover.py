"""Coverage of .tgo packages: the cover tool's view of the overlay, and ``tgo tool cover``.

go does not pass ``-overlay`` to the cover tool: under ``-cover`` it hands it the
paths of the lowered files (``x_tgo.go``), which are only in the overlay, and the
tool cannot open them. ``toolexec_wrapper`` writes a small ``sh`` script, named by
its content in the build cache, that go runs in front of every tool
(``-toolexec``): it passes everything through unchanged, except that the cover
tool's arguments naming an overlaid file become the file the overlay maps it to.
The lowered files carry ``//line`` directives, so the cover tool records
positions in the ``.tgo`` files and the profile names them
(``example.com/m/x.tgo:12.2,14.3 1 1``). A ``-toolexec`` of the user's own is
run by the script in go's place.

``go tool cover`` cannot read such a profile: it parses each file it names with
go/parser, which does not know tgo's syntax. ``func_report`` and ``html_report``
are ``-func`` and ``-html`` for any profile, reading files with tgo's parser
(every Go file is a tgo file), with the cover tool's rules and output forms.
"""

from __future__ import annotations

import html
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from transpiler import caches
from transpiler.goexe import json_objects
from transpiler.syntax.source import SourceFile

COVER_FLAGS = frozenset({"cover", "coverprofile", "coverpkg", "covermode"})


class CoverError(Exception):
    """A profile or a file it names cannot be read: exit 2 with this message."""


# --- the cover tool under go -cover -------------------------------------------------------


def _sh_word(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def wrapper_script(replace: Mapping[str, str], user_toolexec: str | None) -> str:
    """The text of the ``-toolexec`` script for an overlay's replacements."""
    run = " ".join(_sh_word(w) for w in shlex.split(user_toolexec)) + " " if user_toolexec else ""
    lines = [
        "#!/bin/sh",
        "# Written by tgo: go runs each tool through this script (-toolexec). The cover tool",
        "# gets the lowered file in place of each path that tgo's overlay replaces.",
        'case "${1##*/}" in',
        "cover | cover.exe) ;;",
        f'*) exec {run}"$@" ;;',
        "esac",
        "n=$#",
        'for a in "$@"; do',
        '\tcase "$a" in',
    ]
    for target in sorted(replace):
        cached = replace[target]
        if cached and target.endswith(".go"):
            lines.append(f"\t{_sh_word(target)}) a={_sh_word(cached)} ;;")
    lines += [
        "\tesac",
        '\tset -- "$@" "$a"',
        "done",
        'shift "$n"',
        f'exec {run}"$@"',
    ]
    return "\n".join(lines) + "\n"


def toolexec_wrapper(replace: Mapping[str, str], user_toolexec: str | None, cache_dir: str) -> str:
    """Write the wrapper script (once per content) below ``cache_dir``; its path. Raises OSError."""
    path = caches.write_named(os.path.join(cache_dir, "toolexec"), wrapper_script(replace, user_toolexec).encode(),
                              ".sh")  # (verified against its name, written again if it does not match)
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o700)
    return path


# --- profiles ------------------------------------------------------------------------------


@dataclass
class Block:
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    num_stmt: int
    count: int


@dataclass
class Profile:
    file_name: str  # as the profile names it: import path / base name
    mode: str
    blocks: list[Block] = field(default_factory=list)


def parse_profiles(path: str) -> list[Profile]:
    """The profiles of a cover profile file, sorted by file name, blocks merged and sorted
    (golang.org/x/tools/cover.ParseProfiles)."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CoverError(f"{path}: {getattr(exc, 'strerror', None) or exc}") from exc
    mode = ""
    files: dict[str, dict[tuple[int, int, int, int], Block]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if not mode:
            if not line.startswith("mode: "):
                raise CoverError(f"{path}:{n}: bad mode line: {line}")
            mode = line[len("mode: ") :].strip()
            continue
        if line.startswith("mode: "):
            continue  # profiles concatenated by hand repeat it
        try:
            where, num, count = line.rsplit(" ", 2)
            name, _, span = where.rpartition(":")
            start, _, end = span.partition(",")
            sl, sc = (int(x) for x in start.split("."))
            el, ec = (int(x) for x in end.split("."))
            block = Block(sl, sc, el, ec, int(num), int(count))
        except ValueError:
            raise CoverError(f"{path}:{n}: line does not match the profile format: {line}") from None
        blocks = files.setdefault(name, {})
        key = (sl, sc, el, ec)
        old = blocks.get(key)
        if old is None:
            blocks[key] = block
        elif mode == "set":
            old.count |= block.count
        else:
            old.count += block.count
    if not mode:
        raise CoverError(f"{path}: no mode line: not a cover profile")
    return [
        Profile(name, mode, sorted(blocks.values(), key=lambda b: (b.start_line, b.start_col)))
        for name, blocks in sorted(files.items())
    ]


def package_dirs(import_paths: Sequence[str], go: str, cwd: str | None = None) -> dict[str, str]:
    """The directory of each import path, from ``go list`` (as the cover tool finds them)."""
    if not import_paths:
        return {}
    argv = [go, "list", "-e", "-json=ImportPath,Dir", "--", *sorted(set(import_paths))]
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, errors="replace", check=False,
                              timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CoverError(f"go list of the profile's packages failed: {exc}") from exc
    out = {str(obj.get("ImportPath")): str(obj["Dir"]) for obj in json_objects(proc.stdout) if obj.get("Dir")}
    missing = [p for p in import_paths if p not in out]
    if missing:
        # a package of only .tgo files has no Go files for go list: find it in the module
        from transpiler.fs.modules import find_module

        module = find_module(cwd or os.getcwd())
        if module is not None:
            root, mod_path = module
            for p in missing:
                if p == mod_path or p.startswith(mod_path + "/"):
                    out[p] = os.path.join(root, *p[len(mod_path) :].split("/"))
    return out


def find_file(dirs: Mapping[str, str], name: str) -> str:
    """The file a profile names: its package's directory and its base name."""
    pkg, _, base = name.rpartition("/")
    directory = dirs.get(pkg)
    if directory is not None:
        return os.path.join(directory, base)
    if os.path.isfile(name):
        return name
    raise CoverError(f"can't find {base!r}: no such package {pkg!r} (run from inside its module)")


# --- -func ------------------------------------------------------------------------------


@dataclass
class FuncExtent:
    name: str
    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def coverage(self, profile: Profile) -> tuple[int, int]:
        covered = total = 0
        for b in profile.blocks:
            if b.start_line > self.end_line or (b.start_line == self.end_line and b.start_col >= self.end_col):
                break
            if b.end_line < self.start_line or (b.end_line == self.start_line and b.end_col <= self.start_col):
                continue
            total += b.num_stmt
            if b.count > 0:
                covered += b.num_stmt
        return covered, total


def find_funcs(path: str) -> list[FuncExtent]:
    """The functions with bodies declared in a .go or .tgo file, with their extents."""
    from transpiler.syntax import ast, parse_file

    result = parse_file(path)
    if result.io_error is not None:
        raise CoverError(f"{path}: {result.io_error}")
    if result.tree is None:
        first = result.diagnostics[0].text() if result.diagnostics else f"{path}: does not parse"
        raise CoverError(first)
    src = result.source
    out: list[FuncExtent] = []
    for decl in result.tree.decls:
        if isinstance(decl, ast.FuncDecl) and decl.body is not None:
            sl, sc = src.position(decl.pos)
            el, ec = src.position(decl.end)
            out.append(FuncExtent(decl.name.name, sl, sc, el, ec))
    return out


def _percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 0.0


def tabwrite(rows: Sequence[Sequence[str]]) -> str:
    """Rows aligned as text/tabwriter aligns them with minwidth 1, tabwidth 8, padding 1 and
    tab padding (the cover tool's -func output)."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            w = len(cell) + 1
            if i == len(widths):
                widths.append(w)
            else:
                widths[i] = max(widths[i], w)
    widths = [(w + 7) // 8 * 8 for w in widths]
    out = []
    for row in rows:
        parts = [cell + "\t" * ((widths[i] - len(cell) + 7) // 8) for i, cell in enumerate(row[:-1])]
        out.append("".join(parts) + row[-1] + "\n")
    return "".join(out)


def func_report(profiles: Sequence[Profile], dirs: Mapping[str, str]) -> str:
    """``-func``: the coverage of each function, then the total."""
    rows: list[tuple[str, str, str]] = []
    covered_all = total_all = 0
    for profile in profiles:
        for f in find_funcs(find_file(dirs, profile.file_name)):
            covered, total = f.coverage(profile)
            rows.append((f"{profile.file_name}:{f.start_line}:", f.name, f"{_percent(covered, total):.1f}%"))
            covered_all += covered
            total_all += total
    rows.append(("total:", "(statements)", f"{_percent(covered_all, total_all):.1f}%"))
    return tabwrite(rows)


# --- -html --------------------------------------------------------------------------------

_STYLE = """body { background: black; color: rgb(80, 80, 80); }
body, pre, #legend span { font-family: Menlo, monospace; font-weight: bold; }
#topbar { background: black; position: fixed; top: 0; left: 0; right: 0; height: 42px;
  border-bottom: 1px solid rgb(80, 80, 80); }
#content { margin-top: 50px; }
#nav, #legend { float: left; margin-left: 10px; }
#legend { margin-top: 12px; }
#nav { margin-top: 10px; }
.cov0 { color: rgb(192, 0, 0) } .cov1 { color: rgb(128, 128, 128) }
.cov2 { color: rgb(116, 140, 131) } .cov3 { color: rgb(104, 152, 134) }
.cov4 { color: rgb(92, 164, 137) } .cov5 { color: rgb(80, 176, 140) }
.cov6 { color: rgb(68, 188, 143) } .cov7 { color: rgb(56, 200, 146) }
.cov8 { color: rgb(44, 212, 149) } .cov9 { color: rgb(32, 224, 152) }
.cov10 { color: rgb(20, 236, 155) }"""

_SCRIPT = """(function() {
  var files = document.getElementById('files');
  var visible;
  function select(n) {
    if (visible) { visible.style.display = 'none'; }
    visible = document.getElementById('file' + n);
    visible.style.display = 'block';
  }
  files.addEventListener('change', function() { select(files.selectedIndex); }, false);
  select(0);
})();"""


def _boundaries(profile: Profile, text: str) -> list[tuple[int, bool, int]]:
    """(offset, is start, norm 1..10 or 0) for each block, offsets into ``text``: the cover
    tool's Profile.Boundaries with its normalisation."""
    src = SourceFile("", text)
    max_count = max((b.count for b in profile.blocks), default=0)
    import math

    divisor = math.log(max_count) if max_count > 1 else 0.0

    def offset(line: int, col: int) -> int:
        # columns count bytes (a column past its line's end is the line's end)
        return src.offset(line, col) if 1 <= line <= src.line_count else -1

    out: list[tuple[int, bool, int]] = []
    for b in profile.blocks:
        if b.start_line == b.end_line and b.start_col == b.end_col:
            continue
        norm = 0
        if b.count > 0:
            norm = 10 if divisor == 0 else int(9 * math.log(b.count) / divisor) + 1
            norm = min(max(norm, 1), 10)
        start, end = offset(b.start_line, b.start_col), offset(b.end_line, b.end_col)
        if start < 0 or end < start:
            continue  # a block the //line mapping cannot place
        out.append((start, True, norm))
        out.append((end, False, 0))
    out.sort(key=lambda x: (x[0], not x[1]))
    return out


def _annotate(text: str, boundaries: list[tuple[int, bool, int]]) -> str:
    parts: list[str] = []
    pos = 0
    depth_norms: list[int] = []
    for off, is_start, norm in boundaries:
        parts.append(html.escape(text[pos:off], quote=False))
        pos = off
        if is_start:
            if depth_norms:
                parts.append("</span>")
            depth_norms.append(norm)
            parts.append(f'<span class="cov{norm}" title="{"covered" if norm else "not covered"}">')
        elif depth_norms:
            parts.append("</span>")
            depth_norms.pop()
            if depth_norms:
                n = depth_norms[-1]
                parts.append(f'<span class="cov{n}" title="{"covered" if n else "not covered"}">')
    parts.append(html.escape(text[pos:], quote=False))
    parts.extend("</span>" for _ in depth_norms)
    return "".join(parts)


def html_report(profiles: Sequence[Profile], dirs: Mapping[str, str]) -> str:
    """``-html``: a page with each file's source coloured by coverage."""
    options: list[str] = []
    bodies: list[str] = []
    for i, profile in enumerate(profiles):
        path = find_file(dirs, profile.file_name)
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError as exc:
            raise CoverError(f"{path}: {exc.strerror or exc}") from exc
        covered = sum(b.num_stmt for b in profile.blocks if b.count > 0)
        total = sum(b.num_stmt for b in profile.blocks)
        options.append(
            f'<option value="file{i}">{html.escape(profile.file_name)} ({_percent(covered, total):.1f}%)</option>'
        )
        body = _annotate(text, _boundaries(profile, text))
        bodies.append(f'<pre class="file" id="file{i}" style="display: none">{body}</pre>')
    legend = (
        '<span class="cov0">not covered</span> '
        + " ".join(f'<span class="cov{n}">{"covered" if n == 10 else "&#9632;"}</span>' for n in range(1, 11))
        if profiles and profiles[0].mode != "set"
        else '<span class="cov0">not covered</span> <span class="cov8">covered</span>'
    )
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>tgo coverage</title>\n"
        f"<style>\n{_STYLE}\n</style>\n</head>\n<body>\n<div id=\"topbar\">\n"
        f"<div id=\"nav\"><select id=\"files\">\n{chr(10).join(options)}\n</select></div>\n"
        f"<div id=\"legend\"><span>not tracked</span> {legend}</div>\n</div>\n"
        f"<div id=\"content\">\n{chr(10).join(bodies)}\n</div>\n"
        f"<script>\n{_SCRIPT}\n</script>\n</body>\n</html>\n"
    )


# --- tgo tool cover -----------------------------------------------------------------------


def cover_command(args: Sequence[str], go: str) -> int | None:
    """``tgo tool cover ARGS`` for ``-func`` and ``-html``: the exit status; None for every
    other use of the cover tool (go tool cover runs it). Raises CoverError."""
    func = page = out = None
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.lstrip("-").partition("=")
        if not arg.startswith("-") or name not in ("func", "html", "o"):
            return None
        if not eq:
            if i + 1 >= len(args):
                raise CoverError(f"flag needs an argument: {arg}")
            i += 1
            value = args[i]
        if name == "func":
            func = value
        elif name == "html":
            page = value
        else:
            out = value
        i += 1
    if (func is None) == (page is None):
        return None  # go tool cover says what is wrong
    profiles = parse_profiles(func or page or "")
    dirs = package_dirs([p.file_name.rpartition("/")[0] for p in profiles], go)
    if func is not None:
        text = func_report(profiles, dirs)
        if out is None:
            sys.stdout.write(text)
            return 0
    else:
        text = html_report(profiles, dirs)
    if out is None:
        import tempfile
        import webbrowser

        fd, out = tempfile.mkstemp(prefix="tgo-cover-", suffix=".html")
        os.close(fd)
        _write_report(out, text)
        sys.stderr.write(f"tgo: HTML coverage report written to {out}\n")
        webbrowser.open("file://" + out)
        return 0
    _write_report(out, text)
    return 0


def _write_report(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CoverError(f"{path}: {exc.strerror or exc}") from exc
