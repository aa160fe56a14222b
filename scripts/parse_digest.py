#!/usr/bin/env python3
"""Digest of what the parser makes of a corpus, to compare two builds of the parser.

For each file (every ``.go`` file under ``$(go env GOROOT)/src`` outside
``testdata``, ``--root``, or a fixed ``--sample``) and, with ``--mutate K``, K
damaged copies of it (a deterministic token deleted, duplicated or swapped, so
that the error recovery and the syntax messages are exercised too), it parses the
bytes with ``transpiler.syntax.parse_source`` and records a SHA-256 of the full
tree dump (``repr`` of the tree and of the partial tree: every node's class and
fields, positions and comments included) and of every diagnostic's text.

``record`` writes ``{case: digest}`` as JSON; ``compare A B`` lists the cases
whose digests differ and exits 1 if any does. Run ``record`` with each parser
(e.g. ``PYTHONPATH=/old/checkout python scripts/parse_digest.py record ...``).

Examples::

    python scripts/parse_digest.py record --out /tmp/new.json --mutate 2
    PYTHONPATH=/tmp/old python -P scripts/parse_digest.py record --out /tmp/old.json --mutate 2
    python scripts/parse_digest.py compare /tmp/old.json /tmp/new.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from scripts.parse_corpus import corpus_files, corpus_root, sample_files  # noqa: E402

# What a damaged copy does to one token: the scanner's tokens are located in the bytes
# by a crude split, which is all a mutation needs.
_MUTATIONS = ("delete", "duplicate", "swap", "brace")


def digest(data: bytes, name: str) -> str:
    """SHA-256 of the tree dump and the diagnostics of parsing ``data``."""
    from transpiler.syntax import parse_source

    result = parse_source(data, name)
    h = hashlib.sha256()
    h.update(repr(result.tree).encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(repr(result.partial).encode("utf-8", "surrogatepass"))
    for d in result.diagnostics:
        h.update(b"\0" + d.text().encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A copy of ``data`` with one small, deterministic piece of damage."""
    words = data.split(b" ")
    if len(words) < 3:
        return data + b"}"
    i = rng.randrange(1, len(words) - 1)
    kind = rng.choice(_MUTATIONS)
    if kind == "delete":
        del words[i]
    elif kind == "duplicate":
        words.insert(i, words[i])
    elif kind == "swap":
        words[i], words[i + 1] = words[i + 1], words[i]
    else:
        words.insert(i, rng.choice([b"{", b"}", b"(", b")", b"[", b",", b";", b":=", b"func", b"!"]))
    return b" ".join(words)


def _work(task: tuple[str, int, int]) -> list[tuple[str, str]]:
    path, mutations, seed = task
    data = Path(path).read_bytes()
    out = [(path, digest(data, path))]
    rng = random.Random(f"{seed}:{path}")
    for k in range(mutations):
        out.append((f"{path}#{k}", digest(mutate(data, rng), path)))
    return out


def record(files: Sequence[Path], mutations: int, seed: int, jobs: int) -> dict[str, str]:
    tasks = [(str(p), mutations, seed) for p in files]
    found: dict[str, str] = {}
    if jobs <= 1:
        for t in tasks:
            found.update(_work(t))
    else:
        with Pool(jobs) as pool:
            for batch in pool.imap_unordered(_work, tasks, chunksize=8):
                found.update(batch)
    return dict(sorted(found.items()))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record", help="parse the corpus and write the digests")
    rec.add_argument("--out", type=Path, required=True)
    rec.add_argument("--root", type=Path, help="corpus directory (default: $(go env GOROOT)/src)")
    rec.add_argument("--sample", type=int, metavar="N", help="a fixed random sample of N files")
    rec.add_argument("--seed", type=int, default=0, help="seed for --sample and the mutations")
    rec.add_argument("--mutate", type=int, default=0, metavar="K", help="damaged copies per file")
    rec.add_argument("--jobs", type=int, default=2)
    cmp = sub.add_parser("compare", help="list the cases whose digests differ")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = ap.parse_args(argv)

    if args.cmd == "compare":
        a: dict[str, str] = json.loads(args.a.read_text())
        b: dict[str, str] = json.loads(args.b.read_text())
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        for k in differ:
            print(k)
        print(f"{len(a)} / {len(b)} cases, {len(differ)} differ")
        return 1 if differ else 0

    root = corpus_root(args.root, "parse_digest")
    if root is None:
        return 2
    files = corpus_files(root)
    if args.sample is not None:
        files = sample_files(files, args.sample, args.seed)
    found = record(files, args.mutate, args.seed, max(1, args.jobs))
    args.out.write_text(json.dumps(found, indent=0) + "\n")
    print(f"wrote {len(found)} digests to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
