"""Each definition of DESIGN.md on a hand-made day, with the figure worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from conversations.models import Conversation, Message
from kpi.computation.daily import daily_metrics_compute
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume
from teams.models import Role, Team
from tests.factories import member

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 20)


def at(hour, minute=0, second=0, day=20):
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def setup(db):
    team = Team.objects.create(name="Pre-sales", timezone="Asia/Shanghai")
    return team, member(team, Role.AGENT, username="wang"), member(team, Role.AGENT, username="li")


def chat(team, agent, start, messages, **fields):
    conversation = Conversation.objects.create(
        source="hand",
        external_id=f"{start.isoformat()}-{agent.pk}",
        team=team,
        agent=agent,
        category=fields.pop("category", "pre_sales"),
        started_at=start,
        **fields,
    )
    for number, (sender, moment) in enumerate(messages):
        Message.objects.create(
            conversation=conversation, fingerprint=str(number), sender=sender, sent_at=moment, text="x"
        )
    return conversation


def metrics(agent):
    daily_metrics_compute(day=DAY)
    return DailyAgentMetric.objects.get(agent=agent, date=DAY)


def test_first_response_and_turns(setup):
    team, wang, _ = setup
    # customer 09:00:00, customer 09:00:10 (same turn), bot 09:00:05 (ignored), agent 09:00:40,
    # customer 09:05:00 (second turn), agent 09:06:00.
    chat(
        team,
        wang,
        at(9),
        [
            ("customer", at(9, 0, 0)),
            ("bot", at(9, 0, 5)),
            ("customer", at(9, 0, 10)),
            ("agent", at(9, 0, 40)),
            ("customer", at(9, 5)),
            ("agent", at(9, 6)),
        ],
    )
    row = metrics(wang)
    assert (row.conversations, row.messages_sent) == (1, 2)
    assert (row.first_response_count, row.first_response_ms_sum) == (1, 40_000)
    # turns: 09:00:00 -> 09:00:40 (40 s) and 09:05 -> 09:06 (60 s): mean 50 s
    assert (row.response_count, row.response_ms_sum) == (2, 100_000)


def test_unanswered_and_agent_first(setup):
    team, wang, _ = setup
    chat(team, wang, at(10), [("customer", at(10)), ("system", at(10, 1))])  # never answered
    chat(team, wang, at(11), [("agent", at(11)), ("customer", at(11, 2)), ("agent", at(11, 3))])  # agent opened
    chat(team, wang, at(12), [])  # no messages at all: not unanswered
    row = metrics(wang)
    assert (row.conversations, row.unanswered) == (3, 1)
    # the agent-opened chat: first customer message 11:02, answered 11:03
    assert (row.first_response_count, row.first_response_ms_sum) == (1, 60_000)


def test_rates_ratings_and_sales(setup):
    team, wang, _ = setup
    chat(team, wang, at(9), [], resolved=True, rating=5, ordered=True, order_amount=Decimal("199.00"))
    chat(team, wang, at(10), [], resolved=True, rating=3, ordered=False)
    chat(team, wang, at(11), [], resolved=False, rating=4, category="after_sales", order_amount=Decimal("0.50"))
    chat(team, wang, at(12), [], resolved=False)
    row = metrics(wang)
    assert row.resolution_rate == pytest.approx(0.5)
    assert (row.rated, row.rating_sum) == (3, 12) and row.csat_avg == pytest.approx(4.0)
    assert row.csi == pytest.approx(200 / 3)  # ratings >= 4: 2 of 3
    assert (row.pre_sales, row.pre_sales_ordered) == (3, 1) and row.conversion_rate == pytest.approx(1 / 3)
    assert row.sales_amount == Decimal("199.50")


def test_day_is_the_teams_local_date(setup):
    team, wang, _ = setup
    chat(team, wang, at(23, 59, day=19), [])  # 19 Nov local
    chat(team, wang, at(0, 0, day=20), [])  # midnight belongs to the new day
    chat(team, wang, at(23, 59, 59, day=20), [])
    chat(team, wang, at(0, 0, day=21), [])
    assert metrics(wang).conversations == 2


def test_chat_crossing_midnight_counts_on_its_start_date(setup):
    team, wang, _ = setup
    chat(team, wang, at(23, 50), [("customer", at(23, 50)), ("agent", at(0, 10, day=21))])
    row = metrics(wang)
    assert (row.conversations, row.first_response_ms_sum) == (1, 20 * 60_000)


def test_team_row_aggregates_raw_conversations(setup):
    team, wang, li = setup
    chat(team, wang, at(9), [("customer", at(9)), ("agent", at(9, 0, 10))])
    chat(team, li, at(9), [("customer", at(9)), ("agent", at(9, 0, 30))])
    chat(team, li, at(10), [("customer", at(10)), ("agent", at(10, 0, 50))])
    daily_metrics_compute(day=DAY)
    team_row = DailyTeamMetric.objects.get(team=team, date=DAY)
    # not the mean of the agents' means ((10 + 40) / 2 = 25) but of all conversations: 90 / 3 = 30
    assert team_row.first_response_seconds == pytest.approx(30.0)


def test_hourly_volume_uses_local_hours(setup):
    team, wang, _ = setup
    chat(team, wang, at(9, 15), [("customer", at(9, 15)), ("customer", at(10, 1)), ("agent", at(10, 2))])
    chat(team, wang, at(9, 45), [])
    daily_metrics_compute(day=DAY)
    volumes = {v.hour: (v.conversations, v.customer_messages) for v in HourlyVolume.objects.filter(team=team)}
    assert volumes == {9: (2, 1), 10: (0, 1)}


def test_reassigned_conversation_moves_between_agents(setup):
    team, wang, li = setup
    conversation = chat(team, wang, at(9), [])
    daily_metrics_compute(day=DAY)
    Conversation.objects.filter(pk=conversation.pk).update(agent=li)
    daily_metrics_compute(day=DAY)
    assert list(DailyAgentMetric.objects.values_list("agent__username", "conversations")) == [("li", 1)]
