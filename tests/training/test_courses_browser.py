"""A supervisor builds a course in the browser (adding material rows in place), publishes and assigns it to the
team; the agent takes it from the learning page. Headless Chromium (Debian's package) via Playwright."""

import datetime as dt
import os
from decimal import Decimal

import pytest

from teams.models import Role
from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched
from tests.factories import PASSWORD, TeamFactory, member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


@pytest.fixture
def floor(transactional_db):
    """A team with its supervisor and three agents, one of them with a graded quiz elsewhere; made before
    Playwright starts, so no ORM call runs inside its event loop."""
    from training import courses
    from training.models import Attempt, AttemptStatus, Quiz

    department = TeamFactory(name="Online Service")
    team = TeamFactory(name="Pre-sales", parent=department)
    people = {
        "sue": member(team, Role.SUPERVISOR, username="sue", display_name="苏主管"),
        "alice": member(team, Role.AGENT, username="alice", display_name="王芳"),
        "bob": member(team, Role.AGENT, username="bob", display_name="李明"),
        "carol": member(team, Role.AGENT, username="carol", display_name="张伟"),
    }
    product = courses.course_create(
        team=team,
        actor=people["sue"],
        title="Product basics",
        materials=[{"kind": "text", "title": "Sizes", "body": "S, M, L, XL."}],
    )
    product = courses.course_set_published(course=product, actor=people["sue"], published=True)
    quiz = Quiz.objects.create(course=product)
    today = courses.local_today(team.timezone)
    assigned = courses.assignments_create(
        course=product, actor=people["sue"], due_date=today + dt.timedelta(days=2), teams=[team]
    )
    for number, (name, percent) in enumerate((("bob", "92.50"), ("carol", "64.00")), start=1):
        Attempt.objects.create(
            quiz=quiz,
            user=people[name],
            team=team,
            number=number,
            status=AttemptStatus.GRADED,
            percent=Decimal(percent),
            passed=Decimal(percent) >= 80,
            assignment=next(a for a in assigned if a.user == people[name]),
        )
    return {"team": team, **people}


@pytest.fixture
def browser(live_server, floor, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser


def log_in(browser, live_server, username, **context):
    page = browser.new_context(locale="en-US", **context).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def test_build_publish_assign_and_take_a_course(live_server, browser, floor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = log_in(browser, live_server, "sue", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/training/courses/new/")
    page.fill("#id_title", "Handling refunds")
    page.fill("#id_description", "What to say and what to do when a buyer asks for a refund.")
    page.fill("#id_materials-0-title", "The policy")
    page.fill("#id_materials-0-body", "Refunds within **7 days** of delivery.\n\n- check the order\n- apologise")
    page.click("#add-material")
    page.select_option("#id_materials-1-kind", "video")
    page.fill("#id_materials-1-title", "Tuesday's session, recorded")
    page.fill("#id_materials-1-video_url", "https://video.example.com/sessions/refunds")
    page.fill("#id_materials-1-ORDER", "2")
    page.screenshot(path=str(SCREENSHOTS / "training-course-form.png"), full_page=True)
    with page.expect_navigation():
        page.click("#save-course")
    assert page.locator("h1").inner_text().startswith("Handling refunds")
    with page.expect_navigation():
        page.click("#publish-course")
    assert page.locator("#draft-badge").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "training-course-detail.png"), full_page=True)
    with page.expect_navigation():
        page.click("#assign-course")
    page.check(f"#assign-form input[name=teams][value='{floor['team'].pk}']")
    with page.expect_navigation():
        page.click("#assign-submit")
    assert "3 people assigned." in page.content()

    agent = log_in(browser, live_server, "alice", viewport={"width": 390, "height": 844}, is_mobile=True)
    agent.goto(f"{live_server.url}/training/")
    assert agent.locator("#open-assignments li").count() == 2
    agent.screenshot(path=str(SCREENSHOTS / "training-home-phone.png"), full_page=True)
    with agent.expect_navigation():
        agent.click("#open-assignments a:has-text('Handling refunds')")
    assert "<strong>7 days</strong>" in agent.content()
    for _ in range(2):
        with agent.expect_navigation():
            agent.locator(".mark-done").first.click()
    assert agent.locator("#completed-badge").count() == 1
    agent.screenshot(path=str(SCREENSHOTS / "training-assignment-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/training/overview/")
    rows = page.locator("#overview tbody tr")
    assert rows.count() == 3
    assert "92%" in rows.nth(1).inner_text() or "93%" in rows.nth(1).inner_text()
    page.screenshot(path=str(SCREENSHOTS / "training-overview.png"), full_page=True)
    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    page.screenshot(path=str(SCREENSHOTS / "training-overview-zh.png"), full_page=True)
