"""Knowledge-base pages: search with snippets, an article, the editor, history, categories; who sees what."""

import pytest

from training.knowledge import services
from training.models import Article, ArticleCategory, ArticleRead, ArticleStatus, ArticleVersion

REFUND_ZH = "退款到账时效：原路退回，一般 3-5 个工作日到账。"


def write(team, author, title="退款多久到账", body=REFUND_ZH, **fields) -> Article:
    return services.article_create(team=team, actor=author, title=title, body=body, **fields)


@pytest.fixture
def published(team, supervisor):
    return write(team, supervisor, status=ArticleStatus.PUBLISHED, tags=["退款"])


@pytest.fixture
def draft(team, supervisor):
    return write(team, supervisor, title="退款新规（草稿）", body="退款时效将改为 1-3 天。")


# The knowledge base


def test_anonymous_is_sent_to_log_in(client, published):
    for url in ("/training/kb/", f"/training/kb/articles/{published.pk}/", "/training/kb/articles/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_chinese_search_finds_and_highlights(client, published, draft, agent):
    client.force_login(agent)
    page = client.get("/training/kb/", {"q": "退款时效"}).content.decode()
    assert f'href="/training/kb/articles/{published.pk}/"' in page
    assert '<mark class="px-0">退款</mark>到账<mark class="px-0">时效</mark>' in page
    assert "草稿" not in page  # drafts never show to agents
    assert 'name="status"' not in page and 'id="new-article"' not in page


def test_authors_see_drafts_and_a_status_filter(client, published, draft, supervisor):
    client.force_login(supervisor)
    page = client.get("/training/kb/", {"q": "退款"}).content.decode()
    assert "退款新规（草稿）" in page and 'name="status"' in page and 'id="new-article"' in page
    only_drafts = client.get("/training/kb/", {"status": "draft"}).content.decode()
    assert "退款新规（草稿）" in only_drafts and f"/training/kb/articles/{published.pk}/" not in only_drafts


def test_filters_by_tag_and_an_empty_result(client, published, agent):
    client.force_login(agent)
    assert "退款多久到账" in client.get("/training/kb/", {"tag": "退款"}).content.decode()
    assert "Nothing found" in client.get("/training/kb/", {"q": "teleport"}).content.decode()
    bad_category = client.get("/training/kb/", {"q": "退款", "category": "999", "kind": "gossip"}).content.decode()
    assert "退款多久到账" in bad_category and "invalid-feedback" in bad_category
    assert 'id="kb-tags"' in client.get("/training/kb/").content.decode()


def test_other_teams_see_nothing_of_the_team(client, published, outsider, sibling_agent):
    for stranger in (outsider, sibling_agent):
        client.force_login(stranger)
        assert "退款多久到账" not in client.get("/training/kb/", {"q": "退款"}).content.decode()
        assert client.get(f"/training/kb/articles/{published.pk}/").status_code == 404


def test_the_page_speaks_chinese(client, published, agent):
    client.force_login(agent)
    page = client.get("/training/kb/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="zh-hans"' in page and "退款多久到账" in page


@pytest.mark.parametrize("count", [3, 25])
def test_knowledge_base_takes_a_fixed_number_of_queries(
    client, team, supervisor, agent, count, django_assert_max_num_queries
):
    category = services.article_category_create(team=team, actor=supervisor, name="售后")
    for number in range(count):
        write(team, supervisor, title=f"退款 {number}", status="published", category=category, tags=[f"t{number}"])
    for reader in (agent, supervisor):
        client.force_login(reader)
        with django_assert_max_num_queries(12):
            response = client.get("/training/kb/", {"q": "退款"})
        assert response.status_code == 200
        assert response.content.decode().count('class="list-group-item"') == min(count, 20)


# An article


def test_opening_an_article_records_the_read_once(client, published, agent):
    client.force_login(agent)
    page = client.get(f"/training/kb/articles/{published.pk}/").content.decode()
    assert REFUND_ZH.split("：")[0] in page and 'id="edit-article"' not in page
    client.get(f"/training/kb/articles/{published.pk}/")
    assert ArticleRead.objects.filter(article=published, user=agent).count() == 1


def test_drafts_are_404_for_agents(client, draft, agent):
    client.force_login(agent)
    assert client.get(f"/training/kb/articles/{draft.pk}/").status_code == 404
    assert client.post(f"/training/kb/articles/{draft.pk}/", {"intent": "publish"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT and not ArticleRead.objects.exists()


def test_authors_publish_and_archive(client, draft, supervisor, agent):
    client.force_login(supervisor)
    page = client.get(f"/training/kb/articles/{draft.pk}/").content.decode()
    assert 'id="article-publish"' in page and 'id="article-status"' in page
    client.post(f"/training/kb/articles/{draft.pk}/", {"intent": "publish"})
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED and draft.version == 1
    client.force_login(agent)
    assert client.get(f"/training/kb/articles/{draft.pk}/").status_code == 200
    assert client.post(f"/training/kb/articles/{draft.pk}/", {"intent": "archive"}).status_code == 403
    client.force_login(supervisor)
    assert client.post(f"/training/kb/articles/{draft.pk}/", {"intent": "nonsense"}).status_code == 404
    client.post(f"/training/kb/articles/{draft.pk}/", {"intent": "archive"})
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.ARCHIVED


def test_markdown_is_rendered_and_sanitised(client, team, supervisor):
    article = write(team, supervisor, body="## 步骤\n\n1. 核实订单\n\n<script>alert(1)</script>")
    client.force_login(supervisor)
    page = client.get(f"/training/kb/articles/{article.pk}/").content.decode()
    assert "<h2>步骤</h2>" in page and "<script>alert(1)</script>" not in page


# The editor


def test_agents_cannot_open_the_editor(client, published, agent, outsider):
    client.force_login(agent)
    assert client.get("/training/kb/articles/new/").status_code == 403
    assert client.get(f"/training/kb/articles/{published.pk}/edit/").status_code == 403
    posted = client.post(f"/training/kb/articles/{published.pk}/edit/", {"title": "Hijacked", "body": "x"})
    assert posted.status_code == 403
    client.force_login(outsider)  # a supervisor elsewhere: the team's article does not exist for them
    assert client.get(f"/training/kb/articles/{published.pk}/edit/").status_code == 404
    assert client.post(f"/training/kb/articles/{published.pk}/edit/", {"title": "Hijacked"}).status_code == 404
    published.refresh_from_db()
    assert published.title == "退款多久到账" and published.version == 1


def test_write_preview_and_save_an_article(client, team, supervisor):
    client.force_login(supervisor)
    assert client.get("/training/kb/articles/new/").status_code == 200
    form = {
        "team": team.pk,
        "title": "Refund timing",
        "kind": "faq",
        "tags": "refund，退款, refund",
        "body": "**3-5** working days",
        "status": "draft",
    }
    preview = client.post("/training/kb/articles/new/", {**form, "intent": "preview"}).content.decode()
    assert 'id="article-preview"' in preview and "<strong>3-5</strong>" in preview
    assert not Article.objects.exists()
    saved = client.post("/training/kb/articles/new/", {**form, "intent": "save"})
    article = Article.objects.get()
    assert saved["Location"] == f"/training/kb/articles/{article.pk}/"
    assert sorted(tag.name for tag in article.tags.all()) == ["refund", "退款"]


def test_editor_errors_name_the_field(client, team, supervisor):
    client.force_login(supervisor)
    page = client.post("/training/kb/articles/new/", {"team": team.pk, "title": "x", "kind": "faq", "body": " "})
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode()
    assert not Article.objects.exists()


def test_editing_makes_a_new_version_and_a_stale_edit_is_refused(client, published, supervisor, qa_inspector):
    url = f"/training/kb/articles/{published.pk}/edit/"
    form = {
        "title": "退款多久到账",
        "kind": "faq",
        "tags": "退款",
        "body": "一般 1-3 个工作日。",
        "status": "published",
    }
    client.force_login(qa_inspector)
    assert 'value="1"' in client.get(url).content.decode()
    client.post(url, {**form, "version": 1, "intent": "save"})
    published.refresh_from_db()
    assert (published.version, published.body) == (2, "一般 1-3 个工作日。")
    client.force_login(supervisor)
    stale = client.post(url, {**form, "body": "Sue's text", "version": 1, "intent": "save"})
    assert stale.status_code == 200 and "Someone saved version 2" in stale.content.decode()
    published.refresh_from_db()
    assert published.body == "一般 1-3 个工作日。"


# History


def test_history_is_for_authors(client, published, supervisor, agent, outsider):
    services.article_update(article=published, actor=supervisor, body="一般 1-3 个工作日。")
    for url in (f"/training/kb/articles/{published.pk}/versions/", f"/training/kb/articles/{published.pk}/versions/1/"):
        client.force_login(agent)
        assert client.get(url).status_code == 403
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(supervisor)
        assert client.get(url).status_code == 200
    client.force_login(agent)
    assert client.post(f"/training/kb/articles/{published.pk}/versions/1/").status_code == 403
    assert Article.objects.get().version == 2


def test_a_version_shows_its_changes_and_can_be_restored(client, published, supervisor):
    services.article_update(article=published, actor=supervisor, body="一般 1-3 个工作日。")
    client.force_login(supervisor)
    listing = client.get(f"/training/kb/articles/{published.pk}/versions/").content.decode()
    assert f"/training/kb/articles/{published.pk}/versions/1/" in listing
    page = client.get(f"/training/kb/articles/{published.pk}/versions/2/").content.decode()
    assert "bg-success-subtle" in page and "一般 1-3 个工作日。" in page and 'id="restore-version"' not in page
    assert client.get(f"/training/kb/articles/{published.pk}/versions/9/").status_code == 404
    client.post(f"/training/kb/articles/{published.pk}/versions/1/")
    published.refresh_from_db()
    assert (published.version, published.body) == (3, REFUND_ZH)
    assert ArticleVersion.objects.filter(article=published).count() == 3


@pytest.mark.parametrize("count", [2, 12])
def test_history_takes_a_fixed_number_of_queries(client, published, supervisor, count, django_assert_max_num_queries):
    for number in range(count):
        services.article_update(article=published, actor=supervisor, body=f"Version {number}")
    client.force_login(supervisor)
    with django_assert_max_num_queries(9):
        assert client.get(f"/training/kb/articles/{published.pk}/versions/").status_code == 200


# Categories


def test_categories_page(client, team, supervisor, agent, outsider, sibling_team, manager):
    client.force_login(agent)
    assert client.get("/training/kb/categories/").status_code == 403
    client.force_login(supervisor)
    client.post("/training/kb/categories/", {"intent": "create", "team": team.pk, "name": "售后"})
    category = ArticleCategory.objects.get()
    duplicate = client.post("/training/kb/categories/", {"intent": "create", "team": team.pk, "name": "售后"})
    assert "already has a category" in duplicate.content.decode()
    client.post("/training/kb/categories/", {"intent": "rename", "category": category.pk, "name": "After-sales"})
    category.refresh_from_db()
    assert category.name == "After-sales"
    elsewhere = services.article_category_create(team=sibling_team, actor=manager, name="Theirs")
    client.force_login(outsider)
    assert client.post("/training/kb/categories/", {"intent": "delete", "category": category.pk}).status_code == 404
    client.force_login(supervisor)
    assert client.post("/training/kb/categories/", {"intent": "delete", "category": elsewhere.pk}).status_code == 404
    client.post("/training/kb/categories/", {"intent": "delete", "category": category.pk})
    assert list(ArticleCategory.objects.all()) == [elsewhere]
