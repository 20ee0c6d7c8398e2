"""POST /api/v1/conversations/bulk/: validation, all-or-nothing, idempotence."""

import json

import pytest

from conversations.models import Conversation, Message
from tests.conversations.factories import native
from tests.factories import ShopFactory

BULK = "/api/v1/conversations/bulk/"


def counts():
    return Conversation.objects.count(), Message.objects.count()


@pytest.fixture
def shop(team):
    return ShopFactory(team=team.parent, code="flagship")


def test_batch_is_created_then_unchanged_when_resent(api, supervisor, agent, shop):
    batch = [native("c-1", shop="flagship"), native("c-2")]
    client = api.as_user(supervisor)
    first = client.post(BULK, batch, format="json")
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert counts() == (2, 4)
    second = client.post(BULK, batch, format="json")
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}
    assert counts() == (2, 4)
    stored = Conversation.objects.get(external_id="c-1")
    assert (stored.agent, stored.team, stored.shop, stored.rating, str(stored.order_amount)) == (
        agent,
        agent.memberships.get().team,
        shop,
        5,
        "199.00",
    )


def test_resent_conversation_gains_only_new_messages(api, supervisor, agent):
    client = api.as_user(supervisor)
    client.post(BULK, [native("c-1")], format="json")
    later = native("c-1")
    later["messages"].append({"sender": "customer", "sent_at": "2026-11-20T09:02:00+08:00", "text": "Thanks!"})
    response = client.post(BULK, [later], format="json")
    assert response.json()["updated"] == 1
    assert counts() == (1, 3)


def test_changed_fields_count_as_updated(api, supervisor, agent):
    client = api.as_user(supervisor)
    client.post(BULK, [native("c-1")], format="json")
    response = client.post(BULK, [native("c-1", rating=3)], format="json")
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0, "errors": []}
    assert Conversation.objects.get().rating == 3


def test_messages_out_of_order_are_stored_in_time_order(api, supervisor, agent):
    item = native("c-1")
    item["messages"].reverse()
    api.as_user(supervisor).post(BULK, [item], format="json")
    conversation = Conversation.objects.get()
    detail = api.as_user(supervisor).get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert [m["sender"] for m in detail["messages"]] == ["customer", "agent"]


BAD_ITEMS = [
    ("naive timestamp", {"started_at": "2026-11-20T09:00:00"}, "started_at", "no time zone"),
    ("not a timestamp", {"started_at": "yesterday"}, "started_at", "ISO 8601"),
    ("future timestamp", {"started_at": "2099-01-01T00:00:00+00:00", "closed_at": None}, "started_at", "future"),
    ("closed before started", {"closed_at": "2026-11-20T08:00:00+08:00"}, "closed_at", "earlier"),
    ("rating above 5", {"rating": 6}, "rating", "5"),
    ("rating below 1", {"rating": 0}, "rating", "1"),
    ("negative amount", {"order_amount": "-1.00"}, "order_amount", "0"),
    ("unknown category", {"category": "chitchat"}, "category", "chitchat"),
    ("unknown agent", {"agent": "nobody"}, "agent", "nobody"),
    ("agent of another team", {"agent": "oscar"}, "agent", "oscar"),
    ("unknown shop", {"shop": "moon-base"}, "shop", "moon-base"),
    ("formula as an id", {"external_id": "=cmd|' /C calc'!A0"}, "external_id", "identifier"),
    ("missing external_id", {"external_id": None}, "external_id", "null"),
    (
        "unknown sender",
        {"messages": [{"sender": "robot", "sent_at": "2026-11-20T09:00:00+08:00", "text": "x"}]},
        "messages[0].sender",
        "robot",
    ),
    (
        "huge message",
        {"messages": [{"sender": "agent", "sent_at": "2026-11-20T09:00:00+08:00", "text": "x" * 20_001}]},
        "messages[0].text",
        "20000",
    ),
    (
        "NUL in text",
        {"messages": [{"sender": "agent", "sent_at": "2026-11-20T09:00:00+08:00", "text": "a\x00b"}]},
        "messages[0].text",
        "Null characters",
    ),
    (
        "message without time zone",
        {"messages": [{"sender": "agent", "sent_at": "2026-11-20 09:00", "text": "x"}]},
        "messages[0].sent_at",
        "time zone",
    ),
]


@pytest.mark.parametrize(("case", "change", "field", "fragment"), BAD_ITEMS, ids=[c[0] for c in BAD_ITEMS])
def test_invalid_item_rejects_the_whole_batch(api, supervisor, agent, outsider, case, change, field, fragment):
    batch = [native("good-1"), {**native("bad"), **change}, native("good-2")]
    response = api.as_user(supervisor).post(BULK, batch, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["index"] == 1 and e["field"] == field and fragment in e["message"] for e in errors), errors
    assert counts() == (0, 0)


def test_every_error_is_reported_not_just_the_first(api, supervisor, agent):
    batch = [native("a", rating=9), native("b", agent="ghost"), native("c", started_at="soon")]
    errors = api.as_user(supervisor).post(BULK, batch, format="json").json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(0, "rating"), (1, "agent"), (2, "started_at")]


def test_duplicate_ids_in_one_batch_are_rejected(api, supervisor, agent):
    errors = api.as_user(supervisor).post(BULK, [native("same"), native("same")], format="json").json()["errors"]
    assert errors == [{"index": 1, "field": "external_id", "message": "Duplicate external_id same: item 0 has it too."}]
    assert counts() == (0, 0)


def test_malformed_json_is_rejected(api, supervisor):
    response = api.as_user(supervisor).post(BULK, data='[{"source": "x",', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_body_must_be_a_list(api, supervisor):
    response = api.as_user(supervisor).post(BULK, native(), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Send a JSON list of conversations."


def test_items_must_be_objects(api, supervisor, agent):
    response = api.as_user(supervisor).post(BULK, [native(), "nope"], format="json")
    assert response.json()["errors"] == [{"index": 1, "field": "", "message": "Each item must be a JSON object."}]


def test_more_than_a_thousand_conversations_get_413(api, supervisor):
    response = api.as_user(supervisor).post(BULK, [{}] * 1001, format="json")
    assert response.status_code == 413
    assert "1000" in response.json()["detail"]


@pytest.mark.parametrize("role_fixture", ["agent", "qa_inspector"])
def test_only_roster_managers_may_post(api, request, role_fixture, agent):
    user = request.getfixturevalue(role_fixture)
    response = api.as_user(user).post(BULK, [native()], format="json")
    assert response.status_code == 403
    assert counts() == (0, 0)


def test_outsider_cannot_post_for_our_agent(api, outsider, agent):
    response = api.as_user(outsider).post(BULK, [native(agent="alice")], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "agent"
    assert counts() == (0, 0)


def test_agent_may_be_named_by_external_identity(api, supervisor, agent, team):
    from conversations.models import ExternalIdentity

    ExternalIdentity.objects.create(source="shopchat", external_ref="agent-42", user=agent, team=team)
    response = api.as_user(supervisor).post(BULK, [native(agent="agent-42")], format="json")
    assert response.status_code == 200, response.content
    assert Conversation.objects.get().agent == agent


def test_bulk_uses_a_fixed_number_of_queries(api, supervisor, agent, django_assert_max_num_queries):
    client = api.as_user(supervisor)
    for size in (5, 50):
        batch = [native(f"q{size}-{n}") for n in range(size)]
        with django_assert_max_num_queries(20):
            assert client.post(BULK, batch, format="json").status_code == 200
        with django_assert_max_num_queries(20):
            assert client.post(BULK, batch, format="json").json()["unchanged"] == size


def test_bulk_example_body_in_design_md_is_accepted(api, supervisor, agent, shop):
    body = json.loads(json.dumps([native(shop="flagship")]))
    assert api.as_user(supervisor).post(BULK, body, format="json").status_code == 200


def test_a_conversation_of_another_team_cannot_be_taken_over(api, supervisor, agent, outsider, other_team):
    from tests.conversations.factories import ConversationFactory

    theirs = ConversationFactory(source="shopchat", external_id="c-1", team=other_team, agent=outsider, rating=1)
    response = api.as_user(supervisor).post(BULK, [native("c-1", rating=5)], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_id"
    theirs.refresh_from_db()
    assert (theirs.team, theirs.agent, theirs.rating) == (other_team, outsider, 1)


def test_identity_of_a_deactivated_member_does_not_resolve(api, supervisor, agent, team):
    from conversations.models import ExternalIdentity
    from teams.models import Membership

    ExternalIdentity.objects.create(source="shopchat", external_ref="agent-42", user=agent, team=team)
    Membership.objects.filter(user=agent, team=team).update(active=False)
    response = api.as_user(supervisor).post(BULK, [native(agent="agent-42")], format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "agent"


def test_agent_may_be_named_by_email_in_any_case(api, supervisor, agent):
    agent.email = "Alice@Example.com"
    agent.save()
    response = api.as_user(supervisor).post(BULK, [native(agent="alice@example.com")], format="json")
    assert response.status_code == 200, response.content
    assert Conversation.objects.get().agent == agent
