"""The read benchmark of `manage.py bench`: the dashboards' JSON endpoints against a trivial view.

Per endpoint: one in-process profile (status, queries, time in SQL and in all, response size), then
`clients` closed-loop clients for `seconds` against gunicorn after a warm-up. The goals come from
issue 9: My day at least 0.35x and the team dashboard at least 0.25x the trivial view's req/s, p95
under 10 ms and 15 ms, no errors.
"""

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from dashboard.read_bench.data import ReadBenchWorld, read_bench_generate, read_bench_remove
from dashboard.read_bench.load import LoadResult, Target, load_measure
from dashboard.read_bench.server import LOOPBACK, PROXY_HEADERS, CpuSnapshot, RunningServer, gunicorn_serving


@dataclass(frozen=True)
class Endpoint:
    label: str
    route: str
    token: str | None = None
    query: dict = field(default_factory=dict)
    ratio_goal: float | None = None  # of the trivial view's req/s
    p95_goal_ms: float | None = None

    def path(self) -> str | None:
        """None while the route does not exist (another part of issue 9 may not be merged yet)."""
        try:
            url = reverse(self.route)
        except NoReverseMatch:
            return None
        return f"{url}?{urlencode(self.query)}" if self.query else url

    def headers(self) -> tuple[tuple[str, str], ...]:
        auth = (("Authorization", f"Token {self.token}"),) if self.token else ()
        return (("Accept", "application/json"), *PROXY_HEADERS, *auth)


def read_bench_endpoints(world: ReadBenchWorld) -> list[Endpoint]:
    """The trivial view first: the others are compared with it."""
    return [
        Endpoint("trivial view", "api:ping"),
        Endpoint("My day", "api:me-today", token=world.agent_token, ratio_goal=0.35, p95_goal_ms=10),
        Endpoint(
            "team dashboard",
            "api:dashboard-team",
            token=world.supervisor_token,
            query={"team": world.team_id, "date": world.today.isoformat()},
            ratio_goal=0.25,
            p95_goal_ms=15,
        ),
    ]


@dataclass
class Profile:
    status: int
    queries: int  # of a repeated request (cached answers served from the cache)
    total_ms: float  # median of the repeats, in this process (no HTTP, no gunicorn)
    sql_ms: float
    body: bytes
    cold_queries: int = 0  # of a request that finds nothing in the cache (the first of each caller's answers)
    cold_ms: float = 0.0


def endpoint_profile(endpoint: Endpoint, path: str, *, repeat: int = 20) -> Profile:
    """Where the time goes: the endpoint run in-process, its statements counted and timed, as the load
    generator meets it (repeated: cached answers come from the cache) and cold (the cache emptied first)."""
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in endpoint.headers()}
    client = Client(raise_request_exception=False, HTTP_HOST=LOOPBACK, **headers)  # a 500 is a figure too
    response = client.get(path, secure=True)  # the first answer may fill caches: not timed
    warm = _timed_requests(client, path, repeat=repeat)
    with _no_cache():
        cold = _timed_requests(client, path, repeat=repeat)
    return Profile(
        status=response.status_code,
        queries=warm.queries,
        total_ms=warm.total_ms,
        sql_ms=warm.sql_ms,
        body=response.content,
        cold_queries=cold.queries,
        cold_ms=cold.total_ms,
    )


@dataclass(frozen=True)
class _Timing:
    queries: int
    total_ms: float
    sql_ms: float


@contextmanager
def _no_cache() -> Iterator[None]:
    """The default cache swapped for one that keeps nothing (the real one may hold a live site's entries and,
    with the broker on the same Redis database, its queued tasks: it is never cleared)."""
    real = caches["default"]
    caches["default"] = DummyCache("cold", {})
    try:
        yield
    finally:
        caches["default"] = real


def _timed_requests(client: Client, path: str, *, repeat: int) -> _Timing:
    totals, sql_times, statements = [], [], []
    for _ in range(repeat):
        spent = [0.0]
        statements.clear()

        def timed(execute, sql, params, many, context, spent=spent):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - began
                statements.append(sql)

        began = time.perf_counter()
        with connection.execute_wrapper(timed):
            client.get(path, secure=True)
        totals.append(time.perf_counter() - began)
        sql_times.append(spent[0])
    return _Timing(len(statements), 1000 * statistics.median(totals), 1000 * statistics.median(sql_times))


@dataclass
class Measured:
    endpoint: Endpoint
    path: str | None
    profile: Profile | None = None
    load: LoadResult | None = None
    workers_cpu: float | None = None  # CPU seconds of gunicorn's workers during the measured run
    database_cpu: float | None = None  # and of the PostgreSQL backends serving them

    def cpu_ms_per_answer(self, seconds: float | None) -> str:
        answers = self.load.requests + self.load.error_count
        return f"{1000 * seconds / answers:.1f}" if seconds is not None and answers else "-"

    @property
    def skipped(self) -> bool:
        return self.load is None


def read_bench_measure(
    world: ReadBenchWorld,
    server: RunningServer,
    *,
    clients: int,
    seconds: float,
    warmup: float,
    write: Callable[[str], None],
) -> list[Measured]:
    measured = []
    for endpoint in read_bench_endpoints(world):
        path = endpoint.path()
        if path is None:
            measured.append(Measured(endpoint, None))
            continue
        profile = endpoint_profile(endpoint, path)
        if profile.status != 200:
            write(f"  {endpoint.label} answered HTTP {profile.status} in-process: {profile.body[:300]!r}")
        write(f"Measuring {endpoint.label} ({path}) ...")
        target = Target(server.host, server.port, path, endpoint.headers())
        load_measure(target, clients=clients, seconds=warmup)  # warm-up: workers and connections ready
        before = CpuSnapshot.take(server)
        load = load_measure(target, clients=clients, seconds=seconds)
        workers_cpu, database_cpu = CpuSnapshot.take(server).used_since(before)
        measured.append(Measured(endpoint, path, profile, load, workers_cpu, database_cpu))
    return measured


def read_bench_report(
    measured: list[Measured], write: Callable[[str], None], *, clients: int, seconds: float, warmup: float
) -> None:
    write("")
    write(
        f"Read benchmark: {clients} clients for {seconds:g} s per endpoint after {warmup:g} s of warm-up; "
        "latencies as the client sees them (queueing included)"
    )
    write(f"{'endpoint':<16} {'route':<20} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7} {'x trivial':>10}")
    baseline = measured[0].load
    for m in measured:
        if m.skipped:
            write(f"{m.endpoint.label:<16} {m.endpoint.route:<20} skipped: the route does not exist yet")
            continue
        load = m.load
        ratio = load.requests_per_second / baseline.requests_per_second if baseline.requests_per_second else 0.0
        write(
            f"{m.endpoint.label:<16} {m.endpoint.route:<20} {load.requests_per_second:>8.0f} {load.p50_ms:>7.1f} "
            f"{load.p95_ms:>7.1f} {load.error_count:>7} {ratio:>10.2f}"
        )
    write("")
    write(
        "Where the time goes, per request: queries, app ms and SQL ms of the request run in-process (median of "
        "20, no HTTP) as repeated above, and cold (nothing in the cache: a caller's first answer); CPU ms of "
        "gunicorn's workers and of their PostgreSQL backends during the run; KB of JSON"
    )
    write(
        f"{'endpoint':<16} {'queries':>8} {'app ms':>7} {'SQL ms':>7} {'cold queries':>13} {'cold ms':>8} "
        f"{'worker CPU ms':>14} {'PG CPU ms':>10} {'KB':>6} {'client CPU':>11}"
    )
    for m in measured:
        if m.skipped:
            continue
        profile = m.profile
        write(
            f"{m.endpoint.label:<16} {profile.queries:>8} {profile.total_ms:>7.1f} {profile.sql_ms:>7.1f} "
            f"{profile.cold_queries:>13} {profile.cold_ms:>8.1f} "
            f"{m.cpu_ms_per_answer(m.workers_cpu):>14} {m.cpu_ms_per_answer(m.database_cpu):>10} "
            f"{len(profile.body) / 1024:>6.1f} {m.load.client_cpu_share:>10.0%}"
        )
    write("")
    for label, ok in read_bench_checks(measured):
        write(("  " + {True: "ok  ", False: "MISS", None: "SKIP"}[ok] + "  ") + label)
    for m in measured:
        if not m.skipped and m.load.errors:
            details = ", ".join(f"{name} x{count}" for name, count in m.load.errors.most_common())
            write(f"        {m.endpoint.label}: {details}")


def read_bench_checks(measured: list[Measured]) -> list[tuple[str, bool | None]]:
    """(label, True / False / None when skipped) for each goal."""
    baseline = measured[0].load
    checks: list[tuple[str, bool | None]] = []
    for m in measured[1:]:
        name = m.endpoint.label
        if m.skipped:
            checks.append((f"{name}: {m.endpoint.route} does not exist yet, not measured", None))
            continue
        ratio = m.load.requests_per_second / baseline.requests_per_second if baseline.requests_per_second else 0.0
        checks.append(
            (
                f"{name} at least {m.endpoint.ratio_goal}x the trivial view's req/s ({ratio:.2f}x)",
                ratio >= m.endpoint.ratio_goal,
            )
        )
        checks.append(
            (
                f"{name} p95 under {m.endpoint.p95_goal_ms:g} ms ({m.load.p95_ms:.1f} ms)",
                m.load.p95_ms < m.endpoint.p95_goal_ms,
            )
        )
    errors = sum(m.load.error_count for m in measured if not m.skipped)
    checks.append((f"no errors ({errors})", errors == 0))
    return checks


def read_bench(
    *,
    agents: int,
    days: int,
    clients: int,
    seconds: float,
    warmup: float,
    redis_url: str,
    write: Callable[[str], None],
) -> list[Measured]:
    """Generate the data, serve it with gunicorn, measure every endpoint, report; the data is removed
    and gunicorn stopped whatever happens."""
    read_bench_remove()  # left over by a run that was killed
    write(f"Generating a team of {agents} agents with {days} days of computed metrics, targets and plans ...")
    try:
        world = read_bench_generate(agents=agents, days=days)
        with gunicorn_serving(database=connection.settings_dict, redis_url=redis_url) as server:
            write(
                f"gunicorn: {server.workers} {server.worker_class} workers on {server.host}:{server.port}, "
                f"{server.settings_module}, DEBUG off"
            )
            write(
                f"Machine: {os.cpu_count()} CPUs shared by gunicorn, PostgreSQL and the load generator; "
                f"load average {os.getloadavg()[0]:.2f} before measuring"
            )
            measured = read_bench_measure(world, server, clients=clients, seconds=seconds, warmup=warmup, write=write)
    finally:
        read_bench_remove()
    read_bench_report(measured, write, clients=clients, seconds=seconds, warmup=warmup)
    return measured
