"""make prod for real: 2 nodes, a worker and nginx on a new database; a node killed, the proxy answers.

Needs PostgreSQL and Redis on 127.0.0.1 (as CI has them) and nginx (``make test`` depends on ``make nginx``).
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from crm_app.ops import pidfiles
from crm_app.ops.prod import ProdConfig, start, stop


def _get(url: str) -> tuple[int, str]:
    return _get_with_headers(url)[:2]


def _get_with_headers(url: str) -> tuple[int, str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode(errors="replace"), dict(response.headers)


@pytest.fixture
def fresh_database():
    name = f"h1_prod_{uuid.uuid4().hex[:8]}"
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    drop = ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name]
    subprocess.run(drop, check=False)


def test_two_nodes_survive_a_killed_node_and_it_restarts(tmp_path: Path, fresh_database: str) -> None:
    config = ProdConfig(
        nodes=2,
        proxy_port=8180,
        node_port_base=8181,
        run_dir=tmp_path / "prod",
        database_url=fresh_database,
        redis_url="redis://127.0.0.1:6379/1",
        workers=1,
        extra_env={"CRM_SECRET_KEY": "test-" + uuid.uuid4().hex},
    )
    os.environ.setdefault("REFLEX_USE_NPM", "1")
    topology = start(config)
    started = pidfiles.read_all(config.run_dir)
    try:
        assert set(started) == {"node0", "node1", "worker0", "nginx"}
        status, page, headers = _get_with_headers(f"{topology.proxy_url}/customers/123")
        assert status == 200 and "<html" in page.lower()
        # nginx serves the page itself, with the app's security headers (its inline scripts allowed by hash).
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'sha256-" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        # A signed-in page is the SPA shell with its own scripts named, as on a single port.
        status, page, headers = _get_with_headers(f"{topology.proxy_url}/customers")
        assert status == 200 and page == (config.run_dir / "static" / "__spa-fallback.html").read_text()
        assert "rel=modulepreload" in headers["Link"] and "frame-ancestors 'none'" in headers[
            "Content-Security-Policy"]
        # The head's scripts as the pages name them (by hash) are kept for a year; unnamed, they stay fresh.
        assert "immutable" in _get_with_headers(f"{topology.proxy_url}/pwa.js?v=1a2b")[2]["Cache-Control"]
        assert _get_with_headers(f"{topology.proxy_url}/pwa.js")[2]["Cache-Control"] == "no-cache"
        status, health = _get(f"{topology.proxy_url}/api/health")
        assert status == 200 and '"database"' in health

        topology.kill_node(0)
        time.sleep(0.5)
        for _ in range(4):  # nginx skips the dead node: every request still answers
            assert _get(f"{topology.proxy_url}/api/health")[0] == 200

        node = topology.restart_node(0)
        assert _get(f"http://127.0.0.1:{node.port}/ping")[0] == 200
        started = pidfiles.read_all(config.run_dir)
    finally:
        stop(topology)
    assert not any(pidfiles.is_ours(pid, marker) for pid, marker in started.values())
