"""Quiz pages: the builder, taking a quiz, the attempt's result, grading, results; fixed query counts."""

import re

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
from training.models import Answer, Attempt, Quiz
from training.quizzes import attempt_start, attempt_submit


@pytest.fixture
def course(team):
    return make_course(team)


def builder_post(questions: list[dict], **settings) -> dict:
    """The builder's form fields for these questions (numbered as the page's script numbers them)."""
    data = {"pass_mark": "80", "max_attempts": "3", **settings}
    for number, question in enumerate(questions):
        data[f"q-{number}-kind"] = question["kind"]
        data[f"q-{number}-text"] = question["text"]
        data[f"q-{number}-points"] = str(question.get("points", 1))
        for index, choice in enumerate(question.get("choices", [])):
            data[f"q-{number}-c-{index}-text"] = choice.get("text", "")
            if choice.get("is_correct"):
                data[f"q-{number}-c-{index}-correct"] = "on"
    return data


# ---------------------------------------------------------------------------------------------- builder


def test_a_supervisor_builds_the_quiz_in_the_browser(client, supervisor, course):
    client.force_login(supervisor)
    page = client.get(f"/training/courses/{course.pk}/quiz/edit/").content.decode()
    assert 'id="quiz-form"' in page and "training/js/quiz-builder.js" in page and 'id="question-template"' in page
    data = builder_post([SINGLE, MULTIPLE, TRUE_FALSE, SHORT], shuffle_questions="on")
    data["q-9-kind"], data["q-9-text"], data["q-9-points"] = "single", "", "1"  # an untouched row: dropped
    data["q-0-c-7-text"] = ""  # a blank answer row: dropped
    response = client.post(f"/training/courses/{course.pk}/quiz/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = Quiz.objects.get(course=course)
    assert quiz.shuffle_questions is True
    assert list(quiz.questions.values_list("kind", flat=True)) == ["single", "multiple", "true_false", "short"]
    assert quiz.questions.get(kind="single").choices.count() == 3
    # Opened again, the page shows what was saved.
    page = client.get(f"/training/courses/{course.pk}/quiz/edit/").content.decode()
    assert SINGLE["text"] in page and "Check the tracking number" in page


def test_builder_errors_are_shown_on_the_question_and_nothing_is_saved(client, supervisor, course):
    client.force_login(supervisor)
    bad = {**SINGLE, "choices": [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}]}
    response = client.post(f"/training/courses/{course.pk}/quiz/edit/", builder_post([SHORT, bad], pass_mark="0"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mark exactly one choice correct." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert not Quiz.objects.exists()


def test_a_quiz_with_answers_keeps_its_questions_but_takes_a_new_pass_mark(client, supervisor, agent, course):
    quiz = make_quiz(course, supervisor)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=[])
    client.force_login(supervisor)
    page = client.get(f"/training/courses/{course.pk}/quiz/edit/").content.decode()
    assert 'id="questions-locked"' in page and 'id="question-template"' not in page
    response = client.post(f"/training/courses/{course.pk}/quiz/edit/", builder_post([SHORT], pass_mark="60"))
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.pass_mark == 60 and quiz.questions.count() == 3


# ---------------------------------------------------------------------------------------------- taking


def test_an_agent_starts_answers_and_sees_the_score(client, agent, supervisor, course):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, MULTIPLE, TRUE_FALSE], shuffle_questions=True)
    client.force_login(agent)
    url = f"/training/courses/{course.pk}/quiz/"
    page = client.get(url).content.decode()
    assert 'id="start-attempt"' in page and "attempts used: 0 of 3" in page
    assert client.post(url, {"intent": "start"})["Location"] == url
    attempt = Attempt.objects.get()
    page = client.get(url).content.decode()
    shown = [int(found) for found in re.findall(r'<fieldset class="card mb-3 question" id="question-(\d+)"', page)]
    assert shown == attempt.question_order
    assert "is_correct" not in page and "correct-mark" not in page
    data = {"intent": "submit", "attempt": attempt.pk}
    for answer in answers_for(quiz, wrong={MULTIPLE["text"]}):
        data[f"question-{answer['question']}"] = [str(choice) for choice in answer["selected"]]
    response = client.post(url, data)
    assert response["Location"] == f"/training/attempts/{attempt.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "50.00%" in page and "Not passed" in page and "Wrong" in page and "Right" in page
    assert "correct-mark" not in page  # two attempts left: the key stays hidden


def test_the_take_page_says_why_no_attempt_can_start(client, agent, supervisor, team):
    draft = make_quiz(make_course(team, title="Draft", published=False), supervisor)
    client.force_login(supervisor)
    page = client.get(f"/training/courses/{draft.course_id}/quiz/").content.decode()
    assert "The quiz opens when its course is published." in page
    response = client.post(f"/training/courses/{draft.course_id}/quiz/", {"intent": "start"}, follow=True)
    assert "The quiz opens when its course is published." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_supervisor_grades_from_the_queue_and_the_attempt_page(client, supervisor, agent, second_agent, course):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, SHORT], pass_mark=50)
    mine = attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz))
    theirs = attempt_submit(
        attempt=attempt_start(quiz=quiz, user=second_agent), user=second_agent, answers=answers_for(quiz)
    )
    client.force_login(supervisor)
    page = client.get("/training/grading/").content.decode()
    assert page.count('class="card mb-3 queue-item"') == 2
    answer = mine.answers.get(question__kind="short")
    response = client.post(
        f"/training/answers/{answer.pk}/grade/", {"points": "4", "feedback": "Well put", "next": "/training/grading/"}
    )
    assert response["Location"] == "/training/grading/"
    assert client.get("/training/grading/").content.decode().count('class="card mb-3 queue-item"') == 1
    mine.refresh_from_db()
    assert (mine.status, mine.percent, mine.passed) == ("graded", 100, True)

    page = client.get(f"/training/attempts/{theirs.pk}/").content.decode()
    assert "grade-form" in page and "correct-mark" in page  # graders see the key
    other = theirs.answers.get(question__kind="short")
    bad = client.post(f"/training/answers/{other.pk}/grade/", {"points": "9"}, follow=True)
    assert "Give 0 to 4 points." in bad.content.decode()
    assert Answer.objects.get(pk=other.pk).points is None

    client.force_login(agent)
    page = client.get(f"/training/attempts/{mine.pk}/").content.decode()
    assert "Well put" in page and "100.00%" in page and "Passed" in page and "correct-mark" in page


def test_results_page_puts_the_question_most_people_fail_first(client, supervisor, agent, second_agent, course):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, MULTIPLE, TRUE_FALSE], pass_mark=100)
    attempt_submit(
        attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz, wrong={TRUE_FALSE["text"]})
    )
    attempt_submit(
        attempt=attempt_start(quiz=quiz, user=second_agent),
        user=second_agent,
        answers=answers_for(quiz, wrong={TRUE_FALSE["text"], SINGLE["text"]}),
    )
    client.force_login(supervisor)
    page = client.get(f"/training/courses/{course.pk}/quiz/results/").content.decode()
    table = page[page.index('id="results-questions"') :]
    positions = [table.index(question["text"][:30]) for question in (TRUE_FALSE, SINGLE, MULTIPLE)]
    assert positions == sorted(positions)
    assert "0%" in table and "50%" in table and "100%" in table


@pytest.mark.parametrize("size", [2, 10])
def test_pages_keep_their_query_counts(client, team, supervisor, course, size, django_assert_max_num_queries):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, SHORT], pass_mark=50)
    for number in range(size):
        person = member(team, username=f"taker{number}")
        attempt_submit(attempt=attempt_start(quiz=quiz, user=person), user=person, answers=answers_for(quiz))
    client.force_login(supervisor)
    with django_assert_max_num_queries(9):
        assert client.get(f"/training/courses/{course.pk}/quiz/results/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/training/grading/").status_code == 200
    attempt = Attempt.objects.first()
    with django_assert_max_num_queries(10):
        assert client.get(f"/training/attempts/{attempt.pk}/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(f"/training/courses/{course.pk}/quiz/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/training/courses/{course.pk}/quiz/edit/").status_code == 200
