"""Knowledge-base writes: who writes, validation naming the field, versions, tags, status, reads, categories."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from training.knowledge import selectors, services
from training.models import Article, ArticleCategory, ArticleKind, ArticleRead, ArticleStatus, ArticleVersion


def write(team, author, title="退款多久到账", body="退款到账时效为 3-5 个工作日。", **fields) -> Article:
    return services.article_create(team=team, actor=author, title=title, body=body, **fields)


# Who writes


def test_authors_are_the_teams_supervisors_qa_and_managers(team, supervisor, qa_inspector, manager):
    for author in (supervisor, qa_inspector, manager):
        article = write(team, author, title=f"By {author.username}")
        assert (article.team, article.created_by, article.status, article.version) == (
            team,
            author,
            ArticleStatus.DRAFT,
            1,
        )


@pytest.mark.parametrize("person", ["agent", "sibling_agent", "outsider"])
def test_others_write_nothing(request, team, supervisor, person):
    actor = request.getfixturevalue(person)
    with pytest.raises(PermissionDenied):
        write(team, actor)
    article = write(team, supervisor, status=ArticleStatus.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, actor=actor, title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.article_set_status(article=article, actor=actor, status=ArticleStatus.ARCHIVED)
    article.refresh_from_db()
    assert (article.title, article.status, article.version) == ("退款多久到账", ArticleStatus.PUBLISHED, 1)
    assert Article.objects.count() == 1 and ArticleVersion.objects.count() == 1


# Validation names the field


def test_bad_input_names_the_field_and_writes_nothing(team, sibling_team, supervisor, manager):
    with pytest.raises(ValidationError) as refused:
        write(team, supervisor, title="  ", body=" ")
    assert set(refused.value.message_dict) == {"title", "body"}
    with pytest.raises(ValidationError) as refused:
        write(team, supervisor, title="x" * 201)
    assert "title" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        write(team, supervisor, kind="gossip", status="secret")
    assert set(refused.value.message_dict) == {"kind", "status"}
    elsewhere = services.article_category_create(team=sibling_team, actor=manager, name="售后")
    with pytest.raises(ValidationError) as refused:
        write(team, manager, category=elsewhere)
    assert "category" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        write(team, supervisor, tags=["ok", "x" * 101])
    assert "tags" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        write(team, supervisor, tags=[f"t{n}" for n in range(21)])
    assert "tags" in refused.value.message_dict
    assert not Article.objects.exists() and not ArticleVersion.objects.exists()


def test_unknown_fields_are_refused(team, supervisor):
    article = write(team, supervisor)
    with pytest.raises(ValidationError) as refused:
        services.article_update(article=article, actor=supervisor, team=None, version=9)
    assert set(refused.value.message_dict) == {"team", "version"}


# Versions


def test_every_content_change_is_a_new_version(team, supervisor, qa_inspector):
    article = write(team, supervisor)
    services.article_update(article=article, actor=qa_inspector, body="退款到账时效为 1-3 个工作日。")
    services.article_update(article=article, actor=supervisor, title="退款到账时间")
    article.refresh_from_db()
    assert article.version == 3 and article.updated_by == supervisor
    versions = list(selectors.article_versions(article=article))
    assert [(v.version, v.title, v.edited_by) for v in versions] == [
        (3, "退款到账时间", supervisor),
        (2, "退款多久到账", qa_inspector),
        (1, "退款多久到账", supervisor),
    ]
    assert versions[2].body == "退款到账时效为 3-5 个工作日。" and versions[0].body == article.body


def test_metadata_or_the_same_text_again_keeps_the_version(team, supervisor):
    article = write(team, supervisor, tags=["退款"])
    services.article_update(article=article, actor=supervisor, title=" 退款多久到账 ", body=article.body)
    services.article_update(article=article, actor=supervisor, tags=["退款"])
    services.article_update(
        article=article, actor=supervisor, kind=ArticleKind.PRODUCT, tags=["退款", "时效"], status="published"
    )
    article.refresh_from_db()
    assert (article.version, article.kind, article.status) == (1, ArticleKind.PRODUCT, ArticleStatus.PUBLISHED)
    assert sorted(tag.name for tag in article.tags.all()) == ["时效", "退款"]
    assert ArticleVersion.objects.filter(article=article).count() == 1


def test_an_edit_of_an_old_version_is_refused_and_changes_nothing(team, supervisor, qa_inspector):
    article = write(team, supervisor)
    services.article_update(article=article, actor=qa_inspector, base_version=1, body="Quinn's text")
    with pytest.raises(ValidationError) as refused:
        services.article_update(article=article, actor=supervisor, base_version=1, body="Sue's text")
    assert "version" in refused.value.message_dict and "version 2" in refused.value.message_dict["version"][0]
    article.refresh_from_db()
    assert (article.body, article.version) == ("Quinn's text", 2)


def test_restoring_a_version_saves_it_as_the_newest(team, supervisor):
    article = write(team, supervisor)
    services.article_update(article=article, actor=supervisor, body="Wrong text")
    services.article_restore_version(article=article, actor=supervisor, version=1)
    article.refresh_from_db()
    assert (article.version, article.body) == (3, "退款到账时效为 3-5 个工作日。")
    with pytest.raises(ValidationError) as refused:
        services.article_restore_version(article=article, actor=supervisor, version=9)
    assert "version" in refused.value.message_dict


def test_version_diff():
    older = ArticleVersion(version=1, title="Refunds", body="Line one\nLine two")
    newer = ArticleVersion(version=2, title="Refunds", body="Line one\nLine 2")
    diff = [(line.kind, line.text) for line in selectors.version_diff(older, newer)]
    assert ("removed", "Line two") in diff and ("added", "Line 2") in diff and ("context", "Line one") in diff
    first = [(line.kind, line.text) for line in selectors.version_diff(None, older)]
    assert ("added", "Refunds") in first


# Tags and status


def test_tags_are_trimmed_and_deduplicated_ignoring_case(team, supervisor):
    article = write(team, supervisor, tags=[" 退款 ", "Refund", "refund", "", "two  words"])
    assert [tag.name for tag in article.tags.order_by("name")] == ["Refund", "two words", "退款"]
    with pytest.raises(ValidationError):
        services.clean_tags("refund")


def test_publish_archive_and_back_to_draft(team, supervisor, agent):
    article = write(team, supervisor)
    visible = selectors.article_list
    assert not visible(user=agent).exists()
    services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.PUBLISHED)
    assert list(visible(user=agent)) == [article]
    services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.ARCHIVED)
    assert not visible(user=agent).exists()
    services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.DRAFT)
    article.refresh_from_db()
    assert (article.status, article.version) == (ArticleStatus.DRAFT, 1)


# Reads


def test_opening_records_the_first_read_once(team, supervisor, agent):
    article = write(team, supervisor, status=ArticleStatus.PUBLISHED)
    services.article_mark_read(article=article, user=agent)
    first = ArticleRead.objects.get(article=article, user=agent).first_read_at
    services.article_mark_read(article=article, user=agent)
    assert ArticleRead.objects.filter(article=article).count() == 1
    assert ArticleRead.objects.get(article=article, user=agent).first_read_at == first


# Categories


def test_categories_per_team(team, sibling_team, supervisor, manager, agent):
    category = services.article_category_create(team=team, actor=supervisor, name="  售后  问题 ")
    assert category.name == "售后 问题"
    with pytest.raises(ValidationError) as refused:
        services.article_category_create(team=team, actor=supervisor, name="售后 问题")
    assert "name" in refused.value.message_dict
    services.article_category_create(team=sibling_team, actor=manager, name="售后 问题")  # another team: fine
    with pytest.raises(ValidationError) as refused:
        services.article_category_create(team=team, actor=supervisor, name=" ")
    assert "name" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.article_category_create(team=team, actor=agent, name="Mine")
    with pytest.raises(PermissionDenied):
        services.article_category_rename(category=category, actor=agent, name="Mine")
    assert list(selectors.article_category_list(user=agent)) == [category]
    article = write(team, supervisor, category=category)
    services.article_category_rename(category=category, actor=supervisor, name="After-sales")
    services.article_category_delete(category=category, actor=supervisor)
    article.refresh_from_db()
    assert article.category is None and not ArticleCategory.objects.filter(team=team).exists()
