"""Write validated, resolved conversations: upsert by (source, external_id), add only new messages."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation, Message
from conversations.retention import retention_cutoff
from conversations.signals import conversations_written

CONVERSATION_FIELDS = [
    "team_id",
    "agent_id",
    "shop_id",
    "channel",
    "customer",
    "category",
    "started_at",
    "closed_at",
    "resolved",
    "rating",
    "ordered",
    "order_amount",
]

_MODEL_FIELD_NAMES = [name.removesuffix("_id") for name in CONVERSATION_FIELDS]


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    messages_added: int = 0

    def add(self, other: "IngestResult") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.messages_added += other.messages_added


def message_fingerprint(message: dict) -> str:
    """What makes a re-sent message the same message: its external id, else sender, time and text."""
    if message.get("external_id"):
        return f"id:{message['external_id']}"
    moment = message["sent_at"].astimezone(UTC).isoformat()
    digest = hashlib.sha256(f"{message['sender']}\x1f{moment}\x1f{message['text']}".encode()).hexdigest()
    return f"h:{digest}"


@transaction.atomic
def upsert_conversations(items: list[dict]) -> IngestResult:
    """Items are validated and resolved (team_id, agent_id, shop_id set). A fixed number of queries per batch."""
    result = IngestResult()
    if not items:
        return result
    existing = _existing_conversations(items)
    known_fingerprints = _known_fingerprints([conversation.pk for conversation in existing.values()])

    to_create, to_update, new_messages = [], [], []
    touched_days: set[tuple[int, datetime]] = set()  # (team, started_at) before and after each change
    cutoff = retention_cutoff()
    expired: set[tuple[str, str]] = set()  # past the retention period: kept without personal data
    for item in items:
        if cutoff is not None and item["started_at"] < cutoff:
            item = {**item, "customer": ""}
            expired.add((item["source"], item["external_id"]))
        conversation = existing.get((item["source"], item["external_id"]))
        fingerprints = known_fingerprints.get(conversation.pk, set()) if conversation else set()
        fresh_messages = _dedupe([m for m in item["messages"] if message_fingerprint(m) not in fingerprints])
        if conversation is None:
            conversation = Conversation(source=item["source"], external_id=item["external_id"])
            _copy_fields(item, conversation)
            if (item["source"], item["external_id"]) in expired:
                conversation.personal_data_removed_at = timezone.now()
            to_create.append(conversation)
            result.created += 1
        else:
            day_before = (conversation.team_id, conversation.started_at)
            if not (_copy_fields(item, conversation) or fresh_messages):
                result.unchanged += 1
                continue
            touched_days.add(day_before)
            to_update.append(conversation)
            result.updated += 1
        touched_days.add((conversation.team_id, conversation.started_at))
        new_messages.append((conversation, fresh_messages))

    # update_conflicts makes a concurrent duplicate of the same batch an update, not an error.
    Conversation.objects.bulk_create(
        to_create,
        update_conflicts=True,
        unique_fields=["source", "external_id"],
        update_fields=_MODEL_FIELD_NAMES,
    )
    if to_update:
        now = timezone.now()
        for conversation in to_update:
            conversation.updated_at = now
        Conversation.objects.bulk_update(
            to_update, [*(f.removesuffix("_id") for f in CONVERSATION_FIELDS), "updated_at"]
        )
    messages = [
        Message(
            conversation_id=conversation.pk,
            external_id=message["external_id"],
            fingerprint=message_fingerprint(message),
            sender=message["sender"],
            sent_at=message["sent_at"],
            text="" if (conversation.source, conversation.external_id) in expired else message["text"],
        )
        for conversation, fresh in new_messages
        for message in fresh
    ]
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=2000)
    result.messages_added = len(messages)
    if touched_days:
        conversations_written.send(sender=Conversation, days=touched_days)
    return result


def _existing_conversations(items: list[dict]) -> dict[tuple[str, str], Conversation]:
    by_source: dict[str, set[str]] = {}
    for item in items:
        by_source.setdefault(item["source"], set()).add(item["external_id"])
    found = {}
    for source, external_ids in by_source.items():
        for conversation in Conversation.objects.filter(source=source, external_id__in=external_ids):
            found[(conversation.source, conversation.external_id)] = conversation
    return found


def _known_fingerprints(conversation_ids: list[int]) -> dict[int, set[str]]:
    known: dict[int, set[str]] = {}
    rows = Message.objects.filter(conversation_id__in=conversation_ids).values_list("conversation_id", "fingerprint")
    for conversation_id, fingerprint in rows:
        known.setdefault(conversation_id, set()).add(fingerprint)
    return known


def _dedupe(messages: list[dict]) -> list[dict]:
    seen, unique = set(), []
    for message in messages:
        fingerprint = message_fingerprint(message)
        if fingerprint not in seen:
            seen.add(fingerprint)
            unique.append(message)
    return unique


def _copy_fields(item: dict, conversation: Conversation) -> bool:
    """Copy the item's values onto the conversation; True when anything changed."""
    changed = False
    for name in CONVERSATION_FIELDS:
        key = name if name in item else name.removesuffix("_id")
        value = item[key]
        if getattr(conversation, name) != value:
            setattr(conversation, name, value)
            changed = True
    return changed
