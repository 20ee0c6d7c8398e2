"""A conversation marked twice at once is one good case; its article is written once (PostgreSQL)."""

import pytest
from django.db import connection

from notifications.models import Notification
from recognition import good_cases
from recognition.models import GoodCase
from tests.conversations.factories import ConversationFactory
from tests.recognition.test_kudos_concurrency import run_at_once
from training.models import Article

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent transactions (CI sets DATABASE_URL)"
)


def test_concurrent_marks_of_one_conversation_make_one_good_case(
    transactional_db, team, agent, supervisor, qa_inspector, manager
):
    chat = ConversationFactory(team=team, agent=agent)
    markers = [supervisor, qa_inspector, manager, supervisor]
    jobs = [
        (lambda actor=actor: good_cases.good_case_mark(actor=actor, conversation=chat, note="Great"))
        for actor in markers
    ]
    results, errors = run_at_once(jobs)
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(error, good_cases.GoodCaseAlreadyMarked) for error in errors)
    assert GoodCase.objects.count() == 1
    assert Notification.objects.filter(recipient=agent, kind="good-case").count() == 1


def test_concurrent_article_requests_write_one_article(transactional_db, team, agent, supervisor, qa_inspector):
    good_case = good_cases.good_case_mark(
        actor=supervisor, conversation=ConversationFactory(team=team, agent=agent), note="Great"
    )
    jobs = [
        (lambda actor=actor: good_cases.good_case_article_create(good_case=good_case, actor=actor))
        for actor in (supervisor, qa_inspector, supervisor, qa_inspector)
    ]
    results, errors = run_at_once(jobs)
    assert errors == []
    assert sorted(created for _article, created in results) == [False, False, False, True]
    assert Article.objects.count() == 1
    assert {article.pk for article, _created in results} == {Article.objects.get().pk}
