"""Every periodic task of the beat schedule, on the seeded demo in PostgreSQL: run once, run again, then ten
times at once (threads, each with its own connection): the second and the concurrent runs add no row anywhere,
and every key (metrics per agent and day, award per team and week, reminder per plan...) has exactly one row.

Most tasks act only at some time of day or week (reminders once shifts are over, the award on Monday, QA
sampling after a complete week...), so each runs with the clock moved to a moment when it has work, and the
first run must have done something: a trial that finds nothing to do proves nothing.
Prints the figures (rows after the first run, rows added later, duplicate keys) for the README."""

import datetime as dt
import importlib
import io
import json
import zoneinfo
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cs_platform.beat_schedule import BEAT_SCHEDULE
from cs_platform.celery import app
from tests.core.celery_support import duplicate_keys, row_counts

CONCURRENT = 10
RETENTION_DAYS = 30

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL (CI sets DATABASE_URL)"
)


def _run(task_name: str):
    importlib.import_module(task_name.rsplit(".", 1)[0])  # registers the task with the app
    try:
        return app.tasks[task_name].apply(throw=True).result
    finally:
        connection.close()


def _did_work(result) -> bool:
    if isinstance(result, dict):
        return any(value for value in result.values() if isinstance(value, int))
    return bool(result)


@dataclass(frozen=True)
class When:
    """The moment a task has work, from the real start of the test and the department's time zone."""

    moment: Callable[[dt.datetime, zoneinfo.ZoneInfo], dt.datetime]
    # Set up what the task needs beyond the demo, at that moment (a stuck webhook delivery...).
    setup: Callable[[dt.datetime], None] | None = None


def _local(days: int, at: dt.time) -> Callable[[dt.datetime, zoneinfo.ZoneInfo], dt.datetime]:
    return lambda start, zone: dt.datetime.combine(start.astimezone(zone).date() + dt.timedelta(days=days), at, zone)


def _next_monday(start: dt.datetime, zone: zoneinfo.ZoneInfo, at: dt.time, plus_days: int = 0) -> dt.datetime:
    """The Monday after the demo's last chat day, so the last complete week is the one with the chats."""
    today = start.astimezone(zone).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday + dt.timedelta(days=plus_days), at, dt.UTC)


def _todays_plans_deleted(moment: dt.datetime) -> None:
    """The demo made today's plans for the shifts started when it ran: remove them (the roster may end with the
    month, so tomorrow's shifts are not a safe stand-in)."""
    from plans.models import DailyPlan

    DailyPlan.objects.filter(date=moment.date()).delete()


def _webhook_delivery_stuck(moment: dt.datetime) -> None:
    """An award post whose worker died at its fourth attempt: resume re-enqueues the fifth (and last)."""
    from recognition.models import Award, DeliveryStatus, WebhookDelivery

    award = Award.objects.order_by("pk").first()
    delivery = WebhookDelivery.objects.create(
        award=award, url="http://127.0.0.1:9/award", payload={}, status=DeliveryStatus.PENDING, attempts=4
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(updated_at=moment - dt.timedelta(hours=1))


def _import_job_lost(moment: dt.datetime) -> None:
    """An uploaded file whose queued message Redis lost (restarted without its data) an hour ago."""
    from django.core.files.base import ContentFile

    from conversations.models import ImportFormat, ImportJob
    from teams.models import Membership, Role
    from tests.conversations.factories import native

    member = Membership.objects.filter(role=Role.AGENT, active=True).select_related("team", "user")[0]
    lines = [native(f"lost-{n}", agent=member.user.username, source="demo-import") for n in range(3)]
    job = ImportJob(team=member.team, source="demo-import", format=ImportFormat.JSONL, original_name="lost.jsonl")
    job.file.save("lost.jsonl", ContentFile("\n".join(json.dumps(line) for line in lines).encode()), save=False)
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=moment - dt.timedelta(hours=1))


def _complaint_unanswered(moment: dt.datetime) -> None:
    """The demo's unanswered complaint is flagged by the seed itself: one more, received a day ago."""
    from qa_reviews import complaints
    from qa_reviews.models import Complaint, ComplaintCategory, ComplaintStatus

    seeded = Complaint.objects.filter(status=ComplaintStatus.NEW).select_related("team", "owner", "created_by")[0]
    complaints.complaint_create(
        team=seeded.team,
        actor=seeded.created_by,
        owner=seeded.owner,
        summary="发票一直没有开",
        category=ComplaintCategory.SERVICE,
        customer="buyer-9001",
        received_at=moment - dt.timedelta(days=1),
    )


NOW = When(lambda start, zone: start)
LATER = When(lambda start, zone: start + dt.timedelta(days=RETENTION_DAYS + 10))
WHEN = {
    "conversations.chat_retention_apply": LATER,
    "conversations.import_jobs_resume": When(
        lambda start, zone: start, setup=_import_job_lost
    ),  # chats older than CHAT_RETENTION_DAYS lose their personal data
    "core.worker_heartbeat": NOW,
    "kpi.metrics_refresh": NOW,  # every (team, day) with chats is marked stale below
    "plans.daily_plans_create": When(_local(0, dt.time(23, 30)), setup=_todays_plans_deleted),  # shifts started
    "plans.plan_reminders_send": When(_local(1, dt.time(23, 30))),  # today's shifts are over, plans in draft
    "plans.tasks_overdue_notify": LATER,
    "qa_reviews.complaints_flag_sla_breaches": When(LATER.moment, setup=_complaint_unanswered),
    "qa_reviews.sampling_run_weekly": When(lambda start, zone: _next_monday(start, zone, dt.time(1, 30), 1)),
    "recognition.awards_weekly_run": When(lambda start, zone: _next_monday(start, zone, dt.time(14, 5))),
    "recognition.webhook_deliveries_resume": When(lambda start, zone: start, setup=_webhook_delivery_stuck),
    "training.assessments_assign_due": NOW,
    "training.assignments_notify_overdue": LATER,
}
# Retention blanks the chats' text, which QA sampling (sentiment) reads: it goes last.
ORDER = sorted(BEAT_SCHEDULE, key=lambda name: (name == "conversations.chat_retention_apply", name))


def test_every_periodic_task_run_twice_and_ten_times_at_once_adds_nothing(transactional_db, settings, capsys):
    settings.CHAT_RETENTION_DAYS = RETENTION_DAYS
    assert set(WHEN) == set(BEAT_SCHEDULE), "a new beat entry needs its moment here"
    start = timezone.now()
    call_command("seed_demo", "--chat-days", "3", stdout=io.StringIO())
    # What the demo already computed, the tasks compute again: the trials start from work to do.
    from conversations.models import Conversation
    from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume, StaleMetricDay
    from recognition.models import Award, AwardKind
    from teams.models import Team

    for model in (DailyAgentMetric, DailyTeamMetric, HourlyVolume):
        model.objects.all().delete()
    chat_days = Conversation.objects.values_list("team_id", "started_at__date").distinct()
    StaleMetricDay.objects.bulk_create(
        [StaleMetricDay(team_id=team, date=day) for team, day in chat_days], ignore_conflicts=True
    )
    Award.objects.filter(kind=AwardKind.WEEKLY).delete()
    zone = zoneinfo.ZoneInfo(Team.objects.get(name="Online Customer Service", parent=None).timezone)
    figures = []
    for name in ORDER:
        task_name, when = BEAT_SCHEDULE[name]["task"], WHEN[name]
        moment = when.moment(start, zone)
        with time_machine.travel(moment, tick=False):
            if when.setup:
                when.setup(moment)
            before = sum(row_counts().values())
            result = _run(task_name)
            after_first = row_counts()
            _run(task_name)
            after_second = row_counts()
            with ThreadPoolExecutor(CONCURRENT) as pool:
                list(pool.map(_run, [task_name] * CONCURRENT))
            after_concurrent = row_counts()
        added_again = {k: after_second[k] - v for k, v in after_first.items() if after_second[k] != v}
        added_at_once = {k: after_concurrent[k] - v for k, v in after_first.items() if after_concurrent[k] != v}
        written = sum(after_first.values()) - before
        figures.append((name, moment, written, result, added_again, added_at_once, duplicate_keys()))
    with capsys.disabled():
        print(f"\nPeriodic tasks at a moment each has work: once, again, then {CONCURRENT} at once")
        for name, moment, written, result, again, at_once, duplicates in figures:
            print(
                f"  {name:<40} at {moment:%a %Y-%m-%d %H:%M %Z}  first run: {written:>4} rows, "
                f"result {result!s:<48.48} again: {sum(again.values()):>2}  at once: {sum(at_once.values()):>2}  "
                f"duplicate keys: {sum(duplicates.values())}"
            )
    assert [name for name, _m, written, result, *_ in figures if not written and not _did_work(result)] == []
    assert [(name, again, at_once) for name, _m, _w, _r, again, at_once, _d in figures if again or at_once] == []
    assert [(name, duplicates) for name, *_, duplicates in figures if duplicates] == []
