"""The shape of one conversation in the native form, checked field by field."""

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from conversations.ingest.errors import IngestError
from conversations.models import Category, Sender

MAX_MESSAGE_CHARS = 20_000
MAX_MESSAGES_PER_CONVERSATION = 5_000
# Clocks drift; anything further ahead than this is a wrong timestamp, not skew.
ALLOWED_CLOCK_SKEW = timedelta(minutes=10)
# Ids and handles: no spaces, no spreadsheet formulas (=, +, -, @ first).
IDENTIFIER_PATTERN = r"^[^\s=+\-@][^\s]*\Z"


class AwareDateTimeField(serializers.Field):
    """An ISO 8601 timestamp that states its time zone; never in the future."""

    default_error_messages = {
        "invalid": _("Not an ISO 8601 timestamp: {value}."),
        "naive": _("The timestamp {value} has no time zone; add an offset such as +08:00 or Z."),
        "future": _("The timestamp {value} is in the future."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        try:
            parsed = parse_datetime(data.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid", value=data)
        if parsed.tzinfo is None:
            self.fail("naive", value=data)
        if parsed > timezone.now() + ALLOWED_CLOCK_SKEW:
            self.fail("future", value=data)
        return parsed

    def to_representation(self, value):
        return value.isoformat()


class IdentifierField(serializers.RegexField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(
            IDENTIFIER_PATTERN,
            error_messages={"invalid": _("Not a valid identifier: no spaces, and not starting with = + - or @.")},
            **kwargs,
        )


class NativeMessageSerializer(serializers.Serializer):
    sender = serializers.ChoiceField(choices=Sender.choices)
    sent_at = AwareDateTimeField()
    text = serializers.CharField(allow_blank=True, max_length=MAX_MESSAGE_CHARS, trim_whitespace=False)
    external_id = IdentifierField(required=False, allow_blank=True, default="")


class NativeConversationSerializer(serializers.Serializer):
    source = serializers.SlugField(max_length=60)
    external_id = IdentifierField()
    channel = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    shop = IdentifierField(required=False, allow_null=True, allow_blank=True, default=None, max_length=60)
    agent = IdentifierField(required=False, allow_null=True, default=None, max_length=160)
    customer = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices)
    started_at = AwareDateTimeField()
    closed_at = AwareDateTimeField(required=False, allow_null=True, default=None)
    resolved = serializers.BooleanField(required=False, default=False)
    rating = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=5)
    ordered = serializers.BooleanField(required=False, default=False)
    order_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, default=0, min_value=0)
    messages = NativeMessageSerializer(
        many=True, required=False, default=list, max_length=MAX_MESSAGES_PER_CONVERSATION
    )

    def validate(self, attrs):
        if attrs["closed_at"] is not None and attrs["closed_at"] < attrs["started_at"]:
            raise serializers.ValidationError({"closed_at": _("closed_at is earlier than started_at.")})
        # Messages may arrive in any order; they are stored and used in time order.
        attrs["messages"] = sorted(attrs["messages"], key=lambda message: message["sent_at"])
        return attrs


def validate_items(items: list) -> tuple[list[dict | None], list[IngestError]]:
    """Validate every item; return the cleaned items (None where invalid) and all errors."""
    cleaned: list[dict | None] = []
    errors: list[IngestError] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(IngestError(index, "", str(_("Each item must be a JSON object."))))
            cleaned.append(None)
            continue
        serializer = NativeConversationSerializer(data=item)
        if serializer.is_valid():
            cleaned.append(serializer.validated_data)
        else:
            errors.extend(IngestError(index, field, message) for field, message in flatten_errors(serializer.errors))
            cleaned.append(None)
    errors.extend(_duplicate_ids(cleaned))
    return cleaned, errors


def flatten_errors(detail, prefix: str = ""):
    """DRF's nested error structure as (field path, message) pairs: messages[2].sent_at."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # a list serializer reports items by position
                yield from flatten_errors(value, f"{prefix}[{key}]")
                continue
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            yield from flatten_errors(value, path)
    elif isinstance(detail, list):
        if all(not isinstance(entry, dict | list) for entry in detail):
            for entry in detail:
                yield prefix, str(entry)
        else:
            for position, entry in enumerate(detail):
                if entry:
                    yield from flatten_errors(entry, f"{prefix}[{position}]")
    else:
        yield prefix, str(detail)


def _duplicate_ids(cleaned: list[dict | None]) -> list[IngestError]:
    first_seen: dict[tuple[str, str], int] = {}
    errors = []
    for index, item in enumerate(cleaned):
        if item is None:
            continue
        key = (item["source"], item["external_id"])
        if key in first_seen:
            message = _("Duplicate external_id %(id)s: item %(first)s has it too.") % {
                "id": item["external_id"],
                "first": first_seen[key],
            }
            errors.append(IngestError(index, "external_id", str(message)))
        else:
            first_seen[key] = index
    return errors
