"""In headless Chromium: an agent takes a quiz and sees the score; a supervisor builds one with the
page's script (rows added in place, a question switched to true/false) and grades a written answer."""

import os
import threading

import pytest
from django.db import connections

from teams.models import Role
from tests.browser_support import CHROMIUM, SCREENSHOTS
from tests.factories import PASSWORD, TeamFactory, member
from tests.training.factories_quizzes import MULTIPLE, SHORT, SINGLE, TRUE_FALSE, make_course, make_quiz
from training.models import Quiz

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


@pytest.fixture
def floor(transactional_db):
    """A team with a supervisor, an agent and a published course with a quiz, made before Playwright starts."""
    team = TeamFactory(name="After-sales")
    people = {
        "supervisor": member(team, Role.SUPERVISOR, username="lead", display_name="Li Na"),
        "agent": member(team, username="wang", display_name="Wang Fang"),
    }
    course = make_course(team, title="Refunds and returns")
    quiz = make_quiz(course, people["supervisor"], questions=[SINGLE, MULTIPLE, TRUE_FALSE, SHORT], pass_mark=60)
    return {"team": team, "course": course, "quiz": quiz, **people}


@pytest.fixture
def browser_page(live_server, floor, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
        yield page
        browser.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def in_own_thread(read):
    """Run an ORM read while Playwright's loop runs, on a connection that is closed afterwards (the test
    thread's context would open one that outlives the test database)."""
    result = {}

    def run():
        try:
            result["value"] = read()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def question_card(page, question: dict):
    return page.locator("fieldset.question", has_text=question["text"])


def test_an_agent_takes_the_quiz_and_sees_the_score(live_server, floor, browser_page):
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server, "wang")
    page.goto(f"{live_server.url}/training/courses/{floor['course'].pk}/quiz/")
    assert "attempts used: 0 of 3" in page.inner_text("#quiz-facts")
    with page.expect_navigation():
        page.click("#start-attempt")
    assert page.locator("fieldset.question").count() == 4
    assert "is_correct" not in page.content()
    question_card(page, SINGLE).get_by_label("Check the tracking number").check()
    question_card(page, MULTIPLE).get_by_label("Shipping fee").check()  # one of the two: no points
    question_card(page, TRUE_FALSE).get_by_label("True").check()
    question_card(page, SHORT).locator("textarea").fill("Listen first, then apologise and act.")
    page.screenshot(path=str(SCREENSHOTS / "quiz-take.png"), full_page=True)
    with page.expect_navigation():
        page.click("#submit-attempt")
    assert "Awaiting grading" in page.inner_text("#attempt-score")
    assert "Submitted. Your supervisor grades the written answers." in page.content()

    attempt_url = page.url
    page.context.clear_cookies()
    log_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/training/grading/")
    assert "Listen first, then apologise and act." in page.inner_text("#grading-queue")
    page.screenshot(path=str(SCREENSHOTS / "quiz-grading.png"), full_page=True)
    page.fill(".grade-form input[name=points]", "4")
    page.fill(".grade-form input[name=feedback]", "Good order of steps.")
    with page.expect_navigation():
        page.click(".grade-form button[type=submit]")
    assert "Nothing waits for your grading." in page.inner_text("#grading-queue")
    page.goto(f"{live_server.url}/training/courses/{floor['course'].pk}/quiz/results/")
    assert "Wang Fang" in page.inner_text("#results-people")
    first_question = page.locator("#results-questions tbody tr").first.inner_text()
    assert MULTIPLE["text"][:30] in first_question and "0%" in first_question
    page.screenshot(path=str(SCREENSHOTS / "quiz-results.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, live_server, "wang")
    page.goto(attempt_url)
    assert page.inner_text("#attempt-score") == "70.00%"  # 7 of 10 points
    assert page.inner_text("#attempt-passed") == "Passed"
    assert "Good order of steps." in page.content()
    page.screenshot(path=str(SCREENSHOTS / "quiz-attempt.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "quiz-attempt-phone.png"), full_page=True)


@pytest.fixture
def course_without_quiz(floor):
    Quiz.objects.filter(course=floor["course"]).delete()
    return floor["course"]


def test_a_supervisor_builds_a_quiz_with_the_page_script(live_server, course_without_quiz, browser_page):
    course = course_without_quiz
    page = browser_page
    log_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/training/courses/{course.pk}/quiz/edit/")
    first = page.locator("[data-question]").nth(0)
    first.locator("textarea").fill("Which courier do we use for Shanghai?")
    first.locator("input[type=text]").nth(0).fill("SF Express")
    first.locator("input[type=text]").nth(1).fill("EMS")
    first.locator("input[type=checkbox]").nth(0).check()

    page.click("#add-question")
    second = page.locator("[data-question]").nth(1)
    second.locator("textarea").fill("A refund needs the order number.")
    second.locator("[data-kind]").select_option("true_false")
    assert [value for value in second.locator("input[type=text]").evaluate_all("els => els.map(e => e.value)")] == [
        "True",
        "False",
    ]
    second.locator("input[type=checkbox]").nth(0).check()

    page.click("#add-question")
    third = page.locator("[data-question]").nth(2)
    third.locator("textarea").fill("Explain our return policy in two sentences.")
    third.locator("[data-kind]").select_option("short")
    assert third.locator("[data-choices-block]").is_hidden()
    third.locator("input[type=number]").fill("5")

    page.click("#add-question")
    page.locator("[data-question]").nth(3).locator("[data-remove-question]").click()
    page.fill("#id_pass_mark", "75")
    page.screenshot(path=str(SCREENSHOTS / "quiz-builder.png"), full_page=True)
    with page.expect_navigation():
        page.click("#save-quiz")
    assert "Quiz saved." in page.content()

    def saved():
        quiz = Quiz.objects.get(course=course)
        return (
            quiz.pass_mark,
            list(quiz.questions.values_list("kind", "points")),
            list(quiz.questions.get(kind="true_false").choices.values_list("is_correct", flat=True)),
            list(quiz.questions.get(kind="single").choices.values_list("text", "is_correct")),
        )

    assert in_own_thread(saved) == (
        75,
        [("single", 1), ("true_false", 1), ("short", 5)],
        [True, False],
        [("SF Express", True), ("EMS", False)],
    )
