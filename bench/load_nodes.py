"""App nodes for the load test: ``reflex run --env prod --backend-only`` per node, sharing Redis and
PostgreSQL.

Used when no ``make prod`` topology is given (``bench/load.py --url``): the load test then spreads its
simulated tabs over the nodes' ports itself, as a proxy without affinity would. Each node runs in its own
process group, and only those groups are stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


@dataclass
class Node:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Nodes:
    nodes: list[Node] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def stop(self) -> None:
        for node in self.nodes:
            if node.process.poll() is None:
                os.killpg(node.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for node in self.nodes:
            try:
                node.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(node.process.pid, signal.SIGKILL)
                node.process.wait()


def node_environment(database_url: str, redis_url: str, public_url: str, nodes: int,
                     origins: list[str] | None = None) -> dict[str, str]:
    """Production settings of a node; ``origins``: every address the tabs use (each node's, without a
    proxy), accepted by the websocket's and /api/session's origin checks."""
    env = dict(os.environ)
    env.update({
        "PATH": f"{BIN}:{env.get('PATH', '')}", "REFLEX_USE_NPM": "1",
        "CRM_ENV": "production", "CRM_DATABASE_URL": database_url, "CRM_REDIS_URL": redis_url,
        "CRM_SECRET_KEY": env.get("CRM_SECRET_KEY", "load-bench-secret-key-not-for-production-0000000"),
        "CRM_PUBLIC_URL": public_url, "CRM_PORT": "0",  # rxconfig: no frontend port
        "CRM_COOKIE_SECURE": "false", "CRM_NODES": str(nodes),
        "CRM_WORKER_IN_APP": "false", "CRM_LOG_LEVEL": env.get("CRM_LOG_LEVEL", "WARNING"),
        "CRM_CORS_ORIGINS": ",".join(origins or [public_url]),
    })
    return env


def start_nodes(count: int, port_base: int, database_url: str, redis_url: str, public_url: str,
                run_dir: Path, workers: int | None = None) -> Nodes:
    """``count`` nodes on ``port_base + 1 ..``; waits until each answers /ping."""
    run_dir.mkdir(parents=True, exist_ok=True)
    origins = [f"http://127.0.0.1:{port_base + i}" for i in range(1, count + 1)]
    env = node_environment(database_url, redis_url, public_url, count, origins)
    if workers:
        env["GRANIAN_WORKERS"] = str(workers)
    started = Nodes()
    try:
        for i in range(1, count + 1):
            port = port_base + i
            log_path = run_dir / f"node{i}.log"
            with open(log_path, "wb") as log:
                process = subprocess.Popen(
                    [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only",
                     "--backend-port", str(port), "--backend-host", "127.0.0.1"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            started.nodes.append(Node(port, process, log_path))
        for node in started.nodes:
            _wait_ready(node)
    except BaseException:
        started.stop()
        raise
    return started


def _wait_ready(node: Node, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if node.process.poll() is not None:
            raise RuntimeError(f"node on port {node.port} exited; see {node.log_path}")
        try:
            with urllib.request.urlopen(f"{node.url}/ping", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"node on port {node.port} not ready after {timeout:.0f} s; see {node.log_path}")
