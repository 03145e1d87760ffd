"""A PostgreSQL server of its own, in a temporary folder, for the tests and the benchmarks.

Debian's ``postgresql`` package provides the server (``make test`` installs it); ``initdb`` makes a
cluster owned by the ``postgres`` system user (PostgreSQL refuses to run as root), listening on a
free loopback port with password authentication, so the store connects as it would to a real
server: a URL naming the user, the password taken from an environment variable. Durability is off
(``fsync``, ``synchronous_commit``): the cluster lives as long as the test session.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

USER = "masthead"


class PostgresUnavailable(Exception):
    """PostgreSQL is not installed or would not start; the message says why in one line."""


def _binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run 'make test'"
        )
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TemporaryPostgres:
    """``with TemporaryPostgres() as server:`` a running cluster; ``server.database()`` a fresh database."""

    def __init__(self) -> None:
        self.bin = _binaries()
        self.password = secrets.token_hex(12)
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="masthead-postgres-"))
        self._count = 0

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            user="postgres",
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            detail = " ".join((done.stderr or done.stdout).split())[-300:]
            raise PostgresUnavailable(f"PostgreSQL would not start: {command[0]} failed: {detail}")

    def __enter__(self) -> TemporaryPostgres:
        try:
            postgres = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(
                "no 'postgres' system user: install Debian's postgresql package"
            ) from None
        os.chown(self.root, postgres.pw_uid, postgres.pw_gid)
        password_file = self.root / "password"
        password_file.write_text(self.password + "\n", encoding="utf-8")
        os.chown(password_file, postgres.pw_uid, postgres.pw_gid)
        data = self.root / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={password_file}",
            "-E",
            "UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--no-sync",
        )
        self.start()
        return self

    def start(self) -> None:
        """Start the cluster (again)."""
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.root / "data"), "-o", options, *self._waiting, "start")

    def stop(self) -> None:
        """Stop the cluster as an administrator would for maintenance: every session is ended at once
        (``-m fast``), and the server is gone until :meth:`start`."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", *self._waiting, "stop")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every session is ended, and the server is back when this returns."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", *self._waiting, "restart")

    @property
    def _waiting(self) -> tuple[str, ...]:
        # The server's output goes to its log: through pg_ctl's own pipe it would keep the pipe open.
        return ("-l", str(self.root / "server.log"), "-w", "-t", "60")

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(PostgresUnavailable):
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The URL the settings would hold: the password is not in it."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"bench_{self._count}"
        with psycopg.connect(self.url(), password=self.password, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def schema(self) -> str:
        """A new, empty schema in the one database: a URL whose connections see only it. Much faster
        than a database of its own, for a test that needs an empty store."""
        import psycopg

        self._count += 1
        name = f"test_{self._count}"
        with psycopg.connect(self.url(), password=self.password, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url()}?options=-csearch_path%3D{name}"


@contextlib.contextmanager
def temporary_postgres() -> Iterator[TemporaryPostgres]:
    with TemporaryPostgres() as server:
        yield server
