"""Render deploy/nginx/clientela.conf.template for the one-machine topology (and by hand for several)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import pwd
import re
from collections.abc import Callable
from pathlib import Path

from crm_app.api.security_headers import build_script_hashes, security_headers
from crm_app.api.static_files import IMMUTABLE, SPA_SHELL, VERSIONED, route_links
from crm_app.settings import Settings

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "clientela.conf.template"
MIME_TYPES = "/etc/nginx/mime.types"


def _user_line(run_dir: Path) -> list[str]:
    # Started as root, nginx's workers drop to `nobody`, who cannot read a run dir under a private
    # directory (pytest's tmp, /root): they run as the run dir's owner instead, like every other process here.
    if os.geteuid() != 0:
        return []
    return [f"user {pwd.getpwuid(run_dir.stat().st_uid).pw_name};"]


def header_lines(headers: dict[str, str]) -> str:
    """``add_header`` lines for the pages nginx serves itself (the nodes add them to what they serve)."""
    return "\n".join(f'            add_header {name} "{value}" always;' for name, value in headers.items())


def page_headers(settings: Settings, static_root: Path) -> dict[str, str]:
    """The app's own security headers (CSP with the build's inline-script hashes, HSTS in production...):
    nginx serves the exported pages without the app, so it must send what the app would."""
    return security_headers(settings, build_script_hashes(static_root))


def signed_in_pages() -> Callable[[str], bool]:
    """The single-port server's rule (``session.is_signed_in_page``, wired in crm_app/crm_app.py), with
    the app's page registry filled: the pages register themselves when their modules load."""
    import crm_app.pages

    for module in pkgutil.iter_modules(crm_app.pages.__path__):
        importlib.import_module(f"crm_app.pages.{module.name}")
    from crm_app.states.session import is_signed_in_page

    return is_signed_in_page


def shell_locations(static_root: Path, is_signed_in_page: Callable[[str], bool], headers: dict[str, str]
                    ) -> str:
    """A ``location`` per signed-in page of the build: the SPA shell, its ``Link`` header and the app's
    headers."""
    blocks = []
    for route, pattern, link in route_links(static_root):
        example = "/" + "/".join("1" if part.startswith(":") else part for part in route.split("/"))
        if not is_signed_in_page(example):
            continue
        lines = [f"        location ~ {pattern.pattern} {{",
                 '            add_header Cache-Control "no-cache";']
        if link:
            lines.append(f'            add_header Link "{link}";')
        lines += [header_lines(headers), f"            try_files {SPA_SHELL} =404;", "        }"]
        blocks.append("\n".join(line for line in lines if line))
    return "\n".join(blocks)


def render(*, listen: int | str, upstreams: list[str], static_root: Path, run_dir: Path | None = None,
           headers: dict[str, str] | None = None, signed_in_page: Callable[[str], bool] | None = None) -> str:
    """The nginx configuration: ``upstreams`` are ``host:port``; ``run_dir`` makes it self-contained;
    ``headers`` go on the pages nginx serves from ``static_root`` (``page_headers``); the paths
    ``signed_in_page`` accepts get the SPA shell (``signed_in_pages()``; none without it)."""
    global_lines = ""
    http_paths = ""
    if run_dir is not None:
        # Its own pid, logs and temp dirs: never touches a system nginx running beside it.
        global_lines = "\n".join(
            [
                "daemon off;",
                *_user_line(run_dir),
                "worker_processes 1;",
                f"pid {run_dir / 'nginx.pid'};",
                f"error_log {run_dir / 'logs' / 'nginx-error.log'} warn;",
            ]
        )
        temp = run_dir / "nginx-temp"
        http_paths = "\n    ".join(
            [f"access_log {run_dir / 'logs' / 'nginx-access.log'};"]
            + [
                f"{kind}_temp_path {temp / kind};"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ]
        )
    servers = "\n".join(f"        server {address} max_fails=1 fail_timeout=5s;" for address in upstreams)
    values = {
        "GLOBAL": global_lines,
        "MIME_TYPES": MIME_TYPES,
        "HTTP_PATHS": http_paths,
        "UPSTREAM_SERVERS": servers,
        "LISTEN": str(listen),
        "STATIC_ROOT": str(static_root),
        "SECURITY_HEADERS": header_lines(headers or {}),
        "SHELL_PAGES": shell_locations(static_root, signed_in_page, headers or {}) if signed_in_page else "",
        "VERSIONED_SCRIPTS": "(" + "|".join(re.escape(path) for path in sorted(VERSIONED)) + ")",
        "IMMUTABLE": IMMUTABLE,  # the single-port server's value (api/static_files.py)
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def main() -> None:
    """By hand (deploy/THREE_MACHINES.md): print the ``{{SECURITY_HEADERS}}`` lines for an exported frontend,
    with the production settings of the environment (``CRM_PUBLIC_URL``, ``CRM_MAP_TILE_URL``...)."""
    import argparse

    from crm_app.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m crm_app.ops.nginx_conf")
    parser.add_argument("static_root", type=Path, help="the exported frontend (nginx's root)")
    args = parser.parse_args()
    print(header_lines(page_headers(load_settings(), args.static_root)))


if __name__ == "__main__":
    main()
