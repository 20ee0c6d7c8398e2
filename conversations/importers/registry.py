"""Which parser and which preparation step each file format uses (dotted paths, loaded on use)."""

from django.utils.module_loading import import_string

from conversations.importers.base import ImportContext, Parser, ParseResult, Preparer
from conversations.ingest.scope import IngestScope, scope_for_team


def prepare_for_team(parsed: ParseResult, context: ImportContext) -> IngestScope:
    """Formats that name existing people and shops: they must belong to the import's team."""
    return scope_for_team(context.team)


FORMATS: dict[str, tuple[str, str]] = {
    "jsonl": ("conversations.importers.jsonl.parse_jsonl", "conversations.importers.registry.prepare_for_team"),
    "csv": ("conversations.importers.csv_rows.parse_csv", "conversations.importers.registry.prepare_for_team"),
    "chatwoot": (
        "conversations.importers.chatwoot.parse_chatwoot",
        "conversations.importers.registry.prepare_for_team",
    ),
    "twcs": ("conversations.importers.twcs.parse_twcs", "conversations.importers.twcs.prepare_twcs"),
}


def format_handlers(format_name: str) -> tuple[Parser, Preparer]:
    parser_path, preparer_path = FORMATS[format_name]
    return import_string(parser_path), import_string(preparer_path)
