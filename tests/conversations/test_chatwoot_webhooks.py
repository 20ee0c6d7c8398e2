"""Chatwoot webhooks: each event through the one ingest path, idempotence, refusals, and who sees tokens."""

import pytest
from rest_framework.test import APIClient

from conversations.models import Conversation, ExternalIdentity, Message, WebhookIntegration
from teams.models import Role
from tests.conversations import chatwoot_samples as cw
from tests.factories import member


@pytest.fixture
def integration(team, supervisor):
    return WebhookIntegration.objects.create(
        team=team, name="Shop Chatwoot", default_category="pre_sales", created_by=supervisor
    )


@pytest.fixture
def alice(team):
    return member(team, Role.AGENT, username="alice", email="alice@example.com")


@pytest.fixture
def push(integration):
    """POST a payload to the integration's webhook URL as Chatwoot does: JSON, no credentials, CSRF enforced."""
    client = APIClient(enforce_csrf_checks=True)

    def send(payload, token=None):
        return client.post(f"/api/v1/webhooks/chatwoot/{token or integration.token}/", payload, format="json")

    return send


def rows():
    return Conversation.objects.count(), Message.objects.count()


def test_conversation_created_stores_an_unassigned_chat_in_the_integration_team(push, team):
    response = push(cw.conversation_event("conversation_created"))

    assert response.status_code == 200, response.content
    assert response.json() == {"result": "created"}
    chat = Conversation.objects.get()
    assert (chat.source, chat.external_id, chat.team, chat.agent) == ("chatwoot", "101", team, None)
    assert (chat.channel, chat.customer, chat.category, chat.resolved) == ("web_widget", "buyer-77", "pre_sales", False)
    assert chat.started_at.isoformat() == cw.STARTED_ISO
    assert list(chat.messages.values_list("external_id", "sender", "text")) == [
        ("1001", "customer", "Is the blue one in stock?")
    ]


def test_message_created_for_an_unknown_conversation_creates_it_from_the_event(push, alice):
    payload = cw.message_event(
        1002,
        "outgoing",
        "Yes, it ships today.",
        cw.STARTED + 40,
        sender=cw.agent_sender(),
        assignee=cw.agent_user(email="alice@example.com"),
    )
    assert push(payload).json() == {"result": "created"}

    chat = Conversation.objects.get()
    assert chat.agent == alice
    assert list(chat.messages.values_list("external_id", "sender")) == [("1001", "customer"), ("1002", "agent")]


@pytest.mark.parametrize(
    ("message_type", "sender", "stored_as"),
    [
        ("incoming", None, "customer"),
        ("outgoing", cw.agent_sender(), "agent"),
        ("outgoing", cw.bot_sender(), "bot"),
        ("activity", None, "system"),
        ("template", None, "bot"),
    ],
)
def test_message_created_adds_the_message_to_a_known_conversation(push, message_type, sender, stored_as):
    push(cw.conversation_event("conversation_created"))

    response = push(cw.message_event(1010, message_type, "text", cw.STARTED + 60, sender=sender))

    assert response.json() == {"result": "updated"}
    assert Conversation.objects.count() == 1
    assert Message.objects.get(external_id="1010").sender == stored_as


def test_a_private_note_is_ignored_and_writes_nothing(push):
    payload = cw.message_event(
        1011, "outgoing", "VIP, be nice", cw.STARTED + 60, sender=cw.agent_sender(), private=True
    )
    assert push(payload).json() == {"result": "ignored"}
    assert rows() == (0, 0)


def test_status_changed_to_resolved_closes_the_chat_and_keeps_what_chatwoot_does_not_know(push, team):
    push(cw.conversation_event("conversation_created"))
    Conversation.objects.update(ordered=True, order_amount="199.00", category="complaint")

    payload = cw.conversation_event("conversation_status_changed", status="resolved", last_activity_at=cw.STARTED + 900)
    assert push(payload).json() == {"result": "updated"}

    chat = Conversation.objects.get()
    assert (chat.resolved, chat.closed_at.isoformat()) == (True, "2025-03-10T02:15:00+00:00")
    assert (chat.ordered, str(chat.order_amount), chat.category, chat.team) == (True, "199.00", "complaint", team)


def test_reopening_clears_the_closing_time(push):
    push(cw.conversation_event("conversation_status_changed", status="resolved"))
    push(cw.conversation_event("conversation_status_changed", status="open"))
    chat = Conversation.objects.get()
    assert (chat.resolved, chat.closed_at) == (False, None)


def test_conversation_updated_assigns_the_agent_and_takes_the_category_label(push, alice, team):
    push(cw.conversation_event("conversation_created"))

    payload = cw.conversation_event(
        "conversation_updated", assignee=cw.agent_user(email="alice@example.com"), labels=["refund", "complaint"]
    )
    assert push(payload).json() == {"result": "updated"}

    chat = Conversation.objects.get()
    assert (chat.agent, chat.team, chat.category) == (alice, team, "complaint")


def test_an_assignee_named_by_chatwoot_id_resolves_through_an_external_identity(push, alice, team):
    ExternalIdentity.objects.create(source="chatwoot", external_ref="7", user=alice, team=team)
    push(cw.conversation_event("conversation_updated", assignee=cw.agent_user(user_id=7)))
    assert Conversation.objects.get().agent == alice


def test_csat_survey_response_sets_the_rating(push):
    push(cw.conversation_event("conversation_status_changed", status="resolved"))

    assert push(cw.csat_event(rating=4)).json() == {"result": "updated"}
    assert Conversation.objects.get().rating == 4
    assert push(cw.csat_event(rating=4)).json() == {"result": "unchanged"}


def test_csat_for_a_conversation_never_received_is_ignored(push):
    assert push(cw.csat_event(display_id=999)).json() == {"result": "ignored"}
    assert rows() == (0, 0)


def test_csat_answer_arriving_as_message_updated_sets_the_rating(push):
    """Stock Chatwoot reports a survey answer by updating the survey message."""
    push(cw.conversation_event("conversation_status_changed", status="resolved"))
    payload = cw.message_event(
        1020,
        "template",
        "Please rate the conversation",
        cw.STARTED + 700,
        event="message_updated",
        content_type="input_csat",
        content_attributes={"submitted_values": {"csat_survey_response": {"rating": 2, "feedback_message": "slow"}}},
        status="resolved",
    )
    push(payload)
    assert Conversation.objects.get().rating == 2


@pytest.mark.parametrize(
    "payload",
    [
        cw.conversation_event("conversation_created"),
        cw.conversation_event("conversation_status_changed", status="resolved"),
        cw.message_event(1002, "outgoing", "Ships today.", cw.STARTED + 40, sender=cw.agent_sender()),
    ],
    ids=["conversation_created", "conversation_status_changed", "message_created"],
)
def test_the_same_event_twice_changes_nothing(push, payload):
    push(cw.copied(payload))
    before = rows()
    chat = Conversation.objects.get()

    response = push(cw.copied(payload))

    assert response.json() == {"result": "unchanged"}
    assert rows() == before
    assert Conversation.objects.get().updated_at == chat.updated_at


def _without(payload, *path):
    payload = cw.copied(payload)
    target = payload
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return payload


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_without(cw.conversation_event("conversation_created"), "id"), "id"),
        ({**cw.conversation_event("conversation_created"), "meta": "oops"}, "meta"),
        ({**cw.conversation_event("conversation_created"), "messages": {"id": 1}}, "messages"),
        ({**cw.conversation_event("conversation_created"), "created_at": "yesterday"}, "started_at"),
        (_without(cw.message_event(5, "incoming", "hi", cw.STARTED), "conversation"), "conversation"),
        (_without(cw.message_event(5, "incoming", "hi", cw.STARTED), "conversation", "id"), "id"),
        ({**cw.message_event(5, "incoming", "hi", cw.STARTED), "message_type": "shout"}, "messages[1].message_type"),
        (
            {**cw.message_event(5, "incoming", "hi", cw.STARTED), "created_at": "2099-01-01T00:00:00Z"},
            "messages[1].sent_at",
        ),
        (_without(cw.csat_event(), "rating"), "rating"),
        ({k: v for k, v in cw.conversation_event("conversation_created").items() if k != "event"}, "event"),
    ],
    ids=[
        "conversation-without-id",
        "meta-not-an-object",
        "messages-not-a-list",
        "unreadable-created_at",
        "message-without-conversation",
        "message-conversation-without-id",
        "unknown-message-type",
        "message-from-the-future",
        "csat-without-rating",
        "no-event-name",
    ],
)
def test_a_malformed_payload_is_a_400_naming_the_field_and_writes_nothing(push, payload, field):
    response = push(payload)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert rows() == (0, 0)


def test_a_body_that_is_not_a_json_object_is_a_400(push, integration):
    assert push([cw.conversation_event("conversation_created")]).status_code == 400
    client = APIClient()
    url = f"/api/v1/webhooks/chatwoot/{integration.token}/"
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert rows() == (0, 0)


def test_an_unknown_assignee_is_a_400_naming_them_and_writes_nothing(push, alice):
    payload = cw.conversation_event("conversation_created", assignee=cw.agent_user(email="nobody@example.com"))
    response = push(payload)
    assert response.status_code == 400
    assert "nobody@example.com" in response.json()["agent"][0]
    assert rows() == (0, 0)


@pytest.mark.parametrize("event", ["contact_created", "conversation_typing_on", "webwidget_triggered"])
def test_an_event_we_do_not_use_is_a_200_and_writes_nothing(push, event):
    response = push({**cw.conversation_event("conversation_created"), "event": event})
    assert (response.status_code, response.json()) == (200, {"result": "ignored"})
    assert rows() == (0, 0)


def test_an_unknown_token_is_a_404(push):
    assert push(cw.conversation_event("conversation_created"), token="not-a-token").status_code == 404
    assert rows() == (0, 0)


def test_a_revoked_token_is_a_404(push, integration, api, supervisor):
    api.as_user(supervisor).post(f"/api/v1/webhook-integrations/{integration.pk}/revoke/")
    assert push(cw.conversation_event("conversation_created")).status_code == 404
    assert rows() == (0, 0)


def test_a_conversation_of_another_team_with_the_same_id_is_not_taken_over(push, team, other_team):
    theirs = WebhookIntegration.objects.create(team=other_team, name="Their Chatwoot")
    assert push(cw.conversation_event("conversation_created"), token=theirs.token).status_code == 200

    response = push(cw.conversation_event("conversation_status_changed", status="resolved"))

    assert response.status_code == 400
    assert "source" in response.json()["id"][0]
    chat = Conversation.objects.get()
    assert (chat.team, chat.resolved) == (other_team, False)


# The integrations API: only those who manage the team see (and use) the tokens.


def test_a_supervisor_creates_an_integration_and_sees_its_token_and_url(api, supervisor, team):
    payload = {"team": team.pk, "name": "Flagship Chatwoot", "default_category": "after_sales"}
    response = api.as_user(supervisor).post("/api/v1/webhook-integrations/", payload, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    integration = WebhookIntegration.objects.get()
    assert body["token"] == integration.token and len(integration.token) >= 40
    assert body["webhook_path"] == f"/api/v1/webhooks/chatwoot/{integration.token}/"
    assert body["webhook_url"].endswith(body["webhook_path"])
    assert (body["source"], body["active"], body["created_by"]) == (f"chatwoot-team-{team.pk}", True, "sue")
    assert integration.created_by == supervisor


@pytest.mark.parametrize("role_fixture", ["agent", "qa_inspector"])
def test_agents_and_qa_may_not_create_integrations(api, team, role_fixture, request):
    person = request.getfixturevalue(role_fixture)
    payload = {"team": team.pk, "name": "Sneaky"}
    assert api.as_user(person).post("/api/v1/webhook-integrations/", payload, format="json").status_code == 403
    assert not WebhookIntegration.objects.exists()


@pytest.mark.parametrize("role_fixture", ["agent", "qa_inspector"])
def test_agents_and_qa_never_see_tokens(api, integration, role_fixture, request):
    client = api.as_user(request.getfixturevalue(role_fixture))
    listing = client.get("/api/v1/webhook-integrations/")
    assert listing.status_code == 200 and listing.json()["count"] == 0
    assert integration.token not in listing.content.decode()
    assert client.get(f"/api/v1/webhook-integrations/{integration.pk}/").status_code == 404
    assert client.post(f"/api/v1/webhook-integrations/{integration.pk}/revoke/").status_code == 404
    integration.refresh_from_db()
    assert integration.active


def test_supervisor_and_department_manager_list_the_tokens(api, integration, supervisor, manager):
    for person in (supervisor, manager):
        [row] = api.as_user(person).get("/api/v1/webhook-integrations/").json()["results"]
        assert row["token"] == integration.token


def test_the_list_filters_by_team_and_active_without_revealing_foreign_teams(api, integration, supervisor, other_team):
    client = api.as_user(supervisor)
    WebhookIntegration.objects.create(team=integration.team, name="Old one", revoked_at="2025-03-01T00:00:00Z")
    assert client.get("/api/v1/webhook-integrations/", {"active": "true"}).json()["count"] == 1
    assert client.get("/api/v1/webhook-integrations/", {"team": integration.team.pk}).json()["count"] == 2
    for team_id in (other_team.pk, 999_999):
        response = client.get("/api/v1/webhook-integrations/", {"team": team_id})
        assert (response.status_code, response.json()["count"]) == (200, 0)


def test_the_outsider_gets_404_and_the_integration_is_unchanged(api, integration, outsider, team):
    client = api.as_user(outsider)
    assert client.get(f"/api/v1/webhook-integrations/{integration.pk}/").status_code == 404
    assert client.post(f"/api/v1/webhook-integrations/{integration.pk}/revoke/").status_code == 404
    assert client.get("/api/v1/webhook-integrations/").json()["count"] == 0
    response = client.post("/api/v1/webhook-integrations/", {"team": team.pk, "name": "Mine now"}, format="json")
    assert response.status_code == 400 and "team" in response.json()
    integration.refresh_from_db()
    assert integration.active and WebhookIntegration.objects.count() == 1


def test_revoke_sets_revoked_at_once_and_keeps_the_row(api, integration, supervisor):
    client = api.as_user(supervisor)
    first = client.post(f"/api/v1/webhook-integrations/{integration.pk}/revoke/")
    assert first.status_code == 200 and first.json()["active"] is False
    revoked_at = first.json()["revoked_at"]
    assert client.post(f"/api/v1/webhook-integrations/{integration.pk}/revoke/").json()["revoked_at"] == revoked_at
    assert client.delete(f"/api/v1/webhook-integrations/{integration.pk}/").status_code == 405
    assert client.patch(f"/api/v1/webhook-integrations/{integration.pk}/", {"name": "x"}).status_code == 405
    assert WebhookIntegration.objects.filter(pk=integration.pk, revoked_at__isnull=False).exists()


@pytest.mark.parametrize("size", [2, 20])
def test_the_integration_list_query_count_does_not_grow(api, supervisor, team, size, django_assert_max_num_queries):
    for index in range(size):
        WebhookIntegration.objects.create(team=team, name=f"Chatwoot {index}", created_by=supervisor)
    client = api.as_user(supervisor)
    # token lookup, team tree, memberships, count, page
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/webhook-integrations/", {"page_size": 100}).json()["count"] == size
