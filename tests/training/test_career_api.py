"""/api/v1/training/career-levels/ and /career-progress/: readers, authors, own progress and the team's."""

import datetime as dt
from decimal import Decimal

import pytest

from teams.models import Role
from tests.factories import member
from tests.training.factories_onboarding import complete_course, kpi_day, make_course, qa_review
from training import career
from training.models import CareerLevel

ACTORS = ["anonymous", "agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider", "sibling_agent"]
#                    anonymous agent second_agent supervisor qa_inspector manager outsider sibling_agent
READ_LEVEL = dict(zip(ACTORS, [401, 200, 200, 200, 200, 200, 404, 404], strict=True))
CHANGE_LEVEL = dict(zip(ACTORS, [401, 403, 403, 200, 200, 200, 404, 404], strict=True))
CREATE_LEVEL = dict(zip(ACTORS, [401, 403, 403, 201, 201, 201, 400, 400], strict=True))


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
def basics(team):
    return make_course(team, "Product basics")


@pytest.fixture
def level(team, supervisor, basics):
    return career.career_level_create(
        actor=supervisor,
        team=team,
        position="pre_sales",
        rank=1,
        name="Agent I",
        required_courses=[basics],
        min_qa_score=Decimal("80"),
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_levels_are_read_by_the_team_and_written_by_its_authors(api, people, team, level, basics, actor):
    client = api.as_user(people[actor])
    url = f"/api/v1/training/career-levels/{level.pk}/"
    assert client.get(url).status_code == READ_LEVEL[actor]
    changed = client.patch(url, {"name": "Renamed", "min_kpi_attainment": "90"}, format="json")
    assert changed.status_code == CHANGE_LEVEL[actor], changed.content
    level.refresh_from_db()
    assert (level.name == "Renamed") == (CHANGE_LEVEL[actor] == 200)
    body = {"team": team.pk, "position": "pre_sales", "rank": 2, "name": "Agent II", "required_courses": [basics.pk]}
    created = client.post("/api/v1/training/career-levels/", body, format="json")
    assert created.status_code == CREATE_LEVEL[actor], created.content
    assert CareerLevel.objects.filter(rank=2).exists() == (CREATE_LEVEL[actor] == 201)
    if actor != "anonymous":
        listed = {row["id"] for row in client.get("/api/v1/training/career-levels/").json()["results"]}
        assert (level.pk in listed) == (READ_LEVEL[actor] == 200)


def test_level_errors_name_the_field(api, supervisor, team, level):
    client = api.as_user(supervisor)
    body = {"team": team.pk, "position": "pre_sales", "rank": 1, "name": "Again", "min_qa_score": "120"}
    response = client.post("/api/v1/training/career-levels/", body, format="json")
    assert response.status_code == 400 and "min_qa_score" in response.json()
    body["min_qa_score"] = "90"
    response = client.post("/api/v1/training/career-levels/", body, format="json")
    assert response.status_code == 400 and response.json() == {
        "rank": ["This position already has a level 1: “Agent I”."]
    }
    assert client.delete(f"/api/v1/training/career-levels/{level.pk}/").status_code == 204


@pytest.fixture
def records(team, agent, second_agent, qa_inspector, basics):
    """alice: QA (70 + 90) / 2 = 80, course done -> level 1. bob: QA 60 -> no level."""
    qa_review(team, agent, qa_inspector, 70)
    qa_review(team, agent, qa_inspector, 90)
    qa_review(team, second_agent, qa_inspector, 60)
    complete_course(basics, agent, team)


def progress(client, team, **params):
    return client.get("/api/v1/training/career-progress/", {"team": team.pk, **params})


def test_an_agent_reads_only_their_own_progress(api, team, level, records, agent, second_agent):
    client = api.as_user(agent)
    rows = progress(client, team).json()["results"]
    assert len(rows) == 1
    alice = rows[0]
    assert alice["user"]["id"] == agent.pk
    assert alice["current_level"] == {"id": level.pk, "rank": 1, "name": "Agent I"}
    assert (alice["next_level"], alice["qa_score"], alice["qa_reviews"], alice["percent_to_next"]) == (
        None,
        "80.00",
        2,
        100,
    )
    assert progress(client, team, user=agent.pk).status_code == 200
    assert progress(client, team, user=second_agent.pk).status_code == 404


def test_a_supervisor_reads_the_team(api, team, level, records, supervisor, agent, second_agent):
    rows = progress(api.as_user(supervisor), team).json()["results"]
    by_user = {row["user"]["id"]: row for row in rows}
    assert set(by_user) == {agent.pk, second_agent.pk}
    bob = by_user[second_agent.pk]
    assert bob["current_level"] is None and bob["next_level"]["id"] == level.pk
    assert bob["criteria"] == [
        {"kind": "course", "label": "Product basics", "course": level.required_courses.get().pk, "completed": False,
         "value": None, "required": None, "met": False},
        {"kind": "qa_score", "label": "QA score (last 90 days)", "course": None, "completed": None,
         "value": "60.00", "required": "80.00", "met": False},
    ]  # fmt: skip
    only_bob = progress(api.as_user(supervisor), team, user=second_agent.pk).json()["results"]
    assert [row["user"]["id"] for row in only_bob] == [second_agent.pk]


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent"])
def test_others_get_404(api, people, team, level, records, actor):
    assert progress(api.as_user(people[actor]), team).status_code == 404


def test_bad_parameters(api, supervisor, team):
    client = api.as_user(supervisor)
    missing = client.get("/api/v1/training/career-progress/")
    assert missing.status_code == 400 and "team" in missing.json()
    assert progress(client, team, user="bob").status_code == 400
    assert client.get("/api/v1/training/career-progress/", {"team": 999999}).status_code == 404
    assert api.as_user(None).get("/api/v1/training/career-progress/", {"team": team.pk}).status_code == 401


@pytest.mark.parametrize("size", [2, 10])
def test_team_progress_takes_a_fixed_number_of_queries(
    api, team, supervisor, qa_inspector, level, size, django_assert_max_num_queries
):
    import zoneinfo

    from django.utils import timezone

    yesterday = timezone.now().astimezone(zoneinfo.ZoneInfo(team.timezone)).date() - dt.timedelta(days=1)
    for number in range(size):
        person = member(team, Role.AGENT, username=f"agent{number:02d}")
        qa_review(team, person, qa_inspector, 75 + number)
        kpi_day(team, person, yesterday, "conversations", 10, conversations=number)
    client = api.as_user(supervisor)
    progress(client, team)
    with django_assert_max_num_queries(14):
        response = progress(client, team)
    assert response.json()["count"] == size
