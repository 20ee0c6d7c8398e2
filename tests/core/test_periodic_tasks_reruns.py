"""Every periodic task of the beat schedule, on the seeded demo in PostgreSQL: run once, run again, then ten
times at once (threads, each with its own connection): the second and the concurrent runs add no row anywhere.
Prints the figures (rows after the first run, rows added later) for the README."""

import importlib
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from cs_platform.beat_schedule import BEAT_SCHEDULE
from cs_platform.celery import app

PROJECT_APPS = {
    "teams", "conversations", "kpi", "notifications", "plans", "qa_reviews", "training", "recognition", "core",
}  # fmt: skip
CONCURRENT = 10

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL (CI sets DATABASE_URL)"
)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


def _run(task_name: str) -> None:
    importlib.import_module(task_name.rsplit(".", 1)[0])  # registers the task with the app
    try:
        app.tasks[task_name].apply(throw=True)
    finally:
        connection.close()


def test_every_periodic_task_run_twice_and_ten_times_at_once_adds_nothing(transactional_db, capsys):
    call_command("seed_demo", "--chat-days", "3", stdout=io.StringIO())
    # What the demo already computed, the tasks compute again: the trials start from work to do.
    from conversations.models import Conversation
    from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume, StaleMetricDay
    from recognition.models import Award, AwardKind

    for model in (DailyAgentMetric, DailyTeamMetric, HourlyVolume):
        model.objects.all().delete()
    chat_days = Conversation.objects.values_list("team_id", "started_at__date").distinct()
    StaleMetricDay.objects.bulk_create(
        [StaleMetricDay(team_id=team, date=day) for team, day in chat_days], ignore_conflicts=True
    )
    Award.objects.filter(kind=AwardKind.WEEKLY).delete()
    figures = []
    for name, entry in sorted(BEAT_SCHEDULE.items()):
        task_name = entry["task"]
        before = sum(row_counts().values())
        _run(task_name)
        after_first = row_counts()
        _run(task_name)
        after_second = row_counts()
        with ThreadPoolExecutor(CONCURRENT) as pool:
            list(pool.map(_run, [task_name] * CONCURRENT))
        after_concurrent = row_counts()
        added_again = {k: after_second[k] - v for k, v in after_first.items() if after_second[k] != v}
        added_at_once = {k: after_concurrent[k] - v for k, v in after_first.items() if after_concurrent[k] != v}
        figures.append((name, sum(after_first.values()) - before, added_again, added_at_once))
    with capsys.disabled():
        print(f"\nPeriodic tasks: once, again, then {CONCURRENT} at once (rows written / duplicates)")
        for name, written, again, at_once in figures:
            print(
                f"  {name:<45} {written:>6} rows  again: {sum(again.values()):>3}  at once: {sum(at_once.values()):>3}"
            )
    assert [(name, again, at_once) for name, _w, again, at_once in figures if again or at_once] == []
