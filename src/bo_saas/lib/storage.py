"""Where uploaded files' bytes live: a small interface, and a local-disk implementation of it.

Callers name a file only by a key the server made (``storage_key``); a person's
filename never reaches a path, so no upload can choose where it lands. Keys are
checked against one strict pattern before any path is built, and the path is
checked again to be under the root. A file appears under its key only once it
is complete (written to a temporary file, then renamed), so a failed or refused
upload leaves nothing behind. Disk work runs in worker threads: the event loop
keeps serving other requests while a large file is written or read.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import BinaryIO, Protocol
from uuid import UUID, uuid4

from anyio import to_thread

from bo_saas.lib.settings import Settings

# "{tenant id}/{32 hex digits}": the only shape of key this module accepts.
KEY_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{32}")
# Bytes gathered before one write, and read per chunk: few thread hand-offs, bounded memory.
WRITE_BUFFER_BYTES = 1024 * 1024
READ_CHUNK_BYTES = 256 * 1024


class InvalidStorageKey(ValueError):
    """A key that the server did not make: refused before any path is built from it."""


class StoredFileMissing(LookupError):
    """A key with no file behind it."""


def new_storage_key(tenant_id: UUID) -> str:
    """A fresh key for one of the tenant's files; the tenant folder keeps a tenant's files together."""
    return f"{tenant_id}/{uuid4().hex}"


class FileStorage(Protocol):
    """Files by key. ``save`` is all-or-nothing: if ``chunks`` raises, nothing is stored under the key."""

    async def save(self, key: str, chunks: AsyncIterable[bytes] | bytes) -> None: ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The file's bytes in chunks; raises ``StoredFileMissing`` now, not while streaming."""
        ...

    async def delete(self, key: str) -> None:
        """Removes the file; a missing file is not an error."""
        ...

    async def exists(self, key: str) -> bool: ...


class LocalFileStorage:
    """Files under one folder on the local disk, readable only by the server's user (0600, folders 0700)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path_for(self, key: str) -> Path:
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            raise InvalidStorageKey(f"not a storage key: {key!r}")
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):  # e.g. a tenant folder replaced by a symlink to elsewhere
            raise InvalidStorageKey(f"storage key leaves the storage root: {key!r}")
        return path

    async def save(self, key: str, chunks: AsyncIterable[bytes] | bytes) -> None:
        path = self.path_for(key)
        file, temporary = await to_thread.run_sync(self._create_temporary, path.parent)
        try:
            if isinstance(chunks, bytes | bytearray | memoryview):
                await to_thread.run_sync(file.write, chunks)
            else:
                pending = bytearray()
                async for chunk in chunks:
                    pending += chunk
                    if len(pending) >= WRITE_BUFFER_BYTES:
                        await to_thread.run_sync(file.write, bytes(pending))
                        pending.clear()
                await to_thread.run_sync(file.write, bytes(pending))
            await to_thread.run_sync(_finish, file, temporary, path)
        except BaseException:
            # Synchronous on purpose: this also runs when the request is cancelled, when awaiting may not.
            file.close()
            Path(temporary).unlink(missing_ok=True)
            raise

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self.path_for(key)
        try:
            file = await to_thread.run_sync(path.open, "rb")
        except FileNotFoundError:
            raise StoredFileMissing(key) from None
        return _read_chunks(file)

    async def delete(self, key: str) -> None:
        await to_thread.run_sync(self.path_for(key).unlink, True)

    async def exists(self, key: str) -> bool:
        return await to_thread.run_sync(self.path_for(key).is_file)

    def _create_temporary(self, folder: Path) -> tuple[BinaryIO, str]:
        for path in (self.root, folder):
            if not path.is_dir():
                path.mkdir(mode=0o700, parents=True, exist_ok=True)
                path.chmod(0o700)  # mkdir's mode is filtered by the umask
        # mkstemp creates the file with mode 0600, in the target folder so that the rename stays on one disk.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
        return os.fdopen(handle, "wb"), temporary


def _finish(file: BinaryIO, temporary: str, path: Path) -> None:
    file.flush()
    os.fsync(file.fileno())  # the rename must never expose a file whose bytes are not on disk yet
    file.close()
    os.replace(temporary, path)


async def _read_chunks(file: BinaryIO) -> AsyncIterator[bytes]:
    try:
        while chunk := await to_thread.run_sync(file.read, READ_CHUNK_BYTES):
            yield chunk
    finally:
        file.close()  # not in a thread: this also runs when the download is cancelled


def storage_for(settings: Settings) -> LocalFileStorage:
    return LocalFileStorage(settings.storage_dir or settings.data_dir / "files")
