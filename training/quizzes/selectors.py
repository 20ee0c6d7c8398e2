"""Reads of quizzes: what a person may see of a quiz and an attempt, results, the grading queue.

Correct answers are for authors and graders. A taker learns after grading which of their answers were
right, and sees the correct choices themselves once the quiz is over for them (passed, or no attempts
left), so that the answer key never helps a next attempt.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FloatField, Max, Q, QuerySet
from django.db.models.functions import Cast, NullIf

from teams import policy
from training.access import can_author, visible_attempts, visible_courses
from training.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    Question,
    QuestionKind,
    Quiz,
)
from training.quizzes.building import choice_label
from training.quizzes.taking import attempts_for


def quiz_list(*, user) -> QuerySet[Quiz]:
    """Quizzes of the courses the user sees, with their questions and choices."""
    return (
        Quiz.objects.filter(course__in=visible_courses(user).values("pk"))
        .select_related("course")
        .prefetch_related("questions__choices")
        .order_by("course__title", "id")
    )


def attempt_list(*, user) -> QuerySet[Attempt]:
    """The user's own attempts and those in the teams they supervise."""
    return visible_attempts(user).select_related("quiz__course", "user", "team").order_by("-created_at", "-id")


def reveals_answer_key(*, user, quiz: Quiz) -> bool:
    return can_author(user, quiz.course.team_id)


def attempt_reveals_key(*, user, attempt: Attempt) -> bool:
    """Whether `user` may see which choices are correct on this attempt's sheet."""
    if policy.can_supervise_team(user, attempt.team_id) or can_author(user, attempt.quiz.course.team_id):
        return True
    if attempt.user_id != user.pk or attempt.status != AttemptStatus.GRADED:
        return False
    if attempt.passed:
        return True
    same_set = attempts_for(quiz=attempt.quiz, user=attempt.user_id, assignment=attempt.assignment_id)
    return same_set.filter(passed=True).exists() or same_set.count() >= attempt.quiz.max_attempts


@dataclass(frozen=True)
class SheetChoice:
    id: int
    text: str
    selected: bool
    is_correct: bool | None  # None: not for this reader


@dataclass(frozen=True)
class SheetRow:
    number: int
    question: Question
    choices: list[SheetChoice]
    answer: Answer | None
    result: str  # "", "right", "partly", "wrong" or "pending"


def attempt_sheet(*, attempt: Attempt, reveal_key: bool) -> list[SheetRow]:
    """The attempt's questions in its order with the taker's answers and, once graded, how they did."""
    questions = {
        question.pk: question
        for question in Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices")
    }
    answers = {answer.question_id: answer for answer in Answer.objects.filter(attempt=attempt)}
    graded = attempt.status == AttemptStatus.GRADED
    rows = []
    for question_id in attempt.question_order:
        question = questions.get(question_id)
        if question is None:
            continue
        answer = answers.get(question_id)
        selected = set(answer.selected) if answer else set()
        choices = [
            SheetChoice(
                id=choice.pk,
                text=choice_label(question, choice, index),
                selected=choice.pk in selected,
                is_correct=choice.is_correct if reveal_key else None,
            )
            for index, choice in enumerate(question.choices.all())
        ]
        rows.append(SheetRow(len(rows) + 1, question, choices, answer, _result(answer, question, graded, reveal_key)))
    return rows


def _result(answer: Answer | None, question: Question, graded: bool, reveal_key: bool) -> str:
    if answer is None or (not graded and not reveal_key):
        return ""
    if answer.points is None:
        return "pending"
    if answer.points >= question.points:
        return "right"
    return "partly" if answer.points > 0 else "wrong"


@dataclass(frozen=True)
class QuizResults:
    people: list
    questions: list


def quiz_results(*, quiz: Quiz, user) -> QuizResults:
    """Per person and per question, over the attempts counted for the teams the user supervises."""
    return QuizResults(
        people=list(results_by_person(quiz=quiz, user=user)),
        questions=list(results_by_question(quiz=quiz, user=user)),
    )


def results_by_person(*, quiz: Quiz, user) -> QuerySet:
    """Everyone in the user's supervised teams with an attempt or an assignment of the course: attempts
    used, best percent, passed, awaiting grading. One GROUP BY query; those who have not passed first."""
    teams = policy.team_access(user).supervised
    in_scope = Q(quiz_attempts__quiz=quiz, quiz_attempts__team_id__in=teams)
    attempted = Attempt.objects.filter(quiz=quiz, team_id__in=teams).values("user_id")
    assigned = Assignment.objects.filter(course_id=quiz.course_id, team_id__in=teams).values("user_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=attempted) | Q(pk__in=assigned))
        .annotate(
            attempts_used=Count("quiz_attempts", filter=in_scope),
            best_percent=Max("quiz_attempts__percent", filter=in_scope),
            passes=Count("quiz_attempts", filter=in_scope & Q(quiz_attempts__passed=True)),
            awaiting=Count("quiz_attempts", filter=in_scope & Q(quiz_attempts__status=AttemptStatus.AWAITING_GRADING)),
            last_attempt=Max("quiz_attempts__id", filter=in_scope),
        )
        .order_by(F("passes").asc(), F("best_percent").asc(nulls_first=True), "display_name", "username")
    )


def results_by_question(*, quiz: Quiz, user) -> QuerySet[Question]:
    """Each question: graded answers in scope, how many got full points, the correct rate (percent); the
    questions most people fail first, unanswered ones last. One GROUP BY query."""
    teams = policy.team_access(user).supervised
    graded = Q(answers__attempt__team_id__in=teams, answers__points__isnull=False)
    return (
        Question.objects.filter(quiz=quiz)
        .annotate(
            answered=Count("answers", filter=graded),
            correct=Count("answers", filter=graded & Q(answers__points__gte=F("points"))),
        )
        .annotate(
            failed=F("answered") - F("correct"),
            correct_rate=Cast("correct", FloatField()) * 100 / NullIf(Cast("answered", FloatField()), 0.0),
        )
        .order_by(F("correct_rate").asc(nulls_last=True), "-failed", "position", "id")
    )


def grading_queue(*, user) -> QuerySet[Answer]:
    """Short answers waiting for a grade in the teams the user supervises (not the user's own), oldest first."""
    teams = policy.team_access(user).supervised
    return (
        Answer.objects.filter(
            question__kind=QuestionKind.SHORT,
            points__isnull=True,
            attempt__status=AttemptStatus.AWAITING_GRADING,
            attempt__team_id__in=teams,
        )
        .exclude(attempt__user_id=user.pk)
        .select_related("question", "attempt__user", "attempt__team", "attempt__quiz__course")
        .order_by("attempt__submitted_at", "attempt_id", "question__position", "question_id")
    )
