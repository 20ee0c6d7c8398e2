"""The knowledge base in headless Chromium: an agent searches in Chinese; a supervisor writes and edits."""

import os

import pytest
from django.utils import timezone

from tests.browser_support import CHROMIUM, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium package (.ci/run installs it)"),
]

REFUND = (
    "## 到账时间\n\n退款到账时效：原路退回，一般 **3-5 个工作日**到账。\n\n"
    "- 支付宝、微信：1-3 天\n- 银行卡：3-5 个工作日\n\n超过 7 天未到账，请让顾客提供订单号并联系财务。"
)


@pytest.fixture
def knowledge_base(transactional_db):
    """The demo department and its articles, made before Playwright starts (no ORM call inside its event loop)."""
    from demo.department import seed_demo_department
    from teams.models import Team, User
    from training.knowledge import services

    seed_demo_department(today=timezone.localdate())
    department = Team.objects.get(name="Online Customer Service")
    pre = Team.objects.get(name="Pre-sales")
    manager, supervisor = User.objects.get(username="manager"), User.objects.get(username="sup.pre")
    after_sales = services.article_category_create(team=department, actor=manager, name="售后")
    refund = services.article_create(
        team=department,
        actor=manager,
        title="退款多久到账？",
        body=REFUND,
        kind="faq",
        category=after_sales,
        tags=["退款", "财务"],
        status="published",
    )
    services.article_create(
        team=pre,
        actor=supervisor,
        title="发货时间",
        body="当天 16 点前付款的订单当天发货，顺丰次日达。",
        kind="product",
        tags=["物流"],
        status="published",
    )
    services.article_create(
        team=pre,
        actor=supervisor,
        title="Refund timing for overseas orders",
        body="Refunds to foreign cards take **7-10 working days**.",
        kind="faq",
        tags=["refund"],
        status="published",
    )
    services.article_create(team=pre, actor=supervisor, title="退款新规（草稿）", body="退款时效将改为 1-3 天。")
    return refund


@pytest.fixture
def kb_page(live_server, knowledge_base, monkeypatch):
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


def test_an_agent_finds_the_refund_article_with_a_chinese_query(live_server, kb_page):
    page = kb_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server.url, "wang")
    page.goto(f"{live_server.url}/training/kb/")
    page.fill("#id_q", "退款时效")
    with page.expect_navigation():
        page.click("#kb-search button[type=submit]")
    results = page.locator("#kb-results")
    assert "退款多久到账？" in results.inner_text() and "草稿" not in results.inner_text()
    assert page.locator("#kb-results mark").first.inner_text() in ("退款", "时效")
    page.screenshot(path=str(SCREENSHOTS / "kb-search-en.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=退款多久到账？")
    assert page.locator("article h2").first.inner_text() == "到账时间"
    page.screenshot(path=str(SCREENSHOTS / "kb-article-en.png"), full_page=True)
    with page.expect_navigation():
        page.select_option("#language-switch select", "zh-hans")
    page.goto(f"{live_server.url}/training/kb/?q=refund")
    assert "Refund timing for overseas orders" in page.locator("#kb-results").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "kb-search-zh.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/training/kb/?q=退款时效")
    page.screenshot(path=str(SCREENSHOTS / "kb-search-phone.png"), full_page=True)


def test_a_supervisor_writes_previews_and_edits_an_article(live_server, kb_page):
    page = kb_page
    log_in(page, live_server.url, "sup.pre")
    page.goto(f"{live_server.url}/training/kb/")
    with page.expect_navigation():
        page.click("#new-article")
    page.fill("#id_title", "顺丰改派怎么办")
    page.fill("#id_tags", "物流, 顺丰")
    page.fill("#id_body", "## 步骤\n\n1. 核实运单号\n2. 联系顺丰客服改派")
    with page.expect_navigation():
        page.click("#preview-article")
    assert page.locator("#article-preview h2").inner_text() == "步骤"
    page.screenshot(path=str(SCREENSHOTS / "kb-editor-preview.png"), full_page=True)
    with page.expect_navigation():
        page.click("#save-article")
    assert page.locator("#article-status").inner_text() == "Draft"
    with page.expect_navigation():
        page.click("#edit-article")
    page.fill("#id_body", "## 步骤\n\n1. 核实运单号\n2. 联系顺丰客服改派\n3. 告知顾客新的送达时间")
    with page.expect_navigation():
        page.click("#save-article")
    with page.expect_navigation():
        page.click("#article-publish")
    assert page.locator("#article-status").count() == 0
    with page.expect_navigation():
        page.click("#article-history")
    with page.expect_navigation():
        page.click("text=v2")
    assert "告知顾客新的送达时间" in page.locator("#version-diff").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "kb-version-diff.png"), full_page=True)
