"""JSON Lines: one conversation per line, in the native form of the bulk API."""

import json

from django.utils.translation import gettext as _

from conversations.importers.base import ImportContext, ParsedConversation, ParseProblem, ParseResult


def parse_jsonl(text: str, context: ImportContext) -> ParseResult:
    result = ParseResult()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        result.rows_total += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            result.problems.append(ParseProblem(number, "", _("Invalid JSON: %(error)s.") % {"error": error.msg}))
            continue
        if not isinstance(item, dict):
            result.problems.append(ParseProblem(number, "", _("Each line must be one JSON object.")))
            continue
        item["source"] = context.source
        messages = item.get("messages") if isinstance(item.get("messages"), list) else []
        result.conversations.append(ParsedConversation(item, number, [number] * len(messages)))
    return result
