"""The read benchmark's parts that need no PostgreSQL: the load generator against a tiny local server,
its percentiles, the trivial view, gunicorn's environment, the goals and the command's options."""

import asyncio
import datetime as dt
import math
import os
import subprocess
import sys
import time
import zoneinfo
from collections import Counter
from io import StringIO

import environ
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from dashboard.read_bench.data import zone_at_midday
from dashboard.read_bench.load import LoadResult, Target, load_measure, load_run, percentile
from dashboard.read_bench.run import Endpoint, Measured, Profile, read_bench_checks, read_bench_report
from dashboard.read_bench.server import CpuSnapshot, RunningServer, ServerFailed, database_url, gunicorn_environment

BODY = b'{"ok": true}'


class TinyServer:
    """An HTTP/1.1 server in the test's event loop that counts what it answers."""

    def __init__(self, *, close_after_answer=False, chunked=False, status=200, delay=0.0):
        self.close_after_answer, self.chunked, self.status, self.delay = close_after_answer, chunked, status, delay
        self.answered = 0
        self.connections = 0

    async def handle(self, reader, writer):
        self.connections += 1
        try:
            while True:
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return
                if self.delay:
                    await asyncio.sleep(self.delay)
                headers = [f"HTTP/1.1 {self.status} X", "Content-Type: application/json"]
                if self.close_after_answer:
                    headers.append("Connection: close")
                if self.chunked:
                    headers.append("Transfer-Encoding: chunked")
                    body = (
                        b"5\r\n" + BODY[:5] + b"\r\n" + f"{len(BODY) - 5:x}\r\n".encode() + BODY[5:] + b"\r\n0\r\n\r\n"
                    )
                else:
                    headers.append(f"Content-Length: {len(BODY)}")
                    body = BODY
                writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
                await writer.drain()
                self.answered += 1
                if self.close_after_answer:
                    return
        finally:
            writer.close()

    def run_load(self, *, clients: int, seconds: float) -> LoadResult:
        async def main():
            server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            async with server:
                return await load_run(Target("127.0.0.1", port, "/ping/"), clients=clients, seconds=seconds)

        return asyncio.run(main())


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.95) == 7
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.95) == 4
    assert math.isnan(percentile([], 0.5))


def test_load_result_figures():
    result = LoadResult(seconds=2.0, latencies=[0.001 * v for v in range(1, 21)], errors=Counter({"HTTP 500": 3}))
    result.body_bytes = 20 * 100
    assert result.requests == 20
    assert result.requests_per_second == 10
    assert result.p50_ms == pytest.approx(10)
    assert result.p95_ms == pytest.approx(19)
    assert result.error_count == 3
    assert result.mean_body_bytes == 100


def test_keep_alive_clients_reuse_their_connection_and_every_answer_is_counted():
    server = TinyServer()
    result = server.run_load(clients=4, seconds=0.3)
    assert result.requests == server.answered > 0
    assert result.connections == server.connections == 4
    assert result.errors == Counter()
    assert result.body_bytes == len(BODY) * result.requests
    assert result.latencies == sorted(result.latencies)
    assert result.p50_ms <= result.p95_ms <= 1000 * result.latencies[-1]


def test_clients_reconnect_when_the_server_closes_after_each_answer():
    server = TinyServer(close_after_answer=True)
    result = server.run_load(clients=3, seconds=0.3)
    assert result.requests == server.answered == server.connections == result.connections > 3
    assert result.error_count == 0


def test_chunked_answers_are_read_whole():
    server = TinyServer(chunked=True)
    result = server.run_load(clients=2, seconds=0.2)
    assert result.requests == server.answered > 0
    assert result.body_bytes == len(BODY) * result.requests
    assert result.error_count == 0


def test_error_statuses_are_errors_not_requests():
    server = TinyServer(status=500)
    result = server.run_load(clients=2, seconds=0.2)
    assert result.requests == 0
    assert result.errors == Counter({"HTTP 500": server.answered})
    assert math.isnan(result.p95_ms)


def test_latency_includes_the_servers_time_and_concurrency_is_the_number_of_clients():
    server = TinyServer(delay=0.02)
    result = server.run_load(clients=5, seconds=0.5)
    assert result.latencies[0] >= 0.02
    # Five requests in flight at a time, each taking 20 ms at least: at most 250 answers a second.
    assert result.requests_per_second <= 5 / 0.02
    assert result.requests >= 5 * 10  # and the clients do keep the server busy


def test_a_refused_connection_is_an_error_and_does_not_spin():
    probe = __import__("socket").socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens there now
    result = load_measure(Target("127.0.0.1", port, "/"), clients=2, seconds=0.2)
    assert result.requests == 0
    assert result.errors["ConnectionRefusedError"] > 0
    assert result.error_count <= 2 * (0.2 / 0.01) + 2


def test_request_bytes():
    target = Target("127.0.0.1", 8000, "/api/v1/ping/?a=1", (("Authorization", "Token abc"),))
    assert target.request_bytes() == (
        b"GET /api/v1/ping/?a=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nConnection: keep-alive\r\n"
        b"Authorization: Token abc\r\n\r\n"
    )


def test_the_zone_puts_the_run_in_the_middle_of_the_working_day():
    for hour in range(24):
        now = dt.datetime(2026, 3, 2, hour, 30, tzinfo=dt.UTC)
        assert now.astimezone(zoneinfo.ZoneInfo(zone_at_midday(now))).hour == 13


# The trivial view ------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["anonymous", "agent", "outsider"])
def test_ping_is_public_and_runs_no_query(db, api, actor, request, django_assert_num_queries):
    user = None if actor == "anonymous" else request.getfixturevalue(actor)
    client = api.as_user(user)  # creating the token happens here, before counting
    with django_assert_num_queries(0):
        response = client.get(reverse("api:ping"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_ping_only_answers_reads(api, agent):
    assert reverse("api:ping") == "/api/v1/ping/"
    assert api.as_user(agent).post(reverse("api:ping"), {}, format="json").status_code == 405


def test_a_bad_token_does_not_matter_to_ping(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get(reverse("api:ping")).status_code == 200


# gunicorn's environment -----------------------------------------------------------------------


def test_database_url_round_trips_through_django_environ():
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "cs_bench_read",
        "USER": "post gres",
        "PASSWORD": "p@ss:w/rd",
        "HOST": "127.0.0.1",
        "PORT": 5432,
        "OPTIONS": {"sslmode": "disable"},
    }
    parsed = environ.Env.db_url_config(database_url(database))
    assert (parsed["NAME"], parsed["USER"], parsed["PASSWORD"], parsed["HOST"], int(parsed["PORT"])) == (
        "cs_bench_read",
        "post gres",
        "p@ss:w/rd",
        "127.0.0.1",
        5432,
    )
    assert parsed["OPTIONS"] == {"sslmode": "disable"}


def test_database_url_needs_postgresql():
    with pytest.raises(ServerFailed, match="PostgreSQL"):
        database_url({"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"})


def test_gunicorn_runs_production_settings_when_redis_is_configured(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 9")
    monkeypatch.setenv("WEB_CONCURRENCY", "9")
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "USER": "postgres", "HOST": "127.0.0.1"}
    environment, module = gunicorn_environment(database, "redis://127.0.0.1:6379/0")
    assert module == environment["DJANGO_SETTINGS_MODULE"] == "cs_platform.settings.production"
    assert environment["REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert (environment["DEBUG"], environment["ALLOWED_HOSTS"], environment["CONN_MAX_AGE"]) == (
        "false",
        "127.0.0.1",
        "60",
    )
    assert environment["DATABASE_URL"] == "postgres://postgres@127.0.0.1/x"
    assert len(environment["SECRET_KEY"]) >= 50
    assert "GUNICORN_CMD_ARGS" not in environment and "WEB_CONCURRENCY" not in environment

    monkeypatch.setenv("REDIS_URL", "redis://elsewhere")
    environment, module = gunicorn_environment(database, "")
    assert module == "cs_platform.settings.base"  # production refuses to start without Redis
    assert "REDIS_URL" not in environment


# Goals and report ---------------------------------------------------------------------------------


def _measured(label, rps, p95_ms, *, errors=0, ratio_goal=None, p95_goal=None, skipped=False):
    endpoint = Endpoint(label, f"api:{label}", ratio_goal=ratio_goal, p95_goal_ms=p95_goal)
    if skipped:
        return Measured(endpoint, None)
    latencies = [p95_ms / 1000] * 100
    load = LoadResult(seconds=100 / rps, latencies=latencies, errors=Counter({"HTTP 500": errors} if errors else {}))
    profile = Profile(status=200, queries=3, total_ms=1.0, sql_ms=0.5, body=b"{}")
    return Measured(endpoint, "/x/", profile, load)


def test_goals_are_checked_against_the_trivial_view():
    measured = [
        _measured("ping", 1000, 4),
        _measured("today", 350, 9.9, ratio_goal=0.35, p95_goal=10),  # exactly at the ratio: ok
        _measured("team", 200, 15, ratio_goal=0.25, p95_goal=15, errors=2),  # 0.2x, p95 not under 15 ms
    ]
    assert [(label, ok) for label, ok in read_bench_checks(measured)] == [
        ("today at least 0.35x the trivial view's req/s (0.35x)", True),
        ("today p95 under 10 ms (9.9 ms)", True),
        ("team at least 0.25x the trivial view's req/s (0.20x)", False),
        ("team p95 under 15 ms (15.0 ms)", False),
        ("no errors (2)", False),
    ]


def test_report_prints_ok_miss_and_skip_lines():
    measured = [
        _measured("ping", 1000, 4),
        _measured("today", 400, 8, ratio_goal=0.35, p95_goal=10),
        _measured("team", 0, 0, ratio_goal=0.25, p95_goal=15, skipped=True),
    ]
    lines = []
    read_bench_report(measured, lines.append, clients=8, seconds=10, warmup=2)
    text = "\n".join(lines)
    assert "  ok    today at least 0.35x the trivial view's req/s (0.40x)" in lines
    assert "  ok    today p95 under 10 ms (8.0 ms)" in lines
    assert "  SKIP  team: api:team does not exist yet, not measured" in lines
    assert "  ok    no errors (0)" in lines
    assert "skipped: the route does not exist yet" in text
    assert "MISS" not in text


def test_a_route_that_does_not_exist_yet_has_no_path():
    assert Endpoint("later", "api:no-such-route").path() is None
    assert Endpoint("ping", "api:ping", query={"a": 1}).path() == "/api/v1/ping/?a=1"


# The command ---------------------------------------------------------------------------------------


@pytest.fixture
def bench_parts(monkeypatch):
    """The command's parts replaced by recorders: which ran, with what."""
    import dashboard.read_bench
    import recognition.benchmark
    from kpi.management.commands import bench

    ran = []
    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setattr(bench.Command, "_daily_metrics", lambda self, repeat: ran.append("daily"))
    monkeypatch.setattr(recognition.benchmark, "award_bench_measure", lambda repeat: ran.append("awards") or [])
    monkeypatch.setattr(recognition.benchmark, "award_bench_report", lambda results, write: None)
    monkeypatch.setattr(dashboard.read_bench, "read_bench", lambda **kwargs: ran.append(("read", kwargs)))
    return ran


def test_the_full_bench_ends_with_the_read_benchmark(bench_parts):
    call_command("bench", stdout=StringIO())
    assert bench_parts[:2] == ["daily", "awards"]
    name, options = bench_parts[2]
    assert name == "read"
    assert {k: options[k] for k in ("agents", "days", "clients", "seconds", "warmup")} == {
        "agents": 30,
        "days": 35,
        "clients": 8,
        "seconds": 10,
        "warmup": 2,
    }


def test_awards_only_is_unchanged_and_read_only_runs_alone(bench_parts):
    call_command("bench", "--awards-only", stdout=StringIO())
    assert bench_parts == ["awards"]
    bench_parts.clear()
    call_command("bench", "--read-only", "--read-seconds", "1", "--read-clients", "2", stdout=StringIO())
    assert [entry[0] for entry in bench_parts] == ["read"]
    assert (bench_parts[0][1]["seconds"], bench_parts[0][1]["clients"]) == (1, 2)


def test_awards_only_and_read_only_exclude_each_other(bench_parts):
    with pytest.raises(CommandError):
        call_command("bench", "--awards-only", "--read-only", stdout=StringIO())


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="CPU times are read from Linux's /proc")
def test_cpu_snapshot_counts_the_cpu_time_of_the_servers_workers(db):
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    busy = subprocess.Popen([sys.executable, "-c", burn])
    try:
        me = RunningServer("127.0.0.1", 0, 1, "sync", "x", pid=os.getpid())  # the test process as the "master"
        before = CpuSnapshot.take(me)
        assert busy.pid in before.workers
        deadline = time.monotonic() + 10
        while CpuSnapshot.take(me).workers[busy.pid] < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers, database = CpuSnapshot.take(me).used_since(before)
    finally:
        busy.kill()
        busy.wait()
    assert 0.2 <= workers < 1.0
    assert database is None  # nothing to read (SQLite, or PostgreSQL elsewhere): shown as "-"
    measured = Measured(Endpoint("x", "api:x"), "/x/", load=LoadResult(latencies=[0.1] * 4))
    assert measured.cpu_ms_per_answer(0.02) == "5.0"
    assert measured.cpu_ms_per_answer(None) == "-"


@pytest.mark.parametrize(
    "option", ["--read-clients=0", "--read-agents=1", "--read-days=0", "--read-seconds=0", "--read-warmup=-1"]
)
def test_read_options_out_of_range_are_refused(bench_parts, option):
    with pytest.raises(CommandError, match=option.split("=")[0]):
        call_command("bench", "--read-only", option, stdout=StringIO())
    assert bench_parts == []
