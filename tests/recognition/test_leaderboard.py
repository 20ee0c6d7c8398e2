"""The leaderboard selector on hand-made weeks and months: ranks, ties, rank changes, direction, periods."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.definitions import METRICS, PART_NAMES, Direction, derive
from kpi.models import DailyAgentMetric, ScoreWeight
from kpi.selectors import composite_scores
from recognition.leaderboard import (
    MONTH,
    SCORE,
    WEEK,
    Period,
    board_top,
    leaderboard,
    period_of,
    period_parse,
    period_resolve,
)
from teams.models import Role
from tests.factories import member

W46 = dt.date(2026, 11, 9)  # Monday of 2026-W46
W47 = dt.date(2026, 11, 16)  # Monday of 2026-W47


def day_metrics(team, agent, day: dt.date, **parts) -> DailyAgentMetric:
    """One agent's stored day: only the parts a test cares about, the rest zero."""
    return DailyAgentMetric.objects.create(team=team, agent=agent, date=day, **parts)


def table(board) -> list[tuple]:
    return [(row.username, row.rank, row.previous_rank, row.change) for row in board.rows]


@pytest.fixture
def carol(team):
    return member(team, Role.AGENT, username="carol")


@pytest.fixture
def dave(team):
    return member(team, Role.AGENT, username="dave")


def test_weekly_ranks_ties_and_changes(team, agent, second_agent, carol, dave):
    alice, bob = agent, second_agent
    for person, count in ((alice, 10), (bob, 20), (carol, 15)):
        day_metrics(team, person, W46 + dt.timedelta(days=2), conversations=count)
    # this week alice's 30 come from two days; bob and carol tie; dave is new
    day_metrics(team, alice, W47, conversations=10)
    day_metrics(team, alice, W47 + dt.timedelta(days=6), conversations=20)
    day_metrics(team, bob, W47 + dt.timedelta(days=1), conversations=20)
    day_metrics(team, carol, W47 + dt.timedelta(days=3), conversations=20)
    day_metrics(team, dave, W47 + dt.timedelta(days=4), conversations=5)
    day_metrics(team, dave, W47 + dt.timedelta(days=7), conversations=500)  # next week: not counted

    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric="conversations")

    assert board.period == Period(WEEK, W47, W47 + dt.timedelta(days=6))
    assert table(board) == [
        ("alice", 1, 3, "up"),
        ("bob", 2, 1, "down"),
        ("carol", 2, 2, "same"),  # tied with bob: same rank, listed after by username
        ("dave", 4, None, "new"),
    ]
    assert [row.value for row in board.rows] == [30, 20, 20, 5]
    assert [row.places for row in board.rows] == [2, -1, 0, 0]


def test_lower_is_better_ranks_the_fastest_first_and_leaves_agents_without_a_figure_unranked(
    team, agent, second_agent, carol
):
    alice, bob = agent, second_agent
    day_metrics(team, alice, W47, first_response_count=1, first_response_ms_sum=30_000)
    # bob: 3 replies of 10 s and one of 50 s: 20 s over the week (the mean of daily means would be 30 s)
    day_metrics(team, bob, W47, first_response_count=3, first_response_ms_sum=30_000)
    day_metrics(team, bob, W47 + dt.timedelta(days=1), first_response_count=1, first_response_ms_sum=50_000)
    day_metrics(team, carol, W47, conversations=2)  # chats, but no first response measured
    day_metrics(team, alice, W46, first_response_count=1, first_response_ms_sum=5_000)
    day_metrics(team, bob, W46, first_response_count=1, first_response_ms_sum=9_000)

    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric="first_response_seconds")

    assert METRICS["first_response_seconds"].direction == Direction.LOWER_IS_BETTER
    assert table(board) == [("bob", 1, 2, "up"), ("alice", 2, 1, "down"), ("carol", None, None, "")]
    assert [row.value for row in board.rows] == [20.0, 30.0, None]


def test_monthly_ranks_over_two_months(team, agent, second_agent, carol):
    alice, bob = agent, second_agent
    day_metrics(team, alice, dt.date(2026, 10, 1), sales_amount=Decimal("100.00"))
    day_metrics(team, bob, dt.date(2026, 10, 31), sales_amount=Decimal("300.00"))
    day_metrics(team, alice, dt.date(2026, 11, 1), sales_amount=Decimal("200.00"))
    day_metrics(team, alice, dt.date(2026, 11, 30), sales_amount=Decimal("300.00"))
    day_metrics(team, bob, dt.date(2026, 11, 15), sales_amount=Decimal("500.00"))
    day_metrics(team, carol, dt.date(2026, 11, 2), sales_amount=Decimal("100.00"))
    day_metrics(team, carol, dt.date(2026, 12, 1), sales_amount=Decimal("9999.00"))  # December: not counted

    board = leaderboard(team=team, period=MONTH, key="2026-11", metric="sales_amount")

    assert (board.period.start, board.period.end, board.period.previous.key) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        "2026-10",
    )
    assert table(board) == [("alice", 1, 2, "up"), ("bob", 1, 1, "same"), ("carol", 3, None, "new")]
    assert [row.value for row in board.rows] == [Decimal("500.00"), Decimal("500.00"), Decimal("100.00")]


def test_ratios_are_derived_from_the_summed_parts(team, agent, second_agent):
    # alice: 1 of 1 and 1 of 9 resolved = 2 of 10 (20 %); bob: 1 of 4 (25 %), though alice's daily mean is 56 %
    day_metrics(team, agent, W47, conversations=1, resolved=1)
    day_metrics(team, agent, W47 + dt.timedelta(days=1), conversations=9, resolved=1)
    day_metrics(team, second_agent, W47, conversations=4, resolved=1)
    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric="resolution_rate")
    assert [(row.username, row.value, row.rank) for row in board.rows] == [("bob", 0.25, 1), ("alice", 0.2, 2)]


def test_the_score_board_is_the_composite_score(team, agent, second_agent, carol, dave):
    ScoreWeight.objects.create(team=team, metric="conversations", weight=Decimal("0.6"))
    ScoreWeight.objects.create(team=team, metric="first_response_seconds", weight=Decimal("0.4"))
    figures = {agent: (12, 40_000), second_agent: (8, 10_000), carol: (12, 40_000), dave: (3, 90_000)}
    for week in (W46, W47):
        for person, (conversations, response_ms) in figures.items():
            if person is dave and week == W46:
                continue
            shift = 1 if person is second_agent and week == W46 else 0
            day_metrics(
                team,
                person,
                week + dt.timedelta(days=2),
                conversations=conversations + shift * 10,
                first_response_count=1,
                first_response_ms_sum=response_ms,
            )

    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric=SCORE)

    expected = composite_scores(team_id=team.pk, date_from=W47, date_to=W47 + dt.timedelta(days=6))
    before = composite_scores(team_id=team.pk, date_from=W46, date_to=W46 + dt.timedelta(days=6))
    assert [(row.agent_id, row.value) for row in board.rows] == [(s.agent_id, s.score) for s in expected]
    assert board.rows[0].value > 0 and board.rows[0].display_name == agent.display_name
    assert {row.agent_id: row.rank for row in board.rows} == competition_ranks(expected)
    assert {row.agent_id: row.previous_rank for row in board.rows} == {
        row.agent_id: competition_ranks(before).get(row.agent_id) for row in board.rows
    }
    # alice and carol have the same figures: the same score and rank, alice first by username
    assert [(row.username, row.rank) for row in board.rows][:2] == [("alice", 1), ("carol", 1)]
    assert {row.username: row.change for row in board.rows}["dave"] == "new"


def competition_ranks(scores) -> dict[int, int]:
    return {s.agent_id: 1 + sum(1 for other in scores if other.score > s.score) for s in scores}


def test_other_teams_and_other_periods_do_not_count(team, sibling_team, agent, sibling_agent):
    day_metrics(team, agent, W47, conversations=5)
    day_metrics(sibling_team, agent, W47, conversations=50)  # alice helped the sibling team that day
    day_metrics(sibling_team, sibling_agent, W47, conversations=70)
    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric="conversations")
    assert [(row.username, row.value) for row in board.rows] == [("alice", 5)]


def test_agent_sees_the_top_and_their_own_row_with_a_gap_marker(team, agent):
    people = [member(team, Role.AGENT, username=f"agent{n:02d}") for n in range(8)]
    for n, person in enumerate(people):
        day_metrics(team, person, W47, conversations=100 - n)
    day_metrics(team, agent, W47, conversations=1)
    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric="conversations")
    top = board_top(board, user=agent, top=5)
    assert [(row.username, row.rank, row.after_gap) for row in top.rows] == [
        ("agent00", 1, False),
        ("agent01", 2, False),
        ("agent02", 3, False),
        ("agent03", 4, False),
        ("agent04", 5, False),
        ("alice", 9, True),
    ]
    assert not top.complete


def test_ties_at_the_edge_of_the_top_are_all_shown(team, agent):
    people = [member(team, Role.AGENT, username=f"agent{n:02d}") for n in range(7)]
    for n, person in enumerate(people):
        day_metrics(team, person, W47, conversations=max(10 - n, 6))  # 10, 9, 8, 7, 6, 6, 6
    board = board_top(leaderboard(team=team, period=WEEK, key="2026-W47", metric="conversations"), user=agent)
    assert [row.rank for row in board.rows] == [1, 2, 3, 4, 5, 5, 5]


# Periods -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key", "start", "end"),
    [
        (WEEK, "2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22)),
        (WEEK, "2026-W01", dt.date(2025, 12, 29), dt.date(2026, 1, 4)),
        (WEEK, "2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        (MONTH, "2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (MONTH, "2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        (MONTH, "2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_period_keys(kind, key, start, end):
    period = period_parse(kind, key)
    assert (period.start, period.end, period.key) == (start, end, key)
    assert period.previous.end == start - dt.timedelta(days=1)
    assert period.next.start == end + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "key"),
    [(WEEK, "2027-W53"), (WEEK, "2026-W00"), (WEEK, "2026-11"), (WEEK, "W47"), (MONTH, "2026-13"), (MONTH, "2026-W47")],
)
def test_bad_keys_are_named(kind, key):
    with pytest.raises(ValidationError) as error:
        period_parse(kind, key)
    assert list(error.value.message_dict) == ["key"]


def test_bad_period_and_metric_are_named(team):
    with pytest.raises(ValidationError) as error:
        leaderboard(team=team, period="year", metric=SCORE)
    assert list(error.value.message_dict) == ["period"]
    with pytest.raises(ValidationError) as error:
        leaderboard(team=team, period=WEEK, metric="happiness")
    assert list(error.value.message_dict) == ["metric"]


def test_the_current_period_follows_the_teams_local_calendar(team):
    # Sunday 17:00 UTC is already Monday 01:00 in Shanghai: the team's new week and month have begun
    now = dt.datetime(2026, 11, 29, 17, 0, tzinfo=dt.UTC)
    assert period_resolve(team=team, kind=WEEK, key=None, now=now).key == "2026-W49"
    assert period_resolve(team=team, kind=MONTH, key=None, now=now).key == "2026-11"
    team.timezone = "America/New_York"
    assert period_resolve(team=team, kind=WEEK, key=None, now=now).key == "2026-W48"
    now = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
    team.timezone = "Asia/Shanghai"
    assert period_resolve(team=team, kind=MONTH, key=None, now=now).key == "2026-12"
    assert period_of(WEEK, dt.date(2026, 11, 22)).key == "2026-W47"


# Fixed query count ---------------------------------------------------------------------------------------


def _team_of_size(team, size: int) -> None:
    people = [member(team, Role.AGENT, username=f"size{size}-{n:03d}") for n in range(size)]
    DailyAgentMetric.objects.bulk_create(
        DailyAgentMetric(
            team=team,
            agent=person,
            date=day,
            conversations=n % 7 + 1,
            first_response_count=1,
            first_response_ms_sum=1000 * (n % 5 + 1),
            rated=1,
            rating_sum=n % 5 + 1,
        )
        for n, person in enumerate(people)
        for day in (W46, W46 + dt.timedelta(days=3), W47, W47 + dt.timedelta(days=2))
    )


@pytest.mark.parametrize("metric", [SCORE, "conversations", "first_response_seconds"])
def test_query_count_does_not_grow_with_the_team(team, metric):
    counts = []
    for size in (5, 100):
        DailyAgentMetric.objects.all().delete()
        _team_of_size(team, size)
        with CaptureQueriesContext(connection) as queries:
            board = leaderboard(team=team, period=WEEK, key="2026-W47", metric=metric)
        assert len(board.rows) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5, counts


# The ranking against a plain reference, on generated weeks ------------------------------------------------

day_strategy = st.tuples(
    st.integers(0, 3),  # agent
    st.integers(0, 13),  # day of the two weeks
    st.integers(0, 5),  # conversations
    st.integers(0, 3),  # first responses measured
    st.integers(0, 4),  # seconds per first response
)


def _reference(rows, agents, week_start, metric):
    """Sum each agent's parts over the week, derive, and rank: 1 + how many have a strictly better figure."""
    week = {week_start + dt.timedelta(days=n) for n in range(7)}
    parts: dict = {}
    for index, offset, conversations, responses, seconds in rows:
        if W46 + dt.timedelta(days=offset) not in week:
            continue
        sums = parts.setdefault(agents[index].username, dict.fromkeys(PART_NAMES, 0))
        sums["conversations"] += conversations
        sums["first_response_count"] += responses
        sums["first_response_ms_sum"] += responses * seconds * 1000
    figures = {name: derive(sums)[metric] for name, sums in parts.items()}
    figures = {name: value for name, value in figures.items() if value is not None}
    lower = METRICS[metric].direction == Direction.LOWER_IS_BETTER

    def better(a, b):
        return a < b if lower else a > b

    return {name: 1 + sum(better(other, value) for other in figures.values()) for name, value in figures.items()}


@pytest.fixture
def generated_agents(team):
    return [member(team, Role.AGENT, username=f"gen{n}") for n in range(4)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(day_strategy, max_size=16, unique_by=lambda r: (r[0], r[1])),
    metric=st.sampled_from(["conversations", "first_response_seconds"]),
)
def test_ranks_match_a_plain_reference(team, generated_agents, rows, metric):
    agents = generated_agents
    DailyAgentMetric.objects.filter(team=team).delete()
    for index, offset, conversations, responses, seconds in rows:
        day_metrics(
            team,
            agents[index],
            W46 + dt.timedelta(days=offset),
            conversations=conversations,
            first_response_count=responses,
            first_response_ms_sum=responses * seconds * 1000,
        )
    board = leaderboard(team=team, period=WEEK, key="2026-W47", metric=metric)
    on_board = {row.username for row in board.rows}
    before = {name: rank for name, rank in _reference(rows, agents, W46, metric).items() if name in on_board}
    assert {row.username: row.rank for row in board.rows if row.rank} == _reference(rows, agents, W47, metric)
    assert {row.username: row.previous_rank for row in board.rows if row.previous_rank} == before
