"""daily_metrics_compute against the plain reference implementation and hand-computed cases."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.models import Conversation, Message
from kpi.computation.daily import daily_metrics_compute
from kpi.computation.daily_sql import METRIC_COLUMNS
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume
from teams.models import Role, Team
from tests.factories import member
from tests.kpi.reference import reference_hourly, reference_metrics

DAY = dt.date(2026, 11, 20)
ZONES = ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata"]


def stored_metrics(day):
    agents = {
        (row.team_id, row.agent_id): {name: getattr(row, name) for name in METRIC_COLUMNS}
        for row in DailyAgentMetric.objects.filter(date=day)
    }
    teams = {
        row.team_id: {name: getattr(row, name) for name in METRIC_COLUMNS}
        for row in DailyTeamMetric.objects.filter(date=day)
    }
    return agents, teams


message_strategy = st.tuples(
    st.sampled_from(["customer", "customer", "agent", "agent", "bot", "system"]),
    st.integers(min_value=0, max_value=4 * 3600 * 1000),  # milliseconds after the start
)
conversation_strategy = st.fixed_dictionaries(
    {
        "team": st.integers(min_value=0, max_value=len(ZONES) - 1),
        "agent": st.integers(min_value=0, max_value=2),  # 2 = unassigned
        "start_minutes": st.integers(min_value=-30 * 60, max_value=54 * 60),  # around the local day
        "messages": st.lists(message_strategy, max_size=8),
        "resolved": st.booleans(),
        "rating": st.none() | st.integers(min_value=1, max_value=5),
        "category": st.sampled_from(["pre_sales", "after_sales", "complaint", "tech"]),
        "ordered": st.booleans(),
        "order_cents": st.integers(min_value=0, max_value=1_000_000),
        "reviews": st.lists(
            st.tuples(
                st.sampled_from(["draft", "submitted", "acknowledged", "disputed", "resolved"]),
                st.none() | st.decimals(min_value=0, max_value=100, places=2),
            ),
            max_size=2,
        ),
    }
)


@pytest.fixture
def zoned_teams(db):
    teams = [Team.objects.create(name=f"Team {zone}", timezone=zone) for zone in ZONES]
    agents = [[member(team, Role.AGENT) for _ in range(2)] for team in teams]
    return teams, agents


@pytest.fixture
def review_setup(zoned_teams):
    from qa_reviews.models import Scorecard

    teams, _agents = zoned_teams
    scorecard = Scorecard.objects.create(team=teams[0], name="Generated", family=1)
    return scorecard, [member(teams[0], Role.QA) for _ in range(2)]


def _store(spec, teams, agents, number, shuffle: random.Random, review_setup=None):
    import zoneinfo

    team = teams[spec["team"]]
    local_midnight = dt.datetime.combine(DAY, dt.time.min, tzinfo=zoneinfo.ZoneInfo(team.timezone))
    started_at = local_midnight + dt.timedelta(minutes=spec["start_minutes"])
    conversation = Conversation.objects.create(
        source="gen",
        external_id=f"c{number}",
        team=team,
        agent=None if spec["agent"] == 2 else agents[spec["team"]][spec["agent"]],
        category=spec["category"],
        started_at=started_at,
        resolved=spec["resolved"],
        rating=spec["rating"],
        ordered=spec["ordered"],
        order_amount=Decimal(spec["order_cents"]) / 100,
    )
    messages = list(enumerate(spec["messages"]))
    shuffle.shuffle(messages)  # arrival order differs from time order
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            fingerprint=f"m{position}",
            sender=sender,
            sent_at=started_at + dt.timedelta(milliseconds=offset),
            text="x",
        )
        for position, (sender, offset) in messages
    )
    if review_setup and conversation.agent_id:
        from qa_reviews.models import Review

        scorecard, reviewers = review_setup
        Review.objects.bulk_create(
            Review(
                conversation=conversation,
                team=team,
                agent=conversation.agent,
                reviewer=reviewer,
                scorecard=scorecard,
                status=status,
                total=total,
            )
            for reviewer, (status, total) in zip(reviewers, spec["reviews"], strict=False)
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(conversation_strategy, max_size=12), seed=st.integers())
def test_metrics_match_the_reference_implementation(zoned_teams, review_setup, specs, seed):
    teams, agents = zoned_teams
    Conversation.objects.all().delete()
    shuffle = random.Random(seed)
    for number, spec in enumerate(specs):
        _store(spec, teams, agents, number, shuffle, review_setup)
    for day in (DAY - dt.timedelta(days=1), DAY, DAY + dt.timedelta(days=1)):
        daily_metrics_compute(day=day)
        assert stored_metrics(day) == reference_metrics(day)
        stored_hourly = {
            (v.team_id, v.hour): (v.conversations, v.customer_messages) for v in HourlyVolume.objects.filter(date=day)
        }
        assert stored_hourly == reference_hourly(day)


def test_running_twice_gives_the_same_rows(zoned_teams):
    teams, agents = zoned_teams
    _store(
        {
            "team": 0,
            "agent": 0,
            "start_minutes": 600,
            "messages": [("customer", 0), ("agent", 5000)],
            "resolved": True,
            "rating": 5,
            "category": "pre_sales",
            "ordered": True,
            "order_cents": 19900,
        },
        teams,
        agents,
        1,
        random.Random(1),
    )
    daily_metrics_compute(day=DAY)
    first = list(DailyAgentMetric.objects.values())
    daily_metrics_compute(day=DAY)
    second = list(DailyAgentMetric.objects.values())
    strip = lambda rows: [{k: v for k, v in row.items() if k not in ("id", "computed_at")} for row in rows]  # noqa: E731
    assert strip(first) == strip(second) and len(second) == 1
    assert DailyTeamMetric.objects.count() == 1  # only teams that had conversations that day
