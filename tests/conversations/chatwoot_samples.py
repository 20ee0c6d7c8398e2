"""Chatwoot payloads shaped like the real ones.

Conversation objects follow Conversations::EventDataPresenter#push_data (what the API
lists and what conversation_* webhooks send): epoch-second timestamps, integer message
types, `meta.sender` / `meta.assignee`. Message events follow Message#webhook_data: ISO
timestamps, message types by name, the conversation's push_data under `conversation`.
All times are in the past (March 2025) because ingest refuses the future.
"""

import copy
from datetime import UTC, datetime

STARTED = 1741572000  # 2025-03-10T02:00:00Z
STARTED_ISO = "2025-03-10T02:00:00+00:00"


def iso(epoch: int) -> str:
    """As Chatwoot's webhook_data renders a time: UTC with milliseconds and a Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def contact(*, contact_id=88, identifier="buyer-77"):
    return {
        "additional_attributes": {},
        "custom_attributes": {},
        "email": "jane@example.net",
        "id": contact_id,
        "identifier": identifier,
        "name": "Jane",
        "phone_number": None,
        "thumbnail": "",
        "type": "contact",
    }


def agent_user(*, user_id=7, email=None):
    """meta.assignee as User#push_event_data sends it (no e-mail), or with an e-mail as some exports have it."""
    user = {
        "id": user_id,
        "name": "Alice",
        "available_name": "Alice",
        "avatar_url": "",
        "type": "user",
        "availability_status": "online",
        "thumbnail": "",
    }
    if email:
        user["email"] = email
    return user


def pushed_message(message_id, message_type, content, created_at, *, conversation_id=101, **extra):
    """A message as Message#push_event_data renders it (inside conversation objects and API exports)."""
    message = {
        "id": message_id,
        "content": content,
        "account_id": 1,
        "inbox_id": 3,
        "conversation_id": conversation_id,
        "message_type": message_type,
        "created_at": created_at,
        "updated_at": iso(created_at) if isinstance(created_at, int) else created_at,
        "private": False,
        "status": "sent",
        "source_id": None,
        "content_type": "text",
        "content_attributes": {},
        "sender_type": None,
        "sender_id": None,
        "external_source_ids": {},
    }
    message.update(extra)
    return message


def conversation(
    *,
    display_id=101,
    status="open",
    assignee=None,
    labels=(),
    messages=None,
    created_at=STARTED,
    last_activity_at=STARTED + 600,
    channel="Channel::WebWidget",
    sender=None,
):
    if messages is None:
        messages = [pushed_message(1001, 0, "Is the blue one in stock?", STARTED, conversation_id=display_id)]
    return {
        "additional_attributes": {"browser": {"browser_name": "Chrome"}, "referer": "https://shop.example/blue"},
        "can_reply": True,
        "channel": channel,
        "contact_inbox": {"id": 12, "contact_id": 88, "inbox_id": 3, "source_id": "405f1d30", "hmac_verified": False},
        "id": display_id,
        "inbox_id": 3,
        "messages": messages,
        "labels": list(labels),
        "meta": {
            "sender": sender or contact(),
            "assignee": assignee,
            "assignee_type": "User" if assignee else None,
            "team": None,
            "hmac_verified": False,
        },
        "status": status,
        "custom_attributes": {},
        "snoozed_until": None,
        "unread_count": 0,
        "first_reply_created_at": None,
        "priority": None,
        "waiting_since": 0,
        "agent_last_seen_at": 0,
        "contact_last_seen_at": 0,
        "last_activity_at": last_activity_at,
        "timestamp": last_activity_at,
        "created_at": created_at,
        "updated_at": float(last_activity_at),
    }


def conversation_event(event, **conversation_fields):
    """conversation_created / _status_changed / _updated: the conversation itself plus the event name."""
    body = {**conversation(**conversation_fields), "event": event}
    if event != "conversation_created":
        body["changed_attributes"] = [{"status": {"previous_value": "open", "current_value": body["status"]}}]
    return body


def message_event(
    message_id,
    message_type,
    content,
    created_at,
    *,
    event="message_created",
    sender=None,
    private=False,
    content_type="text",
    content_attributes=None,
    **conversation_fields,
):
    """message_created / message_updated as Message#webhook_data renders it."""
    conversation_fields.setdefault("last_activity_at", created_at)
    return {
        "id": message_id,
        "content": content,
        "created_at": iso(created_at),
        "message_type": message_type,
        "content_type": content_type,
        "private": private,
        "content_attributes": content_attributes or {},
        "source_id": None,
        "sender": sender,
        "inbox": {"id": 3, "name": "Shop website"},
        "conversation": conversation(**conversation_fields),
        "account": {"id": 1, "name": "Acme Shop"},
        "event": event,
    }


def agent_sender(*, user_id=7, email="alice@example.com"):
    """A human agent as User#webhook_data renders a message's sender."""
    return {"id": user_id, "name": "Alice", "email": email, "type": "user"}


def bot_sender():
    return {"id": 2, "name": "Order bot", "type": "agent_bot"}


def csat_event(*, display_id=101, rating=4):
    """csat_survey_response_created as CsatSurveyResponsePresenter#webhook_data renders it."""
    return {
        "event": "csat_survey_response_created",
        "id": 31,
        "rating": rating,
        "feedback_message": "Quick and friendly",
        "created_at": iso(STARTED + 900),
        "conversation": {"id": 5501, "display_id": display_id, "inbox_id": 3},
        "contact": {"id": 88, "name": "Jane", "email": "jane@example.net", "phone_number": None},
        "assigned_agent": {"id": 7, "name": "Alice", "email": "alice@example.com"},
        "message_id": 1009,
    }


def copied(payload):
    return copy.deepcopy(payload)
