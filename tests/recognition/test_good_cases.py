"""Good cases: who marks them, once per conversation, the agent's notice, and the knowledge-base article."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from recognition import good_cases
from recognition.models import GoodCase
from tests.conversations.factories import ConversationFactory, MessageFactory
from training.models import Article, ArticleKind, ArticleStatus

NOTE = "Calm with an angry buyer, found the parcel and offered a coupon."


@pytest.fixture
def chat(team, agent):
    conversation = ConversationFactory(
        team=team,
        agent=agent,
        customer="buyer-7781",
        rating=5,
        started_at=dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC),
    )
    lines = [
        ("customer", "Hi, I'm buyer-7781 (BUYER-7781 on the app). Where is my parcel?"),
        ("agent", "Sorry for the wait! Let me check the tracking for you."),
        ("customer", "Call me on 138 0013 8000 or write to li.wei@example.com, order 2026112000123."),
        ("system", "Conversation transferred."),
        ("agent", "Found it: it arrives tomorrow.\nHere is a 10 yuan coupon for the delay."),
    ]
    for minute, (sender, text) in enumerate(lines):
        MessageFactory(
            conversation=conversation,
            sender=sender,
            text=text,
            sent_at=conversation.started_at + dt.timedelta(minutes=minute),
        )
    return conversation


@pytest.mark.parametrize("marker", ["supervisor", "qa_inspector", "manager"])
def test_supervisors_qa_and_managers_mark_a_good_case_and_the_agent_is_told(request, team, agent, chat, marker):
    actor = request.getfixturevalue(marker)
    good_case = good_cases.good_case_mark(actor=actor, conversation=chat, note=f"  {NOTE}  ")
    assert (good_case.team, good_case.conversation, good_case.marked_by, good_case.note) == (team, chat, actor, NOTE)
    notice = Notification.objects.get(recipient=agent)
    assert notice.kind == "good-case" and notice.dedupe_key == f"good-case:{good_case.pk}"
    assert notice.link == f"/recognition/good-cases/{good_case.pk}/"


@pytest.mark.parametrize("who", ["agent", "second_agent", "sibling_agent", "outsider"])
def test_others_cannot_mark(request, chat, who):
    with pytest.raises(PermissionDenied):
        good_cases.good_case_mark(actor=request.getfixturevalue(who), conversation=chat, note=NOTE)
    assert not GoodCase.objects.exists() and not Notification.objects.exists()


def test_a_conversation_is_a_good_case_once(chat, supervisor, qa_inspector):
    first = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    with pytest.raises(good_cases.GoodCaseAlreadyMarked) as error:
        good_cases.good_case_mark(actor=qa_inspector, conversation=chat, note="Also great")
    assert "conversation" in error.value.message_dict and error.value.good_case == first
    assert GoodCase.objects.count() == 1


def test_a_note_is_required_and_bounded(chat, supervisor):
    for note in ("   ", "x" * (good_cases.NOTE_MAX_LENGTH + 1)):
        with pytest.raises(ValidationError) as error:
            good_cases.good_case_mark(actor=supervisor, conversation=chat, note=note)
        assert list(error.value.message_dict) == ["note"]
    assert not GoodCase.objects.exists()


def test_the_same_roles_edit_and_unmark(chat, supervisor, qa_inspector, agent):
    good_case = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    with pytest.raises(PermissionDenied):
        good_cases.good_case_update(good_case=good_case, actor=agent, note="Mine now")
    with pytest.raises(PermissionDenied):
        good_cases.good_case_unmark(good_case=good_case, actor=agent)
    assert good_cases.good_case_update(good_case=good_case, actor=qa_inspector, note="Textbook apology.").note == (
        "Textbook apology."
    )
    good_cases.good_case_unmark(good_case=good_case, actor=qa_inspector)
    assert not GoodCase.objects.exists()


def test_no_notice_when_supervisors_mark_their_own_chat(team, supervisor):
    own_chat = ConversationFactory(team=team, agent=supervisor)
    good_cases.good_case_mark(actor=supervisor, conversation=own_chat, note=NOTE)
    assert not Notification.objects.exists()


# --- the article ---------------------------------------------------------------------------------


def test_turning_into_an_article_writes_one_draft_best_practice(team, chat, supervisor, qa_inspector):
    good_case = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    article, created = good_cases.good_case_article_create(good_case=good_case, actor=qa_inspector)
    assert created
    assert (article.team, article.kind, article.status) == (team, ArticleKind.BEST_PRACTICE, ArticleStatus.DRAFT)
    assert article.title.startswith("Good case: Calm with an angry buyer")
    good_case.refresh_from_db()
    assert good_case.article == article
    again, created_again = good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    assert (again, created_again) == (article, False)
    assert Article.objects.count() == 1


def test_the_article_quotes_the_chat_without_customer_identifiers(chat, supervisor):
    good_case = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    article, _created = good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    body = article.body
    assert NOTE in body
    assert "> Sorry for the wait! Let me check the tracking for you." in body
    assert "> Found it: it arrives tomorrow.\n> Here is a 10 yuan coupon for the delay." in body
    assert "**Customer** · 09:00" in body  # the team's local time (Asia/Shanghai)
    for identifier in ("buyer-7781", "BUYER-7781", "138 0013 8000", "li.wei@example.com", "2026112000123"):
        assert identifier not in body and identifier not in article.title
    assert "Conversation transferred." not in body  # system messages are left out
    assert "rated 5/5" in body and "2026-11-20" in body


def test_after_the_article_was_deleted_a_new_one_is_written(chat, supervisor):
    good_case = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    first, _ = good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    first.delete()
    good_case.refresh_from_db()
    second, created = good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    assert created and second.pk != first.pk


def test_agents_cannot_turn_a_good_case_into_an_article(chat, supervisor, agent):
    good_case = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    with pytest.raises(PermissionDenied):
        good_cases.good_case_article_create(good_case=good_case, actor=agent)
    assert not Article.objects.exists()


def test_redaction():
    assert good_cases.redact_customer("I am buyer-77, +86 138-0013-8000", "buyer-77") == "I am […], […]"
    assert good_cases.redact_customer("It costs 199.00 yuan, 3 items", "") == "It costs 199.00 yuan, 3 items"


# --- who opens the conversation from the wall ---------------------------------------------------


def test_the_conversation_link_is_for_supervisors_and_the_agent(
    team, chat, supervisor, qa_inspector, agent, second_agent, manager, outsider
):
    good_cases.good_case_mark(actor=supervisor, conversation=chat, note=NOTE)
    expected = {supervisor: True, qa_inspector: True, manager: True, agent: True, second_agent: False}
    for user, can_open in expected.items():
        (shown,) = good_cases.good_case_wall(user=user, team_id=team.pk)
        assert shown.viewer_can_open is can_open, user
    assert good_cases.good_case_wall(user=outsider, team_id=team.pk) == []
