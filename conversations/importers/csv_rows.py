"""CSV with one row per message; the conversation's columns repeat on each of its rows.

Columns (header row required, any order):
  required: external_id, category, started_at, sender, sent_at, text
  optional: channel, shop, agent, customer, closed_at, resolved, rating, ordered,
            order_amount, message_external_id
"""

import csv
import io

from django.utils.translation import gettext as _

from conversations.importers.base import ImportContext, ParsedConversation, ParseProblem, ParseResult

REQUIRED_COLUMNS = ["external_id", "category", "started_at", "sender", "sent_at", "text"]
OPTIONAL_COLUMNS = [
    "channel",
    "shop",
    "agent",
    "customer",
    "closed_at",
    "resolved",
    "rating",
    "ordered",
    "order_amount",
    "message_external_id",
]
CONVERSATION_COLUMNS = [
    "channel",
    "shop",
    "agent",
    "customer",
    "category",
    "started_at",
    "closed_at",
    "resolved",
    "rating",
    "ordered",
    "order_amount",
]
TRUE_WORDS = {"true", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "0", "no", "n", "f", ""}


def parse_csv(text: str, context: ImportContext) -> ParseResult:
    result = ParseResult()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        result.problems.append(ParseProblem(1, "", _("The file is empty.")))
        return result
    except csv.Error as error:
        result.problems.append(ParseProblem(1, "", _("Unreadable CSV header: %(error)s.") % {"error": error}))
        return result
    header_problems = _check_header(header)
    if header_problems:
        result.problems.extend(header_problems)
        return result

    conversations: dict[str, ParsedConversation] = {}
    first_row_values: dict[str, dict] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.problems.append(
                ParseProblem(reader.line_num, "", _("Unreadable CSV row: %(error)s.") % {"error": error})
            )
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        result.rows_total += 1
        if len(row) != len(header):
            result.problems.append(
                ParseProblem(
                    line,
                    "",
                    _("Expected %(expected)s columns, found %(found)s.") % {"expected": len(header), "found": len(row)},
                )
            )
            continue
        values = dict(zip(header, row, strict=True))
        _add_row(values, line, context, conversations, first_row_values, result)
    result.conversations = list(conversations.values())
    if result.rows_total == 0 and not result.problems:
        result.problems.append(ParseProblem(1, "", _("The file has a header but no rows.")))
    return result


def _check_header(header: list[str]) -> list[ParseProblem]:
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(ParseProblem(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        problems.append(ParseProblem(1, "", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}))
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        problems.append(ParseProblem(1, "", _("Repeated columns: %(columns)s.") % {"columns": ", ".join(duplicated)}))
    return problems


def _add_row(values, line, context, conversations, first_row_values, result) -> None:
    external_id = values["external_id"].strip()
    conversation_values = {column: values.get(column, "").strip() for column in CONVERSATION_COLUMNS}
    parsed = conversations.get(external_id)
    if parsed is None:
        item = _conversation_item(external_id, conversation_values, context)
        if isinstance(item, ParseProblem):
            result.problems.append(ParseProblem(line, item.field, item.message))
            return
        parsed = conversations[external_id] = ParsedConversation(item, line, [])
        first_row_values[external_id] = conversation_values
    elif conversation_values != first_row_values[external_id]:
        changed = [c for c in CONVERSATION_COLUMNS if conversation_values[c] != first_row_values[external_id][c]]
        result.problems.append(
            ParseProblem(
                line,
                changed[0],
                _("Conversation %(id)s has a different %(column)s here than on line %(first)s.")
                % {"id": external_id, "column": changed[0], "first": parsed.line},
            )
        )
        return
    parsed.data["messages"].append(
        {
            "sender": values["sender"].strip(),
            "sent_at": values["sent_at"].strip(),
            "text": values["text"],
            "external_id": values.get("message_external_id", "").strip(),
        }
    )
    parsed.message_lines.append(line)


def _conversation_item(external_id: str, values: dict, context: ImportContext) -> dict | ParseProblem:
    item = {
        "source": context.source,
        "external_id": external_id,
        "channel": values["channel"],
        "shop": values["shop"] or None,
        "agent": values["agent"] or None,
        "customer": values["customer"],
        "category": values["category"],
        "started_at": values["started_at"],
        "closed_at": values["closed_at"] or None,
        "rating": values["rating"] or None,
        "order_amount": values["order_amount"] or "0",
        "messages": [],
    }
    for column in ("resolved", "ordered"):
        word = values[column].lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            return ParseProblem(0, column, _("Not a yes/no value: %(value)s.") % {"value": values[column]})
        item[column] = word in TRUE_WORDS
    return item
