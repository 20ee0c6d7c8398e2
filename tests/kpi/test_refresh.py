"""Recomputation: marks from ingestion, the 15-minute refresh, the backfill command, the Celery tasks."""

import datetime as dt

from django.core.management import call_command

from kpi.models import DailyAgentMetric, StaleMetricDay
from kpi.services import metrics_refresh
from kpi.tasks import metrics_compute_day_task, metrics_refresh_task
from tests.conversations.factories import native


def ingest(supervisor, items):
    from conversations.ingest import conversations_ingest, scope_for_user

    return conversations_ingest(items=items, scope=scope_for_user(supervisor))


def test_ingestion_marks_the_local_day_stale_and_refresh_computes_it(team, supervisor, agent):
    # 23:30 on 19 Nov in UTC is 07:30 on 20 Nov in Shanghai, the team's zone.
    ingest(supervisor, [native("c-1", started_at="2026-11-19T23:30:00+00:00", closed_at=None)])
    assert list(StaleMetricDay.objects.values_list("team_id", "date")) == [(team.pk, dt.date(2026, 11, 20))]
    metrics_refresh(now=dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC))
    assert DailyAgentMetric.objects.get(agent=agent).date == dt.date(2026, 11, 20)
    assert not StaleMetricDay.objects.exists()


def test_a_moved_conversation_marks_both_days(team, supervisor, agent):
    ingest(supervisor, [native("c-1", started_at="2026-11-20T09:00:00+08:00", closed_at=None)])
    StaleMetricDay.objects.all().delete()
    ingest(supervisor, [native("c-1", started_at="2026-11-21T09:00:00+08:00", closed_at=None)])
    assert sorted(StaleMetricDay.objects.values_list("date", flat=True)) == [
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 21),
    ]


def test_unchanged_batch_marks_nothing(team, supervisor, agent):
    ingest(supervisor, [native("c-1")])
    StaleMetricDay.objects.all().delete()
    ingest(supervisor, [native("c-1")])
    assert not StaleMetricDay.objects.exists()


def test_refresh_finalises_yesterday_just_after_local_midnight(team, supervisor, agent):
    ingest(supervisor, [native("c-1", started_at="2026-11-20T22:00:00+08:00", closed_at=None)])
    StaleMetricDay.objects.all().delete()
    # 00:30 on 21 Nov in Shanghai
    metrics_refresh(now=dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC))
    assert DailyAgentMetric.objects.filter(date=dt.date(2026, 11, 20)).count() == 1


def test_compute_metrics_command_backfills_a_range(team, supervisor, agent, capsys):
    ingest(
        supervisor, [native(f"c-{d}", started_at=f"2026-11-{d:02d}T09:00:00+08:00", closed_at=None) for d in (1, 2, 3)]
    )
    call_command("compute_metrics", "--from", "2026-11-01", "--to", "2026-11-03", "--team", team.name)
    assert DailyAgentMetric.objects.count() == 3
    assert "3/3 days" in capsys.readouterr().out


def test_tasks_call_the_services(team, supervisor, agent):
    ingest(supervisor, [native("c-1")])
    assert metrics_compute_day_task.delay("2026-11-20", team.pk).get() == 1
    assert DailyAgentMetric.objects.count() == 1
    assert metrics_refresh_task.delay().get() >= 1
