"""The manager's overview: numbers worked out by hand, attainment, staffing gaps, exports and fixed query counts."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dashboard.manager import manager_overview, overview_teams
from dashboard.staffing import local_today
from kpi.models import DailyTarget, DailyTeamMetric, MonthlyTarget
from teams.models import Role
from tests.dashboard.test_staffing import shift, volume_history
from tests.factories import TeamFactory, member
from tests.query_counts import cold_start

FROM, TO = dt.date(2026, 11, 1), dt.date(2026, 11, 20)


def day_metrics(team, date: dt.date, **parts) -> DailyTeamMetric:
    return DailyTeamMetric.objects.create(team=team, date=date, **parts)


def target(team, metric: str, date: dt.date, value, agent=None, shop_level: bool = False) -> DailyTarget:
    monthly, _ = MonthlyTarget.objects.get_or_create(
        team=team.parent or team, metric=metric, month=date.replace(day=1), defaults={"value": 0}
    )
    return DailyTarget.objects.create(
        monthly_target=monthly, date=date, team=team, agent=None if shop_level else agent, value=value
    )


@pytest.fixture
def period_figures(team, sibling_team, agent, second_agent, sibling_agent):
    """Two days of the pre-sales team and one of after-sales inside the period, one day of each outside it."""
    day_metrics(
        team,
        dt.date(2026, 11, 5),
        conversations=10,
        first_response_count=8,
        first_response_ms_sum=8 * 30_000,
        resolved=8,
        rated=5,
        rating_sum=22,
        pre_sales=6,
        pre_sales_ordered=3,
        sales_amount=Decimal("1000.50"),
        qa_reviews=2,
        qa_score_sum=Decimal("170"),
    )
    day_metrics(
        team,
        dt.date(2026, 11, 20),
        conversations=30,
        first_response_count=20,
        first_response_ms_sum=20 * 60_000,
        resolved=21,
        rated=5,
        rating_sum=18,
        pre_sales=4,
        pre_sales_ordered=1,
        sales_amount=Decimal("500"),
        qa_reviews=1,
        qa_score_sum=Decimal("70"),
    )
    day_metrics(team, dt.date(2026, 10, 31), conversations=999, sales_amount=Decimal("99999"))
    day_metrics(sibling_team, dt.date(2026, 11, 21), conversations=999)
    day_metrics(
        sibling_team,
        dt.date(2026, 11, 6),
        conversations=5,
        first_response_count=5,
        first_response_ms_sum=5 * 12_000,
        resolved=5,
        rated=0,
        sales_amount=Decimal("0"),
    )
    # Pre-sales serves the department's shops: its agents' targets are its targets.
    target(team, "sales_amount", dt.date(2026, 11, 5), 1000, agent=agent)
    target(team, "sales_amount", dt.date(2026, 11, 5), 1000, agent=second_agent)
    target(team, "sales_amount", dt.date(2026, 11, 20), 500, agent=agent)
    target(team, "sales_amount", dt.date(2026, 11, 21), 7777, agent=agent)  # after the period
    target(team, "first_response_seconds", dt.date(2026, 11, 5), 45, agent=agent)
    target(team, "first_response_seconds", dt.date(2026, 11, 20), 45, agent=second_agent)
    # After-sales has a shop of its own: the shop-day row is the whole target, its agent's share is part of it.
    target(sibling_team, "sales_amount", dt.date(2026, 11, 6), 100, shop_level=True)
    target(sibling_team, "sales_amount", dt.date(2026, 11, 6), 100, agent=sibling_agent)


def test_numbers_by_hand(manager, team, sibling_team, period_figures):
    teams = list(overview_teams(manager))
    assert [t.name for t in teams] == ["After-sales", "Pre-sales"]
    overview = manager_overview(teams=teams, date_from=FROM, date_to=TO)
    after, pre = overview.teams
    # Pre-sales: 40 chats; first response (240 s + 1200 s) / 28 = 51.43 s (not the mean of 30 and 60);
    # 29/40 resolved; CSAT 40/10; 4 of 10 pre-sales chats ordered; sales 1500.50; QA 240/3.
    assert pre.figures["conversations"] == 40
    assert pre.figures["first_response_seconds"] == pytest.approx(1440 / 28)
    assert pre.figures["resolution_rate"] == pytest.approx(0.725)
    assert pre.figures["csat_avg"] == pytest.approx(4.0)
    assert pre.figures["conversion_rate"] == pytest.approx(0.4)
    assert pre.figures["sales_amount"] == Decimal("1500.50")
    assert pre.figures["qa_score_avg"] == pytest.approx(80.0)
    assert pre.qa_reviews == 3
    assert overview.targeted_metrics == ["first_response_seconds", "sales_amount"]
    sales = pre.attainment["sales_amount"]
    assert (sales.target, sales.percent) == (Decimal("2500"), pytest.approx(100 * 1500.5 / 2500))
    response = pre.attainment["first_response_seconds"]  # lower is better: 45 s asked, 51.43 s taken
    assert (response.target, response.percent) == (45, pytest.approx(100 * 45 / (1440 / 28)))
    assert after.figures["conversations"] == 5 and after.figures["csat_avg"] is None
    assert after.attainment["sales_amount"].target == 100 and after.attainment["sales_amount"].percent == 0
    assert "first_response_seconds" not in after.attainment
    total = overview.total
    assert total.figures["conversations"] == 45
    assert total.figures["first_response_seconds"] == pytest.approx((1440 + 60) / 33)
    assert total.attainment["sales_amount"].target == Decimal("2600")


def test_attainment_compares_only_the_days_that_have_targets(manager, team, agent):
    # A month's targets start on the 2nd: the 1st's sales and slow answers count in the KPIs, not against the target.
    day_metrics(
        team, dt.date(2026, 11, 1), sales_amount=Decimal("100"), first_response_count=1, first_response_ms_sum=90_000
    )
    day_metrics(
        team, dt.date(2026, 11, 2), sales_amount=Decimal("50"), first_response_count=2, first_response_ms_sum=60_000
    )
    target(team, "sales_amount", dt.date(2026, 11, 2), 100, agent=agent)
    target(team, "first_response_seconds", dt.date(2026, 11, 2), 60, agent=agent)
    pre = manager_overview(teams=list(overview_teams(manager)), date_from=FROM, date_to=TO).teams[0]
    assert pre.figures["sales_amount"] == 150 and pre.figures["first_response_seconds"] == 50
    assert (pre.attainment["sales_amount"].actual, pre.attainment["sales_amount"].percent) == (50, 50)
    assert (pre.attainment["first_response_seconds"].actual, pre.attainment["first_response_seconds"].percent) == (
        30,
        200,
    )


def test_api_rows_round_as_the_page_shows_them(api, manager, team, sibling_team, period_figures):
    response = api.as_user(manager).get(
        "/api/v1/dashboard/manager/", {"date_from": "2026-11-01", "date_to": "2026-11-20"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["targeted_metrics"] == ["first_response_seconds", "sales_amount"]
    pre = next(row for row in body["teams"] if row["team"] == "Pre-sales")
    assert {key: pre[key] for key in ("team_id", "department", "conversations", "qa_reviews")} == {
        "team_id": team.pk,
        "department": "Online Service",
        "conversations": 40,
        "qa_reviews": 3,
    }
    assert (pre["first_response_seconds"], pre["resolution_percent"], pre["csat_avg"]) == (51.4, 72.5, 4.0)
    assert (pre["conversion_percent"], pre["sales_amount"], pre["qa_score_avg"]) == (40.0, "1500.50", 80.0)
    assert pre["attainment"] == [
        {
            "metric": "first_response_seconds",
            "label": "First response",
            "target": 45.0,
            "actual": 51.43,
            "percent": 87.5,
        },
        {"metric": "sales_amount", "label": "Sales", "target": 2500.0, "actual": 1500.5, "percent": 60.0},
    ]
    assert pre["dashboard_url"] == f"/dashboard/team/?team={team.pk}"
    assert body["total"]["team_id"] is None and body["total"]["conversations"] == 45
    assert body["total"]["staffing"] is None


def test_default_period_is_this_month_and_bad_periods_are_named(api, manager, team):
    client = api.as_user(manager)
    body = client.get("/api/v1/dashboard/manager/").json()
    assert body["date_to"] >= body["date_from"] and body["date_from"].endswith("-01")
    backwards = client.get("/api/v1/dashboard/manager/", {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert backwards.status_code == 400 and list(backwards.json()) == ["date_to"]
    too_long = client.get("/api/v1/dashboard/manager/", {"date_from": "2024-01-01", "date_to": "2026-11-01"})
    assert too_long.status_code == 400 and list(too_long.json()) == ["date_from"]
    nonsense = client.get("/api/v1/dashboard/manager/", {"date_from": "soon"})
    assert nonsense.status_code == 400 and list(nonsense.json()) == ["date_from"]


def test_staffing_gaps_of_today(manager, team, sibling_team, agent):
    today = local_today(team)
    volume_history(team, today, {10: 20, 11: 40})
    shift(team, agent, "10:00", "12:00", day=today)
    overview = manager_overview(teams=list(overview_teams(manager)), date_from=FROM, date_to=TO)
    after, pre = overview.teams
    assert [hour.hour for hour in pre.staffing.short_hours] == [10, 11]
    assert after.staffing.weeks_with_data == 0 and not after.staffing.short_hours


def test_the_page_shows_every_team_with_links_and_gaps(client, manager, team, sibling_team, agent, period_figures):
    today = local_today(team)
    volume_history(team, today, {10: 20})
    shift(team, agent, "10:00", "11:00", day=today)
    client.force_login(manager)
    response = client.get("/dashboard/manager/", {"date_from": "2026-11-01", "date_to": "2026-11-20"})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f'href="/dashboard/team/?team={team.pk}"' in page and f'href="/dashboard/team/?team={sibling_team.pk}"' in page
    )
    assert 'data-short-hours="1"' in page and "10:00–11:00" in page
    assert "No history yet" in page  # after-sales has no volume history
    assert "1,500.50" in page and "51.4 s" in page and "72.5%" in page and "60.0%" in page
    assert 'data-team="total"' in page


def test_the_page_in_chinese(client, manager, team, period_figures):
    client.force_login(manager)
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/dashboard/manager/", {"date_from": "2026-11-01", "date_to": "2026-11-20"})
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_exports_open_in_spreadsheets(client, manager, team, sibling_team, period_figures):
    client.force_login(manager)
    period = {"date_from": "2026-11-01", "date_to": "2026-11-20"}
    response = client.get("/dashboard/manager/", {**period, "format": "csv"})
    assert response.status_code == 200
    assert 'filename="teams-20261101-20261120.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [
        "Team",
        "Department",
        "Conversations",
        "First response (s)",
        "Resolution rate (%)",
        "CSAT",
        "Conversion rate (%)",
        "Sales",
        "QA average",
        "QA reviews",
        "First response vs target (%)",
        "Sales vs target (%)",
        "Hours short of agents today",
        "Short hours",
    ]
    assert lines[3][:3] == ["All teams", "", "45"]
    assert lines[2] == [
        "Pre-sales",
        "Online Service",
        "40",
        "51.4",
        "72.5",
        "4.0",
        "40.0",
        "1500.50",
        "80.0",
        "3",
        "87.5",
        "60.0",
        "",  # no volume history for today's weekday: the gap is unknown, not zero
        "",
    ]
    workbook = load_workbook(io.BytesIO(client.get("/dashboard/manager/", {**period, "format": "xlsx"}).content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[3]][:4] == ["Pre-sales", "Online Service", 40, 51.4]
    assert sheet["H3"].value == 1500.5 and sheet["A1"].font.bold
    refused = client.get("/dashboard/manager/", {**period, "format": "numbers"})
    assert refused.status_code == 400 and "numbers" in refused.content.decode()


def test_the_chinese_export_keeps_chinese_headers(client, manager, team, period_figures):
    client.force_login(manager)
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/dashboard/manager/", {"format": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(header) >= 12


# ---- who sees what -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("manager", ["After-sales", "Pre-sales"]),
        ("supervisor", ["Pre-sales"]),
        ("outsider", ["Their Team"]),
        ("qa_inspector", None),
        ("agent", None),
        ("sibling_agent", None),
    ],
)
def test_who_sees_which_teams(request, client, api, team, sibling_team, other_team, actor, expected):
    person = request.getfixturevalue(actor)
    client.force_login(person)
    page = client.get("/dashboard/manager/")
    listed = api.as_user(person).get("/api/v1/dashboard/manager/")
    if expected is None:
        assert page.status_code == listed.status_code == 404
        return
    assert page.status_code == listed.status_code == 200
    assert [row["team"] for row in page.context["rows"]] == expected
    assert [row["team"] for row in listed.json()["teams"]] == expected


@pytest.mark.parametrize(
    ("actor", "own", "sibling"),
    [
        ("manager", 200, 200),
        ("supervisor", 200, 404),
        ("qa_inspector", 404, 404),
        ("agent", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_staffing_of_a_team_is_for_who_manages_it(request, client, api, team, sibling_team, actor, own, sibling):
    person = request.getfixturevalue(actor)
    client.force_login(person)
    api_client = api.as_user(person)
    for chosen, expected in ((team, own), (sibling_team, sibling)):
        assert client.get("/dashboard/staffing/", {"team": chosen.pk}).status_code == expected
        assert api_client.get("/api/v1/dashboard/staffing/", {"team": chosen.pk}).status_code == expected
        if expected == 404:  # nothing of the team leaks into a download either
            assert client.get("/dashboard/staffing/", {"team": chosen.pk, "format": "csv"}).status_code == 404
    assert client.get("/dashboard/staffing/", {"team": "x"}).status_code == 404


def test_someone_without_a_team_and_anonymous_visitors(client, api, db):
    nobody = member(TeamFactory(name="Lonely"), Role.AGENT, username="nobody")
    nobody.memberships.all().delete()
    client.force_login(nobody)
    assert client.get("/dashboard/manager/").status_code == 404
    assert client.get("/dashboard/staffing/").status_code == 404
    client.logout()
    assert client.get("/dashboard/manager/").status_code == 302
    assert api.as_user(None).get("/api/v1/dashboard/manager/").status_code == 401
    assert api.as_user(None).get("/api/v1/dashboard/staffing/").status_code == 401


def test_departments_that_only_group_teams_are_not_rows(manager, department, team):
    department_agents = member(department, Role.AGENT, username="floater")
    assert [t.name for t in overview_teams(manager)] == ["Online Service", "Pre-sales"]
    department_agents.memberships.update(active=False)
    assert [t.name for t in overview_teams(manager)] == ["Pre-sales"]


# ---- fixed number of queries ---------------------------------------------------------------------------------


def _world(department, teams: int, days: int, agents: int) -> None:
    today = dt.date(2026, 11, 20)
    for number in range(teams):
        team = TeamFactory(name=f"T{teams}-{number}", parent=department)
        people = [member(team, username=f"p{teams}-{number}-{index}") for index in range(agents)]
        DailyTeamMetric.objects.bulk_create(
            DailyTeamMetric(team=team, date=today - dt.timedelta(days=offset), conversations=3, resolved=2)
            for offset in range(days)
        )
        for person in people:
            target(team, "sales_amount", today, 100, agent=person)
        volume_history(team, local_today(team), {10: 6}, weeks=min(days, 4))
        for person in people:
            shift(team, person, "09:00", "18:00", day=local_today(team))


def _queries(function) -> int:
    cold_start()
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_queries_do_not_grow_with_teams_agents_or_history(
    client, api, manager, department, django_assert_max_num_queries
):
    client.force_login(manager)
    api_client = api.as_user(manager)
    period = {"date_from": "2025-11-21", "date_to": "2026-11-20"}

    def measure():
        return (
            _queries(lambda: client.get("/dashboard/manager/", period)),
            _queries(lambda: api_client.get("/api/v1/dashboard/manager/", period)),
            _queries(lambda: client.get("/dashboard/manager/", {**period, "format": "xlsx"})),
        )

    _world(department, teams=2, days=1, agents=5)
    small = measure()
    _world(department, teams=18, days=365, agents=100 // 18 + 1)
    large = measure()
    assert small == large
    assert len(api_client.get("/api/v1/dashboard/manager/", period).json()["teams"]) == 20
    with django_assert_max_num_queries(12):
        client.get("/dashboard/manager/", period)
