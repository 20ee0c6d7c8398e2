"""Course pages: who sees and changes what (outsiders 404, nothing written), authoring with the materials
formset, assigning, taking a course, the overview and periodic assessments; fixed query counts."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teams.models import Role
from tests.factories import member
from tests.training.test_courses_services import assign, in_days, make_course
from training import courses
from training.models import AssessmentSchedule, Assignment, Attempt, AttemptStatus, Course, MaterialProgress, Quiz

ACTORS = ["agent", "second_agent", "supervisor", "qa_inspector", "manager", "outsider"]


def pages(*statuses):
    """One row of expected statuses, in the order of ACTORS (anonymous users are sent to log in)."""
    return dict(zip(ACTORS, statuses, strict=True))


@pytest.fixture
def world(team, agent, second_agent, supervisor, qa_inspector, manager, outsider):
    people = {
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "outsider": outsider,
    }
    published = make_course(team, supervisor, title="Published")
    draft = make_course(team, supervisor, title="Draft", publish=False)
    (assignment,) = assign(published, supervisor, users=[agent])
    schedule = courses.assessment_create(team=team, course=published, actor=supervisor)
    return {"people": people, "published": published, "draft": draft, "assignment": assignment, "schedule": schedule}


def _expectations(w):
    published, draft, assignment = w["published"], w["draft"], w["assignment"]
    agent = w["people"]["agent"]
    return {
        "/training/": pages(200, 200, 200, 200, 200, 200),
        "/training/courses/": pages(200, 200, 200, 200, 200, 200),
        "/training/courses/new/": pages(403, 403, 200, 200, 200, 200),
        f"/training/courses/{published.pk}/": pages(200, 200, 200, 200, 200, 404),
        f"/training/courses/{draft.pk}/": pages(404, 404, 200, 200, 200, 404),
        f"/training/courses/{published.pk}/edit/": pages(403, 403, 200, 200, 200, 404),
        f"/training/courses/{draft.pk}/edit/": pages(404, 404, 200, 200, 200, 404),
        f"/training/courses/{published.pk}/assign/": pages(403, 403, 200, 200, 200, 404),
        f"/training/assignments/{assignment.pk}/": pages(200, 404, 200, 200, 200, 404),
        f"/training/people/{agent.pk}/": pages(302, 404, 200, 200, 200, 404),
        "/training/overview/": pages(403, 403, 200, 200, 200, 200),  # the outsider: their own team
        f"/training/overview/?team={published.team_id}": pages(403, 403, 200, 200, 200, 404),
        "/training/assessments/": pages(403, 403, 200, 200, 200, 200),
        f"/training/assessments/{w['schedule'].pk}/": pages(404, 404, 200, 200, 200, 404),
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_who_sees_which_page(client, world, actor):
    client.force_login(world["people"][actor])
    for url, expected in _expectations(world).items():
        assert client.get(url).status_code == expected[actor], url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in _expectations(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("actor", ["agent", "second_agent", "outsider"])
def test_denied_posts_change_nothing(client, world, actor, team):
    published, assignment = world["published"], world["assignment"]
    client.force_login(world["people"][actor])
    hidden = 404 if actor == "outsider" else 403
    edit = client.post(f"/training/courses/{published.pk}/edit/", {"title": "Hijacked", "materials-TOTAL_FORMS": "0"})
    assert edit.status_code == hidden
    assert client.post(f"/training/courses/{published.pk}/publish/", {"intent": "unpublish"}).status_code in (
        hidden,
        302,
    )
    assign_page = client.post(f"/training/courses/{published.pk}/assign/", {"due_date": in_days(3), "teams": [team.pk]})
    assert assign_page.status_code == hidden
    deleted = client.post(f"/training/assessments/{world['schedule'].pk}/", {"intent": "delete"})
    assert deleted.status_code == 404
    if actor != "agent":  # alice's own assignment is hers to work on
        material = published.materials.first()
        done = client.post(f"/training/assignments/{assignment.pk}/materials/{material.pk}/done/")
        assert done.status_code == 404
    published.refresh_from_db()
    assert published.title == "Published" and published.is_published
    assert Assignment.objects.count() == 1 and AssessmentSchedule.objects.count() == 1
    assert not MaterialProgress.objects.exists()


def _material_rows(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "materials-TOTAL_FORMS": str(len(rows)),
        "materials-INITIAL_FORMS": str(initial),
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"materials-{index}-{key}"] = value
    return data


def test_a_supervisor_builds_a_course_in_the_browser(client, team, supervisor):
    client.force_login(supervisor)
    assert "formset-rows.js" in client.get("/training/courses/new/").content.decode()
    data = {
        "team": team.pk,
        "title": "Handling refunds",
        "description": "What to say and do.",
        "audience_positions": ["after_sales"],
        **_material_rows(
            [
                {
                    "kind": "text",
                    "title": "Policy",
                    "body": "Refund within **7 days**.",
                    "estimated_minutes": 5,
                    "ORDER": 2,
                },
                {
                    "kind": "attachment",
                    "title": "Form",
                    "attachment": SimpleUploadedFile("form.pdf", b"%PDF"),
                    "estimated_minutes": 3,
                    "ORDER": 1,
                },
                {"kind": "text", "title": "", "body": "", "estimated_minutes": 10, "ORDER": ""},  # a blank row: ignored
            ]
        ),
    }
    data["materials-2-kind"] = "text"
    response = client.post("/training/courses/new/", data)
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/training/courses/{course.pk}/"
    assert list(course.materials.values_list("title", "position")) == [("Form", 0), ("Policy", 1)]
    assert course.audience_positions == ["after_sales"] and course.estimated_minutes == 8
    page = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert "<strong>7 days</strong>" in page and 'id="publish-course"' in page


def test_editing_keeps_the_materials_and_shows_row_errors(client, team, supervisor):
    course = make_course(team, supervisor)
    first, second = course.materials.all()
    client.force_login(supervisor)
    rows = [
        {"id": first.pk, "kind": "text", "title": "Part 1", "body": "Read this.", "estimated_minutes": 10, "ORDER": 1},
        {
            "id": second.pk,
            "kind": "text",
            "title": "Part 2",
            "body": "Read this.",
            "estimated_minutes": 10,
            "ORDER": 2,
            "DELETE": "on",
        },
        {"kind": "video", "title": "Recording", "video_url": "", "estimated_minutes": 10, "ORDER": 3},
    ]
    data = {"title": "Renamed", "description": "", **_material_rows(rows, initial=2)}
    response = client.post(f"/training/courses/{course.pk}/edit/", data)
    assert response.status_code == 200 and "Give the link to the recorded session." in response.content.decode()
    rows[2]["video_url"] = "https://video.example.com/session"
    response = client.post(f"/training/courses/{course.pk}/edit/", {**data, **_material_rows(rows, initial=2)})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Renamed"
    assert list(course.materials.values_list("pk", "kind")) == [
        (first.pk, "text"),
        (course.materials.last().pk, "video"),
    ]


def test_assigning_a_team_from_the_page(client, team, supervisor, agent, second_agent):
    course = make_course(team, supervisor)
    client.force_login(supervisor)
    response = client.post(
        f"/training/courses/{course.pk}/assign/", {"due_date": in_days(5), "teams": [team.pk]}, follow=True
    )
    assert "2 people assigned." in response.content.decode()
    response = client.post(
        f"/training/courses/{course.pk}/assign/", {"due_date": in_days(5), "teams": [team.pk]}, follow=True
    )
    assert "already has this course" in response.content.decode()
    response = client.post(f"/training/courses/{course.pk}/assign/", {"due_date": "2000-01-01", "users": [agent.pk]})
    assert "The due date is in the past." in response.content.decode()
    assert Assignment.objects.count() == 2


def test_taking_a_course_from_the_assignment_page(client, team, supervisor, agent):
    course = make_course(team, supervisor, parts=2)
    Quiz.objects.create(course=course)
    (assignment,) = assign(course, supervisor, users=[agent])
    client.force_login(agent)
    page = client.get(f"/training/assignments/{assignment.pk}/").content.decode()
    assert page.count('class="btn btn-sm btn-outline-success mark-done"') == 2
    assert f'href="/training/courses/{course.pk}/quiz/"' in page  # the quizzes area serves the quiz
    first = course.materials.first()
    response = client.post(f"/training/assignments/{assignment.pk}/materials/{first.pk}/done/")
    assert response.status_code == 302 and response["Location"].endswith(f"#material-{first.pk}")
    page = client.get(f"/training/assignments/{assignment.pk}/").content.decode()
    assert "1 of 3 steps" in page and page.count("mark-done") == 1
    client.force_login(supervisor)  # the supervisor follows along, without buttons
    page = client.get(f"/training/assignments/{assignment.pk}/").content.decode()
    assert "mark-done" not in page and "1 of 3 steps" in page


def test_my_learning_shows_progress_due_dates_and_overdue(client, team, supervisor, agent):
    soon, late = make_course(team, supervisor, title="Soon"), make_course(team, supervisor, title="Late")
    assign(soon, supervisor, users=[agent], due=in_days(3))
    (overdue,) = assign(late, supervisor, users=[agent], due=in_days(0))
    Assignment.objects.filter(pk=overdue.pk).update(due_date=in_days(-2))
    client.force_login(agent)
    page = client.get("/training/").content.decode()
    assert page.index("Late") < page.index("Soon")
    assert "overdue" in page and f"due {in_days(3).isoformat()}" in page
    assert "Suggested from your QA reviews" in page


def test_overview_shows_completion_and_best_quiz_scores(client, team, supervisor, agent, second_agent):
    course = make_course(team, supervisor, title="Product quiz", parts=1)
    quiz = Quiz.objects.create(course=course)
    mine, _theirs = sorted(assign(course, supervisor, teams=[team]), key=lambda a: a.user.username)
    courses.material_mark_done(assignment=mine, material=course.materials.get(), actor=agent)
    for number, percent in ((1, "60.00"), (2, "85.50")):
        Attempt.objects.create(
            quiz=quiz, user=agent, team=team, number=number, status=AttemptStatus.GRADED, percent=Decimal(percent)
        )
    Attempt.objects.create(quiz=quiz, user=second_agent, team=team, number=1, status=AttemptStatus.IN_PROGRESS)
    client.force_login(supervisor)
    page = client.get("/training/overview/").content.decode()
    rows = re.findall(r"<tr><td><a href=\"/training/people/(\d+)/\">.*?</tr>", page, flags=re.S)
    assert rows == [str(agent.pk), str(second_agent.pk)]
    assert "86%" in page and "Product quiz" in page
    assert 'style="width: 50%"' in page  # alice: 1 of 2 steps (material done, quiz not passed)


def test_assessments_page_creates_and_stops_a_schedule(client, team, supervisor):
    course = make_course(team, supervisor)
    client.force_login(supervisor)
    data = {"team": team.pk, "course": course.pk, "frequency": "weekly", "due_days": 3, "is_active": "on"}
    assert client.post("/training/assessments/", data).status_code == 302
    response = client.post("/training/assessments/", data)
    assert "Periodic assessment with this Team and Course already exists." in response.content.decode()
    schedule = AssessmentSchedule.objects.get()
    assert (schedule.frequency, schedule.due_days) == ("weekly", 3)
    client.post(f"/training/assessments/{schedule.pk}/", {"frequency": "monthly", "due_days": 5})
    schedule.refresh_from_db()
    assert (schedule.frequency, schedule.due_days, schedule.is_active) == ("monthly", 5, False)
    client.post(f"/training/assessments/{schedule.pk}/", {"intent": "delete"})
    assert not AssessmentSchedule.objects.exists()


def test_a_supervisor_assigns_a_suggested_course_from_the_persons_page(client, team, supervisor, qa_inspector, agent):
    from qa_reviews import services as qa
    from tests.training.test_courses_services import CRITERIA, review

    scorecard = qa.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)
    course = make_course(
        team, supervisor, title="Solving", qa_criteria=[scorecard.criteria.get(title="Solves the problem")]
    )
    review(scorecard, qa_inspector, agent, [1, 1, 1])
    client.force_login(supervisor)
    page = client.get(f"/training/people/{agent.pk}/").content.decode()
    assign_url = f"/training/courses/{course.pk}/assign/?users={agent.pk}"
    assert assign_url in page and "Trains: Solves the problem" in page
    form = client.get(assign_url).content.decode()
    assert re.search(rf'<option value="{agent.pk}" selected>', form)


def test_pages_render_in_chinese(client, world):
    client.force_login(world["people"]["supervisor"])
    client.cookies["django_language"] = "zh-hans"
    for url in (
        "/training/",
        "/training/courses/",
        f"/training/courses/{world['published'].pk}/",
        "/training/overview/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and 'lang="zh-hans"' in response.content.decode(), url


def test_pages_use_a_fixed_number_of_queries(client, team, supervisor, django_assert_max_num_queries):
    client.force_login(supervisor)
    for size in (2, 10):
        people = [member(team, Role.AGENT) for _ in range(size)]
        for n in range(size):
            course = make_course(team, supervisor, title=f"Course {size}-{n}")
            Quiz.objects.create(course=course)
            for person in people[:3]:
                (_row,) = assign(course, supervisor, users=[person])
                Attempt.objects.create(
                    quiz=course.quiz,
                    user=person,
                    team=team,
                    number=1,
                    status=AttemptStatus.GRADED,
                    percent=Decimal("90"),
                )
        client.force_login(people[0])
        with django_assert_max_num_queries(8):
            assert client.get("/training/").status_code == 200
        client.force_login(supervisor)
        with django_assert_max_num_queries(8):
            assert client.get("/training/courses/").status_code == 200
        with django_assert_max_num_queries(11):
            assert client.get("/training/overview/").status_code == 200
        with django_assert_max_num_queries(9):
            assert client.get(f"/training/people/{people[0].pk}/").status_code == 200
