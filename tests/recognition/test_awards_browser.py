"""The award page in headless Chromium: a supervisor reads why this week's best agent won (every row), an agent
reads the top of the table and their own row, on a laptop and a phone, in English and Chinese; award settings."""

import datetime as dt
import os
from decimal import Decimal

import pytest

from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]

WEEK = "2026-W47"
MONDAY = dt.date(2026, 11, 16)
# username: (conversations a day, CSAT, first response seconds, QA reviews, QA average)
WEEK_OF = {
    "wang": (42, 4.8, 35, 2, 92),
    "zhang.wei": (55, 4.3, 28, 2, 85),
    "liu.yang": (19, 5.0, 20, 2, 98),
    "chen.jing": (38, 4.6, 45, 0, 0),
    "yang.fan": (30, 4.5, 50, 1, 80),
    "zhao.lei": (35, 4.1, 38, 1, 78),
    "huang.li": (28, 4.7, 60, 2, 88),
    "wu.hao": (44, 3.9, 33, 1, 70),
}


@pytest.fixture
def floor(transactional_db):
    """The demo department, a week of metrics for four agents, the week's award and a special one."""
    from django.utils import timezone

    from demo.department import seed_demo_department
    from kpi.models import DailyAgentMetric, ScoreWeight
    from recognition.awards import award_special_grant, award_weekly_grant
    from recognition.models import AwardSettings
    from teams.models import Team, User

    seed_demo_department(today=timezone.localdate())
    team = Team.objects.get(name="Pre-sales")
    people = {user.username: user for user in User.objects.all()}
    for metric, weight in (("conversations", 2), ("csat_avg", 3), ("first_response_seconds", 1), ("qa_score_avg", 2)):
        ScoreWeight.objects.update_or_create(team=team, metric=metric, defaults={"weight": Decimal(weight)})
    AwardSettings.objects.update_or_create(team=team, defaults={"min_conversations": 100, "min_qa_reviews": 1})
    for username, (conversations, csat, first_response, reviews, qa_average) in WEEK_OF.items():
        for day in range(5):
            DailyAgentMetric.objects.update_or_create(
                team=team,
                agent=people[username],
                date=MONDAY + dt.timedelta(days=day),
                defaults={
                    "conversations": conversations,
                    "resolved": conversations,
                    "rated": 10,
                    "rating_sum": round(csat * 10),
                    "rated_good": 9,
                    "first_response_count": conversations,
                    "first_response_ms_sum": first_response * 1000 * conversations,
                    "qa_reviews": reviews if day == 0 else 0,
                    "qa_score_sum": Decimal(reviews * qa_average) if day == 0 else Decimal(0),
                },
            )
    weekly = award_weekly_grant(team=team, week=WEEK)
    special = award_special_grant(
        team=team, winner=people["chen.jing"], citation="接手了双十一当晚所有的投诉，零差评。", actor=people["sup.pre"]
    )
    return {"team": team.pk, "weekly": weekly.pk, "special": special.pk}


@pytest.fixture
def browser(live_server, floor, monkeypatch):
    with chromium_launched(monkeypatch) as browser:
        yield browser


def _logged_in(browser, live_server, username, **context_options):
    from demo.department import DEMO_PASSWORD

    page = browser.new_context(locale="en-US", **context_options).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def test_a_supervisor_and_an_agent_read_why_this_person_won(live_server, browser, floor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _logged_in(browser, live_server, "sup.pre", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/recognition/awards/{floor['weekly']}/")
    assert page.locator("#candidates tbody tr").count() == len(WEEK_OF)
    assert "Ranked higher but not eligible" in page.locator("#award-why").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "award-detail-en.png"), full_page=True)

    page.goto(f"{live_server.url}/recognition/awards/")
    page.click("#grant-special summary")
    page.screenshot(path=str(SCREENSHOTS / "award-list-en.png"), full_page=True)
    page.goto(f"{live_server.url}/recognition/teams/{floor['team']}/award-settings/")
    page.screenshot(path=str(SCREENSHOTS / "award-settings-en.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    page.goto(f"{live_server.url}/recognition/awards/{floor['weekly']}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=str(SCREENSHOTS / "award-detail-zh.png"), full_page=True)
    page.goto(f"{live_server.url}/recognition/awards/{floor['special']}/")
    assert "零差评" in page.locator("#award-citation").inner_text()

    phone = _logged_in(browser, live_server, "chen.jing", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{live_server.url}/recognition/awards/{floor['weekly']}/")
    assert phone.locator("#award-winner").is_visible()
    assert phone.locator("#candidates tbody tr[data-agent]").count() <= 5  # the top, winner, runner-up, their own
    assert phone.locator("#hidden-candidates").is_visible()
    phone.screenshot(path=str(SCREENSHOTS / "award-detail-phone.png"), full_page=True)
