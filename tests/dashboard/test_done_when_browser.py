"""Issue 9's "done when", on the demo exactly as `seed_demo` makes it: a supervisor, an agent and a manager open
their page in headless Chromium, read the numbers the API gives, see the charts drawn, switch to Chinese, and
download the tables, which open as spreadsheets. (Each page's every figure is checked in its own browser test.)"""

import csv
import io
import os

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]


@pytest.fixture
def demo(transactional_db):
    """Seeded before Playwright starts (no ORM call inside its event loop)."""
    call_command("seed_demo", "--chat-days", "7", stdout=io.StringIO())


@pytest.fixture
def browser(live_server, demo, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser


def _log_in(browser, live_server, username: str):
    from demo.department import DEMO_PASSWORD

    page = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def _to_chinese(page) -> None:
    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def _download(page, selector: str) -> bytes:
    with page.expect_download() as download:
        page.click(selector)
    return open(download.value.path(), "rb").read()


def test_the_supervisor_reads_the_team_dashboard_and_downloads_the_agents(live_server, browser):
    page = _log_in(browser, live_server, "sup.pre")
    page.click("#nav-team-dashboard")
    page.wait_for_function("document.getElementById('trend-chart').chart !== undefined")
    team_id = page.locator("#id_team").input_value()
    data = page.request.get(f"{live_server.url}/api/v1/dashboard/team/?team={team_id}").json()
    assert page.locator("h1").inner_text() == f"{data['team']['name']} dashboard"
    plotted = page.evaluate("document.getElementById('trend-chart').chart.data.datasets[0].data")
    assert plotted == [point["actual"] for point in data["trend"]["points"]]
    assert any(value for value in plotted), "seven days of demo chats are on the line"
    rows = data["agents"]["rows"]
    shown = page.locator("#agents-table tbody tr[data-agent]")
    assert shown.count() == len(rows) > 0
    for row in rows:
        cell = page.locator(f'#agents-table tr[data-agent="{row["username"]}"] td[data-key="conversations"]')
        expected = row["metrics"]["conversations"]
        assert cell.inner_text() == ("—" if expected is None else f"{expected:g}")

    sheet = load_workbook(io.BytesIO(_download(page, '#export-links a[data-format="xlsx"]'))).active
    assert sheet.max_row == len(rows) + 1  # a header, then one row per agent

    _to_chinese(page)
    assert page.locator("h1").inner_text() == f"{data['team']['name']} 看板"
    page.wait_for_function("document.getElementById('trend-chart').chart !== undefined")
    page.screenshot(path=str(SCREENSHOTS / "done-when-team-zh.png"), full_page=True)


def test_the_agent_reads_my_day(live_server, browser):
    page = _log_in(browser, live_server, "chen.jing")
    page.click("nav >> text=My day")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend-chart'))")
    today = page.request.get(f"{live_server.url}/api/v1/me/today/").json()
    extras = page.request.get(f"{live_server.url}/api/v1/dashboard/me/").json()
    targets = page.locator("#my-targets .target-row")
    assert targets.count() == len(today["progress"])  # none before the shift starts, the plan's after
    for index, expected in enumerate(today["progress"]):
        assert targets.nth(index).get_attribute("data-metric") == expected["metric"]
        if expected["actual"] is not None:
            assert float(targets.nth(index).get_attribute("data-actual")) == pytest.approx(expected["actual"])
    assert page.locator("#my-tasks").get_attribute("data-count") == str(len(today["tasks"]))
    assert page.locator("#my-learning").get_attribute("data-count") == str(extras["learning_due_count"])
    plotted = page.evaluate("Chart.getChart(document.getElementById('trend-chart')).data.datasets[0].data")
    assert [point for point in plotted if point is not None] == [
        day["conversations"] for day in extras["trend"] if day["conversations"] is not None
    ]
    assert sum(point or 0 for point in plotted) > 0, "the week of demo chats shows in the trend"

    _to_chinese(page)
    assert page.locator("h1").inner_text().startswith("我的一天")
    page.screenshot(path=str(SCREENSHOTS / "done-when-my-day-zh.png"), full_page=True)


def test_the_manager_reads_every_team_and_downloads_the_overview(live_server, browser):
    page = _log_in(browser, live_server, "manager")
    page.click("#nav-manager-overview")
    with page.expect_navigation():
        page.click("#quick-periods >> text=Last 7 days")
    page.wait_for_function("Chart.getChart(document.getElementById('attainment-chart')) !== undefined")
    query = page.url.split("?", 1)[1]
    body = page.request.get(f"{live_server.url}/api/v1/dashboard/manager/?{query}").json()
    assert len(body["teams"]) >= 2 and body["total"]["conversations"] > 0
    for row in [*body["teams"], body["total"]]:
        cell = page.locator(
            f'#team-overview tr[data-team="{row["team_id"] or "total"}"] td[data-field="conversations"]'
        )
        assert cell.inner_text().replace(",", "") == str(row["conversations"])

    table = list(csv.reader(io.StringIO(_download(page, "#export-csv").decode("utf-8-sig"))))
    assert len(table) == 1 + len(body["teams"]) + 1  # a header, every team, the total
    assert load_workbook(io.BytesIO(_download(page, "#export-xlsx"))).active.max_row == len(table)

    _to_chinese(page)
    assert page.locator("h1").inner_text().startswith("管理总览")
    page.wait_for_function("Chart.getChart(document.getElementById('attainment-chart')) !== undefined")
    page.screenshot(path=str(SCREENSHOTS / "done-when-manager-zh.png"), full_page=True)
