from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from core.models import WorkerHeartbeat

ModelT = TypeVar("ModelT", bound=models.Model)


def model_update(*, instance: ModelT, fields: Iterable[str], data: dict[str, Any]) -> tuple[ModelT, bool]:
    """Set the given fields from `data` (only those present) and save just them.

    Returns the instance and whether anything changed; `full_clean` runs first so
    model validation errors surface as ValidationError, not database errors.
    """
    changed_fields = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed_fields.append(field)
    if not changed_fields:
        return instance, False
    instance.full_clean()
    if any(f.name == "updated_at" for f in instance._meta.get_fields()):
        changed_fields.append("updated_at")
    instance.save(update_fields=changed_fields)
    return instance, True


def worker_heartbeat_record(*, worker: str, seen_at: datetime | None = None) -> WorkerHeartbeat:
    """Upsert the worker's heartbeat row: running it twice leaves one row."""
    with transaction.atomic():
        heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
            worker=worker, defaults={"last_seen_at": seen_at or timezone.now()}
        )
    return heartbeat
