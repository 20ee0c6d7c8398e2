"""Onboarding pages: my checklist, the team overview, ticking in the browser, and the template editor."""

import pytest

from teams.models import Role
from tests.factories import member
from tests.training.factories_onboarding import make_article, make_course, make_template
from training import onboarding
from training.models import ArticleRead, Onboarding, OnboardingStepDone, OnboardingTemplate, StepKind

ACTORS = ["agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider", "sibling_agent"]
#            agent second_agent supervisor qa_inspector manager outsider sibling_agent
READ = dict(zip(ACTORS, [200, 404, 200, 200, 200, 404, 404], strict=True))
TICK = dict(zip(ACTORS, [403, 404, 302, 302, 302, 404, 404], strict=True))


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


@pytest.mark.parametrize("actor", ACTORS)
def test_the_checklist_page_and_ticking_it(client, people, checklist, actor):
    client.force_login(people[actor])
    page = client.get(f"/training/onboarding/{checklist.pk}/")
    assert page.status_code == READ[actor]
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    ticked = client.post(f"/training/onboarding/{checklist.pk}/", {"step": shadow.pk, "intent": "confirm"})
    assert ticked.status_code == TICK[actor]
    assert OnboardingStepDone.objects.exists() == (TICK[actor] == 302)


def test_the_member_sees_their_steps_and_links(client, agent, checklist, article):
    ArticleRead.objects.create(article=article, user=agent)
    client.force_login(agent)
    html = client.get(f"/training/onboarding/{checklist.pk}/").content.decode()
    assert "Pre-sales onboarding" in html and "Shadow Sue for a shift" in html
    assert "read on" in html and "Tick as done" not in html
    assert f'href="/training/kb/articles/{article.pk}/"' in html  # the knowledge base's page, when installed
    mine = client.get("/training/onboarding/").content.decode()
    assert 'id="my-onboarding"' in mine and f"/training/onboarding/{checklist.pk}/" in mine
    assert 'id="team-onboarding"' not in mine


def test_a_supervisor_ticks_and_takes_back(client, supervisor, checklist):
    client.force_login(supervisor)
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    html = client.get(f"/training/onboarding/{checklist.pk}/").content.decode()
    assert "Tick as done" in html
    response = client.post(
        f"/training/onboarding/{checklist.pk}/", {"step": shadow.pk, "intent": "confirm"}, follow=True
    )
    assert "ticked" in response.content.decode() and "Take back" in response.content.decode()
    client.post(f"/training/onboarding/{checklist.pk}/", {"step": shadow.pk, "intent": "unconfirm"})
    assert not OnboardingStepDone.objects.exists()
    reading = checklist.template.steps.get(kind=StepKind.READ_ARTICLE)
    refused = client.post(
        f"/training/onboarding/{checklist.pk}/", {"step": reading.pk, "intent": "confirm"}, follow=True
    )
    assert "ticks itself" in refused.content.decode() and not OnboardingStepDone.objects.exists()


def test_the_team_overview_and_starting_by_hand(client, supervisor, checklist, second_agent, template):
    client.force_login(supervisor)
    html = client.get("/training/onboarding/").content.decode()
    assert 'id="team-onboarding"' in html and str(checklist.user) in html
    response = client.post("/training/onboarding/", {"template": template.pk, "user": second_agent.pk})
    started = Onboarding.objects.get(user=second_agent)
    assert response["Location"] == f"/training/onboarding/{started.pk}/"
    again = client.post("/training/onboarding/", {"template": template.pk, "user": second_agent.pk}, follow=True)
    assert "already has this checklist" in again.content.decode()


@pytest.mark.parametrize("actor", ["agent", "outsider"])
def test_others_cannot_start_checklists(client, people, template, second_agent, actor):
    client.force_login(people[actor])
    response = client.post("/training/onboarding/", {"template": template.pk, "user": second_agent.pk})
    assert response.status_code in (200, 403)
    assert not Onboarding.objects.filter(user=second_agent).exists()


@pytest.mark.parametrize("size", [2, 10])
def test_the_overview_takes_a_fixed_number_of_queries(
    client, team, supervisor, template, size, django_assert_max_num_queries
):
    for number in range(size):
        member(team, Role.AGENT, username=f"new{number}")
    client.force_login(supervisor)
    with django_assert_max_num_queries(16):
        response = client.get("/training/onboarding/?state=all")
    assert response.content.decode().count('class="progress"') == size


# ---------------------------------------------------------------------------------------- the editor


def rows(*steps: dict) -> dict:
    data = {"form-TOTAL_FORMS": str(len(steps)), "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "1"}
    for index, step in enumerate(steps):
        for key, value in step.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_a_supervisor_builds_and_changes_a_template(client, supervisor, team, article, course):
    client.force_login(supervisor)
    assert 'id="template-form"' in client.get("/training/onboarding/templates/new/").content.decode()
    body = {
        "name": "Welcome",
        "team": team.pk,
        "position": "",
        "is_active": "on",
        **rows(
            # a leftover course choice on a reading row is dropped, not refused
            {"kind": "read_article", "article": article.pk, "course": course.pk},
            {"kind": "pass_course", "course": course.pk},
            {"kind": "shadow", "title": "Shadow a senior"},
        ),
    }
    response = client.post("/training/onboarding/templates/new/", body)
    template = OnboardingTemplate.objects.get()
    assert response["Location"] == f"/training/onboarding/templates/{template.pk}/"
    assert list(template.steps.values_list("kind", "title", "article", "course")) == [
        ("read_article", "Refund policy", article.pk, None),
        ("pass_course", "Returns 101", None, course.pk),
        ("shadow", "Shadow a senior", None, None),
    ]
    shadow = template.steps.get(kind="shadow")
    edit = {
        "name": "Welcome aboard",
        "position": "pre_sales",
        **rows({"id": shadow.pk, "kind": "shadow", "title": "Shadow"}),
    }
    client.post(f"/training/onboarding/templates/{template.pk}/", edit)
    template.refresh_from_db()
    assert (template.name, template.position, template.is_active) == ("Welcome aboard", "pre_sales", False)
    assert list(template.steps.values_list("pk", "title")) == [(shadow.pk, "Shadow")]
    assert "Welcome aboard" in client.get("/training/onboarding/templates/").content.decode()


def test_a_bad_row_is_shown_on_its_field_and_nothing_saved(client, supervisor, team, sibling_team):
    client.force_login(supervisor)
    body = {"name": "Welcome", "team": team.pk, **rows({"kind": "read_article"}, {"kind": "other"})}
    response = client.post("/training/onboarding/templates/new/", body)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the article to read." in html and "Say what the new member does in this step." in html
    assert not OnboardingTemplate.objects.exists()


# The outsider supervises their own team: their template list is empty, and ours is a 404.
EDITOR_LIST = dict(zip(ACTORS, [403, 403, 200, 200, 200, 200, 403], strict=True))
EDITOR_PAGE = dict(zip(ACTORS, [404, 404, 200, 200, 200, 404, 404], strict=True))


@pytest.mark.parametrize("actor", ACTORS)
def test_the_editor_is_for_authors(client, people, template, actor):
    client.force_login(people[actor])
    listing = client.get("/training/onboarding/templates/")
    assert listing.status_code == EDITOR_LIST[actor]
    assert (template.name in listing.content.decode()) == (EDITOR_PAGE[actor] == 200)
    assert client.get(f"/training/onboarding/templates/{template.pk}/").status_code == EDITOR_PAGE[actor]
    assert client.get("/training/onboarding/templates/new/").status_code == EDITOR_LIST[actor]
    edit = {"name": "Hijacked", **rows({"kind": "other", "title": "x"})}
    client.post(f"/training/onboarding/templates/{template.pk}/", edit)
    template.refresh_from_db()
    assert (template.name == "Hijacked") == (EDITOR_PAGE[actor] == 200)
    client.post(f"/training/onboarding/templates/{template.pk}/", {"intent": "delete"})
    assert OnboardingTemplate.objects.filter(pk=template.pk).exists() == (EDITOR_PAGE[actor] != 200)
