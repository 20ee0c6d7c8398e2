"""Quiz services: building (question rules, fixed once answered), starting attempts, grading, completion."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from notifications.models import Notification
from tests.training.factories_quizzes import (
    MULTIPLE,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    answers_for,
    assign,
    make_course,
    make_quiz,
    right_answer,
    wrong_answer,
)
from training.models import Answer, Attempt, Choice, Question, Quiz
from training.quizzes import answer_grade, attempt_start, attempt_submit, quiz_save


@pytest.fixture
def course(team):
    return make_course(team)


def settings(**changes):
    return {"pass_mark": 80, "max_attempts": 3, "shuffle_questions": False, **changes}


def tf(text: str, correct: bool = True) -> dict:
    return {**TRUE_FALSE, "text": text, "choices": [{"is_correct": correct}, {"is_correct": not correct}]}


# ---------------------------------------------------------------------------------------------- building


def test_a_supervisor_builds_a_quiz_with_every_kind_of_question(course, supervisor):
    quiz = quiz_save(course=course, actor=supervisor, questions=[SINGLE, MULTIPLE, TRUE_FALSE, SHORT], **settings())
    assert list(quiz.questions.values_list("kind", "points")) == [
        ("single", 2),
        ("multiple", 3),
        ("true_false", 1),
        ("short", 4),
    ]
    true_false = quiz.questions.get(kind="true_false")
    assert list(true_false.choices.values_list("text", "is_correct")) == [("True", True), ("False", False)]
    assert not quiz.questions.get(kind="short").choices.exists()


def test_true_false_choices_sent_false_first_are_put_in_order(course, supervisor):
    flipped = {**TRUE_FALSE, "choices": [{"text": "错", "is_correct": True}, {"text": "对", "is_correct": False}]}
    quiz = quiz_save(course=course, actor=supervisor, questions=[flipped], **settings())
    assert list(quiz.questions.get().choices.values_list("text", "is_correct")) == [("True", False), ("False", True)]


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({**SINGLE, "choices": [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}]}, "choices"),
        ({**SINGLE, "choices": [{"text": "only", "is_correct": True}]}, "choices"),
        ({**MULTIPLE, "choices": [{"text": "a"}, {"text": "b"}]}, "choices"),
        ({**TRUE_FALSE, "choices": [{"is_correct": True}, {"is_correct": True}]}, "choices"),
        ({**TRUE_FALSE, "choices": [{"is_correct": True}]}, "choices"),
        ({**SHORT, "choices": [{"text": "a", "is_correct": True}]}, "choices"),
        ({**SINGLE, "text": "  "}, "text"),
        ({**SINGLE, "points": 0}, "points"),
        ({**SINGLE, "kind": "essay"}, "kind"),
        ({**SINGLE, "choices": [{"text": "", "is_correct": True}, {"text": "b"}]}, "choices[0].text"),
    ],
)
def test_a_bad_question_is_named_and_nothing_is_written(course, supervisor, question, field):
    with pytest.raises(ValidationError) as raised:
        quiz_save(course=course, actor=supervisor, questions=[SINGLE, question], **settings())
    assert f"questions[1].{field}" in raised.value.message_dict
    assert not Quiz.objects.exists() and not Question.objects.exists()


def test_settings_out_of_range_and_no_questions_are_refused(course, supervisor):
    with pytest.raises(ValidationError) as raised:
        quiz_save(course=course, actor=supervisor, questions=[], **settings(pass_mark=0, max_attempts=21))
    assert set(raised.value.message_dict) == {"pass_mark", "max_attempts", "questions"}
    assert not Quiz.objects.exists()


def test_a_failed_change_leaves_the_quiz_as_it_was(course, supervisor):
    quiz = make_quiz(course, supervisor)
    with pytest.raises(ValidationError):
        quiz_save(course=course, actor=supervisor, questions=[SHORT, {**SINGLE, "text": ""}], **settings(pass_mark=50))
    quiz.refresh_from_db()
    assert quiz.pass_mark == 80 and quiz.questions.count() == 3


def test_agents_and_outsiders_cannot_build(course, agent, outsider):
    for person in (agent, outsider):
        with pytest.raises(PermissionDenied):
            make_quiz(course, person)
    assert not Quiz.objects.exists()


def test_questions_are_fixed_once_answers_are_submitted_but_the_settings_are_not(course, supervisor, agent):
    quiz = make_quiz(course, supervisor)
    attempt = attempt_start(quiz=quiz, user=agent)
    attempt_submit(attempt=attempt, user=agent, answers=answers_for(quiz))
    with pytest.raises(ValidationError) as raised:
        quiz_save(course=course, actor=supervisor, questions=[SINGLE], **settings())
    assert "can no longer change" in raised.value.message_dict["questions"][0]
    # The same questions again (as the builder page sends them) and new settings are fine.
    ids = list(quiz.questions.values_list("id", flat=True))
    quiz_save(
        course=course,
        actor=supervisor,
        questions=[SINGLE, MULTIPLE, TRUE_FALSE],
        **settings(pass_mark=60, max_attempts=5),
    )
    quiz.refresh_from_db()
    assert (quiz.pass_mark, quiz.max_attempts) == (60, 5)
    assert list(quiz.questions.values_list("id", flat=True)) == ids


def test_new_questions_reach_an_attempt_still_in_progress(course, supervisor, agent):
    quiz = make_quiz(course, supervisor)
    attempt = attempt_start(quiz=quiz, user=agent)
    quiz_save(course=course, actor=supervisor, questions=[SHORT, SINGLE], **settings())
    attempt.refresh_from_db()
    assert sorted(attempt.question_order) == sorted(quiz.questions.values_list("id", flat=True))
    assert len(attempt.question_order) == 2


# ---------------------------------------------------------------------------------------------- starting


def test_starting_twice_continues_the_attempt_in_progress(course, supervisor, agent, team):
    quiz = make_quiz(course, supervisor)
    first = attempt_start(quiz=quiz, user=agent)
    assert (first.number, first.team_id, first.assignment_id, first.status) == (1, team.pk, None, "in_progress")
    assert attempt_start(quiz=quiz, user=agent).pk == first.pk
    assert Attempt.objects.count() == 1


def test_an_attempt_counts_for_the_earliest_open_assignment(course, supervisor, agent, team, sibling_team):
    import datetime as dt

    quiz = make_quiz(course, supervisor)
    assign(course, agent, team, due=dt.date(2026, 12, 20))
    earliest = assign(course, agent, sibling_team, due=dt.date(2026, 12, 5))
    done = assign(course, agent, team, due=dt.date(2026, 11, 1))
    done.completed_at = done.created_at
    done.save()
    attempt = attempt_start(quiz=quiz, user=agent)
    assert (attempt.assignment_id, attempt.team_id) == (earliest.pk, sibling_team.pk)


def test_a_department_course_counts_for_the_takers_own_team(department, supervisor, agent, team, manager):
    course = make_course(department, title="Company values")
    quiz = make_quiz(course, manager)
    assert attempt_start(quiz=quiz, user=agent).team_id == team.pk


def test_a_draft_course_or_an_invisible_one_cannot_be_taken(team, supervisor, agent, outsider):
    draft = make_quiz(make_course(team, title="Draft", published=False), supervisor)
    with pytest.raises(ValidationError) as raised:
        attempt_start(quiz=draft, user=supervisor)
    assert "quiz" in raised.value.message_dict
    quiz = make_quiz(make_course(team), supervisor)
    with pytest.raises(PermissionDenied):
        attempt_start(quiz=quiz, user=outsider)
    assert not Attempt.objects.exists()


def test_the_attempt_limit_counts_started_attempts(course, supervisor, agent):
    quiz = make_quiz(course, supervisor, max_attempts=2)
    for _ in range(2):
        attempt = attempt_start(quiz=quiz, user=agent)
        attempt_submit(attempt=attempt, user=agent, answers=[])
    with pytest.raises(ValidationError) as raised:
        attempt_start(quiz=quiz, user=agent)
    assert raised.value.message_dict == {"quiz": ["You have used all 2 attempts at this quiz."]}
    assert list(Attempt.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_a_new_assignment_brings_new_attempts(course, supervisor, agent, team):
    quiz = make_quiz(course, supervisor, max_attempts=1)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=[])
    with pytest.raises(ValidationError):
        attempt_start(quiz=quiz, user=agent)
    assignment = assign(course, agent, team)  # e.g. next month's assessment
    attempt = attempt_start(quiz=quiz, user=agent)
    assert (attempt.number, attempt.assignment_id) == (2, assignment.pk)


def test_no_attempt_after_passing(course, supervisor, agent):
    quiz = make_quiz(course, supervisor)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=agent), user=agent, answers=answers_for(quiz))
    with pytest.raises(ValidationError) as raised:
        attempt_start(quiz=quiz, user=agent)
    assert raised.value.message_dict == {"quiz": ["You have already passed this quiz."]}


def test_shuffled_quizzes_store_a_permutation_per_attempt(course, supervisor, agent, second_agent, manager):
    questions = [{**SINGLE, "text": f"Question {number}"} for number in range(8)]
    quiz = make_quiz(course, supervisor, questions=questions, shuffle_questions=True)
    in_position_order = list(quiz.questions.values_list("id", flat=True))
    orders = [attempt_start(quiz=quiz, user=person).question_order for person in (agent, second_agent, manager)]
    for order in orders:
        assert sorted(order) == sorted(in_position_order) and len(order) == 8
    assert any(order != in_position_order for order in orders)  # 1 in 40320³ to fail by chance

    quiz_save(course=course, actor=supervisor, questions=questions, **settings(shuffle_questions=False))
    Attempt.objects.all().delete()
    assert attempt_start(quiz=quiz, user=agent).question_order == in_position_order


# ------------------------------------------------------------------------------------------------ grading


def _submit(quiz, user, answers):
    return attempt_submit(attempt=attempt_start(quiz=quiz, user=user), user=user, answers=answers)


def test_single_choice_and_true_false_are_graded_at_once(course, supervisor, agent):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, TRUE_FALSE])
    single, true_false = quiz.questions.all()
    attempt = _submit(quiz, agent, [right_answer(single), wrong_answer(true_false)])
    assert (attempt.status, attempt.score, attempt.max_score, attempt.percent) == (
        "graded",
        Decimal(2),
        Decimal(3),
        Decimal("66.66"),
    )
    assert attempt.passed is False and attempt.graded_by is None and attempt.graded_at is not None
    assert dict(attempt.answers.values_list("question_id", "points")) == {single.pk: 2, true_false.pk: 0}


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        ({"Shipping fee", "Damaged item under 50 yuan"}, 3),
        ({"Shipping fee"}, 0),  # a part of the correct answers: nothing
        ({"Shipping fee", "Damaged item under 50 yuan", "Any item"}, 0),  # more than them: nothing
        (set(), 0),
    ],
)
def test_multiple_choice_is_all_or_nothing(course, supervisor, agent, chosen, points):
    quiz = make_quiz(course, supervisor, questions=[MULTIPLE])
    question = quiz.questions.get()
    selected = list(Choice.objects.filter(question=question, text__in=chosen).values_list("id", flat=True))
    attempt = _submit(quiz, agent, [{"question": question.pk, "selected": selected}])
    assert attempt.score == points


def test_pass_mark_boundary(course, supervisor, agent, second_agent):
    questions = [tf(f"Statement {number}") for number in range(5)]
    quiz = make_quiz(course, supervisor, questions=questions, pass_mark=80)
    four_right = _submit(quiz, agent, answers_for(quiz, wrong={"Statement 0"}))
    three_right = _submit(quiz, second_agent, answers_for(quiz, wrong={"Statement 0", "Statement 1"}))
    assert (four_right.percent, four_right.passed) == (Decimal("80.00"), True)
    assert (three_right.percent, three_right.passed) == (Decimal("60.00"), False)


def test_a_percent_just_under_the_pass_mark_fails_and_never_shows_it(course, supervisor, agent):
    quiz = make_quiz(course, supervisor, questions=[tf(f"S{n}") for n in range(3)], pass_mark=67)
    attempt = _submit(quiz, agent, answers_for(quiz, wrong={"S0"}))
    assert (attempt.percent, attempt.passed) == (Decimal("66.66"), False)


def test_a_short_answer_waits_for_the_supervisor_then_the_attempt_is_scored(course, supervisor, agent):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, SHORT], pass_mark=50)
    attempt = _submit(quiz, agent, answers_for(quiz))
    assert (attempt.status, attempt.score, attempt.percent, attempt.passed) == ("awaiting", None, None, None)
    assert Notification.objects.filter(recipient=supervisor, kind="training-answers-to-grade").count() == 1
    short = attempt.answers.get(question__kind="short")
    answer_grade(answer=short, grader=supervisor, points=Decimal("2.5"), feedback="Apologise first.")
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.max_score, attempt.percent) == (
        "graded",
        Decimal("4.5"),
        Decimal(6),
        Decimal("75.00"),
    )
    assert attempt.passed is True and attempt.graded_by == supervisor
    notice = Notification.objects.get(recipient=agent, kind="training-attempt-graded")
    assert notice.text == "Your quiz answers were graded: 75.00%"
    assert notice.link == f"/training/attempts/{attempt.pk}/"
    # The same grade sent again changes nothing; a different one is refused.
    answer_grade(answer=short, grader=supervisor, points="2.50", feedback="Apologise first.")
    with pytest.raises(ValidationError):
        answer_grade(answer=short, grader=supervisor, points=4, feedback="")
    assert Answer.objects.get(pk=short.pk).points == Decimal("2.5")


def test_a_blank_short_answer_scores_zero_without_waiting(course, supervisor, agent):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, SHORT], pass_mark=30)
    attempt = _submit(quiz, agent, answers_for(quiz, wrong={SHORT["text"]}))
    assert (attempt.status, attempt.score, attempt.passed) == ("graded", Decimal(2), True)


def test_grading_is_for_the_takers_supervisors_within_range(course, supervisor, agent, second_agent, outsider):
    quiz = make_quiz(course, supervisor, questions=[SINGLE, SHORT])
    attempt = _submit(quiz, agent, answers_for(quiz))
    short = attempt.answers.get(question__kind="short")
    for person in (agent, second_agent, outsider):
        with pytest.raises(PermissionDenied):
            answer_grade(answer=short, grader=person, points=1)
    for points in (-1, 5, "many"):
        with pytest.raises(ValidationError) as raised:
            answer_grade(answer=short, grader=supervisor, points=points)
        assert "points" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        answer_grade(answer=attempt.answers.get(question__kind="single"), grader=supervisor, points=1)
    assert "answer" in raised.value.message_dict
    assert Answer.objects.get(pk=short.pk).points is None
    assert Attempt.objects.get(pk=attempt.pk).status == "awaiting"


def test_nobody_grades_their_own_answers(course, supervisor, manager):
    quiz = make_quiz(course, supervisor, questions=[SHORT])
    attempt = _submit(quiz, supervisor, answers_for(quiz))
    with pytest.raises(PermissionDenied):
        answer_grade(answer=attempt.answers.get(), grader=supervisor, points=4)
    answer_grade(answer=attempt.answers.get(), grader=manager, points=4)  # the manager above grades it
    assert Attempt.objects.get(pk=attempt.pk).passed is True


# --------------------------------------------------------------------------------------------- submitting


@pytest.mark.parametrize(
    ("make_answer", "field"),
    [
        (lambda q, other: {"question": other.pk}, "answers[0].question"),
        (lambda q, other: {"question": q.pk, "selected": [other.choices.first().pk]}, "answers[0].selected"),
        (
            lambda q, other: {"question": q.pk, "selected": list(q.choices.values_list("id", flat=True))},
            "answers[0].selected",
        ),
        (lambda q, other: {"question": q.pk, "selected": ["x"]}, "answers[0].selected"),
    ],
)
def test_bad_answers_are_named_and_nothing_is_recorded(course, supervisor, agent, team, make_answer, field):
    quiz = make_quiz(course, supervisor, questions=[SINGLE])
    other = make_quiz(make_course(team, title="Other"), supervisor).questions.first()
    attempt = attempt_start(quiz=quiz, user=agent)
    with pytest.raises(ValidationError) as raised:
        attempt_submit(attempt=attempt, user=agent, answers=[make_answer(quiz.questions.get(), other)])
    assert field in raised.value.message_dict
    assert not Answer.objects.exists() and Attempt.objects.get(pk=attempt.pk).status == "in_progress"


def test_only_the_taker_submits_and_only_once(course, supervisor, agent, second_agent):
    quiz = make_quiz(course, supervisor)
    attempt = attempt_start(quiz=quiz, user=agent)
    with pytest.raises(PermissionDenied):
        attempt_submit(attempt=attempt, user=second_agent, answers=answers_for(quiz))
    attempt_submit(attempt=attempt, user=agent, answers=answers_for(quiz, wrong={SINGLE["text"]}))
    with pytest.raises(ValidationError) as raised:
        attempt_submit(attempt=attempt, user=agent, answers=answers_for(quiz))
    assert "status" in raised.value.message_dict
    assert Attempt.objects.get(pk=attempt.pk).score == 4 and Answer.objects.count() == 3


def test_passing_completes_the_assignment_and_failing_does_not(course, supervisor, agent, second_agent, team):
    quiz = make_quiz(course, supervisor)
    passing, failing = assign(course, agent, team), assign(course, second_agent, team)
    _submit(quiz, agent, answers_for(quiz))
    _submit(quiz, second_agent, [])
    passing.refresh_from_db()
    failing.refresh_from_db()
    assert passing.completed_at is not None and failing.completed_at is None


def test_a_pass_after_grading_completes_the_assignment(course, supervisor, agent, team):
    quiz = make_quiz(course, supervisor, questions=[SHORT])
    assignment = assign(course, agent, team)
    attempt = _submit(quiz, agent, answers_for(quiz))
    assignment.refresh_from_db()
    assert assignment.completed_at is None
    answer_grade(answer=attempt.answers.get(), grader=supervisor, points=4)
    assignment.refresh_from_db()
    assert assignment.completed_at is not None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent transactions (CI sets DATABASE_URL)"
)
def test_two_submits_of_one_attempt_one_wins(transactional_db, team, supervisor, agent):
    quiz = make_quiz(make_course(team), supervisor)
    attempt = attempt_start(quiz=quiz, user=agent)
    answers = answers_for(quiz)
    outcomes, barrier = [], threading.Barrier(4)

    def submit():
        try:
            barrier.wait()
            attempt_submit(attempt=attempt, user=agent, answers=answers)
            outcomes.append("submitted")
        except ValidationError as error:
            outcomes.append(next(iter(error.message_dict)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["status", "status", "status", "submitted"]
    assert Answer.objects.filter(attempt=attempt).count() == 3
    assert Attempt.objects.get(pk=attempt.pk).score == 6
