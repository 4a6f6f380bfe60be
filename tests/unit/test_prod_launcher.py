"""make prod's bookkeeping: the rendered nginx config and the pid files (stop kills only our processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crm_app.ops import pidfiles
from crm_app.ops.nginx_conf import page_headers, render, signed_in_pages
from crm_app.ops.prod import ProdConfig
from crm_app.settings import load_settings
from tests.fake_build import write_build


def test_nginx_config_balances_every_node_and_keeps_its_files_in_the_run_dir(tmp_path: Path) -> None:
    text = render(
        listen=8100,
        upstreams=["127.0.0.1:8101", "127.0.0.1:8102"],
        static_root=tmp_path / "static",
        run_dir=tmp_path,
    )
    assert "server 127.0.0.1:8101" in text and "server 127.0.0.1:8102" in text
    assert "listen 8100;" in text
    assert f"pid {tmp_path / 'nginx.pid'};" in text
    assert f"root {tmp_path / 'static'};" in text
    assert "location /_event" in text and "proxy_next_upstream" in text
    assert "{{" not in text


def test_pages_served_by_nginx_carry_the_app_s_security_headers(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text("<html><script>window.x = 1</script></html>")
    settings = load_settings({"CRM_PUBLIC_URL": "https://crm.example.com"})
    text = render(listen=8100, upstreams=["127.0.0.1:8101"], static_root=static,
                  headers=page_headers(settings, static))
    page_block = text[text.index("location / {"):]
    csp = next(line.strip() for line in page_block.splitlines() if "Content-Security-Policy" in line)
    assert csp.startswith('add_header Content-Security-Policy "') and csp.endswith('" always;')
    assert "'sha256-" in csp and "frame-ancestors 'none'" in csp  # the build's inline script, by hash
    assert 'add_header X-Frame-Options "DENY" always;' in page_block
    assert "{{" not in text


def test_signed_in_pages_get_the_spa_shell_with_their_scripts_as_on_a_single_port(tmp_path: Path) -> None:
    """Parity with api/static_files.py: nginx serves a signed-in page the shell and its Link header."""
    static = write_build(tmp_path / "static")
    settings = load_settings({"CRM_PUBLIC_URL": "https://crm.example.com"})
    text = render(listen=8100, upstreams=["127.0.0.1:8101"], static_root=static,
                  headers=page_headers(settings, static), signed_in_page=lambda path: path != "/login")
    customers = text[text.index("location ~ ^/customers/?$ {"):]
    customers = customers[:customers.index("}")]
    assert "try_files /__spa-fallback.html =404;" in customers
    assert ('add_header Link "</assets/customers-3.js>; rel=modulepreload, </assets/table-4.js>; '
            'rel=modulepreload";') in customers
    assert 'add_header Cache-Control "no-cache";' in customers and "frame-ancestors 'none'" in customers
    # A page with an id, after the fixed pages (nginx tries regular expressions in order).
    assert text.index("location ~ ^/customers/[^/]+/?$ {") > text.index("location ~ ^/customers/?$ {")
    assert "login" not in text[text.index("location ~ ^/customers"):text.index("location / {")]  # public
    assert "{{" not in text


def test_head_scripts_named_by_version_are_immutable_behind_nginx_too(tmp_path: Path) -> None:
    """Parity with api/static_files.py: /pwa.js?v=<hash> is kept for a year, /pwa.js stays fresh."""
    text = render(listen=8100, upstreams=["127.0.0.1:8101"], static_root=tmp_path)
    block = text[text.index(r"location ~ ^(/pwa\.js|/session_marker\.js)$ {"):]
    assert "add_header Cache-Control $head_script_cache;" in block[:block.index("}")]
    assert ('map $arg_v $head_script_cache { "" "no-cache"; '
            'default "public, max-age=31536000, immutable"; }') in text


def test_the_app_registry_says_which_pages_are_signed_in() -> None:
    signed_in = signed_in_pages()
    assert signed_in("/customers") and signed_in("/customers/12") and signed_in("/settings")
    assert not signed_in("/login") and not signed_in("/setup")


def test_config_reads_the_documented_variables(tmp_path: Path) -> None:
    config = ProdConfig.from_env(
        {
            "CRM_NODES": "3",
            "CRM_PROD_PORT": "8150",
            "CRM_NODE_PORT_BASE": "8151",
            "CRM_PROD_DIR": str(tmp_path),
            "CRM_WORKERS": "2",
        }
    )
    assert (config.nodes, config.proxy_url, config.node_port(2), config.workers) == (
        3,
        "http://localhost:8150",
        8153,
        2,
    )


def _sleeper(tag: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", f"import time; time.sleep(60)  # {tag}"], start_new_session=True
    )


def test_stop_kills_our_processes_and_spares_a_recycled_pid(tmp_path: Path) -> None:
    ours, stranger = _sleeper("ours"), _sleeper("stranger")
    try:
        pidfiles.write(tmp_path, "node0", ours.pid, "# ours")
        # A pid file whose pid now belongs to another program (marker does not match).
        pidfiles.write(tmp_path, "node1", stranger.pid, "--backend-port 8102")
        stopped = pidfiles.stop_all(tmp_path)
        assert stopped == ["node0"]
        assert ours.wait(timeout=10) is not None
        assert stranger.poll() is None
        assert pidfiles.read_all(tmp_path) == {}
    finally:
        for process in (ours, stranger):
            process.kill()
            process.wait()
