"""Hand-made figures for the team dashboard tests: every expected number in the tests is worked out from these.

The chosen day is Thursday 2026-11-26 (team time Asia/Shanghai); its week runs from Monday 11-23, the same days
a week earlier are 11-16 to 11-19.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

from conversations.models import Conversation
from kpi.models import DailyAgentMetric, DailyTarget, DailyTeamMetric, HourlyVolume, MonthlyTarget
from plans.models import DailyPlan
from qa_reviews.models import Review, Scorecard
from recognition.models import Award
from teams.models import Role, Shift
from tests.factories import member

DAY = dt.date(2026, 11, 26)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=SHANGHAI)


def d(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


def team_day(team, day, *, conversations, resolved, first_response_s, sales):
    return DailyTeamMetric.objects.create(
        team=team,
        date=day,
        conversations=conversations,
        resolved=resolved,
        first_response_count=conversations,
        first_response_ms_sum=conversations * first_response_s * 1000,
        sales_amount=Decimal(sales),
    )


def agent_day(team, agent, day, *, conversations, resolved, first_response_s, sales):
    return DailyAgentMetric.objects.create(
        team=team,
        agent=agent,
        date=day,
        conversations=conversations,
        resolved=resolved,
        first_response_count=conversations if first_response_s else 0,
        first_response_ms_sum=conversations * first_response_s * 1000,
        sales_amount=Decimal(sales),
    )


def targets(team, metric, *, agents: dict | None = None, own=None, days=(23, 24, 25, 26)):
    monthly = MonthlyTarget.objects.create(team=team, metric=metric, month=d(1), value=Decimal(1))
    for day in days:
        if own is not None:
            DailyTarget.objects.create(monthly_target=monthly, date=d(day), team=team, value=Decimal(own))
        for agent, value in (agents or {}).items():
            DailyTarget.objects.create(
                monthly_target=monthly, date=d(day), team=team, agent=agent, value=Decimal(value)
            )


def review(team, agent, reviewer, scorecard, *, total, submitted_at, status="submitted", number=[0]):  # noqa: B006
    number[0] += 1
    chat = Conversation.objects.create(
        source="t", external_id=f"qa-{number[0]}", team=team, agent=agent, started_at=submitted_at
    )
    return Review.objects.create(
        conversation=chat,
        team=team,
        agent=agent,
        reviewer=reviewer,
        scorecard=scorecard,
        status=status,
        total=None if total is None else Decimal(total),
        submitted_at=submitted_at if status != "draft" else None,
        dispute_reason="The customer changed their mind." if status == "disputed" else "",
    )


def seed(team, agent, second_agent, supervisor, qa_inspector, sibling_agent) -> dict:
    """The week of figures the number tests check by hand."""
    # The team: this week (11-23, 11-25, 11-26) and the same days last week (11-16, 11-19).
    team_day(team, d(23), conversations=20, resolved=12, first_response_s=60, sales=3000)
    team_day(team, d(25), conversations=60, resolved=48, first_response_s=40, sales=7000)
    team_day(team, d(26), conversations=40, resolved=30, first_response_s=30, sales=5000)
    team_day(team, d(16), conversations=30, resolved=15, first_response_s=20, sales=1000)
    team_day(team, d(19), conversations=50, resolved=40, first_response_s=50, sales=4000)
    team_day(team, d(20, 10), conversations=999, resolved=0, first_response_s=1, sales=1)  # before every window

    # Agents this week; sam (of the sibling team) helped on Tuesday.
    agent_day(team, agent, d(25), conversations=30, resolved=27, first_response_s=30, sales=4000)
    agent_day(team, agent, d(26), conversations=20, resolved=15, first_response_s=20, sales=2000)
    agent_day(team, second_agent, d(26), conversations=15, resolved=10, first_response_s=50, sales=1000)
    agent_day(team, sibling_agent, d(24), conversations=5, resolved=0, first_response_s=0, sales=0)
    agent_day(team, agent, d(16), conversations=99, resolved=99, first_response_s=1, sales=99)  # last week

    # Targets: conversations given to the agents (25 a day each); the first-response target of the team itself
    # (45 s, over the agents' own 60 s).
    targets(team, "conversations", agents={agent: 25, second_agent: 25})
    targets(team, "first_response_seconds", own=45, agents={agent: 60, second_agent: 60})

    # The day's plans: alice submitted, carol drafted, bob is scheduled without a plan, dave is off.
    carol = member(team, Role.AGENT, username="carol", display_name="Carol")
    member(team, Role.AGENT, username="dave", display_name="Dave")
    for person in (agent, second_agent, carol):
        Shift.objects.create(team=team, user=person, date=DAY, start_time=dt.time(9), end_time=dt.time(18))
    DailyPlan.objects.create(agent=agent, team=team, date=DAY, status="submitted")
    DailyPlan.objects.create(agent=carol, team=team, date=DAY, status="draft")

    # Conversations started per hour: Thursdays at 10 (12 + 8), a Monday at 9; one day before the 4 weeks.
    HourlyVolume.objects.create(team=team, date=d(26), hour=10, conversations=12)
    HourlyVolume.objects.create(team=team, date=d(19), hour=10, conversations=8)
    HourlyVolume.objects.create(team=team, date=d(23), hour=9, conversations=15)
    HourlyVolume.objects.create(team=team, date=d(29, 10), hour=11, conversations=100)

    # QA this week: 55, 65, 70 (disputed), 85, 88, 95 (acknowledged), 100; outside it: a draft, last week's 10,
    # and one submitted a minute before Monday in Shanghai.
    card = Scorecard.objects.create(team=team, name="Chat quality", family=1)
    at = dt.datetime(2026, 11, 24, 11, tzinfo=SHANGHAI)
    for total in (55, 65, 85, 88, 100):
        review(team, agent, qa_inspector, card, total=total, submitted_at=at)
    review(team, second_agent, qa_inspector, card, total=95, submitted_at=at, status="acknowledged")
    disputed = review(
        team, second_agent, supervisor, card, total=70, submitted_at=dt.datetime(2026, 11, 23, 0, 0, tzinfo=SHANGHAI), status="disputed"
    )  # fmt: skip
    review(team, agent, supervisor, card, total=None, submitted_at=at, status="draft")
    review(team, agent, supervisor, card, total=10, submitted_at=dt.datetime(2026, 11, 17, 9, tzinfo=SHANGHAI))
    review(
        team,
        second_agent,
        qa_inspector,
        card,
        total=20,
        submitted_at=dt.datetime(2026, 11, 22, 23, 59, tzinfo=SHANGHAI),
    )

    # Awards: the week before (2026-W47) and the one before that.
    w47 = Award.objects.create(
        team=team, kind="weekly", period="2026-W47", period_start=d(16), period_end=d(22), winner=agent,
        score=Decimal("86.4000"),
    )  # fmt: skip
    Award.objects.create(
        team=team, kind="weekly", period="2026-W46", period_start=d(9), period_end=d(15), winner=second_agent
    )
    return {"carol": carol, "disputed": disputed, "award": w47}


def complaints(team, agent, second_agent) -> dict:
    """Open complaints at NOW with a 30-minute first-answer SLA: one due in 20 minutes, one 30 minutes late, one
    answered in time; and a closed one."""
    from qa_reviews.models import Complaint

    def make(summary, received, owner, **fields):
        return Complaint.objects.create(
            team=team, summary=summary, category="product", customer="buyer", owner=owner, received_at=received,
            sla_minutes=30, first_response_due_at=received + dt.timedelta(minutes=30), **fields,
        )  # fmt: skip

    minutes = dt.timedelta(minutes=1)
    return {
        "soon": make("Lid broken", NOW - 10 * minutes, agent, priority="high"),
        "late": make("Parcel lost", NOW - 60 * minutes, second_agent),
        "answered": make(
            "Wrong colour", NOW - 120 * minutes, agent, status="responding", first_responded_at=NOW - 100 * minutes
        ),
        "closed": make("Old one", NOW - 600 * minutes, agent, status="closed"),
    }


def seed_all(team, agent, second_agent, supervisor, qa_inspector, sibling_agent) -> dict:
    extra = seed(team, agent, second_agent, supervisor, qa_inspector, sibling_agent)
    extra["complaints"] = complaints(team, agent, second_agent)
    return extra
