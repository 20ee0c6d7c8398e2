"""The metrics read API: DESIGN.md's names, team scoping, filters, CSV export, fixed query counts."""

import csv
import datetime as dt
import io

import pytest

from kpi.computation.daily import daily_metrics_compute
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.factories import member

DESIGN_NAMES = [
    "conversations",
    "messages_sent",
    "unanswered",
    "first_response_seconds",
    "avg_response_seconds",
    "resolution_rate",
    "csat_avg",
    "csi",
    "conversion_rate",
    "sales_amount",
    "qa_score_avg",
]
DAY = dt.date(2026, 11, 20)


def chats(team, agent, count=1, day=DAY):
    for n in range(count):
        start = dt.datetime(day.year, day.month, day.day, 9, n % 60, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        conversation = ConversationFactory(team=team, agent=agent, started_at=start, rating=5, resolved=True)
        MessageFactory(conversation=conversation, sender="customer", sent_at=start)
        MessageFactory(conversation=conversation, sender="agent", sent_at=start + dt.timedelta(seconds=30))


@pytest.fixture
def computed(team, agent, second_agent, sibling_team, sibling_agent):
    chats(team, agent, 2)
    chats(team, second_agent, 1)
    chats(sibling_team, sibling_agent, 1)
    daily_metrics_compute(day=DAY)


def test_rows_carry_the_design_names(api, supervisor, computed, agent):
    rows = api.as_user(supervisor).get("/api/v1/metrics/daily/", {"agent": agent.username}).json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["date"] == "2026-11-20" and row["agent_username"] == "alice"
    assert set(DESIGN_NAMES) <= set(row)
    assert (row["conversations"], row["first_response_seconds"], row["csat_avg"], row["resolution_rate"]) == (
        2,
        30.0,
        5.0,
        1.0,
    )
    assert row["qa_score_avg"] is None  # no QA reviews yet


@pytest.mark.parametrize(
    ("actor", "agents"),
    [
        ("agent", {"alice"}),
        ("second_agent", {"bob"}),
        ("supervisor", {"alice", "bob"}),
        ("qa_inspector", {"alice", "bob"}),
        ("manager", {"alice", "bob", "sam"}),
        ("outsider", set()),
    ],
)
def test_agent_rows_are_scoped(api, request, computed, actor, agents):
    user = request.getfixturevalue(actor)
    rows = api.as_user(user).get("/api/v1/metrics/daily/").json()["results"]
    assert {row["agent_username"] for row in rows} == agents


def test_team_rows_and_hourly_are_scoped(api, supervisor, outsider, computed, team):
    rows = api.as_user(supervisor).get("/api/v1/metrics/team-daily/").json()["results"]
    assert [(row["team"], row["conversations"]) for row in rows] == [(team.pk, 3)]
    hours = api.as_user(supervisor).get("/api/v1/metrics/hourly/", {"team": team.pk}).json()["results"]
    assert [(h["hour"], h["conversations"], h["customer_messages"]) for h in hours] == [(9, 3, 3)]
    assert api.as_user(outsider).get("/api/v1/metrics/team-daily/").json()["count"] == 0


def test_date_filters(api, supervisor, team, agent):
    chats(team, agent, 1, day=DAY - dt.timedelta(days=1))
    chats(team, agent, 1)
    for day in (DAY - dt.timedelta(days=1), DAY):
        daily_metrics_compute(day=day)
    client = api.as_user(supervisor)
    assert client.get("/api/v1/metrics/daily/", {"date_from": "2026-11-20"}).json()["count"] == 1
    assert client.get("/api/v1/metrics/daily/", {"date_to": "2026-11-19", "team": team.pk}).json()["count"] == 1
    assert client.get("/api/v1/metrics/daily/", {"date_from": "soon"}).status_code == 400


def test_csv_export_has_every_row_and_column(api, supervisor, computed):
    response = api.as_user(supervisor).get("/api/v1/metrics/daily/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert set(DESIGN_NAMES) <= set(rows[0])


@pytest.mark.parametrize("url", ["/api/v1/metrics/daily/", "/api/v1/metrics/team-daily/", "/api/v1/metrics/hourly/"])
def test_query_count_is_fixed_for_any_number_of_agents_and_days(
    api, supervisor, team, url, django_assert_max_num_queries
):
    client = api.as_user(supervisor)
    for agents, days in ((2, 1), (12, 5)):
        for _ in range(agents):
            person = member(team)
            for offset in range(days):
                chats(team, person, 1, day=DAY - dt.timedelta(days=offset))
        for offset in range(days):
            daily_metrics_compute(day=DAY - dt.timedelta(days=offset))
        with django_assert_max_num_queries(6):
            assert client.get(url, {"page_size": 500}).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(url, {"format": "csv"}).status_code == 200
