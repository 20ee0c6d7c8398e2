"""Sending and reading in-app notifications. Sending is idempotent by (recipient, dedupe_key)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.unread import unread_forget


@dataclass(frozen=True)
class Outgoing:
    recipient_id: int
    kind: str
    message: str  # mark it with gettext_noop so the catalogue holds it
    dedupe_key: str
    params: dict | None = None
    link: str = ""


def notifications_send(*, outgoing: Iterable[Outgoing]) -> int:
    """Create the notifications not sent before; returns how many are new. Safe to run twice or concurrently."""
    rows = [
        Notification(
            recipient_id=item.recipient_id,
            kind=item.kind,
            message=item.message,
            params=item.params or {},
            link=item.link,
            dedupe_key=item.dedupe_key,
        )
        for item in outgoing
    ]
    if not rows:
        return 0
    with transaction.atomic():
        before = Notification.objects.filter(
            recipient_id__in={row.recipient_id for row in rows}, dedupe_key__in={row.dedupe_key for row in rows}
        ).count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        after = Notification.objects.filter(
            recipient_id__in={row.recipient_id for row in rows}, dedupe_key__in={row.dedupe_key for row in rows}
        ).count()
        unread_forget({row.recipient_id for row in rows})
    return after - before


def notifications_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    marked = unread.update(read_at=timezone.now())
    unread_forget([user.pk])
    return marked
