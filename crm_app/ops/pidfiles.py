"""Pid files of the run directory: each names one process we started and a marker of its command line.

Stopping checks the marker against /proc/<pid>/cmdline first, so a recycled pid (someone else's process)
is never killed. Each process is started in its own session: its group holds its children (granian workers).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def pid_dir(run_dir: Path) -> Path:
    return run_dir / "pids"


def write(run_dir: Path, name: str, pid: int, marker: str) -> Path:
    path = pid_dir(run_dir) / f"{name}.pid"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid}\n{marker}\n")
    return path


def read_all(run_dir: Path) -> dict[str, tuple[int, str]]:
    entries: dict[str, tuple[int, str]] = {}
    for path in sorted(pid_dir(run_dir).glob("*.pid")):
        lines = path.read_text().splitlines()
        if len(lines) >= 2 and lines[0].strip().isdigit():
            entries[path.stem] = (int(lines[0]), lines[1])
    return entries


def is_ours(pid: int, marker: str) -> bool:
    """The process lives and its command line still contains the marker written at start."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return marker in cmdline


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def signal_group(pid: int, sig: int) -> None:
    """Signal the process's group if it leads one (we start each in its own session), else the process."""
    try:
        target_group = os.getpgid(pid) == pid
        if target_group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def stop_one(pid: int, marker: str, timeout: float = 10.0) -> bool:
    """SIGTERM then SIGKILL our process (and its group); False when the pid is not ours any more."""
    if not is_ours(pid, marker):
        return False
    signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        signal_group(pid, signal.SIGKILL)
    # Children left in the group (granian workers) are ours too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    return True


def stop_all(run_dir: Path) -> list[str]:
    """Stop every process the run directory's pid files name (only those); returns the names stopped."""
    stopped = []
    for name, (pid, marker) in read_all(run_dir).items():
        if stop_one(pid, marker):
            stopped.append(name)
        (pid_dir(run_dir) / f"{name}.pid").unlink(missing_ok=True)
    return stopped
