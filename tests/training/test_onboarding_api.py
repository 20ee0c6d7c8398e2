"""/api/v1/training/onboarding/ and /onboarding-templates/: who sees and ticks what, and what bad input says."""

import pytest

from teams.models import Role
from tests.factories import member
from tests.training.factories_onboarding import make_article, make_course, make_template
from training import onboarding
from training.models import ArticleRead, Onboarding, OnboardingStepDone, OnboardingTemplate, StepKind

ACTORS = ["anonymous", "agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider", "sibling_agent"]
#                 anonymous agent second_agent supervisor qa_inspector manager outsider sibling_agent
READ = dict(zip(ACTORS, [401, 200, 404, 200, 200, 200, 404, 404], strict=True))
TICK = dict(zip(ACTORS, [401, 403, 404, 200, 200, 200, 404, 404], strict=True))


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
def article(team):
    return make_article(team)


@pytest.fixture
def course(team):
    return make_course(team)


@pytest.fixture
def template(people, team, supervisor, article, course):
    return make_template(team, supervisor, article=article, course=course)


@pytest.fixture
def checklist(template, agent, supervisor):
    return onboarding.onboarding_start(template=template, user=agent, actor=supervisor)[0]


def url(checklist, suffix=""):
    return f"/api/v1/training/onboarding/{checklist.pk}/{suffix}"


@pytest.mark.parametrize("actor", ACTORS)
def test_a_checklist_is_read_by_its_member_and_their_supervisors_only(api, people, checklist, actor):
    client = api.as_user(people[actor])
    response = client.get(url(checklist))
    assert response.status_code == READ[actor], response.content
    if actor == "anonymous":
        return
    listed = {row["id"] for row in client.get("/api/v1/training/onboarding/").json()["results"]}
    assert (checklist.pk in listed) == (READ[actor] == 200)


def test_the_detail_shows_each_step_and_its_state(api, agent, checklist, article):
    ArticleRead.objects.create(article=article, user=agent)
    body = api.as_user(agent).get(url(checklist)).json()
    assert (body["steps_done"], body["steps_total"], body["completed_at"]) == (1, 3, None)
    assert body["url"] == f"/training/onboarding/{checklist.pk}/"
    assert [(step["kind"], step["done"], step["how"], step["confirmable"]) for step in body["steps"]] == [
        ("read_article", True, "article_read", False),
        ("pass_course", False, "", False),
        ("shadow", False, "", True),
    ]
    assert body["steps"][0]["article"] == article.pk and body["steps"][0]["title"] == "Refund policy"


@pytest.mark.parametrize("actor", ACTORS)
def test_ticking_a_step(api, people, checklist, actor):
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    response = api.as_user(people[actor]).post(url(checklist, f"steps/{shadow.pk}/done/"))
    assert response.status_code == TICK[actor], response.content
    assert OnboardingStepDone.objects.filter(onboarding=checklist).exists() == (TICK[actor] == 200)
    if TICK[actor] == 200:
        step = response.json()["steps"][2]
        assert step["done"] and step["how"] == "confirmed" and step["confirmed_by"]["id"] == people[actor].pk
        again = api.as_user(people[actor]).post(url(checklist, f"steps/{shadow.pk}/done/"))
        assert again.status_code == 200 and OnboardingStepDone.objects.count() == 1


def test_untick_and_bad_steps(api, supervisor, checklist, team, article, course):
    client = api.as_user(supervisor)
    reading = checklist.template.steps.get(kind=StepKind.READ_ARTICLE)
    refused = client.post(url(checklist, f"steps/{reading.pk}/done/"))
    assert refused.status_code == 400 and "step" in refused.json()
    other = make_template(team, supervisor, article=article, course=course, name="Other")
    assert client.post(url(checklist, f"steps/{other.steps.last().pk}/done/")).status_code == 404
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    client.post(url(checklist, f"steps/{shadow.pk}/done/"))
    taken_back = client.delete(url(checklist, f"steps/{shadow.pk}/done/"))
    assert taken_back.status_code == 200 and taken_back.json()["steps_done"] == 0
    assert not OnboardingStepDone.objects.exists()


def test_the_last_tick_completes_the_checklist(api, supervisor, agent, checklist, article, course, team):
    from tests.training.factories_onboarding import complete_course

    ArticleRead.objects.create(article=article, user=agent)
    complete_course(course, agent, team)
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    body = api.as_user(supervisor).post(url(checklist, f"steps/{shadow.pk}/done/")).json()
    assert body["completed_at"] is not None and body["steps_done"] == 3


def test_filters_open_and_user(api, supervisor, checklist, second_agent, template):
    onboarding.onboarding_start(template=template, user=second_agent, actor=supervisor)
    client = api.as_user(supervisor)
    assert client.get("/api/v1/training/onboarding/", {"user": second_agent.pk}).json()["count"] == 1
    assert client.get("/api/v1/training/onboarding/", {"open": "true"}).json()["count"] == 2
    assert client.get("/api/v1/training/onboarding/", {"open": "false"}).json()["count"] == 0


def test_starting_by_hand(api, supervisor, agent, second_agent, outsider, template):
    body = {"template": template.pk, "user": second_agent.pk}
    assert api.as_user(agent).post("/api/v1/training/onboarding/", body, format="json").status_code == 403
    denied = api.as_user(outsider).post("/api/v1/training/onboarding/", body, format="json")
    assert denied.status_code == 400 and {"template", "user"} <= set(denied.json())
    assert not Onboarding.objects.filter(user=second_agent).exists()
    created = api.as_user(supervisor).post("/api/v1/training/onboarding/", body, format="json")
    assert created.status_code == 201 and created.json()["user"]["id"] == second_agent.pk
    again = api.as_user(supervisor).post("/api/v1/training/onboarding/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]


@pytest.mark.parametrize("size", [2, 10])
def test_the_list_takes_a_fixed_number_of_queries(api, team, supervisor, template, size, django_assert_max_num_queries):
    for number in range(size):
        member(team, Role.AGENT, username=f"new{number}")
    client = api.as_user(supervisor)
    client.get("/api/v1/training/onboarding/")  # the token and the user's scopes warm up
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/training/onboarding/")
    assert response.json()["count"] == size


# ------------------------------------------------------------------------------------------- templates


def steps_payload(article, course):
    return [
        {"kind": "read_article", "article": article.pk},
        {"kind": "pass_course", "course": course.pk},
        {"kind": "other", "title": "Get a headset"},
    ]


def test_authors_build_a_template(api, supervisor, team, article, course):
    body = {"team": team.pk, "name": "Welcome", "position": "pre_sales", "steps": steps_payload(article, course)}
    response = api.as_user(supervisor).post("/api/v1/training/onboarding-templates/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(step["position"], step["kind"], step["title"]) for step in data["steps"]] == [
        (0, "read_article", "Refund policy"),
        (1, "pass_course", "Returns 101"),
        (2, "other", "Get a headset"),
    ]
    other_id = data["steps"][2]["id"]
    patch = {"steps": [{"id": other_id, "kind": "other", "title": "Get a headset and a login"}], "is_active": False}
    changed = api.as_user(supervisor).patch(
        f"/api/v1/training/onboarding-templates/{data['id']}/", patch, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert [(s["id"], s["title"]) for s in changed.json()["steps"]] == [(other_id, "Get a headset and a login")]
    assert changed.json()["is_active"] is False and changed.json()["team"] == team.pk


def test_template_errors_name_the_field(api, supervisor, team, sibling_team, article):
    foreign = make_article(sibling_team, title="Not ours")
    body = {
        "team": team.pk,
        "name": "Welcome",
        "steps": [{"kind": "read_article", "article": foreign.pk}, {"kind": "shadow", "article": article.pk}],
    }
    response = api.as_user(supervisor).post("/api/v1/training/onboarding-templates/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"steps"}  # the foreign article is not even visible: "does not exist"
    body["steps"] = [{"kind": "shadow", "article": article.pk, "title": "Shadow"}]
    response = api.as_user(supervisor).post("/api/v1/training/onboarding-templates/", body, format="json")
    assert response.status_code == 400 and "steps[0].article" in response.json()
    assert not OnboardingTemplate.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_templates_are_for_authors(api, people, team, template, article, course, actor):
    client = api.as_user(people[actor])
    authors = {"supervisor", "qa_inspector", "manager"}
    read = client.get(f"/api/v1/training/onboarding-templates/{template.pk}/")
    assert read.status_code == (401 if actor == "anonymous" else 200 if actor in authors else 404)
    changed = client.patch(f"/api/v1/training/onboarding-templates/{template.pk}/", {"name": "Hijacked"}, format="json")
    assert changed.status_code == read.status_code
    template.refresh_from_db()
    assert (template.name == "Hijacked") == (actor in authors)
    body = {"team": team.pk, "name": "New", "steps": steps_payload(article, course)}
    created = client.post("/api/v1/training/onboarding-templates/", body, format="json")
    expected = {"anonymous": 401, "outsider": 400, "sibling_agent": 400}.get(actor, 201 if actor in authors else 403)
    assert created.status_code == expected, created.content
    assert OnboardingTemplate.objects.filter(name="New").exists() == (expected == 201)


def test_a_started_template_is_not_deleted(api, supervisor, checklist, team, article, course):
    client = api.as_user(supervisor)
    refused = client.delete(f"/api/v1/training/onboarding-templates/{checklist.template_id}/")
    assert refused.status_code == 400 and "template" in refused.json()
    unused = make_template(team, supervisor, article=article, course=course, name="Unused", position="complaints")
    assert client.delete(f"/api/v1/training/onboarding-templates/{unused.pk}/").status_code == 204
