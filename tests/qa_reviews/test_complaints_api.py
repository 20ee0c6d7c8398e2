"""/api/v1/complaints/: recording, filters, the history, status moves, follow-up, the SLA policy; who sees what."""

import datetime as dt

import pytest

from qa_reviews import complaints
from qa_reviews.models import Complaint, ComplaintPolicy, ComplaintStatusChange
from tests.conversations.factories import ConversationFactory
from tests.factories import member

URL = "/api/v1/complaints/"
RECEIVED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def record(team, actor, **fields):
    values = {"summary": "Wrong size sent", "category": "logistics", "customer": "buyer-9", **fields}
    return complaints.complaint_create(team=team, actor=actor, **values)


@pytest.fixture
def alices(team, agent):
    return record(team, agent, received_at=RECEIVED)


def test_an_agent_records_a_complaint(api, team, agent):
    conversation = ConversationFactory(team=team, agent=agent)
    body = {
        "team": team.pk,
        "summary": "Refund not received",
        "category": "refund",
        "priority": "high",
        "customer": "buyer-77",
        "channel": "web",
        "conversation": conversation.pk,
        "received_at": "2026-11-02T17:00:00+08:00",
    }
    response = api.as_user(agent).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["owner"], data["created_by"], data["status"], data["sla_minutes"]) == (agent.pk, agent.pk, "new", 30)
    assert data["first_response_due_at"] == "2026-11-02T17:30:00+08:00"
    assert data["conversation"] == conversation.pk and data["sla_breached"] is False
    assert [(h["from_status"], h["to_status"], h["changed_by"]) for h in data["history"]] == [("", "new", agent.pk)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "weather"}, "category"),
        ({"summary": ""}, "summary"),
        ({"owner": "sibling_agent"}, "owner"),
        ({"conversation": "sibling_conversation"}, "conversation"),
        ({"received_at": "2099-01-01T00:00:00Z"}, "received_at"),
    ],
)
def test_invalid_complaints_name_the_field(api, team, supervisor, sibling_team, sibling_agent, change, field):
    people = {
        "sibling_agent": sibling_agent.pk,
        "sibling_conversation": ConversationFactory(team=sibling_team, agent=sibling_agent).pk,
    }
    body = {"team": team.pk, "summary": "x", "category": "refund", "customer": "buyer-1"}
    body.update({key: people.get(value, value) for key, value in change.items()})
    response = api.as_user(supervisor).post(URL, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Complaint.objects.exists()


def test_outsiders_cannot_record_for_the_team(api, team, outsider, sibling_agent):
    body = {"team": team.pk, "summary": "x", "category": "refund", "customer": "buyer-1"}
    response = api.as_user(outsider).post(URL, body, format="json")
    assert response.status_code == 400 and "team" in response.json()  # the team "does not exist" for them
    assert api.as_user(sibling_agent).post(URL, body, format="json").status_code == 400
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("agent", 200),
        ("second_agent", 404),
        ("supervisor", 200),
        ("qa_inspector", 200),
        ("manager", 200),
        ("outsider", 404),
        ("sibling_agent", 404),
    ],
)
def test_who_reads_a_complaint(api, request, alices, actor, expected):
    response = api.as_user(request.getfixturevalue(actor)).get(f"{URL}{alices.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert [h["to_status"] for h in response.json()["history"]] == ["new"]


def test_anonymous_gets_401(api, alices):
    assert api.as_user(None).get(URL).status_code == 401
    assert api.as_user(None).post(f"{URL}{alices.pk}/transition/", {"status": "responding"}).status_code == 401


def test_list_filters(api, team, agent, second_agent, supervisor):
    breached = record(team, agent, priority="urgent", category="refund", received_at=RECEIVED)
    answered = record(team, supervisor, owner=second_agent, category="product")
    complaints.complaint_transition(complaint=answered, actor=second_agent, to_status="responding")
    complaints.complaints_flag_sla_breaches(now=RECEIVED + dt.timedelta(hours=1))
    client = api.as_user(supervisor)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {breached.pk, answered.pk}
    assert (
        ids(breached="true") == ids(priority="urgent") == ids(category="refund") == ids(owner=agent.pk) == {breached.pk}
    )
    assert ids(breached="false") == ids(status="responding") == ids(owner=second_agent.pk) == {answered.pk}
    assert ids(team=team.pk, status="new") == {breached.pk}
    assert ids(search="buyer") == {breached.pk, answered.pk}
    assert client.get(URL, {"status": "nonsense"}).status_code == 400


def test_transitions_through_the_api(api, alices, agent, supervisor):
    client = api.as_user(agent)
    response = client.post(
        f"{URL}{alices.pk}/transition/", {"status": "responding", "note": "Called back"}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "responding" and data["first_responded_at"] is not None
    assert [(h["from_status"], h["to_status"], h["note"]) for h in data["history"]][-1] == (
        "new",
        "responding",
        "Called back",
    )
    resolved = client.post(f"{URL}{alices.pk}/transition/", {"status": "resolved"}, format="json").json()
    assert resolved["resolved_at"] is not None
    closed = api.as_user(supervisor).post(f"{URL}{alices.pk}/transition/", {"status": "closed"}, format="json")
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"status": "nonsense"}, "status"),
        ({}, "status"),
        ({"status": "resolved"}, None),
    ],
)
def test_invalid_transitions_name_the_field_and_write_nothing(api, alices, agent, body, field):
    if field is None:  # resolved, then reopening without a note
        api.as_user(agent).post(f"{URL}{alices.pk}/transition/", body, format="json")
        body, field = {"status": "responding"}, "note"
    before = Complaint.objects.values().get(pk=alices.pk)
    changes = ComplaintStatusChange.objects.count()
    response = api.as_user(agent).post(f"{URL}{alices.pk}/transition/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field], response.content
    assert Complaint.objects.values().get(pk=alices.pk) == before
    assert ComplaintStatusChange.objects.count() == changes


def test_an_agent_who_recorded_but_does_not_own_it_cannot_move_it(api, team, agent, second_agent):
    complaint = record(team, second_agent, owner=agent)
    response = api.as_user(second_agent).post(
        f"{URL}{complaint.pk}/transition/", {"status": "responding"}, format="json"
    )
    assert response.status_code == 403
    assert api.as_user(second_agent).get(f"{URL}{complaint.pk}/").status_code == 200  # they still see it
    complaint.refresh_from_db()
    assert complaint.status == "new" and complaint.history.count() == 1


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent", "second_agent"])
def test_strangers_get_404_on_actions_and_change_nothing(api, request, alices, actor):
    client = api.as_user(request.getfixturevalue(actor))
    assert client.post(f"{URL}{alices.pk}/transition/", {"status": "responding"}, format="json").status_code == 404
    assert client.post(f"{URL}{alices.pk}/follow-up/", {"satisfaction": 1}, format="json").status_code == 404
    assert client.patch(f"{URL}{alices.pk}/", {"summary": "Hijacked"}, format="json").status_code == 404
    alices.refresh_from_db()
    assert (alices.status, alices.summary, alices.follow_up_satisfaction) == ("new", "Wrong size sent", None)


def test_follow_up(api, alices, agent):
    client = api.as_user(agent)
    early = client.post(f"{URL}{alices.pk}/follow-up/", {"satisfaction": 4}, format="json")
    assert early.status_code == 400 and "satisfaction" in early.json()
    client.post(f"{URL}{alices.pk}/transition/", {"status": "resolved"}, format="json")
    for wrong in (0, 6, "great"):
        response = client.post(f"{URL}{alices.pk}/follow-up/", {"satisfaction": wrong}, format="json")
        assert response.status_code == 400 and "satisfaction" in response.json()
    response = client.post(f"{URL}{alices.pk}/follow-up/", {"satisfaction": 4}, format="json")
    assert response.status_code == 200 and response.json()["follow_up_satisfaction"] == 4


def test_partial_update(api, alices, agent, second_agent, supervisor):
    response = api.as_user(agent).patch(
        f"{URL}{alices.pk}/", {"summary": "Wrong size, twice", "priority": "high"}, format="json"
    )
    assert response.status_code == 200 and response.json()["summary"] == "Wrong size, twice"
    invalid = api.as_user(agent).patch(f"{URL}{alices.pk}/", {"category": "weather"}, format="json")
    assert invalid.status_code == 400 and "category" in invalid.json()
    assert api.as_user(agent).patch(f"{URL}{alices.pk}/", {"owner": second_agent.pk}, format="json").status_code == 403
    handed = api.as_user(supervisor).patch(f"{URL}{alices.pk}/", {"owner": second_agent.pk}, format="json")
    assert handed.status_code == 200 and handed.json()["owner"] == second_agent.pk
    frozen = api.as_user(supervisor).patch(f"{URL}{alices.pk}/", {"sla_minutes": 999}, format="json")
    assert frozen.status_code == 200 and frozen.json()["sla_minutes"] == 30  # not editable: ignored


def test_sla_policy_endpoint(api, team, agent, supervisor, outsider):
    policy_url = f"{URL}policy/"
    assert api.as_user(agent).get(policy_url, {"team": team.pk}).json() == {
        "team": team.pk,
        "first_response_minutes": 30,
        "source": "default",
    }
    assert (
        api.as_user(agent).post(policy_url, {"team": team.pk, "first_response_minutes": 5}, format="json").status_code
        == 403
    )
    assert (
        api.as_user(outsider)
        .post(policy_url, {"team": team.pk, "first_response_minutes": 5}, format="json")
        .status_code
        == 400
    )
    assert api.as_user(outsider).get(policy_url, {"team": team.pk}).status_code == 400
    invalid = api.as_user(supervisor).post(policy_url, {"team": team.pk, "first_response_minutes": 0}, format="json")
    assert invalid.status_code == 400 and "first_response_minutes" in invalid.json()
    assert not ComplaintPolicy.objects.exists()
    response = api.as_user(supervisor).post(policy_url, {"team": team.pk, "first_response_minutes": 15}, format="json")
    assert response.json() == {"team": team.pk, "first_response_minutes": 15, "source": "team"}
    created = api.as_user(agent).post(
        URL, {"team": team.pk, "summary": "x", "category": "other", "customer": "c"}, format="json"
    )
    assert created.json()["sla_minutes"] == 15


@pytest.mark.parametrize("size", [3, 25])
def test_list_query_count_does_not_grow(api, team, supervisor, django_assert_max_num_queries, size):
    agents = [member(team, username=f"agent{i}") for i in range(3)]
    for i in range(size):
        complaint = record(team, supervisor, owner=agents[i % 3], conversation=ConversationFactory(team=team))
        complaints.complaint_transition(complaint=complaint, actor=supervisor, to_status="responding")
    client = api.as_user(supervisor)
    client.get(URL)  # the token lookup and the team scopes are the same each time
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == size
