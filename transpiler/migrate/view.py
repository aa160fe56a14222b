"""The file system a migration checks through: the disk with each file being migrated shown as its ``.tgo`` text."""

from __future__ import annotations

import hashlib
import os

from transpiler.fs.base import FILE, Entry, FileSystem, Stat
from transpiler.fs.read import SOURCE_LIMIT


class MigrationFS(FileSystem):
    """``base`` with the ``.go`` files of ``renamed`` (absolute ``x.go`` -> ``x.tgo``) hidden
    and their ``.tgo`` names holding ``texts`` (absolute ``x.tgo`` -> its current text).

    Both maps may change between snapshots (a session sees the change: what it read
    through this view is compared again before a kept result is reused). ``versions``
    counts the changes per directory (what a check of another package saw is current
    while the versions of the directories it read are the same)."""

    def __init__(self, base: FileSystem) -> None:
        self.base = base
        self.renamed: dict[str, str] = {}
        self.texts: dict[str, bytes] = {}
        self.versions: dict[str, int] = {}

    def _changed(self, full: str) -> None:
        directory = os.path.dirname(full)
        self.versions[directory] = self.versions.get(directory, 0) + 1

    def set_text(self, go_path: str, tgo_path: str, text: str) -> None:
        """Show ``go_path`` as ``tgo_path`` holding ``text``."""
        full = os.path.abspath(tgo_path)
        data = text.encode("utf-8")
        if self.texts.get(full) != data:
            self.renamed[os.path.abspath(go_path)] = full
            self.texts[full] = data
            self._changed(full)

    def restore(self, go_path: str, tgo_path: str) -> None:
        """Show ``go_path`` again as it is on disk (its migration withdrawn)."""
        full = os.path.abspath(tgo_path)
        if self.renamed.pop(os.path.abspath(go_path), None) is not None or self.texts.pop(full, None) is not None:
            self._changed(full)
        self.texts.pop(full, None)

    def shown(self, directory: str) -> tuple[tuple[str, str, bytes], ...]:
        """What the view shows in ``directory`` (absolute) instead of the disk: each hidden
        ``.go`` file's path, its ``.tgo`` name and that name's text (``show`` puts it back)."""
        return tuple(sorted((go, tgo, self.texts[tgo]) for go, tgo in self.renamed.items()
                            if os.path.dirname(go) == directory and tgo in self.texts))

    def show(self, directory: str, shown: tuple[tuple[str, str, bytes], ...]) -> None:
        """Show ``directory`` (absolute) as it was when ``shown`` (``shown(directory)``) was taken."""
        if self.shown(directory) == shown:
            return
        for go in [g for g in self.renamed if os.path.dirname(g) == directory]:
            tgo = self.renamed.pop(go)
            self.texts.pop(tgo, None)
        for go, tgo, data in shown:
            self.renamed[go] = tgo
            self.texts[tgo] = data
        self.versions[directory] = self.versions.get(directory, 0) + 1

    def others(self, directory: str) -> tuple[tuple[str, int], ...]:
        """The versions of every directory but ``directory`` (absolute)."""
        return tuple(sorted((d, n) for d, n in self.versions.items() if d != directory))

    def digest(self, directory: str) -> str:
        """A digest of what the view shows in ``directory`` (absolute) instead of the disk: the
        ``.go`` files it hides and the texts of their ``.tgo`` names."""
        h = hashlib.sha256()
        for go in sorted(g for g in self.renamed if os.path.dirname(g) == directory):
            h.update(go.encode() + b"\0")
        for tgo in sorted(t for t in self.texts if os.path.dirname(t) == directory):
            h.update(tgo.encode() + b"\0" + hashlib.sha256(self.texts[tgo]).digest())
        return h.hexdigest()[:32]

    def _hidden(self, full: str) -> bool:
        return full in self.renamed

    def read(self, path: str, limit: int = SOURCE_LIMIT, *, head: int | None = None) -> bytes:
        full = os.path.abspath(path)
        data = self.texts.get(full)
        if data is not None:
            return data[:head] if head is not None else data
        if self._hidden(full):
            raise FileNotFoundError(2, "No such file or directory", path)
        return self.base.read(path, limit, head=head)

    def stat(self, path: str) -> Stat | None:
        full = os.path.abspath(path)
        data = self.texts.get(full)
        if data is not None:
            return Stat(FILE, len(data))
        if self._hidden(full):
            return None
        return self.base.stat(path)

    def entries(self, path: str) -> list[Entry]:
        full = os.path.abspath(path)
        found = {e.name: e for e in self.base.entries(path)}
        for go, tgo in self.renamed.items():
            if os.path.dirname(go) == full:
                found.pop(os.path.basename(go), None)
                found[os.path.basename(tgo)] = Entry(os.path.basename(tgo), False)
        return sorted(found.values())
