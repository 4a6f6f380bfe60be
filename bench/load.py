"""Load test: simulated staff tabs speaking Reflex's Socket.IO event protocol, driven by Locust (headless).

    .venv/bin/python bench/load_seed.py --customers 100000 --database h4_load_100k --staff 400
    .venv/bin/python bench/load.py --database h4_load_100k --nodes 2 --users 200 --duration 300
    .venv/bin/python bench/load.py --database h4_load_100k --knee               # 1 node, then 2 nodes
    .venv/bin/python bench/load.py --url http://127.0.0.1:8080 --database clientela   # a running `make prod`

Each user (bench/load_user.py) signs in with its own account, then one action a second: the list, a
search typed 3-6 keystrokes, the next page, a profile with its feed, a comment, an edit saved through
the customer form. Without ``--url`` the nodes (``reflex run --env prod --backend-only``, Redis DB 4,
the given database) are started here and the users spread over them round robin, as a proxy without
affinity would; they are stopped at the end.

Prints, for the measured window (after every user signed in): per event type p50/p95/p99/max, errors,
bytes; events/s; Redis commands and bytes per event (INFO deltas; the Redis server is shared, so the
rate of the 10 s before the run is subtracted and both figures are printed); PostgreSQL connections to
the database (peak, median); CPU per node and of the load generator (psutil, % of one core); state per
tab in Redis (sum of the tab's keys); the machine's load average. ``--knee`` steps the number of
sessions and prints where p95 crosses 150 ms with 1 and 2 nodes, and the throughput ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from gevent import monkey

monkey.patch_all()  # before anything imports socket, ssl or threading: Locust's users are greenlets

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
STATE_TARGET = 64 * 1024
# A session's first events: in the knee's windows they come from the users added by the step.
SIGN_IN_TYPES = ("open /login", "sign_in", "open /customers")
PG_SERVER = os.environ.get("CRM_LOAD_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("CRM_LOAD_REDIS", "redis://127.0.0.1:6379")


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


class Run:
    """Locust's runner over the simulated tabs, against ``urls``."""

    def __init__(self, urls: list[str], redis_db: int, spawn_rate: float) -> None:
        import locust
        import redis
        from locust.env import Environment

        from bench.load_user import StaffTab
        from bench.reflex_client import initial_state_hashes

        class Staff(StaffTab):
            wait_time = locust.constant(0)  # the task paces itself: one action a second

        StaffTab.base_urls = urls
        StaffTab.hashes = initial_state_hashes()
        self.tab_class = StaffTab
        self.env = Environment(user_classes=[Staff], events=locust.events)
        self.runner = self.env.create_local_runner()
        self.spawn_rate = spawn_rate
        self.redis = redis.Redis.from_url(REDIS_SERVER)
        self.state_redis = redis.Redis.from_url(REDIS_SERVER, db=redis_db)

    def users(self, count: int) -> float:
        """Grow (or shrink) to ``count`` signed-in users; returns the seconds it took."""
        import gevent

        started = time.monotonic()
        self.runner.start(count, spawn_rate=self.spawn_rate)
        while self.runner.user_count != count or len(self.tab_class.tokens) < count * 0.98:
            gevent.sleep(0.5)
            if time.monotonic() - started > count / self.spawn_rate + 120:
                print(f"  only {len(self.tab_class.tokens)} of {count} users signed in after "
                      f"{time.monotonic() - started:.0f} s")
                break
        return time.monotonic() - started

    def stop(self) -> None:
        self.runner.quit()


def measure(run: Run, seconds: float, database: str, ports: list[int]):
    """One measured window: (recorder, monitor, redis delta, baseline rate, tab sizes, seconds)."""
    import gevent

    from bench.load_monitor import Monitor, Recorder, counters_delta, redis_counters, state_per_tab

    recorder = Recorder()
    run.tab_class.recorder = recorder
    monitor = Monitor(f"{PG_SERVER}/{database}", database, ports)
    before = redis_counters(run.redis)
    monitor.start()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    recorder.active = False
    delta = counters_delta(before, redis_counters(run.redis))
    sizes = state_per_tab(run.state_redis, set(run.tab_class.tokens))
    monitor.stop()
    return recorder, monitor, delta, sizes, elapsed


def report(title: str, recorder, monitor, delta: dict, baseline: dict, sizes: list[int], elapsed: float,
           generator_note: str = "") -> dict:
    from bench.load_monitor import percentile

    print(f"\n== {title}: measured {elapsed:.0f} s, ended {_now()}")
    print(f"{'event type':<16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'errors':>6} {'KB in/ev':>8}")
    for name in sorted(recorder.ms):
        v = recorder.ms[name]
        print(f"{name:<16} {len(v):>7} {statistics.median(v):>8.1f} {percentile(v, 95):>8.1f} "
              f"{percentile(v, 99):>8.1f} {max(v):>8.1f} {recorder.errors.get(name, 0):>6} "
              f"{recorder.bytes_in[name] / len(v) / 1024:>8.1f}")
    events = recorder.events()
    all_ms = [x for v in recorder.ms.values() for x in v]
    if all_ms:
        print(f"{'all':<16} {events:>7} {statistics.median(all_ms):>8.1f} "
              f"{percentile(all_ms, 95):>8.1f} {percentile(all_ms, 99):>8.1f} {max(all_ms):>8.1f} "
              f"{recorder.error_count():>6}")
    for name, sample in recorder.samples.items():
        print(f"  error in {name}: {sample}")
    rate = events / elapsed if elapsed else 0.0
    print(f"events/s: {rate:.1f} (socket events answered; {events} in {elapsed:.0f} s)")
    if events and delta:
        others = {k: baseline[k] * elapsed for k in delta}
        mine = {k: max(0.0, delta[k] - others[k]) for k in delta}
        kb = 1024 * events
        print(f"Redis per event: {mine['commands'] / events:.1f} commands, "
              f"{mine['bytes_in'] / kb:.1f} KB in, "
              f"{mine['bytes_out'] / kb:.1f} KB out (server-wide {delta['commands'] / events:.1f} commands, "
              f"{delta['bytes_in'] / kb:.1f} KB in, {delta['bytes_out'] / kb:.1f} KB out, before "
              f"subtracting other clients' pre-run rate of {baseline['commands']:.0f} commands/s)")
    if monitor.connections:
        counts = [c for c, _ in monitor.connections]
        active = [a for _, a in monitor.connections]
        print(f"PostgreSQL connections to {monitor.database}: peak {max(counts)} "
              f"(median {statistics.median(counts):.0f}), active peak {max(active)} "
              f"(median {statistics.median(active):.0f})")
    for name, values in monitor.cpu.items():
        if values:
            print(f"CPU {name}: mean {statistics.mean(values):.0f}%, peak {max(values):.0f}% of one core")
    if sizes:
        print(f"state per tab in Redis: median {statistics.median(sizes) / 1024:.1f} KB, "
              f"max {max(sizes) / 1024:.1f} KB over {len(sizes)} tabs (target <= 64 KB)")
    if monitor.load:
        print(f"load average (1 min) during the window: mean {statistics.mean(monitor.load):.2f}, "
              f"max {max(monitor.load):.2f} on {os.cpu_count()} cores{generator_note}")
    worst = recorder.worst_p95()
    steady_worst = recorder.worst_p95(exclude=SIGN_IN_TYPES)
    verdict = [f"p95 <= {TARGET_MS:.0f} ms for every type: {'met' if worst[1] <= TARGET_MS else 'MISSED'}"
               f" (worst {worst[0]} {worst[1]:.0f} ms)",
               f"errors: {recorder.error_count()}",
               "state per tab <= 64 KB: " + ("not measured" if not sizes
                                             else "met" if max(sizes) <= STATE_TARGET else "MISSED")]
    print("targets: " + "; ".join(verdict))
    print(f"worst p95 without the sign-in's events ({', '.join(SIGN_IN_TYPES)}): "
          f"{steady_worst[0]} {steady_worst[1]:.0f} ms")
    return {"rate": rate, "worst_p95": steady_worst[1], "worst": steady_worst[0],
            "errors": recorder.error_count(), "events": events}


def redis_baseline(run: Run, seconds: float = 10.0) -> dict:
    """Other clients' Redis rate (per second) before the run: the server is shared on this machine."""
    import gevent

    from bench.load_monitor import counters_delta, redis_counters

    before = redis_counters(run.redis)
    gevent.sleep(seconds)
    return {k: v / seconds for k, v in counters_delta(before, redis_counters(run.redis)).items()}


class Topology:
    """The nodes under test: started here (bench/load_nodes.py) or given (``--url``)."""

    def __init__(self, args: argparse.Namespace, nodes: int) -> None:
        self.args, self.count, self.started = args, nodes, None

    def __enter__(self) -> tuple[list[str], list[int]]:
        from urllib.parse import urlsplit

        if self.args.url:
            ports = self.args.node_port or [urlsplit(u).port or 80 for u in self.args.url]
            return self.args.url, ports
        import redis

        from bench.load_nodes import start_nodes

        redis.Redis.from_url(REDIS_SERVER, db=self.args.redis_db).flushdb()  # our DB only: no stale tabs
        public = f"http://127.0.0.1:{self.args.port_base + 1}"
        self.started = start_nodes(self.count, self.args.port_base, f"{PG_SERVER}/{self.args.database}",
                                   f"{REDIS_SERVER}/{self.args.redis_db}", public,
                                   Path(self.args.run_dir), workers=self.args.workers)
        print(f"started {self.count} node(s): " + ", ".join(
            f"{n.url} (pid {n.pid}, log {n.log_path})" for n in self.started.nodes))
        return self.started.urls, [n.port for n in self.started.nodes]

    def __exit__(self, *exc: object) -> None:
        if self.started is not None:
            self.started.stop()
            # An event that failed on the server may still answer (or time out): the nodes' logs say.
            for node in self.started.nodes:
                text = node.log_path.read_text(errors="replace")
                errors = text.count("Traceback (most recent call last)")
                last = text[text.rfind("Traceback"):].strip().splitlines()[-1:] if errors else []
                tail = f" (last: {last[0][:150]})" if last else ""
                print(f"node :{node.port} log: {errors} tracebacks{tail}")


def steady(args: argparse.Namespace) -> None:
    with Topology(args, args.nodes) as (urls, ports):
        run = Run(urls, args.redis_db, args.spawn_rate)
        try:
            baseline = redis_baseline(run)
            print(f"{_now()}: {args.users} users signing in ({args.spawn_rate:g}/s) against "
                  f"{', '.join(urls)}; load average {os.getloadavg()[0]:.2f}")
            from bench.load_monitor import Recorder

            run.tab_class.recorder = sign_ins = Recorder()
            took = run.users(args.users)
            print(f"{len(run.tab_class.tokens)} users signed in within {took:.0f} s")
            report("sign-in ramp", sign_ins, _no_monitor(args.database), {}, baseline, [], took)
            result = measure(run, args.duration, args.database, ports)
            report(f"{args.users} sessions, {len(ports)} node(s), database {args.database}", *result[:2],
                   result[2], baseline, result[3], result[4])
        finally:
            run.stop()


def _no_monitor(database: str):
    from types import SimpleNamespace

    return SimpleNamespace(connections=[], cpu={}, load=[], database=database)


def knee(args: argparse.Namespace) -> None:
    steps = [int(s) for s in args.steps.split(",")]
    found: dict[int, list[tuple[int, dict]]] = {}
    for nodes in args.knee_nodes:
        found[nodes] = []
        with Topology(args, nodes) as (urls, ports):
            run = Run(urls, args.redis_db, args.spawn_rate)
            try:
                baseline = redis_baseline(run, 5.0)
                for users in steps:
                    run.users(users)
                    result = measure(run, args.step_seconds, args.database, ports)
                    summary = report(f"knee: {users} sessions, {nodes} node(s)", *result[:2], result[2],
                                     baseline, result[3], result[4])
                    found[nodes].append((users, summary))
                    if summary["worst_p95"] > args.give_up_ms:
                        print(f"  worst p95 above {args.give_up_ms:.0f} ms: no larger step, {nodes} node(s)")
                        break
            finally:
                run.stop()
    print(f"\n== knee ({_now()}; p95 target {TARGET_MS:.0f} ms, worst event type per step, sign-in's apart)")
    for nodes, rows in found.items():
        line = ", ".join(f"{u}: {s['worst_p95']:.0f} ms {s['rate']:.0f} ev/s {s['errors']} err"
                         for u, s in rows)
        over = next((u for u, s in rows if s["worst_p95"] > TARGET_MS), None)
        print(f"{nodes} node(s): {line}")
        print(f"  p95 crosses {TARGET_MS:.0f} ms at {over} sessions" if over is not None
              else f"  p95 stays under {TARGET_MS:.0f} ms up to {rows[-1][0] if rows else 0} sessions")
    if len(found) == 2:
        one, two = (max((s["rate"] for _, s in found[n]), default=0.0) for n in sorted(found))
        print(f"throughput (best events/s over the steps): {one:.0f} with 1 node, {two:.0f} with 2 nodes, "
              f"ratio 2/1 = {two / one if one else 0:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="h4_load_100k")
    parser.add_argument("--url", action="append", help="a running topology (proxy or nodes); repeatable")
    parser.add_argument("--node-port", type=int, action="append", help="with --url: the nodes' ports (CPU)")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="sign-ins per second")
    parser.add_argument("--knee", action="store_true")
    parser.add_argument("--knee-nodes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    parser.add_argument("--steps", default="25,50,100,150,200,300")
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument("--give-up-ms", type=float, default=3000)
    parser.add_argument("--port-base", type=int, default=8400)
    parser.add_argument("--redis-db", type=int, default=4)
    parser.add_argument("--workers", type=int, default=None,
                        help="granian workers per node (default: Reflex's, 2 x cores + 1)")
    parser.add_argument("--run-dir", default="/tmp/h4_load_run")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"{_now()}: load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores before the run")
    knee(args) if args.knee else steady(args)


if __name__ == "__main__":
    main()
