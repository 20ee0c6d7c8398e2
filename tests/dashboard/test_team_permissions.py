"""Who opens a team's dashboard (page and JSON): the team's supervisors, QA inspectors and the managers above it.
Agents, a sibling team's supervisor and outsiders get 404 and learn nothing; the page only reads."""

import pytest

from kpi.models import DailyTeamMetric
from teams.models import Role
from tests.dashboard.team_data import DAY
from tests.factories import member

PAGE, API = "/dashboard/team/", "/api/v1/dashboard/team/"
SEES = {"supervisor", "qa_inspector", "manager"}
DENIED = {"agent", "second_agent", "outsider", "sibling_agent", "sibling_supervisor"}


@pytest.fixture
def people(agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent, sibling_team):
    return {
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
        "sibling_agent": sibling_agent,
        "sibling_supervisor": member(sibling_team, Role.SUPERVISOR, username="sibyl"),
    }


@pytest.fixture
def figures(team):
    return DailyTeamMetric.objects.create(team=team, date=DAY, conversations=321)


@pytest.mark.parametrize("actor", sorted(SEES | DENIED))
def test_page_and_api(client, api, team, people, figures, actor):
    person = people[actor]
    query = {"team": team.pk, "date": DAY.isoformat()}
    client.force_login(person)
    page = client.get(PAGE, query)
    answer = api.as_user(person).get(API, query)
    if actor in SEES:
        assert page.status_code == 200 and answer.status_code == 200
        assert "321" in page.content.decode()
        assert answer.json()["glance"][0]["today"]["actual"] == 321
    else:
        assert (page.status_code, answer.status_code) == (404, 404)
        assert "321" not in page.content.decode() and "321" not in answer.content.decode()


def test_anonymous_is_sent_to_log_in_or_told_to_authenticate(client, api, team):
    response = client.get(PAGE, {"team": team.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api.as_user(None).get(API, {"team": team.pk}).status_code == 401


@pytest.mark.parametrize("actor", ["agent", "sibling_agent"])
def test_an_agent_without_a_supervised_team_gets_404_without_naming_one(client, api, people, actor):
    client.force_login(people[actor])
    assert client.get(PAGE).status_code == 404
    assert api.as_user(people[actor]).get(API).status_code == 404


def test_without_a_team_each_opens_their_first_supervised_team(client, api, team, other_team, people):
    client.force_login(people["supervisor"])
    assert client.get(PAGE).context["team"] == team
    assert api.as_user(people["outsider"]).get(API).json()["team"]["id"] == other_team.pk
    # the manager supervises the department and both teams: teams first, by name
    assert api.as_user(people["manager"]).get(API).json()["team"]["name"] == "After-sales"


def test_the_team_picker_lists_only_supervised_teams(client, team, sibling_team, department, people):
    client.force_login(people["manager"])
    names = [name for _pk, name in client.get(PAGE).context["form"].fields["team"].choices]
    assert names == ["After-sales", "Pre-sales", "Online Service"]
    client.force_login(people["supervisor"])
    assert [name for _pk, name in client.get(PAGE).context["form"].fields["team"].choices] == ["Pre-sales"]


def test_a_team_id_that_is_not_a_number(client, api, people):
    client.force_login(people["supervisor"])
    assert client.get(PAGE, {"team": "x"}).status_code == 404
    response = api.as_user(people["supervisor"]).get(API, {"team": "x"})
    assert response.status_code == 400 and "team" in response.json()


def test_the_dashboard_only_reads(client, api, team, people, figures):
    client.force_login(people["supervisor"])
    assert client.post(PAGE, {"team": team.pk}).status_code == 405
    assert api.as_user(people["supervisor"]).post(API, {"team": team.pk}).status_code == 405
    client.force_login(people["outsider"])
    assert client.post(PAGE, {"team": team.pk}).status_code == 405
    figures.refresh_from_db()
    assert figures.conversations == 321


def test_a_kept_answer_is_only_ever_handed_back_to_its_caller(api, team, people, figures):
    from django.core.cache import cache

    cache.clear()
    query = {"team": team.pk, "date": DAY.isoformat()}
    first = api.as_user(people["supervisor"]).get(API, query)
    assert first.status_code == 200 and first["Cache-Control"] == "private, max-age=30"
    assert api.as_user(people["supervisor"]).get(API, query).content == first.content
    for actor in ("outsider", "agent", "sibling_supervisor"):
        assert api.as_user(people[actor]).get(API, query).status_code == 404, actor
    assert api.as_user(people["qa_inspector"]).get(API, query).json()["glance"][0]["today"]["actual"] == 321
