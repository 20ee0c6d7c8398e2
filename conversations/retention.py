"""Retention: after CHAT_RETENTION_DAYS, customers' personal data leaves the chat logs.

What goes: every message's text, the customer's identifier on the conversation, and uploaded import files
(they hold the raw chats) with their error reports. What stays: who handled the chat, when each message was
sent and by whom, rating, resolution, order, so the computed metrics stay as they were and can be computed
again. Other apps remove their own copies on the `personal_data_expired` signal. Idempotent: a conversation
is done once (personal_data_removed_at), and a rerun finds nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation, ImportJob, Message
from conversations.signals import personal_data_expired

BATCH = 2000  # conversations per transaction: short locks, steady progress on a large backlog


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.datetime | None
    conversations: int = 0
    messages: int = 0
    import_files: int = 0


def retention_days() -> int:
    return int(getattr(settings, "CHAT_RETENTION_DAYS", 0) or 0)


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime | None:
    """Conversations that started before this keep no personal data (None: retention is off). Ingestion stores
    a late or re-sent old conversation without it, so a re-import cannot bring removed data back."""
    days = retention_days()
    return (now or timezone.now()) - dt.timedelta(days=days) if days > 0 else None


def chat_retention_apply(*, now: dt.datetime | None = None, days: int | None = None) -> RetentionResult:
    """Remove the personal data of conversations that started more than `days` (default CHAT_RETENTION_DAYS;
    0 keeps everything) before `now`."""
    days = retention_days() if days is None else days
    if days <= 0:
        return RetentionResult(cutoff=None)
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    conversations = messages = 0
    due = Conversation.objects.filter(started_at__lt=cutoff, personal_data_removed_at__isnull=True)
    while ids := list(due.order_by("id").values_list("id", flat=True)[:BATCH]):
        with transaction.atomic():
            messages += Message.objects.filter(conversation_id__in=ids).exclude(text="").update(text="")
            conversations += Conversation.objects.filter(id__in=ids).update(customer="", personal_data_removed_at=now)
    import_files = _import_files_remove(cutoff)
    personal_data_expired.send(sender=Conversation, cutoff=cutoff)
    return RetentionResult(cutoff=cutoff, conversations=conversations, messages=messages, import_files=import_files)


def _import_files_remove(cutoff: dt.datetime) -> int:
    removed = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="").iterator():
        job.file.delete(save=False)
        job.errors = []
        job.save(update_fields=["file", "errors"])
        removed += 1
    return removed
