"""The read benchmark's data and a short real run (gunicorn on the test database); PostgreSQL only."""

import re
import socket
import zoneinfo
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conversations.models import Conversation
from dashboard.read_bench.data import (
    READ_BENCH_DEPARTMENT,
    READ_BENCH_SOURCE,
    READ_BENCH_USERNAME,
    read_bench_generate,
    read_bench_remove,
)
from dashboard.read_bench.run import endpoint_profile, read_bench_endpoints
from dashboard.read_bench.server import ServerFailed, gunicorn_serving
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume
from plans.models import DailyPlan
from teams.models import Team

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the read benchmark generates its data in PostgreSQL and serves it with gunicorn (CI sets DATABASE_URL)",
)


def test_generated_world_serves_every_endpoint_and_is_removed(db):
    world = read_bench_generate(agents=4, days=9)
    team = Team.objects.get(pk=world.team_id)
    assert team.parent.name == READ_BENCH_DEPARTMENT
    assert world.today == timezone.now().astimezone(zoneinfo.ZoneInfo(team.timezone)).date()
    agent_plan = DailyPlan.objects.get(agent__auth_token__key=world.agent_token, date=world.today)
    assert {target["metric"] for target in agent_plan.targets} >= {"conversations", "sales_amount"}
    assert DailyAgentMetric.objects.filter(team=team, date=world.today).exists()  # today has live figures
    assert DailyTeamMetric.objects.filter(team=team).count() == 9
    assert HourlyVolume.objects.filter(team=team).exists()

    for endpoint in read_bench_endpoints(world):
        path = endpoint.path()
        if path is None:  # the team dashboard may not be merged yet
            continue
        profile = endpoint_profile(endpoint, path, repeat=2)
        assert profile.status == 200, (endpoint.route, profile.body[:300])
        if endpoint.route == "api:ping":
            assert profile.queries == profile.cold_queries == 0
        else:  # repeated answers come from the cache; a cold one reads the database
            assert profile.queries < profile.cold_queries

    read_bench_remove()
    assert not Team.objects.filter(name=READ_BENCH_DEPARTMENT).exists()
    assert not get_user_model().objects.filter(username__startswith=READ_BENCH_USERNAME).exists()
    assert not Conversation.objects.filter(source=READ_BENCH_SOURCE).exists()
    assert not DailyAgentMetric.objects.filter(team_id=world.team_id).exists()


def test_nothing_is_left_half_written_when_generation_fails(db, monkeypatch):
    from dashboard.read_bench import data

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(data, "_plans", broken)
    with pytest.raises(RuntimeError):
        read_bench_generate(agents=3, days=2)
    assert not Team.objects.filter(name=READ_BENCH_DEPARTMENT).exists()
    assert not Conversation.objects.filter(source=READ_BENCH_SOURCE).exists()


@pytest.mark.django_db(transaction=True)  # gunicorn's workers read the data through their own connections
def test_a_short_run_measures_every_endpoint_through_gunicorn_and_cleans_up():
    out = StringIO()
    call_command(
        "bench",
        "--read-only",
        "--read-seconds=0.5",
        "--read-warmup=0.2",
        "--read-clients=2",
        "--read-agents=3",
        "--read-days=2",
        stdout=out,
    )
    output = out.getvalue()
    port = int(re.search(r"gunicorn: 2 sync workers on 127\.0\.0\.1:(\d+)", output).group(1))
    trivial = next(line for line in output.splitlines() if line.startswith("trivial view"))
    assert float(trivial.split()[3]) > 0  # req/s
    my_day = next(line for line in output.splitlines() if line.startswith("My day"))
    assert "api:me-today" in my_day and "skipped" not in my_day
    assert "  ok    no errors (0)" in output, output
    assert re.search(r"  (ok  |MISS)  My day at least 0\.35x the trivial view's req/s", output)
    assert re.search(r"  (ok  |MISS|SKIP)  team dashboard", output)
    # gunicorn is gone and so is the data
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    assert not Team.objects.filter(name=READ_BENCH_DEPARTMENT).exists()
    assert not get_user_model().objects.filter(username__startswith=READ_BENCH_USERNAME).exists()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_is_stopped_and_the_data_removed_when_measuring_fails(monkeypatch):
    from dashboard.read_bench import run

    seen = {}

    def failing_measure(world, server, **kwargs):
        seen["port"] = server.port
        with socket.create_connection((server.host, server.port), timeout=2):
            pass  # it is up
        raise RuntimeError("the load generator broke")

    monkeypatch.setattr(run, "read_bench_measure", failing_measure)
    with pytest.raises(RuntimeError, match="load generator broke"):
        call_command("bench", "--read-only", "--read-agents=2", "--read-days=1", stdout=StringIO())
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", seen["port"]), timeout=1):
        pass
    assert not Team.objects.filter(name=READ_BENCH_DEPARTMENT).exists()


def test_a_server_that_never_gets_ready_is_reported_and_stopped(db, monkeypatch):
    from dashboard.read_bench import server

    started = []
    popen = server.subprocess.Popen
    monkeypatch.setattr(server.subprocess, "Popen", lambda *a, **kw: started.append(popen(*a, **kw)) or started[-1])
    with (
        pytest.raises(ServerFailed, match="did not answer /no-such-page/"),
        gunicorn_serving(database=connection.settings_dict, ready_path="/no-such-page/", start_timeout=3),
    ):
        pass
    assert started[0].poll() is not None  # terminated
