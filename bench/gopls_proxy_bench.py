#!/usr/bin/env python3
"""Latency of hover, completion and definition through the gopls backend on a 2,000-line ``.tgo`` file.

Generates a package (``go.mod``, one ``.tgo`` file of about ``--lines`` lines with
``?*User`` values, ``f()?`` calls and an enum), starts ``GoplsBackend`` (the real gopls on
PATH) on it, gives it the checked package, and times ``--rounds`` requests of each kind
at positions spread over the file, through the backend (mapping both ways included).
Also the time of an edit typed into the view (``document_changed``, the Go view updated
and sent) followed by completion right after the ``.`` it typed. Prints the median and
p90 of each, in milliseconds. For orientation, not a test: the machine's load shows.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from transpiler.check.snapshot import Session
from transpiler.lsp.convert import position_of
from transpiler.lsp.gopls_backend import GoplsBackend
from transpiler.syntax.source import SourceFile

HEAD = """package app

import "errors"

type User struct {
	Name  string
	Email string
	Age   int
}

type Color enum {
	Red
	Green
	Blue
}

func find(ok bool) (?*User, error) {
	if !ok {
		return nil, errors.New("no user")
	}
	return &User{Name: "ann"}, nil
}
"""

FUNC = """
// Lookup{n} finds a user and says its name.
func Lookup{n}(ok bool) (string, error) {{
	u := find(ok)?
	if u == nil {{
		return "", nil
	}}
	name := u.Name
	if u.Age > {n} {{
		name += u.Email
	}}
	return name, nil
}}
"""


def generate(lines: int) -> str:
    parts = [HEAD]
    n = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(FUNC.format(n=n))
        n += 1
    return "".join(parts)


def p90(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.9) - 1)]


async def timed(fn: Callable[[], Awaitable[Any]], rounds: int) -> tuple[list[float], int]:
    times: list[float] = []
    answered = 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        got = await fn()
        times.append((time.perf_counter() - t0) * 1000)
        answered += bool(got)
    return times, answered


async def main(lines: int, rounds: int) -> None:
    root = os.path.realpath(tempfile.mkdtemp(prefix="tgo-gopls-bench-"))
    with open(os.path.join(root, "go.mod"), "w", encoding="utf-8") as f:
        f.write("module example.com/app\n\ngo 1.22\n")
    text = generate(lines)
    path = os.path.join(root, "model.tgo")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    backend = GoplsBackend()
    await backend.start(root, "utf-16", {})
    if backend.status is not None:
        raise SystemExit(f"gopls: {backend.status}")
    session = Session()
    await backend.document_changed(path, 1, text, None)
    t0 = time.perf_counter()
    check = session.snapshot({path: text}).check_package(root)
    t1 = time.perf_counter()
    await backend.package_checked(root, check, {path: 1})
    t2 = time.perf_counter()
    src = SourceFile(path, text)
    uri = "file://" + path
    calls = [i for i in range(len(text)) if text.startswith("find(ok)?", i)]
    names = [i for i in range(len(text)) if text.startswith("u.Name", i)]

    def at(offsets: list[int], i: int, delta: int = 0) -> dict[str, Any]:
        return {"textDocument": {"uri": uri}, "position": position_of(src, offsets[i % len(offsets)] + delta, "utf-16")}

    # gopls loads the package in the background: wait for the first answer
    for _ in range(200):
        if await backend.request("textDocument/hover", at(calls, 0)):
            break
        await asyncio.sleep(0.1)
    counter = iter(range(10**9))
    rows = []
    for label, method, offsets, delta in (("hover", "textDocument/hover", calls, 0),
                                          ("definition", "textDocument/definition", calls, 0),
                                          ("completion after u.", "textDocument/completion", names, 2)):
        def ask(m: str = method, o: list[int] = offsets, d: int = delta) -> Awaitable[Any]:
            return backend.request(m, at(o, next(counter) * 7, d))

        times, answered = await timed(ask, rounds)
        rows.append((label, statistics.median(times), p90(times), answered))
    version = 1

    async def edit_then_complete() -> Any:
        # the user deletes "Name" after a "u." and asks for completion there; then types it back
        nonlocal version
        k = names[next(counter) * 7 % len(names)] + 2
        start, end = position_of(src, k, "utf-16"), position_of(src, k + 4, "utf-16")
        version += 1
        await backend.document_changed(path, version, text[:k] + text[k + 4:],
                                       [{"range": {"start": start, "end": end}, "text": ""}])
        got = await backend.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": start})
        version += 1
        await backend.document_changed(path, version, text, [{"range": {"start": start, "end": start},
                                                              "text": "Name"}])
        return got

    times, answered = await timed(edit_then_complete, rounds)
    rows.append(("edit, then completion after u.", statistics.median(times), p90(times), answered))
    print(f"{lines}-line file ({text.count(chr(10))} lines), {len(check.result.diagnostics)} tgo diagnostics;"
          f" check {1000 * (t1 - t0):.0f} ms, lower for gopls {1000 * (t2 - t1):.0f} ms\n")
    print("| request | median ms | p90 ms | answered |\n|---|---|---|---|")
    for label, med, p, answered in rows:
        print(f"| {label} | {med:.1f} | {p:.1f} | {answered}/{rounds} |")
    await backend.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main(args.lines, args.rounds))
