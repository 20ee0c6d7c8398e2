"""Conversations are private records: an agent sees only their own; the team's
supervisors, QA inspectors and managers see all of the team's; others get 404."""

import datetime as dt

import pytest

from conversations.models import ImportJob
from tests.conversations.factories import ConversationFactory, MessageFactory

ACTORS = ["agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider"]
# Who may read the agent's conversation (agent = alice in the supervisor's team).
READS_AGENTS_CONVERSATION = {"agent", "supervisor", "qa_inspector", "manager"}


@pytest.fixture
def people(agent, second_agent, supervisor, qa_inspector, manager, outsider):
    return {
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
    }


@pytest.fixture
def conversations(team, agent, second_agent, sibling_team, sibling_agent):
    # All on 2026-11-01, whatever the factory's sequence has reached in this run (the date filter relies on it).
    day = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    own = ConversationFactory(team=team, agent=agent, started_at=day)
    MessageFactory(conversation=own)
    return {
        "own": own,
        "colleague": ConversationFactory(team=team, agent=second_agent, started_at=day + dt.timedelta(minutes=1)),
        "sibling": ConversationFactory(
            team=sibling_team, agent=sibling_agent, started_at=day + dt.timedelta(minutes=2)
        ),
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_conversation_detail(api, people, conversations, actor):
    response = api.as_user(people[actor]).get(f"/api/v1/conversations/{conversations['own'].pk}/")
    expected = 200 if actor in READS_AGENTS_CONVERSATION else 404
    assert response.status_code == expected
    if expected == 200:
        assert [m["text"] for m in response.json()["messages"]] == ["Hello"]


@pytest.mark.parametrize("actor", ACTORS)
def test_conversation_list_shows_only_allowed_rows(api, people, conversations, actor):
    rows = api.as_user(people[actor]).get("/api/v1/conversations/").json()["results"]
    visible = {row["external_id"] for row in rows}
    expected = {
        "agent": {"own"},
        "second_agent": {"colleague"},
        "supervisor": {"own", "colleague"},
        "qa_inspector": {"own", "colleague"},
        "manager": {"own", "colleague", "sibling"},
        "outsider": set(),
    }[actor]
    assert visible == {conversations[name].external_id for name in expected}


def test_anonymous_gets_401(api, conversations):
    assert api.get("/api/v1/conversations/").status_code == 401
    assert api.get(f"/api/v1/conversations/{conversations['own'].pk}/").status_code == 401


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_conversations_are_read_only_through_the_api(api, supervisor, conversations, method):
    response = getattr(api.as_user(supervisor), method)(f"/api/v1/conversations/{conversations['own'].pk}/", {})
    assert response.status_code == 405


def test_conversation_filters(api, supervisor, conversations, agent):
    client = api.as_user(supervisor)
    assert client.get("/api/v1/conversations/", {"agent": agent.username}).json()["count"] == 1
    assert client.get("/api/v1/conversations/", {"date_from": "2026-11-02"}).json()["count"] == 0
    assert client.get("/api/v1/conversations/", {"category": "pre_sales", "resolved": "false"}).json()["count"] == 2
    assert client.get("/api/v1/conversations/", {"category": "gossip"}).status_code == 400


@pytest.mark.parametrize("size", [3, 40])
def test_conversation_list_query_count_is_fixed(api, supervisor, team, agent, size, django_assert_max_num_queries):
    for _ in range(size):
        MessageFactory(conversation=ConversationFactory(team=team, agent=agent))
    client = api.as_user(supervisor)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/conversations/", {"page_size": 100}).status_code == 200


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("supervisor", 200), ("qa_inspector", 200), ("manager", 200), ("agent", 404), ("outsider", 404)],
)
def test_import_jobs_are_visible_to_who_supervises_the_team(api, people, team, supervisor, actor, expected):
    job = ImportJob.objects.create(
        team=team, created_by=supervisor, source="shopchat", format="csv", original_name="x.csv"
    )
    assert api.as_user(people[actor]).get(f"/api/v1/imports/{job.pk}/").status_code == expected
