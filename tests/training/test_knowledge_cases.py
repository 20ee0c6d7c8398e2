"""A QA case's "turn into training material": the lesson article, through qa_reviews.cases."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qa_reviews import cases, services
from qa_reviews.models import Case
from qa_reviews.signals import case_training_requested
from tests.qa_reviews.test_cases import make_conversation, submitted_review, with_facts
from tests.qa_reviews.test_reviews import CRITERIA
from training.knowledge import selectors
from training.knowledge import services as knowledge_services
from training.models import Article, ArticleKind, ArticleStatus, ArticleVersion

MEETING_NOTES = "Sue and Quinn: Alice was covering two shops that day."


@pytest.fixture
def case(team, agent, qa_inspector):
    scorecard = services.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)
    review = submitted_review(make_conversation(team, agent), qa_inspector, scorecard)
    return cases.case_open_from_review(review=review, actor=qa_inspector)


@pytest.fixture
def lesson_case(case, supervisor):
    return with_facts(case, supervisor, customer_comment="三天没发货！\n客服说马上发，结果没有。")


def turn(case, actor) -> Article:
    [article] = cases.case_turn_into_training(case=case, actor=actor)
    return article


def test_the_receiver_is_connected():
    assert cases.training_receivers_connected()


def test_a_case_becomes_a_draft_lesson_of_its_team(lesson_case, supervisor):
    article = turn(lesson_case, supervisor)
    assert isinstance(article, Article)
    assert (article.team, article.kind, article.status, article.source_case, article.created_by) == (
        lesson_case.team,
        ArticleKind.LESSON,
        ArticleStatus.DRAFT,
        lesson_case,
        supervisor,
    )
    assert article.title == f"Lesson: {lesson_case.title}"
    assert article.get_absolute_url() == f"/training/kb/articles/{article.pk}/"
    lesson_case.refresh_from_db()
    assert lesson_case.training_requested_at is not None and lesson_case.training_article == article


def test_the_body_is_the_three_panels_without_the_meeting_notes(lesson_case, supervisor):
    body = turn(lesson_case, supervisor).body
    assert f"(/conversations/{lesson_case.conversation_id}/)" in body  # 现场
    assert "现场" in body and "现物" in body and "现实" in body
    assert "1 / 5" in body and "buyer-77" in body  # 现物: rating and buyer
    assert "> 三天没发货！\n> 客服说马上发，结果没有。" in body  # the customer's comment, quoted
    assert "Did not check the warehouse status before promising." in body  # 现实: root cause
    assert "Check the order's warehouse status before promising a ship date." in body  # lesson learned
    assert "Sue and Quinn" not in body and "covering two shops" not in body  # never the meeting notes
    assert lesson_case.responsible.username not in body  # the team reads it: nobody is named
    assert "Sue and Quinn" not in Article.objects.get().search_document


def test_repeating_refreshes_the_same_article_as_a_new_version(lesson_case, supervisor, qa_inspector):
    first = turn(lesson_case, supervisor)
    assert turn(lesson_case, qa_inspector) == first  # nothing changed: the same version
    assert ArticleVersion.objects.filter(article=first).count() == 1
    knowledge_services.article_set_status(article=first, actor=supervisor, status=ArticleStatus.PUBLISHED)
    cases.case_update(case=lesson_case, actor=supervisor, lesson_learned="Check stock in the warehouse system first.")
    again = turn(lesson_case, qa_inspector)
    assert again.pk == first.pk and Article.objects.count() == 1
    assert (again.version, again.status, again.updated_by) == (2, ArticleStatus.PUBLISHED, qa_inspector)
    assert "Check stock in the warehouse system first." in again.body
    assert [v.version for v in selectors.article_versions(article=again)] == [2, 1]


def test_an_archived_lesson_comes_back_as_a_draft(lesson_case, supervisor):
    article = turn(lesson_case, supervisor)
    knowledge_services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.ARCHIVED)
    cases.case_update(case=lesson_case, actor=supervisor, lesson_learned="A better lesson.")
    assert turn(lesson_case, supervisor).status == ArticleStatus.DRAFT


def test_a_case_without_a_conversation_or_rating(team, supervisor):
    case = cases.case_open(team=team, actor=supervisor, title="Wrong size chart", lesson_learned="Measure twice.")
    body = turn(case, supervisor).body
    assert "No conversation is attached" in body and "No rating or buyer recorded." in body


def test_the_title_is_cut_to_fit(team, supervisor):
    case = cases.case_open(team=team, actor=supervisor, title="长" * 200, lesson_learned="Measure twice.")
    title = turn(case, supervisor).title
    assert len(title) == 200 and title.endswith("…")


def test_refusals_write_nothing(case, supervisor, agent):
    with pytest.raises(ValidationError):
        cases.case_turn_into_training(case=case, actor=supervisor)  # no lesson yet
    with_facts(case, supervisor)
    with pytest.raises(PermissionDenied):
        cases.case_turn_into_training(case=case, actor=agent)
    assert not Article.objects.exists()
    case.refresh_from_db()
    assert case.training_requested_at is None


def test_a_failing_article_rolls_the_case_back(lesson_case, supervisor, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"title": "No."})

    monkeypatch.setattr(knowledge_services, "article_create", refuse)
    with pytest.raises(ValidationError):
        cases.case_turn_into_training(case=lesson_case, actor=supervisor)
    lesson_case.refresh_from_db()
    assert lesson_case.training_requested_at is None and not Article.objects.exists()


def test_the_article_links_back_to_the_case_for_those_who_see_it(client, lesson_case, supervisor, agent, team):
    article = turn(lesson_case, supervisor)
    knowledge_services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.PUBLISHED)
    client.force_login(supervisor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/qa/cases/{lesson_case.pk}/"' in page
    client.force_login(agent)  # alice is the case's responsible agent: she reads her case
    assert f'href="/qa/cases/{lesson_case.pk}/"' in client.get(article.get_absolute_url()).content.decode()


def test_other_agents_see_the_lesson_but_no_link_to_the_case(client, lesson_case, supervisor, second_agent):
    article = turn(lesson_case, supervisor)
    knowledge_services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.PUBLISHED)
    client.force_login(second_agent)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Check the order's warehouse status" in page and 'id="source-case"' in page
    assert f"/qa/cases/{lesson_case.pk}/" not in page and "Sue and Quinn" not in page


def test_the_case_page_button_links_the_article(client, lesson_case, supervisor):
    client.force_login(supervisor)
    assert 'id="turn-into-training"' in client.get(f"/qa/cases/{lesson_case.pk}/").content.decode()
    page = client.post(f"/qa/cases/{lesson_case.pk}/", {"intent": "training"}, follow=True).content.decode()
    article = Article.objects.get(source_case=lesson_case)
    assert f'href="{article.get_absolute_url()}"' in page and 'id="training-requested"' in page
    client.post(f"/qa/cases/{lesson_case.pk}/", {"intent": "training"}, follow=True)
    assert Article.objects.count() == 1


def test_the_case_api_returns_the_article(api, lesson_case, supervisor, agent, outsider):
    response = api.as_user(supervisor).post(f"/api/v1/qa/cases/{lesson_case.pk}/training/")
    assert response.status_code == 200, response.content
    article = Article.objects.get(source_case=lesson_case)
    assert response.json()["training_material"] == [
        {"title": article.title, "url": f"http://testserver/training/kb/articles/{article.pk}/"}
    ]
    assert api.as_user(agent).post(f"/api/v1/qa/cases/{lesson_case.pk}/training/").status_code == 403
    assert api.as_user(outsider).post(f"/api/v1/qa/cases/{lesson_case.pk}/training/").status_code == 404
    assert Article.objects.count() == 1 and Article.objects.get().version == 1


def test_without_the_receiver_the_case_api_still_answers_409(api, lesson_case, supervisor, monkeypatch):
    monkeypatch.setattr(case_training_requested, "receivers", [])
    monkeypatch.setattr(case_training_requested, "sender_receivers_cache", {})
    assert api.as_user(supervisor).post(f"/api/v1/qa/cases/{lesson_case.pk}/training/").status_code == 409
    assert not Article.objects.exists() and Case.objects.get().training_requested_at is None


def test_a_published_lesson_is_found_by_a_chinese_search(case, supervisor, second_agent):
    cases.case_update(
        case=case,
        actor=supervisor,
        root_cause="承诺发货时间前没有查仓库状态。",
        meeting_notes="主管讨论：当天人手不足。",
        lesson_learned="答复发货时间前，先在仓库系统核实库存和出库状态。",
    )
    article = turn(case, supervisor)
    filters = selectors.ArticleFilters(q="仓库 库存")
    assert list(selectors.article_list(user=second_agent, filters=filters)) == []  # still a draft
    knowledge_services.article_set_status(article=article, actor=supervisor, status=ArticleStatus.PUBLISHED)
    assert list(selectors.article_list(user=second_agent, filters=filters)) == [article]
    nothing = selectors.ArticleFilters(q="人手不足")  # the meeting notes are not in the article, so not found
    assert list(selectors.article_list(user=second_agent, filters=nothing)) == []
