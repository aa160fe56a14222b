#!/usr/bin/env python3
"""Language-server benchmark: ``tgo lsp`` driven by a real LSP client on a 2,000-line ``.tgo`` file, or a package.

Measures, on the synthetic package of ``check_bench.py`` cut to one file of about 2,000
lines (the shape issue 12 names; ``--files N``: N such files, a strict package), or on a
standard package copied as oblivious ``.tgo`` files into a symlinked GOROOT as
``vet_bench.py`` makes it (``--stdlib net/http``: the edits in its largest file, in its
first function body; issue 15's net/http-size re-check):

(a) start to first diagnostics: from starting the server process to the first
    ``publishDiagnostics`` of the opened file (initialize, open, check);
(b) edit to tgo diagnostics: an incremental edit inside a function body (a statement
    inserted, then removed, alternately, so the file stays valid), timed to the first
    publication tagged with the edit's version; each edit waits for its diagnostics;
(c) completion, hover and definition through the gopls proxy on positions of the file
    (after ``strings.``, on ``TrimSpace``, on a use of the file's ``Account`` type), timed
    to the answer; answers that come back empty are counted and reported;
(d) resident memory (VmRSS) of the server and of its gopls after the edits;
(e) the server's CPU time (user + system, from /proc) over the edits, per edit: what a
    shared machine's wall time hides. The edits start once the server is idle (the full
    check that follows the first diagnostics done). ``--pause S`` waits S seconds after each edit's
    diagnostics before the next edit (past the server's FULL_DELAY, the full check with
    recorded types runs between edits, as when the user stops typing for a moment).

Figures are medians and 90th percentiles over the runs, wall time on this machine;
``--write-docs`` replaces the "## Language server" section of docs/benchmarks.md. Not a
test: nothing here fails on a slow figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.check_bench import write_synth_package  # noqa: E402
from bench.docs_section import replace_section, without_notes  # noqa: E402
from bench.vet_bench import _FUNC_LINE, TGO_COPY, make_copies, make_goroot  # noqa: E402

HEADING = "## Language server"


@dataclass
class Figures:
    lines: int = 0
    package_lines: int = 0
    package_files: int = 0
    what: str = ""
    start_to_diagnostics: float = 0.0
    edits: list[float] = field(default_factory=list)
    edit_cpu: float = 0.0  # the server's CPU seconds per edit
    completion: list[float] = field(default_factory=list)
    hover: list[float] = field(default_factory=list)
    definition: list[float] = field(default_factory=list)
    empty: dict[str, int] = field(default_factory=dict)
    rss_server_mb: float = 0.0
    rss_gopls_mb: float = 0.0
    gopls: str = ""


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def idle(pid: int, quiet: float = 0.02, every: float = 0.5, limit: float = 120.0) -> None:
    """Wait until process ``pid`` used less than ``quiet`` CPU seconds in ``every`` seconds."""
    start = time.perf_counter()
    last = cpu_seconds(pid)
    while time.perf_counter() - start < limit:
        await asyncio.sleep(every)
        now = cpu_seconds(pid)
        if now - last < quiet:
            return
        last = now


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def position(text: str, offset: int) -> lsp.Position:
    """The UTF-16 position of ``offset`` (the synthetic file is ASCII: characters are units)."""
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("tgo-lsp-bench", "1")
        self.published: dict[int | None, float] = {}
        self.waiters: dict[int | None, asyncio.Future[float]] = {}

        @self.feature(  # type: ignore[untyped-decorator]
            lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: lsp.PublishDiagnosticsParams) -> None:
            now = time.perf_counter()
            self.published.setdefault(params.version, now)
            w = self.waiters.pop(params.version, None)
            if w is not None and not w.done():
                w.set_result(now)

        @self.feature(  # type: ignore[untyped-decorator]
            lsp.WINDOW_SHOW_MESSAGE)
        def _message(params: lsp.ShowMessageParams) -> None:
            print(f"server says: {params.message}", file=sys.stderr)

        @self.feature(  # type: ignore[untyped-decorator]
            lsp.WINDOW_LOG_MESSAGE)
        def _log(params: lsp.LogMessageParams) -> None:
            return None

    async def diagnostics_of(self, version: int, timeout: float = 30.0) -> float:
        if version in self.published:
            return self.published[version]
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[version] = fut
        return await asyncio.wait_for(fut, timeout)


async def timed(fig: Figures, kind: str, runs: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        res = await call()
        out.append(time.perf_counter() - t0)
        empty = res is None or (isinstance(res, (list, lsp.CompletionList)) and not (
            res.items if isinstance(res, lsp.CompletionList) else res))
        if empty:
            fig.empty[kind] = fig.empty.get(kind, 0) + 1
    return out


async def run(args: argparse.Namespace) -> Figures:
    fig = Figures()
    with tempfile.TemporaryDirectory(prefix="tgo-lsp-bench-") as tmp:
        env = dict(os.environ)
        if args.stdlib:
            go = shutil.which("go")
            assert go is not None, "go is not on PATH"
            env.pop("GOFLAGS", None)
            env["GOROOT"] = str(make_goroot(Path(tmp), go))
            pkg = make_copies(Path(env["GOROOT"]), args.stdlib, go, env)
            root = pkg.tgo_dir
            paths = sorted(root.glob("*.tgo"))
            path = root / (pkg.edit_file + ".tgo")
            fig.what = f"`{args.stdlib}` as oblivious .tgo files ({TGO_COPY}, in a symlinked GOROOT)"
        else:
            root = Path(tmp)
            paths = write_synth_package(root, args.files, args.lines, seed=7)
            path = paths[0]
            fig.what = ("the synthetic package of `check_bench.py`, one file" if args.files == 1 else
                        f"the synthetic package of `check_bench.py`, {args.files} strict files")
        text = path.read_text()
        fig.lines = text.count("\n")
        fig.package_files = len(paths)
        fig.package_lines = sum(p.read_text().count("\n") for p in paths)
        uri = path.as_uri()
        client = Client()
        t0 = time.perf_counter()
        await client.start_io(*args.server, env=env, cwd=str(root))
        server = client._server  # the asyncio subprocess pygls started
        drain = asyncio.create_task(_drain(server.stderr if server is not None else None))
        await client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(
                position_encodings=[lsp.PositionEncodingKind.Utf16])),
            root_uri=root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name="bench")],
            initialization_options={"gopls": {"enabled": not args.no_gopls}}))
        client.initialized(lsp.InitializedParams())
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="tgo", version=1, text=text)))
        fig.start_to_diagnostics = await client.diagnostics_of(1, timeout=120) - t0

        # (b) edits: insert a statement at the start of a body line, then remove it
        body = re.search(r"^func NewAccount\d+\(.*\{\n" if not args.stdlib else _FUNC_LINE.pattern.decode(),
                         text, re.M)
        assert body is not None
        at = position(text, body.end())
        stmt = "\t_ = 0\n"
        version = 1
        server_pid = server.pid if server is not None else 0
        await idle(server_pid)  # the full check after the first diagnostics done
        cpu0 = cpu_seconds(server_pid)
        for k in range(args.edits):
            if k and args.pause:
                await asyncio.sleep(args.pause)
            version += 1
            if k % 2 == 0:
                change = lsp.TextDocumentContentChangePartial(range=lsp.Range(at, at), text=stmt)
            else:
                end = lsp.Position(at.line + 1, 0)
                change = lsp.TextDocumentContentChangePartial(range=lsp.Range(at, end), text="")
            t = time.perf_counter()
            client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
            fig.edits.append(await client.diagnostics_of(version) - t)
        fig.edit_cpu = (cpu_seconds(server_pid) - cpu0) / max(1, args.edits)
        if args.edits % 2:  # leave the file as it was on disk
            version += 1
            client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(at, lsp.Position(at.line + 1, 0)), text="")]))
            await client.diagnostics_of(version)
        fig.rss_server_mb = rss_mb(server_pid)
        kids = [p for p in children(server_pid) if "gopls" in Path(f"/proc/{p}/cmdline").read_bytes().decode()]
        fig.rss_gopls_mb = sum(rss_mb(p) for p in kids)
        fig.gopls = "running" if kids else "not running"

        if not args.stdlib and args.requests:
            await _requests(client, fig, args, uri, text)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()  # type: ignore[no-untyped-call]
        drain.cancel()
    return fig


async def _requests(client: Client, fig: Figures, args: argparse.Namespace, uri: str, text: str) -> None:
    """(c): completion, hover and definition through the gopls proxy, on the synthetic file."""
    doc = lsp.TextDocumentIdentifier(uri=uri)
    after_dot = text.index("strings.") + len("strings.")
    trim = text.index("TrimSpace", after_dot - 1) + 2
    acct = re.search(r"\*(Account\d+)\s*\{", text)
    assert acct is not None
    use = acct.start(1) + 1
    await asyncio.sleep(args.settle)  # let gopls load the package before timing it

    def completion() -> Awaitable[object]:
        return client.text_document_completion_async(
            lsp.CompletionParams(doc, position(text, after_dot)))

    def hover() -> Awaitable[object]:
        return client.text_document_hover_async(lsp.HoverParams(doc, position(text, trim)))

    def definition() -> Awaitable[object]:
        return client.text_document_definition_async(lsp.DefinitionParams(doc, position(text, use)))

    fig.completion = await timed(fig, "completion", args.requests, completion)
    fig.hover = await timed(fig, "hover", args.requests, hover)
    fig.definition = await timed(fig, "definition", args.requests, definition)


async def _drain(stream: asyncio.StreamReader | None) -> None:
    """Read the server's stderr (its log) so that a full pipe never blocks it."""
    while stream is not None and await stream.read(65536):
        pass


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


def report(fig: Figures, args: argparse.Namespace) -> str:
    rows = [
        ("start to first diagnostics", [fig.start_to_diagnostics], "≤ 1.5 s"),
        (f"edit → tgo diagnostics ({len(fig.edits)} edits)", fig.edits, "≤ 100 ms median"),
        ("the first edit → tgo diagnostics", fig.edits[:1], ""),
        (f"completion via gopls ({len(fig.completion)})", fig.completion, "≤ 50 ms median"),
        (f"hover via gopls ({len(fig.hover)})", fig.hover, "≤ 50 ms median"),
        (f"definition via gopls ({len(fig.definition)})", fig.definition, "≤ 50 ms median"),
    ]
    out = [HEADING, "",
           f"`python bench/lsp_bench.py {' '.join(without_notes(sys.argv[1:]))}`".replace(" `", "`"),
           f"on {fig.what}: {fig.package_files} files, {fig.package_lines:,} lines, the edits in a "
           f"{fig.lines:,}-line file; a real LSP client (pygls) against `tgo lsp`; wall time on this machine"
           + (f", {args.pause} s between an edit's diagnostics and the next edit" if args.pause else "")
           + f"; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end.", "",
           "| measure | median | p90 | target |", "|---|---|---|---|"]
    for name, xs, target in rows:
        if xs:
            out.append(f"| {name} | {ms(statistics.median(xs))} | {ms(pct(xs, 0.9))} | {target} |")
    out += ["", f"Server CPU time per edit (user + system, the edits' total over their number): "
            f"{fig.edit_cpu * 1000:.0f} ms."]
    out += ["", f"Memory after the edits: server {fig.rss_server_mb:.0f} MB RSS, gopls "
            f"{fig.rss_gopls_mb:.0f} MB RSS (gopls {fig.gopls})."]
    if fig.empty:
        out.append("Empty answers: " + ", ".join(f"{k} {v}" for k, v in sorted(fig.empty.items())) + ".")
    for note in args.note:
        out.append(f"Note: {note}")
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--files", type=int, default=1, help="files of the synthetic package (each of --lines)")
    ap.add_argument("--stdlib", metavar="IMPORT_PATH", help="a standard package as oblivious .tgo files instead")
    ap.add_argument("--pause", type=float, default=0.0, help="seconds between an edit's diagnostics and the next")
    ap.add_argument("--heading", default=HEADING, help="the docs section --write-docs replaces")
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds to let gopls load before (c)")
    ap.add_argument("--no-gopls", action="store_true", help="start the server with gopls disabled")
    ap.add_argument("--server", nargs="+", default=[sys.executable, "-P", "-m", "transpiler", "lsp"])
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    if not os.environ.get("TGO_CACHE_DIR"):
        os.environ["TGO_CACHE_DIR"] = tempfile.mkdtemp(prefix="tgo-lsp-bench-cache-")
    fig = asyncio.run(run(args))
    text = report(fig, args)
    print(text)
    if args.write_docs:
        replace_section(args.heading, text.replace(HEADING, args.heading, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
