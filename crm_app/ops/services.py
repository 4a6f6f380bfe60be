"""PostgreSQL and Redis for the one-machine topology: check they answer, start them as .ci/run does if not."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _wait(host: str, port: int, seconds: int) -> bool:
    for _ in range(seconds):
        if _reachable(host, port):
            return True
        time.sleep(1)
    return False


def ensure_services(database_url: str, redis_url: str, log: Callable[[str], None]) -> None:
    db = urlsplit(database_url.replace("+psycopg", ""))
    if db.scheme.startswith("postgresql"):
        host, port = db.hostname or "127.0.0.1", db.port or 5432
        if not _reachable(host, port):
            versions = (
                sorted(p.name for p in Path("/etc/postgresql").glob("*"))
                if Path("/etc/postgresql").exists()
                else []
            )
            if not versions or host not in ("127.0.0.1", "localhost"):
                raise SystemExit(
                    f"[prod] PostgreSQL does not answer on {host}:{port} (run .ci/run's setup or start it)"
                )
            log(f"starting PostgreSQL {versions[-1]}")
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=True
            )
            if not _wait(host, port, 30):
                raise SystemExit(f"[prod] PostgreSQL did not come up on {host}:{port}")
    redis = urlsplit(redis_url)
    host, port = redis.hostname or "127.0.0.1", redis.port or 6379
    if not _reachable(host, port):
        if host not in ("127.0.0.1", "localhost"):
            raise SystemExit(f"[prod] Redis does not answer on {host}:{port}")
        log("starting Redis")
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "-::1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        if not _wait(host, port, 30):
            raise SystemExit(f"[prod] Redis did not come up on {host}:{port}")


def ensure_database(database_url: str, log: Callable[[str], None]) -> None:
    """Create the PostgreSQL database named by the URL if it does not exist (SQLite needs nothing)."""
    url = urlsplit(database_url.replace("+psycopg", ""))
    if not url.scheme.startswith("postgresql"):
        return
    name = url.path.lstrip("/")
    base = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    found = subprocess.run(
        ["psql", *base, "-d", "postgres", "-tAc", f"select 1 from pg_database where datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if found != "1":
        log(f"creating database {name}")
        subprocess.run(["createdb", *base, name], check=True)
