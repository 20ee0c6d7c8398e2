"""Who may do what with quizzes and attempts, on every route: the taker, a colleague, the team's
supervisor and QA inspector, the department's manager, an agent of the sibling team and an outsider.

Anything not visible is a 404 and changes nothing; correct answers never reach a taker before grading.
"""

import pytest

from tests.training.factories_quizzes import SHORT, SINGLE, answers_for, make_course, make_quiz
from training.models import Answer, Attempt, Quiz
from training.quizzes import attempt_start, attempt_submit

ACTORS = ["anonymous", "agent", "second_agent", "supervisor", "qa_inspector", "manager", "sibling_agent", "outsider"]


def row(*statuses: int) -> dict[str, int]:
    return dict(zip(ACTORS, statuses, strict=True))


#                 anonymous agent second supervisor qa  manager sibling outsider
READ_QUIZ = row(401, 200, 200, 200, 200, 200, 404, 404)
CHANGE_QUIZ = row(401, 403, 403, 200, 200, 200, 404, 404)
QUIZ_RESULTS = row(401, 403, 403, 200, 200, 200, 404, 404)
READ_ATTEMPT = row(401, 200, 404, 200, 200, 200, 404, 404)  # the agent's own attempt
SUBMIT_ATTEMPT = row(401, 200, 404, 403, 403, 403, 404, 404)
GRADE_ATTEMPT = row(401, 403, 404, 200, 200, 200, 404, 404)
START = row(401, 201, 201, 201, 201, 201, 400, 400)  # 400: the quiz "does not exist" for them

PAGE_TAKE = row(302, 200, 200, 200, 200, 200, 404, 404)
PAGE_EDIT = row(302, 403, 403, 200, 200, 200, 404, 404)
PAGE_RESULTS = row(302, 403, 403, 200, 200, 200, 404, 404)
PAGE_ATTEMPT = row(302, 200, 404, 200, 200, 200, 404, 404)
PAGE_GRADE = row(302, 403, 404, 302, 302, 302, 404, 404)  # 302: graded, back to the attempt
PAGE_QUEUE = row(302, 403, 403, 200, 200, 200, 403, 200)  # the outsider supervises their own team


@pytest.fixture
def world(team, agent, second_agent, supervisor, qa_inspector, manager, sibling_agent, outsider):
    course = make_course(team)
    quiz = make_quiz(course, supervisor, questions=[SINGLE, SHORT], pass_mark=50)
    awaiting = attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz))
    people = {
        "anonymous": None,
        "agent": agent,
        "second_agent": second_agent,
        "supervisor": supervisor,
        "qa_inspector": qa_inspector,
        "manager": manager,
        "sibling_agent": sibling_agent,
        "outsider": outsider,
    }
    return {"course": course, "quiz": quiz, "awaiting": awaiting, "people": people}


@pytest.mark.parametrize("actor", ACTORS)
def test_quiz_api(api, world, actor):
    quiz, person = world["quiz"], world["people"][actor]
    client = api.as_user(person)
    url = f"/api/v1/training/quizzes/{quiz.pk}/"
    assert client.get(url).status_code == READ_QUIZ[actor]
    if person is not None:
        listed = {row["id"] for row in client.get("/api/v1/training/quizzes/").json()["results"]}
        assert (quiz.pk in listed) == (READ_QUIZ[actor] == 200)
    assert client.get(f"{url}results/").status_code == QUIZ_RESULTS[actor]
    changed = client.patch(url, {"pass_mark": 10}, format="json")
    assert changed.status_code == CHANGE_QUIZ[actor], changed.content
    assert Quiz.objects.get(pk=quiz.pk).pass_mark == (10 if CHANGE_QUIZ[actor] == 200 else 50)
    replaced = client.put(url, {"pass_mark": 20, "max_attempts": 3, "questions": [SINGLE]}, format="json")
    # Answers were submitted: even its authors cannot replace the questions now (400), others as above.
    assert replaced.status_code == (400 if CHANGE_QUIZ[actor] == 200 else CHANGE_QUIZ[actor])
    assert quiz.questions.count() == 2


@pytest.mark.parametrize("actor", ACTORS)
def test_building_a_quiz_for_a_course_through_the_api(api, world, team, actor):
    course = make_course(team, title="Returns")
    body = {"course": course.pk, "questions": [SINGLE]}
    response = api.as_user(world["people"][actor]).post("/api/v1/training/quizzes/", body, format="json")
    expected = row(401, 403, 403, 201, 201, 201, 400, 400)[actor]
    assert response.status_code == expected, response.content
    assert Quiz.objects.filter(course=course).exists() == (expected == 201)
    if expected == 400:
        assert "course" in response.json()


@pytest.mark.parametrize("actor", ACTORS)
def test_attempt_api(api, world, actor):
    person, awaiting = world["people"][actor], world["awaiting"]
    client = api.as_user(person)
    url = f"/api/v1/training/attempts/{awaiting.pk}/"
    assert client.get(url).status_code == READ_ATTEMPT[actor]
    if person is not None:
        listed = {row["id"] for row in client.get("/api/v1/training/attempts/").json()["results"]}
        assert (awaiting.pk in listed) == (READ_ATTEMPT[actor] == 200)
    short = awaiting.answers.get(question__kind="short")
    graded = client.post(f"{url}grade/", {"answer": short.pk, "points": 1}, format="json")
    assert graded.status_code == GRADE_ATTEMPT[actor], graded.content
    assert (Answer.objects.get(pk=short.pk).points is not None) == (GRADE_ATTEMPT[actor] == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_submitting_someone_elses_attempt(api, world, agent, actor):
    quiz = world["quiz"]
    Attempt.objects.filter(pk=world["awaiting"].pk).delete()
    in_progress = attempt_start(quiz=quiz, user=agent)
    response = api.as_user(world["people"][actor]).post(
        f"/api/v1/training/attempts/{in_progress.pk}/submit/", {"answers": answers_for(quiz)}, format="json"
    )
    assert response.status_code == SUBMIT_ATTEMPT[actor], response.content
    expected = "awaiting" if SUBMIT_ATTEMPT[actor] == 200 else "in_progress"
    assert Attempt.objects.get(pk=in_progress.pk).status == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_starting_an_attempt(api, world, actor):
    person = world["people"][actor]
    before = Attempt.objects.count()
    response = api.as_user(person).post("/api/v1/training/attempts/", {"quiz": world["quiz"].pk}, format="json")
    assert response.status_code == START[actor], response.content
    assert Attempt.objects.count() == before + (1 if START[actor] == 201 else 0)
    if actor in ("agent", "second_agent"):  # the authors know the answer key anyway
        assert "is_correct" not in response.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
def test_pages(client, world, actor):
    person, course, awaiting = world["people"][actor], world["course"], world["awaiting"]
    if person is not None:
        client.force_login(person)
    expectations = {
        f"/training/courses/{course.pk}/quiz/": PAGE_TAKE,
        f"/training/courses/{course.pk}/quiz/edit/": PAGE_EDIT,
        f"/training/courses/{course.pk}/quiz/results/": PAGE_RESULTS,
        f"/training/attempts/{awaiting.pk}/": PAGE_ATTEMPT,
        "/training/grading/": PAGE_QUEUE,
    }
    for url, expected in expectations.items():
        response = client.get(url)
        assert response.status_code == expected[actor], (url, response.status_code)
        if expected[actor] == 302 and person is None:
            assert "/accounts/login/" in response["Location"]
    if PAGE_QUEUE[actor] == 200:
        listed = f"/training/attempts/{awaiting.pk}/" in client.get("/training/grading/").content.decode()
        assert listed == (actor in ("supervisor", "qa_inspector", "manager"))


@pytest.mark.parametrize("actor", ACTORS)
def test_denied_page_posts_change_nothing(client, world, actor):
    person, course, awaiting = world["people"][actor], world["course"], world["awaiting"]
    if person is not None:
        client.force_login(person)
    short = awaiting.answers.get(question__kind="short")
    response = client.post(f"/training/answers/{short.pk}/grade/", {"points": "4"})
    assert response.status_code == PAGE_GRADE[actor]
    assert (Answer.objects.get(pk=short.pk).points is not None) == (PAGE_GRADE[actor] == 302 and person is not None)
    edit = client.post(
        f"/training/courses/{course.pk}/quiz/edit/", {"pass_mark": "5", "max_attempts": "1", "q-0-kind": "short"}
    )
    assert edit.status_code == (302 if PAGE_EDIT[actor] == 200 else PAGE_EDIT[actor])
    assert Quiz.objects.get(pk=world["quiz"].pk).pass_mark == (5 if PAGE_EDIT[actor] == 200 else 50)
    if PAGE_TAKE[actor] == 404:
        client.post(f"/training/courses/{course.pk}/quiz/", {"intent": "start"})
        client.post(f"/training/courses/{course.pk}/quiz/", {"intent": "submit", "attempt": awaiting.pk})
        assert not Attempt.objects.exclude(user=world["people"]["agent"]).exists()
