"""The supervisor's team dashboard in headless Chromium: the numbers shown equal the JSON endpoint's, the table
sorts in place, the language switch works; screenshots in English and Chinese, on a laptop and a phone."""

import datetime as dt
import os
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests import test_browser
from tests.browser_support import CHROMIUM, SCREENSHOTS

# The shared fixtures of tests/test_browser.py: Chromium with a page, and the demo department seeded before it.
browser_page = test_browser.browser_page
demo_department = test_browser.demo_department

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]

HISTORY_DAYS = 30


def _agent_day(index: int, offset: int) -> dict:
    """A believable, deterministic day of one agent (`offset` days ago)."""
    chats = 18 + (index * 7 + offset * 5) % 17
    return {
        "conversations": chats,
        "messages_sent": chats * 6,
        "resolved": chats - (index + offset) % 4,
        "first_response_count": chats,
        "first_response_ms_sum": chats * (25_000 + 1_000 * ((index * 3 + offset) % 40)),
        "response_count": chats * 3,
        "response_ms_sum": chats * 3 * 38_000,
        "rated": chats // 2,
        "rating_sum": (chats // 2) * 4 + (index + offset) % 5,
        "rated_good": chats // 2 - (index + offset) % 3,
        "pre_sales": chats,
        "pre_sales_ordered": chats // 3 + index % 3,
        "sales_amount": Decimal(chats * (120 + 13 * index)),
    }


@pytest.fixture
def team_floor(demo_department):
    """A month of computed metrics, hourly volumes, targets, plans, QA reviews, complaints and last week's award
    for the demo pre-sales team; made before Playwright starts (no ORM call inside its event loop)."""
    from django.core.cache import cache
    from django.utils import timezone

    from conversations.models import Conversation
    from kpi.definitions import PART_NAMES
    from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume
    from kpi.targets import kpi_targets_cascade
    from plans.models import DailyPlan
    from qa_reviews.models import Complaint, Review, Scorecard
    from recognition.leaderboard import team_today
    from recognition.models import Award
    from teams.models import Role, Team, User

    cache.clear()
    team = Team.objects.get(name="Pre-sales")
    today = team_today(team)
    agents = list(User.objects.filter(memberships__team=team, memberships__role=Role.AGENT).order_by("username"))
    for offset in range(HISTORY_DAYS):
        day = today - dt.timedelta(days=offset)
        rows = [DailyAgentMetric(team=team, agent=a, date=day, **_agent_day(i, offset)) for i, a in enumerate(agents)]
        DailyAgentMetric.objects.bulk_create(rows)
        DailyTeamMetric.objects.create(
            team=team, date=day, **{part: sum(getattr(row, part) for row in rows) for part in PART_NAMES}
        )
        for hour in range(8, 23):
            busy = 40 if hour in (10, 11, 14, 20) else 25 if 9 <= hour <= 21 else 8
            HourlyVolume.objects.create(team=team, date=day, hour=hour, conversations=busy + (hour * 7 + offset) % 9)
    month = today.replace(day=1)
    for metric, value in (("conversations", 9000), ("sales_amount", 1_200_000), ("first_response_seconds", 40)):
        kpi_targets_cascade(team=team.parent, metric=metric, month=month, value=Decimal(value), apply=True)
    for agent in agents[:6]:
        DailyPlan.objects.update_or_create(agent=agent, date=today, defaults={"team": team, "status": "submitted"})
    for agent in agents[6:8]:
        DailyPlan.objects.update_or_create(agent=agent, date=today, defaults={"team": team, "status": "draft"})
    inspector, supervisor = User.objects.get(username="qa"), User.objects.get(username="sup.pre")
    card = Scorecard.objects.create(team=team, name="Chat quality", family=77)
    zone = zoneinfo.ZoneInfo(team.timezone)
    submitted = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(10), zone)
    for n, total in enumerate([52, 64, 71, 76, 78, 83, 85, 86, 88, 91, 94, 97]):
        chat = Conversation.objects.create(
            source="browser", external_id=f"team-qa-{n}", team=team, agent=agents[n % len(agents)], started_at=submitted
        )
        Review.objects.create(
            conversation=chat, team=team, agent=chat.agent, reviewer=inspector, scorecard=card, total=total,
            status="disputed" if n == 1 else "submitted", submitted_at=submitted,
            dispute_reason="顾客自己取消了订单，不是我的问题。" if n == 1 else "",
        )  # fmt: skip
    now = timezone.now()
    for summary, minutes_ago, owner in (("包装破损，要求补发", 12, agents[0]), ("物流三天未更新", 50, agents[1])):
        received = now - dt.timedelta(minutes=minutes_ago)
        Complaint.objects.create(
            team=team, summary=summary, category="logistics", customer="buyer-9", owner=owner, received_at=received,
            sla_minutes=30, first_response_due_at=received + dt.timedelta(minutes=30), created_by=supervisor,
        )  # fmt: skip
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    year, week, _ = last_monday.isocalendar()
    Award.objects.get_or_create(
        team=team, kind="weekly", period=f"{year}-W{week:02d}",
        defaults={"period_start": last_monday, "period_end": last_monday + dt.timedelta(days=6),
                  "winner": agents[3], "score": Decimal("84.2500")},
    )  # fmt: skip
    return team


def _half_up(value, digits: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def percent(value) -> str:
    return "—" if value is None else f"{_half_up(value)}%"


def shown(metric: str, value) -> str:
    """How the page writes a figure in English (written out here, not borrowed from the page's code)."""
    if value is None:
        return "—"
    if metric in ("resolution_rate", "conversion_rate"):
        return f"{_half_up(100 * value, 1)}%"
    if metric == "csi":
        return f"{_half_up(value, 1)}%"
    if metric.endswith("_seconds"):
        return f"{_half_up(value)} s"
    if metric in ("sales_amount", "csat_avg", "qa_score_avg"):
        return f"{_half_up(value, 2):,}"
    return f"{_half_up(value):,}"


def _log_in(page, live_server, username="sup.pre"):
    from demo.department import DEMO_PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_the_numbers_shown_are_the_apis_and_the_page_speaks_chinese(live_server, team_floor, browser_page):
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/team/")
    page.wait_for_function("document.getElementById('trend-chart').chart !== undefined")
    data = page.request.get(f"{live_server.url}/api/v1/dashboard/team/?team={team_floor.pk}").json()
    assert data["team"]["name"] == "Pre-sales" and page.locator("h1").inner_text() == "Pre-sales dashboard"

    for row in data["glance"]:
        card = page.locator(f'#glance [data-metric="{row["metric"]}"]')
        for span in ("today", "week"):
            figure, block = row[span], card.locator(f'[data-span="{span}"]')
            assert block.locator('[data-field="actual"]').inner_text() == shown(row["metric"], figure["actual"])
            if figure["target"] is not None:
                assert block.locator('[data-field="target"]').inner_text() == shown(row["metric"], figure["target"])
                assert block.locator('[data-field="percent"]').inner_text() == percent(figure["percent"])
    conversations = next(row for row in data["glance"] if row["metric"] == "conversations")
    assert conversations["today"]["actual"] > 0 and conversations["today"]["target"] > 0

    plotted = page.evaluate("document.getElementById('trend-chart').chart.data.datasets[0].data")
    assert plotted == [point["actual"] for point in data["trend"]["points"]]

    rows = data["agents"]["rows"]
    assert page.locator("#agents-table tbody tr[data-agent]").count() == len(rows) == 11
    for row in rows:
        line = page.locator(f'#agents-table tr[data-agent="{row["username"]}"]')
        for metric in ("conversations", "sales_amount", "first_response_seconds", "resolution_rate"):
            assert line.locator(f'td[data-key="{metric}"]').inner_text() == shown(metric, row["metrics"][metric])
        figure = row["attainment"]["conversations"]
        assert line.locator('td[data-key="conversations_attainment"]').inner_text() == percent(figure["percent"])

    assert page.inner_text("#plans-submitted") == str(data["plans"]["submitted"]) == "6"
    assert page.inner_text("#qa-average") == str(_half_up(data["qa"]["average"], 1))
    assert page.inner_text("#open-disputes") == str(data["qa"]["open_disputes"]) == "1"
    assert [int(n) for n in page.locator("#qa-buckets td[data-bucket]").all_inner_texts()] == [
        bucket["count"] for bucket in data["qa"]["buckets"]
    ]
    assert page.inner_text("#complaints-open") == str(data["complaints"]["open"]) == "2"
    busiest = data["heatmap"]["busiest"][0]
    cell = page.locator("#heatmap tbody tr").nth(busiest["weekday"] - 1).locator("td").nth(busiest["hour"])
    assert cell.inner_text() == str(busiest["conversations"]) and "busiest" in cell.get_attribute("class")
    board = page.locator("#leaderboard tbody tr")
    assert board.count() == len(data["leaderboard"]["rows"]) == 5
    assert board.first.get_attribute("data-agent") == data["leaderboard"]["rows"][0]["username"]
    assert page.inner_text("#award-winner") == data["award"]["winner"]
    page.screenshot(path=str(SCREENSHOTS / "dashboard-team-en.png"), full_page=True)

    # Sorting in place: the busiest agent first after two clicks; the address and the export keep the order.
    header = page.locator('#agents-table th[data-sort-key="conversations"] a')
    header.click()
    header.click()
    most = max(rows, key=lambda row: (row["metrics"]["conversations"], row["username"]))
    assert page.locator("#agents-table tbody tr").first.get_attribute("data-agent") == most["username"]
    assert "sort=-conversations" in page.url
    assert "sort=-conversations" in page.get_attribute('#export-links a[data-format="csv"]', "href")

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator('#glance [data-metric="conversations"] .fw-semibold').first.inner_text().startswith("会话")
    assert page.locator('#glance [data-metric="first_response_seconds"]').inner_text().startswith("首次响应")
    assert page.locator('#agents-table th[data-sort-key="sales_amount"]').inner_text().strip().startswith("销售额")
    page.wait_for_function("document.getElementById('trend-chart').chart !== undefined")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-team-zh.png"), full_page=True)
    assert errors == []


def test_on_a_phone(live_server, team_floor, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/team/?metric=first_response_seconds")
    page.wait_for_function("document.getElementById('trend-chart').chart !== undefined")
    # Nothing but the wide tables scrolls sideways: the page itself fits the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "dashboard-team-phone.png"), full_page=True)


def test_an_agent_and_a_foreign_supervisor_get_404(live_server, team_floor, browser_page):
    page = browser_page
    for username in ("wang", "sup.after"):
        page.context.clear_cookies()
        _log_in(page, live_server, username)
        response = page.goto(f"{live_server.url}/dashboard/team/?team={team_floor.pk}")
        assert response.status == 404, username
