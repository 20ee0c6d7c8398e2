"""/api/v1/good-cases/: the permission matrix, marking once, the note, unmarking, the article, query counts."""

import pytest

from recognition import good_cases
from recognition.models import GoodCase
from teams.models import Role
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.factories import member
from training.models import Article

URL = "/api/v1/good-cases/"
ACTORS = ["anonymous", "agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider", "sibling_agent"]


def outcomes(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(ACTORS)
    return dict(zip(ACTORS, statuses, strict=True))


#                   anonymous agent second supervisor qa   manager outsider sibling_agent
READ = outcomes(401, 200, 200, 200, 200, 200, 404, 404)
CHANGE = outcomes(401, 403, 403, 200, 200, 200, 404, 404)
DELETE = outcomes(401, 403, 403, 204, 204, 204, 404, 404)
ARTICLE = outcomes(401, 403, 403, 201, 201, 201, 404, 404)
# Marking a chat of the team: outsiders name a conversation they cannot see (400 naming it, nothing written).
CREATE = outcomes(401, 403, 403, 201, 201, 201, 400, 400)


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


@pytest.fixture
def chat(team, agent):
    conversation = ConversationFactory(team=team, agent=agent, customer="buyer-42")
    MessageFactory(conversation=conversation, sender="customer", text="buyer-42 here, is it in stock?")
    MessageFactory(conversation=conversation, sender="agent", text="Yes, and it ships today.")
    return conversation


@pytest.fixture
def good_case(chat, supervisor):
    return good_cases.good_case_mark(actor=supervisor, conversation=chat, note="Quick and friendly.")


@pytest.mark.parametrize("actor", ACTORS)
def test_read(api, people, good_case, actor):
    client = api.as_user(people[actor])
    assert client.get(f"{URL}{good_case.pk}/").status_code == READ[actor]
    listed = client.get(URL)
    if actor == "anonymous":
        assert listed.status_code == 401
        return
    assert ({row["id"] for row in listed.json()["results"]} == {good_case.pk}) == (READ[actor] == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_create(api, people, chat, actor):
    response = api.as_user(people[actor]).post(URL, {"conversation": chat.pk, "note": "Great!"}, format="json")
    assert response.status_code == CREATE[actor], response.content
    assert GoodCase.objects.filter(conversation=chat).exists() == (CREATE[actor] == 201)
    if CREATE[actor] == 400:
        assert list(response.json()) == ["conversation"]


@pytest.mark.parametrize("actor", ACTORS)
def test_change_note(api, people, good_case, actor):
    response = api.as_user(people[actor]).patch(f"{URL}{good_case.pk}/", {"note": "Edited"}, format="json")
    assert response.status_code == CHANGE[actor], response.content
    good_case.refresh_from_db()
    assert (good_case.note == "Edited") == (CHANGE[actor] == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_unmark(api, people, good_case, actor):
    response = api.as_user(people[actor]).delete(f"{URL}{good_case.pk}/")
    assert response.status_code == DELETE[actor], response.content
    assert GoodCase.objects.filter(pk=good_case.pk).exists() == (DELETE[actor] != 204)


@pytest.mark.parametrize("actor", ACTORS)
def test_article(api, people, good_case, actor):
    response = api.as_user(people[actor]).post(f"{URL}{good_case.pk}/article/")
    assert response.status_code == ARTICLE[actor], response.content
    assert Article.objects.exists() == (ARTICLE[actor] == 201)


def test_the_article_action_is_idempotent(api, good_case, supervisor, qa_inspector):
    first = api.as_user(supervisor).post(f"{URL}{good_case.pk}/article/")
    assert first.status_code == 201 and first.json()["created"] is True
    article = first.json()["article"]
    assert article["url"] == f"http://testserver/training/kb/articles/{article['id']}/"
    assert first.json()["good_case"]["article"] == article["id"]
    again = api.as_user(qa_inspector).post(f"{URL}{good_case.pk}/article/")
    assert again.status_code == 200 and again.json()["article"]["id"] == article["id"] and not again.json()["created"]
    assert Article.objects.count() == 1
    assert "buyer-42" not in Article.objects.get().body


def test_marking_twice_names_the_conversation(api, good_case, qa_inspector, chat):
    response = api.as_user(qa_inspector).post(URL, {"conversation": chat.pk, "note": "Again"}, format="json")
    assert response.status_code == 400 and "conversation" in response.json()
    assert GoodCase.objects.count() == 1


def test_a_note_is_required(api, supervisor, chat):
    response = api.as_user(supervisor).post(URL, {"conversation": chat.pk, "note": ""}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["note"]
    response = api.as_user(supervisor).post(URL, {"conversation": chat.pk, "note": "   "}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["note"]


def test_what_the_list_says(api, good_case, agent, second_agent, supervisor):
    (row,) = api.as_user(second_agent).get(URL).json()["results"]
    assert row["agent"] == agent.pk and row["agent_name"] == str(agent) and row["note"] == "Quick and friendly."
    assert row["can_open_conversation"] is False  # a colleague's chat
    assert api.as_user(agent).get(URL).json()["results"][0]["can_open_conversation"] is True
    assert api.as_user(supervisor).get(URL).json()["results"][0]["can_open_conversation"] is True


def test_team_filter(api, team, sibling_team, good_case, manager, sibling_agent):
    other_chat = ConversationFactory(team=sibling_team, agent=sibling_agent)
    other = good_cases.good_case_mark(actor=manager, conversation=other_chat, note="Sibling's best.")
    client = api.as_user(manager)
    assert {row["id"] for row in client.get(URL).json()["results"]} == {good_case.pk, other.pk}
    assert {row["id"] for row in client.get(URL, {"team": sibling_team.pk}).json()["results"]} == {other.pk}


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_takes_a_fixed_number_of_queries(api, team, supervisor, django_assert_max_num_queries, size):
    agents = [member(team, Role.AGENT) for _ in range(4)]
    for i in range(size):
        chat = ConversationFactory(team=team, agent=agents[i % 4])
        good_case = good_cases.good_case_mark(actor=supervisor, conversation=chat, note=f"Case {i}")
        if i % 3 == 0:
            good_cases.good_case_article_create(good_case=good_case, actor=supervisor)
    client = api.as_user(supervisor)
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"page_size": 100})
    assert len(response.json()["results"]) == size
