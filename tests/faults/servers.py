"""Real servers on loopback that fault tests start, break and stop: a Redis of the
test's own, a TCP proxy that forwards, refuses or freezes, an SMTP server that stalls."""

from __future__ import annotations

import asyncio
import contextlib
import select
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """`redis-server` on a free loopback port, without persistence; `kill()` ends it."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed", pytrace=False)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            self.kill()
            pytest.fail("redis-server did not start", pytrace=False)
        client.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(workdir)
    try:
        yield server
    finally:
        server.kill()


class TcpProxy:
    """Listens on a loopback port and forwards to `target`; `freeze()` makes it accept
    connections and never answer (nor pass on) a byte, as a stuck server does;
    `refuse()` closes the port, as a stopped server's port is."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.frozen = threading.Event()
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = int(self.listener.getsockname()[1])
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.frozen.is_set():
                self._held.append(conn)  # accepted, never answered
                continue
            threading.Thread(target=self._pipe, args=(conn,), daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        sockets = [client, upstream]
        try:
            while not self.stopped.is_set():
                ready, _, _ = select.select(sockets, [], [], 0.1)
                if self.frozen.is_set():
                    continue  # hold the bytes: a frozen server reads and says nothing
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def freeze(self) -> None:
        self.frozen.set()

    def refuse(self) -> None:
        """Stop listening: connecting is refused from now on."""
        self.stopped.set()
        self.listener.close()
        self._thread.join(timeout=5)

    def close(self) -> None:
        if not self.stopped.is_set():
            self.refuse()
        self.stopped.set()
        for conn in self._held:
            conn.close()


class StallingHandler:
    """An SMTP server that takes the connection and the envelope, then never answers
    the message: the way a wedged mail relay looks to a client."""

    def __init__(self) -> None:
        self.connections = 0
        self.reached_data = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.reached_data.set()
        await asyncio.sleep(600)
        return "451 never reached"


@contextlib.contextmanager
def stalling_smtp() -> Iterator[tuple[Controller, StallingHandler]]:
    handler = StallingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        with contextlib.suppress(Exception):
            controller.stop(no_assert=True)
