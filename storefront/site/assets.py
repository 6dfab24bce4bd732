"""Static files: content-hashed copies served by WhiteNoise with immutable caching.

`flask assets build` copies each file under static/ to static/dist/ under a name
carrying a hash of its content, writes gzip siblings, and records the mapping in
static/dist/manifest.json. Templates call static_url("css/app.css"), which answers
the hashed URL when the manifest has it and the plain URL otherwise.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from wsgiref.headers import Headers

import click
from flask import Flask, current_app
from whitenoise import WhiteNoise

from storefront.site.security import security_headers

HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt"}
ONE_YEAR = 365 * 24 * 3600


def register(app: Flask) -> None:
    static_root = Path(app.config["STATIC_ROOT"])
    # Wrapping wsgi_app is how Flask documents adding WSGI middleware; mypy sees a method.
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(static_root),
        prefix="static/",
        max_age=3600,
        immutable_file_test=lambda path, url: bool(HASHED_NAME.search(url)),
        add_headers_function=_static_headers(app.config["SEND_HSTS"]),
    )
    app.jinja_env.globals["static_url"] = static_url
    app.cli.add_command(assets_cli)


def _static_headers(send_hsts: bool) -> Callable[[Headers, str, str], None]:
    """WhiteNoise answers static files before Flask sees the request: give them the
    same security headers as the pages."""
    extra = security_headers(send_hsts)

    def add(headers: Headers, path: str, url: str) -> None:
        for name, value in extra.items():
            headers[name] = value

    return add


def static_url(name: str) -> str:
    """URL of a static file, hashed for far-future caching when built."""
    manifest = _manifest(current_app.config["STATIC_ROOT"])
    return "/static/" + manifest.get(name, name)


@cache
def _manifest(static_root: str) -> dict[str, str]:
    path = Path(static_root) / "dist" / "manifest.json"
    if not path.exists():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def assets_are_current(static_root: Path) -> bool:
    """Whether static/dist/ was built after every source file last changed."""
    manifest = static_root / "dist" / "manifest.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    sources = (p for p in static_root.rglob("*") if p.is_file() and "dist" not in p.parts)
    return all(p.stat().st_mtime <= built for p in sources)


def build_assets(static_root: Path) -> dict[str, str]:
    """Write hashed and gzipped copies of the static files; return the manifest."""
    dist = static_root / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir()
    manifest: dict[str, str] = {}
    for source in sorted(static_root.rglob("*")):
        if not source.is_file() or dist in source.parents:
            continue
        relative = source.relative_to(static_root).as_posix()
        content = source.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:12]
        hashed = f"dist/{Path(relative).with_suffix('')}.{digest}{source.suffix}"
        target = static_root / hashed
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if source.suffix in COMPRESSIBLE:
            target.with_name(target.name + ".gz").write_bytes(gzip.compress(content, 9, mtime=0))
        manifest[relative] = hashed
    (dist / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    _manifest.cache_clear()
    return manifest


@click.group("assets")
def assets_cli() -> None:
    """Static file chores."""


@assets_cli.command("build")
def build_command() -> None:
    """Write content-hashed, compressed copies of static/ into static/dist/."""
    manifest = build_assets(Path(current_app.config["STATIC_ROOT"]))
    click.echo(f"Built {len(manifest)} static files into static/dist/")
