"""Quiz results on hand-made attempts: per person and per question, scoped to the teams one supervises,
checked against a plain reference on generated data; the grading queue."""

import random
from decimal import Decimal

import pytest

from tests.factories import member
from tests.training.factories_quizzes import MULTIPLE, SHORT, SINGLE, TRUE_FALSE, assign, make_course, make_quiz
from training.models import Answer, Attempt, AttemptStatus
from training.quizzes import grading_queue, results_by_person, results_by_question


@pytest.fixture
def quiz(team, supervisor):
    return make_quiz(make_course(team), supervisor, questions=[SINGLE, MULTIPLE, TRUE_FALSE, SHORT])


def hand_made(quiz, user, team, number: int, points: dict, *, status=AttemptStatus.GRADED) -> Attempt:
    """An attempt with the given points per question kind (None: a short answer waiting for a grade)."""
    questions = list(quiz.questions.all())
    max_score = sum(q.points for q in questions)
    score = None if status != AttemptStatus.GRADED else sum(points.get(q.kind, 0) for q in questions)
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        team=team,
        number=number,
        question_order=[q.pk for q in questions],
        status=status,
        max_score=max_score,
        score=score,
        percent=None if score is None else Decimal(score * 100) / max_score,
        passed=None if score is None else score * 100 >= quiz.pass_mark * max_score,
    )
    Answer.objects.bulk_create(
        [Answer(attempt=attempt, question=q, points=points.get(q.kind, 0)) for q in questions if q.kind in points]
    )
    return attempt


FULL = {"single": 2, "multiple": 3, "true_false": 1, "short": 4}


def test_results_per_question_put_the_most_failed_first(quiz, team, agent, second_agent, supervisor):
    hand_made(quiz, agent, team, 1, {**FULL, "multiple": 0, "short": 2})
    hand_made(quiz, agent, team, 2, {**FULL, "multiple": 0})
    hand_made(quiz, second_agent, team, 1, {**FULL, "true_false": 0})
    rows = [
        (q.kind, q.answered, q.correct, q.failed, None if q.correct_rate is None else round(q.correct_rate, 2))
        for q in results_by_question(quiz=quiz, user=supervisor)
    ]
    assert rows == [
        ("multiple", 3, 1, 2, 33.33),
        ("true_false", 3, 2, 1, 66.67),
        ("short", 3, 2, 1, 66.67),  # partly right (2 of 4) is not correct
        ("single", 3, 3, 0, 100.0),
    ]


def test_pending_answers_are_not_counted_and_unanswered_questions_come_last(quiz, team, agent, supervisor):
    hand_made(quiz, agent, team, 1, {"single": 0, "short": None}, status=AttemptStatus.AWAITING_GRADING)
    rows = [(q.kind, q.answered, q.correct_rate) for q in results_by_question(quiz=quiz, user=supervisor)]
    assert rows[0] == ("single", 1, 0.0)
    assert {kind for kind, answered, rate in rows[1:]} == {"multiple", "true_false", "short"}
    assert all(answered == 0 and rate is None for kind, answered, rate in rows[1:])


def test_results_per_person(quiz, team, agent, second_agent, supervisor, qa_inspector):
    hand_made(quiz, agent, team, 1, {**FULL, "multiple": 0})
    best = hand_made(quiz, agent, team, 2, FULL)
    hand_made(quiz, second_agent, team, 1, {"single": 2})
    hand_made(quiz, qa_inspector, team, 1, {"short": None}, status=AttemptStatus.AWAITING_GRADING)
    newcomer = member(team, username="newcomer")
    assign(quiz.course, newcomer, team)
    people = {
        person.username: (person.attempts_used, person.best_percent, person.passes > 0, person.awaiting > 0)
        for person in results_by_person(quiz=quiz, user=supervisor)
    }
    assert people == {
        "alice": (2, Decimal("100.00"), True, False),
        "bob": (1, Decimal("20.00"), False, False),
        "quinn": (1, None, False, True),
        "newcomer": (0, None, False, False),
    }
    ordered = [person.username for person in results_by_person(quiz=quiz, user=supervisor)]
    assert ordered[-1] == "alice"  # those who passed last
    assert next(p for p in results_by_person(quiz=quiz, user=supervisor) if p.username == "alice").last_attempt == (
        best.pk
    )


def test_results_cover_only_the_teams_one_supervises(
    department, team, sibling_team, supervisor, manager, agent, sibling_agent
):
    course = make_course(department, title="Company values")
    quiz = make_quiz(course, manager, questions=[SINGLE])
    hand_made(quiz, agent, team, 1, {"single": 0})
    hand_made(quiz, sibling_agent, sibling_team, 1, {"single": 2})
    assert [p.username for p in results_by_person(quiz=quiz, user=supervisor)] == ["alice"]
    assert [q.answered for q in results_by_question(quiz=quiz, user=supervisor)] == [1]
    assert sorted(p.username for p in results_by_person(quiz=quiz, user=manager)) == ["alice", "sam"]
    assert [(q.answered, q.correct) for q in results_by_question(quiz=quiz, user=manager)] == [(2, 1)]
    assert list(results_by_person(quiz=quiz, user=agent)) == []


def test_results_match_a_plain_reference_on_generated_attempts(quiz, team, supervisor):
    chance = random.Random(7)
    people = [member(team, username=f"p{number}") for number in range(9)]
    questions = list(quiz.questions.all())
    for person in people:
        for number in range(1, chance.randint(1, 3) + 1):
            points = {q.kind: chance.choice([0, q.points, q.points // 2]) for q in questions if chance.random() < 0.9}
            hand_made(quiz, person, team, number, points)
    answers = list(Answer.objects.select_related("question"))
    for question in results_by_question(quiz=quiz, user=supervisor):
        mine = [answer for answer in answers if answer.question_id == question.pk]
        correct = sum(answer.points >= question.points for answer in mine)
        assert (question.answered, question.correct) == (len(mine), correct)
    rates = [q.correct_rate for q in results_by_question(quiz=quiz, user=supervisor) if q.correct_rate is not None]
    assert rates == sorted(rates)
    attempts = list(Attempt.objects.all())
    for person in results_by_person(quiz=quiz, user=supervisor):
        theirs = [attempt for attempt in attempts if attempt.user_id == person.pk]
        assert person.attempts_used == len(theirs)
        assert person.best_percent == max(attempt.percent for attempt in theirs).quantize(Decimal("0.01"))
        assert (person.passes > 0) == any(attempt.passed for attempt in theirs)


def test_the_grading_queue_holds_waiting_short_answers_of_supervised_teams(
    quiz, team, sibling_team, agent, sibling_agent, supervisor, manager
):
    waiting = hand_made(quiz, agent, team, 1, {"single": 2, "short": None}, status=AttemptStatus.AWAITING_GRADING)
    hand_made(quiz, sibling_agent, sibling_team, 1, {"short": None}, status=AttemptStatus.AWAITING_GRADING)
    hand_made(quiz, agent, team, 2, FULL)
    assert [answer.attempt_id for answer in grading_queue(user=supervisor)] == [waiting.pk]
    assert len(grading_queue(user=manager)) == 2
    assert list(grading_queue(user=agent)) == []
