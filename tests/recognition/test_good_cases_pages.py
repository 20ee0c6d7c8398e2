"""Good-case pages: marking from a conversation, the detail page (edit, unmark, article), the list."""

import pytest

from recognition import good_cases
from recognition.models import GoodCase
from teams.models import Role
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.factories import member
from training.models import Article, ArticleStatus

NEW, LIST = "/recognition/good-cases/new/", "/recognition/good-cases/"


@pytest.fixture
def chat(team, agent):
    conversation = ConversationFactory(team=team, agent=agent, customer="buyer-9")
    MessageFactory(conversation=conversation, sender="agent", text="Happy to help!")
    return conversation


def detail(good_case) -> str:
    return f"/recognition/good-cases/{good_case.pk}/"


def mark(chat, actor, note="Patient and precise."):
    return good_cases.good_case_mark(actor=actor, conversation=chat, note=note)


def test_anonymous_is_sent_to_log_in(client, chat):
    for url in (LIST, f"{NEW}?conversation={chat.pk}"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("supervisor", 200),
        ("qa_inspector", 200),
        ("manager", 200),
        ("agent", 403),
        ("second_agent", 403),
        ("sibling_agent", 404),
        ("outsider", 404),
    ],
)
def test_who_opens_the_mark_form(request, client, chat, who, expected):
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW, {"conversation": chat.pk}).status_code == expected
    response = client.post(f"{NEW}?conversation={chat.pk}", {"note": "Mine"})
    assert response.status_code == (302 if expected == 200 else expected)
    assert GoodCase.objects.exists() == (expected == 200)


def test_a_missing_or_unknown_conversation_is_a_404(client, supervisor):
    client.force_login(supervisor)
    for query in ({}, {"conversation": "abc"}, {"conversation": 999999}):
        assert client.get(NEW, query).status_code == 404


def test_a_supervisor_marks_a_conversation_from_its_page(client, chat, supervisor, agent):
    client.force_login(supervisor)
    page = client.get(NEW, {"conversation": chat.pk}).content.decode()
    assert f"/conversations/{chat.pk}/" in page and 'id="good-case-form"' in page
    response = client.post(f"{NEW}?conversation={chat.pk}", {"note": "Patient and precise."})
    good_case = GoodCase.objects.get()
    assert response["Location"] == detail(good_case)
    assert (good_case.conversation, good_case.marked_by, good_case.note) == (chat, supervisor, "Patient and precise.")
    assert agent.notifications.filter(kind="good-case").count() == 1


def test_an_empty_note_is_refused_on_the_form(client, chat, supervisor):
    client.force_login(supervisor)
    response = client.post(f"{NEW}?conversation={chat.pk}", {"note": "   "})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not GoodCase.objects.exists()


def test_marking_again_goes_to_the_existing_good_case(client, chat, supervisor, qa_inspector):
    good_case = mark(chat, supervisor)
    client.force_login(qa_inspector)
    assert client.get(NEW, {"conversation": chat.pk})["Location"] == detail(good_case)
    assert client.post(f"{NEW}?conversation={chat.pk}", {"note": "Again"})["Location"] == detail(good_case)
    assert GoodCase.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "expected", "can_change", "can_open"),
    [
        ("supervisor", 200, True, True),
        ("qa_inspector", 200, True, True),
        ("agent", 200, False, True),
        ("second_agent", 200, False, False),
        ("sibling_agent", 404, False, False),
        ("outsider", 404, False, False),
    ],
)
def test_the_detail_page(request, client, chat, supervisor, who, expected, can_change, can_open):
    good_case = mark(chat, supervisor)
    client.force_login(request.getfixturevalue(who))
    response = client.get(detail(good_case))
    assert response.status_code == expected
    if expected != 200:
        return
    page = response.content.decode()
    assert "Patient and precise." in page
    assert ('id="good-case-edit"' in page) == can_change
    assert (f'href="/conversations/{chat.pk}/"' in page) == can_open


@pytest.mark.parametrize(("who", "expected"), [("agent", 403), ("second_agent", 403), ("outsider", 404)])
def test_denied_posts_change_nothing(request, client, chat, supervisor, who, expected):
    good_case = mark(chat, supervisor)
    client.force_login(request.getfixturevalue(who))
    for intent in ("update", "unmark", "article"):
        assert client.post(detail(good_case), {"intent": intent, "note": "Hijacked"}).status_code == expected
    good_case.refresh_from_db()
    assert good_case.note == "Patient and precise." and good_case.article_id is None
    assert not Article.objects.exists()


def test_edit_turn_into_an_article_and_unmark(client, chat, supervisor, qa_inspector):
    good_case = mark(chat, supervisor)
    client.force_login(qa_inspector)
    assert client.post(detail(good_case), {"intent": "update", "note": "Textbook apology."}).status_code == 302
    good_case.refresh_from_db()
    assert good_case.note == "Textbook apology."
    response = client.post(detail(good_case), {"intent": "update", "note": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()

    first = client.post(detail(good_case), {"intent": "article"})
    article = Article.objects.get()
    assert first["Location"] == article.get_absolute_url()
    assert client.post(detail(good_case), {"intent": "article"})["Location"] == article.get_absolute_url()
    assert Article.objects.count() == 1
    assert article.title in client.get(detail(good_case)).content.decode()

    assert client.post(detail(good_case), {"intent": "unmark"})["Location"] == LIST
    assert not GoodCase.objects.exists() and Article.objects.exists()


def test_the_article_link_is_for_authors_until_it_is_published(client, chat, supervisor, second_agent):
    good_case = mark(chat, supervisor)
    article, _created = good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    client.force_login(second_agent)
    assert article.get_absolute_url() not in client.get(detail(good_case)).content.decode()
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.PUBLISHED)
    assert article.get_absolute_url() in client.get(detail(good_case)).content.decode()
    client.force_login(supervisor)
    assert article.get_absolute_url() in client.get(detail(good_case)).content.decode()


def test_the_list_shows_the_teams_good_cases_with_links_for_those_allowed(
    client, team, sibling_team, chat, supervisor, second_agent, manager, sibling_agent
):
    ours = mark(chat, supervisor, note="Ours")
    mark(ConversationFactory(team=sibling_team, agent=sibling_agent), manager, note="Theirs")
    client.force_login(second_agent)
    page = client.get(LIST).content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert detail(ours) in page and f"/conversations/{chat.pk}/" not in page  # a colleague's chat
    client.force_login(supervisor)
    assert f"/conversations/{chat.pk}/" in client.get(LIST).content.decode()
    client.force_login(manager)
    assert "Theirs" not in client.get(LIST, {"team": team.pk}).content.decode()
    assert client.get(LIST, {"team": 999999}).status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_page_takes_a_fixed_number_of_queries(client, team, supervisor, django_assert_max_num_queries, size):
    agents = [member(team, Role.AGENT) for _ in range(4)]
    for i in range(size):
        good_case = mark(ConversationFactory(team=team, agent=agents[i % 4]), supervisor, note=f"Case {i}")
        if i % 3 == 0:
            good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    client.force_login(supervisor)
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert response.content.decode().count('class="list-group-item good-case-item"') == size
