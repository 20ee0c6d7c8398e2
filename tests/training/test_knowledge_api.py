"""/api/v1/training/articles/ and /api/v1/training/article-categories/: search, writes, versions, who sees what."""

import pytest

from training.knowledge import services
from training.models import Article, ArticleCategory, ArticleRead, ArticleStatus

ACTORS = ["anonymous", "agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider"]


def outcomes(*statuses: int) -> dict[str, int]:
    return dict(zip(ACTORS, statuses, strict=True))


#                           anonymous agent second_agent supervisor qa_inspector manager outsider
PUBLISHED_READ = outcomes(401, 200, 200, 200, 200, 200, 404)
DRAFT_READ = outcomes(401, 404, 404, 200, 200, 200, 404)
PUBLISHED_CHANGE = outcomes(401, 403, 403, 200, 200, 200, 404)
HISTORY = outcomes(401, 403, 403, 200, 200, 200, 404)
CREATE = outcomes(401, 403, 403, 201, 201, 201, 400)  # the outsider names a team they cannot see
CATEGORY_CHANGE = outcomes(401, 403, 403, 200, 200, 200, 404)
CATEGORY_DELETE = outcomes(401, 403, 403, 204, 204, 204, 404)


@pytest.fixture
def people(agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent):
    return {
        "anonymous": None,
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
        "sibling_agent": sibling_agent,
    }


def write(team, author, title="退款多久到账", body="退款到账时效为 3-5 个工作日。", **fields) -> Article:
    return services.article_create(team=team, actor=author, title=title, body=body, **fields)


@pytest.mark.parametrize("actor", ACTORS)
def test_article_matrix(api, people, team, supervisor, actor):
    published = write(team, supervisor, status=ArticleStatus.PUBLISHED, tags=["退款"])
    draft = write(team, supervisor, title="草稿")
    client = api.as_user(people[actor])
    url = f"/api/v1/training/articles/{published.pk}/"
    assert client.get(url).status_code == PUBLISHED_READ[actor]
    assert client.get(f"/api/v1/training/articles/{draft.pk}/").status_code == DRAFT_READ[actor]
    assert client.get(f"{url}versions/").status_code == HISTORY[actor]
    patched = client.patch(url, {"title": "Changed", "tags": ["x"]}, format="json")
    assert patched.status_code == PUBLISHED_CHANGE[actor], patched.content
    drafted = client.patch(f"/api/v1/training/articles/{draft.pk}/", {"status": "published"}, format="json")
    assert drafted.status_code == (200 if DRAFT_READ[actor] == 200 else DRAFT_READ[actor])
    published.refresh_from_db()
    draft.refresh_from_db()
    changed = PUBLISHED_CHANGE[actor] == 200
    assert (published.title == "Changed", published.version == 2) == (changed, changed)
    assert [tag.name for tag in published.tags.all()] == (["x"] if changed else ["退款"])
    assert (draft.status == ArticleStatus.PUBLISHED) == changed
    if people[actor] is not None:
        listed = {row["id"] for row in client.get("/api/v1/training/articles/").json()["results"]}
        assert (published.pk in listed) == (PUBLISHED_READ[actor] == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(api, people, team, actor):
    body = {"team": team.pk, "title": "Refund timing", "body": "3-5 days.", "tags": ["refund", "时效"]}
    response = api.as_user(people[actor]).post("/api/v1/training/articles/", body, format="json")
    assert response.status_code == CREATE[actor], response.content
    assert Article.objects.count() == (1 if CREATE[actor] == 201 else 0)
    if actor == "outsider":
        assert "team" in response.json()
    if CREATE[actor] == 201:
        data = response.json()
        assert (data["status"], data["version"], data["tags"]) == ("draft", 1, ["refund", "时效"])
        assert data["url"] == f"http://testserver/training/kb/articles/{data['id']}/"


@pytest.mark.parametrize("actor", ACTORS)
def test_category_matrix(api, people, team, supervisor, actor):
    category = services.article_category_create(team=team, actor=supervisor, name="售后")
    client = api.as_user(people[actor])
    url = f"/api/v1/training/article-categories/{category.pk}/"
    assert client.get(url).status_code == PUBLISHED_READ[actor]
    created = client.post("/api/v1/training/article-categories/", {"team": team.pk, "name": "物流"}, format="json")
    assert created.status_code == CREATE[actor], created.content
    patched = client.patch(url, {"name": "After-sales"}, format="json")
    assert patched.status_code == CATEGORY_CHANGE[actor], patched.content
    category.refresh_from_db()
    assert (category.name == "After-sales") == (CATEGORY_CHANGE[actor] == 200)
    deleted = client.delete(url)
    assert deleted.status_code == CATEGORY_DELETE[actor]
    assert ArticleCategory.objects.filter(pk=category.pk).exists() == (CATEGORY_DELETE[actor] != 204)


def test_sibling_team_articles_are_the_managers_only(api, people, sibling_team, manager):
    article = write(sibling_team, manager, status=ArticleStatus.PUBLISHED)
    for actor in ("agent", "supervisor", "qa_inspector", "outsider"):
        assert api.as_user(people[actor]).get(f"/api/v1/training/articles/{article.pk}/").status_code == 404
    assert api.as_user(people["sibling_agent"]).get(f"/api/v1/training/articles/{article.pk}/").status_code == 200
    assert api.as_user(manager).get(f"/api/v1/training/articles/{article.pk}/").status_code == 200


def test_search_and_filters(api, team, supervisor, agent):
    category = services.article_category_create(team=team, actor=supervisor, name="售后")
    zh = write(team, supervisor, status=ArticleStatus.PUBLISHED, category=category, tags=["退款"])
    en = write(team, supervisor, title="Refund timing", body="Money arrives in 3-5 working days.", status="published")
    write(team, supervisor, title="退款新规", body="退款时效将改为 1-3 天。")  # a draft
    client = api.as_user(agent)

    def ids(**params):
        response = client.get("/api/v1/training/articles/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(q="退款时效") == [zh.pk]
    assert ids(q="working days") == [en.pk]
    assert ids(category=category.pk) == [zh.pk]
    assert ids(tag="退款") == [zh.pk]
    assert ids(kind="faq") == [en.pk, zh.pk]
    assert ids(status="draft") == []
    row = client.get("/api/v1/training/articles/", {"q": "时效"}).json()["results"][0]
    assert "时效" in row["snippet"] and "body" not in row
    bad = client.get("/api/v1/training/articles/", {"kind": "gossip", "category": "x"})
    assert bad.status_code == 400 and {"kind", "category"} <= set(bad.json())
    supervisor_ids = [
        r["id"] for r in api.as_user(supervisor).get("/api/v1/training/articles/?q=退款").json()["results"]
    ]
    assert len(supervisor_ids) == 2


def test_detail_renders_markdown_and_records_the_read(api, team, supervisor, agent):
    article = write(team, supervisor, body="**注意** <script>alert(1)</script>", status=ArticleStatus.PUBLISHED)
    data = api.as_user(agent).get(f"/api/v1/training/articles/{article.pk}/").json()
    assert "<strong>注意</strong>" in data["body_html"] and "<script>" not in data["body_html"]
    api.as_user(agent).get(f"/api/v1/training/articles/{article.pk}/")
    assert ArticleRead.objects.filter(article=article, user=agent).count() == 1


def test_create_and_update_errors_name_the_field(api, team, sibling_team, supervisor, manager):
    client = api.as_user(supervisor)
    missing = client.post("/api/v1/training/articles/", {"title": "x"}, format="json")
    assert missing.status_code == 400 and "team" in missing.json()
    missing = client.post("/api/v1/training/articles/", {"team": team.pk}, format="json")
    assert missing.status_code == 400 and {"title", "body"} <= set(missing.json())
    blank = client.post("/api/v1/training/articles/", {"team": team.pk, "title": " ", "body": "x"}, format="json")
    assert blank.status_code == 400 and "title" in blank.json()
    tags = client.post(
        "/api/v1/training/articles/", {"team": team.pk, "title": "t", "body": "b", "tags": "refund"}, format="json"
    )
    assert tags.status_code == 400 and "tags" in tags.json()
    elsewhere = services.article_category_create(team=sibling_team, actor=manager, name="Other")
    wrong = client.post(
        "/api/v1/training/articles/", {"team": team.pk, "title": "t", "body": "b", "category": elsewhere.pk}
    )
    assert wrong.status_code == 400 and "category" in wrong.json()
    article = write(team, supervisor)
    moved = client.patch(f"/api/v1/training/articles/{article.pk}/", {"team": sibling_team.pk}, format="json")
    assert moved.status_code == 400 and "team" in moved.json()
    stale = client.patch(f"/api/v1/training/articles/{article.pk}/", {"body": "new", "version": 1}, format="json")
    assert stale.status_code == 200 and stale.json()["version"] == 2
    again = client.patch(f"/api/v1/training/articles/{article.pk}/", {"body": "newer", "version": 1}, format="json")
    assert again.status_code == 400 and "version" in again.json()
    assert Article.objects.count() == 1 and Article.objects.get().body == "new"


def test_versions_newest_first(api, team, supervisor):
    article = write(team, supervisor)
    client = api.as_user(supervisor)
    client.patch(f"/api/v1/training/articles/{article.pk}/", {"body": "Second"}, format="json")
    rows = client.get(f"/api/v1/training/articles/{article.pk}/versions/").json()["results"]
    assert [(row["version"], row["body"]) for row in rows] == [(2, "Second"), (1, "退款到账时效为 3-5 个工作日。")]
    assert rows[0]["edited_by"] == supervisor.pk


@pytest.mark.parametrize("count", [3, 15])
def test_lists_take_a_fixed_number_of_queries(api, team, supervisor, agent, count, django_assert_max_num_queries):
    category = services.article_category_create(team=team, actor=supervisor, name="售后")
    for number in range(count):
        write(
            team,
            supervisor,
            title=f"退款 {number}",
            status=ArticleStatus.PUBLISHED,
            category=category,
            tags=[f"tag{number}", "退款"],
        )
    article = Article.objects.first()
    for number in range(count):
        services.article_update(article=article, actor=supervisor, body=f"Version {number}")
    for reader in (agent, supervisor):
        client = api.as_user(reader)
        with django_assert_max_num_queries(7):
            response = client.get("/api/v1/training/articles/", {"q": "退款"})
        assert response.json()["count"] == count
        with django_assert_max_num_queries(7):
            assert client.get("/api/v1/training/articles/", {"tag": "退款"}).json()["count"] == count
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/v1/training/articles/{article.pk}/versions/")
    assert response.json()["count"] == count + 1
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/training/article-categories/").json()["results"]) == 1
