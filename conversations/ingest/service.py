from conversations.ingest.errors import BatchRejected
from conversations.ingest.scope import IngestScope, reject_foreign_conversations, resolve_people_and_shops
from conversations.ingest.upsert import IngestResult, upsert_conversations
from conversations.ingest.validation import validate_items

__all__ = ["IngestResult", "conversations_ingest", "conversations_validate"]


def conversations_validate(*, items: list, scope: IngestScope) -> list[dict]:
    """Check a whole batch and resolve its people and shops; raise BatchRejected with every error."""
    cleaned, errors = validate_items(items)
    errors += resolve_people_and_shops(cleaned, scope)
    errors += reject_foreign_conversations(cleaned, scope)
    if errors:
        raise BatchRejected(sorted(errors, key=lambda error: error.index))
    return cleaned


def conversations_ingest(*, items: list, scope: IngestScope) -> IngestResult:
    """Validate and write a batch in the native form. Any invalid item: nothing is written.

    Idempotent: the same batch again changes nothing; a conversation sent again with
    new messages gains only those.
    """
    return upsert_conversations(conversations_validate(items=items, scope=scope))
