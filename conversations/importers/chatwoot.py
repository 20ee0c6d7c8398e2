"""Chatwoot conversations, as its API and webhooks send them, in the native form.

`chatwoot_conversation_to_native` is shared by the file importer and the webhook
service. It reads the conversation object of Chatwoot's API (`push_data`: epoch
timestamps, integer message types) and of its webhooks (`webhook_data`: ISO
timestamps, message types by name) alike.

Line numbers: a JSON export has no meaningful line per conversation, so for this
format `line` is the 1-based position of the conversation in the list. Problems
with the whole document are on line 1, except invalid JSON, which is reported on
the line where the JSON parser stopped.
"""

import json
import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from conversations.importers.base import ImportContext, ParsedConversation, ParseProblem, ParseResult
from conversations.models import Category, Sender

_MESSAGE_TYPE_NAMES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
_SENDER_BY_MESSAGE_TYPE = {
    "incoming": Sender.CUSTOMER,
    "outgoing": Sender.AGENT,
    "activity": Sender.SYSTEM,
    "template": Sender.BOT,
}
# Agent bots and Chatwoot's AI assistant, as `sender_type` ("AgentBot", "Captain::Assistant")
# or as the sender's `type` ("agent_bot", "captain_assistant"), compared without case, "_" or "::".
_BOT_KINDS = {"agentbot", "captainassistant"}
_EPOCH_PATTERN = re.compile(r"\d+(\.\d+)?\Z")
_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


class ChatwootShapeError(ValueError):
    """A Chatwoot object this mapping cannot read: a missing id, a wrong type. Names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def parse_chatwoot(text: str, context: ImportContext) -> ParseResult:
    """A Chatwoot export (a JSON list of conversations, or the API's envelopes) in the native form."""
    result = ParseResult()
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        result.problems.append(ParseProblem(error.lineno, "", _("Not valid JSON: %(error)s.") % {"error": error.msg}))
        return result
    conversations = _conversation_list(document)
    if conversations is None:
        message = _('Expected a JSON list of Chatwoot conversations, or {"payload": [...]} as its API answers.')
        result.problems.append(ParseProblem(1, "", message))
        return result
    for index, obj in enumerate(conversations):
        line = index + 1
        try:
            native = chatwoot_conversation_to_native(
                obj, source=context.source, default_category=context.default_category
            )
        except ChatwootShapeError as error:
            result.problems.append(ParseProblem(line, error.field, error.message))
            result.rows_total += 1
            continue
        result.conversations.append(ParsedConversation(native, line, [line] * len(native["messages"])))
        # Counted the way the import service reports progress: a row per message, at least one per conversation.
        result.rows_total += max(1, len(native["messages"]))
    return result


def _conversation_list(document) -> list | None:
    if isinstance(document, dict):
        if isinstance(document.get("data"), dict):
            document = document["data"]
        document = document.get("payload")
    return document if isinstance(document, list) else None


def chatwoot_conversation_to_native(obj: dict, *, source: str, default_category: str) -> dict:
    """One Chatwoot conversation object as a native-form dict (shop, order fields left out).

    Raises ChatwootShapeError for what cannot be read at all; values that are merely
    wrong (a timestamp nobody can parse) pass through for validation to report by field.
    """
    if not isinstance(obj, dict):
        raise ChatwootShapeError("", _("Each conversation must be a JSON object."))
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise ChatwootShapeError("meta", _("meta must be a JSON object."))
    raw_messages = obj.get("messages") or []
    if not isinstance(raw_messages, list):
        raise ChatwootShapeError("messages", _("messages must be a JSON list."))
    messages = []
    for position, raw in enumerate(raw_messages):
        message = chatwoot_message_to_native(raw, field=f"messages[{position}]")
        if message is not None:
            messages.append(message)

    started_at = chatwoot_timestamp(obj.get("created_at")) or _earliest(m["sent_at"] for m in messages)
    resolved = obj.get("status") == "resolved"
    return {
        "source": source,
        "external_id": chatwoot_conversation_ref(obj),
        "channel": _channel(obj, meta),
        "agent": chatwoot_agent_handle(meta.get("assignee"), meta.get("assignee_type")),
        "customer": _customer(meta.get("sender")),
        "category": chatwoot_category(obj.get("labels")) or default_category,
        "started_at": started_at,
        "closed_at": _closed_at(obj, messages) if resolved else None,
        "resolved": resolved,
        "rating": chatwoot_rating(obj, raw_messages),
        "messages": messages,
    }


def chatwoot_conversation_ref(obj: dict) -> str:
    """The conversation's number as agents see it in Chatwoot.

    Chatwoot's API calls it `id`; a few payloads carry the database id as `id` and the
    number as `display_id`, so `display_id` wins where both are present.
    """
    value = obj.get("display_id")
    if value is None or value == "":
        value = obj.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value).strip() == "":
        raise ChatwootShapeError("id", _("The conversation has no id."))
    return str(value).strip()


def chatwoot_message_to_native(raw, *, field: str = "") -> dict | None:
    """One Chatwoot message in the native form; None for a private note (internal, never shown to the customer)."""
    if not isinstance(raw, dict):
        raise ChatwootShapeError(field, _("Each message must be a JSON object."))
    if raw.get("private") in (True, "true"):
        return None
    kind = raw.get("message_type")
    if isinstance(kind, int) and not isinstance(kind, bool):
        kind = _MESSAGE_TYPE_NAMES.get(kind)
    if not isinstance(kind, str) or kind not in _SENDER_BY_MESSAGE_TYPE:
        message = _("Unknown message_type %(type)r: expected 0-3 or incoming, outgoing, activity, template.")
        raise ChatwootShapeError(f"{field}.message_type".lstrip("."), message % {"type": raw.get("message_type")})
    sender = _SENDER_BY_MESSAGE_TYPE[kind]
    if sender == Sender.AGENT and _sent_by_bot(raw):
        sender = Sender.BOT
    message_id = raw.get("id")
    content = raw.get("content")
    return {
        "external_id": "" if message_id is None else str(message_id),
        "sender": sender,
        "sent_at": chatwoot_timestamp(raw.get("created_at")),
        "text": "" if content is None else content,
    }


def _sent_by_bot(raw: dict) -> bool:
    sender = raw.get("sender") if isinstance(raw.get("sender"), dict) else {}
    kinds = (raw.get("sender_type"), sender.get("type"))
    return any(isinstance(kind, str) and _normalised_kind(kind) in _BOT_KINDS for kind in kinds)


def _normalised_kind(kind: str) -> str:
    return kind.replace("::", "").replace("_", "").lower()


def chatwoot_agent_handle(assignee, assignee_type=None) -> str | None:
    """The handle ingest resolves to a member: the assignee's e-mail, else their Chatwoot id.

    A conversation assigned to a bot has no human agent.
    """
    if assignee is None:
        return None
    if not isinstance(assignee, dict):
        raise ChatwootShapeError("meta.assignee", _("meta.assignee must be a JSON object or null."))
    kind = assignee.get("type") or assignee_type
    if isinstance(kind, str) and _normalised_kind(kind) in _BOT_KINDS:
        return None
    email = assignee.get("email")
    if isinstance(email, str) and email.strip():
        return email.strip()
    if assignee.get("id") is None or isinstance(assignee.get("id"), bool | dict | list):
        raise ChatwootShapeError("meta.assignee", _("The assignee has neither an e-mail address nor an id."))
    return str(assignee["id"])


def chatwoot_category(labels) -> str | None:
    """The first label that names one of our categories, if any."""
    if not isinstance(labels, list):
        return None
    return next((label for label in labels if label in Category.values), None)


def chatwoot_rating(obj: dict, raw_messages: list):
    """The CSAT rating: the conversation's survey response, else the latest rated survey message."""
    response = obj.get("csat_survey_response")
    if isinstance(response, dict) and response.get("rating") is not None:
        return response["rating"]
    rating = None
    for raw in raw_messages:
        rating = _message_rating(raw) or rating
    return rating


def _message_rating(raw):
    attributes = raw.get("content_attributes") if isinstance(raw, dict) else None
    submitted = attributes.get("submitted_values") if isinstance(attributes, dict) else None
    response = submitted.get("csat_survey_response") if isinstance(submitted, dict) else None
    return response.get("rating") if isinstance(response, dict) else None


def chatwoot_timestamp(value):
    """Epoch seconds or an ISO 8601 string as ISO 8601 with an offset; anything unreadable as it came."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _EPOCH_PATTERN.match(value.strip()):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.endswith(" UTC"):  # Ruby's Time#to_s, as in Chatwoot's documented samples
        text = text.removesuffix(" UTC") + "+00:00"
    parsed = _parse(text)
    if parsed is None:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # Chatwoot keeps and sends UTC
    return parsed.isoformat()


def _channel(obj: dict, meta: dict) -> str:
    """`Channel::WebWidget` -> `web_widget`; without a channel type, the inbox."""
    channel = obj.get("channel") or meta.get("channel")
    if isinstance(channel, str) and channel.strip():
        name = channel.strip().removeprefix("Channel::")
        return _CAMEL_BOUNDARY.sub("_", name).lower()[:60]
    inbox_id = obj.get("inbox_id")
    return f"inbox-{inbox_id}" if inbox_id not in (None, "") else ""


def _customer(sender) -> str:
    """The contact's own identifier (the shop's buyer id) where set, else Chatwoot's contact id."""
    if not isinstance(sender, dict):
        return ""
    for key in ("identifier", "id"):
        value = sender.get(key)
        if value not in (None, "") and not isinstance(value, dict | list):
            return str(value)
    return ""


def _closed_at(obj: dict, messages: list[dict]):
    for key in ("last_activity_at", "timestamp"):
        closed = chatwoot_timestamp(obj.get(key))
        if closed:
            return closed
    return _latest(message["sent_at"] for message in messages)


def _parse(text) -> datetime | None:
    try:
        return parse_datetime(text) if isinstance(text, str) else None
    except ValueError:  # well-formed but impossible, like month 13
        return None


def _parsed_moments(values) -> list[tuple[datetime, str]]:
    moments = []
    for value in values:
        parsed = _parse(value)
        if parsed is not None and parsed.tzinfo is not None:
            moments.append((parsed, value))
    return moments


def _earliest(values) -> str | None:
    moments = _parsed_moments(values)
    return min(moments)[1] if moments else None


def _latest(values) -> str | None:
    moments = _parsed_moments(values)
    return max(moments)[1] if moments else None
