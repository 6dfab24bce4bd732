"""Where uploaded and generated media live: one small interface, chosen from config.

Every piece of the shop that writes, reads or links a stored file (storefront/media.py,
the demo's pictures, the /media/ route, templates through `media_url`) goes through a
`MediaStorage`, so another store can be added here without touching the domains.

`LocalMediaStorage` keeps files under MEDIA_ROOT: with several app servers that folder
is one shared volume (NFS or similar) mounted on every host, so a photo uploaded
through one server is served by all. MEDIA_STORAGE names the store ("local", the only
one so far). An S3-compatible store would implement the same five methods (save with
a PUT, read with a GET, exists with a HEAD, url answering the bucket's or CDN's public
address, delete) and be chosen with MEDIA_STORAGE=s3.

Paths are relative ("products/<hash>.jpg"), chosen by the shop, never by an uploader;
one that leaves the store ("../x", "/etc/passwd") is refused with FileNotFoundError.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app, request, url_for
from werkzeug.routing import PathConverter

STORES = ("local",)


class MediaStorage(Protocol):
    """A store of media files addressed by relative path."""

    def save(self, path: str, data: bytes) -> None:
        """Store `data` at `path`, whole or not at all; a path already stored is kept
        as it is (names carry a content hash, so the same name is the same bytes)."""

    def read(self, path: str) -> bytes:
        """The stored bytes; FileNotFoundError when nothing is stored there."""

    def exists(self, path: str) -> bool:
        """Whether something is stored at `path`."""

    def url(self, path: str, external: bool = False) -> str:
        """Where a browser fetches the file (absolute with `external`)."""

    def delete(self, path: str) -> None:
        """Remove the file; nothing happens when there is none."""


class LocalMediaStorage:
    """Files under a folder of this host (MEDIA_ROOT), served by the /media/ route."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._resolved: Path | None = None
        self._prefixes: dict[str, str] = {}

    def _root(self) -> Path:
        """The folder with its links resolved, worked out once (the product page asks
        whether its sharing picture exists on every view: a third of that check)."""
        if self._resolved is None:
            self._resolved = self.root.resolve()
        return self._resolved

    def __repr__(self) -> str:
        return f"LocalMediaStorage({str(self.root)!r})"

    def _file(self, path: str) -> Path:
        root = self._root()
        target = (root / path).resolve()
        if not path or root not in target.parents:
            raise FileNotFoundError(path)
        return target

    def save(self, path: str, data: bytes) -> None:
        target = self._file(path)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # A unique partial name, then a rename: readers (and the other servers on the
        # shared volume) see the whole file or none, even when two save it at once.
        partial = target.with_name(f"{target.name}.{secrets.token_hex(8)}.part")
        partial.write_bytes(data)
        partial.replace(target)

    def read(self, path: str) -> bytes:
        # Any name the file system cannot hold (too long, a file where a folder should
        # be) is simply not stored there.
        try:
            target = self._file(path)
            if not target.is_file():
                raise FileNotFoundError(path)
            return target.read_bytes()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise FileNotFoundError(path) from exc

    def exists(self, path: str) -> bool:
        try:
            return self._file(path).is_file()
        except OSError:
            return False

    def url(self, path: str, external: bool = False) -> str:
        if external:
            return url_for("site.media", filename=path, _external=True)
        # What url_for builds, with url_for called once per mount point: a card page
        # asks for two dozen photos (6 µs each through the URL map).
        prefix = self._prefixes.get(request.script_root)
        if prefix is None:
            prefix = self._prefixes[request.script_root] = url_for("site.media", filename="x")[:-1]
        return prefix + PathConverter(current_app.url_map).to_url(path)

    def delete(self, path: str) -> None:
        try:
            self._file(path).unlink(missing_ok=True)
        except OSError:
            return


def from_config(config: Mapping[str, Any]) -> MediaStorage:
    """The store the settings name (MEDIA_STORAGE, MEDIA_ROOT)."""
    kind = str(config.get("MEDIA_STORAGE") or "local")
    if kind == "local":
        return LocalMediaStorage(str(config["MEDIA_ROOT"]))
    raise ValueError(f"MEDIA_STORAGE must be one of {', '.join(STORES)}, not {kind!r}")


def register(app: Flask) -> None:
    app.extensions["media_storage"] = from_config(app.config)
    app.jinja_env.globals["media_url"] = media_url


def media_storage() -> MediaStorage:
    """The running app's media store."""
    storage: MediaStorage = current_app.extensions["media_storage"]
    return storage


def media_url(path: str, external: bool = False) -> str:
    """A stored file's address, for templates and the API."""
    return media_storage().url(path, external=external)


def as_storage(target: MediaStorage | str | Path) -> MediaStorage:
    """A store from a store or a folder (scripts and tests may still name a folder)."""
    if isinstance(target, str | Path):
        return LocalMediaStorage(target)
    return target
