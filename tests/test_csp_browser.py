"""The Content-Security-Policy allows no inline script: every page still works in headless Chromium with no
violation reported, including the API docs and the admin; the shared behaviours (pickers that submit their
form, forms that ask first) come from static/js/app.js."""

import io
import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser_support import CHROMIUM, chromium_launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


@pytest.fixture
def floor(transactional_db):
    """The seeded demo and an administrator, made before Playwright starts (no ORM call inside its loop)."""
    from teams.models import Responsibility, Team, User

    call_command("seed_demo", "--chat-days", "2", stdout=io.StringIO())
    User.objects.create_superuser("root", "root@example.com", "root-pass-2026")
    team = Team.objects.get(name="Pre-sales")
    return {
        "team": team.pk,
        "responsibilities": Responsibility.objects.filter(team=team).count(),
        "pages": [
            reverse("dashboard-my-day"),
            reverse("dashboard-team"),
            reverse("dashboard-manager"),
            reverse("dashboard-staffing"),
            reverse("team-responsibilities", args=[team.pk]),
            reverse("qa-review-list"),
            reverse("complaint-list"),
            reverse("training-home"),
            reverse("recognition-wall"),
            reverse("recognition-leaderboard"),
            reverse("conversation-list"),
            reverse("kpi-performance"),
            reverse("api-docs"),
            reverse("admin:index"),
        ],
    }


@pytest.fixture
def browser(live_server, floor, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser


def _logged_in(browser, live_server, username: str, password: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.problems = []

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.problems.append(message.text)  # a blocked script or style says "Refused to ..."

    def response(answer):
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):  # the admin names no icon
            page.problems.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def test_every_page_runs_under_the_policy(live_server, browser, floor):
    page = _logged_in(browser, live_server, "root", "root-pass-2026")
    for path in floor["pages"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        assert page.problems == [], (path, page.problems)
    page.goto(f"{live_server.url}{reverse('api-docs')}")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)  # the docs' script ran


def test_pickers_submit_and_forms_ask_first(live_server, browser, floor):
    page = _logged_in(browser, live_server, "sup.pre", "demo-pass-2026")
    page.goto(f"{live_server.url}{reverse('recognition-leaderboard')}?team={floor['team']}")
    with page.expect_navigation():
        page.select_option("#board-period", "month")
    assert "period=month" in page.url and "key=&" in page.url + "&"  # the period's key is emptied first

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.goto(f"{live_server.url}{reverse('team-responsibilities', args=[floor['team']])}")
    remove = page.locator("form[data-confirm] button[type=submit]")
    if not remove.count():
        pytest.skip("the demo team has no responsibility rows")
    page.once("dialog", lambda dialog: dialog.dismiss())
    remove.first.click()
    page.wait_for_timeout(300)
    assert page.locator("form[data-confirm]").count() == floor["responsibilities"]  # dismissed: nothing removed
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        remove.first.click()
    assert page.locator("form[data-confirm]").count() == floor["responsibilities"] - 1
    assert page.problems == []
