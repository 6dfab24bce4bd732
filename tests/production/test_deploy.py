"""deploy/ agrees with the code: the environment file lists every setting, nginx's body
limit is MAX_UPLOAD_MB, gunicorn outwaits the statement timeout, and the systemd units
run commands that exist."""

from __future__ import annotations

import re
import runpy
from collections.abc import Iterator, Mapping
from pathlib import Path

from storefront.config import load_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


class Recording(Mapping[str, str]):
    """An empty environment that remembers every name asked of it."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        raise KeyError(key)

    def get(self, key, default=None):  # type: ignore[no-untyped-def, override]
        self.asked.add(key)
        return default

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def template_names() -> set[str]:
    text = (DEPLOY / "storefront.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.M))


def test_the_environment_template_lists_every_setting(tmp_path):
    env = Recording()
    load_config(env, str(tmp_path))
    assert len(env.asked) > 40  # the recording sees the reads
    missing = sorted(env.asked - template_names())
    assert missing == [], f"add these settings to deploy/storefront.env.example: {missing}"


def test_nginx_takes_the_bodies_the_app_takes(tmp_path):
    nginx = (DEPLOY / "nginx" / "storefront.conf").read_text(encoding="utf-8")
    (megabytes,) = re.findall(r"client_max_body_size (\d+)m;", nginx)
    assert int(megabytes) * 1024 * 1024 == load_config({}, str(tmp_path))["MAX_CONTENT_LENGTH"]
    assert "X-Request-ID $request_id" in nginx and "http2 on;" in nginx


def test_gunicorn_outwaits_the_statement_timeout(monkeypatch):
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "15")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["timeout"] > 15 and settings["workers"] >= 3 and settings["threads"] >= 1


def unit_commands() -> set[str]:
    found = set()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        found |= set(re.findall(r"flask --app wsgi ([a-z-]+ [a-z-]+)", text))
    return found


def test_the_units_run_commands_that_exist(app):
    commands = unit_commands()
    assert {"orders expire-unpaid", "jobs worker"} <= commands
    missing = set()
    for command in commands:
        group, name = command.split()
        if name not in getattr(app.cli.commands.get(group), "commands", {}):
            missing.add(command)
    assert missing == set()
