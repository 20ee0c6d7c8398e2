"""Celery faults with real processes, Redis and PostgreSQL: a worker killed with SIGKILL mid-import, Redis
crashed and restarted during imports (without persistence and with an append-only file), two beats at once.

The end state is always one row per key and nothing lost or applied twice. Each trial runs on a private
redis-server (never the shared one) and prints one line of figures; docs/production.md says which settings
make this hold. The periodic tasks run twice and ten times at once are in test_periodic_tasks_reruns.py.
"""

import datetime as dt
import io
import json
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from conversations.models import Conversation, ImportJob, ImportStatus, Message
from conversations.services import IMPORT_RESUME_AFTER, import_job_create, import_jobs_resume
from cs_platform.celery import app as celery_app
from tests.conversations.factories import native
from tests.core import celery_support
from tests.core.celery_support import duplicate_keys, row_counts, tasks_sent_to, wait_for

pytestmark = [*celery_support.NEEDS_REDIS_AND_POSTGRES, celery_support.NEEDS_REDIS_SERVER_BINARY]
celery_processes = celery_support.celery_processes
private_redis_factory = celery_support.private_redis_factory

# The trials' workers get production's ratio at a smaller scale: an import silent for TASK_TIME_LIMIT seconds
# counts as abandoned (its claim may be taken over), and Redis hands an unacknowledged message to another worker
# VISIBILITY_TIMEOUT seconds after its delivery. (The limit a task runs under travels in its message, set by
# the sender: here the test process's 600 s, so a slow machine does not kill the imports.)
TASK_TIME_LIMIT = 10
VISIBILITY_TIMEOUT = 2 * TASK_TIME_LIMIT
DONE = (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
RECEIVED = re.compile(r"Task ([\w.]+)\[([0-9a-f-]{36})\] received")
FINISHED = re.compile(r"Task ([\w.]+)\[([0-9a-f-]{36})\] (?:succeeded|raised|failed|retry)")


def worker_environment(broker_url: str) -> dict[str, str]:
    return {
        "REDIS_URL": broker_url,
        "CELERY_TASK_TIME_LIMIT": str(TASK_TIME_LIMIT),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(TASK_TIME_LIMIT - 2),
        "CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }


def upload(team, agent, name: str, conversations: int) -> ImportJob:
    """A JSON Lines file of `conversations` chats (two messages each), uploaded through the service the API
    and the upload page use: it stores the job and enqueues its task once the transaction commits."""
    lines = "\n".join(json.dumps(native(f"{name}-{n}", agent=agent.username)) for n in range(conversations))
    return import_job_create(
        team=team,
        created_by=agent,
        upload=SimpleUploadedFile(f"{name}.jsonl", lines.encode()),
        source="shopchat",
        format_name="jsonl",
    )


def figures(trial: str, **values) -> None:
    print(f"\nCelery fault trial: {trial}: " + ", ".join(f"{name.replace('_', ' ')} {v}" for name, v in values.items()))


def task_ids(log: str, pattern: re.Pattern, task: str | None = None) -> list[str]:
    return [task_id for name, task_id in pattern.findall(log) if task is None or name == task]


# --- 1. A worker killed with SIGKILL mid-task -------------------------------------------------------------

KILLED_IMPORT_CONVERSATIONS = 3000  # six batches of 500: the kill lands after the first commits


def test_worker_killed_mid_import_the_message_comes_back_and_the_file_is_imported_once(
    celery_processes, private_redis_factory, team, agent, capsys
):
    broker = private_redis_factory(appendonly=False)
    doomed = celery_processes.worker(pool="prefork", **worker_environment(broker.url))
    with tasks_sent_to(broker.url):
        job = upload(team, agent, "killed", KILLED_IMPORT_CONVERSATIONS)
    wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, rows_done__gt=0).exists(),
        timeout=90,
        interval=0.02,
        what="the import to commit its first batch",
        processes=[doomed],
    )
    delivered_by = time.monotonic()  # the message was delivered before the job started running
    doomed.kill()
    job.refresh_from_db()
    committed_at_kill = Conversation.objects.count()
    assert job.status == ImportStatus.RUNNING and 0 < committed_at_kill < KILLED_IMPORT_CONVERSATIONS, (
        "the kill must land mid-import, or the trial proves nothing"
    )
    [task_id] = task_ids(doomed.log(), RECEIVED)
    assert broker.unacked() == 1  # acks_late: the killed worker never acknowledged it

    # Redis returns the message once the visibility timeout has passed since its delivery; a worker looks
    # for such messages when it starts (and every 100 s or so after).
    time.sleep(max(0.0, delivered_by + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    fresh = celery_processes.worker(pool="prefork", **worker_environment(broker.url))
    wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, status__in=DONE).exists(),
        timeout=90,
        what="the redelivered import to finish",
        processes=[fresh],
    )

    job.refresh_from_db()
    redelivered = task_ids(fresh.log(), RECEIVED)
    expected = (KILLED_IMPORT_CONVERSATIONS, 2 * KILLED_IMPORT_CONVERSATIONS)
    found = (Conversation.objects.count(), Message.objects.count())
    duplicates = duplicate_keys()
    with capsys.disabled():
        figures(
            "worker SIGKILLed mid-import",
            tasks_sent=1,
            deliveries=1 + len(redelivered),
            conversations_committed_at_kill=committed_at_kill,
            rows_expected=sum(expected),
            rows_found=sum(found),
            duplicates=sum(duplicates.values()),
            lost=sum(expected) - sum(found),
            second_run=f"{job.created_count} created/{job.unchanged_count} unchanged",
        )
    assert redelivered == [task_id]  # the same message, not a new one
    assert job.status == ImportStatus.SUCCEEDED and job.rows_done == job.rows_total == KILLED_IMPORT_CONVERSATIONS
    # The second run upserted what the first had committed and created the rest.
    assert (job.created_count, job.unchanged_count) == (
        KILLED_IMPORT_CONVERSATIONS - committed_at_kill,
        committed_at_kill,
    )
    assert found == expected and duplicates == {}
    assert broker.unacked() == 0 and broker.queued() == 0


# --- 2. Redis restarted during imports --------------------------------------------------------------------

RESTART_JOBS = 6
RESTART_CONVERSATIONS = 1000


def _settled(broker) -> bool:
    """Nothing running and nothing the broker could still deliver (a message held for a job already done
    may wait out its visibility timeout: delivering it would find the job finished)."""
    if ImportJob.objects.filter(status=ImportStatus.RUNNING).exists() or broker.queued():
        return False
    held = broker.unacked_task_arguments()
    return not ImportJob.objects.filter(pk__in=[arguments[0] for arguments in held]).exclude(status__in=DONE).exists()


@pytest.mark.parametrize("appendonly", [False, True], ids=["no-persistence", "appendonly"])
def test_redis_restarted_during_imports_loses_none_and_applies_none_twice(
    celery_processes, private_redis_factory, team, agent, appendonly, capsys
):
    broker = private_redis_factory(appendonly=appendonly)
    worker = celery_processes.worker(pool="prefork", **worker_environment(broker.url))
    with tasks_sent_to(broker.url):
        jobs = [upload(team, agent, f"restart-{n}", RESTART_CONVERSATIONS) for n in range(RESTART_JOBS)]
    time.sleep(1.1)  # the append-only file is fsynced every second: the queued messages are on disk now
    wait_for(
        lambda: ImportJob.objects.filter(status=ImportStatus.RUNNING, rows_done__gt=0).exists(),
        timeout=90,
        interval=0.02,
        what="an import to be mid-flight",
        processes=[worker],
    )
    broker.crash()
    running_at_crash = ImportJob.objects.filter(status=ImportStatus.RUNNING).count()
    broker.start()
    queued_after_restart = broker.queued()

    wait_for(lambda: _settled(broker), timeout=90, what="the worker to reconnect and drain", processes=[worker])
    left_pending = ImportJob.objects.filter(status=ImportStatus.PENDING).count()
    # The periodic sweep (beat, every 10 minutes) finds what the broker lost; run it as if that time had passed.
    with tasks_sent_to(broker.url):
        resumed = import_jobs_resume(now=timezone.now() + IMPORT_RESUME_AFTER + dt.timedelta(seconds=1))
    wait_for(
        lambda: not ImportJob.objects.exclude(status__in=DONE).exists(),
        timeout=120,
        what="every import to finish",
        processes=[worker],
    )

    expected = (RESTART_JOBS * RESTART_CONVERSATIONS, 2 * RESTART_JOBS * RESTART_CONVERSATIONS)
    found = (Conversation.objects.count(), Message.objects.count())
    states = list(ImportJob.objects.values_list("status", "created_count", "unchanged_count"))
    duplicates = duplicate_keys()
    runs = task_ids(worker.log(), RECEIVED, "conversations.tasks.import_job_run")
    with capsys.disabled():
        figures(
            f"Redis crashed and restarted mid-import ({'appendonly everysec' if appendonly else 'no persistence'})",
            tasks_sent=len(jobs) + resumed,
            imports_running_at_crash=running_at_crash,
            queued_after_restart=queued_after_restart,
            left_pending_by_the_broker=left_pending,
            resumed_by_sweep=resumed,
            deliveries=len(runs),
            rows_expected=sum(expected),
            rows_found=sum(found),
            duplicates=sum(duplicates.values()),
            lost=sum(expected) - sum(found),
            jobs_succeeded=f"{sum(status == ImportStatus.SUCCEEDED for status, *_ in states)}/{len(jobs)}",
        )
    assert running_at_crash == 1, "Redis must go down mid-import, or the trial proves less"
    assert resumed == left_pending  # the sweep re-enqueued exactly the jobs the broker lost
    if appendonly:
        assert left_pending == 0  # the queue survived the crash
    assert [status for status, *_ in states] == [ImportStatus.SUCCEEDED] * RESTART_JOBS
    # Each file was applied once: every job created all its chats, none found them already there.
    assert [(created, unchanged) for _s, created, unchanged in states] == [(RESTART_CONVERSATIONS, 0)] * RESTART_JOBS
    assert found == expected and duplicates == {}


# --- 3. Two beat processes at once -------------------------------------------------------------------------

BEAT_EVERY_SECONDS = 3


def _trial_tasks(today: dt.date) -> dict[str, dict]:
    """The periodic tasks whose keys the issue names, with what makes each act whatever the time of day:
    metrics (one row per agent and day), the weekly award (one per team and week: the week of the demo's
    chats, due the next Monday), reminders (one per plan: the demo's past days left some in draft)."""
    monday = today + dt.timedelta(days=7 - today.weekday())
    return {
        "kpi.tasks.metrics_refresh": {},
        "recognition.tasks.awards_weekly_run": {"now": dt.datetime.combine(monday, dt.time(14, 5), dt.UTC).isoformat()},
        "plans.tasks.plan_reminders_send": {},
        "training.tasks.assessments_assign_due": {},
    }


def test_two_beats_send_every_task_twice_and_each_key_still_has_one_row(
    celery_processes, private_redis_factory, capsys
):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume, StaleMetricDay
    from notifications.models import Notification
    from recognition.models import Award, AwardKind

    call_command("seed_demo", "--chat-days", "2", stdout=io.StringIO())
    # What the demo computed, the scheduled tasks compute again.
    for model in (DailyAgentMetric, DailyTeamMetric, HourlyVolume):
        model.objects.all().delete()
    StaleMetricDay.objects.bulk_create(
        [
            StaleMetricDay(team_id=team, date=day)
            for team, day in Conversation.objects.values_list("team_id", "started_at__date").distinct()
        ],
        ignore_conflicts=True,
    )
    Award.objects.filter(kind=AwardKind.WEEKLY).delete()
    trial_tasks = _trial_tasks(timezone.localdate())  # the demo's today
    every = IntervalSchedule.objects.create(every=BEAT_EVERY_SECONDS, period=IntervalSchedule.SECONDS)
    for task, kwargs in trial_tasks.items():
        PeriodicTask.objects.create(name=f"fault trial: {task}", task=task, interval=every, kwargs=json.dumps(kwargs))

    broker = private_redis_factory(appendonly=False)
    worker = celery_processes.worker(pool="prefork", concurrency=2, **worker_environment(broker.url))
    beats = [celery_processes.beat(REDIS_URL=broker.url) for _ in range(2)]

    def sent_by(beat) -> dict[str, int]:
        sent = re.findall(r"Sending due task fault trial: \S+ \(([\w.]+)\)", beat.log())
        return {task: sent.count(task) for task in trial_tasks}

    wait_for(
        lambda: all(count >= 2 for beat in beats for count in sent_by(beat).values()),
        timeout=90,
        what="each beat to send each task twice",
        processes=[worker, *beats],
    )
    for beat in beats:
        beat.stop()

    def drained() -> bool:
        log = worker.log()
        return not broker.queued() and set(task_ids(log, RECEIVED)) == set(task_ids(log, FINISHED))

    wait_for(drained, timeout=120, what="the worker to run everything sent", processes=[worker])
    sent = [sent_by(beat) for beat in beats]
    runs = {task: len(task_ids(worker.log(), RECEIVED, task)) for task in trial_tasks}
    found = {
        "metrics": DailyAgentMetric.objects.count(),
        "awards": Award.objects.filter(kind=AwardKind.WEEKLY).count(),
        "reminders": Notification.objects.filter(kind="plan-reminder").count(),
    }
    duplicates = duplicate_keys()
    # Anything a lost or half-done run left undone, one more run does now: what it adds was lost.
    celery_app.loader.import_default_modules()  # registers the tasks, as a worker does at start
    before_reference = row_counts()
    for task, kwargs in trial_tasks.items():
        celery_app.tasks[task].apply(kwargs=kwargs, throw=True)
    added = {label: count - before_reference[label] for label, count in row_counts().items()}
    lost = sum(count for count in added.values() if count > 0)
    with capsys.disabled():
        figures(
            "two beats at once",
            tasks_sent=sum(sum(by_beat.values()) for by_beat in sent),
            sent_per_beat="/".join(str(sum(by_beat.values())) for by_beat in sent),
            runs=sum(runs.values()),
            rows_expected=f"{sum(found.values()) + lost} (metrics {found['metrics']}, awards {found['awards']}, "
            f"reminders {found['reminders']})",
            rows_found=sum(found.values()),
            duplicates=sum(duplicates.values()),
            lost=lost,
        )
    assert all(count >= 2 for by_beat in sent for count in by_beat.values())  # both beats sent everything
    assert all(count >= 4 for count in runs.values())  # and the worker ran every copy
    assert all(found.values()), f"every task must have acted: {found}"
    assert duplicates == {} and lost == 0
