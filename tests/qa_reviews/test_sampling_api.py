"""/api/v1/qa/sampling-rules/ and /api/v1/qa/assignments/: who sees and changes what, on-demand runs, filters."""

import datetime as dt

import pytest

from qa_reviews import sampling
from qa_reviews.models import AssignmentStatus, ReviewAssignment, SamplingKind, SamplingRule
from teams.models import Role
from tests.factories import member
from tests.qa_reviews.test_sampling import WEEK, chat, local, make_rule
from tests.teams.test_permission_matrix import ACTORS, outcomes

RULES = "/api/v1/qa/sampling-rules/"
ASSIGNMENTS = "/api/v1/qa/assignments/"

#        anonymous agent second_agent supervisor qa_inspector manager outsider
READ = {
    "own": outcomes(401, 404, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
CREATE = outcomes(401, 403, 403, 201, 201, 201, 400)  # the outsider names a team they cannot see
CHANGE = READ  # whoever reads a rule supervises its team, and may change it
RUN = READ


@pytest.fixture
def world(team, sibling_team, agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent):
    sibling_inspector = member(sibling_team, Role.QA, username="sibyl")
    people = {
        "anonymous": None,
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
    }
    rules = {"own": make_rule(team, qa_inspector), "sibling": make_rule(sibling_team, sibling_inspector)}
    chats = {"own": chat(team, agent), "sibling": chat(sibling_team, sibling_agent)}
    for where in rules:
        sampling.week_sample(rule=rules[where], week_start=WEEK)
    assignments = {where: ReviewAssignment.objects.get(rule=rules[where]) for where in rules}
    return {"people": people, "rules": rules, "chats": chats, "assignments": assignments}


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_read_rule_and_assignment(api, world, actor, where):
    client = api.as_user(world["people"][actor])
    assert client.get(f"{RULES}{world['rules'][where].pk}/").status_code == READ[where][actor]
    assert client.get(f"{ASSIGNMENTS}{world['assignments'][where].pk}/").status_code == READ[where][actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_lists_hold_only_supervised_teams(api, world, actor):
    client = api.as_user(world["people"][actor])
    for url, objects in ((RULES, world["rules"]), (ASSIGNMENTS, world["assignments"])):
        response = client.get(url)
        if actor == "anonymous":
            assert response.status_code == 401
            continue
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {obj.pk for where, obj in objects.items() if READ[where][actor] == 200}, url


@pytest.mark.parametrize("actor", ACTORS)
def test_create_rule_in_own_team(api, world, team, actor):
    before = SamplingRule.objects.count()
    payload = {"team": team.pk, "name": "Angry customers", "kind": "negative_sentiment", "per_agent_per_week": 3}
    response = api.as_user(world["people"][actor]).post(RULES, payload, format="json")
    assert response.status_code == CREATE[actor], response.content
    assert SamplingRule.objects.count() == before + (1 if CREATE[actor] == 201 else 0)
    if actor == "outsider":
        assert "team" in response.json()
    if CREATE[actor] == 201:
        assert response.json()["kind"] == "negative_sentiment" and response.json()["reviewers"] == []


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_change_rule(api, world, actor, where):
    rule = world["rules"][where]
    response = api.as_user(world["people"][actor]).patch(
        f"{RULES}{rule.pk}/", {"per_agent_per_week": 7, "is_active": False}, format="json"
    )
    assert response.status_code == CHANGE[where][actor], response.content
    rule.refresh_from_db()
    assert (rule.per_agent_per_week, rule.is_active) == ((7, False) if CHANGE[where][actor] == 200 else (2, True))


@pytest.mark.parametrize("where", ["own", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_run_on_demand(api, world, actor, where):
    rule = world["rules"][where]
    extra = chat(rule.team, world["chats"][where].agent, local(WEEK + dt.timedelta(days=3)))
    rule.per_agent_per_week = 5
    rule.save()
    response = api.as_user(world["people"][actor]).post(
        f"{RULES}{rule.pk}/run/", {"week_start": WEEK.isoformat()}, format="json"
    )
    assert response.status_code == RUN[where][actor], response.content
    picked = ReviewAssignment.objects.filter(rule=rule, conversation=extra).exists()
    assert picked == (RUN[where][actor] == 200)
    if RUN[where][actor] == 200:
        assert response.json() == {"rule": rule.pk, "week_start": WEEK.isoformat(), "created": 1}
        again = api.post(f"{RULES}{rule.pk}/run/", {"week_start": WEEK.isoformat()}, format="json")
        assert again.json()["created"] == 0


def test_run_defaults_to_last_week_and_rejects_a_bad_week(api, world, team, agent, qa_inspector):
    rule = world["rules"]["own"]
    last_week = sampling.last_complete_week(team)
    chat(team, agent, local(last_week + dt.timedelta(days=2)))
    client = api.as_user(qa_inspector)
    response = client.post(f"{RULES}{rule.pk}/run/", {}, format="json")
    assert response.json() == {"rule": rule.pk, "week_start": last_week.isoformat(), "created": 1}
    tuesday = client.post(f"{RULES}{rule.pk}/run/", {"week_start": "2026-11-03"}, format="json")
    assert tuesday.status_code == 400 and "week_start" in tuesday.json()
    rule.is_active = False
    rule.save()
    switched_off = client.post(f"{RULES}{rule.pk}/run/", {}, format="json")
    assert switched_off.status_code == 400 and "is_active" in switched_off.json()


def test_rule_payload_errors_name_the_field(api, world, team, sibling_team, agent, supervisor, outsider):
    client = api.as_user(supervisor)
    base = {"team": team.pk, "name": "Weekly", "kind": "random"}
    for payload, field in [
        ({"reviewers": [agent.pk]}, "reviewers"),  # an agent does not review
        ({"reviewers": [outsider.pk]}, "reviewers"),  # nobody they can see
        ({"per_agent_per_week": 0}, "per_agent_per_week"),
        ({"kind": "gut_feeling"}, "kind"),
    ]:
        response = client.post(RULES, {**base, **payload}, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.content)
    rule = world["rules"]["own"]
    moved = client.patch(f"{RULES}{rule.pk}/", {"team": sibling_team.pk}, format="json")
    assert moved.status_code == 400 and "team" in moved.json()
    assert SamplingRule.objects.get(pk=rule.pk).team == team
    assert SamplingRule.objects.count() == 2


def test_reviewers_can_be_chosen(api, world, team, supervisor, qa_inspector):
    response = api.as_user(supervisor).post(
        RULES,
        {"team": team.pk, "name": "Slow", "kind": "slow_first_response", "reviewers": [supervisor.pk, qa_inspector.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["reviewers"]) == sorted([supervisor.pk, qa_inspector.pk])
    rule = SamplingRule.objects.get(pk=response.json()["id"])
    assert rule.kind == SamplingKind.SLOW_FIRST_RESPONSE and rule.reviewers.count() == 2


def test_assignment_filters(api, world, team, agent, second_agent, qa_inspector, supervisor):
    for day in range(3):
        chat(team, second_agent, local(WEEK + dt.timedelta(days=day)))
    rule = make_rule(team, qa_inspector, per_agent_per_week=3, reviewers=[qa_inspector, supervisor])
    sampling.week_sample(rule=rule, week_start=WEEK)
    client = api.as_user(supervisor)
    mine = client.get(ASSIGNMENTS, {"mine": "true"}).json()["results"]
    assert mine and {row["reviewer"] for row in mine} == {supervisor.pk}
    by_reviewer = client.get(ASSIGNMENTS, {"reviewer": qa_inspector.pk}).json()["results"]
    assert {row["reviewer"] for row in by_reviewer} == {qa_inspector.pk}
    assert client.get(ASSIGNMENTS, {"week_start": "2026-11-09"}).json()["count"] == 0
    everything = client.get(ASSIGNMENTS, {"team": team.pk}).json()
    assert everything["count"] == ReviewAssignment.objects.filter(team=team).count()
    first = everything["results"][0]
    assert first["rule_kind"] == "random" and first["agent"] in (agent.pk, second_agent.pk)
    ReviewAssignment.objects.filter(pk=first["id"]).update(status=AssignmentStatus.DONE)
    results = client.get(ASSIGNMENTS).json()["results"]
    assert results[-1]["id"] == first["id"]  # open ones first
    assert client.get(ASSIGNMENTS, {"status": "done"}).json()["count"] == 1


@pytest.mark.parametrize("size", [2, 12])
def test_assignment_list_query_count(api, world, team, qa_inspector, size, django_assert_max_num_queries):
    agents = [member(team, Role.AGENT) for _ in range(size)]
    for person in agents:
        chat(team, person)
    rule = make_rule(team, qa_inspector, per_agent_per_week=1)
    sampling.week_sample(rule=rule, week_start=WEEK)
    for _ in range(size):
        make_rule(team, qa_inspector, reviewers=[qa_inspector])
    client = api.as_user(qa_inspector)
    with django_assert_max_num_queries(5):
        response = client.get(ASSIGNMENTS)
    assert response.json()["count"] == size + 1
    with django_assert_max_num_queries(6):  # and one for the reviewers of every rule
        assert client.get(RULES).json()["count"] == size + 2
