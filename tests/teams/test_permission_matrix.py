"""Writes with real bodies for the teams foundation, QA cases, calibrations and complaints, per actor.

Every route of the project, each method and each actor is in tests/security/policy.py (empty bodies, three
object places); the tables here drive successful writes with real bodies and check what they changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from qa_reviews.models import Case
from teams.models import Membership, Responsibility, Shift, Shop, Team
from tests.factories import MembershipFactory, ResponsibilityFactory, ShiftFactory, ShopFactory

ACTORS = ["anonymous", "agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider"]


def outcomes(*statuses: int) -> dict[str, int]:
    """One row of the matrix, in the order of ACTORS."""
    assert len(statuses) == len(ACTORS)
    return dict(zip(ACTORS, statuses, strict=True))


#                    anonymous agent second_agent supervisor qa_inspector manager outsider
# Reading an object of the actors' team ("own") and of a sibling team in the same department.
READ = {
    "own": outcomes(401, 200, 200, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
CHANGE = {
    "own": outcomes(401, 403, 403, 200, 403, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
DELETE = {
    "own": outcomes(401, 403, 403, 204, 403, 204, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 204, 404),
}
# Creating in the actors' team: the outsider's payload names a team they cannot see (400, nothing created).
CREATE = outcomes(401, 403, 403, 201, 403, 201, 400)
# Creating a team under the department: only its manager may.
CREATE_TEAM = outcomes(401, 403, 403, 403, 403, 201, 400)


@dataclass
class World:
    team: Team
    sibling_team: Team
    people: dict


@dataclass
class Resource:
    name: str
    model: type
    make: Callable[[World, str], object]  # where: "own" or "sibling"
    create_payload: Callable[[World], dict] | None
    patch: dict
    deletable: bool = False
    watched_field: str = field(default="")


def _team_of(world: World, where: str) -> Team:
    return world.team if where == "own" else world.sibling_team


RESOURCES = [
    Resource(
        "team",
        Team,
        make=_team_of,
        create_payload=None,  # creating teams has its own test: it needs the parent department
        patch={"vision": "Changed by the test"},
        watched_field="vision",
    ),
    Resource(
        "member",
        Membership,
        make=lambda w, where: MembershipFactory(team=_team_of(w, where)),
        create_payload=lambda w: {"username": "newbie", "team": w.team.pk, "role": "agent", "position": "pre_sales"},
        patch={"position": "after_sales"},
        watched_field="position",
    ),
    Resource(
        "shop",
        Shop,
        make=lambda w, where: ShopFactory(team=_team_of(w, where)),
        create_payload=lambda w: {"team": w.team.pk, "code": "new-shop", "name": "New shop"},
        patch={"name": "Renamed by the test"},
        watched_field="name",
    ),
    Resource(
        "responsibility",
        Responsibility,
        make=lambda w, where: ResponsibilityFactory(team=_team_of(w, where)),
        create_payload=lambda w: {"team": w.team.pk, "category": "Refunds", "owner": w.people["agent"].pk},
        patch={"description": "Changed by the test"},
        deletable=True,
        watched_field="description",
    ),
    Resource(
        "shift",
        Shift,
        make=lambda w, where: ShiftFactory(
            team=_team_of(w, where), user=w.people["second_agent"] if where == "own" else w.people["sibling_agent"]
        ),
        create_payload=lambda w: {
            "team": w.team.pk,
            "user": w.people["agent"].pk,
            "date": "2026-12-01",
            "start_time": "09:00",
            "end_time": "18:00",
        },
        patch={"end_time": "17:00:00"},
        deletable=True,
        watched_field="end_time",
    ),
]
RESOURCE_BY_NAME = {resource.name: resource for resource in RESOURCES}


@pytest.fixture
def world(team, sibling_team, agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent):
    people = {
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
        "sibling_agent": sibling_agent,
        "anonymous": None,
    }
    return World(team=team, sibling_team=sibling_team, people=people)


def _url(resource: Resource, obj=None) -> str:
    base = f"/api/v1/{'responsibilities' if resource.name == 'responsibility' else resource.name + 's'}/"
    return base if obj is None else f"{base}{obj.pk}/"


def _snapshot(obj, field_name: str):
    return getattr(type(obj).objects.get(pk=obj.pk), field_name)


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("resource_name", [r.name for r in RESOURCES])
def test_read_detail(api, world, resource_name, actor, where):
    resource = RESOURCE_BY_NAME[resource_name]
    obj = resource.make(world, where)
    response = api.as_user(world.people[actor]).get(_url(resource, obj))
    assert response.status_code == READ[where][actor], response.content


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("resource_name", [r.name for r in RESOURCES])
def test_change_detail(api, world, resource_name, actor, where):
    resource = RESOURCE_BY_NAME[resource_name]
    obj = resource.make(world, where)
    before = _snapshot(obj, resource.watched_field)
    response = api.as_user(world.people[actor]).patch(_url(resource, obj), resource.patch, format="json")
    expected = CHANGE[where][actor]
    assert response.status_code == expected, response.content
    after = _snapshot(obj, resource.watched_field)
    if expected == 200:
        assert str(after) == str(next(iter(resource.patch.values())))
    else:
        assert after == before


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("resource_name", [r.name for r in RESOURCES])
def test_delete_detail(api, world, resource_name, actor, where):
    resource = RESOURCE_BY_NAME[resource_name]
    obj = resource.make(world, where)
    response = api.as_user(world.people[actor]).delete(_url(resource, obj))
    if not resource.deletable:
        expected = 401 if actor == "anonymous" else 405
        assert response.status_code == expected
        assert type(obj).objects.filter(pk=obj.pk).exists()
        return
    expected = DELETE[where][actor]
    assert response.status_code == expected, response.content
    assert type(obj).objects.filter(pk=obj.pk).exists() == (expected != 204)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("resource_name", [r.name for r in RESOURCES if r.create_payload])
def test_create_in_own_team(api, world, resource_name, actor):
    resource = RESOURCE_BY_NAME[resource_name]
    count_before = resource.model.objects.count()
    response = api.as_user(world.people[actor]).post(_url(resource), resource.create_payload(world), format="json")
    assert response.status_code == CREATE[actor], response.content
    created = 1 if CREATE[actor] == 201 else 0
    assert resource.model.objects.count() == count_before + created
    if actor == "outsider":
        assert "team" in response.json()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("resource_name", [r.name for r in RESOURCES])
def test_list_contains_only_visible_rows(api, world, resource_name, actor):
    resource = RESOURCE_BY_NAME[resource_name]
    own, sibling = resource.make(world, "own"), resource.make(world, "sibling")
    response = api.as_user(world.people[actor]).get(_url(resource), {"page_size": 500})
    if actor == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert (own.pk in ids) == (READ["own"][actor] == 200)
    assert (sibling.pk in ids) == (READ["sibling"][actor] == 200)
    visible_teams = _teams_visible_to(world, actor)
    for row in response.json()["results"]:
        row_team = row["id"] if resource.name == "team" else row["team"]
        assert row_team in visible_teams


def _teams_visible_to(world: World, actor: str) -> set[int]:
    department = world.team.parent_id
    return {
        "agent": {world.team.pk, department},
        "second_agent": {world.team.pk, department},
        "supervisor": {world.team.pk, department},
        "qa_inspector": {world.team.pk, department},
        "manager": {world.team.pk, world.sibling_team.pk, department},
        "outsider": {m.team_id for m in world.people["outsider"].memberships.all()}
        | {m.team.parent_id for m in world.people["outsider"].memberships.all()},
    }[actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_create_team_under_department(api, world, actor):
    payload = {"name": "Night shift", "timezone": "Asia/Shanghai", "parent": world.team.parent_id}
    response = api.as_user(world.people[actor]).post("/api/v1/teams/", payload, format="json")
    assert response.status_code == CREATE_TEAM[actor], response.content
    assert Team.objects.filter(name="Night shift").exists() == (CREATE_TEAM[actor] == 201)


@pytest.mark.parametrize("actor", ACTORS)
def test_me_describes_only_the_caller(api, world, actor):
    response = api.as_user(world.people[actor]).get("/api/v1/me/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert response.json()["username"] == world.people[actor].username


# Browser pages: (url name, needs manage rights)
PAGE_EXPECTATIONS = {
    # actor: (read own team, manage own team, read or manage sibling team)
    "agent": (200, 403, 404),
    "second_agent": (200, 403, 404),
    "supervisor": (200, 200, 404),
    "qa_inspector": (200, 403, 404),
    "manager": (200, 200, 200),
    "outsider": (404, 404, 404),
}


def _page_urls(world: World, where: str) -> dict[str, list[str]]:
    team = _team_of(world, where)
    responsibility = ResponsibilityFactory(team=team)
    membership = Membership.objects.filter(team=team).first() or MembershipFactory(team=team)
    return {
        "read": [f"/teams/{team.pk}/", f"/teams/{team.pk}/responsibilities/"],
        "manage": [
            f"/teams/{team.pk}/responsibilities/new/",
            f"/teams/{team.pk}/responsibilities/{responsibility.pk}/edit/",
            f"/teams/{team.pk}/members/new/",
            f"/teams/{team.pk}/members/{membership.pk}/edit/",
        ],
    }


@pytest.mark.parametrize("actor", [*PAGE_EXPECTATIONS, "anonymous"])
def test_team_pages(client, world, actor):
    person = world.people[actor]
    if person is not None:
        client.force_login(person)
    own, sibling = _page_urls(world, "own"), _page_urls(world, "sibling")
    for url in own["read"] + own["manage"] + sibling["read"] + sibling["manage"]:
        response = client.get(url)
        if person is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
            continue
        read_own, manage_own, sibling_access = PAGE_EXPECTATIONS[actor]
        if url in own["read"]:
            expected = read_own
        elif url in own["manage"]:
            expected = manage_own
        else:
            expected = sibling_access
        assert response.status_code == expected, (url, response.status_code)


@pytest.mark.parametrize("actor", [*PAGE_EXPECTATIONS])
def test_denied_page_posts_change_nothing(client, world, actor):
    _read_own, manage_own, sibling_access = PAGE_EXPECTATIONS[actor]
    client.force_login(world.people[actor])
    for where, allowed in (("own", manage_own), ("sibling", sibling_access)):
        if allowed == 200:
            continue
        team = _team_of(world, where)
        responsibility = ResponsibilityFactory(team=team, description="untouched")
        client.post(
            f"/teams/{team.pk}/responsibilities/{responsibility.pk}/edit/",
            {"team": team.pk, "category": "Hijacked", "description": "changed"},
        )
        client.post(f"/teams/{team.pk}/responsibilities/{responsibility.pk}/delete/")
        client.post(f"/teams/{team.pk}/members/new/", {"username": "intruder", "role": "agent"})
        responsibility.refresh_from_db()
        assert (responsibility.category, responsibility.description) != ("Hijacked", "changed")
        assert not Membership.objects.filter(user__username="intruder").exists()


# QA cases: a case of the actors' team whose responsible person is the agent, and one of the sibling team
# (its responsible person is the sibling agent). The agent reads their own case but changes nothing.
#                        anonymous agent second_agent supervisor qa_inspector manager outsider
QA_CASE_READ = {
    "own": outcomes(401, 200, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
QA_CASE_CHANGE = {
    "own": outcomes(401, 403, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_qa_case_matrix(api, client, world, actor, where):
    responsible = world.people["agent" if where == "own" else "sibling_agent"]
    case = Case.objects.create(team=_team_of(world, where), title="Late parcel", responsible=responsible)
    person, read, change = world.people[actor], QA_CASE_READ[where][actor], QA_CASE_CHANGE[where][actor]
    client_api = api.as_user(person)
    assert client_api.get(f"/api/v1/qa/cases/{case.pk}/").status_code == read
    patched = client_api.patch(f"/api/v1/qa/cases/{case.pk}/", {"lesson_learned": "Changed"}, format="json")
    assert patched.status_code == change, patched.content
    if person is not None:
        listed = {row["id"] for row in client_api.get("/api/v1/qa/cases/").json()["results"]}
        assert (case.pk in listed) == (read == 200)
    denied = 403 if read == 200 else 404
    if change != 200:
        for suffix in ("action/", "close/", "training/"):
            answered = client_api.post(f"/api/v1/qa/cases/{case.pk}/{suffix}", {}, format="json")
            assert answered.status_code == (401 if person is None else denied), suffix
    case.refresh_from_db()
    assert (case.lesson_learned == "Changed") == (change == 200) and case.status == "open"
    if person is None:
        assert client.get(f"/qa/cases/{case.pk}/").status_code == 302
        return
    client.force_login(person)
    assert client.get(f"/qa/cases/{case.pk}/").status_code == read
    if change != 200:
        assert client.post(f"/qa/cases/{case.pk}/", {"intent": "close"}).status_code == denied
        assert client.get(f"/qa/cases/{case.pk}/evidence/").status_code == 404  # no file, or no access


# QA calibration sessions: one of the actors' team (reviewers quinn and sue, opened by sue) and one of the
# sibling team (reviewers mona and the sibling's supervisor). Only those who supervise the team see a session;
# agents see none. Closing: the creator or whoever manages the team. Scoring: only the session's reviewers.
#                               anonymous agent second_agent supervisor qa_inspector manager outsider
QA_CALIBRATION_READ = {
    "own": outcomes(401, 404, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
QA_CALIBRATION_CLOSE = {
    "own": outcomes(401, 404, 404, 200, 403, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
QA_CALIBRATION_SCORE_PAGE = {  # anonymous: redirected to log in
    "own": outcomes(302, 404, 404, 200, 200, 403, 404),
    "sibling": outcomes(302, 404, 404, 404, 404, 200, 404),
}


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_qa_calibration_matrix(api, client, world, actor, where):
    from qa_reviews.models import CalibrationSession, Scorecard
    from teams.models import Role
    from tests.conversations.factories import ConversationFactory
    from tests.factories import member

    team = _team_of(world, where)
    if where == "own":
        creator, reviewers = world.people["supervisor"], [world.people["qa_inspector"], world.people["supervisor"]]
        chat = ConversationFactory(team=team, agent=world.people["agent"])
    else:
        creator = member(team, Role.SUPERVISOR, username="sibling-sue")
        reviewers = [world.people["manager"], creator]
        chat = ConversationFactory(team=team, agent=world.people["sibling_agent"])
    scorecard = Scorecard.objects.create(team=team, name="Chat quality", family=900 + team.pk)
    session = CalibrationSession.objects.create(team=team, name="Calibration", scorecard=scorecard, created_by=creator)
    session.conversations.set([chat])
    session.reviewers.set(reviewers)
    person, read = world.people[actor], QA_CALIBRATION_READ[where][actor]
    url = f"/api/v1/qa/calibrations/{session.pk}/"
    client_api = api.as_user(person)
    assert client_api.get(url).status_code == read
    assert client_api.get(f"{url}results/").status_code == read
    if person is not None:
        listed = {row["id"] for row in client_api.get("/api/v1/qa/calibrations/").json()["results"]}
        assert (session.pk in listed) == (read == 200)
    page_url = f"/qa/calibrations/{session.pk}/conversations/{chat.pk}/"
    if person is not None:
        client.force_login(person)
    page = client.get(f"/qa/calibrations/{session.pk}/")
    assert page.status_code == (302 if person is None else read)
    assert client.get(page_url).status_code == QA_CALIBRATION_SCORE_PAGE[where][actor]
    closed = client_api.post(f"{url}close/")
    assert closed.status_code == QA_CALIBRATION_CLOSE[where][actor], closed.content
    session.refresh_from_db()
    assert (session.status == "closed") == (closed.status_code == 200)


# Complaints: one of the actors' team, recorded by the supervisor for the agent (its owner), and one of the
# sibling team owned by the sibling agent. Agents see only what they own or recorded; moving it on is for the
# owner and the team's supervisors, QA inspectors and managers. The team's SLA is set by who manages the team.
#                          anonymous agent second_agent supervisor qa_inspector manager outsider
COMPLAINT_READ = {
    "own": outcomes(401, 200, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
COMPLAINT_MOVE = {
    "own": outcomes(401, 200, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
COMPLAINT_SLA_SET = outcomes(401, 403, 403, 200, 403, 200, 400)  # outsider: the team "does not exist"


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_complaint_matrix(api, client, world, actor, where):
    from qa_reviews import complaints
    from qa_reviews.models import Complaint

    team = _team_of(world, where)
    recorder, owner = (
        (world.people["supervisor"], world.people["agent"])
        if where == "own"
        else (world.people["manager"], world.people["sibling_agent"])
    )
    complaint = complaints.complaint_create(
        team=team, actor=recorder, owner=owner, summary="Broken lid", category="product", customer="buyer-1"
    )
    person, read, move = world.people[actor], COMPLAINT_READ[where][actor], COMPLAINT_MOVE[where][actor]
    client_api = api.as_user(person)
    assert client_api.get(f"/api/v1/complaints/{complaint.pk}/").status_code == read
    if person is not None:
        listed = {row["id"] for row in client_api.get("/api/v1/complaints/").json()["results"]}
        assert (complaint.pk in listed) == (read == 200)
        client.force_login(person)
    assert client.get(f"/complaints/{complaint.pk}/").status_code == (302 if person is None else read)
    moved = client_api.post(f"/api/v1/complaints/{complaint.pk}/transition/", {"status": "responding"}, format="json")
    assert moved.status_code == move, moved.content
    assert Complaint.objects.get(pk=complaint.pk).status == ("responding" if move == 200 else "new")


@pytest.mark.parametrize("actor", ACTORS)
def test_complaint_sla_matrix(api, world, actor):
    from qa_reviews.models import ComplaintPolicy

    body = {"team": world.team.pk, "first_response_minutes": 15}
    response = api.as_user(world.people[actor]).post("/api/v1/complaints/policy/", body, format="json")
    assert response.status_code == COMPLAINT_SLA_SET[actor], response.content
    assert ComplaintPolicy.objects.filter(team=world.team).exists() == (response.status_code == 200)
