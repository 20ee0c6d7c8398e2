"""/api/v1/training/quizzes/ and /attempts/: build, take, grade, results; query counts at two sizes."""

from decimal import Decimal

import pytest

from tests.factories import member
from tests.training.factories_quizzes import (
    MULTIPLE,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    answers_for,
    make_course,
    make_quiz,
)
from training.models import Attempt, Question, Quiz
from training.quizzes import attempt_start, attempt_submit

QUIZZES = "/api/v1/training/quizzes/"
ATTEMPTS = "/api/v1/training/attempts/"


@pytest.fixture
def course(team):
    return make_course(team)


@pytest.fixture
def quiz(course, supervisor):
    return make_quiz(course, supervisor, questions=[SINGLE, MULTIPLE, TRUE_FALSE, SHORT], pass_mark=50)


def _keys(data) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in _keys(value)}
    if isinstance(data, list):
        return {key for value in data for key in _keys(value)}
    return set()


def test_a_supervisor_creates_a_quiz_with_nested_questions(api, supervisor, course):
    body = {"course": course.pk, "pass_mark": 70, "max_attempts": 2, "questions": [SINGLE, TRUE_FALSE]}
    response = api.as_user(supervisor).post(QUIZZES, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["course"], data["pass_mark"], data["max_attempts"], data["shuffle_questions"]) == (
        course.pk,
        70,
        2,
        True,
    )
    assert [q["kind"] for q in data["questions"]] == ["single", "true_false"]
    assert [c["is_correct"] for c in data["questions"][1]["choices"]] == [True, False]
    again = api.as_user(supervisor).post(QUIZZES, body, format="json")
    assert again.status_code == 400 and "course" in again.json()
    assert Quiz.objects.count() == 1


def test_errors_name_the_question_and_nothing_is_written(api, supervisor, course):
    bad = {**SINGLE, "choices": [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}]}
    response = api.as_user(supervisor).post(QUIZZES, {"course": course.pk, "questions": [SHORT, bad]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"questions[1].choices": ["Mark exactly one choice correct."]}
    assert not Quiz.objects.exists()


def test_readers_get_the_quiz_without_the_answer_key(api, agent, supervisor, quiz):
    data = api.as_user(agent).get(f"{QUIZZES}{quiz.pk}/").json()
    assert len(data["questions"]) == 4 and "is_correct" not in _keys(data)
    assert "is_correct" not in _keys(api.as_user(agent).get(QUIZZES).json())
    assert "is_correct" in _keys(api.as_user(supervisor).get(f"{QUIZZES}{quiz.pk}/").json())


def test_put_replaces_the_questions_and_patch_changes_settings_once_answered(api, supervisor, agent, quiz):
    response = api.as_user(supervisor).put(
        f"{QUIZZES}{quiz.pk}/", {"pass_mark": 60, "max_attempts": 3, "questions": [SINGLE]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["questions"]) == 1
    attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=[])
    locked = api.as_user(supervisor).patch(f"{QUIZZES}{quiz.pk}/", {"questions": [MULTIPLE]}, format="json")
    assert locked.status_code == 400 and "questions" in locked.json()
    patched = api.as_user(supervisor).patch(f"{QUIZZES}{quiz.pk}/", {"max_attempts": 5}, format="json")
    assert patched.status_code == 200 and patched.json()["max_attempts"] == 5
    assert list(Question.objects.values_list("kind", flat=True)) == ["single"]


def test_an_agent_takes_a_quiz_through_the_api(api, agent, supervisor, quiz):
    client = api.as_user(agent)
    started = client.post(ATTEMPTS, {"quiz": quiz.pk}, format="json")
    assert started.status_code == 201, started.content
    attempt = started.json()
    assert attempt["status"] == "in_progress" and len(attempt["questions"]) == 4
    assert "is_correct" not in _keys(attempt) and attempt["answer_key_shown"] is False
    assert client.post(ATTEMPTS, {"quiz": quiz.pk}, format="json").status_code == 200  # continues it

    answers = answers_for(quiz)
    submitted = client.post(f"{ATTEMPTS}{attempt['id']}/submit/", {"answers": answers}, format="json")
    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert (data["status"], data["passed"], data["score"]) == ("awaiting", None, None)
    assert "is_correct" not in _keys(data)
    assert {row["kind"]: row["result"] for row in data["questions"]} == {
        "single": "",
        "multiple": "",
        "true_false": "",
        "short": "",
    }

    short = next(row for row in data["questions"] if row["kind"] == "short")["answer"]["id"]
    assert client.post(f"{ATTEMPTS}{attempt['id']}/grade/", {"answer": short, "points": 4}).status_code == 403
    graded = api.as_user(supervisor).post(
        f"{ATTEMPTS}{attempt['id']}/grade/", {"answer": short, "points": "3.5", "feedback": "Good"}, format="json"
    )
    assert graded.status_code == 200, graded.content
    assert (graded.json()["status"], graded.json()["percent"]) == ("graded", "95.00")
    mine = api.as_user(agent).get(f"{ATTEMPTS}{attempt['id']}/").json()
    assert mine["passed"] is True and mine["answer_key_shown"] is True
    assert {row["kind"]: row["result"] for row in mine["questions"]}["short"] == "partly"


def test_after_a_failed_attempt_the_taker_learns_what_was_right_but_not_the_key(api, agent, course, supervisor):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, TRUE_FALSE], max_attempts=2)
    attempt = attempt_submit(
        attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz, wrong={SINGLE["text"]})
    )
    data = api.as_user(agent).get(f"{ATTEMPTS}{attempt.pk}/").json()
    assert {row["kind"]: row["result"] for row in data["questions"]} == {"single": "wrong", "true_false": "right"}
    assert "is_correct" not in _keys(data)
    # The last attempt used: now the key is shown.
    last = attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=[])
    data = api.as_user(agent).get(f"{ATTEMPTS}{last.pk}/").json()
    assert data["answer_key_shown"] is True and "is_correct" in _keys(data)


def test_submit_errors_name_the_answer(api, agent, quiz):
    attempt = attempt_start(quiz=quiz, user=agent)
    response = api.as_user(agent).post(
        f"{ATTEMPTS}{attempt.pk}/submit/", {"answers": [{"question": 999999}]}, format="json"
    )
    assert response.status_code == 400 and "answers[0].question" in response.json()
    assert Attempt.objects.get(pk=attempt.pk).status == "in_progress"


def test_grading_an_answer_of_another_attempt_is_refused(api, supervisor, agent, second_agent, quiz):
    mine = attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz))
    theirs = attempt_submit(
        attempt=attempt_start(quiz=quiz, user=second_agent), user=second_agent, answers=answers_for(quiz)
    )
    short = theirs.answers.get(question__kind="short")
    response = api.as_user(supervisor).post(f"{ATTEMPTS}{mine.pk}/grade/", {"answer": short.pk, "points": 1})
    assert response.status_code == 400 and "answer" in response.json()


def test_the_attempt_list_filters(api, supervisor, agent, second_agent, quiz):
    attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=[])
    attempt_start(quiz=quiz, user=second_agent)
    client = api.as_user(supervisor)
    assert client.get(ATTEMPTS).json()["count"] == 2
    assert [row["user"] for row in client.get(ATTEMPTS, {"status": "in_progress"}).json()["results"]] == [
        second_agent.pk
    ]
    assert client.get(ATTEMPTS, {"user": agent.pk}).json()["count"] == 1
    assert client.get(ATTEMPTS, {"quiz": quiz.pk}).json()["count"] == 2
    assert api.as_user(agent).get(ATTEMPTS).json()["count"] == 1


def test_results_per_person_and_per_question(api, supervisor, agent, second_agent, course):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, TRUE_FALSE], pass_mark=100)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz))
    attempt_submit(
        attempt=attempt_start(quiz=quiz, user=second_agent),
        user=second_agent,
        answers=answers_for(quiz, wrong={SINGLE["text"]}),
    )
    data = api.as_user(supervisor).get(f"{QUIZZES}{quiz.pk}/results/").json()
    assert [(p["username"], p["attempts_used"], p["best_percent"], p["passed"]) for p in data["people"]] == [
        ("bob", 1, "33.33", False),
        ("alice", 1, "100.00", True),
    ]
    assert [(q["kind"], q["answered"], q["correct"], q["correct_rate"]) for q in data["questions"]] == [
        ("single", 2, 1, 50.0),
        ("true_false", 2, 2, 100.0),
    ]
    assert api.as_user(agent).get(f"{QUIZZES}{quiz.pk}/results/").status_code == 403


def _team_with_attempts(team, quiz, supervisor, size: int):
    for number in range(size):
        person = member(team, username=f"taker{number}")
        attempt_submit(attempt=attempt_start(quiz=quiz, user=person), user=person, answers=answers_for(quiz))


@pytest.mark.parametrize("size", [2, 12])
def test_query_counts_do_not_grow(api, team, supervisor, quiz, size, django_assert_max_num_queries):
    _team_with_attempts(team, quiz, supervisor, size)
    make_quiz(make_course(team, title=f"Another {size}"), supervisor)
    client = api.as_user(supervisor)
    with django_assert_max_num_queries(5):
        assert client.get(ATTEMPTS).json()["count"] == size
    with django_assert_max_num_queries(7):
        assert client.get(QUIZZES).json()["count"] == 2
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{QUIZZES}{quiz.pk}/results/").json()["people"]) == size
    attempt = Attempt.objects.first()
    with django_assert_max_num_queries(7):
        assert client.get(f"{ATTEMPTS}{attempt.pk}/").status_code == 200


def test_decimal_points_are_kept(api, supervisor, agent, course):
    quiz = make_quiz(course, supervisor, questions=[SHORT])
    attempt = attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz))
    api.as_user(supervisor).post(
        f"{ATTEMPTS}{attempt.pk}/grade/", {"answer": attempt.answers.get().pk, "points": "1.25"}, format="json"
    )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.percent) == (Decimal("1.25"), Decimal("31.25"))
