"""The team wall and the leaderboard in headless Chromium: an agent finds their rank, in English and Chinese."""

import datetime as dt
import os
from decimal import Decimal

import pytest

from tests.browser_support import CHROMIUM, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]

# Conversations this week and last week of the demo pre-sales agents: wang (王芳) is seventh now, second before.
THIS_WEEK = {
    "zhang.wei": 60,
    "liu.yang": 55,
    "chen.jing": 52,
    "yang.fan": 48,
    "zhao.lei": 45,
    "huang.li": 40,
    "wang": 38,
    "wu.hao": 30,
    "zhou.ting": 22,
    "xu.ming": 18,
}
LAST_WEEK = {"wang": 58, "zhang.wei": 61, "liu.yang": 40, "chen.jing": 35, "yang.fan": 30, "zhao.lei": 50}


@pytest.fixture
def wall_data(transactional_db):
    """The demo department with a week of figures, last week's award, kudos and a good case; made before
    Playwright starts (no ORM call inside its event loop)."""
    from django.utils import timezone

    from conversations.models import Conversation
    from demo.department import seed_demo_department
    from kpi.models import DailyAgentMetric
    from recognition.leaderboard import WEEK, period_of, team_today
    from recognition.models import Award, GoodCase, Kudos
    from teams.models import Team, User

    seed_demo_department(today=timezone.localdate())
    team = Team.objects.get(name="Pre-sales")
    people = {user.username: user for user in User.objects.all()}
    week = period_of(WEEK, team_today(team))
    for figures, monday in ((THIS_WEEK, week.start), (LAST_WEEK, week.previous.start)):
        for username, conversations in figures.items():
            DailyAgentMetric.objects.create(
                team=team,
                agent=people[username],
                date=monday,
                conversations=conversations,
                # the same quality for everyone, so the composite score ranks by volume like the conversations
                rated=10,
                rating_sum=45,
                first_response_count=10,
                first_response_ms_sum=200_000,
            )
    last = week.previous
    Award.objects.create(
        team=team,
        kind="weekly",
        period=last.key,
        period_start=last.start,
        period_end=last.end,
        winner=people["zhang.wei"],
        score=Decimal("86.4000"),
        runner_up=people["wang"],
        margin=Decimal("3.1000"),
        breakdown={
            "winner_id": people["zhang.wei"].pk,
            "no_winner_reason": "",
            "candidates": [
                {"rank": rank, "username": name, "display_name": str(people[name]), "total": total, "eligible": ok}
                for rank, (name, total, ok) in enumerate(
                    [
                        ("zhao.lei", 90.2, False),
                        ("zhang.wei", 86.4, True),
                        ("wang", 83.3, True),
                        ("liu.yang", 70.5, True),
                    ],
                    start=1,
                )
            ],
        },
    )
    Award.objects.create(
        team=team,
        kind="special",
        period_start=week.start,
        period_end=week.start,
        winner=people["chen.jing"],
        citation="双十一当天接待 300 位顾客，零差评。",
        granted_by=people["sup.pre"],
    )
    for giver, receiver, value, message in (
        ("zhang.wei", "wang", "patience", "谢谢你耐心地帮我处理了那位退货的顾客！"),
        ("sup.pre", "wang", "expertise", "Great product knowledge on the sizing question."),
        ("wang", "liu.yang", "teamwork", "谢谢帮我顶班。"),
    ):
        Kudos.objects.create(team=team, giver=people[giver], receiver=people[receiver], value=value, message=message)
    chat = Conversation.objects.create(
        source="demo",
        external_id="wall-good-case",
        team=team,
        agent=people["wang"],
        category="pre_sales",
        started_at=timezone.now() - dt.timedelta(days=2),
        resolved=True,
        rating=5,
    )
    GoodCase.objects.create(
        team=team, conversation=chat, marked_by=people["qa"], note="顾客问尺码，王芳主动给出对照表并推荐了合适的款式。"
    )
    return team


@pytest.fixture
def wall_page(live_server, wall_data, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
        browser.close()


def log_in(page, base_url: str, username: str) -> None:
    from demo.department import DEMO_PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_an_agent_opens_the_wall_and_the_leaderboard_and_sees_their_rank(live_server, wall_page):
    page = wall_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server.url, "wang")

    page.goto(f"{live_server.url}/recognition/wall/")
    assert page.locator("#weekly-winner").inner_text() == "张伟"
    assert "3.1 points ahead of 王芳" in page.locator("#weekly-award").inner_text()
    podium = page.locator("#weekly-podium").inner_text()
    assert "张伟" in podium and "刘洋" in podium and "赵磊" not in podium  # the ineligible top scorer stays off
    wall_board = page.locator("#wall-leaderboard tbody tr[data-agent]")
    assert wall_board.count() == 6  # the top five and wang's own row
    own = page.locator("#wall-leaderboard tr[data-own-row]")
    assert own.get_attribute("data-agent") == "wang"
    assert "谢谢你耐心地帮我处理了那位退货的顾客！" in page.locator("#wall-kudos").inner_text()
    counts = page.locator("#wall-kudos-counts").inner_text()
    assert "王芳" in counts and "2" in counts
    assert "Read the conversation" in page.locator("#wall-good-cases").inner_text()  # her own chat
    page.screenshot(path=str(SCREENSHOTS / "recognition-wall-en.png"), full_page=True)

    with page.expect_navigation():
        page.click("#wall-board a")
    assert "/recognition/leaderboard/" in page.url
    page.select_option("#board-metric", "conversations")
    page.wait_for_selector("#own-rank")
    assert page.locator("#own-rank .display-6").inner_text() == "#7"
    rows = page.locator("#leaderboard tbody tr[data-agent]")
    assert [rows.nth(n).get_attribute("data-agent") for n in range(rows.count())] == [
        "zhang.wei",
        "liu.yang",
        "chen.jing",
        "yang.fan",
        "zhao.lei",
        "wang",
    ]
    own_row = page.locator("#leaderboard tr[data-own-row]")
    assert own_row.get_attribute("data-agent") == "wang"
    assert own_row.locator("[data-change=down]").inner_text().strip().startswith("▼")
    assert "huang.li" not in page.content() and "黄丽" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "recognition-leaderboard-en.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#own-rank .display-6").inner_text() == "#7"
    page.screenshot(path=str(SCREENSHOTS / "recognition-leaderboard-zh.png"), full_page=True)
    page.goto(f"{live_server.url}/recognition/wall/")
    assert page.locator("#wall-leaderboard tr[data-own-row]").get_attribute("data-agent") == "wang"
    page.screenshot(path=str(SCREENSHOTS / "recognition-wall-zh.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/recognition/wall/")
    page.screenshot(path=str(SCREENSHOTS / "recognition-wall-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/recognition/leaderboard/")
    page.screenshot(path=str(SCREENSHOTS / "recognition-leaderboard-phone.png"), full_page=True)


def test_a_supervisor_sees_the_whole_board_and_steps_back_a_week(live_server, wall_page):
    page = wall_page
    log_in(page, live_server.url, "sup.pre")
    page.goto(f"{live_server.url}/recognition/leaderboard/?metric=conversations")
    rows = page.locator("#leaderboard tbody tr[data-agent]")
    assert rows.count() == len(THIS_WEEK)
    assert page.locator("#own-rank").count() == 0
    with page.expect_navigation():
        page.click("#period-nav a[rel=prev]")
    assert rows.count() == len(LAST_WEEK)
    assert rows.first.get_attribute("data-agent") == "zhang.wei"
    page.screenshot(path=str(SCREENSHOTS / "recognition-leaderboard-supervisor.png"), full_page=True)
