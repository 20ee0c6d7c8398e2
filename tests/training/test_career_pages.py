"""Career path pages: my progress bar, the team's table for supervisors, and managing levels."""

from decimal import Decimal

import pytest

from teams.models import Role
from tests.factories import member
from tests.training.factories_onboarding import complete_course, make_course, qa_review
from training import career
from training.models import CareerLevel

ACTORS = ["agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider", "sibling_agent"]
#                 agent second_agent supervisor qa_inspector manager outsider sibling_agent
LEVELS_PAGE = dict(zip(ACTORS, [403, 403, 200, 200, 200, 404, 403], strict=True))  # ?team= of the actors' team
LEVEL_EDIT = dict(zip(ACTORS, [403, 403, 200, 200, 200, 404, 404], strict=True))


@pytest.fixture
def people(agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent):
    return {
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
        "sibling_agent": sibling_agent,
    }


@pytest.fixture
def basics(team):
    return make_course(team, "Product basics")


@pytest.fixture
def levels(team, supervisor, basics):
    first = career.career_level_create(
        actor=supervisor, team=team, position="pre_sales", rank=1, name="Agent I", required_courses=[basics]
    )
    second = career.career_level_create(
        actor=supervisor, team=team, position="pre_sales", rank=2, name="Agent II", min_qa_score=Decimal("85")
    )
    return first, second


def test_an_agent_sees_the_path_and_their_progress_bar(client, team, agent, second_agent, qa_inspector, levels, basics):
    complete_course(basics, agent, team)
    qa_review(team, agent, qa_inspector, 80)
    qa_review(team, second_agent, qa_inspector, 99)
    client.force_login(agent)
    html = client.get("/training/career/").content.decode()
    assert 'id="my-progress"' in html and "Agent I" in html and "Agent II" in html
    assert "0 of 1 criteria met" in html and "80.00" in html and "≥ 85.00" in html
    assert 'id="team-progress"' not in html and "99.00" not in html  # nothing of bob's
    assert "Manage levels" not in html


def test_a_supervisor_sees_the_team(client, team, supervisor, agent, second_agent, levels):
    client.force_login(supervisor)
    html = client.get(f"/training/career/?team={team.pk}").content.decode()
    assert 'id="team-progress"' in html and str(agent) in html and str(second_agent) in html
    assert 'id="my-progress"' not in html and "Manage levels" in html


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent"])
def test_another_team_is_a_404(client, people, team, levels, actor):
    client.force_login(people[actor])
    assert client.get(f"/training/career/?team={team.pk}").status_code == 404
    assert client.get("/training/career/").status_code == 200  # their own team


@pytest.mark.parametrize("actor", ACTORS)
def test_managing_levels_is_for_authors(client, people, team, levels, actor):
    client.force_login(people[actor])
    assert client.get(f"/training/career/levels/?team={team.pk}").status_code == LEVELS_PAGE[actor]
    first, _second = levels
    assert client.get(f"/training/career/levels/{first.pk}/").status_code == LEVEL_EDIT[actor]
    body = {"team": team.pk, "position": "pre_sales", "rank": 3, "name": "Senior"}
    client.post(f"/training/career/levels/?team={team.pk}", body)
    client.post(f"/training/career/levels/{first.pk}/", {**body, "rank": 1, "name": "Renamed"})
    first.refresh_from_db()
    allowed = LEVEL_EDIT[actor] == 200
    assert CareerLevel.objects.filter(rank=3).exists() == allowed
    assert (first.name == "Renamed") == allowed


def test_a_taken_rank_is_shown_on_the_field(client, supervisor, team, levels):
    client.force_login(supervisor)
    body = {"team": team.pk, "position": "pre_sales", "rank": 2, "name": "Again"}
    html = client.post(f"/training/career/levels/?team={team.pk}", body).content.decode()
    assert "This position already has a level 2" in html
    assert CareerLevel.objects.count() == 2


def test_a_level_is_removed(client, supervisor, team, levels):
    client.force_login(supervisor)
    response = client.post(f"/training/career/levels/{levels[1].pk}/", {"intent": "delete"})
    assert response["Location"] == f"/training/career/levels/?team={team.pk}"
    assert list(CareerLevel.objects.values_list("name", flat=True)) == ["Agent I"]


@pytest.mark.parametrize("size", [2, 10])
def test_the_page_takes_a_fixed_number_of_queries(
    client, team, supervisor, qa_inspector, levels, size, django_assert_max_num_queries
):
    for number in range(size):
        person = member(team, Role.AGENT, username=f"agent{number:02d}")
        qa_review(team, person, qa_inspector, 80 + number)
    client.force_login(supervisor)
    with django_assert_max_num_queries(16):
        response = client.get(f"/training/career/?team={team.pk}")
    assert response.content.decode().count('<div class="progress" role="progressbar" aria-valuenow="0"') == size
