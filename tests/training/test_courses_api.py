"""/api/v1/training/courses/, /assignments/ and /assessments/: who sees and changes what; outsiders get 404 and
change nothing; bulk assignment is idempotent; lists answer in a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teams.models import Role
from tests.factories import member
from tests.teams.test_permission_matrix import ACTORS, outcomes
from tests.training.test_courses_services import assign, in_days, make_course, text
from training import courses
from training.models import AssessmentSchedule, Assignment, Course, MaterialProgress

COURSES = "/api/v1/training/courses/"
ASSIGNMENTS = "/api/v1/training/assignments/"
ASSESSMENTS = "/api/v1/training/assessments/"

#                        anonymous agent second_agent supervisor qa_inspector manager outsider
COURSE_READ = {
    "published": outcomes(401, 200, 200, 200, 200, 200, 404),
    "draft": outcomes(401, 404, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
COURSE_CREATE = outcomes(401, 403, 403, 201, 201, 201, 400)  # the outsider names a team they cannot see
COURSE_CHANGE = {
    "published": outcomes(401, 403, 403, 200, 200, 200, 404),
    "draft": outcomes(401, 404, 404, 200, 200, 200, 404),
    "sibling": outcomes(401, 404, 404, 404, 404, 200, 404),
}
# alice's assignment: hers, and her team's supervisors'.
ASSIGNMENT_READ = outcomes(401, 200, 404, 200, 200, 200, 404)
MARK_DONE = outcomes(401, 200, 404, 403, 403, 403, 404)
ASSIGN = outcomes(401, 403, 403, 201, 201, 201, 400)  # the outsider: the course "does not exist"
ASSESSMENT_READ = outcomes(401, 404, 404, 200, 200, 200, 404)
ASSESSMENT_CREATE = outcomes(401, 403, 403, 201, 201, 201, 400)


@pytest.fixture
def world(team, sibling_team, agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent):
    people = {
        "anonymous": None,
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
    }
    found = {
        "published": make_course(team, supervisor, title="Published"),
        "draft": make_course(team, supervisor, title="Draft", publish=False),
        "sibling": make_course(sibling_team, manager, title="Sibling's"),
    }
    return {"people": people, "courses": found, "team": team}


@pytest.mark.parametrize("where", ["published", "draft", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_read_course(api, world, actor, where):
    client = api.as_user(world["people"][actor])
    course = world["courses"][where]
    response = client.get(f"{COURSES}{course.pk}/")
    assert response.status_code == COURSE_READ[where][actor]
    if response.status_code == 200:
        assert [m["title"] for m in response.json()["materials"]] == ["Part 1", "Part 2"]
    if actor != "anonymous":
        listed = {row["id"] for row in client.get(COURSES).json()["results"]}
        assert (course.pk in listed) == (COURSE_READ[where][actor] == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_create_course(api, world, actor):
    before = Course.objects.count()
    payload = {
        "team": world["team"].pk,
        "title": "Upselling",
        "audience_positions": ["pre_sales"],
        "materials": [
            {"kind": "text", "title": "Why", "body": "**Because.**"},
            {"kind": "video", "title": "Recording", "video_url": "https://video.example.com/1"},
        ],
    }
    response = api.as_user(world["people"][actor]).post(COURSES, payload, format="json")
    assert response.status_code == COURSE_CREATE[actor], response.content
    assert Course.objects.count() == before + (1 if response.status_code == 201 else 0)
    if actor == "outsider":
        assert "team" in response.json()
    if response.status_code == 201:
        body = response.json()
        assert body["is_published"] is False and body["estimated_minutes"] == 20
        assert [(m["position"], m["kind"]) for m in body["materials"]] == [(0, "text"), (1, "video")]
        assert "<strong>Because.</strong>" in body["materials"][0]["body_html"]


@pytest.mark.parametrize("where", ["published", "draft", "sibling"])
@pytest.mark.parametrize("actor", ACTORS)
def test_change_and_publish_course(api, world, actor, where):
    client = api.as_user(world["people"][actor])
    course = world["courses"][where]
    was_published = course.is_published
    response = client.patch(f"{COURSES}{course.pk}/", {"title": "Changed"}, format="json")
    expected = COURSE_CHANGE[where][actor]
    assert response.status_code == expected, response.content
    action = "unpublish" if was_published else "publish"
    assert client.post(f"{COURSES}{course.pk}/{action}/").status_code == expected
    course.refresh_from_db()
    assert (course.title == "Changed") == (expected == 200)
    assert course.is_published == (was_published != (expected == 200))


def test_bad_course_input_names_the_field(api, team, supervisor):
    client = api.as_user(supervisor)
    response = client.post(
        COURSES, {"team": team.pk, "title": "x", "materials": [{"kind": "text", "title": "No body"}]}, format="json"
    )
    assert response.status_code == 400 and "materials[0].body" in response.json()
    course = make_course(team, supervisor)
    response = client.patch(f"{COURSES}{course.pk}/", {"materials": [{"id": 999999, "title": "x"}]}, format="json")
    assert response.status_code == 400 and "materials[0].id" in response.json()
    response = client.patch(f"{COURSES}{course.pk}/", {"materials": []}, format="json")
    assert response.status_code == 400 and "materials" in response.json()
    assert course.materials.count() == 2


def test_materials_are_replaced_in_order_keeping_ids(api, team, supervisor):
    course = make_course(team, supervisor)
    first, second = course.materials.all()
    response = api.as_user(supervisor).patch(
        f"{COURSES}{course.pk}/",
        {"materials": [{"id": second.pk, "title": "Second first"}, {"id": first.pk, "title": "Part 1"}]},
        format="json",
    )
    assert response.status_code == 200
    assert [(m["id"], m["position"]) for m in response.json()["materials"]] == [(second.pk, 0), (first.pk, 1)]


def test_attachment_upload_is_limited_and_served_only_to_those_who_see_the_course(
    api, client, team, supervisor, agent, outsider, monkeypatch
):
    course = make_course(team, supervisor)
    url = f"{COURSES}{course.pk}/attachments/"
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide", content_type="application/pdf")
    response = api.as_user(supervisor).post(url, {"title": "Guide", "file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    material = response.json()["materials"][-1]
    assert material["kind"] == "attachment" and material["position"] == 2
    assert api.as_user(agent).post(url, {"title": "x", "file": SimpleUploadedFile("a.pdf", b"x")}).status_code == 403
    monkeypatch.setattr("training.courses.authoring.ATTACHMENT_MAX_BYTES", 5)
    big = SimpleUploadedFile("big.pdf", b"x" * 6)
    response = api.as_user(supervisor).post(url, {"title": "Big", "file": big}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert course.materials.count() == 3
    keep_all = [{"id": pk} for pk in course.materials.order_by("-position").values_list("pk", flat=True)]
    response = api.as_user(supervisor).patch(f"{COURSES}{course.pk}/", {"materials": keep_all}, format="json")
    assert response.status_code == 200  # sending only ids keeps each material as it is, in the new order
    material = response.json()["materials"][0]
    assert (material["kind"], material["title"]) == ("attachment", "Guide")
    client.force_login(agent)
    download = client.get(material["attachment_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 guide"
    assert download["Content-Disposition"].startswith("attachment")
    client.force_login(outsider)
    assert client.get(material["attachment_url"]).status_code == 404


# ------------------------------------------------------------------------------------- assignments


@pytest.mark.parametrize("actor", ACTORS)
def test_assignment_visibility_and_marking_done(api, world, actor, agent, supervisor):
    course = world["courses"]["published"]
    (assignment,) = assign(course, supervisor, users=[agent])
    client = api.as_user(world["people"][actor])
    assert client.get(f"{ASSIGNMENTS}{assignment.pk}/").status_code == ASSIGNMENT_READ[actor]
    if actor != "anonymous":
        listed = {row["id"] for row in client.get(ASSIGNMENTS).json()["results"]}
        assert (assignment.pk in listed) == (ASSIGNMENT_READ[actor] == 200)
    material = course.materials.first()
    response = client.post(f"{ASSIGNMENTS}{assignment.pk}/materials/{material.pk}/done/")
    assert response.status_code == MARK_DONE[actor], response.content
    assert MaterialProgress.objects.exists() == (MARK_DONE[actor] == 200)
    if MARK_DONE[actor] == 200:
        body = response.json()
        assert (body["steps"], body["steps_done"], body["progress_percent"]) == (2, 1, 50)


def test_an_agent_lists_only_their_own_assignments(api, team, supervisor, agent, second_agent):
    course = make_course(team, supervisor)
    assign(course, supervisor, teams=[team])
    own = api.as_user(agent).get(ASSIGNMENTS).json()["results"]
    assert [row["user"] for row in own] == [agent.pk]
    assert len(api.as_user(supervisor).get(ASSIGNMENTS).json()["results"]) == 2
    assert len(api.as_user(supervisor).get(ASSIGNMENTS, {"mine": "true"}).json()["results"]) == 0


@pytest.mark.parametrize("actor", ACTORS)
def test_bulk_assign(api, world, actor, team, agent, second_agent):
    course = world["courses"]["published"]
    payload = {"course": course.pk, "due_date": in_days(7).isoformat(), "teams": [team.pk], "users": [agent.pk]}
    client = api.as_user(world["people"][actor])
    response = client.post(ASSIGNMENTS, payload, format="json")
    assert response.status_code == ASSIGN[actor], response.content
    expected = 2 if ASSIGN[actor] == 201 else 0
    assert Assignment.objects.count() == expected
    if expected:
        assert response.json()["created"] == 2
        again = client.post(ASSIGNMENTS, payload, format="json")
        assert again.status_code == 200 and again.json() == {"created": 0, "assignments": []}
        assert Assignment.objects.count() == 2
    if actor == "outsider":
        assert "course" in response.json()


def test_bulk_assign_names_the_bad_field(api, team, sibling_team, supervisor, sibling_agent):
    course = make_course(team, supervisor)
    client = api.as_user(supervisor)
    due = in_days(7).isoformat()
    response = client.post(
        ASSIGNMENTS, {"course": course.pk, "due_date": due, "users": [sibling_agent.pk]}, format="json"
    )
    assert response.status_code == 400 and "users" in response.json()  # not a member of a team sue reads
    response = client.post(ASSIGNMENTS, {"course": course.pk, "due_date": due}, format="json")
    assert response.status_code == 400 and "users" in response.json()
    response = client.post(
        ASSIGNMENTS, {"course": course.pk, "due_date": "2000-01-01", "teams": [team.pk]}, format="json"
    )
    assert response.status_code == 400 and "due_date" in response.json()
    assert not Assignment.objects.exists()


# ------------------------------------------------------------------------------------- assessments


@pytest.mark.parametrize("actor", ACTORS)
def test_assessments(api, world, actor, team, supervisor):
    course = world["courses"]["published"]
    client = api.as_user(world["people"][actor])
    response = client.post(ASSESSMENTS, {"team": team.pk, "course": course.pk, "frequency": "weekly"}, format="json")
    assert response.status_code == ASSESSMENT_CREATE[actor], response.content
    schedule = AssessmentSchedule.objects.filter(team=team, course=course).first()
    assert (schedule is not None) == (ASSESSMENT_CREATE[actor] == 201)
    if schedule is None:
        schedule = courses.assessment_create(team=team, course=course, actor=supervisor)
    assert client.get(f"{ASSESSMENTS}{schedule.pk}/").status_code == ASSESSMENT_READ[actor]
    patched = client.patch(f"{ASSESSMENTS}{schedule.pk}/", {"due_days": 3}, format="json")
    assert patched.status_code == ASSESSMENT_READ[actor]
    schedule.refresh_from_db()
    assert (schedule.due_days == 3) == (ASSESSMENT_READ[actor] == 200)
    if actor != "anonymous":
        listed = [row["id"] for row in client.get(ASSESSMENTS).json()["results"]]
        assert listed == ([schedule.pk] if ASSESSMENT_READ[actor] == 200 else [])
    deleted = client.delete(f"{ASSESSMENTS}{schedule.pk}/")
    assert deleted.status_code == (204 if ASSESSMENT_READ[actor] == 200 else ASSESSMENT_READ[actor])
    assert AssessmentSchedule.objects.filter(pk=schedule.pk).exists() == (ASSESSMENT_READ[actor] != 200)


def test_an_assessment_keeps_its_team_and_course(api, team, supervisor):
    course, other = make_course(team, supervisor), make_course(team, supervisor, title="Other")
    schedule = courses.assessment_create(team=team, course=course, actor=supervisor)
    response = api.as_user(supervisor).patch(f"{ASSESSMENTS}{schedule.pk}/", {"course": other.pk}, format="json")
    assert response.status_code == 400 and "course" in response.json()


# ------------------------------------------------------------------------------------ query counts


def test_lists_answer_in_a_fixed_number_of_queries(api, team, supervisor, django_assert_max_num_queries):
    client = api.as_user(supervisor)
    for size in (2, 12):
        people = [member(team, Role.AGENT) for _ in range(size)]
        for n in range(size):
            course = courses.course_create(
                team=team, actor=supervisor, title=f"Course {size}-{n}", materials=[text("One"), text("Two")]
            )
            course = courses.course_set_published(course=course, actor=supervisor, published=True)
            assign(course, supervisor, users=people[:3])
        with django_assert_max_num_queries(7):
            response = client.get(COURSES, {"page_size": 500})
        assert response.status_code == 200 and len(response.json()["results"]) >= size
        with django_assert_max_num_queries(5):
            response = client.get(ASSIGNMENTS, {"page_size": 500})
        assert response.status_code == 200 and len(response.json()["results"]) >= min(3, size) * size
