"""The production topology on one machine: N app nodes + worker(s) + nginx, on PostgreSQL and Redis.

``python -m crm_app.ops.prod start|stop|status`` (``make prod`` / ``make prod-stop``), or from Python:
``start(ProdConfig.from_env()) -> Topology`` and ``stop(topology_or_run_dir)``. Every process's pid file
and log live in the run directory (CRM_PROD_DIR, default <repo>/.prod).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from crm_app.ops import pidfiles
from crm_app.ops.nginx_conf import page_headers, render, signed_in_pages
from crm_app.ops.services import ensure_database, ensure_services
from crm_app.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class ProdConfig:
    nodes: int = 2
    proxy_port: int = 8080
    node_port_base: int = 8101
    run_dir: Path = REPO / ".prod"
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/clientela"
    redis_url: str = "redis://127.0.0.1:6379/0"
    workers: int = 1
    granian_workers: int = 1  # granian processes per node (Reflex reads GRANIAN_WORKERS)
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ProdConfig:
        env = dict(os.environ if env is None else env)
        return cls(
            nodes=int(env.get("CRM_NODES", "2")),
            proxy_port=int(env.get("CRM_PROD_PORT", "8080")),
            node_port_base=int(env.get("CRM_NODE_PORT_BASE", "8101")),
            run_dir=Path(env.get("CRM_PROD_DIR", str(REPO / ".prod"))).resolve(),
            database_url=env.get("CRM_DATABASE_URL", cls.database_url),
            redis_url=env.get("CRM_REDIS_URL", cls.redis_url),
            workers=int(env.get("CRM_WORKERS", "1")),
            granian_workers=int(env.get("CRM_GRANIAN_WORKERS", "1")),
        )

    @property
    def proxy_url(self) -> str:
        return f"http://localhost:{self.proxy_port}"

    def node_port(self, index: int) -> int:
        return self.node_port_base + index


@dataclass
class Node:
    index: int
    port: int
    pid: int
    log_path: Path


@dataclass
class Topology:
    config: ProdConfig
    nodes: list[Node]
    env: dict[str, str]

    @property
    def proxy_url(self) -> str:
        return self.config.proxy_url

    @property
    def run_dir(self) -> Path:
        return self.config.run_dir

    def kill_node(self, index: int) -> None:
        """SIGKILL node ``index`` and its granian workers (a crash, not a shutdown)."""
        pidfiles.signal_group(self.nodes[index].pid, signal.SIGKILL)

    def restart_node(self, index: int) -> Node:
        node = self.nodes[index]
        marker = _node_marker(node.port)
        if pidfiles.is_ours(node.pid, marker):
            pidfiles.stop_one(node.pid, marker)
        self.nodes[index] = _start_node(self.config, self.env, index)
        _wait_http(f"http://127.0.0.1:{node.port}/ping", 120)
        return self.nodes[index]


def _node_marker(port: int) -> str:
    return f"--backend-port {port}"


def _log(message: str) -> None:
    print(f"[prod] {message}", flush=True)


def _secret(config: ProdConfig) -> str:
    if os.environ.get("CRM_SECRET_KEY"):
        return os.environ["CRM_SECRET_KEY"]
    path = config.run_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
        _log(f"CRM_SECRET_KEY is unset: generated one into {path} (kept for later starts)")
    return path.read_text().strip()


def app_env(config: ProdConfig) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PATH": f"{BIN}:{env.get('PATH', '')}",
            "REFLEX_USE_NPM": "1",
            "CRM_ENV": "production",
            "CRM_NODES": str(config.nodes),
            "CRM_STATE_MANAGER": "redis",
            "CRM_DATABASE_URL": config.database_url,
            "CRM_REDIS_URL": config.redis_url,
            "CRM_PUBLIC_URL": config.proxy_url,
            "CRM_WORKER_IN_APP": "false",
            "CRM_SECRET_KEY": _secret(config),
            "GRANIAN_WORKERS": str(config.granian_workers),
            "PYTHONUNBUFFERED": "1",
        }
    )
    # Behind a plain-HTTP local proxy the session cookie cannot be Secure; TLS deployments keep the default.
    env.setdefault("CRM_COOKIE_SECURE", "false")
    env.update(config.extra_env)
    return env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        sys.exit(f"[prod] {what} failed: {lines[-1] if lines else f'exit {result.returncode}'}")


def _spawn(
    config: ProdConfig, env: dict[str, str], name: str, cmd: list[str], marker: str
) -> tuple[int, Path]:
    log_path = config.run_dir / "logs" / f"{name}.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    pidfiles.write(config.run_dir, name, process.pid, marker)
    return process.pid, log_path


def _start_node(config: ProdConfig, env: dict[str, str], index: int) -> Node:
    port = config.node_port(index)
    cmd = [
        sys.executable,
        "-m",
        "crm_app.ops.node",
        "--env",
        "prod",
        "--backend-only",
        "--backend-port",
        str(port),
    ]
    pid, log_path = _spawn(config, env, f"node{index}", cmd, _node_marker(port))
    return Node(index=index, port=port, pid=pid, log_path=log_path)


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def _source_stamp(config: ProdConfig) -> str:
    """Cheap fingerprint of what the export depends on: newest source mtime + the public URL."""
    newest = max(p.stat().st_mtime for p in [*REPO.joinpath("crm_app").rglob("*.py"), REPO / "rxconfig.py"])
    return f"{newest:.0f} {config.proxy_url}"


def export_frontend(config: ProdConfig, env: dict[str, str]) -> Path:
    static = config.run_dir / "static"
    stamp_file = config.run_dir / "static.stamp"
    stamp = _source_stamp(config)
    if static.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp:
        _log("frontend export is current: skipped")
        return static
    _log(f"exporting the frontend (API URL {config.proxy_url})")
    _run(
        [str(BIN / "reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"], env, "reflex export"
    )
    shutil.rmtree(static, ignore_errors=True)
    shutil.copytree(REPO / ".web" / "build" / "client", static)
    stamp_file.write_text(stamp)
    return static


def start(config: ProdConfig | None = None) -> Topology:
    config = config or ProdConfig.from_env()
    if pidfiles.read_all(config.run_dir):
        sys.exit(f"[prod] {config.run_dir} names running processes: stop them first (make prod-stop)")
    began = time.monotonic()
    for sub in (
        "logs",
        "pids",
        *(f"nginx-temp/{k}" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
    ):
        (config.run_dir / sub).mkdir(parents=True, exist_ok=True)
    ensure_services(config.database_url, config.redis_url, _log)
    ensure_database(config.database_url, _log)
    env = app_env(config)
    _run([sys.executable, "-m", "crm_app", "check-settings"], env, "settings check")
    _run([str(BIN / "alembic"), "upgrade", "head"], env, "alembic upgrade head")
    static = export_frontend(config, env)
    topology = Topology(config=config, nodes=[], env=env)
    try:
        for index in range(config.nodes):
            topology.nodes.append(_start_node(config, env, index))
        for index in range(config.workers):
            _spawn(
                config, env, f"worker{index}", [sys.executable, "-m", "crm_app", "worker"], "crm_app worker"
            )
        conf = config.run_dir / "nginx.conf"
        upstreams = [f"127.0.0.1:{node.port}" for node in topology.nodes]
        conf.write_text(
            render(listen=config.proxy_port, upstreams=upstreams, static_root=static, run_dir=config.run_dir,
                   headers=page_headers(load_settings(env), static), signed_in_page=signed_in_pages())
        )
        _spawn(config, env, "nginx", ["nginx", "-p", str(config.run_dir), "-c", str(conf)], str(conf))
        for node in topology.nodes:
            _wait_http(f"http://127.0.0.1:{node.port}/ping", 180)
        _wait_http(f"http://127.0.0.1:{config.proxy_port}/ping", 30)
    except BaseException:
        stop(config.run_dir)
        raise
    _log(
        f"{config.nodes} node(s), {config.workers} worker(s) up in {time.monotonic() - began:.0f} s: "
        f"{config.proxy_url}"
    )
    return topology


def stop(target: Topology | Path | str | None = None) -> list[str]:
    if isinstance(target, Topology):
        run_dir = target.run_dir
    else:
        run_dir = Path(target) if target is not None else ProdConfig.from_env().run_dir
    return pidfiles.stop_all(run_dir)


def status(run_dir: Path) -> int:
    entries = pidfiles.read_all(run_dir)
    if not entries:
        print(f"nothing running from {run_dir}")
        return 1
    for name, (pid, marker) in entries.items():
        print(f"{name:10} pid {pid:7}  {'running' if pidfiles.is_ours(pid, marker) else 'GONE'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_app.ops.prod", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status"])
    args = parser.parse_args(argv)
    config = ProdConfig.from_env()
    if args.command == "start":
        start(config)
        print(
            f"Clientela (production) on {config.proxy_url}; logs in {config.run_dir / 'logs'}; "
            "stop it with make prod-stop"
        )
        return 0
    if args.command == "stop":
        stopped = stop(config.run_dir)
        print(f"stopped: {', '.join(stopped) or 'nothing'}")
        return 0
    return status(config.run_dir)


if __name__ == "__main__":
    raise SystemExit(main())
