"""Private PostgreSQL and Redis servers for bench/faults.py: started, stopped and restarted at will.

PostgreSQL: initdb + pg_ctl from /usr/lib/postgresql/15/bin as the postgres user, trust auth, on
127.0.0.1:5499; Redis: ``redis-server --port 6399`` without persistence. Both live in the drill's temporary
directory; the shared servers (5432, 6379) are never touched.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT, REDIS_PORT = 5499, 6399


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PrivatePostgres:
    def __init__(self, base: Path) -> None:
        self.dir = base / "pg"
        self.log = base / "pg.log"

    def _pg(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / args[0]), *args[1:]], check=True,
                       stdout=subprocess.DEVNULL)

    def init(self) -> None:
        self.dir.mkdir()
        shutil.chown(self.dir, "postgres", "postgres")
        self.log.touch()
        shutil.chown(self.log, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def start(self) -> None:
        options = (f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=300 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._pg("pg_ctl", "-D", str(self.dir), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.dir), "-m", "fast", "-w", "stop")


class PrivateRedis:
    def __init__(self, base: Path) -> None:
        self.dir = base
        self.pidfile = base / "redis.pid"

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--dir", str(self.dir),
                        "--pidfile", str(self.pidfile), "--logfile", str(self.dir / "redis.log")], check=True)
        deadline = time.monotonic() + 10
        while not listening(REDIS_PORT):
            if time.monotonic() > deadline:
                raise SystemExit("private redis did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while listening(REDIS_PORT) and time.monotonic() < deadline:
            time.sleep(0.1)
