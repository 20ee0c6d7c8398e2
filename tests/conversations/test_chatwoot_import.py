"""Chatwoot exports: mapping to the native form, structural problems by line, and a real ingest."""

import json

import pytest

from conversations.importers.base import ImportContext
from conversations.importers.chatwoot import chatwoot_conversation_to_native, parse_chatwoot
from conversations.ingest import BatchRejected, conversations_ingest, conversations_validate, scope_for_team
from conversations.models import Conversation, ExternalIdentity, Message
from teams.models import Role, Team
from tests.conversations.chatwoot_samples import STARTED, STARTED_ISO, agent_user, conversation, pushed_message
from tests.factories import member


def context(team=None, default_category="after_sales"):
    return ImportContext(source="chatwoot", team=team or Team(name="unsaved"), default_category=default_category)


def to_native(obj, default_category="after_sales"):
    return chatwoot_conversation_to_native(obj, source="chatwoot", default_category=default_category)


def resolved_chat():
    messages = [
        pushed_message(1001, 0, "Is the blue one in stock?", STARTED),
        pushed_message(1002, 1, "Yes, it ships today.", STARTED + 40, sender_type="User", sender_id=7),
        pushed_message(1003, 1, "Internal: VIP buyer", STARTED + 50, private=True, sender_type="User"),
        pushed_message(1004, 2, "Conversation was resolved by Alice", STARTED + 300),
        pushed_message(
            1005,
            3,
            "Please rate the conversation",
            STARTED + 310,
            content_type="input_csat",
            content_attributes={"submitted_values": {"csat_survey_response": {"rating": 5}}},
        ),
    ]
    return conversation(
        status="resolved",
        assignee=agent_user(email="alice@example.com"),
        labels=["vip", "pre_sales"],
        messages=messages,
        last_activity_at=STARTED + 310,
    )


def test_a_resolved_conversation_maps_field_by_field():
    native = to_native(resolved_chat())

    assert native == {
        "source": "chatwoot",
        "external_id": "101",
        "channel": "web_widget",
        "agent": "alice@example.com",
        "customer": "buyer-77",
        "category": "pre_sales",
        "started_at": STARTED_ISO,
        "closed_at": "2025-03-10T02:05:10+00:00",
        "resolved": True,
        "rating": 5,
        "messages": [
            {"external_id": "1001", "sender": "customer", "sent_at": STARTED_ISO, "text": "Is the blue one in stock?"},
            {
                "external_id": "1002",
                "sender": "agent",
                "sent_at": "2025-03-10T02:00:40+00:00",
                "text": "Yes, it ships today.",
            },
            {
                "external_id": "1004",
                "sender": "system",
                "sent_at": "2025-03-10T02:05:00+00:00",
                "text": "Conversation was resolved by Alice",
            },
            {
                "external_id": "1005",
                "sender": "bot",
                "sent_at": "2025-03-10T02:05:10+00:00",
                "text": "Please rate the conversation",
            },
        ],
    }


@pytest.mark.parametrize(
    ("message_type", "extra", "sender"),
    [
        (0, {}, "customer"),
        ("incoming", {}, "customer"),
        (1, {"sender_type": "User"}, "agent"),
        ("outgoing", {"sender": {"id": 7, "type": "user"}}, "agent"),
        (1, {"sender_type": "AgentBot"}, "bot"),
        ("outgoing", {"sender": {"id": 2, "name": "Order bot", "type": "agent_bot"}}, "bot"),
        (1, {"sender_type": "Captain::Assistant"}, "bot"),
        (2, {}, "system"),
        ("activity", {}, "system"),
        (3, {}, "bot"),
        ("template", {}, "bot"),
    ],
)
def test_every_message_type_maps_to_a_sender(message_type, extra, sender):
    obj = conversation(messages=[pushed_message(1, message_type, "hi", STARTED, **extra)])
    assert [m["sender"] for m in to_native(obj)["messages"]] == [sender]


def test_private_notes_are_left_out_and_empty_content_is_empty_text():
    obj = conversation(
        messages=[
            pushed_message(1, 1, "only for colleagues", STARTED, private=True),
            pushed_message(2, 0, None, STARTED + 5),
        ]
    )
    assert to_native(obj)["messages"] == [
        {"external_id": "2", "sender": "customer", "sent_at": "2025-03-10T02:00:05+00:00", "text": ""}
    ]


@pytest.mark.parametrize(
    "created_at",
    [STARTED, str(STARTED), "2025-03-10T02:00:00.000Z", "2025-03-10T10:00:00+08:00", "2025-03-10 02:00:00 UTC"],
)
def test_epoch_and_iso_timestamps_mean_the_same_moment(created_at):
    from django.utils.dateparse import parse_datetime

    obj = conversation(created_at=created_at, messages=[pushed_message(1, 0, "hi", created_at)])
    native = to_native(obj)
    assert parse_datetime(native["started_at"]) == parse_datetime(STARTED_ISO)
    assert parse_datetime(native["messages"][0]["sent_at"]) == parse_datetime(STARTED_ISO)


def test_an_open_conversation_has_no_closing_time_and_the_default_category():
    native = to_native(conversation(status="open", labels=["vip"]), default_category="tech")
    assert (native["resolved"], native["closed_at"], native["category"], native["agent"]) == (False, None, "tech", None)


def test_a_conversation_without_created_at_starts_with_its_first_message():
    obj = conversation(
        created_at=None, messages=[pushed_message(2, 1, "b", STARTED + 60), pushed_message(1, 0, "a", STARTED)]
    )
    assert to_native(obj)["started_at"] == STARTED_ISO


def test_channel_falls_back_to_the_inbox_and_customer_to_the_contact_id():
    obj = conversation(channel=None, sender={"id": 88, "identifier": None, "type": "contact"})
    native = to_native(obj)
    assert (native["channel"], native["customer"]) == ("inbox-3", "88")


def test_assignee_without_email_is_named_by_id_and_a_bot_assignee_is_nobody():
    assert to_native(conversation(assignee=agent_user(user_id=7)))["agent"] == "7"
    bot = {"id": 2, "name": "Order bot", "type": "agent_bot"}
    assert to_native(conversation(assignee=bot))["agent"] is None


def test_the_api_envelopes_are_accepted():
    chats = [conversation(display_id=1), conversation(display_id=2)]
    for document in (chats, {"payload": chats}, {"data": {"meta": {"all_count": 2}, "payload": chats}}):
        result = parse_chatwoot(json.dumps(document), context())
        assert result.problems == []
        assert [c.data["external_id"] for c in result.conversations] == ["1", "2"]
        assert [c.line for c in result.conversations] == [1, 2]
        assert result.rows_total == 2  # one message each


def test_a_document_that_is_not_json_is_one_problem_at_the_line_where_it_breaks():
    result = parse_chatwoot('[\n{"id": 1,\n oops}\n]', context())
    assert result.conversations == []
    assert len(result.problems) == 1
    assert result.problems[0].line == 3
    assert "Not valid JSON" in result.problems[0].message


@pytest.mark.parametrize("document", [{"id": 1}, "text", 42, {"data": {"payload": "x"}}])
def test_a_document_that_is_not_a_list_is_one_problem_on_line_1(document):
    result = parse_chatwoot(json.dumps(document), context())
    assert [(p.line, p.field) for p in result.problems] == [(1, "")]
    assert result.conversations == []


def test_structural_problems_name_the_item_by_its_position_and_the_rest_still_parses():
    no_id = conversation(display_id=None)
    bad_messages = {**conversation(display_id=3), "messages": "not a list"}
    bad_type = conversation(display_id=4, messages=[pushed_message(1, 9, "?", STARTED)])
    document = [conversation(display_id=1), no_id, bad_messages, bad_type, "not an object", conversation(display_id=6)]

    result = parse_chatwoot(json.dumps(document), context())

    assert [(p.line, p.field) for p in result.problems] == [
        (2, "id"),
        (3, "messages"),
        (4, "messages[0].message_type"),
        (5, ""),
    ]
    assert "9" in result.problems[2].message
    assert [(c.line, c.data["external_id"]) for c in result.conversations] == [(1, "1"), (6, "6")]


def test_a_utf8_byte_order_mark_is_tolerated():
    result = parse_chatwoot("\ufeff" + json.dumps([conversation()]), context())
    assert result.problems == [] and len(result.conversations) == 1


@pytest.fixture
def alice(team):
    return member(team, Role.AGENT, username="alice", email="alice@example.com")


def test_import_resolves_the_assignee_by_email_and_is_idempotent(team, alice):
    result = parse_chatwoot(json.dumps([resolved_chat()]), context(team))
    items = [parsed.data for parsed in result.conversations]

    first = conversations_ingest(items=items, scope=scope_for_team(team))
    again = conversations_ingest(items=items, scope=scope_for_team(team))

    assert (first.created, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)
    chat = Conversation.objects.get()
    assert (chat.agent, chat.team, chat.category, chat.rating, chat.resolved) == (alice, team, "pre_sales", 5, True)
    assert list(chat.messages.values_list("sender", flat=True)) == ["customer", "agent", "system", "bot"]
    assert Message.objects.count() == 4


def test_an_assignee_known_by_chatwoot_id_resolves_through_an_external_identity(team, alice):
    ExternalIdentity.objects.create(source="chatwoot", external_ref="7", user=alice, team=team)
    items = [to_native(conversation(assignee=agent_user(user_id=7)))]
    conversations_ingest(items=items, scope=scope_for_team(team))
    assert Conversation.objects.get().agent == alice


def test_an_unassigned_conversation_lands_in_the_import_team(team):
    conversations_ingest(items=[to_native(conversation())], scope=scope_for_team(team))
    chat = Conversation.objects.get()
    assert (chat.agent, chat.team) == (None, team)


def test_an_unknown_assignee_is_a_clear_error_naming_them_and_nothing_is_written(team, alice):
    items = [to_native(conversation(assignee=agent_user(email="nobody@example.com")))]
    with pytest.raises(BatchRejected) as rejected:
        conversations_validate(items=items, scope=scope_for_team(team))
    [error] = rejected.value.errors
    assert (error.index, error.field) == (0, "agent")
    assert "nobody@example.com" in error.message
    assert not Conversation.objects.exists()


def test_the_file_import_service_reads_a_chatwoot_export_and_locates_errors_by_item(team, alice):
    from conversations.importers.service import import_file

    good = resolved_chat()
    unknown = conversation(display_id=102, assignee=agent_user(email="nobody@example.com"))
    raw = json.dumps({"data": {"payload": [good, unknown]}}).encode()

    outcome = import_file(raw=raw, format_name="chatwoot", encoding="utf-8", context=context(team))
    assert [(error["line"], error["field"]) for error in outcome.errors] == [(2, "agent")]
    assert not Conversation.objects.exists()

    outcome = import_file(
        raw=json.dumps([good]).encode(), format_name="chatwoot", encoding="utf-8", context=context(team)
    )
    assert outcome.ok and outcome.result.created == 1


def test_a_member_of_another_team_is_not_a_known_assignee(team, outsider):
    outsider.email = "oscar@example.com"
    outsider.save()
    items = [to_native(conversation(assignee=agent_user(email="oscar@example.com")))]
    with pytest.raises(BatchRejected):
        conversations_ingest(items=items, scope=scope_for_team(team))
    assert not Conversation.objects.exists()
