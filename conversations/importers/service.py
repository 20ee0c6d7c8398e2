"""Import a whole file: decode, parse, validate everything, then write in batches.

Strict: a file with any error writes nothing. Idempotent: importing the same file
again adds nothing (conversations are upserted, messages deduplicated).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from conversations.importers.base import ImportContext, ParseResult
from conversations.importers.decoding import FileRejected, decode_upload
from conversations.importers.registry import format_handlers
from conversations.ingest import BatchRejected, IngestResult, conversations_validate
from conversations.ingest.upsert import upsert_conversations
from conversations.ingest.validation import validate_items

BATCH_SIZE = 500
_MESSAGE_FIELD = re.compile(r"^messages\[(\d+)\]")

ProgressCallback = Callable[[int, int], None]  # (rows done, rows total)


@dataclass
class ImportOutcome:
    rows_total: int = 0
    result: IngestResult = field(default_factory=IngestResult)
    errors: list[dict] = field(default_factory=list)  # {"line", "field", "message"}

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(
    *, raw: bytes, format_name: str, encoding: str, context: ImportContext, progress: ProgressCallback | None = None
) -> ImportOutcome:
    outcome = ImportOutcome()
    try:
        text = decode_upload(raw, encoding)
    except FileRejected as rejected:
        outcome.errors = [{"line": rejected.line, "field": "", "message": rejected.message}]
        return outcome
    parse, prepare = format_handlers(format_name)
    parsed = parse(text, context)
    outcome.rows_total = parsed.rows_total
    outcome.errors = [{"line": p.line, "field": p.field, "message": p.message} for p in parsed.problems]
    items = [conversation.data for conversation in parsed.conversations]
    # Shape first, without touching the database, so a broken file never reaches `prepare`.
    _cleaned, shape_errors = validate_items(items)
    outcome.errors += _located(shape_errors, parsed)
    if outcome.errors:
        return outcome
    try:
        with transaction.atomic():
            scope = prepare(parsed, context)
            resolved = conversations_validate(items=items, scope=scope)
    except BatchRejected as rejected:
        outcome.errors = _located(rejected.errors, parsed)
        return outcome
    _write_in_batches(resolved, parsed, outcome, progress)
    return outcome


def _write_in_batches(resolved: list[dict], parsed: ParseResult, outcome: ImportOutcome, progress) -> None:
    rows_done = 0
    for start in range(0, len(resolved), BATCH_SIZE):
        outcome.result.add(upsert_conversations(resolved[start : start + BATCH_SIZE]))
        rows_done += sum(
            max(1, len(conversation.message_lines)) for conversation in parsed.conversations[start : start + BATCH_SIZE]
        )
        if progress:
            progress(min(rows_done, outcome.rows_total), outcome.rows_total)


def _located(errors, parsed: ParseResult) -> list[dict]:
    """Name the file line of each item error: the message's own line when the error is about one."""
    located = []
    for error in errors:
        conversation = parsed.conversations[error.index]
        line = conversation.line
        match = _MESSAGE_FIELD.match(error.field)
        if match and int(match.group(1)) < len(conversation.message_lines):
            line = conversation.message_lines[int(match.group(1))]
        located.append({"line": line, "field": error.field, "message": error.message})
    return sorted(located, key=lambda entry: entry["line"])
