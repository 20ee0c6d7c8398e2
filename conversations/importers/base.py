"""What every file parser returns: conversations in the native form, with where they came from.

A parser turns decoded text into native-form dicts (exactly what POST
/api/v1/conversations/bulk/ accepts: timestamps as ISO 8601 strings with an
offset), remembering the line or row each conversation and message came from so
that validation errors can name it. Parsers never touch the database; formats
that must create people first (TWCS) do so in a separate `prepare` step that the
import service runs only after the whole file has passed validation.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from conversations.ingest.scope import IngestScope
from teams.models import Team


@dataclass
class ParsedConversation:
    data: dict  # the native form
    line: int  # 1-based line or row where the conversation starts
    message_lines: list[int] = field(default_factory=list)  # one per data["messages"] entry, same order


@dataclass(frozen=True)
class ParseProblem:
    line: int
    field: str
    message: str


@dataclass
class ParseResult:
    conversations: list[ParsedConversation] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    rows_total: int = 0  # data rows or lines read, for progress


@dataclass(frozen=True)
class ImportContext:
    """What a parser may know about the import it serves."""

    source: str  # the `source` every conversation gets (e.g. "shopchat", "twcs")
    team: Team  # the team the file is imported for
    default_category: str = "after_sales"


Parser = Callable[[str, ImportContext], ParseResult]

# Runs after the whole file passed shape validation, inside the transaction that then
# validates people and shops: creates what the format needs (TWCS) and returns the
# scope the conversations are checked against. Must be idempotent.
Preparer = Callable[[ParseResult, ImportContext], IngestScope]
