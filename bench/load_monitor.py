"""What bench/load.py measures besides the events: Redis, PostgreSQL, CPU per node, state per tab.

- ``Recorder``: every call's round trip, bytes and error, per event type, for one measured window;
- ``Monitor``: a sampler (once a second) of PostgreSQL connections to the database, each node's CPU
  (psutil over its process tree) and the load generator's, and the machine's load average;
- ``redis_counters`` / ``state_per_tab``: INFO deltas (commands, bytes) and the sizes of each tab's keys.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

import gevent
import psutil

from bench.reflex_client import Call


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class Recorder:
    """Calls of one measured window, per event type (the call's label)."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bytes_in: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bytes_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, str] = field(default_factory=dict)  # one error message per type
    started: float = field(default_factory=time.monotonic)
    active: bool = True

    def record(self, call: Call, error: Exception | None) -> None:
        if not self.active:
            return
        self.ms[call.name].append(call.seconds * 1000)
        self.bytes_in[call.name] += call.bytes_in
        self.bytes_out[call.name] += call.bytes_out
        if error is not None:
            self.errors[call.name] += 1
            self.samples.setdefault(call.name, str(error)[:160])

    def events(self) -> int:
        return sum(len(v) for v in self.ms.values())

    def error_count(self) -> int:
        return sum(self.errors.values())

    def worst_p95(self, exclude: tuple[str, ...] = ()) -> tuple[str, float]:
        return max(((name, percentile(v, 95)) for name, v in self.ms.items() if v and name not in exclude),
                   key=lambda x: x[1], default=("", 0.0))


def node_processes(port: int) -> list[psutil.Process]:
    """The processes of the node serving ``port``: the ``reflex run ... --backend-port <port>`` process
    tree (granian's workers are its children)."""
    roots = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if "--backend-port" in cmd and cmd[cmd.index("--backend-port") + 1:][:1] == [str(port)]:
            roots.append(proc)
    found = {}
    for root in roots:
        for proc in [root, *root.children(recursive=True)]:
            found[proc.pid] = proc
    return list(found.values())


class Monitor:
    """Samples once a second until stopped: PostgreSQL connections, CPU per node, load average."""

    def __init__(self, database_url: str, database: str, node_ports: list[int]) -> None:
        self.database_url, self.database = database_url, database
        self.node_ports = node_ports
        self.connections: list[tuple[int, int]] = []  # (all, active) connections to the database
        self.cpu: dict[str, list[float]] = defaultdict(list)  # % of one core
        self.load: list[float] = []
        self._procs = {f"node :{p}": node_processes(p) for p in node_ports}
        self._procs["load generator"] = [psutil.Process(os.getpid())]
        self._greenlet: gevent.Greenlet | None = None

    def start(self) -> None:
        for procs in self._procs.values():
            for proc in procs:
                proc.cpu_percent(None)  # the first reading only starts the count
        self._greenlet = gevent.spawn(self._run)

    def stop(self) -> None:
        if self._greenlet is not None:
            self._greenlet.kill()

    def _run(self) -> None:
        import psycopg

        conninfo = self.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo, autocommit=True) as db:
            while True:
                gevent.sleep(1.0)
                row = db.execute("SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM "
                                 "pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                                 (self.database,)).fetchone()
                self.connections.append((row[0], row[1]))
                self.load.append(os.getloadavg()[0])
                for name, procs in self._procs.items():
                    total = 0.0
                    for proc in procs:
                        try:
                            total += proc.cpu_percent(None)
                        except psutil.Error:  # a worker that exited
                            continue
                    self.cpu[name].append(total)


def redis_counters(client) -> dict[str, int]:
    """Server-wide totals: commands processed and network bytes (INFO commandstats / stats)."""
    stats = client.info("commandstats")
    calls = sum(v["calls"] for v in stats.values() if isinstance(v, dict) and "calls" in v)
    net = client.info("stats")
    return {"commands": calls, "bytes_in": net["total_net_input_bytes"],
            "bytes_out": net["total_net_output_bytes"]}


def counters_delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before}


def state_per_tab(client, tokens: set[str]) -> list[int]:
    """Bytes each tab's state takes in Redis: the sum of its keys' values (``<token>_<state>``)."""
    sizes: dict[str, int] = defaultdict(int)
    keys = [k for k in client.scan_iter(count=2000) if k[:36].decode(errors="replace") in tokens]
    for start in range(0, len(keys), 1000):
        batch = keys[start:start + 1000]
        pipe = client.pipeline(transaction=False)
        for key in batch:
            pipe.strlen(key)
        for key, size in zip(batch, pipe.execute(), strict=True):
            sizes[key[:36].decode()] += size or 0
    return sorted(sizes.values())
