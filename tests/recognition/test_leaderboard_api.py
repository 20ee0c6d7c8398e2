"""GET /api/v1/leaderboard/: who sees which rows, parameter errors named, a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpi.models import DailyAgentMetric
from kpi.selectors import composite_scores
from recognition.leaderboard import WEEK, period_of, team_today
from teams.models import Role
from tests.factories import member
from tests.recognition.test_leaderboard import W46, W47, day_metrics

URL = "/api/v1/leaderboard/"


@pytest.fixture
def board(team, agent, second_agent):
    """Nine agents this week: seven colleagues ahead, then bob, then alice (ninth); last week alice was first."""
    colleagues = [member(team, Role.AGENT, username=f"colleague{n}") for n in range(7)]
    for n, person in enumerate(colleagues):
        day_metrics(team, person, W47, conversations=50 - n)
        day_metrics(team, person, W46, conversations=10)
    day_metrics(team, second_agent, W47, conversations=20)
    day_metrics(team, agent, W47, conversations=10)
    day_metrics(team, agent, W46, conversations=99)
    return colleagues


def params(team, **extra) -> dict:
    return {"team": team.pk, "period": "week", "key": "2026-W47", "metric": "conversations", **extra}


def test_supervisors_qa_and_managers_see_every_row(api, team, board, supervisor, qa_inspector, manager):
    for person in (supervisor, qa_inspector, manager):
        body = api.as_user(person).get(URL, params(team)).json()
        assert body["count"] == 9
        assert [row["rank"] for row in body["results"]] == list(range(1, 10))
    first, last = body["results"][0], body["results"][-1]
    assert first == {
        "rank": 1,
        "previous_rank": 2,  # last week alice (99) led, the seven colleagues tied second
        "change": "up",
        "places": 1,
        "agent": board[0].pk,
        "username": "colleague0",
        "display_name": board[0].display_name,
        "value": 50.0,
        "period": "2026-W47",
        "previous_period": "2026-W46",
        "is_me": False,
    }
    assert (last["username"], last["rank"], last["previous_rank"], last["change"], last["places"]) == (
        "alice",
        9,
        1,
        "down",
        -8,
    )


def test_an_agent_sees_the_top_five_and_their_own_row(api, team, board, agent, second_agent):
    rows = api.as_user(agent).get(URL, params(team)).json()["results"]
    assert [(row["username"], row["rank"]) for row in rows] == [
        *((f"colleague{n}", n + 1) for n in range(5)),
        ("alice", 9),
    ]
    assert [row["is_me"] for row in rows] == [False] * 5 + [True]
    rows = api.as_user(second_agent).get(URL, params(team)).json()["results"]
    assert [row["username"] for row in rows][-1] == "bob" and len(rows) == 6
    assert "alice" not in {row["username"] for row in rows}


def test_an_agent_without_figures_sees_only_the_top(api, team, board):
    newcomer = member(team, Role.AGENT, username="newcomer")
    rows = api.as_user(newcomer).get(URL, params(team)).json()["results"]
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent"])
def test_other_teams_get_404(api, request, team, board, actor):
    response = api.as_user(request.getfixturevalue(actor)).get(URL, params(team))
    assert response.status_code == 404
    assert "colleague0" not in response.content.decode()


def test_an_agent_cannot_open_the_department_board_or_a_sibling_team(api, team, sibling_team, agent, board):
    assert api.as_user(agent).get(URL, params(team.parent)).status_code == 404
    assert api.as_user(agent).get(URL, params(sibling_team)).status_code == 404


def test_the_manager_opens_the_sibling_team(api, sibling_team, sibling_agent, manager):
    day_metrics(sibling_team, sibling_agent, W47, conversations=3)
    rows = api.as_user(manager).get(URL, params(sibling_team)).json()["results"]
    assert [(row["username"], row["rank"], row["change"]) for row in rows] == [("sam", 1, "new")]


def test_anonymous_is_401(api, team):
    assert api.as_user(None).get(URL, params(team)).status_code == 401


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"team": ""}, "team"),
        ({"team": "pre-sales"}, "team"),
        ({"period": "year"}, "period"),
        ({"key": "2026-W99"}, "key"),
        ({"key": "2026-11"}, "key"),  # a month's key for a week
        ({"period": "month", "key": "2026-W47"}, "key"),
        ({"period": "month", "key": "2026-13"}, "key"),
        ({"metric": "happiness"}, "metric"),
    ],
)
def test_bad_parameters_are_named(api, team, supervisor, bad, field):
    response = api.as_user(supervisor).get(URL, {**params(team), **bad})
    assert response.status_code == 400
    assert list(response.json()) == [field], response.json()


def test_a_missing_team_is_named_and_an_unknown_team_is_404(api, supervisor):
    response = api.as_user(supervisor).get(URL, {"period": "week"})
    assert response.status_code == 400 and list(response.json()) == ["team"]
    assert api.as_user(supervisor).get(URL, {"team": 987654}).status_code == 404


def test_defaults_are_this_weeks_composite_score(api, team, agent, supervisor):
    today = team_today(team)
    day_metrics(team, agent, today - dt.timedelta(days=today.weekday()), conversations=4)
    rows = api.as_user(supervisor).get(URL, {"team": team.pk}).json()["results"]
    week = period_of(WEEK, today)
    score = composite_scores(team_id=team.pk, date_from=week.start, date_to=week.end)[0].score
    assert [(row["username"], row["rank"], row["value"]) for row in rows] == [("alice", 1, score)]
    assert rows[0]["period"] == week.key


def test_months_and_lower_is_better_metrics(api, team, agent, second_agent, supervisor):
    for person, seconds in ((agent, 40), (second_agent, 25)):
        day_metrics(team, person, dt.date(2026, 11, 3), first_response_count=1, first_response_ms_sum=seconds * 1000)
    query = params(team, period="month", key="2026-11", metric="first_response_seconds")
    rows = api.as_user(supervisor).get(URL, query).json()["results"]
    assert [(row["username"], row["value"], row["rank"]) for row in rows] == [("bob", 25.0, 1), ("alice", 40.0, 2)]
    assert rows[0]["previous_period"] == "2026-10"


def _team_of_size(team, size: int) -> None:
    DailyAgentMetric.objects.filter(team=team).delete()
    people = [member(team, Role.AGENT, username=f"n{size}-{n:03d}") for n in range(size)]
    DailyAgentMetric.objects.bulk_create(
        # every figure differs, so no ties widen the top five an agent sees
        DailyAgentMetric(team=team, agent=person, date=day, conversations=n + 1, rated=100, rating_sum=100 + n)
        for n, person in enumerate(people)
        for day in (W46, W47)
    )


@pytest.mark.parametrize("metric", ["score", "csat_avg"])
@pytest.mark.parametrize("actor", ["supervisor", "agent"])
def test_query_count_is_the_same_for_5_and_100_agents(api, request, team, metric, actor, django_assert_max_num_queries):
    person = request.getfixturevalue(actor)
    client = api.as_user(person)
    counts = []
    for size in (5, 100):
        _team_of_size(team, size)
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params(team, metric=metric, page_size=500))
        assert response.status_code == 200
        assert response.json()["count"] == (size if actor == "supervisor" else 5)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
