"""Kudos and good cases in headless Chromium: an agent thanks a colleague, a supervisor shares a great chat."""

import datetime as dt
import os

import pytest

from tests.browser_support import CHROMIUM, SCREENSHOTS, chromium_launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]

CHAT = [
    ("customer", "你好，我是 buyer-5566，订单 2026112012345 还没发货？"),
    ("agent", "您好！非常抱歉让您久等了，我马上帮您查一下物流。"),
    ("agent", "已经查到了：包裹今天下午发出，明天送达。为表歉意，送您一张10元优惠券。"),
    ("customer", "谢谢，服务真好！"),
]


@pytest.fixture
def floor(transactional_db):
    """The demo department, some kudos and one of wang's chats; made before Playwright starts."""
    from django.utils import timezone

    from conversations.models import Conversation, Message
    from demo.department import seed_demo_department
    from recognition import kudos
    from recognition.models import Kudos
    from teams.models import Team, User

    seed_demo_department(today=timezone.localdate())
    team = Team.objects.get(name="Pre-sales")
    people = {user.username: user for user in User.objects.all()}
    thanks = [
        ("zhang.wei", "liu.yang", "patience", "耐心地帮一位老顾客退换了三次尺码。"),
        ("sup.pre", "wang", "ownership", "Stayed late to close every open chat before the campaign."),
        ("chen.jing", "wang", "teamwork", "帮我接了午饭时间的排队，谢谢！"),
        ("liu.yang", "zhang.wei", "expertise", "Explained the warranty terms better than the manual."),
    ]
    for minutes, (giver, receiver, value, message) in enumerate(thanks):
        given = kudos.kudos_give(giver=people[giver], receiver=people[receiver], value=value, message=message)
        Kudos.objects.filter(pk=given.pk).update(created_at=given.created_at - dt.timedelta(minutes=10 * minutes))
    started = timezone.now() - dt.timedelta(hours=3)
    chat = Conversation.objects.create(
        source="shopchat",
        external_id="browser-1",
        team=team,
        agent=people["wang"],
        customer="buyer-5566",
        category="pre_sales",
        started_at=started,
        rating=5,
        resolved=True,
    )
    for minute, (sender, text) in enumerate(CHAT):
        Message.objects.create(
            conversation=chat,
            sender=sender,
            text=text,
            sent_at=started + dt.timedelta(minutes=minute),
            fingerprint=f"browser:{minute}",
        )
    return {"team": team.pk, "chat": chat.pk, "colleague": people["zhang.wei"].pk}


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


def test_an_agent_thanks_a_colleague_from_the_form(live_server, browser, floor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _logged_in(browser, live_server, "wang", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/recognition/kudos/new/?team={floor['team']}")
    page.select_option("#id_receiver", str(floor["colleague"]))
    page.click("label[for=id_value_1]")  # Expertise
    page.fill("#id_message", "Thanks for showing me the new returns flow!")
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # let the value button's colour transition end
    page.screenshot(path=str(SCREENSHOTS / "kudos-form-en.png"), full_page=True)
    page.click("#kudos-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/recognition/wall/?team={floor['team']}")
    assert "Kudos sent to" in page.content()

    page.goto(f"{live_server.url}/recognition/kudos/?team={floor['team']}")
    assert page.locator("#kudos .kudos-item").count() == 5
    assert "Thanks for showing me the new returns flow!" in page.locator("#kudos").inner_text()
    assert page.locator("#kudos-counts tbody tr").count() >= 4
    page.screenshot(path=str(SCREENSHOTS / "kudos-list-en.png"), full_page=True)

    # The same colleague twice in one day: the form explains the limit.
    page.goto(f"{live_server.url}/recognition/kudos/new/?team={floor['team']}")
    page.select_option("#id_receiver", str(floor["colleague"]))
    page.click("label[for=id_value_0]")
    page.fill("#id_message", "Again!")
    page.click("#kudos-form button[type=submit]")
    assert "again tomorrow" in page.locator("#kudos-form").inner_text()

    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    page.goto(f"{live_server.url}/recognition/kudos/?team={floor['team']}")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=str(SCREENSHOTS / "kudos-list-zh.png"), full_page=True)

    phone = _logged_in(browser, live_server, "wang", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{live_server.url}/recognition/kudos/new/?team={floor['team']}")
    assert phone.locator("#kudos-form").is_visible()
    phone.screenshot(path=str(SCREENSHOTS / "kudos-form-phone.png"), full_page=True)


def test_a_supervisor_shares_a_good_case_and_turns_it_into_an_article(live_server, browser, floor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _logged_in(browser, live_server, "sup.pre", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/recognition/good-cases/new/?conversation={floor['chat']}")
    page.fill("#id_note", "Apologised first, checked the parcel at once and turned a complaint into thanks.")
    page.screenshot(path=str(SCREENSHOTS / "good-case-form-en.png"), full_page=True)
    page.click("#good-case-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/recognition/good-cases/*/")
    assert "Apologised first" in page.locator("#good-case-note").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "good-case-detail-en.png"), full_page=True)

    page.click("#good-case-article button")
    page.wait_for_url(f"{live_server.url}/training/kb/articles/*/")
    text = page.locator("main").inner_text()
    assert "非常抱歉让您久等了" in text and "buyer-5566" not in text and "2026112012345" not in text
    page.screenshot(path=str(SCREENSHOTS / "good-case-article-en.png"), full_page=True)

    page.goto(f"{live_server.url}/recognition/good-cases/?team={floor['team']}")
    assert page.locator("#good-cases .good-case-item").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "good-case-list-en.png"), full_page=True)

    agent = _logged_in(browser, live_server, "wang", viewport={"width": 1280, "height": 900})
    agent.goto(f"{live_server.url}/notifications/")
    assert "shared your conversation as a good case" in agent.locator("main").inner_text()
