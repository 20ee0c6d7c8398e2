"""The manager's overview and the staffing advice in headless Chromium, on four weeks of demo chats:
the numbers on the page are the API's, in English and Chinese; an agent gets 404."""

import datetime as dt
import os
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]

HISTORY_DAYS = 29  # four weeks of the same weekday before today, for the staffing advice


@pytest.fixture
def demo_floor(transactional_db):
    """The demo department with four weeks of chats, QA reviews, metrics and this month's targets; made
    before Playwright starts (no ORM call inside its event loop)."""
    from django.utils import timezone

    from demo.chats import demo_chats_seed
    from demo.department import seed_demo_department
    from demo.kpi import demo_kpi_seed
    from demo.qa import demo_qa_seed
    from kpi.targets import kpi_targets_cascade
    from teams.models import Team

    today = timezone.localdate()
    seed_demo_department(today=today, history_days=HISTORY_DAYS)
    department = Team.objects.get(name="Online Customer Service", parent=None)
    demo_chats_seed(department=department, today=today, days=HISTORY_DAYS)
    demo_qa_seed(department=department)
    demo_kpi_seed(department=department, today=today, days=HISTORY_DAYS)
    # The demo sets this month's targets; last month's too, so the last 30 days are measured against targets.
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for metric, value in (("sales_amount", 600000), ("conversations", 5000), ("first_response_seconds", 90)):
        kpi_targets_cascade(team=department, metric=metric, month=last_month, value=Decimal(value), apply=True)
    return {team.name: team.pk for team in Team.objects.filter(parent=department)}


@pytest.fixture
def browser(live_server, demo_floor, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser


def _log_in(browser, live_server, username: str, viewport=None):
    from demo.department import DEMO_PASSWORD

    page = browser.new_page(viewport=viewport or {"width": 1366, "height": 900}, locale="en-US")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def _number(text: str) -> float | None:
    """The figure in a cell as shown: "1,234.50" → 1234.5, "51.4 s" → 51.4, "72.5%" → 72.5, "—" → None."""
    match = re.search(r"-?[\d,]+(?:\.\d+)?", text)
    return None if match is None else float(match.group().replace(",", ""))


def _as_shown(value, places: int) -> float | None:
    """Rounded as Django's floatformat rounds (half up), not as Python's round (half to even)."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# field: decimals the page shows
OVERVIEW_FIELDS = {
    "conversations": 0,
    "first_response_seconds": 1,
    "resolution_percent": 1,
    "csat_avg": 2,
    "conversion_percent": 1,
    "sales_amount": 2,
    "qa_score_avg": 1,
}


def _assert_overview_matches_the_api(page, live_server) -> dict:
    query = page.url.split("?", 1)[1]
    body = page.request.get(f"{live_server.url}/api/v1/dashboard/manager/?{query}").json()
    assert [row["team"] for row in body["teams"]] == ["After-sales", "Pre-sales"]
    for row in [*body["teams"], body["total"]]:
        line = page.locator(f'#team-overview tr[data-team="{row["team_id"] or "total"}"]')
        for field, places in OVERVIEW_FIELDS.items():
            shown = _number(line.locator(f'td[data-field="{field}"]').inner_text().split("(")[0])  # not "(n reviews)"
            expected = _as_shown(row[field], places)
            assert shown == expected, (row["team"], field, shown, expected)
        percents = [_number(cell.inner_text()) for cell in line.locator('td[data-field="attainment"]').all()]
        by_metric = {item["metric"]: item["percent"] for item in row["attainment"]}
        assert percents == [by_metric.get(metric) for metric in body["targeted_metrics"]]
        if row["team_id"]:
            short = line.locator('td[data-field="staffing"] [data-short-hours]')
            if row["staffing"]["weeks_with_data"]:
                assert int(short.get_attribute("data-short-hours")) == len(row["staffing"]["short_hours"])
    assert body["teams"][1]["conversations"] > 0 and body["targeted_metrics"]
    return body


def _assert_staffing_matches_the_api(page, live_server) -> dict:
    query = page.url.split("?", 1)[1]  # the page's own parameters: team, date and targets
    body = page.request.get(f"{live_server.url}/api/v1/dashboard/staffing/?{query}").json()
    assert body["weeks_with_data"] == 4 and body["aht_seconds"] > 0
    assert page.locator('[data-figure="short_hours"]').inner_text() == str(len(body["short_hours"]))
    assert _number(page.locator('[data-figure="aht_seconds"]').inner_text()) == _as_shown(body["aht_seconds"], 0)
    shown_hours = 0
    for hour in body["hours"]:
        row = page.locator(f'#staffing-hours tr[data-hour="{hour["hour"]:02d}:00"]')
        if not (hour["expected_conversations"] or hour["needed"] or hour["scheduled"]):
            assert row.count() == 0
            continue
        shown_hours += 1
        cells = {
            field: row.locator(f'td[data-field="{field}"]').inner_text()
            for field in ("expected_conversations", "needed", "scheduled", "gap")
        }
        assert _number(cells["expected_conversations"]) == _as_shown(hour["expected_conversations"], 1)
        assert _number(cells["needed"]) == hour["needed"]
        assert _number(cells["scheduled"]) == _as_shown(hour["scheduled"], 2)
        assert _number(cells["gap"]) == _as_shown(hour["gap"], 2)
        assert ("table-danger" in (row.get_attribute("class") or "")) == hour["short"]
    assert shown_hours >= 9
    return body


def test_the_manager_reads_every_team_and_the_staffing_advice(live_server, browser, demo_floor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _log_in(browser, live_server, "manager")
    page.goto(f"{live_server.url}/dashboard/manager/")
    with page.expect_navigation():
        page.click("#quick-periods >> text=Last 30 days")  # four weeks of chats; this month may have just begun
    page.wait_for_function("Chart.getChart(document.getElementById('attainment-chart')) !== undefined")
    _assert_overview_matches_the_api(page, live_server)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-manager-en.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    _assert_overview_matches_the_api(page, live_server)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-manager-zh.png"), full_page=True)

    href = page.locator(f'#team-overview tr[data-team="{demo_floor["Pre-sales"]}"] a.team-link').get_attribute("href")
    assert href == f"/dashboard/team/?team={demo_floor['Pre-sales']}"

    page.goto(f"{live_server.url}/dashboard/staffing/?team={demo_floor['Pre-sales']}")
    page.wait_for_function("Chart.getChart(document.getElementById('staffing-chart')) !== undefined")
    _assert_staffing_matches_the_api(page, live_server)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-staffing-zh.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#language-switch select", "en")
    page.fill("#id_service_level", "95")
    page.fill("#id_answer_seconds", "10")
    with page.expect_navigation():
        page.click("#staffing-form button[type=submit]")
    assert "service_level=95" in page.url
    strict = _assert_staffing_matches_the_api(page, live_server)
    assert (strict["targets"]["service_level"], strict["targets"]["answer_seconds"]) == (95, 10)
    page.wait_for_function("Chart.getChart(document.getElementById('staffing-chart')) !== undefined")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-staffing-en.png"), full_page=True)

    phone = _log_in(browser, live_server, "manager", viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/dashboard/manager/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls inside its card
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-manager-phone.png"), full_page=True)


def test_an_agent_and_a_supervisor_of_the_other_team_get_404(live_server, browser, demo_floor):
    agent = _log_in(browser, live_server, "wang")
    assert agent.goto(f"{live_server.url}/dashboard/manager/").status == 404
    assert agent.goto(f"{live_server.url}/dashboard/staffing/?team={demo_floor['Pre-sales']}").status == 404
    supervisor = _log_in(browser, live_server, "sup.after")
    assert supervisor.goto(f"{live_server.url}/dashboard/staffing/?team={demo_floor['Pre-sales']}").status == 404
    assert supervisor.goto(f"{live_server.url}/dashboard/manager/").status == 200
    assert supervisor.locator("#team-overview tbody tr").count() == 1
