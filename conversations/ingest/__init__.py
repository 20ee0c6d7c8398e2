"""Ingestion of chat logs in the native form (DESIGN.md): validate a batch, resolve
people and shops, upsert. Every path in (REST bulk, files, webhooks) ends here."""

from conversations.ingest.errors import BatchRejected, IngestError
from conversations.ingest.scope import IngestScope, scope_for_team, scope_for_user
from conversations.ingest.service import IngestResult, conversations_ingest, conversations_validate

__all__ = [
    "BatchRejected",
    "IngestError",
    "IngestResult",
    "IngestScope",
    "conversations_ingest",
    "conversations_validate",
    "scope_for_team",
    "scope_for_user",
]
