"""The agent profile: who may open it (the agent, and the supervisors, QA inspectors and managers of their
team; 404 for everyone else), numbers worked out by hand, the same on the page and in the API, exports,
clear errors for a bad period, and a fixed number of queries whatever the history or the team's size."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qa_reviews.models import ReviewStatus
from teams.models import Membership, Role
from tests.dashboard.test_me_data import (
    assignment,
    course,
    graded_attempt,
    local_today,
    metric_day,
    metric_history,
    review,
    weekly_award,
)
from tests.factories import member
from tests.query_counts import cold_start
from training.models import CareerLevel


def page(user) -> str:
    return f"/dashboard/agents/{user.pk}/"


def api_url(user) -> str:
    return f"/api/v1/dashboard/agents/{user.pk}/"


@pytest.fixture
def today(team):
    return local_today(team)


@pytest.fixture
def sibling_supervisor(sibling_team):
    return member(sibling_team, Role.SUPERVISOR, username="sid")


@pytest.fixture
def alices_record(team, sibling_team, agent, second_agent, supervisor, qa_inspector, today):
    """Alice's last month, with the expected numbers worked out beside each row."""
    # three computed days: 20 + 10 + 30 = 60 conversations; 15 + 5 + 27 = 47 resolved -> 78.3 %;
    # sales 100 + 0 + 250.50 = 350.50; ratings 9 of 2 + 4 of 1 = 13 / 3 = 4.33 CSAT
    metric_day(team, agent, today, conversations=20, resolved=15, sales_amount="100", rated=2, rating_sum=9)
    metric_day(team, agent, today - dt.timedelta(days=3), conversations=10, resolved=5, rated=1, rating_sum=4)
    metric_day(team, agent, today - dt.timedelta(days=29), conversations=30, resolved=27, sales_amount="250.50")
    metric_day(team, agent, today - dt.timedelta(days=30), conversations=1000)  # a day before the default period
    metric_day(team, second_agent, today, conversations=999)  # bob's

    # QA in the period: 80 and 90 to acknowledge, 100 acknowledged -> 3 reviews, average 90, range 80-100
    review(team, agent, qa_inspector, 80, days_ago=2)
    review(team, agent, qa_inspector, 90, days_ago=5)
    review(team, agent, supervisor, 100, status=ReviewStatus.ACKNOWLEDGED, days_ago=9)
    review(team, agent, qa_inspector, 10, status=ReviewStatus.DRAFT)  # not submitted
    review(team, agent, qa_inspector, 20, days_ago=45)  # before the period

    # training: 3 assigned, 1 completed, 1 overdue; one graded quiz attempt
    basics = course(team, "Product basics")
    assignment(basics, agent, team, today - dt.timedelta(days=2))
    assignment(course(team, "Refunds"), agent, team, today + dt.timedelta(days=5))
    assignment(course(team, "Greeting"), agent, team, today - dt.timedelta(days=20), completed=True)
    graded_attempt(basics, agent, team, percent="85.00", passed=True)

    monday = today - dt.timedelta(days=today.weekday())
    award = weekly_award(team, agent, monday - dt.timedelta(days=7), score="92.5")

    # career: Agent I has no requirement (reached); Agent II needs a QA score of 95 (the mean of the last
    # 90 days' counted reviews in the team is (80 + 90 + 100 + 20) / 4 = 72.5: not met)
    CareerLevel.objects.create(team=team, position="pre_sales", rank=1, name="Agent I")
    CareerLevel.objects.create(team=team, position="pre_sales", rank=2, name="Agent II", min_qa_score=Decimal(95))
    return {"award": award}


@pytest.fixture
def alice_helps_after_sales(sibling_team, agent, qa_inspector, alices_record, today):
    """Alice is an agent of the after-sales team too: its leads' business, not the pre-sales supervisor's."""
    Membership.objects.create(user=agent, team=sibling_team, role=Role.AGENT, position="after_sales")
    metric_day(sibling_team, agent, today, conversations=7, resolved=7)
    review(sibling_team, agent, qa_inspector, 30, days_ago=1)
    assignment(course(sibling_team, "Returns"), agent, sibling_team, today)
    monday = today - dt.timedelta(days=today.weekday())
    weekly_award(sibling_team, agent, monday - dt.timedelta(days=14))


# ------------------------------------------------------------------------------------------ who may


@pytest.mark.parametrize("viewer", ["agent", "supervisor", "qa_inspector", "manager"])
def test_the_agent_and_their_leads_open_the_profile(request, client, api, agent, alices_record, viewer):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    assert client.get(page(agent)).status_code == 200
    assert api.as_user(user).get(api_url(agent)).status_code == 200


@pytest.mark.parametrize("viewer", ["second_agent", "sibling_agent", "sibling_supervisor", "outsider"])
def test_anyone_else_gets_404(request, client, api, agent, alices_record, viewer):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    assert client.get(page(agent)).status_code == 404
    assert client.get(page(agent), {"format": "csv"}).status_code == 404
    assert api.as_user(user).get(api_url(agent)).status_code == 404


def test_a_shared_agent_is_seen_by_each_team_for_its_own_work(
    api, agent, supervisor, sibling_supervisor, alice_helps_after_sales
):
    body = api.as_user(sibling_supervisor).get(api_url(agent)).json()
    assert [team["name"] for team in body["teams"]] == ["After-sales"]
    assert body["totals"]["conversations"] == 7 and body["qa_totals"]["count"] == 1
    assert [a["course_title"] for a in body["assignments"]] == ["Returns"]
    assert len(body["awards"]) == 1 and body["career"] is None  # the after-sales team has no career path
    body = api.as_user(supervisor).get(api_url(agent)).json()
    assert [team["name"] for team in body["teams"]] == ["Pre-sales"]
    assert body["totals"]["conversations"] == 60 and body["qa_totals"]["count"] == 3
    assert "Returns" not in str(body)


def test_a_missing_person_and_a_lead_who_is_not_an_agent_are_404(client, api, supervisor, qa_inspector, alices_record):
    client.force_login(supervisor)
    assert client.get("/dashboard/agents/999999/").status_code == 404
    assert client.get(page(qa_inspector)).status_code == 404  # a colleague lead, not an agent they lead
    assert client.get(page(supervisor)).status_code == 200  # their own


def test_an_agent_who_left_the_team_is_404_for_its_lead(client, agent, supervisor, team, alices_record):
    Membership.objects.filter(user=agent, team=team).update(active=False)
    client.force_login(supervisor)
    assert client.get(page(agent)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, api, agent):
    assert client.get(page(agent)).status_code == 302
    assert api.as_user(None).get(api_url(agent)).status_code in (401, 403)


# ---------------------------------------------------------------------------------------- numbers


def test_the_numbers_worked_out_by_hand(api, agent, supervisor, alices_record, today):
    body = api.as_user(supervisor).get(api_url(agent)).json()
    assert body["agent"]["username"] == "alice" and [t["name"] for t in body["teams"]] == ["Pre-sales"]
    assert body["date_from"] == (today - dt.timedelta(days=29)).isoformat() and body["date_to"] == today.isoformat()
    assert len(body["days"]) == 30 and sum(day["has_data"] for day in body["days"]) == 3
    totals = body["totals"]
    assert totals["conversations"] == 60
    assert totals["resolution_rate"] == pytest.approx(47 / 60)
    assert totals["sales_amount"] == 350.5
    assert totals["csat_avg"] == pytest.approx(13 / 3)
    assert body["qa_totals"] == {
        "count": 3,
        "average": 90.0,
        "lowest": "80.00",
        "highest": "100.00",
        "auto_failed": 0,
        "to_acknowledge": 2,
        "disputed": 0,
    }
    assert [r["total"] for r in body["qa_reviews"]] == ["80.00", "90.00", "100.00"]  # newest first
    assert body["training_totals"] == {"assigned": 3, "completed": 1, "overdue": 1}
    assert [(a["course_title"], a["overdue"]) for a in body["assignments"]] == [
        ("Product basics", True),
        ("Refunds", False),
        ("Greeting", False),
    ]
    assert [(q["course_title"], q["percent"], q["passed"]) for q in body["quiz_results"]] == [
        ("Product basics", "85.00", True)
    ]
    assert [a["id"] for a in body["awards"]] == [alices_record["award"].pk]
    career = body["career"]
    assert career["current_level"]["name"] == "Agent I" and career["next_level"]["name"] == "Agent II"
    assert career["criteria"] == [
        {"kind": "qa_score", "label": "QA score (last 90 days)", "met": False, "value": 72.5, "required": 95.0}
    ]


def test_the_agent_sees_both_of_their_teams(api, agent, alice_helps_after_sales):
    body = api.as_user(agent).get(api_url(agent)).json()
    assert [t["name"] for t in body["teams"]] == ["After-sales", "Pre-sales"]
    assert body["totals"]["conversations"] == 67 and body["qa_totals"]["count"] == 4


def test_the_manager_of_both_teams_sees_both(api, agent, manager, alice_helps_after_sales):
    assert api.as_user(manager).get(api_url(agent)).json()["totals"]["conversations"] == 67


def test_the_page_shows_the_apis_numbers(client, api, agent, supervisor, alices_record, today):
    client.force_login(supervisor)
    response = client.get(page(agent))
    html = response.content.decode()
    body = api.as_user(supervisor).get(api_url(agent)).json()
    assert 'id="qa-count">3<' in html and 'id="qa-average">90.0<' in html
    assert 'data-metric="conversations" data-value="60"' in html
    assert ">78.3%<" in html and ">350.50<" in html and ">4.33<" in html  # the period's figures
    history = response.context["history"]
    assert [row["date"] for row in history] == [
        dt.date.fromisoformat(day["date"]) for day in reversed(body["days"]) if day["has_data"]
    ]
    assert history[0]["cells"][0] == "20"  # today's conversations, the newest row first
    chart = response.context["chart"]
    assert chart["series"]["resolution_rate"] == [day["resolution_rate"] for day in body["days"]]
    assert "Agent I" in html and "Agent II" in html and "Product basics" in html


def test_a_chosen_period(api, client, agent, supervisor, alices_record, today):
    query = {"date_from": (today - dt.timedelta(days=3)).isoformat(), "date_to": today.isoformat()}
    body = api.as_user(supervisor).get(api_url(agent), query).json()
    assert len(body["days"]) == 4 and body["totals"]["conversations"] == 30
    assert body["qa_totals"]["count"] == 1  # submitted 2 days ago; those of 5 and 9 days ago are before the period
    client.force_login(supervisor)
    response = client.get(page(agent), query)
    assert response.context["profile"].figures.totals["conversations"] == 30
    assert f'value="{query["date_from"]}"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "api_message", "page_message"),
    [
        ({"date_from": "2026-11-31"}, "date_from", "wrong format", "valid date"),
        ({"date_from": "2026-11-10", "date_to": "2026-11-01"}, "date_to", *["on or after the start date"] * 2),
        ({"date_from": "2024-01-01", "date_to": "2026-11-01"}, "date_from", *["at most 366 days"] * 2),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(
    client, api, agent, supervisor, alices_record, query, field, api_message, page_message
):
    answer = api.as_user(supervisor).get(api_url(agent), query)
    assert answer.status_code == 400 and api_message in answer.json()[field][0]
    client.force_login(supervisor)
    response = client.get(page(agent), query)
    assert response.status_code == 400
    assert page_message in " ".join(response.context["form"].errors[field])
    assert "is-invalid" in response.content.decode()


# ------------------------------------------------------------------------------------------ exports


def test_csv_export_holds_the_days_and_the_period(client, agent, supervisor, alices_record, today):
    client.force_login(supervisor)
    response = client.get(page(agent), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    first = (today - dt.timedelta(days=29)).strftime("%Y%m%d")
    assert f'filename="alice-metrics-{first}-{today:%Y%m%d}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Date", "Conversations", "Messages sent"]
    assert "Resolution rate (%)" in header and "First response (seconds)" in header and "CSI (%)" in header
    assert [row[0] for row in rows[1:]] == [
        (today - dt.timedelta(days=29)).isoformat(),
        (today - dt.timedelta(days=3)).isoformat(),
        today.isoformat(),
        "Whole period",
    ]
    resolution = header.index("Resolution rate (%)")
    assert [row[resolution] for row in rows[1:]] == ["90.0", "50.0", "75.0", str(round(4700 / 60, 4))]
    assert rows[-1][1] == "60"


def test_excel_export_keeps_numbers_as_numbers(client, agent, supervisor, alices_record):
    client.force_login(supervisor)
    response = client.get(page(agent), {"format": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Date" and sheet["B1"].value == "Conversations"
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [30, 10, 20, 60]
    assert sheet.cell(row=sheet.max_row, column=1).value == "Whole period"


def test_an_unknown_export_format_is_refused(client, agent, supervisor, alices_record):
    client.force_login(supervisor)
    response = client.get(page(agent), {"format": "pdf"})
    assert response.status_code == 400 and "format" in response.context["form"].errors


def test_the_export_links_keep_the_period(client, agent, supervisor, alices_record):
    client.force_login(supervisor)
    html = client.get(page(agent), {"date_from": "2026-11-01", "date_to": "2026-11-20"}).content.decode()
    assert 'href="?date_from=2026-11-01&amp;date_to=2026-11-20&amp;format=csv"' in html


def test_the_reviews_training_and_quizzes_download_too(client, agent, supervisor, alices_record):
    client.force_login(supervisor)

    def table(name: str) -> list[list[str]]:
        response = client.get(page(agent), {"format": "csv", "table": name})
        assert response.status_code == 200 and f'filename="alice-{name}-' in response["Content-Disposition"]
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    reviews = table("reviews")
    assert reviews[0][:3] == ["Submitted", "Scorecard", "Reviewer"]
    assert sorted(float(row[4]) for row in reviews[1:]) == [80.0, 90.0, 100.0]  # submitted in the period
    assignments = table("assignments")
    assert len(assignments) == 1 + 3 and sum(row[4] == "True" for row in assignments[1:]) == 1  # one overdue
    quizzes = table("quizzes")
    assert [(row[1], float(row[3]), row[4]) for row in quizzes[1:]] == [("1", 85.0, "True")]
    html = client.get(page(agent)).content.decode()
    assert all(f'data-table="{name}"' in html for name in ("reviews", "assignments", "quizzes"))
    assert client.get(page(agent), {"format": "csv", "table": "salaries"}).status_code == 400


# ------------------------------------------------------------------------------------------ queries


def _count(client, url: str, query: dict) -> int:
    cold_start()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


def _grow(team, agent, supervisor, today, *, agents: int):
    metric_history(team, agent, end=today, days=365, conversations=5, resolved=3)
    for n in range(agents):
        person = member(team, Role.AGENT, username=f"crowd{n}")
        metric_history(team, person, end=today, days=3, conversations=4)
    for n in range(30):
        review(team, agent, supervisor, 70 + n % 30, days_ago=n + 1)
        assignment(course(team, f"Course {n}"), agent, team, today + dt.timedelta(days=n))
        weekly_award(team, agent, today - dt.timedelta(days=7 * (n + 5)))


def test_the_page_and_the_api_run_a_fixed_number_of_queries(
    client, api, agent, supervisor, team, alices_record, today, django_assert_max_num_queries
):
    client.force_login(supervisor)
    token_client = api.as_user(supervisor)
    one_day = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    year = {"date_from": (today - dt.timedelta(days=364)).isoformat(), "date_to": today.isoformat()}
    small = {"page": _count(client, page(agent), one_day), "api": _count(token_client, api_url(agent), one_day)}
    _grow(team, agent, supervisor, today, agents=100)
    large = {"page": _count(client, page(agent), year), "api": _count(token_client, api_url(agent), year)}
    assert large == small
    with django_assert_max_num_queries(21):
        client.get(page(agent), year)
    with django_assert_max_num_queries(19):
        token_client.get(api_url(agent), year)
    with django_assert_max_num_queries(20):
        client.get(page(agent), {**year, "format": "xlsx"})
    body = token_client.get(api_url(agent), year).json()
    assert len(body["days"]) == 365 and len(body["qa_reviews"]) == 20
    assert body["qa_totals"]["count"] == 34  # 33 + the one of 45 days ago
