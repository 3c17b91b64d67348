"""Content-addressed file storage: a file is kept once, under the SHA-256 of its bytes.

Callers keep the hash (and the name, type and size they need) in their own rows and ask the
store for the bytes back. The store knows nothing of who may read a file: the feature that
owns the parent record decides that (coordapp.core.visibility), then serves the bytes.

``FolderStore`` keeps files under ``<instance>/files/ab/cd/<sha256>``; an object store can
replace it by implementing the same four methods and being returned by ``store()``.
"""

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app


class FileStore(Protocol):
    """What every store offers."""

    def put(self, data: bytes) -> str:
        """Keep data; return its SHA-256 (hex). Putting the same bytes twice keeps one copy."""

    def get(self, sha256: str) -> bytes:
        """Return the bytes kept under sha256 (FileNotFoundError when there are none)."""

    def exists(self, sha256: str) -> bool:
        """Tell whether bytes are kept under sha256."""

    def delete(self, sha256: str) -> None:
        """Forget the bytes kept under sha256 (nothing happens when there are none)."""


def digest(data: bytes) -> str:
    """Return the SHA-256 of data as 64 hex characters."""
    return hashlib.sha256(data).hexdigest()


def _valid(sha256: str) -> bool:
    return len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)


class FolderStore:
    """Files in a folder, two levels of sub-folders by the hash's first characters."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        if not _valid(sha256):
            raise FileNotFoundError(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Keep data; return its SHA-256. Written to a temporary file first, so no reader sees half a file."""
        sha256 = digest(data)
        path = self._path(sha256)
        if path.exists():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        """Return the bytes kept under sha256."""
        return self._path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        """Tell whether bytes are kept under sha256."""
        try:
            return self._path(sha256).is_file()
        except FileNotFoundError:
            return False

    def delete(self, sha256: str) -> None:
        """Forget the bytes kept under sha256."""
        with contextlib.suppress(FileNotFoundError):
            self._path(sha256).unlink(missing_ok=True)


def store() -> FileStore:
    """Return the application's file store (FILES_FOLDER, by default <instance>/files)."""
    root = current_app.config.get("FILES_FOLDER") or os.path.join(current_app.instance_path, "files")
    return FolderStore(root)
