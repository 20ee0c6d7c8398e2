"""Chatwoot webhook events, and the integrations allowed to send them.

Every handled event becomes one complete native-form conversation written with
conversations_ingest, the one write path: for a conversation we already store, its
current values overlaid with what the event states; for one we do not, the event's
own conversation data. The same event delivered twice therefore changes nothing.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.importers.chatwoot import (
    ChatwootShapeError,
    chatwoot_category,
    chatwoot_conversation_ref,
    chatwoot_conversation_to_native,
)
from conversations.ingest import BatchRejected, IngestScope, conversations_ingest, scope_for_team
from conversations.models import Category, Conversation, WebhookIntegration
from teams.models import Team

IGNORED = "ignored"
_MESSAGE_EVENTS = {"message_created", "message_updated"}  # message_updated carries CSAT answers in stock Chatwoot
_CONVERSATION_EVENTS = {"conversation_created", "conversation_status_changed", "conversation_updated"}
_CSAT_EVENT = "csat_survey_response_created"


def chatwoot_event_apply(*, integration: WebhookIntegration, payload: dict) -> str:
    """Apply one Chatwoot webhook event for the integration's team.

    Returns "created", "updated", "unchanged" or "ignored" (events we do not use,
    private notes, a survey answer for a conversation we never received). Raises
    ValidationError naming the field for a payload that cannot be applied; then
    nothing is written.
    """
    if not isinstance(payload, dict):
        raise ValidationError(_("The webhook body must be a JSON object."))
    event = payload.get("event")
    if not isinstance(event, str) or not event:
        raise ValidationError({"event": [_("The payload names no event.")]})
    if event not in _MESSAGE_EVENTS | _CONVERSATION_EVENTS | {_CSAT_EVENT}:
        return IGNORED

    scope = scope_for_team(integration.team)
    with transaction.atomic():
        try:
            item = _event_item(event, payload, integration=integration, scope=scope)
        except ChatwootShapeError as error:
            raise ValidationError({error.field or "__all__": [error.message]}) from None
        if item is None:
            return IGNORED
        try:
            result = conversations_ingest(items=[item], scope=scope)
        except BatchRejected as rejected:
            raise _as_validation_error(rejected) from None
    if result.created:
        return "created"
    return "updated" if result.updated else "unchanged"


def _event_item(event: str, payload: dict, *, integration: WebhookIntegration, scope: IngestScope) -> dict | None:
    if event in _CONVERSATION_EVENTS:
        return _conversation_item(payload, integration=integration, scope=scope)
    if event in _MESSAGE_EVENTS:
        conversation = payload.get("conversation")
        if not isinstance(conversation, dict):
            raise ChatwootShapeError("conversation", _("A message event must carry its conversation."))
        if payload.get("private") in (True, "true"):
            return None  # a private note: internal, not part of the chat
        known = conversation.get("messages") or []
        if not isinstance(known, list):
            raise ChatwootShapeError("conversation.messages", _("messages must be a JSON list."))
        # The event's message joins the conversation's own (its last message, usually this very one).
        others = [message for message in known if not _same_message(message, payload)]
        return _conversation_item(
            {**conversation, "messages": [*others, payload]}, integration=integration, scope=scope
        )
    return _csat_item(payload, integration=integration, scope=scope)


def _same_message(message, payload: dict) -> bool:
    return isinstance(message, dict) and message.get("id") is not None and message.get("id") == payload.get("id")


def _conversation_item(obj: dict, *, integration: WebhookIntegration, scope: IngestScope) -> dict:
    native = chatwoot_conversation_to_native(
        obj, source=integration.source, default_category=integration.default_category
    )
    stored = _stored_conversation(integration.source, native["external_id"], scope)
    if stored is None:
        return native
    item = _native_from_stored(stored)
    meta = obj.get("meta") or {}
    if "assignee" in meta:  # Chatwoot always sends it, null when unassigned
        item["agent"] = native["agent"]
    if "status" in obj:
        item["resolved"], item["closed_at"] = native["resolved"], native["closed_at"]
    # Without a category label the stored category stays: it may have been set here, not in Chatwoot.
    item["category"] = chatwoot_category(obj.get("labels")) or item["category"]
    for field in ("channel", "customer", "rating"):
        if native[field] not in (None, ""):
            item[field] = native[field]
    item["messages"] = native["messages"]
    return item


def _csat_item(payload: dict, *, integration: WebhookIntegration, scope: IngestScope) -> dict | None:
    conversation = payload.get("conversation")
    if not isinstance(conversation, dict):
        raise ChatwootShapeError("conversation", _("A survey response must name its conversation."))
    rating = payload.get("rating")
    if isinstance(payload.get("csat_survey_response"), dict):
        rating = payload["csat_survey_response"].get("rating", rating)
    if rating is None:
        raise ChatwootShapeError("rating", _("The survey response has no rating."))
    reference = chatwoot_conversation_ref(conversation)
    stored = _stored_conversation(integration.source, reference, scope)
    if stored is None:
        return None  # a survey of a conversation we never received: nothing to attach it to
    return {**_native_from_stored(stored), "rating": rating}


def _stored_conversation(source: str, external_id: str, scope: IngestScope) -> Conversation | None:
    """The stored conversation, locked against a concurrent event overwriting this one's overlay."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("agent", "shop")
        .filter(source=source, external_id=external_id)
        .first()
    )
    if conversation is not None and conversation.team_id not in scope.writable_team_ids:
        message = _(
            "Conversation %(id)s of source %(source)s belongs to another team. "
            "Give this integration a source of its own."
        ) % {"id": external_id, "source": source}
        raise ValidationError({"id": [message]})
    return conversation


def _native_from_stored(conversation: Conversation) -> dict:
    return {
        "source": conversation.source,
        "external_id": conversation.external_id,
        "channel": conversation.channel,
        "shop": conversation.shop.code if conversation.shop else None,
        "agent": conversation.agent.username if conversation.agent else None,
        "customer": conversation.customer,
        "category": conversation.category,
        "started_at": conversation.started_at.isoformat(),
        "closed_at": conversation.closed_at.isoformat() if conversation.closed_at else None,
        "resolved": conversation.resolved,
        "rating": conversation.rating,
        "ordered": conversation.ordered,
        "order_amount": str(conversation.order_amount),
        "messages": [],
    }


def _as_validation_error(rejected: BatchRejected) -> ValidationError:
    by_field: dict[str, list[str]] = defaultdict(list)
    for error in rejected.errors:
        by_field[error.field or "__all__"].append(error.message)
    return ValidationError(dict(by_field))


@transaction.atomic
def webhook_integration_create(
    *,
    team: Team,
    name: str,
    created_by,
    default_category: str = Category.AFTER_SALES,
    source: str | None = None,
) -> WebhookIntegration:
    """A new integration for `team`; its secret token is generated here and shown to its managers.

    Chatwoot numbers conversations from 1 in every account, so each team's instance
    gets a source of its own unless one is given.
    """
    integration = WebhookIntegration(
        team=team,
        name=name,
        default_category=default_category,
        source=source or f"chatwoot-team-{team.pk}",
        created_by=created_by,
    )
    integration.full_clean()
    integration.save()
    return integration


def webhook_integration_revoke(*, integration: WebhookIntegration) -> WebhookIntegration:
    """Stop accepting the integration's token. Revoking twice keeps the first time; the row stays as history."""
    now = timezone.now()
    WebhookIntegration.objects.filter(pk=integration.pk, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    integration.refresh_from_db()
    return integration
