"""Writes for the conversations app other than ingestion itself (see conversations.ingest)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.importers.base import ImportContext
from conversations.importers.decoding import ENCODINGS
from conversations.importers.service import import_file
from conversations.models import Category, ImportFormat, ImportJob, ImportStatus
from teams.models import Team

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A job still pending this long after its upload (or its last re-enqueue) has lost its message: the broker
# restarted without its data, or the enqueue after the commit failed. Far longer than a normal queue wait.
IMPORT_RESUME_AFTER = timedelta(minutes=10)
RESUME_BATCH = 500


@transaction.atomic
def import_job_create(
    *,
    team: Team,
    created_by,
    upload: UploadedFile,
    source: str,
    format_name: str,
    encoding: str = "utf-8",
    default_category: str = Category.AFTER_SALES,
) -> ImportJob:
    """Store the upload and queue it; a worker runs it once this transaction commits."""
    if format_name not in ImportFormat.values:
        raise ValidationError({"format": _("Unknown format %(format)s.") % {"format": format_name}})
    if encoding.lower() not in ENCODINGS:
        raise ValidationError({"encoding": _("Unsupported encoding %(encoding)s.") % {"encoding": encoding}})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB; split it.") % {"mb": MAX_UPLOAD_BYTES // 2**20}}
        )
    job = ImportJob(
        team=team,
        created_by=created_by,
        source=source,
        format=format_name,
        encoding=encoding.lower(),
        original_name=upload.name[:255],
        default_category=default_category,
    )
    job.file.save(upload.name, upload, save=False)
    job.full_clean()
    job.save()
    from conversations.tasks import import_job_run_task

    transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def import_job_claim(*, job_id: int) -> bool:
    """Mark the job running unless another worker already does; a job stuck in
    `running` longer than a task may live (its worker died) can be taken over."""
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return bool(
        ImportJob.objects.filter(pk=job_id)
        .filter(Q(status=ImportStatus.PENDING) | Q(status=ImportStatus.RUNNING, updated_at__lt=stale))
        .update(status=ImportStatus.RUNNING, updated_at=timezone.now())
    )


def import_jobs_resume(*, now: datetime | None = None) -> int:
    """Re-enqueue the imports whose message was lost; returns how many.

    A job still pending IMPORT_RESUME_AFTER after its upload never reached a worker: Redis restarted without
    its data, or the enqueue after the commit failed. Safe with the original message still queued, twice or
    concurrently: the claim in import_job_run lets one run through. Each job is re-enqueued at most once per
    IMPORT_RESUME_AFTER (its updated_at is bumped), so a long queue is not flooded with copies. Running jobs are
    left alone: a killed worker's message comes back after the broker's visibility timeout, and re-enqueueing a
    job that keeps dying (past the hard time limit) would retry it forever.
    """
    from conversations.tasks import import_job_run_task

    now = now or timezone.now()
    with transaction.atomic():
        job_ids = list(
            ImportJob.objects.filter(status=ImportStatus.PENDING, updated_at__lt=now - IMPORT_RESUME_AFTER)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:RESUME_BATCH]
        )
        ImportJob.objects.filter(pk__in=job_ids, status=ImportStatus.PENDING).update(updated_at=timezone.now())
        transaction.on_commit(lambda: [import_job_run_task.delay(job_id) for job_id in job_ids])
    return len(job_ids)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import. Safe to call twice: a second call finds the job claimed or finished."""
    if not import_job_claim(job_id=job_id):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("team").get(pk=job_id)
    with job.file.open("rb") as stored:
        raw = stored.read()

    def report_progress(rows_done: int, rows_total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=rows_done, rows_total=rows_total, updated_at=timezone.now()
        )

    context = ImportContext(source=job.source, team=job.team, default_category=job.default_category)
    outcome = import_file(
        raw=raw, format_name=job.format, encoding=job.encoding, context=context, progress=report_progress
    )
    job.rows_total = outcome.rows_total
    job.rows_done = outcome.rows_total if outcome.ok else 0
    job.created_count = outcome.result.created
    job.updated_count = outcome.result.updated
    job.unchanged_count = outcome.result.unchanged
    job.errors = outcome.errors
    job.status = ImportStatus.SUCCEEDED if outcome.ok else ImportStatus.FAILED
    job.finished_at = timezone.now()
    job.save()
    return job
