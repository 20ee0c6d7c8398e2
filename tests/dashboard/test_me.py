"""The agent's "My day": numbers worked out by hand, the same on the page, in its partial and in the APIs
(/api/v1/me/today/ and /api/v1/dashboard/me/), only the caller's own, and a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa_reviews.models import CalibrationSession, ReviewStatus
from teams.models import Role
from tests.dashboard.test_me_data import (
    assignment,
    course,
    kudos,
    local_today,
    metric_day,
    metric_history,
    plan_with_targets,
    review,
    weekly_award,
)
from tests.factories import member

PAGE = "/dashboard/me/"
PARTIAL = "/dashboard/me/progress/"
API = "/api/v1/dashboard/me/"
TODAY_API = "/api/v1/me/today/"


@pytest.fixture
def today(team):
    return local_today(team)


@pytest.fixture
def alices_day(team, sibling_team, agent, second_agent, supervisor, qa_inspector, today):
    """Alice's day, with the numbers the tests expect worked out beside each row."""
    plan_with_targets(
        team,
        agent,
        today,
        {
            "conversations": ("40.00", "up"),
            "sales_amount": ("1000.00", "up"),
            "first_response_seconds": ("30.00", "down"),
        },
    )
    # today so far: 30 of 40 conversations = 75 %; 1250 of 1000 sales = 125 %; first response 25 s against
    # 30 s (lower is better) = 100 x 30 / 25 = 120 %; 15 of 30 resolved
    metric_day(
        team,
        agent,
        today,
        conversations=30,
        resolved=15,
        sales_amount="1250.00",
        first_response_count=20,
        first_response_ms_sum=500_000,
    )
    # yesterday: 10 conversations, 8 resolved; the two days: 23 of 40 resolved = 57.5 % (not (50 + 80) / 2)
    metric_day(team, agent, today - dt.timedelta(days=1), conversations=10, resolved=8, sales_amount="0")
    metric_day(team, agent, today - dt.timedelta(days=30), conversations=99)  # 31 days ago: outside the trend
    metric_day(team, second_agent, today, conversations=500)  # bob's: never on alice's page

    basics, refunds, later, done = (course(team, t) for t in ("Basics", "Refunds", "Later", "Done"))
    assignment(basics, agent, team, today + dt.timedelta(days=3))  # due soon
    assignment(refunds, agent, team, today - dt.timedelta(days=1))  # overdue
    assignment(later, agent, team, today + dt.timedelta(days=10))  # not due this week
    assignment(done, agent, team, today + dt.timedelta(days=1), completed=True)  # completed
    assignment(basics, second_agent, team, today + dt.timedelta(days=1))  # bob's

    review(team, agent, qa_inspector, 82, days_ago=2)  # to acknowledge
    review(team, agent, qa_inspector, 91, days_ago=1)  # to acknowledge
    review(team, agent, qa_inspector, 70, status=ReviewStatus.ACKNOWLEDGED)
    review(team, agent, supervisor, 60, status=ReviewStatus.DRAFT)  # not submitted yet
    session = CalibrationSession.objects.create(
        team=team, name="Week 1", scorecard=review(team, second_agent, qa_inspector, 50).scorecard
    )
    review(team, agent, supervisor, 55, calibration=session)  # a calibration score, not a review of alice

    kudos(team, second_agent, agent, "Thanks for covering my chats")
    kudos(team, supervisor, agent, "Calm with an angry buyer")
    kudos(team, second_agent, agent, "Old news", days_ago=8)  # last week
    kudos(team, agent, second_agent, "Given, not received")

    monday = today - dt.timedelta(days=today.weekday())
    weekly_award(team, agent, monday - dt.timedelta(days=14), score="80")
    latest = weekly_award(team, agent, monday - dt.timedelta(days=7), score="91.25")
    return {"latest_award": latest}


def test_the_api_gives_the_numbers_worked_out_by_hand(api, agent, alices_day, today):
    body = api.as_user(agent).get(API).json()
    assert body["date"] == today.isoformat()
    assert body["learning_due_count"] == 2
    assert [(a["course_title"], a["overdue"]) for a in body["learning_due"]] == [("Refunds", True), ("Basics", False)]
    assert body["reviews_to_acknowledge_count"] == 2
    assert [r["total"] for r in body["reviews_to_acknowledge"]] == ["82.00", "91.00"]  # oldest first
    assert body["kudos_count"] == 2
    assert {k["message"] for k in body["kudos"]} == {"Thanks for covering my chats", "Calm with an angry buyer"}
    assert body["latest_award"]["id"] == alices_day["latest_award"].pk
    assert body["latest_award"]["score"] == "91.2500"
    trend = body["trend"]
    assert len(trend) == 30 and trend[0]["date"] == (today - dt.timedelta(days=29)).isoformat()
    assert trend[-1]["conversations"] == 30 and trend[-1]["resolution_rate"] == 0.5
    assert trend[-2]["resolution_rate"] == 0.8
    assert sum(1 for day in trend if day["has_data"]) == 2
    assert body["trend_totals"]["conversations"] == 40
    assert body["trend_totals"]["resolution_rate"] == pytest.approx(0.575)


def test_me_today_gives_each_target_its_percent(api, agent, alices_day):
    progress = {p["metric"]: p for p in api.as_user(agent).get(TODAY_API).json()["progress"]}
    assert progress["conversations"] | {} == {
        "metric": "conversations",
        "label": "Conversations",
        "value": "40.00",
        "direction": "up",
        "actual": 30,
        "percent": 75.0,
    }
    assert progress["sales_amount"]["percent"] == 125.0
    assert progress["first_response_seconds"]["actual"] == 25.0
    assert progress["first_response_seconds"]["percent"] == 120.0


def _targets(html: str) -> dict:
    rows = re.findall(r'data-metric="(\w+)" data-target="([^"]*)" data-actual="([^"]*)" data-percent="([^"]*)"', html)
    return {metric: (target, actual, percent) for metric, target, actual, percent in rows}


def test_the_page_shows_the_same_numbers_as_the_apis(client, api, agent, alices_day):
    client.force_login(agent)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    today = {p["metric"]: p for p in api.as_user(agent).get(TODAY_API).json()["progress"]}
    shown = _targets(html)
    assert set(shown) == set(today)
    for metric, (target, actual, percent) in shown.items():
        assert target == today[metric]["value"]
        assert float(actual) == today[metric]["actual"]
        assert float(percent) == today[metric]["percent"]
    assert '30</span> / <span class="target-value">40' in html
    assert '1,250.00</span> / <span class="target-value">1,000.00' in html
    assert '25.0 s</span> / <span class="target-value">30.0 s' in html
    assert ">75%<" in html and ">125%<" in html and ">120%<" in html
    extras = api.as_user(agent).get(API).json()
    assert f'id="my-learning" data-count="{extras["learning_due_count"]}"' in html
    assert f'id="my-reviews" data-count="{extras["reviews_to_acknowledge_count"]}"' in html
    assert f'id="my-kudos" data-count="{extras["kudos_count"]}"' in html
    assert "Old news" not in html and "Given, not received" not in html
    assert "Refunds" in html and "Later" not in html
    chart = response.context["chart"]
    assert chart["series"]["conversations"] == [day["conversations"] for day in extras["trend"]]
    assert chart["selected"] == "conversations"  # the first target's metric
    assert response.context["trend_total"] == "40"
    assert reverse("plans-my-day") in html and reverse("plans-detail", args=[alices_day_plan_id(agent)]) in html


def alices_day_plan_id(agent) -> int:
    return agent.daily_plans.get().pk


def test_the_chosen_metric_and_its_period_figure(client, agent, alices_day):
    client.force_login(agent)
    response = client.get(PAGE, {"metric": "resolution_rate"})
    assert response.context["chart"]["selected"] == "resolution_rate"
    assert response.context["trend_total"] == "57.5%"
    assert client.get(PAGE, {"metric": "no_such_metric"}).context["chart"]["selected"] == "conversations"


def test_the_targets_card_polls_and_its_partial_has_the_same_numbers(client, agent, alices_day):
    client.force_login(agent)
    page = client.get(PAGE).content.decode()
    assert 'hx-get="/dashboard/me/progress/"' in page and 'hx-trigger="every 120s"' in page
    partial = client.get(PARTIAL, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div class="card h-100" id="my-targets"')
    assert "<html" not in partial
    assert _targets(partial) == _targets(page)


def test_progress_follows_the_latest_computed_metrics(client, agent, team, alices_day, today):
    client.force_login(agent)
    from kpi.models import DailyAgentMetric

    DailyAgentMetric.objects.filter(agent=agent, date=today).update(conversations=40)  # the next computation
    assert _targets(client.get(PARTIAL).content.decode())["conversations"][2] == "100.0"


def test_without_a_plan_or_anything_the_page_still_reads_well(client, api, sibling_agent):
    client.force_login(sibling_agent)
    html = client.get(PAGE).content.decode()
    assert "No plan for today yet" in html and "No tasks due today." in html
    assert "Nothing to learn this week." in html and "No reviews waiting for you." in html
    assert "No award yet" in html
    body = api.as_user(sibling_agent).get(API).json()
    assert body["learning_due"] == [] and body["kudos_count"] == 0 and body["latest_award"] is None
    assert all(not day["has_data"] for day in body["trend"])


def test_a_supervisor_sees_their_own_day(client, api, supervisor, agent, alices_day):
    client.force_login(supervisor)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert _targets(response.content.decode()) == {}
    body = api.as_user(supervisor).get(API).json()
    assert body["reviews_to_acknowledge_count"] == 0 and body["kudos_count"] == 0
    assert all(day["conversations"] is None for day in body["trend"])  # alice's numbers are not theirs


def test_everyone_sees_only_their_own(client, api, second_agent, outsider, alices_day):
    for person in (second_agent, outsider):
        body = api.as_user(person).get(API).json()
        assert body["learning_due_count"] == (1 if person == second_agent else 0)
        assert body["reviews_to_acknowledge_count"] == (1 if person == second_agent else 0)
        assert body["kudos_count"] == (1 if person == second_agent else 0)
        assert body["latest_award"] is None
    client.force_login(second_agent)
    html = client.get(PAGE).content.decode()
    assert "Thanks for covering my chats" not in html and "Given, not received" in html


def test_anonymous_visitors_are_sent_to_log_in(client, api, alices_day):
    assert client.get(PAGE).status_code == 302 and "/accounts/login/" in client.get(PAGE)["Location"]
    assert client.get(PARTIAL).status_code == 302
    assert api.as_user(None).get(API).status_code in (401, 403)


def test_chinese(client, agent, alices_day):
    client.force_login(agent)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": PAGE})
    response = client.get(PAGE)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


# ------------------------------------------------------------------------------------------- queries


def _grow(team, agent, today, *, agents: int, days: int):
    """A year of history, a big team, many reviews, kudos and assignments."""
    metric_history(team, agent, end=today - dt.timedelta(days=1), days=days, conversations=5, resolved=3)
    crowd = [member(team, Role.AGENT, username=f"crowd{n}") for n in range(agents)]
    for person in crowd[:20]:
        metric_history(team, person, end=today, days=30, conversations=7)
        kudos(team, person, agent, f"Thanks from {person.username}")
        review(team, agent, person, 75)
    catalogue = [course(team, f"Course {n}") for n in range(20)]
    for item in catalogue:
        assignment(item, agent, team, today + dt.timedelta(days=2))


def _count(client, url: str) -> int:
    cache.clear()  # the cold answer: nothing read from the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [PAGE, PARTIAL])
def test_the_page_runs_a_fixed_number_of_queries(client, agent, team, alices_day, today, url):
    client.force_login(agent)
    small = _count(client, url)
    _grow(team, agent, today, agents=100, days=365)
    assert _count(client, url) == small
    assert small <= (15 if url == PAGE else 8)


def test_the_apis_run_a_fixed_number_of_queries(api, agent, team, alices_day, today, django_assert_max_num_queries):
    client = api.as_user(agent)
    small = {url: _count(client, url) for url in (API, TODAY_API)}
    _grow(team, agent, today, agents=100, days=365)
    assert {url: _count(client, url) for url in (API, TODAY_API)} == small
    with django_assert_max_num_queries(9):
        client.get(API)
    with django_assert_max_num_queries(8):
        client.get(TODAY_API)
    body = client.get(API).json()
    assert body["kudos_count"] == 22 and len(body["kudos"]) == 5
    assert body["reviews_to_acknowledge_count"] == 22 and len(body["reviews_to_acknowledge"]) == 10
    assert body["learning_due_count"] == 22 and len(body["learning_due"]) == 10
