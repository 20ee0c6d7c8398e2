"""Imports whose queued message was lost (Redis restarted without its data) are found and run once."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conversations.models import Conversation, ImportJob, ImportStatus
from conversations.services import IMPORT_RESUME_AFTER, import_job_create, import_jobs_resume
from tests.conversations.test_pages import GOOD_CSV


def _lost_job(team, supervisor, *, age: dt.timedelta, status=ImportStatus.PENDING) -> ImportJob:
    """A job stored and committed whose message never reached a worker (no on_commit callback ran)."""
    job = import_job_create(
        team=team, created_by=supervisor, upload=SimpleUploadedFile("c.csv", GOOD_CSV.encode()),
        source="shopchat", format_name="csv",
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now() - age)
    return job


def test_a_job_pending_past_the_limit_is_run_once(team, supervisor, agent, django_capture_on_commit_callbacks):
    lost = _lost_job(team, supervisor, age=IMPORT_RESUME_AFTER + dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_resume() == 1
    lost.refresh_from_db()
    assert lost.status == ImportStatus.SUCCEEDED and lost.created_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_resume() == 0  # finished: nothing to resume, nothing imported twice
    assert Conversation.objects.count() == 2


def test_recent_pending_and_running_jobs_are_left_alone(team, supervisor, django_capture_on_commit_callbacks):
    recent = _lost_job(team, supervisor, age=IMPORT_RESUME_AFTER - dt.timedelta(minutes=1))
    running = _lost_job(team, supervisor, age=dt.timedelta(hours=2), status=ImportStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_resume() == 0
    assert ImportJob.objects.get(pk=recent.pk).status == ImportStatus.PENDING
    assert ImportJob.objects.get(pk=running.pk).status == ImportStatus.RUNNING
    assert not Conversation.objects.exists()


def test_a_resumed_job_is_not_resumed_again_within_the_limit(team, supervisor, django_capture_on_commit_callbacks):
    _lost_job(team, supervisor, age=IMPORT_RESUME_AFTER + dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False):  # the re-enqueued message is lost again
        assert import_jobs_resume() == 1
    with django_capture_on_commit_callbacks(execute=False):
        assert import_jobs_resume() == 0  # its clock was reset: no flood of copies
    later = timezone.now() + IMPORT_RESUME_AFTER + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=False):
        assert import_jobs_resume(now=later) == 1
