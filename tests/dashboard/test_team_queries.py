"""The team dashboard runs the same number of queries for 5 agents and one day of history as for 100 agents and
a year: page, JSON endpoint and export alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations.models import Conversation
from core.api.authentication import forget_tokens
from kpi.models import DailyAgentMetric, DailyTarget, DailyTeamMetric, HourlyVolume, MonthlyTarget
from plans.models import DailyPlan
from qa_reviews.models import Complaint, Review, Scorecard
from recognition.models import Award
from teams.models import Membership, Role, Shift, User
from tests.dashboard.team_data import DAY, SHANGHAI

# Assembling the dashboard: the team's metrics and targets (2), the agents table (3), the heatmap (1), QA (2),
# complaints (2), the leaderboard (5) and the award (1). It is then reused for half a minute.
ASSEMBLY = 16
# Around it, the page: session and user (2), the user's teams (2) and the team picker (1), and the navigation
# bar's unread notifications (UNREAD) the first time (then cached); the JSON: the token (1, counted every time
# as a new worker would), the user's teams (2) and the team (1), and only the token when the caller asks again
# within the half minute (their answer is kept). An export also writes its audit-log entry (1).
PAGE, UNREAD, EXPORT, API, API_AGAIN = 5, 1, 6, 4, 1


def grow(team, reviewer, *, agents: int, days: int) -> None:
    """`agents` agents with `days` days of metrics, hourly volumes and targets, a plan and shift each, two QA
    reviews each, complaints and weekly awards."""
    people = User.objects.bulk_create(
        [User(username=f"a{team.pk}-{n}", display_name=f"Agent {n}") for n in range(agents)]
    )
    Membership.objects.bulk_create([Membership(user=user, team=team, role=Role.AGENT) for user in people])
    history = [DAY - dt.timedelta(days=offset) for offset in range(days)]
    DailyTeamMetric.objects.bulk_create(
        [DailyTeamMetric(team=team, date=day, conversations=9 * agents) for day in history]
    )
    DailyAgentMetric.objects.bulk_create(
        [
            DailyAgentMetric(team=team, agent=user, date=day, conversations=9, resolved=7, rated=3, rating_sum=13,
                             first_response_count=9, first_response_ms_sum=270_000, sales_amount=Decimal("99.5"))
            for user in people
            for day in history
        ],
        batch_size=5000,
    )  # fmt: skip
    HourlyVolume.objects.bulk_create(
        [HourlyVolume(team=team, date=day, hour=hour, conversations=hour) for day in history for hour in range(24)],
        batch_size=5000,
    )
    for metric, value in (("conversations", 10), ("first_response_seconds", 40)):
        monthly = MonthlyTarget.objects.create(team=team, metric=metric, month=DAY.replace(day=1), value=1)
        DailyTarget.objects.bulk_create(
            [DailyTarget(monthly_target=monthly, date=day, team=team, agent=user, value=value) for user in people for day in history[:31]]
            + [DailyTarget(monthly_target=monthly, date=day, team=team, value=value) for day in history[:31]],
            batch_size=5000,
        )  # fmt: skip
    Shift.objects.bulk_create(
        [Shift(team=team, user=user, date=DAY, start_time=dt.time(9), end_time=dt.time(18)) for user in people]
    )
    DailyPlan.objects.bulk_create(
        [DailyPlan(team=team, agent=user, date=DAY, status="submitted") for user in people[: agents // 2]]
    )
    card = Scorecard.objects.create(team=team, name="Quality", family=team.pk)
    at = dt.datetime.combine(DAY, dt.time(10), SHANGHAI)
    chats = Conversation.objects.bulk_create(
        [Conversation(source="q", external_id=f"{user.pk}-{n}", team=team, agent=user, started_at=at) for user in people for n in range(2)]
    )  # fmt: skip
    Review.objects.bulk_create(
        [
            Review(conversation=chat, team=team, agent=chat.agent, reviewer=reviewer, scorecard=card, total=50 + n % 50,
                   status="disputed" if n % 7 == 0 else "submitted", submitted_at=at)
            for n, chat in enumerate(chats)
        ]
    )  # fmt: skip
    Complaint.objects.bulk_create(
        [
            Complaint(team=team, summary=f"C{n}", category="product", customer="c", owner=people[n % agents], received_at=at,
                      sla_minutes=30, first_response_due_at=at + dt.timedelta(minutes=30))
            for n in range(agents)
        ]
    )  # fmt: skip
    for weeks_back in range(1, max(2, days // 7)):
        start = DAY - dt.timedelta(days=DAY.weekday() + 7 * weeks_back)
        year, week, _ = start.isocalendar()
        Award.objects.create(team=team, kind="weekly", period=f"{year}-W{week:02d}", period_start=start,
                             period_end=start + dt.timedelta(days=6), winner=people[0], score=80)  # fmt: skip


def counted(get, path: str, params: dict) -> int:
    forget_tokens()
    with CaptureQueriesContext(connection) as queries:
        response = get(path, params)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


@pytest.mark.parametrize(("agents", "days"), [(5, 1), (100, 365)])
def test_page_and_endpoint_query_counts(client, api, team, supervisor, qa_inspector, agents, days):
    grow(team, qa_inspector, agents=agents, days=days)
    client.force_login(supervisor)
    as_supervisor = api.as_user(supervisor)
    page, endpoint = "/dashboard/team/", "/api/v1/dashboard/team/"
    query = {"team": team.pk, "date": DAY.isoformat(), "metric": "first_response_seconds"}
    month = {**query, "period": "month", "sort": "-conversations"}
    for params in (query, month):
        cache.clear()
        assert counted(client.get, page, params) == PAGE + UNREAD + ASSEMBLY
        assert counted(client.get, page, params) == PAGE
        assert counted(client.get, page, {**params, "format": "xlsx"}) == EXPORT
        assert counted(as_supervisor.get, endpoint, params) == API
        assert counted(as_supervisor.get, endpoint, params) == API_AGAIN
        cache.clear()
        assert counted(as_supervisor.get, endpoint, params) == API + ASSEMBLY
        assert counted(client.get, page, {**params, "format": "csv"}) == EXPORT
    assert len(as_supervisor.get(endpoint, query).json()["agents"]["rows"]) == agents


def test_the_query_parameters_of_the_answer_key_are_the_serializers():
    from dashboard.api.team import QUERY_PARAMETERS, TeamDashboardQuerySerializer

    assert set(QUERY_PARAMETERS) == set(TeamDashboardQuerySerializer().fields)
