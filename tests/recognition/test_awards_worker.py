"""Real Celery workers against Redis and PostgreSQL: one weekly award per team and week, whatever happens.

Repeated and concurrent tasks on two workers, and a worker killed (SIGKILL) after inserting the award
but before committing it: acks_late leaves the message unacknowledged, Redis hands it to the other
worker after the visibility timeout, and the grant there stores the one award.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from cs_platform.celery import app as celery_app
from recognition.models import Award, AwardAudit
from tests.recognition.award_data import WEEK, simple_weights, worked

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL (CI does)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: the worker processes must share the test database (set DATABASE_URL; CI does)",
    ),
]

# Monday 23 November 2026, 02:30 in Shanghai: week 47 is due for the team.
DUE = "2026-11-22T18:30:00+00:00"


def _test_database_url() -> str:
    """DATABASE_URL pointed at the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def start_worker(transactional_db):
    """Start a solo-pool worker of `app` on `queue`, with extra environment; all are stopped at the end."""
    processes = []

    def start(queue: str, *, app: str = "cs_platform", **environment) -> subprocess.Popen:
        node_name = f"{queue}-{len(processes)}@localhost"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                app,
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "-n",
                node_name,
            ],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cs_platform.settings.base",
                "DATABASE_URL": _test_database_url(),
                **environment,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def tasks_go_through_the_broker():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def week_won_by_alice(team, agent, second_agent):
    simple_weights(team)
    worked(team, agent, conversations=40, csat=5.0)
    worked(team, second_agent, conversations=30, csat=4.0)
    return team


def _queue() -> str:
    return f"test-awards-{uuid.uuid4().hex[:8]}"


def test_repeated_and_concurrent_tasks_on_two_workers_store_one_award(
    start_worker, tasks_go_through_the_broker, week_won_by_alice, agent
):
    queue = _queue()
    start_worker(queue)
    start_worker(queue)
    results = [
        *(
            celery_app.send_task("recognition.tasks.award_weekly_grant", args=[week_won_by_alice.pk, WEEK], queue=queue)
            for _ in range(4)
        ),
        *(celery_app.send_task("recognition.tasks.awards_weekly_run", args=[DUE], queue=queue) for _ in range(2)),
    ]
    returned = [result.get(timeout=120) for result in results]

    award = Award.objects.get()
    assert (award.team, award.period, award.winner) == (week_won_by_alice, WEEK, agent)
    assert returned[:4] == [award.pk] * 4
    assert sorted(returned[4:]) == [0, 0] or sorted(returned[4:]) == [0, 1]
    assert AwardAudit.objects.filter(action="granted").count() == 1
    # And once more, after everything settled.
    again = celery_app.send_task("recognition.tasks.award_weekly_grant", args=[week_won_by_alice.pk, WEEK], queue=queue)
    assert again.get(timeout=60) == award.pk and Award.objects.count() == 1


def test_a_worker_killed_mid_grant_leaves_exactly_one_award(
    start_worker, tasks_go_through_the_broker, week_won_by_alice, agent, tmp_path
):
    queue = _queue()
    inserted = tmp_path / "inserted"
    doomed = start_worker(
        queue,
        app="tests.recognition.awards_worker_app",
        AWARD_TEST_HOLD_SECONDS="300",
        AWARD_TEST_INSERTED_FILE=str(inserted),
    )
    result = celery_app.send_task(
        "tests.recognition.award_weekly_grant_held_open", args=[week_won_by_alice.pk, WEEK], queue=queue
    )
    deadline = time.monotonic() + 90
    while not inserted.exists():
        assert time.monotonic() < deadline, "the first worker never reached the insert"
        assert doomed.poll() is None, "the first worker exited"
        time.sleep(0.2)
    assert not Award.objects.exists()  # inserted, not committed

    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    start_worker(queue, app="tests.recognition.awards_worker_app")  # no hold: grants at once

    award_id = result.get(timeout=120)  # the redelivered message, same task id
    award = Award.objects.get()
    assert award.pk == award_id and award.winner == agent
    assert AwardAudit.objects.filter(action="granted").count() == 1
