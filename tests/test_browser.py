"""Headless Chromium (Debian's package, driven by Playwright) against a live server."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from demo.department import DEMO_PASSWORD, seed_demo_department
from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


@pytest.fixture
def browser_page(live_server, demo_department, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")


@pytest.fixture
def demo_department(transactional_db):
    # Seeded before Playwright starts, so no ORM call runs inside its event loop.
    return seed_demo_department(today=timezone.localdate())


def test_supervisor_logs_in_switches_to_chinese_and_sees_the_team_page(live_server, browser_page):
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "sup.pre")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/teams/*/")
    assert page.locator("h1").inner_text() == "Pre-sales"
    assert page.locator("#roster").get_by_text("Supervisor", exact=True).count() == 1
    page.screenshot(path=str(SCREENSHOTS / "team-en.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".nav-tabs").inner_text().split() == ["花名册", "职责矩阵", "每日计划"]
    assert page.locator("#roster").get_by_text("主管", exact=True).count() == 1
    assert page.locator("#roster").get_by_text("客服代表").count() == 11
    page.screenshot(path=str(SCREENSHOTS / "team-zh.png"), full_page=True)

    page.click("text=职责矩阵")
    page.wait_for_selector("#responsibility-matrix")
    assert "哪类问题找谁" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "responsibilities-zh.png"), full_page=True)


def test_supervisor_edits_the_responsibility_matrix_in_the_browser(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sup.pre")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.click("text=Responsibility matrix")
    page.click("text=Add a category")
    page.fill("#id_category", "Gift wrapping")
    page.select_option("#id_owner", label="孙悦 (sun.yue)")
    page.select_option("#id_backup", label="孙悦 (sun.yue)")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "The backup must be a different person from the owner." in page.content()
    page.select_option("#id_backup", label="王芳 (wang)")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_selector("#responsibility-matrix")
    row = page.locator("#responsibility-matrix tr", has_text="Gift wrapping")
    assert "孙悦" in row.inner_text() and "王芳" in row.inner_text()


def test_supervisor_uploads_a_chat_export_and_reads_the_conversations(live_server, browser_page, tmp_path):
    from tests.conversations.test_import_files import HEADER

    export = tmp_path / "chats.csv"
    rows = [
        "c-1,web,wang,buyer-1,pre_sales,2026-11-20T09:00:00+08:00,,yes,5,no,,customer,2026-11-20T09:00:00+08:00,这件有蓝色吗？",
        "c-1,web,wang,buyer-1,pre_sales,2026-11-20T09:00:00+08:00,,yes,5,no,,agent,2026-11-20T09:00:30+08:00,有的，今天发货。",
    ]
    export.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sup.pre")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_format", "csv")
    page.set_input_files("#id_file", str(export))
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-result")
    assert "Conversations created: 1," in page.inner_text("#import-result")
    page.screenshot(path=str(SCREENSHOTS / "import-done.png"), full_page=True)
    page.click("text=See the conversations")
    page.click("#conversations a")
    page.wait_for_selector("#transcript")
    assert "有的，今天发货。" in page.inner_text("#transcript")
    page.screenshot(path=str(SCREENSHOTS / "conversation.png"), full_page=True)


@pytest.fixture
def wang_plan(demo_department):
    """Wang's plan for today with one item, made before Playwright starts (see demo_department)."""
    from plans.models import DailyPlan
    from plans.services import daily_plans_create, plan_item_add
    from teams.models import Shift, User

    wang = User.objects.get(username="wang")
    team = wang.memberships.get().team
    today = timezone.localdate()
    Shift.objects.update_or_create(
        user=wang, date=today, defaults={"team": team, "start_time": dt.time(0), "end_time": dt.time(23, 59)}
    )
    daily_plans_create(now=timezone.now())
    plan = DailyPlan.objects.get(agent=wang, date=today)
    plan_item_add(plan=plan, actor=wang, text="Reply to yesterday's open chats")
    return plan


def test_agent_ticks_off_an_item_and_submits_the_summary(live_server, wang_plan, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "wang")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/plans/today/")
    page.click("#plan-items form button")
    page.wait_for_selector("#plan-items .text-decoration-line-through")
    page.fill("#id_problems", "The refund tool timed out twice")
    page.screenshot(path=str(SCREENSHOTS / "my-day.png"), full_page=True)
    with page.expect_navigation():
        page.click("#submit-summary")
    assert page.inner_text("#plan-status") == "Submitted"
    page.goto(f"{live_server.url}/plans/{wang_plan.pk}/")
    assert "The refund tool timed out twice" in page.inner_text("#summary")
    assert page.locator(".text-decoration-line-through").count() == 1


@pytest.fixture
def chat_to_review(demo_department):
    """A chat of wang's and the pre-sales scorecard, made before Playwright starts."""
    from conversations.models import Conversation, Message
    from qa_reviews.services import scorecard_create
    from teams.models import User

    wang, qa = User.objects.get(username="wang"), User.objects.get(username="qa")
    team = wang.memberships.get().team
    start = timezone.now() - dt.timedelta(hours=2)
    chat = Conversation.objects.create(
        source="browser", external_id="qa-1", team=team, agent=wang, category="pre_sales", started_at=start
    )
    Message.objects.create(conversation=chat, fingerprint="1", sender="customer", sent_at=start, text="这件有蓝色吗？")
    Message.objects.create(
        conversation=chat, fingerprint="2", sender="agent", sent_at=start + dt.timedelta(seconds=30), text="有的"
    )
    scorecard_create(
        team=team,
        actor=qa,
        name="Chat quality",
        criteria=[
            {"title": "Greets", "weight": 1, "max_points": 1},
            {"title": "Solves the problem", "weight": 3, "max_points": 5},
        ],
    )
    return chat


def test_qa_inspector_scores_a_conversation(live_server, chat_to_review, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "qa")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/conversations/{chat_to_review.pk}/")
    with page.expect_navigation():
        page.click("text=Review")
    assert "这件有蓝色吗？" in page.inner_text("#transcript")
    selects = page.locator("#review-form select")
    selects.nth(0).select_option("1")
    selects.nth(1).select_option("4")
    page.fill("#id_comment", "Quick and friendly")
    page.screenshot(path=str(SCREENSHOTS / "qa-review.png"), full_page=True)
    with page.expect_navigation():
        page.click("#submit-review")
    # (1 x 1 + 3 x 4/5) / 4 = 85
    assert page.inner_text("#review-total") == "85.00"
    assert page.inner_text("#review-status") == "Submitted"


def test_supervisor_builds_a_scorecard_in_the_browser(live_server, browser_page):
    from qa_reviews.models import Scorecard

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sup.pre")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/qa/scorecards/new/")
    page.fill("#id_name", "Pre-sales chat quality")
    page.fill("#id_form-0-section", "Opening")
    page.fill("#id_form-0-title", "Greets the customer by name")
    page.click("#add-criterion")
    page.fill("#id_form-1-title", "Recommends the right product")
    page.fill("#id_form-1-weight", "3")
    page.fill("#id_form-1-max_points", "5")
    page.check("#id_form-1-auto_fail")
    page.click("#add-criterion")
    page.fill("#id_form-2-title", "Mentions the campaign")
    page.check("#id_form-2-allow_not_applicable")
    page.screenshot(path=str(SCREENSHOTS / "qa-scorecard-builder.png"), full_page=True)
    with page.expect_navigation():
        page.click("#save-scorecard")
    assert "Scorecard saved." in page.inner_text("main")
    scorecard = Scorecard.objects.get(name="Pre-sales chat quality")
    assert [
        (c.title, c.weight, c.max_points, c.auto_fail, c.allow_not_applicable) for c in scorecard.criteria.all()
    ] == [
        ("Greets the customer by name", 1, 1, False, False),
        ("Recommends the right product", 3, 5, True, False),
        ("Mentions the campaign", 1, 1, False, True),
    ]


@pytest.fixture
def sampled_week(demo_department):
    """Last week's chats of two pre-sales agents, sampled into the QA inspector's queue (before Playwright starts)."""
    import zoneinfo

    from conversations.models import Conversation, Message
    from qa_reviews.sampling import last_complete_week, sampling_rule_create, week_sample
    from qa_reviews.services import scorecard_create
    from teams.models import User

    qa, supervisor = User.objects.get(username="qa"), User.objects.get(username="sup.pre")
    team = supervisor.memberships.get().team
    week_start = last_complete_week(team)
    opening = dt.datetime.combine(week_start + dt.timedelta(days=1), dt.time(10), zoneinfo.ZoneInfo(team.timezone))
    for number, username in enumerate(["wang", "zhang.wei"]):
        start = opening + dt.timedelta(hours=number)
        chat = Conversation.objects.create(
            source="browser", external_id=f"week-{number}", team=team, agent=User.objects.get(username=username),
            category="pre_sales", started_at=start, rating=2,
        )  # fmt: skip
        Message.objects.create(
            conversation=chat, fingerprint=f"w{number}c", sender="customer", sent_at=start, text="优惠券怎么用不了？"
        )
        Message.objects.create(
            conversation=chat, fingerprint=f"w{number}a", sender="agent", sent_at=start + dt.timedelta(minutes=4), text="请看活动规则。"
        )  # fmt: skip
    scorecard = scorecard_create(
        team=team,
        actor=supervisor,
        name="Chat quality",
        criteria=[
            {"title": "Greets", "weight": 1, "max_points": 1},
            {"title": "Solves the problem", "weight": 3, "max_points": 5},
        ],
    )
    rule = sampling_rule_create(
        team=team, actor=supervisor, name="Low ratings", kind="low_rating", scorecard=scorecard, reviewers=[qa]
    )
    assert week_sample(rule=rule, week_start=week_start) == 2
    return rule


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_a_sampled_week_is_reviewed_disputed_and_resolved_in_the_browser(live_server, sampled_week, browser_page):
    from qa_reviews.models import Review

    page = browser_page
    _log_in(page, live_server, "qa")
    page.goto(f"{live_server.url}/qa/queue/")
    assert page.inner_text("#open-count") == "2"
    with page.expect_navigation():
        page.locator("#open-assignments a.btn", has_text="Review").first.click()
    page.locator("#transcript details summary").nth(1).click()
    page.fill("#transcript textarea >> nth=1", "Explain how to use the coupon instead of pointing to the rules.")
    selects = page.locator("#review-form select")
    selects.nth(0).select_option("0")
    selects.nth(1).select_option("2")
    page.fill("#id_comment", "The customer still could not use the coupon.")
    page.fill("#id_reviewer_notes", "Talk about it in the weekly meeting.")
    with page.expect_navigation():
        page.click("#submit-review")
    assert page.inner_text("#review-total") == "30.00"  # (1 x 0 + 3 x 2/5) / 4
    page.goto(f"{live_server.url}/qa/queue/")
    assert page.inner_text("#open-count") == "1"
    assert "30.00" in page.inner_text("#done-assignments")

    review = Review.objects.get(reviewer__username="qa", status="submitted")
    _log_in(page, live_server, review.agent.username)
    page.goto(f"{live_server.url}/qa/reviews/{review.pk}/")
    assert "Explain how to use the coupon" in page.inner_text("#message-comments")
    assert "weekly meeting" not in page.inner_text("main"), "agents never see reviewer-only notes"
    page.fill("textarea[name=reason]", "The coupon system was down that day.")
    with page.expect_navigation():
        page.click("text=Dispute")
    assert page.inner_text("#review-status") == "Disputed"

    _log_in(page, live_server, "sup.pre")
    page.goto(f"{live_server.url}/qa/reviews/{review.pk}/")
    page.fill("#resolve-form textarea[name=resolution]", "The outage is confirmed; solving counts in full.")
    criteria = list(review.scorecard.criteria.order_by("position").values_list("pk", flat=True))
    page.click("#resolve-form summary")
    page.select_option(f"#resolve-criterion-{criteria[1]}", "5")
    page.screenshot(path=str(SCREENSHOTS / "qa-dispute.png"), full_page=True)
    with page.expect_navigation():
        page.click("#change-score")
    assert page.inner_text("#review-status") == "Resolved"
    assert page.inner_text("#review-total") == "75.00"  # (1 x 0 + 3 x 5/5) / 4
    assert list(review.history.order_by("pk").values_list("total", flat=True)) == [30, 30, 75]
