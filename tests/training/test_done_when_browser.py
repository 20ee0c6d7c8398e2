"""Issue 7's "done when", end to end in headless Chromium: a course with a quiz assigned to a team reaches the
agent's day plan; the agent learns and passes from there; the plan item ticks itself; the supervisor reads the
results by person and by question. (Building courses and quizzes in the browser is in their own browser tests.)"""

import datetime as dt
import os

import pytest
from django.utils import timezone

from teams.models import Role
from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched
from tests.factories import PASSWORD, ShiftFactory, TeamFactory, member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


@pytest.fixture
def assigned_floor(transactional_db):
    """Made before Playwright starts, so no ORM call runs inside its event loop."""
    from plans.services import daily_plans_create
    from training import courses
    from training.quizzes.building import quiz_save

    team = TeamFactory(name="Pre-sales", parent=TeamFactory(name="Online Service"))
    sue = member(team, Role.SUPERVISOR, username="sue", display_name="苏主管")
    alice = member(team, Role.AGENT, username="alice", display_name="王芳")
    member(team, Role.AGENT, username="bob", display_name="李明")
    today = courses.local_today(team.timezone)
    ShiftFactory(team=team, user=alice, date=today, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
    course = courses.course_create(
        team=team,
        actor=sue,
        title="退款政策",
        materials=[{"kind": "text", "title": "退款时效", "body": "原路退回 **1–3 个工作日**。"}],
    )
    quiz_save(
        course=course,
        actor=sue,
        pass_mark=50,
        max_attempts=2,
        shuffle_questions=False,
        questions=[
            {"kind": "single", "text": "原路退回多久到账？", "points": 1,
             "choices": [{"text": "1–3 个工作日", "is_correct": True}, {"text": "一个月", "is_correct": False}]},
        ],
    )  # fmt: skip
    course = courses.course_set_published(course=course, actor=sue, published=True)
    courses.assignments_create(course=course, actor=sue, due_date=today + dt.timedelta(days=3), teams=[team])
    daily_plans_create(now=timezone.now())
    return course


@pytest.fixture
def browser(live_server, assigned_floor, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser


def _log_in(browser, live_server, username):
    page = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def test_an_agent_learns_from_the_day_plan_and_the_supervisor_reads_the_results(live_server, browser, assigned_floor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    agent = _log_in(browser, live_server, "alice")
    agent.goto(f"{live_server.url}/plans/today/")
    learning = agent.locator("a", has_text="退款政策").first
    assert learning.is_visible(), "the assigned course is a learning item of today's plan"
    with agent.expect_navigation():
        learning.click()
    with agent.expect_navigation():
        agent.locator(".mark-done").first.click()
    with agent.expect_navigation():
        agent.click("#take-quiz")
    with agent.expect_navigation():
        agent.click("#start-attempt")
    agent.check("#attempt-form input[type=radio] >> nth=0")
    with agent.expect_navigation():
        agent.click("#submit-attempt")
    assert "Passed" in agent.inner_text("main")

    agent.goto(f"{live_server.url}/plans/today/")
    item = agent.locator("li", has_text="退款政策").first
    assert "text-decoration-line-through" in item.inner_html(), "the learning item ticked itself"
    agent.screenshot(path=str(SCREENSHOTS / "training-my-day-learning.png"), full_page=True)

    supervisor = _log_in(browser, live_server, "sue")
    supervisor.goto(f"{live_server.url}/training/courses/{assigned_floor.pk}/quiz/results/")
    people = supervisor.inner_text("#results-people")
    assert "王芳" in people and "Passed" in people and "李明" in people
    assert "100%" in supervisor.inner_text("#results-questions")
