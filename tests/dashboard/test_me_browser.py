"""My day and the agent profile in headless Chromium: the numbers shown are the API's, in English and Chinese,
on a laptop and a phone; an agent cannot open a colleague's profile (404). Screenshots go to
artifacts/screenshots/dashboard-*.png."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.utils import translation

from dashboard.me import metric_text
from tests.browser_support import CHROMIUM, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# wang's computed days (weekends off): conversations, resolved, sales, ratings (count, sum), first responses
# (count, milliseconds); today's figures are the last day's, so far.
DAY_FIGURES = [
    (28 + n % 9, 20 + n % 7, 1800 + 90 * (n % 5), 10, 44 + n % 5, 25, 25 * (24_000 + 900 * (n % 6))) for n in range(30)
]


@pytest.fixture
def wangs_month(transactional_db):
    """The demo department and a month of wang's work, made before Playwright starts (no ORM in its loop)."""
    from django.utils import timezone

    from demo.department import seed_demo_department
    from kpi.models import DailyAgentMetric
    from plans.models import ItemKind, PlanItem
    from plans.services import task_create
    from qa_reviews.models import ReviewStatus
    from teams.models import Team, User
    from tests.dashboard.test_me_data import (
        assignment,
        course,
        graded_attempt,
        kudos,
        local_today,
        plan_with_targets,
        review,
        weekly_award,
    )
    from training.models import CareerLevel

    seed_demo_department(today=timezone.localdate())
    team = Team.objects.get(name="Pre-sales")
    people = {user.username: user for user in User.objects.all()}
    wang, qa, sup = people["wang"], people["qa"], people["sup.pre"]
    today = local_today(team)
    rows = []
    for n, (chats, resolved, sales, rated, rating_sum, fr_count, fr_ms) in enumerate(DAY_FIGURES):
        day = today - dt.timedelta(days=29 - n)
        if day.weekday() >= 5 and day != today:
            continue
        rows.append(
            DailyAgentMetric(
                team=team,
                agent=wang,
                date=day,
                conversations=chats,
                messages_sent=chats * 6,
                resolved=resolved,
                sales_amount=Decimal(sales),
                pre_sales=chats,
                pre_sales_ordered=chats // 4,
                rated=rated,
                rating_sum=rating_sum,
                rated_good=rated - 1,
                first_response_count=fr_count,
                first_response_ms_sum=fr_ms,
            )
        )
    DailyAgentMetric.objects.bulk_create(rows)
    plan = plan_with_targets(
        team,
        wang,
        today,
        {
            "conversations": ("40.00", "up"),
            "sales_amount": ("2000.00", "up"),
            "first_response_seconds": ("30.00", "down"),
            "csat_avg": ("4.50", "up"),
        },
    )
    PlanItem.objects.create(plan=plan, text="回复昨天未结束的会话 Reply to yesterday's open chats", done=True)
    PlanItem.objects.create(plan=plan, text="整理尺码常见问题 Update the sizing FAQ")
    basics, returns = course(team, "产品基础 Product basics"), course(team, "退换货政策 Returns policy")
    assignment(basics, wang, team, today + dt.timedelta(days=2))
    learning = assignment(returns, wang, team, today - dt.timedelta(days=1))
    PlanItem.objects.create(plan=plan, kind=ItemKind.LEARNING, text=returns.title, training_assignment=learning)
    assignment(course(team, "开场白 Greetings"), wang, team, today - dt.timedelta(days=12), completed=True)
    graded_attempt(basics, wang, team, percent="86.00", passed=True)
    task_create(
        team=team,
        creator=sup,
        what="回访 buyer-77 Call back buyer-77",
        due_at=timezone.now() + dt.timedelta(hours=3),
        assignees=[wang],
    )
    for total, days_ago, status in ((88, 1, ReviewStatus.SUBMITTED), (76, 2, ReviewStatus.SUBMITTED)):
        review(team, wang, qa, total, status=status, days_ago=days_ago)
    for total, days_ago in ((92, 8), (85, 15), (90, 22)):
        review(team, wang, qa, total, status=ReviewStatus.ACKNOWLEDGED, days_ago=days_ago)
    kudos(team, people["zhang.wei"], wang, "谢谢你帮我接了高峰期的会话！")
    kudos(team, sup, wang, "Calm and clear with an upset buyer")
    monday = today - dt.timedelta(days=today.weekday())
    weekly_award(team, wang, monday - dt.timedelta(days=7), score="87.4")
    CareerLevel.objects.create(team=team, position="pre_sales", rank=1, name="客服专员 Agent I")
    CareerLevel.objects.create(
        team=team, position="pre_sales", rank=2, name="高级客服 Agent II", min_qa_score=Decimal(85)
    ).required_courses.add(basics)
    return {"wang": wang.pk, "colleague": people["zhang.wei"].pk}


@pytest.fixture
def chromium(live_server, wangs_month, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
        )
        yield browser
        browser.close()


def logged_in(browser, live_server, username: str, viewport=LAPTOP):
    from demo.department import DEMO_PASSWORD

    page = browser.new_page(viewport=viewport, locale="en-US")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def to_chinese(page) -> None:
    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def chart_points(page) -> list:
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend-chart'))")
    return page.evaluate("() => Chart.getChart(document.getElementById('trend-chart')).data.datasets[0].data")


def in_page_language(page):
    """metric_text words seconds in the page's language ("秒" in Chinese)."""
    return translation.override(page.locator("html").get_attribute("lang"))


def check_my_day_numbers(page) -> None:
    """Every figure on the page against /api/v1/me/today/ and /api/v1/dashboard/me/ as the same user."""
    with in_page_language(page):
        _check_my_day_numbers(page)


def _check_my_day_numbers(page) -> None:
    today = page.request.get(page.url.split("/dashboard/")[0] + "/api/v1/me/today/").json()
    extras = page.request.get(page.url.split("/dashboard/")[0] + "/api/v1/dashboard/me/").json()
    rows = page.locator("#my-targets .target-row")
    assert rows.count() == len(today["progress"]) == 4
    for index, expected in enumerate(today["progress"]):
        row = rows.nth(index)
        assert row.get_attribute("data-metric") == expected["metric"]
        assert float(row.get_attribute("data-actual")) == pytest.approx(expected["actual"])
        assert float(row.get_attribute("data-percent")) == expected["percent"]
        assert row.locator(".target-actual").inner_text() == metric_text(expected["metric"], expected["actual"])
        assert row.locator(".target-value").inner_text() == metric_text(expected["metric"], expected["value"])
        assert row.locator(".target-percent").inner_text() == f"{round(expected['percent'])}%"
    assert page.locator("#my-tasks").get_attribute("data-count") == str(len(today["tasks"])) == "1"
    assert page.locator("#my-plan .list-group-item").count() == len(today["plan"]["items"]) == 3
    assert page.locator("#my-learning").get_attribute("data-count") == str(extras["learning_due_count"]) == "2"
    assert page.locator("#my-reviews").get_attribute("data-count") == str(extras["reviews_to_acknowledge_count"]) == "2"
    assert page.locator("#my-kudos").get_attribute("data-count") == str(extras["kudos_count"]) == "2"
    assert str(extras["latest_award"]["period"]) in page.inner_text("#my-award")
    expected_points = [day["conversations"] for day in extras["trend"]]
    assert chart_points(page) == expected_points
    assert page.inner_text("#trend-total") == metric_text("conversations", extras["trend_totals"]["conversations"])


def test_my_day_shows_the_apis_numbers_in_english_and_chinese(live_server, chromium):
    page = logged_in(chromium, live_server, "wang")
    page.click("nav >> text=My day")
    page.wait_for_url(f"{live_server.url}/dashboard/me/")
    check_my_day_numbers(page)
    page.select_option("#trend-metric", "resolution_rate")
    extras = page.request.get(f"{live_server.url}/api/v1/dashboard/me/").json()
    shares = [None if day["resolution_rate"] is None else day["resolution_rate"] * 100 for day in extras["trend"]]
    assert chart_points(page) == pytest.approx(shares, abs=0.006)
    assert page.inner_text("#trend-total") == metric_text("resolution_rate", extras["trend_totals"]["resolution_rate"])
    assert "metric=resolution_rate" in page.url
    page.select_option("#trend-metric", "conversations")
    # what the poll does every few minutes: the card swaps itself for a fresh one and keeps polling
    page.evaluate("() => { document.getElementById('targets-refreshed').textContent = 'stale'; }")
    page.evaluate("() => htmx.ajax('GET', '/dashboard/me/progress/', {target: '#my-targets', swap: 'outerHTML'})")
    page.wait_for_function("() => document.getElementById('targets-refreshed').textContent !== 'stale'")
    assert page.locator("#my-targets").get_attribute("hx-trigger") == "every 120s"
    check_my_day_numbers(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-my-day-en.png"), full_page=True)

    to_chinese(page)
    assert page.locator("h1").inner_text().startswith("我的一天")
    check_my_day_numbers(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-my-day-zh.png"), full_page=True)


def test_my_day_on_a_phone(live_server, chromium):
    page = logged_in(chromium, live_server, "wang", viewport=PHONE)
    page.goto(f"{live_server.url}/dashboard/me/")
    check_my_day_numbers(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing runs off the side of a phone"
    page.screenshot(path=str(SCREENSHOTS / "dashboard-my-day-phone-en.png"), full_page=True)
    to_chinese(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-my-day-phone-zh.png"), full_page=True)
    check_phone_menu(page)


def check_phone_menu(page) -> None:
    """The links fold into the menu on a phone; language and the bell stay in sight."""
    assert page.locator("#language-switch select").is_visible() and page.locator("#notification-bell").is_visible()
    my_day = page.locator("#main-nav .nav-link").first
    assert not my_day.is_visible()
    page.click(".navbar-toggler")
    my_day.wait_for(state="visible")
    page.click("#nav-more")
    page.locator("#main-nav .dropdown-menu .dropdown-item").first.wait_for(state="visible")
    with page.expect_navigation():
        my_day.click()
    assert page.locator("h1").inner_text().startswith("我的一天")


def check_profile_numbers(page, live_server, wang_id: int) -> None:
    with in_page_language(page):
        _check_profile_numbers(page, live_server, wang_id)


def _check_profile_numbers(page, live_server, wang_id: int) -> None:
    body = page.request.get(f"{live_server.url}/api/v1/dashboard/agents/{wang_id}/").json()
    for card in page.locator("#profile-summary [data-metric]").all():
        metric = card.get_attribute("data-metric")
        assert card.locator(".summary-value").inner_text() == metric_text(metric, body["totals"][metric])
    assert page.inner_text("#qa-count") == str(body["qa_totals"]["count"]) == "5"
    assert page.inner_text("#qa-average") == f"{body['qa_totals']['average']:.1f}"
    days = [day for day in body["days"] if day["has_data"]]
    assert page.locator("#metrics-history tbody tr").count() == len(days)
    newest = page.locator("#metrics-history tbody tr").first
    assert newest.get_attribute("data-date") == days[-1]["date"]
    assert newest.locator("td").nth(1).inner_text() == metric_text("conversations", days[-1]["conversations"])
    assert page.locator("#profile-training").get_attribute("data-completed") == str(
        body["training_totals"]["completed"]
    )
    assert chart_points(page) == [day["conversations"] for day in body["days"]]
    assert body["career"]["current_level"]["name"] in page.inner_text("#career-current")


def test_the_supervisor_reads_an_agents_profile_and_exports_it(live_server, chromium, wangs_month):
    page = logged_in(chromium, live_server, "sup.pre")
    page.goto(f"{live_server.url}/dashboard/agents/{wangs_month['wang']}/")
    check_profile_numbers(page, live_server, wangs_month["wang"])
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.startswith("wang-metrics-")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-profile-en.png"), full_page=True)
    to_chinese(page)
    check_profile_numbers(page, live_server, wangs_month["wang"])
    page.screenshot(path=str(SCREENSHOTS / "dashboard-profile-zh.png"), full_page=True)

    phone = logged_in(chromium, live_server, "sup.pre", viewport=PHONE)
    phone.goto(f"{live_server.url}/dashboard/agents/{wangs_month['wang']}/")
    check_profile_numbers(phone, live_server, wangs_month["wang"])
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-profile-phone-en.png"), full_page=True)
    to_chinese(phone)
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-profile-phone-zh.png"), full_page=True)


def test_an_agent_opens_their_own_profile_but_not_a_colleagues(live_server, chromium, wangs_month):
    page = logged_in(chromium, live_server, "wang")
    page.goto(f"{live_server.url}/dashboard/me/")
    with page.expect_navigation():
        page.click("#my-profile")
    assert page.url == f"{live_server.url}/dashboard/agents/{wangs_month['wang']}/"
    check_profile_numbers(page, live_server, wangs_month["wang"])
    response = page.goto(f"{live_server.url}/dashboard/agents/{wangs_month['colleague']}/")
    assert response.status == 404
    api = page.request.get(f"{live_server.url}/api/v1/dashboard/agents/{wangs_month['colleague']}/")
    assert api.status == 404
