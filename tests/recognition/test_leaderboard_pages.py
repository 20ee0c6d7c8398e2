"""The leaderboard page: the same visibility as the API, pickers, arrows, the agent's own row highlighted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpi.models import DailyAgentMetric
from teams.models import Role
from tests.factories import member
from tests.query_counts import cold_start
from tests.recognition.test_leaderboard import W46, W47, day_metrics

URL = "/recognition/leaderboard/"


@pytest.fixture
def board(team, agent, second_agent):
    """Seven agents ahead of alice this week; alice was first last week, bob is new."""
    colleagues = [member(team, Role.AGENT, username=f"colleague{n}") for n in range(6)]
    for n, person in enumerate(colleagues):
        day_metrics(team, person, W47, conversations=50 - n)
        day_metrics(team, person, W46, conversations=10)
    day_metrics(team, second_agent, W47, conversations=30)
    day_metrics(team, agent, W47, conversations=10)
    day_metrics(team, agent, W46, conversations=99)
    return colleagues


def query(team, **extra) -> dict:
    return {"team": team.pk, "period": "week", "key": "2026-W47", "metric": "conversations", **extra}


def shown(response) -> list[str]:
    return [row.username for row in response.context["board"].rows]


def test_the_agent_sees_the_top_five_and_their_own_highlighted_row(client, team, board, agent):
    client.force_login(agent)
    response = client.get(URL, query(team))
    assert response.status_code == 200
    assert shown(response) == [f"colleague{n}" for n in range(5)] + ["alice"]
    html = response.content.decode()
    assert 'data-own-row="1" data-agent="alice"' in html
    assert html.count("data-own-row") == 1
    assert "colleague5" not in html and "bob" not in html
    assert 'data-change="down"' in html  # alice fell from first to eighth
    assert "#8" in html  # her rank, in the card above the table
    assert "You see the top 5 and your own place." in html


def test_the_supervisor_sees_everyone(client, team, board, supervisor):
    client.force_login(supervisor)
    response = client.get(URL, query(team))
    assert shown(response) == [f"colleague{n}" for n in range(6)] + ["bob", "alice"]
    html = response.content.decode()
    assert "data-own-row" not in html and "own-rank" not in html
    changes = {row.username: row.change for row in response.context["board"].rows}
    assert (changes["colleague0"], changes["colleague1"], changes["bob"], changes["alice"]) == (
        "up",
        "same",
        "new",
        "down",
    )
    assert html.count('data-change="up"') == 1 and html.count('data-change="new"') == 1


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent"])
def test_other_teams_get_404(client, request, team, board, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL, query(team)).status_code == 404
    assert client.get("/recognition/leaderboard/", {"team": "x"}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, team):
    assert client.get(URL, query(team)).status_code == 302


def test_without_a_team_the_page_says_so(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="loner"))
    response = client.get(URL)
    assert response.status_code == 200 and "not in a team" in response.content.decode()


def test_the_default_is_this_weeks_score_of_the_first_team(client, team, agent):
    client.force_login(agent)
    response = client.get(URL)
    board = response.context["board"]
    assert (board.team, board.metric, board.period.kind) == (team, "score", "week")
    assert response.context["next_url"] == ""  # nothing after the current week


def test_pickers_move_between_periods(client, team, board, supervisor):
    client.force_login(supervisor)
    response = client.get(URL, query(team))
    assert "key=2026-W46" in response.context["previous_url"]
    assert "key=2026-W48" in response.context["next_url"]
    month = client.get(URL, query(team, period="month", key="2026-11"))
    assert month.context["board"].period.key == "2026-11"
    assert "November 2026" in month.content.decode()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"key": "2026-W99"}, "key"),
        ({"period": "month"}, "key"),
        ({"period": "day"}, "period"),
        ({"metric": "x"}, "metric"),
    ],
)
def test_bad_parameters_are_shown_on_the_form(client, team, supervisor, bad, field):
    client.force_login(supervisor)
    response = client.get(URL, {**query(team), **bad})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "board" not in response.context


def test_lower_is_better_metrics_say_so(client, team, agent, supervisor):
    day_metrics(team, agent, W47, first_response_count=2, first_response_ms_sum=62_000)
    client.force_login(supervisor)
    html = client.get(URL, query(team, metric="first_response_seconds")).content.decode()
    assert "Lower is better" in html and "31 s" in html


def test_the_page_speaks_chinese(client, team, board, agent):
    client.force_login(agent)
    response = client.get(URL, query(team, metric="score"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and "综合评分" in html  # the metric's label, from the KPI catalogue


def _team_of_size(team, size: int) -> None:
    DailyAgentMetric.objects.filter(team=team).delete()
    people = [member(team, Role.AGENT, username=f"p{size}-{n:03d}") for n in range(size)]
    DailyAgentMetric.objects.bulk_create(
        DailyAgentMetric(team=team, agent=person, date=day, conversations=n + 1, resolved=n // 2)
        for n, person in enumerate(people)
        for day in (W46, W47)
    )


@pytest.mark.parametrize("metric", ["score", "resolution_rate"])
def test_query_count_is_the_same_for_5_and_100_agents(client, team, supervisor, metric, django_assert_max_num_queries):
    client.force_login(supervisor)
    counts = []
    for size in (5, 100):
        _team_of_size(team, size)
        cold_start()
        with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as queries:
            response = client.get(URL, query(team, metric=metric))
        assert len(response.context["board"].rows) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
