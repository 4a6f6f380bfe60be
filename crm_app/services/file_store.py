"""The files directory: random names, written through a temporary file, removed with the transaction.

A file is stored as ``<root>/<k[:2]>/<k>`` where ``k`` is 32 random hex characters: the user's file
name never becomes a path. Bytes arrive in a ``.part`` file that is renamed into place only once they
are complete and accepted, so a failed or refused upload leaves nothing behind. Files written in a
transaction are removed if it rolls back; files deleted in one are removed only once it commits.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlmodel import Session

from crm_app.settings import get_settings

CHUNK = 1024 * 1024
HEAD = 8192  # enough for every magic number the type detection looks at


class TooBig(Exception):
    """The stream is longer than the limit (reading stopped there)."""


@dataclass(frozen=True)
class Received:
    """A complete upload in its temporary file."""

    temp: Path
    size: int
    sha256: str
    head: bytes


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def new_key() -> str:
        return secrets.token_hex(16)

    def path(self, key: str) -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    def thumbnail_path(self, key: str) -> Path:
        return self.path(key).with_name(key + ".thumb")

    def receive(self, stream: BinaryIO, *, limit: int) -> Received:
        """Copy ``stream`` into a temporary file in chunks, hashing it; stop at ``limit`` + 1 bytes.

        Raises TooBig (the temporary file is gone) when the stream is longer than ``limit``.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self.root / f"{secrets.token_hex(16)}.part"
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with open(temp, "xb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise TooBig()
                    if len(head) < HEAD:
                        head += chunk[: HEAD - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return Received(temp=temp, size=size, sha256=digest.hexdigest(), head=head)

    def place(self, temp: Path, key: str) -> Path:
        """Move a complete temporary file to its final name (atomic on one file system)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return target

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
        self.thumbnail_path(key).unlink(missing_ok=True)


def default_store() -> FileStore:
    return FileStore(Path(get_settings().files_dir))


def on_rollback(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` if the session's transaction rolls back (undo what was written on disk)."""
    _pending(session)["rollback"].append(action)


def on_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the session's transaction commits (delete from disk only what is gone)."""
    _pending(session)["commit"].append(action)


_PENDING = "file_store.pending"


def _pending(session: Session) -> dict[str, list[Callable[[], None]]]:
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = {"commit": [], "rollback": []}
        event.listen(session, "after_commit", lambda s: _settle(s, "commit"))
        event.listen(session, "after_rollback", lambda s: _settle(s, "rollback"))
    return pending


def _settle(session: Session, outcome: str) -> None:
    """The transaction ended: run the actions for its outcome, drop the others."""
    pending = session.info[_PENDING]
    actions = pending[outcome]
    pending["commit"], pending["rollback"] = [], []
    for action in actions:
        action()
